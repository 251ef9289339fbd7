"""Provider staff: who they act for, what they see (their own provider's records in one council,
nothing of another provider's or council's), KPI returns and vacancies, pages and API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contracts.models import ContractEvent, KPIReturnStatus, MonitoringRecord
from contracts.services import kpi as kpi_services
from providers import services as provider_services
from providers.models import ProviderAccount
from providers.selectors import provider_for
from referrals.services import carers as carer_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.permissions import is_council_member, is_provider_staff
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import commissioned, make_child, make_package

pytestmark = pytest.mark.usefixtures("frozen_today")

SUBMISSION = {
    "sessions_delivered": 118,
    "sessions_target": 120,
    "hours_not_delivered": "4.00",
    "reason_not_delivered": "Two sessions lost to staff sickness.",
    "summary": "Good quarter; two new families started.",
}


@pytest.fixture
def world(two_councils, make_person):
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = two_councils[slug]["people"]
        council = two_councils[slug]["council"]
        commissioner, manager = people[Role.COMMISSIONER], people[Role.CONTRACT_MANAGER]
        sw, tm = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
        ours = commissioned(commissioner, marker)
        theirs = commissioned(commissioner, f"{marker}OTHER")
        staff = make_person(council)
        provider_services.provider_account_open(user=staff, provider=ours["provider"])
        staff.refresh_from_db()
        supported = make_child(
            sw,
            first_name=f"Ours{marker}",
            last_name=f"Surname{marker}",
            date_of_birth=date(2014, 5, 1),
            disabilities=["AUT"],
            communication_needs="Uses Makaton signs.",
            postcode="SY1 1AA",
        )
        carer_services.carer_add(
            actor=sw,
            child=supported,
            name="Pat Jones",
            relationship="mother",
            contact="01632 960999",
        )
        make_package(sw, tm, supported, ours)
        elsewhere = make_child(sw, first_name=f"Theirs{marker}")
        make_package(sw, tm, elsewhere, theirs)
        unsupported = make_child(sw, first_name=f"Nobody{marker}")
        kpi = kpi_services.kpi_return_request(
            actor=manager,
            contract=ours["contract"],
            provider=ours["provider"],
            period="Quarter 1 2026/27",
            due_on=date(2026, 7, 15),
        )
        their_kpi = kpi_services.kpi_return_request(
            actor=manager,
            contract=theirs["contract"],
            provider=theirs["provider"],
            period="Quarter 1 2026/27",
            due_on=date(2026, 7, 15),
        )
        world[slug] = {
            "council": council,
            "people": people,
            "manager": manager,
            "ours": ours,
            "theirs": theirs,
            "staff": staff,
            "supported": supported,
            "elsewhere": elsewhere,
            "unsupported": unsupported,
            "kpi": kpi,
            "their_kpi": their_kpi,
        }
    return world


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---------------------------------------------------------------------------------------------
# Who acts for whom


def test_provider_for_names_the_provider_of_the_active_account_and_no_one_else(world):
    alpha = world["alpha"]
    assert provider_for(alpha["staff"]) == alpha["ours"]["provider"]
    for role, person in alpha["people"].items():
        assert provider_for(person) is None, role  # the provider role without an account too
    account = ProviderAccount.objects.get(user=alpha["staff"])
    provider_services.provider_account_end(account=account)
    staff = type(alpha["staff"]).objects.get(pk=alpha["staff"].pk)
    assert provider_for(staff) is None
    assert not staff.has_perm("providers.act_for_provider")


def test_provider_staff_pass_no_staff_check(world):
    staff = world["alpha"]["staff"]
    assert is_provider_staff(staff)
    assert not is_council_member(staff)
    assert not staff.has_perm("councils.use_service")
    assert not is_provider_staff(world["alpha"]["people"][Role.COMMISSIONER])


def test_provider_staff_sign_in_to_their_own_home_page(world, client_for):
    client = client_for(world["alpha"]["staff"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("provider:home")
    page = client.get(reverse("provider:home")).content.decode()
    assert f"Buddying {MARKER_A}" in page
    assert reverse("provider:kpi-return", args=[world["alpha"]["kpi"].pk]) in page
    assert MARKER_B not in page
    assert f"{MARKER_A}OTHER" not in page
    # Their navigation is their own pages, and nothing of the staff's.
    assert reverse("provider:children") in page
    assert reverse("providers:list") not in page


def test_council_staff_are_refused_the_provider_pages_and_api(world, client_for):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for url in (
        reverse("provider:home"),
        reverse("provider:contracts"),
        reverse("provider:children"),
        reverse("provider:vacancies"),
    ):
        assert client_for(commissioner).get(url).status_code == 403, url
    for name in ("api-portal", "api-portal-children", "api-portal-kpi-returns"):
        assert _api(commissioner).get(reverse(name)).status_code == 403, name
    assert APIClient().get(reverse("api-portal")).status_code == 401


# ---------------------------------------------------------------------------------------------
# Their own provider's records only


def test_contracts_and_lots_are_their_own_only(world, client_for, django_assert_num_queries):
    alpha = world["alpha"]
    client = client_for(alpha["staff"])
    page = client.get(reverse("provider:contracts")).content.decode()
    assert f"SB-{MARKER_A}" in page
    assert f"SB-{MARKER_A}OTHER" not in page
    api = _api(alpha["staff"])
    with django_assert_num_queries(7):
        answer = api.get(reverse("api-portal-contracts"))
    assert [c["reference"] for c in answer.json()["results"]] == [f"SB-{MARKER_A}"]
    assert answer.json()["results"][0]["lots"][0]["awards"][0]["capacity"] == "4 overnight beds"
    own = alpha["ours"]["contract"]
    assert client.get(reverse("provider:contract", args=[own.pk])).status_code == 200
    for other in (alpha["theirs"]["contract"], world["bravo"]["ours"]["contract"]):
        assert client.get(reverse("provider:contract", args=[other.pk])).status_code == 404
        assert api.get(reverse("api-portal-contract", args=[other.pk])).status_code == 404


def test_kpi_returns_of_another_provider_or_council_are_not_found(world, client_for):
    alpha = world["alpha"]
    client, api = client_for(alpha["staff"]), _api(alpha["staff"])
    listed = api.get(reverse("api-portal-kpi-returns")).json()["results"]
    assert [r["id"] for r in listed] == [alpha["kpi"].pk]
    for other in (alpha["their_kpi"], world["bravo"]["kpi"]):
        assert client.get(reverse("provider:kpi-return", args=[other.pk])).status_code == 404
        assert api.get(reverse("api-portal-kpi-return", args=[other.pk])).status_code == 404
        response = api.post(
            reverse("api-portal-kpi-return-submit", args=[other.pk]), SUBMISSION, format="json"
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.kpi_status == KPIReturnStatus.DUE


def test_vacancies_of_another_provider_or_council_are_not_found(world, client_for):
    alpha = world["alpha"]
    client, api = client_for(alpha["staff"]), _api(alpha["staff"])
    for other in (alpha["theirs"]["service"], world["bravo"]["ours"]["service"]):
        url = reverse("provider:vacancy-edit", args=[other.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"capacity_available": "3"}).status_code == 404
        response = api.patch(
            reverse("api-portal-vacancy", args=[other.pk]),
            {"capacity_available": 3},
            format="json",
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.capacity_available is None


# ---------------------------------------------------------------------------------------------
# Children: only those awarded to them, only what delivering the support needs


CHILD_FIELDS = {
    "id",
    "first_name",
    "age",
    "needs_summary",
    "communication_needs",
    "emergency_contact",
}


def test_children_we_support_show_exactly_what_delivery_needs(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    api = _api(alpha["staff"])
    with django_assert_num_queries(7):
        answer = api.get(reverse("api-portal-children"))
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert [set(row) for row in rows] == [CHILD_FIELDS]
    assert rows[0] == {
        "id": alpha["supported"].pk,
        "first_name": f"Ours{MARKER_A}",
        "age": 12,
        "needs_summary": "Autism or Asperger syndrome",
        "communication_needs": "Uses Makaton signs.",
        "emergency_contact": "Pat Jones (mother), 01632 960999",
    }
    page = client_for(alpha["staff"]).get(reverse("provider:children")).content.decode()
    detail = (
        client_for(alpha["staff"])
        .get(reverse("provider:child", args=[alpha["supported"].pk]))
        .content.decode()
    )
    for html in (page, detail, answer.content.decode()):
        assert f"Ours{MARKER_A}" in html
        assert f"Surname{MARKER_A}" not in html  # never the last name
        assert "SY1 1AA" not in html  # nor the address
        assert f"Theirs{MARKER_A}" not in html
        assert f"Nobody{MARKER_A}" not in html
        assert MARKER_B not in html


def test_a_child_not_awarded_to_them_is_not_found(world, client_for):
    alpha = world["alpha"]
    client, api = client_for(alpha["staff"]), _api(alpha["staff"])
    for child in (alpha["elsewhere"], alpha["unsupported"], world["bravo"]["supported"]):
        assert client.get(reverse("provider:child", args=[child.pk])).status_code == 404
        assert api.get(reverse("api-portal-child", args=[child.pk])).status_code == 404


def test_every_read_of_children_is_in_the_access_log(world, client_for):
    alpha = world["alpha"]
    staff, child = alpha["staff"], alpha["supported"]
    before = AccessLogEntry.objects.count()
    client_for(staff).get(reverse("provider:children"))
    client_for(staff).get(reverse("provider:child", args=[child.pk]))
    _api(staff).get(reverse("api-portal-children"))
    _api(staff).get(reverse("api-portal-child", args=[child.pk]))
    rows = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(r.action, r.object_type, r.object_id, r.user_id) for r in rows] == [
        ("list", "referrals.child", str(child.pk), staff.pk),
        ("view", "referrals.child", str(child.pk), staff.pk),
        ("list", "referrals.child", str(child.pk), staff.pk),
        ("view", "referrals.child", str(child.pk), staff.pk),
    ]
    assert all(r.roles == Role.PROVIDER for r in rows)


def test_ended_support_is_no_longer_shown(world):
    from referrals.portal.selectors import supported_children

    alpha = world["alpha"]
    assert list(supported_children(actor=alpha["staff"])) == [alpha["supported"]]
    assert list(supported_children(actor=alpha["staff"], today=date(2025, 1, 1))) == [
        alpha["supported"]
    ]
    package = alpha["supported"].packages.get()
    package.lines.update(end_on=date(2026, 5, 31))
    assert list(supported_children(actor=alpha["staff"])) == []


# ---------------------------------------------------------------------------------------------
# KPI returns: submit, accept or query (with a reason), submit again


def test_kpi_return_submitted_queried_submitted_again_and_accepted(world, client_for):
    alpha = world["alpha"]
    staff, manager, kpi = alpha["staff"], alpha["manager"], alpha["kpi"]
    client = client_for(staff)
    page = client.get(reverse("provider:kpi-return", args=[kpi.pk]))
    assert "Submit your figures" in page.content.decode()
    response = client.post(
        reverse("provider:kpi-return", args=[kpi.pk]),
        {**SUBMISSION, "hours_not_delivered": "4"},
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.kpi_status == KPIReturnStatus.SUBMITTED
    assert (kpi.sessions_delivered, kpi.sessions_target) == (118, 120)
    assert kpi.submitted_by == staff

    # The contract manager queries it, with a reason, on the monitoring page.
    manager_client = client_for(manager)
    record_page = manager_client.get(
        reverse("contracts:monitoring", args=[kpi.contract_id, kpi.pk])
    ).content.decode()
    assert reverse("contracts:kpi-return-accept", args=[kpi.pk]) in record_page
    refused = manager_client.post(reverse("contracts:kpi-return-query", args=[kpi.pk]), {})
    assert refused.status_code == 200
    assert "Say what the provider needs to check or explain" in refused.content.decode()
    manager_client.post(
        reverse("contracts:kpi-return-query", args=[kpi.pk]),
        {"reason": "The target was 130 this quarter."},
    )
    kpi.refresh_from_db()
    assert kpi.kpi_status == KPIReturnStatus.QUERIED
    assert (
        "The target was 130"
        in client.get(reverse("provider:kpi-return", args=[kpi.pk])).content.decode()
    )

    # The provider answers by submitting again, through the API.
    again = _api(staff).post(
        reverse("api-portal-kpi-return-submit", args=[kpi.pk]),
        {**SUBMISSION, "sessions_target": 130},
        format="json",
    )
    assert again.status_code == 200, again.json()
    assert again.json()["status"] == "submitted"
    assert again.json()["sessions_target"] == 130

    accepted = _api(manager).post(reverse("api-kpi-return-accept", args=[kpi.pk]))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    kpi.refresh_from_db()
    assert kpi.decided_by == manager
    summaries = [
        event.summary
        for event in ContractEvent.objects.filter(
            contract=kpi.contract, kind="kpi_return"
        ).order_by("id")
    ]
    assert summaries == [
        "KPI return for Quarter 1 2026/27 asked of Buddying MARKERALPHA, due 15/07/2026.",
        "KPI return for Quarter 1 2026/27 submitted by Buddying MARKERALPHA.",
        "KPI return for Quarter 1 2026/27 queried: The target was 130 this quarter.",
        "KPI return for Quarter 1 2026/27 submitted again by Buddying MARKERALPHA.",
        "KPI return for Quarter 1 2026/27 accepted.",
    ]


def test_kpi_return_steps_the_state_forbids_answer_409(world):
    alpha = world["alpha"]
    staff, manager, kpi = alpha["staff"], alpha["manager"], alpha["kpi"]
    # Nothing to accept or query before the provider submits.
    assert _api(manager).post(reverse("api-kpi-return-accept", args=[kpi.pk])).status_code == 409
    submit = reverse("api-portal-kpi-return-submit", args=[kpi.pk])
    assert _api(staff).post(submit, SUBMISSION, format="json").status_code == 200
    # Submitted: the provider waits for the council.
    assert _api(staff).post(submit, SUBMISSION, format="json").status_code == 409
    assert _api(manager).post(reverse("api-kpi-return-accept", args=[kpi.pk])).status_code == 200
    assert _api(manager).post(reverse("api-kpi-return-accept", args=[kpi.pk])).status_code == 409
    query = reverse("api-kpi-return-query", args=[kpi.pk])
    assert _api(manager).post(query, {"reason": "Late"}, format="json").status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sessions_delivered": -1}, "sessions_delivered"),
        ({"sessions_target": None}, "sessions_target"),
        ({"summary": ""}, "summary"),
        ({"hours_not_delivered": "3", "reason_not_delivered": ""}, "reason_not_delivered"),
        ({"hours_not_delivered": "lots"}, "hours_not_delivered"),
    ],
)
def test_bad_kpi_figures_are_refused_with_the_field(world, changes, field):
    alpha = world["alpha"]
    response = _api(alpha["staff"]).post(
        reverse("api-portal-kpi-return-submit", args=[alpha["kpi"].pk]),
        {**SUBMISSION, **changes},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    alpha["kpi"].refresh_from_db()
    assert alpha["kpi"].kpi_status == KPIReturnStatus.DUE


def test_only_the_council_decides_and_only_the_provider_submits(world):
    alpha = world["alpha"]
    staff, manager, kpi = alpha["staff"], alpha["manager"], alpha["kpi"]
    submit = reverse("api-portal-kpi-return-submit", args=[kpi.pk])
    # Council staff cannot submit for the provider; the provider cannot accept its own return.
    assert _api(manager).post(submit, SUBMISSION, format="json").status_code == 403
    _api(staff).post(submit, SUBMISSION, format="json")
    assert _api(staff).post(reverse("api-kpi-return-accept", args=[kpi.pk])).status_code == 403
    # A social worker may not decide; another council's manager does not find it.
    social_worker = alpha["people"][Role.SOCIAL_WORKER]
    accept = reverse("api-kpi-return-accept", args=[kpi.pk])
    assert _api(social_worker).post(accept).status_code == 403
    assert _api(world["bravo"]["manager"]).post(accept).status_code == 404
    query = reverse("api-kpi-return-query", args=[kpi.pk])
    assert _api(manager).post(query, {"reason": ""}, format="json").status_code == 400
    kpi.refresh_from_db()
    assert kpi.kpi_status == KPIReturnStatus.SUBMITTED


def test_the_council_asks_a_provider_awarded_a_lot_for_a_return(world, client_for):
    alpha = world["alpha"]
    manager, contract = alpha["manager"], alpha["ours"]["contract"]
    url = reverse("api-contract-kpi-returns", args=[contract.pk])
    asked = _api(manager).post(
        url,
        {
            "provider": alpha["ours"]["provider"].pk,
            "period": "Quarter 2 2026/27",
            "due_on": "2026-10-15",
        },
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    assert asked.json()["status"] == "due"
    not_awarded = _api(manager).post(
        url,
        {"provider": alpha["theirs"]["provider"].pk, "period": "Q2", "due_on": "2026-10-15"},
        format="json",
    )
    assert not_awarded.status_code == 400
    assert "provider" in not_awarded.json()
    other_council = _api(manager).post(
        url,
        {"provider": world["bravo"]["ours"]["provider"].pk, "period": "Q2", "due_on": "2026-10-15"},
        format="json",
    )
    assert other_council.status_code == 400
    form = client_for(manager).get(reverse("contracts:kpi-return-request", args=[contract.pk]))
    assert f"Buddying {MARKER_A}" in form.content.decode()
    assert MARKER_B not in form.content.decode()
    assert MonitoringRecord.objects.filter(contract=contract, provider__isnull=False).count() == 2


# ---------------------------------------------------------------------------------------------
# Vacancies


def test_provider_staff_keep_their_services_vacancies(world, client_for):
    alpha = world["alpha"]
    service = alpha["ours"]["service"]
    client = client_for(alpha["staff"])
    listing = client.get(reverse("provider:vacancies")).content.decode()
    assert service.title in listing
    assert alpha["theirs"]["service"].title not in listing
    response = client.post(
        reverse("provider:vacancy-edit", args=[service.pk]),
        {"capacity_available": "2", "capacity_maximum": "6", "capacity_unit": "places"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum) == (2, 6)
    assert service.capacity_updated_at is not None
    answer = _api(alpha["staff"]).patch(
        reverse("api-portal-vacancy", args=[service.pk]), {"capacity_available": 0}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["capacity_available"] == 0
    assert answer.json()["capacity_maximum"] == 6
    assert service.provider.events.filter(kind="vacancies").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"capacity_available": -1}, "capacity_available"),
        ({"capacity_available": "many"}, "capacity_available"),
        ({"capacity_available": 7, "capacity_maximum": 6}, "capacity_available"),
        ({"capacity_available": 1, "capacity_unit": "x" * 61}, "capacity_unit"),
    ],
)
def test_bad_vacancies_are_refused_with_the_field(world, client_for, data, field):
    alpha = world["alpha"]
    service = alpha["ours"]["service"]
    answer = _api(alpha["staff"]).put(
        reverse("api-portal-vacancy", args=[service.pk]), data, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()
    page = client_for(alpha["staff"]).post(
        reverse("provider:vacancy-edit", args=[service.pk]), data
    )
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    service.refresh_from_db()
    assert service.capacity_available is None


LISTS = (
    "api-portal-contracts",
    "api-portal-kpi-returns",
    "api-portal-vacancies",
    "api-portal-children",
    "provider:home",
    "provider:contracts",
    "provider:kpi-returns",
    "provider:vacancies",
    "provider:children",
)


def _queries(world) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name in LISTS:
        # A fresh person each time, as each request has: nothing read before is cached on it.
        staff = type(world["alpha"]["staff"]).objects.get(pk=world["alpha"]["staff"].pk)
        client = _api(staff) if name.startswith("api-") else None
        if client is None:
            from django.test import Client

            client = Client()
            client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_list_queries_do_not_grow_with_rows(world):
    from tests.builders import make_awarded_lot, make_contract, make_service

    alpha = world["alpha"]
    people = alpha["people"]
    before = _queries(world)
    provider = alpha["ours"]["provider"]
    commissioner = people[Role.COMMISSIONER]
    for number in range(3):
        make_service(commissioner, provider, title=f"More {number}")
        contract = make_contract(commissioner, reference=f"MORE-{number}")
        make_awarded_lot(commissioner, contract, provider)
        kpi_services.kpi_return_request(
            actor=alpha["manager"],
            contract=contract,
            provider=provider,
            period=f"Quarter {number + 1} 2026/27",
            due_on=date(2026, 7, 15),
        )
        child = make_child(people[Role.SOCIAL_WORKER], first_name=f"More{number}")
        carer_services.carer_add(
            actor=people[Role.SOCIAL_WORKER], child=child, name="Kim", relationship="father"
        )
        make_package(people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER], child, alpha["ours"])
    assert _queries(world) == before
    assert before == PINNED


# A page's count includes the session, the person, their roles, their provider and the navigation.
PINNED = {
    "api-portal-contracts": 7,
    "api-portal-kpi-returns": 5,
    "api-portal-vacancies": 5,
    "api-portal-children": 7,
    "provider:home": 13,
    "provider:contracts": 13,
    "provider:kpi-returns": 11,
    "provider:vacancies": 11,
    "provider:children": 13,
}


def test_provider_staff_get_an_api_token_for_their_own_endpoints_only(world):
    from django.test import Client

    from tests.conftest import PASSWORD

    staff = world["alpha"]["staff"]
    answer = Client().post(
        reverse("api-token"),
        {"username": staff.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    headers = {"HTTP_AUTHORIZATION": f"Token {answer.json()['token']}"}
    mine = Client().get(reverse("api-portal"), **headers)
    assert mine.status_code == 200
    assert mine.json()["name"] == f"Buddying {MARKER_A}"
    assert Client().get(reverse("api-me"), **headers).status_code == 403
    assert Client().get(reverse("api-contracts"), **headers).status_code == 403
