"""Audit reads are scoped to the actor's council; overdue means past review and not complete."""

from __future__ import annotations

from datetime import date

import pytest

from audits import selectors, services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from tests.audits.builders import build_world, make_recommendation
from tests.per_module import world_per_module

# Built once for the module (its uploaded form kept in a media directory of its own); each
# test rolls back its own writes.
_world_built, world = world_per_module(build_world, media=True)


def test_lists_hold_only_the_councils_own(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    assert list(selectors.audit_report_list(actor=auditor)) == [world["alpha"]["report"]]
    assert list(selectors.recommendation_list(actor=auditor)) == [world["alpha"]["recommendation"]]
    for kind in ("contract", "extension", "monitoring", "referral_document"):
        assert selectors.evidence_choices(actor=auditor, kind=kind) == [
            world["alpha"]["records"][kind]
        ]
    owners = set(selectors.owner_choices(actor=auditor))
    staff = {person for role, person in world["alpha"]["people"].items() if role != Role.PROVIDER}
    assert owners == staff


def test_another_councils_ids_are_not_found(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    with pytest.raises(RecordNotFound):
        selectors.access_audit_report_by_id(actor=auditor, report_id=world["bravo"]["report"].pk)
    with pytest.raises(RecordNotFound):
        selectors.access_recommendation_by_id(
            actor=auditor, recommendation_id=world["bravo"]["recommendation"].pk
        )
    with pytest.raises(RecordNotFound):
        selectors.access_owner_by_id(
            actor=auditor, user_id=world["bravo"]["people"][Role.AUDITOR].pk
        )


def test_referral_documents_are_offered_only_to_readers_of_childrens_records(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    assert selectors.evidence_choices(actor=commissioner, kind="referral_document") == []


def test_overdue_is_past_the_review_date_and_not_complete(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    report = world["alpha"]["report"]
    due = world["alpha"]["recommendation"]  # review date 9 June 2025
    later = make_recommendation(auditor, report, review_date=date(2025, 12, 1))
    undated = make_recommendation(auditor, report, review_date=None)
    done = make_recommendation(auditor, report, review_date=date(2025, 1, 1))
    services.recommendation_change_status(
        actor=auditor, recommendation=done, status="complete", note="Done.", on=date(2025, 1, 2)
    )
    today = date(2025, 7, 1)
    rows = {r.pk: r.overdue for r in selectors.recommendation_list(actor=auditor, today=today)}
    assert rows == {due.pk: True, later.pk: False, undated.pk: False, done.pk: False}
    [counted] = selectors.audit_report_list(actor=auditor, today=today)
    assert (counted.recommendation_count, counted.outstanding_count, counted.overdue_count) == (
        4,
        3,
        1,
    )
    assert [
        r.pk for r in selectors.recommendation_list(actor=auditor, overdue=True, today=today)
    ] == [due.pk]


def test_filters(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    report = world["alpha"]["report"]
    significant = make_recommendation(auditor, report, priority="significant")
    assert list(selectors.recommendation_list(actor=auditor, priority="significant")) == [
        significant
    ]
    assert list(selectors.recommendation_list(actor=auditor, status="complete")) == []
    assert (
        list(selectors.recommendation_list(actor=auditor, report_id=world["bravo"]["report"].pk))
        == []
    )
