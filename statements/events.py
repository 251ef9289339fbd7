"""A statement version's history: one writer per kind of event (docs/decisions/0026). Each keeps
what happened as parameters; `StatementEvent.SUMMARIES` words it."""

from __future__ import annotations

from statements.models import StatementEvent, StatementEventKind, StatementVersion


def _write(version: StatementVersion, *, actor, kind: str, params: dict | None = None):
    return StatementEvent.objects.create(
        council_id=version.council_id, version=version, actor=actor, kind=kind, params=params or {}
    )


def draft_created(
    version: StatementVersion, *, actor, source: StatementVersion | None
) -> StatementEvent:
    """A new draft, copying the written sections of `source` when there was one."""
    if source is None:
        return _write(version, actor=actor, kind=StatementEventKind.CREATED)
    return _write(
        version, actor=actor, kind=StatementEventKind.COPIED, params={"source": source.number}
    )


def changed(version: StatementVersion, *, actor, fields: list[str]) -> StatementEvent:
    """Written sections changed: their field names, and their labels as the page names them."""
    labels = ", ".join(str(StatementVersion._meta.get_field(name).verbose_name) for name in fields)
    return _write(
        version,
        actor=actor,
        kind=StatementEventKind.CHANGED,
        params={"fields": list(fields), "labels": labels},
    )


def consultation_started(version: StatementVersion, *, actor) -> StatementEvent:
    return _write(
        version,
        actor=actor,
        kind=StatementEventKind.CONSULTATION_STARTED,
        params={"closes_on": version.consultation_closes_on},
    )


def published_early(version: StatementVersion, *, actor) -> StatementEvent:
    """Published while carers could still give views, as the person confirmed."""
    return _write(
        version,
        actor=actor,
        kind=StatementEventKind.PUBLISHED_EARLY,
        params={"closes_on": version.consultation_closes_on},
    )


def published(version: StatementVersion, *, actor) -> StatementEvent:
    return _write(
        version,
        actor=actor,
        kind=StatementEventKind.PUBLISHED,
        params={"published_on": version.published_on, "review_on": version.review_on},
    )


def superseded(previous: StatementVersion, *, actor, by: StatementVersion) -> StatementEvent:
    return _write(
        previous,
        actor=actor,
        kind=StatementEventKind.SUPERSEDED,
        params={"by": by.number, "superseded_on": previous.superseded_on},
    )


def review_date_set(version: StatementVersion, *, actor) -> StatementEvent:
    return _write(
        version,
        actor=actor,
        kind=StatementEventKind.REVIEW_DATE_SET,
        params={"review_on": version.review_on},
    )


def views_received(version: StatementVersion) -> StatementEvent:
    """A carer's views, sent without signing in: no actor, and nothing of theirs in the row."""
    return _write(version, actor=None, kind=StatementEventKind.VIEWS_RECEIVED)
