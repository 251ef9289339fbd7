"""Every change to direct payments: keyword-only, with an `actor`, each writing a dated event.

Amounts are checked here, whatever asks: no amount is zero or negative, and a recovery never
takes back more than the balance (what was paid less what was recovered before).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from directpayments import events
from directpayments.models import (
    PENNY,
    Agreement,
    AgreementReview,
    Payment,
    PaymentPeriod,
    Recovery,
    ReviewOutcome,
    ScheduledPayment,
)
from referrals.models import Child, FundingRoute, PackageLine, PackageStatus
from shortbreaks.permissions import require_perm
from shortbreaks.states import step

MANAGE = "directpayments.manage_agreement"
FINANCE = "directpayments.record_payment"
REVIEW = "directpayments.review_agreement"
MAX_YEARS = 3
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def direct_payment_lines(*, child: Child, on: date):
    """The child's package lines paid by direct payment that run on `on`, in packages approved
    or active."""
    return (
        PackageLine.objects.filter(
            council=child.council,
            package__child=child,
            package__status__in=[PackageStatus.APPROVED, PackageStatus.ACTIVE],
            funding_route=FundingRoute.DIRECT_PAYMENT,
            start_on__lte=on,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .select_related("service", "provider")
        .order_by("start_on", "id")
    )


def amount_per_period(*, lines, period: str) -> Decimal:
    """What the lines cost a period: a week's cost, four weeks', or a twelfth of a year's."""
    weekly = sum((line.cost_per_week for line in lines), Decimal(0))
    yearly = sum((line.cost_per_year for line in lines), Decimal(0))
    if period == PaymentPeriod.WEEKLY:
        amount = weekly
    elif period == PaymentPeriod.FOUR_WEEKLY:
        amount = weekly * 4
    else:
        amount = yearly / MONTHS_PER_YEAR
    return amount.quantize(PENNY)


def schedule_dates(*, start_on: date, end_on: date, period: str) -> list[date]:
    """The days payments fall due, from the start to the end, one a period."""
    days = []
    index = 0
    while True:
        if period == PaymentPeriod.WEEKLY:
            due = start_on + relativedelta(weeks=index)
        elif period == PaymentPeriod.FOUR_WEEKLY:
            due = start_on + relativedelta(weeks=4 * index)
        else:
            due = start_on + relativedelta(months=index)
        if due > end_on:
            return days
        days.append(due)
        index += 1


@transaction.atomic
def agreement_create(
    *,
    actor,
    child: Child,
    recipient_name: str,
    recipient_relationship: str,
    purpose: str,
    period: str,
    start_on: date,
    end_on: date,
    method: str,
    check_interval_months: int = 3,
) -> Agreement:
    """Set up a direct payment for the child, paying what their direct-payment package lines
    cost each period, and make its schedule of payments."""
    require_perm(actor, MANAGE)
    errors: dict[str, str] = {}
    if end_on < start_on:
        errors["end_on"] = "The end date must be on or after the start date"
    elif end_on > start_on + relativedelta(years=MAX_YEARS):
        errors["end_on"] = f"An agreement runs for at most {MAX_YEARS} years; agree a new one after"
    if check_interval_months is None or not 1 <= check_interval_months <= 24:
        errors["check_interval_months"] = "Check the account every 1 to 24 months"
    if period not in PaymentPeriod.values:
        errors["period"] = "Choose how often it is paid"
    if errors:
        raise ValidationError(errors)
    lines = list(direct_payment_lines(child=child, on=start_on))
    if not lines:
        raise ValidationError(
            "The child has no package line paid by direct payment running on the start date: "
            "add one to their package first"
        )
    amount = amount_per_period(lines=lines, period=period)
    if amount <= 0:
        raise ValidationError("The direct-payment lines cost nothing, so there is nothing to pay")
    agreement = Agreement.objects.create(
        council=child.council,
        child=child,
        recipient_name=recipient_name.strip(),
        recipient_relationship=recipient_relationship.strip(),
        purpose=purpose.strip(),
        period=period,
        amount_per_period=amount,
        start_on=start_on,
        end_on=end_on,
        method=method,
        check_interval_months=check_interval_months,
        next_check_due=start_on + relativedelta(months=check_interval_months),
        created_by=actor,
    )
    ScheduledPayment.objects.bulk_create(
        ScheduledPayment(council=child.council, agreement=agreement, due_on=due, amount=amount)
        for due in schedule_dates(start_on=start_on, end_on=end_on, period=period)
    )
    events.created(agreement, actor=actor, services=[line.service.title for line in lines])
    return agreement


