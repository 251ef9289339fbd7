"""A version's history as typed events: one writer per kind, the sentence worded from the kind's
parameters, and rows written before kinds keeping their sentence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from shortbreaks.councils.models import Role
from statements import services
from statements.models import StatementEvent, StatementEventKind, StatementVersion
from tests.statements.statement_builders import (
    COMPLETE_TEXT,
    TODAY,
    complete_draft,
    offer_every_category,
)


@pytest.fixture
def commissioner(two_councils):
    person = two_councils["alpha"]["people"][Role.COMMISSIONER]
    offer_every_category(person, "Alpha")
    return person


def history(version) -> list[tuple[str, str]]:
    return [(e.kind, e.summary) for e in StatementEvent.objects.filter(version=version)]


@pytest.mark.django_db
def test_each_step_writes_its_kind_with_its_parameters(commissioner):
    first = complete_draft(commissioner)
    first = services.statement_consultation_start(
        actor=commissioner, version=first, closes_on=date(2025, 7, 1), today=TODAY
    )
    first = services.statement_publish(
        actor=commissioner, version=first, today=TODAY, confirm_open_consultation=True
    )
    services.statement_review_date_set(
        actor=commissioner, version=first, review_on=date(2026, 3, 31), today=TODAY
    )
    services.feedback_submit(version=first, views="More holiday clubs, please.", today=TODAY)
    second = services.statement_draft_create(actor=commissioner)
    services.statement_publish(
        actor=commissioner,
        version=services.statement_update(
            actor=commissioner,
            version=second,
            changes_since_last="Two new clubs.",
            views_summary="Carers asked for more clubs; we added two.",
        ),
        today=TODAY + timedelta(days=1),
    )
    assert history(first) == [
        (StatementEventKind.CREATED, "Draft created"),
        (StatementEventKind.CHANGED, "Changed: " + ", ".join(_labels())),
        (StatementEventKind.CONSULTATION_STARTED, "Out for consultation until 1 July 2025"),
        (
            StatementEventKind.PUBLISHED_EARLY,
            "Published before its consultation closed, as confirmed",
        ),
        (StatementEventKind.PUBLISHED, "Published; review by 2 June 2026"),
        (StatementEventKind.REVIEW_DATE_SET, "Review date set to 31 March 2026"),
        (StatementEventKind.VIEWS_RECEIVED, "Views received from a carer"),
        (StatementEventKind.SUPERSEDED, f"Superseded by version {second.number}"),
    ]
    assert history(second)[0] == (
        StatementEventKind.COPIED,
        f"Draft created from version {first.number}",
    )
    changed = StatementEvent.objects.get(version=second, kind=StatementEventKind.CHANGED)
    assert changed.params["fields"] == ["changes_since_last", "views_summary"]
    # Parameters, not sentences: dates are kept as dates (ISO text in the JSON).
    published = StatementEvent.objects.get(version=first, kind=StatementEventKind.PUBLISHED)
    assert published.params == {"published_on": "2025-06-02", "review_on": "2026-06-02"}
    views = StatementEvent.objects.get(version=first, kind=StatementEventKind.VIEWS_RECEIVED)
    assert views.actor is None and views.params == {}


def _labels() -> list[str]:
    """The labels of the sections a complete draft writes, in the order it writes them."""
    return [str(StatementVersion._meta.get_field(name).verbose_name) for name in COMPLETE_TEXT]


@pytest.mark.django_db
def test_the_version_page_shows_the_worded_history(commissioner, client_for):
    version = services.statement_consultation_start(
        actor=commissioner,
        version=complete_draft(commissioner),
        closes_on=date(2031, 1, 15),
    )
    page = client_for(commissioner).get(reverse("statements:manage-version", args=[version.pk]))
    assert "Out for consultation until 15 January 2031" in page.content.decode()
