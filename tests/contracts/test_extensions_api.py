"""The extensions API: per role, across councils, bad input, forbidden transitions, query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from contracts.models import ContractStatus, Extension, ExtensionStatus
from shortbreaks.accesslog.models import AccessLogEntry
from tests.builders import make_contract
from tests.conftest import MARKER_B
from tests.contracts.test_extensions_services import (
    approve,
    decide,
    draft_extension,
    submitted_extension,
)
from tests.per_module import world_per_module
from tests.roles import CONTRACT_MANAGERS, CONTRACT_READERS

CREATE = {
    "new_end_date": "2028-03-31",
    "added_value": "420000.00",
    "rationale": "Time to recommission with families.",
    "legal_basis": "pcr_modification",
}
APPROVAL = {
    "role": "finance",
    "name": "Jo Finance",
    "decision": "approve",
    "decided_on": "2025-03-01",
    "comment": "Within budget.",
}
DECISION = {
    "decision": "approve",
    "decision_maker": "Cabinet member children and families",
    "decided_on": "2022-03-16",
    "key_decision": False,
}


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


def _build_contract(two_councils) -> dict:
    return {"contract": make_contract(two_councils["alpha"]["people"]["commissioner"])}


_world_built, world = world_per_module(_build_contract)


@pytest.fixture
def contract(world):
    """Alpha's contract, built once for the module; each test rolls back its own writes."""
    return world["contract"]


@pytest.fixture
def api(client_for):
    def make(user) -> Client:
        return client_for(user)

    return make


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def list_url(contract) -> str:
    return reverse("api-contract-extensions", args=[contract.pk])


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize(
    "role",
    ["commissioner", "contract_manager", "finance_officer", "auditor", "team_manager",
     "council_admin", "social_worker"],
)  # fmt: skip
def test_reading_per_role(alpha, api, contract, role):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "finance")
    client = api(alpha[role])
    urls = [
        list_url(contract),
        reverse("api-extension", args=[extension.pk]),
        reverse("api-extension-approvals", args=[extension.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (200 if role in CONTRACT_READERS else 403), (url, role)
    if role in CONTRACT_READERS:
        body = client.get(reverse("api-extension", args=[extension.pk])).json()
        assert body["status"] == "submitted"
        assert body["contract"] == contract.pk
        assert body["added_value"] == "420000.00"
        assert body["approvals"][0]["name"] == "Finance officer"
        assert body["blockers"] == ["Legal has not approved", "Procurement has not approved"]
        assert AccessLogEntry.objects.filter(
            object_type="contracts.extension", object_id=str(extension.pk), action="view"
        ).exists()


def test_signed_out_callers_get_401(contract):
    client = Client()
    assert client.get(list_url(contract)).status_code == 401
    assert post(client, list_url(contract), CREATE).status_code == 401


@pytest.mark.parametrize(
    ("name", "methods"),
    [
        ("api-extension", ["get"]),
        ("api-extension-approvals", ["get", "post"]),
        ("api-extension-submit", ["post"]),
        ("api-extension-decide", ["post"]),
    ],
)
def test_another_councils_extension_is_the_same_404_as_a_missing_one(
    two_councils, api, name, methods
):
    bravo = two_councils["bravo"]["people"]
    theirs = make_contract(bravo["commissioner"], title=f"Contract {MARKER_B}")
    extension = draft_extension(bravo["commissioner"], theirs, rationale=MARKER_B)
    client = api(two_councils["alpha"]["people"]["commissioner"])
    for method in methods:
        call = getattr(client, method)
        other = call(reverse(name, args=[extension.pk]), content_type="application/json")
        missing = call(reverse(name, args=[extension.pk + 1000]), content_type="application/json")
        assert other.status_code == missing.status_code == 404, (name, method)
        assert other.json() == missing.json()
        assert MARKER_B not in other.content.decode()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.DRAFT


def test_another_councils_contract_is_the_same_404_as_a_missing_one(two_councils, api):
    theirs = make_contract(two_councils["bravo"]["people"]["commissioner"])
    client = api(two_councils["alpha"]["people"]["commissioner"])
    for call in (client.get, lambda url: post(client, url, CREATE)):
        other = call(list_url(theirs))
        missing = call(reverse("api-contract-extensions", args=[theirs.pk + 1000]))
        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json()
    assert not Extension.objects.exists()


def test_a_participating_council_reads_but_cannot_change(two_councils, api):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    joint = make_contract(
        alpha["commissioner"], participating_councils=[two_councils["bravo"]["council"]]
    )
    extension = submitted_extension(alpha["commissioner"], joint)
    client = api(bravo["commissioner"])
    assert client.get(list_url(joint)).json()["results"][0]["id"] == extension.pk
    assert client.get(reverse("api-extension", args=[extension.pk])).status_code == 200
    attempts = [
        (list_url(joint), {**CREATE, "new_end_date": "2028-06-30"}),
        (reverse("api-extension-approvals", args=[extension.pk]), APPROVAL),
        (reverse("api-extension-submit", args=[extension.pk]), {}),
        (reverse("api-extension-decide", args=[extension.pk]), DECISION),
    ]
    for url, data in attempts:
        assert post(client, url, data).status_code == 404, url
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED
    assert not extension.approvals.exists()


# ---------------------------------------------------------------------------------------------
# Drafting


def test_creating_a_draft(alpha, api, contract):
    response = post(
        api(alpha["contract_manager"]), list_url(contract), {**CREATE, "risks": "Few bidders"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["new_end_date"] == "2028-03-31"
    assert body["risks"] == "Few bidders"
    assert body["alternatives_considered"] == ""
    assert body["approvals"] == []
    extension = Extension.objects.get(pk=body["id"])
    assert extension.requested_by == alpha["contract_manager"]


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "finance_officer", "auditor", "council_admin"]
)
def test_other_roles_cannot_create_one(alpha, api, contract, role):
    assert post(api(alpha[role]), list_url(contract), CREATE).status_code == 403
    assert not Extension.objects.exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"new_end_date", "added_value", "rationale", "legal_basis"}),
        ({**CREATE, "added_value": "-5"}, {"added_value"}),
        ({**CREATE, "added_value": "lots"}, {"added_value"}),
        ({**CREATE, "legal_basis": "handshake"}, {"legal_basis"}),
        ({**CREATE, "new_end_date": "31/13/2028"}, {"new_end_date"}),
        ({**CREATE, "new_end_date": "2026-03-31"}, {"new_end_date"}),  # before the current end
        ({**CREATE, "new_end_date": "2030-03-31"}, {"new_end_date"}),  # after the maximum extent
        ({**CREATE, "rationale": "   "}, {"rationale"}),
    ],
)
def test_bad_input_is_a_400_with_field_messages(alpha, api, contract, data, fields):
    response = post(api(alpha["commissioner"]), list_url(contract), data)
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Extension.objects.exists()


