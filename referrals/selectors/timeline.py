"""The child's timeline: every dated event of the child's record, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from referrals.models import (
    AssessmentEvent,
    CarerAccountEvent,
    CaseNote,
    Child,
    ChildEvent,
    ChildTier,
    GrantApplication,
    GrantStatus,
    PackageEvent,
    PackageEventKind,
    ReferralDocument,
    ReferralEvent,
    TierChange,
)
from referrals.selectors.common import _name, _readable

# Package events that the timeline shows under their own heading.
PACKAGE_EVENT_KINDS = {
    PackageEventKind.PANEL: "panel",
    PackageEventKind.REVIEWED: "review",
    PackageEventKind.CEASED: "review",
    PackageEventKind.BROKERAGE: "brokerage",
}


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    at: datetime | None
    kind: str
    summary: str
    actor: str = ""


def child_timeline(*, actor, child: Child) -> list[TimelineEntry]:
    """Every dated event of the child's journey, oldest first, one query per kind of record."""
    if not _readable(Child.objects.filter(pk=child.pk), actor).exists():
        return []
    entries: list[TimelineEntry] = []
    for event in ReferralEvent.objects.filter(referral__child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "referral", event.summary, _name(event.actor))
        )
    for document in ReferralDocument.objects.filter(referral__child=child).select_related(
        "uploaded_by"
    ):
        entries.append(
            TimelineEntry(
                timezone.localtime(document.uploaded_at).date(),
                document.uploaded_at,
                "document",
                f"Document added to the referral: {document.original_name}.",
                _name(document.uploaded_by),
            )
        )
    for change in TierChange.objects.filter(child=child).select_related("decided_by"):
        entries.append(
            TimelineEntry(
                change.on,
                change.at,
                "tier",
                f"Tier: {ChildTier(change.from_tier).label.lower()} to "
                f"{ChildTier(change.to_tier).label.lower()}. {change.reason}",
                _name(change.decided_by),
            )
        )
    for event in AssessmentEvent.objects.filter(assessment__child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "assessment", event.summary, _name(event.actor))
        )
    for event in PackageEvent.objects.filter(package__child=child).select_related("actor"):
        kind = PACKAGE_EVENT_KINDS.get(event.kind, "package")
        entries.append(TimelineEntry(event.on, event.at, kind, event.summary, _name(event.actor)))
    for event in CarerAccountEvent.objects.filter(child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "carer", event.summary, _name(event.actor))
        )
    for application in GrantApplication.objects.filter(child=child).select_related(
        "scheme", "decided_by"
    ):
        entries.append(
            TimelineEntry(
                application.received_on,
                application.created_at,
                "grant",
                f"Application to {application.scheme} received.",
            )
        )
        if application.decided_on:
            outcome = (
                f"approved: £{application.amount:,.2f}"
                if application.status == GrantStatus.APPROVED
                else f"declined: {application.decline_reason}"
            )
            entries.append(
                TimelineEntry(
                    application.decided_on,
                    None,
                    "grant",
                    f"Application to {application.scheme} {outcome}",
                    _name(application.decided_by),
                )
            )
    for event in ChildEvent.objects.filter(child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "record", event.summary, _name(event.actor))
        )
    if actor.has_perm("referrals.view_casenote"):
        # The note's kind and date only: its words are read on the notes page, which logs them.
        for note in CaseNote.objects.filter(child=child).select_related("author"):
            kind = note.get_kind_display().lower()
            summary = (
                f"Case note: {kind}, correcting an earlier one."
                if note.corrects_id
                else (f"Case note: {kind}.")
            )
            entries.append(
                TimelineEntry(note.on, note.created_at, "note", summary, _name(note.author))
            )
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(entries, key=lambda e: (e.on, e.at or epoch))
