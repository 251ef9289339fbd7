"""Monitoring pages: the lead council's managers record visits, meetings and KPI returns; every
reader of the contract reads them; nobody reaches another council's."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from contracts.models import MonitoringRecord
from contracts.services import monitoring as services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.conftest import MARKER_B
from tests.per_module import world_per_module
from tests.roles import CONTRACT_MANAGERS, CONTRACT_READERS

ROCC = {
    "kind": "kpi_return",
    "held_on_0": "14",
    "held_on_1": "10",
    "held_on_2": "2024",
    "period": "Quarter 2 2024/25",
    "summary": "ROCC sessions well above target.",
    "sessions_delivered": "829",
    "sessions_target": "455",
    "hours_not_delivered": "12.5",
    "reason_not_delivered": "Staff sickness in August.",
    "provider_response": "Cover arranged from the bank staff.",
    "sanction_considered": "Withholding payment",
    "sanction_outcome": "Considered and set aside",
}


def _record(actor, contract, **fields) -> MonitoringRecord:
    fields.setdefault("kind", "qa_visit")
    fields.setdefault("held_on", date(2024, 6, 1))
    fields.setdefault("summary", "Visit went well.")
    return services.monitoring_record_create(actor=actor, contract=contract, **fields)


def _build_world(two_councils) -> dict:
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    ours = make_contract(alpha, reference="MED-SLA", title="ROCC service level agreement")
    theirs = make_contract(bravo, reference="B-1", title=f"Bravo {MARKER_B} contract")
    joint = make_contract(
        bravo,
        reference="JOINT-1",
        title="Joint commission",
        participating_councils=[two_councils["alpha"]["council"]],
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "joint": joint,
        "our_record": _record(alpha, ours),
        "their_record": _record(bravo, theirs, summary=f"Bravo {MARKER_B} visit"),
        "joint_record": _record(bravo, joint, summary="Joint visit"),
    }


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def _comparable(response, pk) -> str:
    """The page with the id asked for taken out: "not yours" and "not there" must be alike."""
    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def _create_url(contract) -> str:
    return reverse("contracts:monitoring-create", args=[contract.pk])


def _detail_url(record) -> str:
    return reverse("contracts:monitoring", args=[record.contract_id, record.pk])


def test_urls():
    assert reverse("contracts:monitoring-create", args=[7]) == "/contracts/7/monitoring/new/"
    assert reverse("contracts:monitoring", args=[7, 9]) == "/contracts/7/monitoring/9/"


@pytest.mark.parametrize("role", sorted(CONTRACT_MANAGERS))
def test_a_manager_records_a_kpi_return(world, two_councils, client_for, role):
    person = two_councils["alpha"]["people"][role]
    client = client_for(person)
    page = client.get(_create_url(world["ours"]))
    assert page.status_code == 200
    assert "Record monitoring" in page.content.decode()

    response = client.post(_create_url(world["ours"]), ROCC, follow=True)

    record = MonitoringRecord.objects.get(summary=ROCC["summary"])
    assert response.redirect_chain[-1][0] == _detail_url(record)
    assert (record.sessions_delivered, record.sessions_target) == (829, 455)
    assert record.held_on == date(2024, 10, 14)
    assert record.recorded_by == person
    assert record.council == two_councils["alpha"]["council"]
    html = response.content.decode()
    assert "KPI return recorded" in html
    assert "829 against a target of 455" in html
    assert "Withholding payment" in html
    assert "Considered and set aside" in html
    assert "Staff sickness in August." in html
    # The contract's timeline says so.
    assert world["ours"].events.filter(kind="monitoring").count() == 2


@pytest.mark.parametrize("role", sorted(set(Role.values) - CONTRACT_MANAGERS))
def test_other_roles_cannot_record(world, two_councils, client_for, role):
    client = client_for(two_councils["alpha"]["people"][role])
    assert client.get(_create_url(world["ours"])).status_code == 403
    assert client.post(_create_url(world["ours"]), ROCC).status_code == 403
    assert not MonitoringRecord.objects.filter(summary=ROCC["summary"]).exists()


def test_sign_in_is_needed(world, client):
    response = client.get(_create_url(world["ours"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_another_councils_contract_is_not_found_like_a_missing_one(world, two_councils, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.COMMISSIONER])
    their_pk = world["theirs"].pk
    theirs = client.post(f"/contracts/{their_pk}/monitoring/new/", ROCC)
    missing = client.post(f"/contracts/{their_pk + 10_000}/monitoring/new/", ROCC)
    assert theirs.status_code == missing.status_code == 404
    assert _comparable(theirs, their_pk) == _comparable(missing, their_pk + 10_000)
    assert MARKER_B not in theirs.content.decode()
    assert not MonitoringRecord.objects.filter(summary=ROCC["summary"]).exists()


def test_another_councils_record_is_not_found(world, two_councils, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    their_record = world["their_record"]
    response = client.get(_detail_url(their_record))
    assert response.status_code == 404
    assert MARKER_B not in response.content.decode()
    # Nor through one of our contracts' addresses.
    sneaky = reverse("contracts:monitoring", args=[world["ours"].pk, their_record.pk])
    assert client.get(sneaky).status_code == 404


def test_a_participating_council_reads_but_cannot_record(world, two_councils, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.COMMISSIONER])
    assert client.get(_create_url(world["joint"])).status_code == 404
    assert client.post(_create_url(world["joint"]), ROCC).status_code == 404
    assert not world["joint"].monitoring.filter(summary=ROCC["summary"]).exists()

    page = client.get(_detail_url(world["joint_record"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Joint visit" in html
    assert "Record more monitoring" not in html


@pytest.mark.parametrize("role", Role.values)
def test_the_record_page_per_role(world, two_councils, client_for, role):
    person = two_councils["alpha"]["people"][role]
    response = client_for(person).get(_detail_url(world["our_record"]))
    if role not in CONTRACT_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quality assurance visit on 1 June 2024" in html
    assert ("Record more monitoring" in html) == (role in CONTRACT_MANAGERS)
    assert MARKER_B not in html


def test_reading_a_record_is_logged(world, two_councils, client_for):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client_for(auditor).get(_detail_url(world["our_record"]))
    entry = AccessLogEntry.objects.get(
        user=auditor, object_type="contracts.monitoringrecord", action="view"
    )
    assert entry.object_id == str(world["our_record"].pk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sessions_delivered": "-3"}, "The sessions delivered must be 0 or more"),
        ({"sessions_target": "lots"}, "Enter the sessions target as a whole number"),
        ({"hours_not_delivered": "-1"}, "The hours not delivered must be 0 or more"),
        ({"summary": ""}, "Enter a summary of what was found"),
        ({"kind": "party"}, "Select a valid choice"),
        ({"kind": ""}, "Choose a visit, a meeting or a KPI return"),
        ({"held_on_0": "31", "held_on_1": "2"}, "The date it took place must be a real date"),
        ({"held_on_0": "", "held_on_1": "", "held_on_2": ""}, "Enter the date it took place"),
        ({"period": "x" * 101}, "The period must be 100 characters or fewer"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_saved(world, two_councils, client_for, changes, message):
    client = client_for(two_councils["alpha"]["people"][Role.CONTRACT_MANAGER])
    response = client.post(_create_url(world["ours"]), {**ROCC, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert world["ours"].monitoring.count() == 1


# ---------------------------------------------------------------------------------------------
# The section the contract page includes.


def _section(user, contract, *, is_lead: bool) -> str:
    return render_to_string(
        "contracts/monitoring/_section.html",
        {
            "user": user,
            "contract": contract,
            "is_lead": is_lead,
            "monitoring": list(contract.monitoring.order_by("-held_on", "-id")),
        },
    )


def test_the_section_lists_records_newest_first(world, two_councils):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    _record(
        commissioner,
        world["ours"],
        kind="kpi_return",
        held_on=date(2024, 10, 14),
        sessions_delivered=829,
        sessions_target=455,
        sanction_considered="Withholding payment",
        sanction_outcome="Set aside",
    )
    html = _section(commissioner, world["ours"], is_lead=True)
    assert html.index("14 October 2024") < html.index("1 June 2024")
    assert "829 against 455" in html
    assert "Withholding payment: Set aside" in html
    assert "<caption" in html
    assert 'scope="col"' in html
    assert _create_url(world["ours"]) in html


def test_the_section_offers_recording_only_to_the_lead_councils_managers(world, two_councils):
    people = two_councils["alpha"]["people"]
    assert _create_url(world["ours"]) not in _section(
        people[Role.AUDITOR], world["ours"], is_lead=True
    )
    assert _create_url(world["joint"]) not in _section(
        people[Role.COMMISSIONER], world["joint"], is_lead=False
    )


def test_the_section_says_when_there_is_nothing(two_councils):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner, reference="EMPTY")
    assert "No monitoring has been recorded." in _section(commissioner, contract, is_lead=True)
