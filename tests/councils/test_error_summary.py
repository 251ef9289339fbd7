"""Every link in an error summary leads to an element on the same page."""

import re

from django.urls import reverse

from shortbreaks.councils import services
from shortbreaks.councils.models import Role


def _summary_targets(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_a_radio_error_links_to_the_first_radio(two_councils, make_person, client_for):
    person = make_person(two_councils["alpha"]["council"], Role.AUDITOR)
    services.membership_grant(user=person, council=two_councils["bravo"]["council"], role="auditor")
    response = client_for(person).post(reverse("councils:switch"), {})
    html = response.content.decode()
    targets = _summary_targets(html)
    assert targets == ["id_council_1"]
    assert f'id="{targets[0]}"' in html
