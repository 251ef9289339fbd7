"""Audit services: reports and recommendations recorded by auditors; status changes and
management actions writing the history; evidence links refused across councils."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audits import services
from audits.models import EventKind, EvidenceLink, RecommendationEvent
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.audits.builders import build_world, make_recommendation, make_report
from tests.clock import frozen_today  # noqa: F401
from tests.per_module import world_per_module

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

KINDS = ["contract", "extension", "monitoring", "referral_document"]


# Built once for the module (its uploaded form kept in a media directory of its own); each
# test rolls back its own writes.
_world_built, world = world_per_module(build_world, media=True)


def _events(recommendation):
    return list(RecommendationEvent.objects.filter(recommendation=recommendation))


# ----------------------------------------------------------------------------------------------
# Reports and recommendations


def test_an_auditor_records_a_report_and_its_follow_up(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    first = world["alpha"]["report"]
    later = make_report(
        auditor, title="Follow-up", report_date=date(2025, 5, 30), follow_up_of=first
    )
    assert later.follow_up_of == first
    assert later.council == auditor.active_council


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"auditor": ""}, "auditor"),
        ({"rating": "excellent"}, "rating"),
        ({"period_end": date(2023, 1, 1)}, "period_end"),
    ],
    ids=["blank-title", "blank-auditor", "unknown-rating", "period-backwards"],
)
def test_a_report_with_bad_input_is_refused_with_field_messages(world, fields, field):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    with pytest.raises(ValidationError) as error:
        make_report(auditor, **fields)
    assert field in error.value.message_dict


def test_a_follow_up_of_another_councils_report_is_refused(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    with pytest.raises(ValidationError) as error:
        make_report(auditor, follow_up_of=world["bravo"]["report"], report_date=date(2025, 1, 1))
    assert "follow_up_of" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.CONTRACT_MANAGER, Role.SOCIAL_WORKER])
def test_only_auditors_record_reports_and_recommendations(world, role):
    person = world["alpha"]["people"][role]
    with pytest.raises(PermissionDenied):
        make_report(person)
    with pytest.raises(PermissionDenied):
        make_recommendation(person, world["alpha"]["report"])


def test_a_recommendation_starts_open_with_a_recorded_event(world):
    recommendation = world["alpha"]["recommendation"]
    assert recommendation.status == "open"
    [event] = _events(recommendation)
    assert event.kind == EventKind.RECORDED
    assert event.on == world["alpha"]["report"].report_date


def test_a_recommendation_number_is_unique_in_its_report(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    with pytest.raises(ValidationError) as error:
        make_recommendation(auditor, world["alpha"]["report"], reference="1")
    assert "reference" in error.value.message_dict


def test_a_recommendation_on_another_councils_report_is_not_found(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    with pytest.raises(RecordNotFound):
        make_recommendation(auditor, world["bravo"]["report"])


def test_an_owner_must_work_for_the_council(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    stranger = world["bravo"]["people"][Role.COMMISSIONER]
    with pytest.raises(ValidationError) as error:
        make_recommendation(auditor, world["alpha"]["report"], owner=stranger)
    assert "owner" in error.value.message_dict


# ----------------------------------------------------------------------------------------------
# Status changes


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMISSIONER, Role.CONTRACT_MANAGER])
def test_status_changes_write_the_history(world, role):
    person = world["alpha"]["people"][role]
    recommendation = world["alpha"]["recommendation"]
    services.recommendation_change_status(
        actor=person,
        recommendation=recommendation,
        status="in_progress",
        on=date(2025, 3, 4),
        note="EMT agreed the extension.",
    )
    services.recommendation_change_status(
        actor=person, recommendation=recommendation, status="complete", note="Done."
    )
    recommendation.refresh_from_db()
    assert recommendation.status == "complete"
    assert recommendation.status_date == timezone.localdate()
    moves = [(e.from_status, e.to_status, e.actor, e.note) for e in _events(recommendation)[1:]]
    assert moves == [
        ("open", "in_progress", person, "EMT agreed the extension."),
        ("in_progress", "complete", person, "Done."),
    ]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.TEAM_MANAGER])
def test_other_roles_cannot_change_status(world, role):
    with pytest.raises(PermissionDenied):
        services.recommendation_change_status(
            actor=world["alpha"]["people"][role],
            recommendation=world["alpha"]["recommendation"],
            status="complete",
            note="Done.",
        )


def test_the_same_status_again_is_a_refused_transition(world):
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_change_status(
            actor=world["alpha"]["people"][Role.AUDITOR],
            recommendation=world["alpha"]["recommendation"],
            status="open",
            note="Still open.",
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "closed", "note": "x"}, "status"),
        ({"status": "complete", "note": "  "}, "note"),
        ({"status": "complete", "note": "x", "on": date(2024, 1, 1)}, "on"),
        ({"status": "complete", "note": "x", "on": timezone.localdate() + timedelta(days=2)}, "on"),
    ],
    ids=["unknown-status", "no-note", "before-last-change", "future"],
)
def test_bad_status_changes_change_nothing(world, kwargs, field):
    recommendation = world["alpha"]["recommendation"]
    with pytest.raises(ValidationError) as error:
        services.recommendation_change_status(
            actor=world["alpha"]["people"][Role.AUDITOR], recommendation=recommendation, **kwargs
        )
    assert field in error.value.message_dict
    recommendation.refresh_from_db()
    assert recommendation.status == "open"
    assert len(_events(recommendation)) == 1


def test_another_councils_recommendation_is_not_found_for_a_status_change(world):
    with pytest.raises(RecordNotFound):
        services.recommendation_change_status(
            actor=world["alpha"]["people"][Role.AUDITOR],
            recommendation=world["bravo"]["recommendation"],
            status="complete",
            note="x",
        )


# ----------------------------------------------------------------------------------------------
# Management action


def test_the_owner_updates_the_management_action_with_a_history_line(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    recommendation = services.recommendation_update_action(
        actor=commissioner,
        recommendation=world["alpha"]["recommendation"],
        management_action="Contract manager in post since January 2025.",
        owner=commissioner,
    )
    assert recommendation.owner == commissioner
    event = _events(recommendation)[-1]
    assert event.kind == EventKind.ACTION
    assert "Contract manager in post" in event.note


def test_an_unchanged_action_writes_nothing(world):
    recommendation = world["alpha"]["recommendation"]
    services.recommendation_update_action(
        actor=world["alpha"]["people"][Role.COMMISSIONER],
        recommendation=recommendation,
        management_action=recommendation.management_action,
    )
    assert len(_events(recommendation)) == 1


def test_only_auditors_move_the_review_date(world):
    recommendation = world["alpha"]["recommendation"]
    with pytest.raises(PermissionDenied):
        services.recommendation_update_action(
            actor=world["alpha"]["people"][Role.COMMISSIONER],
            recommendation=recommendation,
            review_date=date(2030, 1, 1),
        )
    services.recommendation_update_action(
        actor=world["alpha"]["people"][Role.AUDITOR],
        recommendation=recommendation,
        review_date=date(2030, 1, 1),
    )
    recommendation.refresh_from_db()
    assert recommendation.review_date == date(2030, 1, 1)
    assert _events(recommendation)[-1].kind == EventKind.DETAILS


# ----------------------------------------------------------------------------------------------
# Evidence links


@pytest.mark.parametrize("kind", KINDS)
def test_an_auditor_links_each_kind_of_the_councils_records(world, kind):
    recommendation = world["alpha"]["recommendation"]
    record = world["alpha"]["records"][kind]
    link = services.evidence_link_add(
        actor=world["alpha"]["people"][Role.AUDITOR],
        recommendation=recommendation,
        kind=kind,
        record_id=record.pk,
        note="It shows the action.",
    )
    assert link.record == record
    event = _events(recommendation)[-1]
    assert event.kind == EventKind.EVIDENCE_ADDED


@pytest.mark.parametrize("kind", KINDS)
def test_another_councils_record_is_refused_as_a_missing_one(world, kind):
    recommendation = world["alpha"]["recommendation"]
    auditor = world["alpha"]["people"][Role.AUDITOR]
    theirs = world["bravo"]["records"][kind]
    with pytest.raises(ValidationError) as other:
        services.evidence_link_add(
            actor=auditor, recommendation=recommendation, kind=kind, record_id=theirs.pk
        )
    with pytest.raises(ValidationError) as missing:
        services.evidence_link_add(
            actor=auditor, recommendation=recommendation, kind=kind, record_id=theirs.pk + 10_000
        )
    assert other.value.message_dict == missing.value.message_dict
    assert "record" in other.value.message_dict
    assert not EvidenceLink.objects.exists()
    assert len(_events(recommendation)) == 1


def test_evidence_on_another_councils_recommendation_is_not_found(world):
    with pytest.raises(RecordNotFound):
        services.evidence_link_add(
            actor=world["alpha"]["people"][Role.AUDITOR],
            recommendation=world["bravo"]["recommendation"],
            kind="contract",
            record_id=world["bravo"]["contract"].pk,
        )


def test_the_same_record_twice_is_refused(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    recommendation = world["alpha"]["recommendation"]
    contract = world["alpha"]["contract"]
    services.evidence_link_add(
        actor=auditor, recommendation=recommendation, kind="contract", record_id=contract.pk
    )
    with pytest.raises(ValidationError) as error:
        services.evidence_link_add(
            actor=auditor, recommendation=recommendation, kind="contract", record_id=contract.pk
        )
    assert "record" in error.value.message_dict


def test_a_commissioner_links_contracts_but_not_a_childs_documents(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    recommendation = world["alpha"]["recommendation"]
    services.evidence_link_add(
        actor=commissioner,
        recommendation=recommendation,
        kind="monitoring",
        record_id=world["alpha"]["monitoring"].pk,
    )
    with pytest.raises(PermissionDenied):
        services.evidence_link_add(
            actor=commissioner,
            recommendation=recommendation,
            kind="referral_document",
            record_id=world["alpha"]["document"].pk,
        )


def test_removing_evidence_keeps_it_in_the_history(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    recommendation = world["alpha"]["recommendation"]
    link = services.evidence_link_add(
        actor=auditor,
        recommendation=recommendation,
        kind="extension",
        record_id=world["alpha"]["extension"].pk,
    )
    services.evidence_link_remove(actor=world["alpha"]["people"][Role.CONTRACT_MANAGER], link=link)
    assert not EvidenceLink.objects.exists()
    event = _events(recommendation)[-1]
    assert event.kind == EventKind.EVIDENCE_REMOVED
    assert world["alpha"]["contract"].reference in event.note


def test_a_referral_documents_label_never_names_the_child_or_the_file(world):
    document = world["alpha"]["document"]
    label = services.evidence_label("referral_document", document)
    assert "ChildMARKER" not in label
    assert "form-" not in label
    assert "Form " not in label


def test_an_evidenced_record_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    contract = world["alpha"]["contract"]
    services.evidence_link_add(
        actor=world["alpha"]["people"][Role.AUDITOR],
        recommendation=world["alpha"]["recommendation"],
        kind="contract",
        record_id=contract.pk,
    )
    with pytest.raises(ProtectedError):
        contract.delete()