def test_a_second_extension_under_way_is_a_409(alpha, api, contract):
    draft_extension(alpha["commissioner"], contract)
    response = post(api(alpha["commissioner"]), list_url(contract), CREATE)
    assert response.status_code == 409
    assert response.json() == {"detail": "An extension of this contract is already under way."}


def test_a_draft_contract_cannot_be_extended(alpha, api):
    draft = make_contract(alpha["commissioner"], active=False)
    response = post(api(alpha["commissioner"]), list_url(draft), CREATE)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only an active, extended or expired contract can be extended."
    )


# ---------------------------------------------------------------------------------------------
# Submitting, approvals, the decision


def test_the_whole_flow_through_the_api(alpha, api, contract):
    client = api(alpha["commissioner"])
    extension_id = post(client, list_url(contract), CREATE).json()["id"]
    approvals_url = reverse("api-extension-approvals", args=[extension_id])
    submit_url = reverse("api-extension-submit", args=[extension_id])
    decide_url = reverse("api-extension-decide", args=[extension_id])

    early = post(client, approvals_url, APPROVAL)
    assert early.status_code == 409
    assert early.json()["detail"] == "Approvals are recorded once the extension is submitted."

    submitted = post(client, submit_url)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    again = post(client, submit_url)
    assert again.status_code == 409
    assert "only a draft can be submitted" in again.json()["detail"]

    blocked = post(client, decide_url, DECISION)
    assert blocked.status_code == 409
    assert blocked.json()["detail"].startswith("The extension cannot be approved yet:")

    for role in ("finance", "legal", "procurement"):
        response = post(client, approvals_url, {**APPROVAL, "role": role})
        assert response.status_code == 201
        assert response.json()["role"] == role
    listed = client.get(approvals_url).json()["results"]
    assert [a["role"] for a in listed] == ["finance", "legal", "procurement"]

    decided = post(client, decide_url, DECISION)
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "approved"
    assert body["decision_maker"] == "Cabinet member children and families"
    assert body["previous_end_date"] == "2027-03-31"
    assert body["previous_total_value"] == "750000.00"
    assert body["blockers"] == []
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 3, 31)
    assert contract.total_value == Decimal("1170000.00")
    assert contract.status == ContractStatus.EXTENDED

    twice = post(client, decide_url, {**DECISION, "decision": "refuse"})
    assert twice.status_code == 409
    assert "only a submitted extension can be decided" in twice.json()["detail"]
    contract.refresh_from_db()
    assert contract.total_value == Decimal("1170000.00")


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"role", "name", "decision", "decided_on"}),
        ({**APPROVAL, "role": "chair"}, {"role"}),
        ({**APPROVAL, "decision": "maybe"}, {"decision"}),
        ({**APPROVAL, "name": " "}, {"name"}),
    ],
)
def test_bad_approvals_are_a_400(alpha, api, contract, data, fields):
    extension = submitted_extension(alpha["commissioner"], contract)
    response = post(
        api(alpha["commissioner"]), reverse("api-extension-approvals", args=[extension.pk]), data
    )
    assert response.status_code == 400
    assert set(response.json()) == fields


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS - CONTRACT_MANAGERS) + ["social_worker"])
def test_only_managers_record_approvals_and_submit(alpha, api, contract, role):
    extension = draft_extension(alpha["commissioner"], contract)
    client = api(alpha[role])
    assert post(client, reverse("api-extension-submit", args=[extension.pk])).status_code == 403
    url = reverse("api-extension-approvals", args=[extension.pk])
    assert post(client, url, APPROVAL).status_code == 403


