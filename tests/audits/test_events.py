"""A recommendation's history events are typed (docs/decisions/0026): each kind is written by its
own function in `audits/events.py`, keeps what happened as parameters, and shows the sentence its
kind declares; a row written before kinds were typed shows the text it kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audits import services
from audits.models import EventKind, RecommendationEvent
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.audits.builders import build_world
from tests.clock import frozen_today  # noqa: F401
from tests.per_module import world_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


# Built once for the module (its uploaded form kept in a media directory of its own); each
# test rolls back its own writes.
_world_built, world = world_per_module(build_world, media=True)


def _history(recommendation) -> list[RecommendationEvent]:
    with rls.council_scope(recommendation.council):
        return list(RecommendationEvent.objects.filter(recommendation=recommendation))


def test_each_kind_keeps_its_parameters_and_shows_its_sentence(world):
    alpha = world["alpha"]
    auditor = alpha["people"][Role.AUDITOR]
    recommendation = alpha["recommendation"]
    services.recommendation_change_status(
        actor=auditor,
        recommendation=recommendation,
        status="in_progress",
        on=date(2025, 3, 4),
        note="Started.",
    )
    services.recommendation_update_action(
        actor=auditor, recommendation=recommendation, management_action="Monthly meetings."
    )
    services.recommendation_update_action(
        actor=auditor, recommendation=recommendation, review_date=date(2026, 9, 30)
    )
    link = services.evidence_link_add(
        actor=auditor,
        recommendation=recommendation,
        kind="contract",
        record_id=alpha["contract"].pk,
        note="Recommissioned.",
    )
    services.evidence_link_remove(actor=auditor, link=link)
    events = _history(recommendation)
    assert [e.kind for e in events] == [
        EventKind.RECORDED,
        EventKind.STATUS,
        EventKind.ACTION,
        EventKind.DETAILS,
        EventKind.EVIDENCE_ADDED,
        EventKind.EVIDENCE_REMOVED,
    ]
    recorded, status, action, details, added, removed = events
    assert recorded.params == {"report": alpha["report"].title, "report_id": alpha["report"].pk}
    assert status.params == {"from": "Open", "to": "in progress"}
    assert status.summary == "Open to in progress"
    assert (status.from_status, status.to_status, status.note) == (
        "open",
        "in_progress",
        "Started.",
    )
    assert action.params == {"fields": ["management_action"]}
    assert details.params == {"fields": ["review_date"]}
    for event in (added, removed):
        assert event.params["evidence"] == "Contract"
        assert event.params["record_id"] == alpha["contract"].pk
    assert added.note.endswith(". Recommissioned.")
    assert [e.summary for e in events] == [
        "Recorded",
        "Open to in progress",
        "Management action changed",
        "Details changed",
        "Evidence added",
        "Evidence removed",
    ]


def test_a_row_written_before_kinds_were_typed_shows_the_text_it_kept(world):
    recommendation = world["alpha"]["recommendation"]
    with rls.council_scope(recommendation.council):
        old = RecommendationEvent.objects.create(
            council=recommendation.council,
            recommendation=recommendation,
            kind=EventKind.STATUS,
            from_status="in_progress",
            to_status="complete",
            on=date(2025, 1, 6),
            params={"text": "In progress to complete"},
        )
    assert old.summary == "In progress to complete"


def test_the_history_on_the_page_is_the_events_summaries(client, world):
    alpha = world["alpha"]
    auditor = alpha["people"][Role.AUDITOR]
    services.recommendation_change_status(
        actor=auditor, recommendation=alpha["recommendation"], status="complete", note="Done."
    )
    client.force_login(auditor)
    page = client.get(reverse("audits:recommendation", args=[alpha["recommendation"].pk]))
    assert "Open to complete" in page.content.decode()
