"""A recommendation's history: one writer per kind of event (docs/decisions/0026). Each keeps
what happened as parameters; `RecommendationEvent.SUMMARIES` words it. The note (what was done or
found, or what changed) is kept beside them, as the person wrote it."""

from __future__ import annotations

from datetime import date

from audits.models import (
    EventKind,
    EvidenceKind,
    EvidenceLink,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)


def _write(
    recommendation: Recommendation,
    *,
    actor,
    kind: str,
    on: date,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    params: dict | None = None,
) -> RecommendationEvent:
    return RecommendationEvent.objects.create(
        council=recommendation.council,
        recommendation=recommendation,
        kind=kind,
        on=on,
        note=note,
        from_status=from_status,
        to_status=to_status,
        params=params or {},
        actor=actor,
    )


def recorded(recommendation: Recommendation, *, actor) -> RecommendationEvent:
    report = recommendation.report
    return _write(
        recommendation,
        actor=actor,
        kind=EventKind.RECORDED,
        on=report.report_date,
        to_status=RecommendationStatus.OPEN,
        note=f"Recorded from {report.title}.",
        params={"report": report.title, "report_id": report.pk},
    )


def status_changed(
    recommendation: Recommendation, *, actor, on: date, from_status: str, to_status: str, note: str
) -> RecommendationEvent:
    return _write(
        recommendation,
        actor=actor,
        kind=EventKind.STATUS,
        on=on,
        note=note,
        from_status=from_status,
        to_status=to_status,
        params={
            "from": RecommendationStatus(from_status).label,
            "to": RecommendationStatus(to_status).label.lower(),
        },
    )


def action_changed(
    recommendation: Recommendation, *, actor, on: date, note: str, fields: list[str]
) -> RecommendationEvent:
    """The management action or its owner changed (`fields`: which)."""
    return _write(
        recommendation,
        actor=actor,
        kind=EventKind.ACTION,
        on=on,
        note=note,
        params={"fields": sorted(fields)},
    )


def details_changed(
    recommendation: Recommendation, *, actor, on: date, note: str, fields: list[str]
) -> RecommendationEvent:
    """The review date or its note changed, perhaps with the action (`fields`: which)."""
    return _write(
        recommendation,
        actor=actor,
        kind=EventKind.DETAILS,
        on=on,
        note=note,
        params={"fields": sorted(fields)},
    )


def _evidence_params(link: EvidenceLink, label: str) -> dict:
    return {"evidence": EvidenceKind(link.kind).label, "record": label, "record_id": link.record_id}


def evidence_added(link: EvidenceLink, *, actor, on: date, label: str, note: str = ""):
    return _write(
        link.recommendation,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        on=on,
        note=f"{EvidenceKind(link.kind).label}: {label}" + (f". {note}" if note else ""),
        params=_evidence_params(link, label),
    )


def evidence_removed(link: EvidenceLink, *, actor, on: date, label: str, note: str = ""):
    return _write(
        link.recommendation,
        actor=actor,
        kind=EventKind.EVIDENCE_REMOVED,
        on=on,
        note=f"{EvidenceKind(link.kind).label}: {label}" + (f". {note}" if note else ""),
        params=_evidence_params(link, label),
    )
