"""Targeted grants and allowances: schemes, applications, decisions and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from referrals import notify
from referrals.models import (
    Child,
    ChildTier,
    GrantApplication,
    GrantScheme,
    GrantStatus,
    PaymentStatus,
)
from referrals.services.children import child_tier_change
from referrals.services.common import MANAGE, _own, _require_text
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.unique import refuse_duplicates, save_unique

SCHEME_TAKEN = {"name": "The council already has this scheme for that year."}


@transaction.atomic
def grant_scheme_create(
    *,
    actor,
    name: str,
    year: int,
    eligibility_criteria: str,
    max_amount: Decimal | None = None,
) -> GrantScheme:
    require_perm(actor, MANAGE)
    council = actor.active_council
    errors = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = "Enter the year the financial year starts, like 2025."
    if not (eligibility_criteria or "").strip():
        errors["eligibility_criteria"] = "Enter who is eligible."
    if GrantScheme.objects.filter(council=council, year=year, name=name).exists():
        errors.update(SCHEME_TAKEN)
    if errors:
        raise ValidationError(errors)
    scheme = GrantScheme(
        council=council,
        name=name,
        year=year,
        eligibility_criteria=eligibility_criteria,
        max_amount=max_amount,
    )
    scheme.full_clean()
    save_unique(scheme, {"grant_scheme_unique_name": SCHEME_TAKEN})
    return scheme


# One live application per child and scheme (a scheme is one year's); a declined one does not
# count. The database's partial unique index stops the later of two at once.
ONE_LIVE_APPLICATION = "grantapp_one_live_per_child_scheme"
# What an approved award still commits: awaited or paid, not stopped.
COMMITTED_PAYMENTS = (PaymentStatus.AWAITING_PAYMENT, PaymentStatus.PAID)


class _AlreadyApplied(Exception):
    pass


class GrantCapExceeded(ValidationError):
    """An award that would take the child's committed awards on the scheme past its maximum:
    a ValidationError on `amount` (pages show it in the error summary), carrying the totals
    (the API answers 409 with them)."""

    def __init__(self, *, scheme: GrantScheme, before: Decimal, amount: Decimal):
        self.scheme, self.before, self.amount = scheme, before, amount
        self.total, self.maximum = before + amount, scheme.max_amount
        super().__init__(
            {
                "amount": f"This child has already been awarded £{before:,.2f} on {scheme}; "
                f"with £{amount:,.2f} more that is £{self.total:,.2f}, and the scheme awards "
                f"at most £{self.maximum:,.2f} a year."
            }
        )

    @property
    def totals(self) -> dict:
        return {
            "already_awarded": self.before,
            "this_award": self.amount,
            "total": self.total,
            "maximum": self.maximum,
        }


def _live_application(child: Child, scheme: GrantScheme) -> GrantApplication | None:
    return (
        GrantApplication.objects.filter(child=child, scheme=scheme)
        .exclude(status=GrantStatus.DECLINED)
        .order_by("received_on", "id")
        .first()
    )


def _already_applied(existing: GrantApplication, *, parent: bool = False) -> ValidationError:
    whose = "You have already applied for this child" if parent else "This child already has"
    what = "" if parent else " an application"
    return ValidationError(
        {
            "scheme": f"{whose}{what} on {existing.scheme}: application {existing.pk}, received "
            f"on {existing.received_on:%-d %B %Y}, {existing.get_status_display().lower()}. "
            "A child can have one application a year on a scheme, unless it is declined."
        }
    )


def _grant_application_insert(application: GrantApplication, *, parent: bool = False) -> None:
    """Save a new application, refusing a second live one for the child and scheme as the check
    does, also when another request inserted it a moment before (the index stops this one)."""
    existing = _live_application(application.child, application.scheme)
    if existing is not None:
        raise _already_applied(existing, parent=parent)
    try:
        with refuse_duplicates({ONE_LIVE_APPLICATION: _AlreadyApplied()}):
            application.save()
    except _AlreadyApplied:
        existing = _live_application(application.child, application.scheme)
        raise _already_applied(existing, parent=parent) from None


def _awarded(child: Child, scheme: GrantScheme, *, statuses, besides: GrantApplication) -> Decimal:
    total = (
        GrantApplication.objects.filter(
            child=child, scheme=scheme, payment_status__in=statuses, amount__isnull=False
        )
        .exclude(pk=besides.pk)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal(0)


@transaction.atomic
def grant_application_create(
    *,
    actor,
    child: Child,
    scheme: GrantScheme,
    received_on: date,
    answers: dict | None = None,
) -> GrantApplication:
    require_perm(actor, MANAGE)
    _own(actor, child, scheme)
    if answers is not None and not isinstance(answers, dict):
        raise ValidationError({"answers": "The answers must be a set of questions and answers."})
    application = GrantApplication(
        council=child.council,
        child=child,
        scheme=scheme,
        received_on=received_on,
        answers=answers or {},
    )
    _grant_application_insert(application)
    return application


@transaction.atomic
def grant_application_decide(
    *,
    actor,
    application: GrantApplication,
    decision: str,
    decided_on: date,
    amount: Decimal | None = None,
    reason: str = "",
    review_on: date | None = None,
) -> GrantApplication:
    """Approve with an amount (the child moves to the targeted tier) or decline with a reason."""
    require_perm(actor, MANAGE)
    _own(actor, application)
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != GrantStatus.RECEIVED:
        raise TransitionNotAllowed(
            f"This application is already {application.get_status_display().lower()}."
        )
    scheme, child = application.scheme, application.child
    errors = {}
    cap = None
    if decision == GrantStatus.APPROVED:
        if amount is None or amount <= 0:
            errors["amount"] = "Enter the amount awarded, in pounds."
        elif scheme.max_amount is not None and amount > scheme.max_amount:
            errors["amount"] = f"The scheme awards at most £{scheme.max_amount:,.2f}."
        elif scheme.max_amount is not None:
            # Every application of the child on the scheme (a scheme is one year's) counts,
            # declined ones still paid among them.
            before = _awarded(child, scheme, statuses=COMMITTED_PAYMENTS, besides=application)
            if before + amount > scheme.max_amount:
                cap = GrantCapExceeded(scheme=scheme, before=before, amount=amount)
                errors["amount"] = cap.message_dict["amount"][0]
    elif decision == GrantStatus.DECLINED:
        _require_text(errors, reason=reason)
    else:
        errors["decision"] = "Choose approved or declined."
    if decided_on < application.received_on:
        errors["decided_on"] = "The decision cannot be before the application was received."
    if review_on is not None and review_on <= decided_on:
        errors["review_on"] = "The review date must be after the decision."
    if cap is not None and len(errors) == 1:
        raise cap
    if errors:
        raise ValidationError(errors)
    application.status = decision
    application.decided_on = decided_on
    application.decided_by = actor
    application.review_on = review_on
    if decision == GrantStatus.APPROVED:
        application.amount = amount
        states.step(application, "await_payment", actor)
    else:
        application.decline_reason = reason
    application.save()
    if decision == GrantStatus.APPROVED and child.tier in (ChildTier.NONE, ChildTier.UNIVERSAL):
        child_tier_change(
            actor=actor,
            child=child,
            to_tier=ChildTier.TARGETED,
            on=decided_on,
            reason=f"{scheme} awarded: £{amount:,.2f}.",
        )
    notify.notify_grant_decision(application)
    return application


@transaction.atomic
def grant_payment_set(
    *, actor, application: GrantApplication, payment_status: str
) -> GrantApplication:
    require_perm(actor, MANAGE)
    _own(actor, application)
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if payment_status not in PaymentStatus.values:
        raise ValidationError({"payment_status": "Choose a payment status."})
    # Payments move forward only, as GrantApplication declares (docs/decisions/0026).
    step = states.declared_steps(GrantApplication, "payment_status").get(payment_status)
    if step is None:
        raise TransitionNotAllowed("A payment cannot go back to not due.")
    states.step(application, step, actor)
    scheme = application.scheme
    if payment_status == PaymentStatus.PAID and scheme.max_amount is not None:
        paid = _awarded(
            application.child, scheme, statuses=[PaymentStatus.PAID], besides=application
        )
        if paid + application.amount > scheme.max_amount:
            raise ValidationError(
                {
                    "payment_status": f"This child has already been paid £{paid:,.2f} on "
                    f"{scheme}; paying £{application.amount:,.2f} more would make "
                    f"£{paid + application.amount:,.2f}, and the scheme pays at most "
                    f"£{scheme.max_amount:,.2f} a year."
                }
            )
    application.save(update_fields=["payment_status"])
    return application
