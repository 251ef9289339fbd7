"""A child's records' history rows, one writer per kind of event (docs/decisions/0026). Each
keeps what happened as parameters; the models' `SUMMARIES` word it."""

from __future__ import annotations

from datetime import date

from referrals.census_codes import ClosureReason
from referrals.models import (
    Assessment,
    AssessmentEvent,
    AssessmentEventKind,
    Carer,
    CarerAccountEvent,
    Child,
    ChildEvent,
    Package,
    PackageEvent,
    PackageEventKind,
    PackageLine,
    PanelDecision,
    PanelOutcome,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    Review,
    ReviewOutcome,
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


# ----------------------------------------------------------------------------------------------
# Referrals: the statuses and the reason stay in their columns.


def _referral(
    referral: Referral, *, actor, on: date, kind: str, from_status: str, reason: str, **params
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        council_id=referral.council_id,
        referral=referral,
        kind=kind,
        from_status=from_status,
        to_status=referral.status,
        on=on,
        reason=reason,
        params=params,
        actor=actor,
    )


def referral_received(referral: Referral, *, actor) -> ReferralEvent:
    return _referral(
        referral,
        actor=actor,
        on=referral.received_on,
        kind=ReferralEventKind.RECEIVED,
        from_status="",
        reason=f"Referral received from {referral.get_source_display().lower()}.",
        source=referral.source,
    )


def referral_moved(
    referral: Referral, *, actor, step: str, from_status: str, on: date, reason: str
) -> ReferralEvent:
    """The declared status change `step` moved the referral from `from_status` to its status
    now."""
    return _referral(
        referral, actor=actor, on=on, kind=step, from_status=from_status, reason=reason
    )


def referral_episode_closed(referral: Referral, *, actor) -> ReferralEvent:
    """The children in need episode closed on its date with its DfE reason; the referral's
    status stays as it was."""
    return _referral(
        referral,
        actor=actor,
        on=referral.closed_on,
        kind=ReferralEventKind.CLOSED,
        from_status=referral.status,
        reason=f"Children in need episode closed: {ClosureReason(referral.closure_reason).label}.",
        closure_reason=referral.closure_reason,
    )


# ----------------------------------------------------------------------------------------------
# Packages and their lines


def _package(package: Package, *, actor, on: date, kind: str, **params) -> PackageEvent:
    return PackageEvent.objects.create(
        council_id=package.council_id,
        package=package,
        on=on,
        kind=kind,
        params=params,
        actor=actor,
    )


def package_proposed(package: Package, *, actor, on: date) -> PackageEvent:
    return _package(package, actor=actor, on=on, kind=PackageEventKind.PROPOSED)


def line_added(line: PackageLine, *, actor) -> PackageEvent:
    """A service added to the package, with its hours a week or its nights a year."""
    if line.hours_per_week is not None:
        amount = {"step": "hours", "hours_per_week": str(line.hours_per_week)}
    else:
        amount = {"step": "nights", "nights_per_year": line.nights_per_year}
    return _package(
        line.package,
        actor=actor,
        on=line.start_on,
        kind=PackageEventKind.LINE_ADDED,
        line_id=line.pk,
        service=str(line.service),
        service_id=line.service_id,
        provider=str(line.provider),
        provider_id=line.provider_id,
        ratio=line.ratio,
        **amount,
    )


def line_ended(line: PackageLine, *, actor, reason: str) -> PackageEvent:
    return _package(
        line.package,
        actor=actor,
        on=line.end_on,
        kind=PackageEventKind.LINE_ENDED,
        line=str(line),
        line_id=line.pk,
        reason=reason,
    )


def panel_decided(panel: PanelDecision, *, actor) -> PackageEvent:
    return _package(
        panel.package,
        actor=actor,
        on=panel.decided_on,
        kind=PackageEventKind.PANEL,
        decision=panel.decision,
        decision_label=PanelOutcome(panel.decision).label.lower(),
        reasons=panel.reasons,
        panel_id=panel.pk,
    )


def package_started(package: Package, *, actor, on: date) -> PackageEvent:
    return _package(
        package,
        actor=actor,
        on=on,
        kind=PackageEventKind.STARTED,
        next_review_due=package.next_review_due,
    )


def package_withdrawn(package: Package, *, actor, on: date, reason: str) -> PackageEvent:
    return _package(package, actor=actor, on=on, kind=PackageEventKind.WITHDRAWN, reason=reason)


def package_reviewed(review: Review, *, actor) -> PackageEvent:
    """A review that kept the package going: its outcome and the next review's date."""
    return _package(
        review.package,
        actor=actor,
        on=review.held_on,
        kind=PackageEventKind.REVIEWED,
        outcome=review.outcome,
        outcome_label=ReviewOutcome(review.outcome).label.lower(),
        next_review_due=review.package.next_review_due,
        review_id=review.pk,
    )


def package_ceased(review: Review, *, actor) -> PackageEvent:
    return _package(
        review.package,
        actor=actor,
        on=review.held_on,
        kind=PackageEventKind.CEASED,
        reasons=review.reasons,
        review_id=review.pk,
    )


def line_brokerage(
    line: PackageLine, *, actor, on: date, request_id: int, step: str, **params
) -> PackageEvent:
    """A step of the line's brokerage request, on the child's timeline: raised; sent (to
    `members` providers, answers by `deadline`); awarded (to `provider` at `unit_rate` under
    the call-off `contract`); spot_purchased (from `provider` at `unit_rate`, for `reason`);
    withdrawn (for `reason`)."""
    return _package(
        line.package,
        actor=actor,
        on=on,
        kind=PackageEventKind.BROKERAGE,
        step=step,
        request_id=request_id,
        line=str(line),
        line_id=line.pk,
        **params,
    )
