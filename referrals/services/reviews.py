"""Reviews of a package: the outcome, its reasons and, for a reduction, the services it ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction

from referrals import events
from referrals.models import (
    OUTCOME_TIER,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildTier,
    Package,
    PackageLine,
    PackageStatus,
    Review,
    ReviewOutcome,
)
from referrals.services.children import child_tier_change
from referrals.services.common import MANAGE, _locked, _own, _require_text
from referrals.services.packages import package_line_end
from shortbreaks import states
from shortbreaks.permissions import require_perm


def review_reduction_errors(
    *,
    outcome: str,
    held_on: date | None,
    reasons: str,
    family_views: str,
    family_told_on: date | None,
    has_reassessment: bool,
) -> dict[str, str]:
    """What reducing or ceasing support needs from the answers alone: the reasons, the family's
    views, the date they were told and a reassessment (Birmingham, 2023). The review form asks
    this before its check page; `review_record` asks it again with the records."""
    errors: dict[str, str] = {}
    if outcome not in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE):
        return errors
    _require_text(errors, reasons=reasons, family_views=family_views)
    if family_told_on is None:
        errors["family_told_on"] = "Enter the date the family was told."
    elif held_on is not None and family_told_on < held_on:
        errors["family_told_on"] = "The family is told of the review's decision after it."
    if not has_reassessment:
        errors["reassessment"] = "Support is reduced or ceased only after a reassessment."
    return errors


@transaction.atomic
def review_record(
    *,
    actor,
    package: Package,
    held_on: date,
    outcome: str,
    reasons: str = "",
    family_views: str = "",
    family_told_on: date | None = None,
    reassessment: Assessment | None = None,
) -> Review:
    """Review an active package. Reducing or ceasing it needs an authorised reassessment, the
    reasons, the family's views and the date they were told (Birmingham, 2023). Ceasing ends the
    package and, with no other support running, moves the child to the tier the reassessment
    found."""
    require_perm(actor, MANAGE)
    _own(actor, package, reassessment)
    package = _locked(Package, package)
    states.step(package, "review", actor)
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = "Choose continue, increase, reduce or cease."
    if held_on < package.start_on:
        errors["held_on"] = "The review cannot be before the package started."
    errors.update(
        review_reduction_errors(
            outcome=outcome,
            held_on=held_on,
            reasons=reasons,
            family_views=family_views,
            family_told_on=family_told_on,
            has_reassessment=reassessment is not None,
        )
    )
    if outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE) and reassessment is not None:
        if reassessment.child_id != package.child_id:
            errors["reassessment"] = "Choose a reassessment of this child."
        elif reassessment.pk == package.assessment_id:
            errors["reassessment"] = "The reassessment must be newer than the package's own."
        elif reassessment.status != AssessmentStatus.AUTHORISED:
            errors["reassessment"] = "The reassessment must be authorised first."
    elif reassessment is not None and reassessment.child_id != package.child_id:
        errors["reassessment"] = "Choose a reassessment of this child."
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        council=package.council,
        package=package,
        due_on=package.next_review_due,
        held_on=held_on,
        outcome=outcome,
        reasons=reasons,
        family_views=family_views,
        family_told_on=family_told_on,
        reassessment=reassessment,
        recorded_by=actor,
    )
    if outcome == ReviewOutcome.CEASE:
        states.step(package, "cease", actor)
        package.end_on, package.next_review_due = held_on, None
        package.save(update_fields=["status", "end_on", "next_review_due"])
        package.lines.filter(end_on__isnull=True).update(end_on=held_on)
        package.lines.filter(end_on__gt=held_on).update(end_on=held_on)
        events.package_ceased(review, actor=actor)
        still_supported = (
            Package.objects.filter(child_id=package.child_id, status=PackageStatus.ACTIVE)
            .exclude(pk=package.pk)
            .exists()
        )
        to_tier = OUTCOME_TIER[AssessmentOutcome(reassessment.outcome)]
        if not still_supported and to_tier != ChildTier.SPECIALIST:
            child_tier_change(
                actor=actor,
                child=package.child,
                to_tier=to_tier,
                on=held_on,
                reason=f"Specialist package ceased at review: {reasons}",
            )
    else:
        package.next_review_due = held_on + relativedelta(months=package.review_interval_months)
        package.save(update_fields=["next_review_due"])
        events.package_reviewed(review, actor=actor)
    return review


@transaction.atomic
def review_record_with_line_ends(
    *,
    actor,
    package: Package,
    end_lines: Iterable[PackageLine] = (),
    lines_end_on: date | None = None,
    **fields,
) -> Review:
    """Record a review and, for a reduction, end the services it stops: all of it or nothing,
    so the decision letter can say exactly what changes."""
    end_lines = list(end_lines)
    errors: dict[str, str] = {}
    if end_lines:
        if fields.get("outcome") != ReviewOutcome.REDUCE:
            errors["end_lines"] = "Only a reduction stops services; choose reduce or no services."
        elif any(line.package_id != package.pk for line in end_lines):
            errors["end_lines"] = "Choose services of this package."
        if lines_end_on is None:
            errors["lines_end_on"] = "Enter the date the services stop."
        elif fields.get("held_on") and lines_end_on < fields["held_on"]:
            errors["lines_end_on"] = "Services stop on or after the day of the review."
    try:
        review = review_record(actor=actor, package=package, **fields)
    except ValidationError as error:
        merged = dict(error.message_dict)
        for name, message in errors.items():
            merged.setdefault(name, []).append(message)
        raise ValidationError(merged) from None
    if errors:
        raise ValidationError(errors)
    for line in end_lines:
        package_line_end(actor=actor, line=line, end_on=lines_end_on, reason=review.reasons)
    return review
