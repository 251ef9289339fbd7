"""A child's records' history rows, one writer per kind of event (docs/decisions/0026). Each
keeps what happened as parameters; the models' `SUMMARIES` word it."""

from __future__ import annotations

from referrals.models import (
    Assessment,
    AssessmentEvent,
    AssessmentEventKind,
    Carer,
    CarerAccountEvent,
    Child,
    ChildEvent,
)


def _assessment(assessment: Assessment, *, actor, on, kind: str, **params) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        council_id=assessment.council_id,
        assessment=assessment,
        on=on,
        kind=kind,
        params=params,
        actor=actor,
    )


def assessment_started(assessment: Assessment, *, actor, on) -> AssessmentEvent:
    return _assessment(assessment, actor=actor, on=on, kind=AssessmentEventKind.STARTED)


def assessment_factors(assessment: Assessment, *, actor, on, factors: list[str]):
    """The factors identified at assessment, as their names."""
    return _assessment(
        assessment,
        actor=actor,
        on=on,
        kind=AssessmentEventKind.FACTORS,
        factors=list(factors),
        listed=", ".join(factors) if factors else "none recorded",
    )


def assessment_completed(assessment: Assessment, *, actor, on) -> AssessmentEvent:
    return _assessment(
        assessment,
        actor=actor,
        on=on,
        kind=AssessmentEventKind.COMPLETED,
        outcome=assessment.outcome,
        outcome_label=assessment.get_outcome_display().lower(),
    )


def assessment_returned(assessment: Assessment, *, actor, on, reason: str) -> AssessmentEvent:
    return _assessment(
        assessment, actor=actor, on=on, kind=AssessmentEventKind.RETURNED, reason=reason
    )


def assessment_authorised(assessment: Assessment, *, actor, on) -> AssessmentEvent:
    return _assessment(assessment, actor=actor, on=on, kind=AssessmentEventKind.AUTHORISED)


def _record(child: Child, other: Child) -> dict:
    return {
        "record": other.council_child_id or other.pk,
        "name": other.full_name,
        "other_id": other.pk,
    }


def records_merged(*, keep: Child, merge: Child, actor, on) -> None:
    """`merge` folded into `keep`: a line on each record's timeline."""
    ChildEvent.objects.create(
        council_id=keep.council_id,
        child=keep,
        other=merge,
        kind=ChildEvent.MERGED_IN,
        on=on,
        params=_record(keep, merge),
        actor=actor,
    )
    ChildEvent.objects.create(
        council_id=merge.council_id,
        child=merge,
        other=keep,
        kind=ChildEvent.MERGED_AWAY,
        on=on,
        params=_record(merge, keep),
        actor=actor,
    )


def _carer_account(carer: Carer, *, kind: str, email: str, on, actor, step: str = ""):
    params = {"carer": carer.name, "email": email}
    if step:
        params["step"] = step
    return CarerAccountEvent.objects.create(
        council_id=carer.council_id,
        child_id=carer.child_id,
        carer=carer,
        kind=kind,
        email=email,
        on=on,
        params=params,
        actor=actor,
    )


def carer_account_linked(carer: Carer, *, email: str, on, actor) -> CarerAccountEvent:
    return _carer_account(carer, kind=CarerAccountEvent.LINKED, email=email, on=on, actor=actor)


def carer_applied_online(carer: Carer, *, email: str, on, actor) -> CarerAccountEvent:
    """The carer's own application recorded the child and linked their account."""
    return _carer_account(
        carer, kind=CarerAccountEvent.LINKED, email=email, on=on, actor=actor, step="applied"
    )


def carer_account_unlinked(carer: Carer, *, email: str, on, actor) -> CarerAccountEvent:
    return _carer_account(carer, kind=CarerAccountEvent.UNLINKED, email=email, on=on, actor=actor)
