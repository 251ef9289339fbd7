"""contracts/{id}/monitoring/: readers list, the lead council's managers record, participants
read only, and another council's contract is not found."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from contracts.models import MonitoringRecord
from contracts.services import monitoring as services
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.conftest import MARKER_B
from tests.per_module import world_per_module
from tests.roles import CONTRACT_MANAGERS, CONTRACT_READERS

ROCC = {
    "kind": "kpi_return",
    "held_on": "2024-10-14",
    "period": "Quarter 2 2024/25",
    "summary": "ROCC sessions well above target.",
    "sessions_delivered": 829,
    "sessions_target": 455,
    "hours_not_delivered": "12.50",
    "reason_not_delivered": "Staff sickness.",
    "provider_response": "Bank staff cover.",
    "sanction_considered": "Withholding payment",
    "sanction_outcome": "Considered and set aside",
}


def _record(actor, contract, **fields) -> MonitoringRecord:
    fields.setdefault("kind", "qa_visit")
    fields.setdefault("held_on", date(2024, 6, 1))
    fields.setdefault("summary", "Visit went well.")
    return services.monitoring_record_create(actor=actor, contract=contract, **fields)


def _url(contract_id: int) -> str:
    return reverse("api-contract-monitoring", args=[contract_id])


def _build_world(two_councils) -> dict:
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    ours = make_contract(alpha, reference="MED-SLA")
    theirs = make_contract(bravo, reference="B-1", title=f"Bravo {MARKER_B}")
    joint = make_contract(
        bravo, reference="J-1", participating_councils=[two_councils["alpha"]["council"]]
    )
    _record(alpha, ours, held_on=date(2024, 6, 1), summary="June visit")
    _record(alpha, ours, held_on=date(2024, 9, 1), summary="September visit")
    _record(bravo, theirs, summary=f"Bravo {MARKER_B} visit")
    _record(bravo, joint, summary="Joint visit")
    return {"alpha": alpha, "ours": ours, "theirs": theirs, "joint": joint}


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def test_the_url():
    assert _url(5) == "/api/v1/contracts/5/monitoring/"


@pytest.mark.parametrize("role", Role.values)
def test_the_list_per_role(world, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).get(_url(world["ours"].pk))
    if role not in CONTRACT_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["summary"] for r in results] == ["September visit", "June visit"]
    assert results[0]["kind"] == "qa_visit"
    assert results[0]["contract"] == world["ours"].pk
    assert MARKER_B not in response.content.decode()


def test_sign_in_is_needed(world, client):
    assert client.get(_url(world["ours"].pk)).status_code == 401
    assert (
        client.post(_url(world["ours"].pk), ROCC, content_type="application/json").status_code
        == 401
    )


@pytest.mark.parametrize("role", sorted(CONTRACT_MANAGERS))
def test_a_manager_records_a_kpi_return(world, two_councils, client_for, role):
    person = two_councils["alpha"]["people"][role]
    response = client_for(person).post(
        _url(world["ours"].pk), ROCC, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["sessions_delivered"] == 829
    assert body["sessions_target"] == 455
    assert body["hours_not_delivered"] == "12.50"
    assert body["sanction_outcome"] == "Considered and set aside"
    assert body["recorded_by"] == person.get_full_name()
    record = MonitoringRecord.objects.get(pk=body["id"])
    assert record.contract == world["ours"]
    assert record.held_on == date(2024, 10, 14)


def test_only_the_required_fields_are_needed(world, client_for):
    response = client_for(world["alpha"]).post(
        _url(world["ours"].pk),
        {"kind": "performance_meeting", "held_on": "2025-01-20", "summary": "Quarterly meeting"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["sessions_delivered"] is None
    assert response.json()["sanction_considered"] == ""


@pytest.mark.parametrize("role", sorted(set(Role.values) - CONTRACT_MANAGERS))
def test_other_roles_cannot_record(world, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).post(
        _url(world["ours"].pk), ROCC, content_type="application/json"
    )
    assert response.status_code == 403
    assert not MonitoringRecord.objects.filter(summary=ROCC["summary"]).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_councils_contract_is_not_found_like_a_missing_one(world, client_for, method):
    client = client_for(world["alpha"])
    call = getattr(client, method)
    theirs = call(_url(world["theirs"].pk), ROCC, content_type="application/json")
    missing = call(_url(world["theirs"].pk + 10_000), ROCC, content_type="application/json")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert MARKER_B not in theirs.content.decode()
    assert not MonitoringRecord.objects.filter(summary=ROCC["summary"]).exists()


def test_a_participating_council_reads_but_cannot_record(world, client_for):
    client = client_for(world["alpha"])
    listed = client.get(_url(world["joint"].pk))
    assert listed.status_code == 200
    assert [r["summary"] for r in listed.json()["results"]] == ["Joint visit"]

    refused = client.post(_url(world["joint"].pk), ROCC, content_type="application/json")
    assert refused.status_code == 404
    assert not world["joint"].monitoring.filter(summary=ROCC["summary"]).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sessions_delivered": -1}, "sessions_delivered"),
        ({"sessions_target": -455}, "sessions_target"),
        ({"sessions_target": 2**31}, "sessions_target"),
        ({"hours_not_delivered": "-2"}, "hours_not_delivered"),
        ({"hours_not_delivered": "12345678.5"}, "hours_not_delivered"),
        ({"kind": "party"}, "kind"),
        ({"held_on": "14/13/2024"}, "held_on"),
        ({"summary": ""}, "summary"),
        ({"period": "x" * 101}, "period"),
    ],
)
def test_bad_input_is_a_400_with_the_field(world, client_for, changes, field):
    response = client_for(world["alpha"]).post(
        _url(world["ours"].pk), {**ROCC, **changes}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert world["ours"].monitoring.count() == 2


def test_the_list_query_count_does_not_grow(world, client_for, django_assert_num_queries):
    client = client_for(world["alpha"])
    url = _url(world["ours"].pk)
    client.get(url)  # the first request starts the session's clock: one write, once
    with django_assert_num_queries(QUERIES):
        assert len(client.get(url).json()["results"]) == 2
    for day in range(1, 21):
        _record(world["alpha"], world["ours"], held_on=date(2023, 1, day))
    with django_assert_num_queries(QUERIES):
        assert len(client.get(url).json()["results"]) == 22


# Session, user, roles, council, the contract, the page of records with who recorded them, and
# the request's savepoint and its release.
QUERIES = 7
