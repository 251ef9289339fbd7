"""The accessibility statement follows GOV.UK's model: compliance status, what is not accessible
and the plan, how to get another format or report a problem (each council's own contact and
response time), the enforcement procedure, and when and how it was prepared and tested."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shortbreaks import accessibility
from shortbreaks.councils.models import Role

MODEL_SECTIONS = (
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that's not within the scope of the accessibility regulations",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
)


@pytest.fixture
def councils(two_councils):
    alpha = two_councils["alpha"]["council"]
    alpha.accessibility_email = "access@alpha.example"
    alpha.accessibility_phone = "01632 960001"
    alpha.accessibility_response_days = 5
    alpha.save()
    return two_councils


@pytest.mark.django_db
def test_an_unknown_council_has_no_statement(client, councils):
    assert client.get(reverse("accessibility-council", args=["nowhere"])).status_code == 404


@pytest.mark.django_db
def test_a_councils_statement_without_sign_in(client, councils):
    alpha = councils["alpha"]["council"]
    response = client.get(reverse("accessibility-council", args=[alpha.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    for section in MODEL_SECTIONS:
        assert section in body, section
    assert f"This website is run by {alpha.name}." in body
    assert "partially compliant" in body
    assert "Web Content Accessibility Guidelines version 2.2 AA standard" in body
    for issue in accessibility.KNOWN_ISSUES:
        assert issue.plan.replace("'", "&#x27;") in body
        for criterion in issue.criteria:
            assert criterion in body
    assert "mailto:access@alpha.example" in body and "01632 960001" in body
    assert "get back to you in 5 working days" in body
    assert "Equality and Human Rights Commission" in body
    assert "Equality Advisory and Support Service" in body
    assert "This statement was prepared on 6 December 2026" in body
    assert "It was last reviewed on 6 December 2026" in body
    assert "This website was last tested on 6 December 2026" in body
    assert "axe-core" in body
    # Nothing of the other council.
    assert councils["bravo"]["council"].name not in body


@pytest.mark.django_db
def test_a_council_without_a_contact_says_so(client, councils):
    bravo = councils["bravo"]["council"]
    body = client.get(reverse("accessibility-council", args=[bravo.slug])).content.decode()
    assert "has not given an accessibility contact here yet" in body


@pytest.mark.django_db
def test_the_services_statement_lists_every_councils_contact(client, councils):
    body = client.get(reverse("accessibility")).content.decode()
    for section in MODEL_SECTIONS:
        assert section in body, section
    bravo = councils["bravo"]["council"]
    assert "access@alpha.example" in body and "5 working days" in body
    assert reverse("accessibility-council", args=[bravo.slug]) in body
    assert f"Contact {bravo.name}" in body


@pytest.mark.django_db
def test_the_footer_leads_to_the_councils_own_statement(client, client_for, councils):
    alpha = councils["alpha"]["council"]
    own = reverse("accessibility-council", args=[alpha.slug])
    public = client.get(reverse("statements:directory", args=[alpha.slug])).content.decode()
    assert f'href="{own}"' in public
    staff = client_for(councils["alpha"]["people"][Role.SOCIAL_WORKER])
    assert f'href="{own}"' in staff.get(reverse("home")).content.decode()
    sign_in = client.get(reverse("sign-in")).content.decode()
    assert f'href="{reverse("accessibility")}"' in sign_in
