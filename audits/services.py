"""Writes to audit reports, recommendations and their evidence links.

Every change is a function `<thing>_<verb>(*, actor, ...)` that checks the actor's permission and
the record's state, writes the history event (`audits/events.py`), then makes one change. Bad
input raises `ValidationError` with field messages; a status change is a step declared on the
model (`shortbreaks.states`), refused with its declared reason (`TransitionNotAllowed`). A record
from another council is refused exactly like a missing one.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audits import events
from audits.models import (
    EVIDENCE_FIELDS,
    STEP_TO,
    AssuranceRating,
    AuditReport,
    EvidenceKind,
    EvidenceLink,
    Priority,
    Recommendation,
    RecommendationStatus,
)
from contracts.models import Contract, Extension, MonitoringRecord
from referrals.models import ReferralDocument
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import STAFF_ROLES, Membership
from shortbreaks.permissions import require_perm
from shortbreaks.states import step
from shortbreaks.unique import refuse_duplicates

MANAGE = "audits.manage_audit"
UPDATE = "audits.update_recommendation"
VIEW_CHILD = "referrals.view_child"

TEXT = 10_000

# The model each kind of evidence points at.
EVIDENCE_MODELS = {
    EvidenceKind.CONTRACT: Contract,
    EvidenceKind.EXTENSION: Extension,
    EvidenceKind.MONITORING: MonitoringRecord,
    EvidenceKind.REFERRAL_DOCUMENT: ReferralDocument,
}

NOT_FOUND = {
    EvidenceKind.CONTRACT: "Choose one of the council's contracts.",
    EvidenceKind.EXTENSION: "Choose one of the council's contract extensions.",
    EvidenceKind.MONITORING: "Choose one of the council's monitoring records.",
    EvidenceKind.REFERRAL_DOCUMENT: "Choose one of the council's referral documents.",
}


def _today() -> date:
    return timezone.localdate()


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _same_council(actor, record) -> None:
    """A record of another council is refused as if it did not exist (no information leaks)."""
    if record.council_id != actor.active_council_id:
        raise RecordNotFound(object_type=record._meta.label_lower, object_id=record.pk)


# ----------------------------------------------------------------------------------------------
# Reports


@transaction.atomic
def audit_report_create(
    *,
    actor,
    title: str,
    period_start: date,
    period_end: date,
    auditor: str,
    report_date: date,
    rating: str,
    follow_up_of: AuditReport | None = None,
    summary: str = "",
) -> AuditReport:
    require_perm(actor, MANAGE)
    errors: dict[str, str] = {}
    title, auditor, summary = _clean_text(title), _clean_text(auditor), _clean_text(summary)
    if not title:
        errors["title"] = "Enter the title of the report."
    elif len(title) > 300:
        errors["title"] = "The title must be 300 characters or fewer."
    if not auditor:
        errors["auditor"] = "Enter who carried out the audit."
    elif len(auditor) > 200:
        errors["auditor"] = "Who carried out the audit must be 200 characters or fewer."
    if len(summary) > TEXT:
        errors["summary"] = "The summary must be 10,000 characters or fewer."
    if rating not in AssuranceRating.values:
        errors["rating"] = "Choose the assurance rating."
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    if follow_up_of is not None:
        if follow_up_of.council_id != actor.active_council_id:
            errors["follow_up_of"] = "Choose one of the council's earlier reports."
        elif report_date and follow_up_of.report_date > report_date:
            errors["follow_up_of"] = "A follow-up must come after the report it follows up."
    if errors:
        raise ValidationError(errors)
    return AuditReport.objects.create(
        council=actor.active_council,
        title=title,
        period_start=period_start,
        period_end=period_end,
        auditor=auditor,
        report_date=report_date,
        rating=rating,
        follow_up_of=follow_up_of,
        summary=summary,
        created_by=actor,
    )


# ----------------------------------------------------------------------------------------------
# Recommendations


def _check_owner(actor, owner) -> dict[str, str]:
    if owner is None:
        return {}
    if not Membership.objects.filter(
        user=owner, council_id=actor.active_council_id, role__in=STAFF_ROLES
    ).exists():
        return {"owner": "Choose someone who works for the council."}
    return {}


@transaction.atomic
def recommendation_create(
    *,
    actor,
    report: AuditReport,
    reference: str,
    text: str,
    priority: str,
    management_action: str = "",
    owner_name: str = "",
    owner=None,
    review_date: date | None = None,
    review_note: str = "",
) -> Recommendation:
    require_perm(actor, MANAGE)
    _same_council(actor, report)
    reference, text = _clean_text(reference), _clean_text(text)
    management_action, owner_name = _clean_text(management_action), _clean_text(owner_name)
    review_note = _clean_text(review_note)
    errors: dict[str, str] = {}
    taken = {"reference": f"This report already has a recommendation {reference}."}
    if not reference:
        errors["reference"] = "Enter the recommendation's number in the report."
    elif len(reference) > 20:
        errors["reference"] = "The number must be 20 characters or fewer."
    elif Recommendation.objects.filter(report=report, reference=reference).exists():
        errors.update(taken)
    if not text:
        errors["text"] = "Enter the recommendation."
    elif len(text) > TEXT:
        errors["text"] = "The recommendation must be 10,000 characters or fewer."
    if priority not in Priority.values:
        errors["priority"] = "Choose the priority."
    if len(management_action) > TEXT:
        errors["management_action"] = "The management action must be 10,000 characters or fewer."
    if len(owner_name) > 200:
        errors["owner_name"] = "The owner must be 200 characters or fewer."
    if len(review_note) > 300:
        errors["review_note"] = "The note on the review date must be 300 characters or fewer."
    errors.update(_check_owner(actor, owner))
    if errors:
        raise ValidationError(errors)
    with refuse_duplicates({"recommendation_unique_reference": taken}):
        recommendation = Recommendation.objects.create(
            council=report.council,
            report=report,
            reference=reference,
            text=text,
            priority=priority,
            management_action=management_action,
            owner_name=owner_name,
            owner=owner,
            review_date=review_date,
            review_note=review_note,
            status=RecommendationStatus.OPEN,
            status_date=report.report_date,
        )
    events.recorded(recommendation, actor=actor)
    return recommendation


@transaction.atomic
def recommendation_change_status(
    *, actor, recommendation: Recommendation, status: str, note: str, on: date | None = None
) -> Recommendation:
    """Move a recommendation to open, in progress or complete, with the date and why."""
    require_perm(actor, UPDATE)
    _same_council(actor, recommendation)
    on = on or _today()
    note = _clean_text(note)
    errors: dict[str, str] = {}
    if status not in RecommendationStatus.values:
        errors["status"] = "Choose open, in progress or complete."
    if not note:
        errors["note"] = "Say what was done or found."
    elif len(note) > TEXT:
        errors["note"] = "The note must be 10,000 characters or fewer."
    if on > _today():
        errors["on"] = "The date of the change cannot be in the future."
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    from_status = recommendation.status
    step(recommendation, STEP_TO[status], actor)
    if on < recommendation.status_date:
        raise ValidationError(
            {
                "on": "The date of the change cannot be before the last change, on "
                f"{recommendation.status_date:%d/%m/%Y}."
            }
        )
    events.status_changed(
        recommendation,
        actor=actor,
        on=on,
        from_status=from_status,
        to_status=status,
        note=note,
    )
    recommendation.status_date = on
    recommendation.save(update_fields=["status", "status_date", "updated_at"])
    return recommendation


_UNSET = object()


@transaction.atomic
def recommendation_update_action(
    *,
    actor,
    recommendation: Recommendation,
    management_action=_UNSET,
    owner_name=_UNSET,
    owner=_UNSET,
    review_date=_UNSET,
    review_note=_UNSET,
    note: str = "",
) -> Recommendation:
    """Change the management action and who owns it. Only auditors move the review date:
    management cannot put off their own deadline."""
    require_perm(actor, UPDATE)
    _same_council(actor, recommendation)
    if (review_date is not _UNSET or review_note is not _UNSET) and not actor.has_perm(MANAGE):
        raise PermissionDenied
    changes: dict = {}
    errors: dict[str, str] = {}
    if management_action is not _UNSET:
        management_action = _clean_text(management_action)
        if len(management_action) > TEXT:
            errors["management_action"] = (
                "The management action must be 10,000 characters or fewer."
            )
        changes["management_action"] = management_action
    if owner_name is not _UNSET:
        owner_name = _clean_text(owner_name)
        if len(owner_name) > 200:
            errors["owner_name"] = "The owner must be 200 characters or fewer."
        changes["owner_name"] = owner_name
    if owner is not _UNSET:
        errors.update(_check_owner(actor, owner))
        changes["owner"] = owner
    if review_date is not _UNSET:
        changes["review_date"] = review_date
    if review_note is not _UNSET:
        review_note = _clean_text(review_note)
        if len(review_note) > 300:
            errors["review_note"] = "The note on the review date must be 300 characters or fewer."
        changes["review_note"] = review_note
    note = _clean_text(note)
    if len(note) > TEXT:
        errors["note"] = "The note must be 10,000 characters or fewer."
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changed = {
        name: value for name, value in changes.items() if getattr(recommendation, name) != value
    }
    if not changed:
        return recommendation
    lines = []
    if "management_action" in changed:
        lines.append(f"Management action: {changed['management_action'] or '(none)'}")
    if "owner_name" in changed or "owner" in changed:
        for name, value in changed.items():
            setattr(recommendation, name, value)
        lines.append(f"Owner: {recommendation.owner_display or '(none)'}")
    if "review_date" in changed:
        when = changed["review_date"]
        lines.append(f"Review date: {when:%d/%m/%Y}" if when else "Review date: (none)")
    if "review_note" in changed:
        lines.append(f"Review: {changed['review_note'] or '(none)'}")
    if note:
        lines.insert(0, note)
    write = (
        events.action_changed
        if set(changed) <= {"management_action", "owner_name", "owner"}
        else events.details_changed
    )
    write(recommendation, actor=actor, on=_today(), note="\n".join(lines), fields=list(changed))
    for name, value in changed.items():
        setattr(recommendation, name, value)
    recommendation.save(update_fields=[*changed, "updated_at"])
    return recommendation


# ----------------------------------------------------------------------------------------------
# Evidence links


def evidence_label(kind: str, record) -> str:
    """How an evidenced record is named. A referral document is named by dates only: never the
    child, the file's name or its description, which may hold the child's name."""
    if kind == EvidenceKind.CONTRACT:
        return f"{record.reference} {record.title}"
    if kind == EvidenceKind.EXTENSION:
        return (
            f"Extension of {record.contract.reference} to {record.new_end_date:%d/%m/%Y} "
            f"({record.get_status_display().lower()})"
        )
    if kind == EvidenceKind.MONITORING:
        return (
            f"{record.contract.reference}: {record.get_kind_display()} on {record.held_on:%d/%m/%Y}"
        )
    if kind == EvidenceKind.REFERRAL_DOCUMENT:
        return (
            f"Document {record.pk} on the referral received "
            f"{record.referral.received_on:%d/%m/%Y}, uploaded "
            f"{timezone.localtime(record.uploaded_at):%d/%m/%Y}"
        )
    return str(record)


def evidence_record_find(*, actor, kind: str, record_id) -> object:
    """The council's record of that kind, else a field error: another council's id is refused
    with the same message as a missing one."""
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": "Choose what kind of record evidences it."})
    if kind == EvidenceKind.REFERRAL_DOCUMENT and not actor.has_perm(VIEW_CHILD):
        raise PermissionDenied
    model = EVIDENCE_MODELS[kind]
    try:
        return model.objects.for_council(actor.active_council).get(pk=int(record_id))
    except (model.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"record": NOT_FOUND[kind]}) from None


@transaction.atomic
def evidence_link_add(
    *, actor, recommendation: Recommendation, kind: str, record_id, note: str = ""
) -> EvidenceLink:
    require_perm(actor, UPDATE)
    _same_council(actor, recommendation)
    record = evidence_record_find(actor=actor, kind=kind, record_id=record_id)
    note = _clean_text(note)
    if len(note) > 500:
        raise ValidationError({"note": "What it shows must be 500 characters or fewer."})
    field = EVIDENCE_FIELDS[kind]
    linked = {"record": "That record is already linked as evidence."}
    if EvidenceLink.objects.filter(recommendation=recommendation, **{field: record}).exists():
        raise ValidationError(linked)
    with refuse_duplicates({f"evidence_link_unique_{field}": linked}):
        link = EvidenceLink.objects.create(
            council=recommendation.council,
            recommendation=recommendation,
            kind=kind,
            note=note,
            added_by=actor,
            **{field: record},
        )
    events.evidence_added(
        link, actor=actor, on=_today(), label=evidence_label(kind, record), note=note
    )
    return link


@transaction.atomic
def evidence_link_remove(*, actor, link: EvidenceLink, note: str = "") -> None:
    require_perm(actor, UPDATE)
    _same_council(actor, link)
    if link.kind == EvidenceKind.REFERRAL_DOCUMENT and not actor.has_perm(VIEW_CHILD):
        raise PermissionDenied
    note = _clean_text(note)
    events.evidence_removed(
        link, actor=actor, on=_today(), label=evidence_label(link.kind, link.record), note=note
    )
    link.delete()
