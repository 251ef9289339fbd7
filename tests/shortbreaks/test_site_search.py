"""The header's one search box: posted (never in an address), scoped to the person's council and
to what their role may read, grouped by kind, and logged when it returns children's records."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_contract, make_provider, make_service
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.factories import UserFactory
from tests.referrals.builders import make_child, make_referral, nhs_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = "/search/"


@pytest.fixture
def records(two_councils):
    """In each council: a child called Quennell with a referral, a provider, a service and a
    contract, all carrying the council's marker."""
    made = {}
    for slug, marker, nine in (("alpha", MARKER_A, "943476591"), ("bravo", MARKER_B, "401023213")):
        people = two_councils[slug]["people"]
        worker, commissioner = people[Role.SOCIAL_WORKER], people[Role.COMMISSIONER]
        child = make_child(
            worker,
            first_name=f"Ada{marker}",
            last_name="Quennell",
            nhs_number=nhs_number(nine),
        )
        referral = make_referral(worker, child)
        provider = make_provider(commissioner, name=f"Quennell Care {marker}")
        service = make_service(commissioner, provider, title=f"Quennell overnight {marker}")
        contract = make_contract(
            commissioner, reference=f"SB-{marker}-7", title=f"Quennell breaks {marker}"
        )
        made[slug] = {
            "child": child,
            "referral": referral,
            "provider": provider,
            "service": service,
            "contract": contract,
        }
    return made


def _captions(body: str) -> list[str]:
    return [
        re.sub(r"<span.*", "", caption).strip()
        for caption in re.findall(
            r'<caption class="govuk-table__caption[^"]*">(.*?)</caption>', body, re.S
        )
    ]


def test_the_header_has_the_search_for_staff_posting_to_the_search_page(two_councils, client_for):
    body = client_for(two_councils["alpha"]["people"][Role.AUDITOR]).get(reverse("home"))
    form = re.search(
        r'<form method="post" action="/search/"[^>]*role="search"', body.content.decode()
    )
    assert form is not None


def test_a_get_shows_the_empty_form_and_searches_nothing(two_councils, records, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.SOCIAL_WORKER])
    before = AccessLogEntry.objects.count()
    response = client.get(URL, {"q": "Quennell"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in body and "Quennell" not in body
    assert AccessLogEntry.objects.count() == before


def test_a_social_worker_finds_children_and_referrals_of_their_council_only(
    two_councils, records, client_for
):
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    response = client_for(worker).post(URL, {"q": "quenell"})  # a sound-alike finds it
    body = response.content.decode()
    assert response.status_code == 200
    assert _captions(body) == ["Children", "Referrals", "Providers", "Services"]
    assert reverse("referrals:child", args=[records["alpha"]["child"].pk]) in body
    assert reverse("referrals:referral", args=[records["alpha"]["referral"].pk]) in body
    assert MARKER_B not in body
    logged = AccessLogEntry.objects.filter(action="search").order_by("id")
    children, referrals = (
        logged.filter(object_type="referrals.child").get(),
        logged.filter(object_type="referrals.referral").get(),
    )
    assert children.object_id == str(records["alpha"]["child"].pk)
    assert referrals.object_id == str(records["alpha"]["referral"].pk)
    assert children.username == worker.username


def test_the_nhs_number_and_the_child_id_find_the_child(two_councils, records, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.TEAM_MANAGER])
    child = records["alpha"]["child"]
    by_nhs = client.post(URL, {"q": child.nhs_number[:3] + " " + child.nhs_number[3:6]})
    assert reverse("referrals:child", args=[child.pk]) in by_nhs.content.decode()
    by_id = client.post(URL, {"q": child.council_child_id})
    assert reverse("referrals:child", args=[child.pk]) in by_id.content.decode()
    theirs = client.post(URL, {"q": records["bravo"]["child"].council_child_id}).content.decode()
    assert reverse("referrals:child", args=[records["bravo"]["child"].pk]) not in theirs


def test_a_commissioner_finds_contracts_and_providers_but_never_a_child(
    two_councils, records, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    body = client_for(commissioner).post(URL, {"q": "Quennell"}).content.decode()
    assert _captions(body) == ["Providers", "Services", "Contracts"]
    assert reverse("contracts:detail", args=[records["alpha"]["contract"].pk]) in body
    assert "Ada" not in body and MARKER_B not in body
    assert not AccessLogEntry.objects.filter(action="search").exists()
    by_reference = client_for(commissioner).post(URL, {"q": f"sb-{MARKER_A}"}).content.decode()
    assert reverse("contracts:detail", args=[records["alpha"]["contract"].pk]) in by_reference


def test_a_contract_reference_of_another_council_finds_nothing(two_councils, records, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    body = client_for(commissioner).post(URL, {"q": f"SB-{MARKER_B}-7"}).content.decode()
    assert "Nothing found" in body  # the terms are shown back, nothing else of theirs
    assert f"Quennell breaks {MARKER_B}" not in body
    assert reverse("contracts:detail", args=[records["bravo"]["contract"].pk]) not in body


def test_a_blank_search_is_a_400_with_the_error(two_councils, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.SOCIAL_WORKER])
    response = client.post(URL, {"q": "   "})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_people_with_no_staff_role_are_refused(two_councils, records, client):
    nobody = UserFactory()
    client.force_login(nobody)
    assert client.post(URL, {"q": "Quennell"}).status_code == 403
    assert client.get(URL).status_code == 403
    from django.test import Client

    anonymous = Client().post(URL, {"q": "Quennell"})
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]


def test_a_search_keeps_its_query_count_whatever_it_finds(two_councils, records, client_for):
    worker = two_councils["alpha"]["people"][Role.TEAM_MANAGER]
    client = client_for(worker)
    client.post(URL, {"q": "Quennell"})
    with CaptureQueriesContext(connection) as few:
        client.post(URL, {"q": "Quennell"})
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    for n in range(15):
        child = make_child(worker, first_name=f"More{n}", last_name="Quennell")
        make_referral(worker, child)
        make_contract(commissioner, title=f"Quennell more {n}")
        make_provider(commissioner, name=f"Quennell Extra {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.post(URL, {"q": "Quennell"}).content.decode()
    assert "add to the search to narrow it" in body
    assert len(many) == len(few)
