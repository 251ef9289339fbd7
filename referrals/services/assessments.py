"""Assessments: starting, recording, completing, returning and authorising them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals import events, notify
from referrals.census_codes import AssessmentFactor
from referrals.models import (
    REGULATION_3_QUESTIONS,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    Child,
    ChildTier,
    Referral,
    ReferralStatus,
)
from referrals.services.children import child_tier_change
from referrals.services.common import AUTHORISE, MANAGE, _locked, _own
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

ASSESSMENT_FIELDS = (
    "child_needs",
    "carer_needs",
    *REGULATION_3_QUESTIONS,
    "outcome",
    "recommended_support",
    "factors",
)


@transaction.atomic
def assessment_start(
    *, actor, child: Child, started_on: date, referral: Referral | None = None
) -> Assessment:
    """Begin an assessment of the child and their carers; from a referral accepted for it."""
    require_perm(actor, MANAGE)
    _own(actor, child, referral)
    if referral is not None:
        if referral.child_id != child.pk:
            raise ValidationError({"referral": "Choose one of this child's referrals."})
        if referral.status != ReferralStatus.ACCEPTED_FOR_ASSESSMENT:
            raise TransitionNotAllowed(
                "An assessment starts from a referral accepted for assessment; this one is "
                f"{referral.get_status_display().lower()}."
            )
    if Assessment.objects.filter(
        child=child, status__in=[AssessmentStatus.IN_PROGRESS, AssessmentStatus.COMPLETED]
    ).exists():
        raise TransitionNotAllowed("An assessment of this child is already under way.")
    assessment = Assessment.objects.create(
        council=child.council,
        child=child,
        referral=referral,
        started_on=started_on,
        started_by=actor,
    )
    events.assessment_started(assessment, actor=actor, on=started_on)
    return assessment


@transaction.atomic
def assessment_update(*, actor, assessment: Assessment, **fields) -> Assessment:
    """Fill in sections of the task list while the assessment is in progress."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only one in "
            "progress can be changed."
        )
    errors = {}
    if fields.get("outcome") and fields["outcome"] not in AssessmentOutcome.values:
        errors["outcome"] = "Choose the outcome."
    for name in REGULATION_3_QUESTIONS:
        if name in fields and fields[name] not in (True, False, None):
            errors[name] = "Answer yes or no."
    if "factors" in fields:
        try:
            fields["factors"] = _clean_factors(fields["factors"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()
    return assessment


def _clean_factors(factors) -> list[str]:
    if not isinstance(factors, list | tuple) or any(
        code not in AssessmentFactor.values for code in factors
    ):
        raise ValidationError({"factors": "Choose from the DfE assessment factor codes."})
    if AssessmentFactor.F21 in factors and len(set(factors)) > 1:
        raise ValidationError(
            {"factors": "21 (no factors identified) cannot be chosen with other factors."}
        )
    return list(dict.fromkeys(factors))


@transaction.atomic
def assessment_factors_set(
    *, actor, assessment: Assessment, factors: list[str], on: date | None = None
) -> Assessment:
    """Record the factors identified at the assessment (the DfE's codes), at any stage: the
    census asks for them once it is authorised, and they are often added at the end."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    cleaned = _clean_factors(factors)
    assessment = _locked(Assessment, assessment)
    if cleaned == assessment.factors:
        return assessment
    assessment.factors = cleaned
    assessment.save(update_fields=["factors"])
    events.assessment_factors(
        assessment, actor=actor, on=on or timezone.localdate(), factors=cleaned
    )
    return assessment


SECTION_MESSAGES = {
    "child_needs": "Record the child's needs.",
    "carer_needs": "Record the carer's needs.",
    "regulation_3": "Answer every Regulation 3 question about the carer's breaks.",
    "outcome": "Record the outcome and the recommended support.",
}


@transaction.atomic
def assessment_complete(*, actor, assessment: Assessment, on: date) -> Assessment:
    """Every section done; the person completing it cannot then authorise it."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only one in "
            "progress can be completed."
        )
    errors = {
        section: SECTION_MESSAGES[section]
        for section, done in assessment.sections.items()
        if not done
    }
    if on < assessment.started_on:
        errors["on"] = "The assessment cannot be completed before it started."
    if errors:
        raise ValidationError(errors)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_on, assessment.completed_by = on, actor
    assessment.save(update_fields=["status", "completed_on", "completed_by"])
    events.assessment_completed(assessment, actor=actor, on=on)
    notify.notify_assessment_to_authorise(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_return(*, actor, assessment: Assessment, on: date, reason: str) -> Assessment:
    """A team manager sends a completed assessment back to be worked on."""
    require_perm(actor, AUTHORISE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.COMPLETED:
        raise TransitionNotAllowed("Only a completed assessment can be returned.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter what needs to change."})
    assessment.status = AssessmentStatus.IN_PROGRESS
    assessment.completed_on = assessment.completed_by = None
    assessment.save(update_fields=["status", "completed_on", "completed_by"])
    events.assessment_returned(assessment, actor=actor, on=on, reason=reason)
    return assessment


@transaction.atomic
def assessment_authorise(*, actor, assessment: Assessment, on: date) -> Assessment:
    """A team manager authorises another person's completed assessment. An outcome of specialist
    short breaks moves the child to the specialist tier."""
    require_perm(actor, AUTHORISE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.COMPLETED:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only a completed "
            "assessment can be authorised."
        )
    if assessment.completed_by_id == actor.pk:
        raise TransitionNotAllowed(
            "You completed this assessment, so another team manager must authorise it."
        )
    if on < assessment.completed_on:
        raise ValidationError(
            {"on": "The assessment cannot be authorised before it was completed."}
        )
    assessment.status = AssessmentStatus.AUTHORISED
    assessment.authorised_on, assessment.authorised_by = on, actor
    assessment.save(update_fields=["status", "authorised_on", "authorised_by"])
    events.assessment_authorised(assessment, actor=actor, on=on)
    if assessment.outcome == AssessmentOutcome.SPECIALIST:
        child_tier_change(
            actor=actor,
            child=assessment.child,
            to_tier=ChildTier.SPECIALIST,
            on=on,
            reason="Assessment authorised: needs specialist short breaks.",
        )
    return assessment