def agreement_balance(*, agreement: Agreement) -> Decimal:
    """What was paid less what was recovered."""
    paid = Payment.objects.filter(agreement=agreement).aggregate(total=Sum("amount"))["total"]
    recovered = Recovery.objects.filter(agreement=agreement).aggregate(total=Sum("amount"))["total"]
    return (paid or Decimal(0)) - (recovered or Decimal(0))


def _positive(amount, field: str, what: str) -> Decimal:
    if amount is None or amount <= 0:
        raise ValidationError({field: f"The {what} must be more than £0"})
    if amount != amount.quantize(PENNY):
        raise ValidationError({field: f"Enter the {what} in pounds and pence, like 120.50"})
    return amount


@transaction.atomic
def payment_record(
    *, actor, agreement: Agreement, paid_on: date, amount: Decimal, reference: str = ""
) -> Payment:
    require_perm(actor, FINANCE)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    step(agreement, "pay", actor)  # refused once the direct payment has ended
    _positive(amount, "amount", "amount paid")
    if paid_on < agreement.start_on:
        raise ValidationError({"paid_on": "A payment cannot be before the agreement starts"})
    payment = Payment.objects.create(
        council=agreement.council,
        agreement=agreement,
        paid_on=paid_on,
        amount=amount,
        reference=reference.strip(),
        recorded_by=actor,
    )
    events.paid(payment, actor=actor)
    return payment


@transaction.atomic
def recovery_record(
    *, actor, agreement: Agreement, recovered_on: date, amount: Decimal, reason: str
) -> Recovery:
    """Take back unspent money: it reduces the balance, and never by more than the balance."""
    require_perm(actor, FINANCE)
    # One recovery at a time per agreement, so two cannot both pass the balance check.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _positive(amount, "amount", "amount recovered")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the money is recovered"})
    balance = agreement_balance(agreement=agreement)
    if amount > balance:
        raise ValidationError(
            {"amount": f"The amount recovered cannot be more than the balance, {_pounds(balance)}"}
        )
    recovery = Recovery.objects.create(
        council=agreement.council,
        agreement=agreement,
        recovered_on=recovered_on,
        amount=amount,
        reason=reason.strip(),
        recorded_by=actor,
    )
    events.recovered(recovery, actor=actor)
    return recovery


@transaction.atomic
def agreement_review_record(
    *, actor, agreement: Agreement, held_on: date, outcome: str, notes: str = ""
) -> AgreementReview:
    """Record a review; ending the direct payment stops it from the review's date."""
    require_perm(actor, REVIEW)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    step(agreement, "end" if outcome == ReviewOutcome.END else "review", actor)
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Choose what the review decided"})
    if held_on < agreement.start_on:
        raise ValidationError({"held_on": "A review cannot be before the agreement starts"})
    if outcome == ReviewOutcome.END and not notes.strip():
        raise ValidationError({"notes": "Enter why the direct payment ends"})
    review = AgreementReview.objects.create(
        council=agreement.council,
        agreement=agreement,
        held_on=held_on,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    agreement.next_check_due = held_on + relativedelta(months=agreement.check_interval_months)
    changed = ["next_check_due"]
    if outcome == ReviewOutcome.END:
        agreement.ended_on = held_on
        changed += ["status", "ended_on"]
        ScheduledPayment.objects.filter(agreement=agreement, due_on__gt=held_on).delete()
    agreement.save(update_fields=changed)
    events.reviewed(review, actor=actor)
    return review