@pytest.mark.parametrize(
    "role",
    ["contract_manager", "finance_officer", "auditor", "team_manager", "council_admin",
     "social_worker"],
)  # fmt: skip
def test_only_commissioners_decide(alpha, api, contract, role):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "finance", "legal", "procurement")
    response = post(
        api(alpha[role]), reverse("api-extension-decide", args=[extension.pk]), DECISION
    )
    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED


def test_bad_decisions_are_a_400(alpha, api, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    url = reverse("api-extension-decide", args=[extension.pk])
    response = post(api(alpha["commissioner"]), url, {"decision": "perhaps", "decided_on": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"decision", "decision_maker", "decided_on"}


def test_shropshire_through_the_api(alpha, api, contract):
    extension = submitted_extension(alpha["commissioner"], contract, legal_basis="cpr_exemption")
    approve(alpha["commissioner"], extension, "finance", "procurement")
    approve(alpha["commissioner"], extension, "legal", decision="refuse")
    client = api(alpha["commissioner"])
    url = reverse("api-extension-decide", args=[extension.pk])
    emt = {**DECISION, "decision_maker": "Executive Management Team", "decided_on": "2025-03-04"}

    refused = post(client, url, emt)
    assert refused.status_code == 409
    assert "Legal has not approved (refused)" in refused.json()["detail"]
    no_note = post(client, url, {**emt, "decided_despite_refusal": True})
    assert no_note.status_code == 400
    assert set(no_note.json()) == {"note"}
    agreed = post(
        client,
        url,
        {**emt, "decided_despite_refusal": True, "note": "No other provider at this notice."},
    )
    assert agreed.status_code == 200
    assert agreed.json()["decided_despite_refusal"] is True
    assert agreed.json()["status"] == "approved"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXTENDED


# ---------------------------------------------------------------------------------------------
# Query counts


def _history(actor, contract, count: int):
    for i in range(count):
        extension = submitted_extension(
            actor, contract, new_end_date=date(2027, 4, 30 - i), added_value=Decimal(i)
        )
        approve(actor, extension, "finance", "legal", "procurement")
        decide(actor, extension, decision="refuse")
    return draft_extension(actor, contract, new_end_date=date(2028, 1, 31))


@pytest.mark.parametrize("count", [1, 8])
def test_the_extension_list_query_count_is_pinned(
    alpha, api, contract, count, django_assert_num_queries
):
    _history(alpha["commissioner"], contract, count)
    client = api(alpha["auditor"])
    # Session, person and their council (5 with a savepoint), the contract, the extensions,
    # their approvals, then the session's last-seen time (3 with its savepoint).
    with django_assert_num_queries(11):
        response = client.get(list_url(contract))
    results = response.json()["results"]
    assert len(results) == count + 1
    assert [r["status"] for r in results] == ["refused"] * count + ["draft"]
    assert all(len(r["approvals"]) == 3 for r in results[:-1])


@pytest.mark.parametrize("count", [1, 3])
def test_the_approval_list_query_count_is_pinned(
    alpha, api, contract, count, django_assert_num_queries
):
    extension = submitted_extension(alpha["commissioner"], contract)
    for _ in range(count):
        approve(alpha["commissioner"], extension, "finance", "legal", "procurement")
    client = api(alpha["auditor"])
    url = reverse("api-extension-approvals", args=[extension.pk])
    # Session, person and their council (5), the extension, the approvals, session time (3).
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.json()["results"]) == 3 * count
