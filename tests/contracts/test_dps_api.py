"""The DPS API: lists, create, memberships, the checklist and one action per transition."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from contracts.models import DPS, PRE_APPROVAL_CHECKS, DPSMembership, MembershipStatus
from contracts.services import dps as services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_provider
from tests.conftest import MARKER_B
from tests.contracts import test_dps_services
from tests.per_module import world_per_module
from tests.roles import CONTRACT_MANAGERS, CONTRACT_READERS

# The shared DPS fixture and builder live with the service tests.
_dps_world_built, dps_world = world_per_module(test_dps_services.build_dps_world, name="dps_world")
approved_membership = test_dps_services.approved_membership

TRANSITIONS = ["start_assessment", "approve", "suspend", "reinstate", "exit"]


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _membership_url(membership: DPSMembership, suffix: str = "") -> str:
    name = "api-dps-membership" + (f"-{suffix}" if suffix else "")
    return _url(name, dps_id=membership.dps_id, membership_id=membership.pk)


def _post(client, url: str, data: dict | None = None, method: str = "post"):
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def applied(dps_world):
    alpha = dps_world["alpha"]
    return services.dps_membership_apply(
        actor=alpha["commissioner"],
        dps=alpha["dps"],
        provider=alpha["providers"][0],
        on=date(2024, 1, 8),
    )


# ---------------------------------------------------------------------------------------------
# Who may use it


@pytest.mark.parametrize("role", sorted(Role.values))
def test_reading_is_for_those_who_read_contracts(dps_world, applied, client_for, role):
    client = client_for(dps_world["alpha"]["people"][role])
    dps = dps_world["alpha"]["dps"]
    urls = [
        _url("api-dps-list"),
        _url("api-dps", dps_id=dps.pk),
        _url("api-dps-memberships", dps_id=dps.pk),
        _membership_url(applied),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if role in CONTRACT_READERS else 403), url


@pytest.mark.parametrize("role", sorted(set(Role.values) - CONTRACT_MANAGERS))
def test_changing_is_for_commissioners_and_contract_managers(dps_world, applied, client_for, role):
    alpha = dps_world["alpha"]
    client = client_for(alpha["people"][role])
    dps = alpha["dps"]
    attempts = [
        (_url("api-dps-list"), {"title": "No", "start_date": "2025-04-01"}),
        (
            _url("api-dps-memberships", dps_id=dps.pk),
            {"provider": alpha["providers"][1].pk, "on": "2024-02-01"},
        ),
        (_membership_url(applied, "checks"), {"check_dbs": True}),
        *[
            (
                _membership_url(applied, action.replace("_", "-")),
                {"on": "2024-02-01", "reason": "x"},
            )
            for action in TRANSITIONS
        ],
    ]
    for url, data in attempts:
        assert _post(client, url, data).status_code == 403, url
    assert _post(client, _membership_url(applied, "checks"), {}, "patch").status_code == 403
    applied.refresh_from_db()
    assert applied.status == MembershipStatus.APPLIED and not applied.check_dbs
    assert not DPS.objects.filter(title="No").exists()
    assert dps.memberships.count() == 1


def test_no_credentials_is_a_401(dps_world, applied):
    client = Client()
    dps = dps_world["alpha"]["dps"]
    for url in (
        _url("api-dps-list"),
        _url("api-dps", dps_id=dps.pk),
        _url("api-dps-memberships", dps_id=dps.pk),
        _membership_url(applied),
    ):
        assert client.get(url).status_code == 401
    assert _post(client, _membership_url(applied, "exit"), {"on": "2024-02-01"}).status_code == 401


# ---------------------------------------------------------------------------------------------
# DPS


def test_the_list_counts_members_by_status(dps_world, applied, client_for):
    alpha = dps_world["alpha"]
    approved_membership(alpha["commissioner"], alpha["dps"], alpha["providers"][1])
    response = client_for(alpha["people"][Role.AUDITOR]).get(_url("api-dps-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert MARKER_B not in body
    results = {item["title"].split(" ")[0]: item for item in response.json()["results"]}
    assert set(results) == {"Tier", "Closed"}
    tier3 = results["Tier"]
    assert tier3["categories"] == ["Overnight short breaks", "Community short breaks"]
    assert tier3["status"] == "active" and tier3["open_to_applications"] is True
    assert tier3["member_counts"] == {
        "applied": 1,
        "under_assessment": 0,
        "approved": 1,
        "suspended": 0,
        "exited": 0,
    }
    assert results["Closed"]["open_to_applications"] is False


def _more_systems(actor, providers, count: int) -> None:
    for number in range(count):
        dps = services.dps_create(actor=actor, title=f"Extra {number}", start_date=date(2020, 1, 1))
        for provider in providers:
            services.dps_membership_apply(
                actor=actor, dps=dps, provider=provider, on=date(2021, 1, 1)
            )


def test_the_list_costs_the_same_queries_for_few_and_many(
    dps_world, client_for, django_assert_num_queries
):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    client.get(_url("api-dps-list"))  # the session's first request writes it
    with django_assert_num_queries(6):
        few = client.get(_url("api-dps-list"))
    _more_systems(alpha["commissioner"], alpha["providers"], 6)
    with django_assert_num_queries(6):
        many = client.get(_url("api-dps-list"))
    assert len(few.json()["results"]) == 2
    assert len(many.json()["results"]) == 8


def test_create_a_dps(dps_world, client_for):
    client = client_for(dps_world["alpha"]["people"][Role.CONTRACT_MANAGER])
    response = _post(
        client,
        _url("api-dps-list"),
        {
            "title": "Short breaks DPS 2025",
            "categories": ["Lot 1: overnight", "Lot 2: community"],
            "start_date": "2025-04-01",
            "end_date": None,
            "open_to_applications": False,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    dps = DPS.objects.get(pk=data["id"])
    assert dps.council == dps_world["alpha"]["dps"].council
    assert dps.categories == "Lot 1: overnight\nLot 2: community"
    assert data["open_to_applications"] is False
    assert data["member_counts"]["applied"] == 0


def test_creating_with_bad_input_is_a_400_with_field_messages(dps_world, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    before = DPS.objects.count()
    missing = _post(client, _url("api-dps-list"), {"start_date": "31/02/2025"})
    assert missing.status_code == 400
    assert set(missing.json()) == {"title", "start_date"}
    backwards = _post(
        client,
        _url("api-dps-list"),
        {"title": "Backwards", "start_date": "2025-04-01", "end_date": "2024-04-01"},
    )
    assert backwards.status_code == 400
    assert backwards.json() == {"end_date": ["The end date must be after the start date."]}
    assert DPS.objects.count() == before


def test_the_detail_is_logged(dps_world, client_for):
    alpha = dps_world["alpha"]
    response = client_for(alpha["commissioner"]).get(_url("api-dps", dps_id=alpha["dps"].pk))
    assert response.status_code == 200
    assert response.json()["title"].startswith("Tier 3 DPS")
    assert AccessLogEntry.objects.filter(
        object_type="contracts.dps", object_id=str(alpha["dps"].pk), action="view"
    ).exists()


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS))
def test_another_councils_dps_is_a_404_as_a_missing_one(dps_world, client_for, role):
    client = client_for(dps_world["alpha"]["people"][role])
    theirs = dps_world["bravo"]["dps"].pk
    for name in ("api-dps", "api-dps-memberships"):
        other = client.get(_url(name, dps_id=theirs))
        missing = client.get(_url(name, dps_id=theirs + 10_000))
        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json()
        assert MARKER_B not in other.content.decode()


# ---------------------------------------------------------------------------------------------
# Memberships


def test_apply_then_list_and_read_the_membership(dps_world, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    url = _url("api-dps-memberships", dps_id=alpha["dps"].pk)
    provider = alpha["providers"][1]
    response = _post(
        client, url, {"provider": provider.pk, "on": "2024-02-01", "reason": "Applied online."}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["provider"] == {"id": provider.pk, "name": provider.name}
    assert data["status"] == "applied" and data["status_date"] == "2024-02-01"
    assert data["checks"] == dict.fromkeys(PRE_APPROVAL_CHECKS, False)
    assert data["checks_complete"] is False
    assert data["history"] == [
        {
            "from_status": "",
            "to_status": "applied",
            "on": "2024-02-01",
            "reason": "Applied online.",
            "actor": alpha["commissioner"].get_full_name(),
        }
    ]
    listed = client.get(url).json()["results"]
    assert [item["id"] for item in listed] == [data["id"]]
    detail = client.get(
        _url("api-dps-membership", dps_id=alpha["dps"].pk, membership_id=data["id"])
    )
    assert detail.json() == data


def test_applying_twice_or_to_a_closed_dps_is_a_409(dps_world, applied, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    again = _post(
        client,
        _url("api-dps-memberships", dps_id=alpha["dps"].pk),
        {"provider": applied.provider_id, "on": "2024-02-01"},
    )
    assert again.status_code == 409
    assert again.json() == {"detail": f"{applied.provider.name} has already applied to this DPS."}
    closed = _post(
        client,
        _url("api-dps-memberships", dps_id=alpha["closed"].pk),
        {"provider": applied.provider_id, "on": "2024-02-01"},
    )
    assert closed.status_code == 409
    assert closed.json() == {"detail": "This DPS is not open to applications."}
    assert DPSMembership.objects.filter(provider=applied.provider).count() == 1


def test_applying_with_another_councils_provider_or_bad_input_is_a_400(dps_world, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    url = _url("api-dps-memberships", dps_id=alpha["dps"].pk)
    theirs = _post(
        client, url, {"provider": dps_world["bravo"]["providers"][0].pk, "on": "2024-02-01"}
    )
    missing = _post(client, url, {"provider": 99_999, "on": "2024-02-01"})
    assert theirs.status_code == missing.status_code == 400
    assert (
        theirs.json() == missing.json() == {"provider": ["Choose one of the council's providers."]}
    )
    assert MARKER_B not in theirs.content.decode()
    empty = _post(client, url, {})
    assert empty.status_code == 400
    assert set(empty.json()) == {"provider", "on"}
    assert not alpha["dps"].memberships.exists()


def test_the_memberships_list_costs_the_same_queries_for_few_and_many(
    dps_world, client_for, django_assert_num_queries
):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    url = _url("api-dps-memberships", dps_id=alpha["dps"].pk)
    client = client_for(actor)
    client.get(url)  # the session's first request writes it
    approved_membership(actor, alpha["dps"], alpha["providers"][0])
    with django_assert_num_queries(8):
        few = client.get(url)
    for number in range(6):
        approved_membership(actor, alpha["dps"], make_provider(actor, name=f"Extra {number}"))
    with django_assert_num_queries(8):
        many = client.get(url)
    assert len(few.json()["results"]) == 1
    assert len(many.json()["results"]) == 7
    assert all(len(item["history"]) == 3 for item in many.json()["results"])


def test_checks_are_saved_by_post_or_patch_with_only_what_changes(dps_world, applied, client_for):
    client = client_for(dps_world["alpha"]["people"][Role.CONTRACT_MANAGER])
    url = _membership_url(applied, "checks")
    first = _post(client, url, {"check_registration": True, "check_dbs": True})
    assert first.status_code == 200
    assert first.json()["checks"]["check_dbs"] is True
    second = _post(client, url, {"check_dbs": False, "check_insurance": True}, "patch")
    assert second.status_code == 200
    assert second.json()["checks"] == {
        "check_registration": True,
        "check_insurance": True,
        "check_safeguarding_policy": False,
        "check_dbs": False,
        "check_financial_standing": False,
    }
    bad = _post(client, url, {"check_dbs": "perhaps"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"check_dbs"}


def test_every_transition_through_its_action(dps_world, applied, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    _post(client, _membership_url(applied, "checks"), dict.fromkeys(PRE_APPROVAL_CHECKS, True))
    for action, expected in (
        ("start_assessment", "under_assessment"),
        ("approve", "approved"),
        ("suspend", "suspended"),
        ("reinstate", "approved"),
        ("exit", "exited"),
    ):
        response = _post(
            client,
            _membership_url(applied, action.replace("_", "-")),
            {"on": "2024-03-01", "reason": f"Because {action}."},
        )
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == expected
        assert response.json()["history"][-1]["reason"] == f"Because {action}."
    assert len(response.json()["history"]) == 6


@pytest.mark.parametrize(
    ("before", "action", "reason"),
    [
        ([], "approve", "Only a membership under assessment can be moved to approved."),
        ([], "suspend", "Only an approved membership can be moved to suspended."),
        ([], "reinstate", "Only a suspended membership can be reinstated."),
        (
            ["start_assessment"],
            "approve",
            "The pre-approval checks are not complete: Registration with CQC or Ofsted, "
            "Insurance, Safeguarding policy, DBS checks, Financial standing.",
        ),
        (
            ["exit"],
            "start_assessment",
            "Only a membership that has applied can be moved to under assessment.",
        ),
    ],
)
def test_a_forbidden_transition_is_a_409_with_the_reason(
    dps_world, applied, client_for, before, action, reason
):
    client = client_for(dps_world["alpha"]["commissioner"])
    for step in before:
        ok = _post(
            client,
            _membership_url(applied, step.replace("_", "-")),
            {"on": "2024-02-01", "reason": "Step."},
        )
        assert ok.status_code == 200
    status = DPSMembership.objects.get(pk=applied.pk).status
    response = _post(
        client,
        _membership_url(applied, action.replace("_", "-")),
        {"on": "2024-03-01", "reason": "Try."},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": reason}
    assert DPSMembership.objects.get(pk=applied.pk).status == status


def test_a_transition_with_bad_input_is_a_400(dps_world, applied, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    url = _membership_url(applied, "exit")
    empty = _post(client, url, {})
    assert empty.status_code == 400
    assert set(empty.json()) == {"on", "reason"}
    blank = _post(client, url, {"on": "2024-02-01", "reason": "   "})
    assert blank.status_code == 400
    assert set(blank.json()) == {"reason"}
    backdated = _post(client, url, {"on": "2020-01-01", "reason": "Left."})
    assert backdated.status_code == 400
    assert backdated.json() == {"on": ["The date cannot be before the last change."]}
    applied.refresh_from_db()
    assert applied.status == MembershipStatus.APPLIED


def test_another_councils_membership_is_a_404_as_a_missing_one(dps_world, client_for):
    bravo = dps_world["bravo"]
    theirs = approved_membership(bravo["commissioner"], bravo["dps"], bravo["providers"][0])
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    missing_id = theirs.pk + 10_000
    pairs = [(theirs.dps_id, theirs.pk, missing_id), (alpha["dps"].pk, theirs.pk, missing_id)]
    for dps_id, their_id, absent_id in pairs:
        for suffix, method, data in (
            ("", "get", None),
            ("-checks", "patch", {"check_dbs": False}),
            ("-suspend", "post", {"on": "2025-01-01", "reason": "x"}),
        ):
            name = f"api-dps-membership{suffix}"
            other = _post(client, _url(name, dps_id=dps_id, membership_id=their_id), data, method)
            missing = _post(
                client, _url(name, dps_id=dps_id, membership_id=absent_id), data, method
            )
            assert other.status_code == missing.status_code == 404, (name, method)
            assert other.json() == missing.json()
            assert MARKER_B not in other.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == MembershipStatus.APPROVED and theirs.check_dbs


def test_a_membership_of_another_dps_is_not_found_under_this_one(dps_world, applied, client_for):
    alpha = dps_world["alpha"]
    url = _url("api-dps-membership", dps_id=alpha["closed"].pk, membership_id=applied.pk)
    assert client_for(alpha["commissioner"]).get(url).status_code == 404
