"""The decision letter after a review: one context for the page and the PDF alike.

The letter tells the family what changes (the services before and after the review, with hours
and cost), why (the review's reasons and what the reassessment found), and how to challenge the
decision, in plain English. Both the page and the PDF render `referrals/reviews/_letter.html`
from `letter_context`, so they never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from referrals.models import Carer, PackageLine, Review, ReviewOutcome
from referrals.selectors.packages import package_lines

# How long the family has to ask the High Court for a judicial review of the decision.
JUDICIAL_REVIEW_MONTHS = 3

OMBUDSMAN_NAME = "Local Government and Social Care Ombudsman"
OMBUDSMAN_WEBSITE = "www.lgo.org.uk"
OMBUDSMAN_PHONE = "0300 061 0614"

DECISIONS = {
    ReviewOutcome.CONTINUE: "to keep {name}'s short breaks as they are",
    ReviewOutcome.INCREASE: "to increase {name}'s short breaks",
    ReviewOutcome.REDUCE: "to reduce {name}'s short breaks",
    ReviewOutcome.CEASE: "to stop {name}'s short breaks",
}


@dataclass(frozen=True)
class LetterLine:
    """One service as the letter shows it."""

    service: str
    provider: str
    amount: str
    ratio: str
    cost_per_week: Decimal
    cost_per_year: Decimal
    end_on: date | None
    hours_per_week: Decimal | None
    nights_per_year: int | None


@dataclass(frozen=True)
class Totals:
    hours_per_week: Decimal
    nights_per_year: int
    cost_per_week: Decimal
    cost_per_year: Decimal


def _letter_line(line: PackageLine) -> LetterLine:
    if line.hours_per_week is not None:
        amount = f"{line.hours_per_week.normalize():f} hours a week"
    else:
        amount = f"{line.nights_per_year} nights a year"
    return LetterLine(
        service=line.service.title,
        provider=line.provider.name,
        amount=amount,
        ratio=line.ratio,
        cost_per_week=line.cost_per_week,
        cost_per_year=line.cost_per_year,
        end_on=line.end_on,
        hours_per_week=line.hours_per_week,
        nights_per_year=line.nights_per_year,
    )


def _totals(lines: list[LetterLine]) -> Totals:
    return Totals(
        hours_per_week=sum((x.hours_per_week or Decimal(0) for x in lines), Decimal(0)),
        nights_per_year=sum(x.nights_per_year or 0 for x in lines),
        cost_per_week=sum((x.cost_per_week for x in lines), Decimal(0)),
        cost_per_year=sum((x.cost_per_year for x in lines), Decimal(0)),
    )


def support_before_and_after(review: Review) -> tuple[list, list, list]:
    """The services running on the day of the review, those that carry on (or start) after it,
    and those that stop. Ceasing stops everything. Changes made at a later review of the package
    belong to that review's letter, not this one."""
    held_on = review.held_on
    later = (
        Review.objects.filter(package_id=review.package_id)
        .filter(Q(held_on__gt=held_on) | Q(held_on=held_on, pk__gt=review.pk))
        .order_by("held_on", "id")
        .first()
    )
    cutoff = later.held_on if later else None
    # The letter names each line's service and provider, nothing of its lot or contract. They
    # are read by id after the lines rather than joined to them: under row-level security the
    # join scans every service's policy (about 100 ms at national size), the lookups by id take
    # under a millisecond each.
    lines = list(
        package_lines(package=review.package)
        .select_related(None)
        .prefetch_related("service", "provider")
        .order_by("start_on", "id")
    )
    before = [
        x for x in lines if x.start_on <= held_on and (x.end_on is None or x.end_on >= held_on)
    ]
    if review.outcome == ReviewOutcome.CEASE:
        return before, [], before
    stopping = [x for x in before if x.end_on is not None and (cutoff is None or x.end_on < cutoff)]
    after = [
        x
        for x in lines
        if x not in stopping
        and (x.end_on is None or x.end_on >= held_on)
        and (cutoff is None or x.start_on < cutoff)
    ]
    return before, after, stopping


def _salutation(carers: list[Carer], child_first_name: str) -> str:
    names = [carer.name for carer in carers if carer.name.strip()]
    if not names:
        return f"Dear parent or carer of {child_first_name}"
    if len(names) == 1:
        return f"Dear {names[0]}"
    return f"Dear {', '.join(names[:-1])} and {names[-1]}"


def letter_context(review: Review) -> dict:
    """Everything the decision letter says, for the page and the PDF."""
    package = review.package
    child = package.child
    carers = list(Carer.objects.filter(child=child).order_by("id"))
    before, after, stopping = support_before_and_after(review)
    before_lines = [_letter_line(x) for x in before]
    after_lines = [_letter_line(x) for x in after]
    stopping_lines = [_letter_line(x) for x in stopping]
    outcome = ReviewOutcome(review.outcome)
    if outcome == ReviewOutcome.CEASE:
        takes_effect = package.end_on or review.held_on
    elif stopping_lines:
        takes_effect = min(x.end_on for x in stopping_lines)
    else:
        takes_effect = review.held_on
    letter_date = review.family_told_on or review.held_on
    return {
        "review": review,
        "council_name": review.council.name,
        "child_first_name": child.first_name,
        "carers": carers,
        "salutation": _salutation(carers, child.first_name),
        "letter_date": letter_date,
        "subject": f"Our decision about {child.first_name}'s short breaks",
        "decision": DECISIONS[outcome].format(name=child.first_name),
        "outcome": outcome,
        "is_reduction": outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE),
        "takes_effect": takes_effect,
        "before": before_lines,
        "after": after_lines,
        "stopping": stopping_lines,
        "before_totals": _totals(before_lines),
        "after_totals": _totals(after_lines),
        "reassessment": review.reassessment,
        "judicial_review_by": review.held_on + relativedelta(months=JUDICIAL_REVIEW_MONTHS),
        "ombudsman_name": OMBUDSMAN_NAME,
        "ombudsman_website": OMBUDSMAN_WEBSITE,
        "ombudsman_phone": OMBUDSMAN_PHONE,
    }
