"""What the brokerage services share: the permissions they ask for, the check that a record is
the council's own, the request locked for a change, the note on the child's package, and a
price read from input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from brokerage.models import BrokerageRequest
from referrals.services import packages as package_services
from shortbreaks.councils.errors import RecordNotFound

RAISE = "brokerage.raise_request"
MANAGE = "brokerage.manage_request"
AWARD = "brokerage.award_request"
ANSWER = "brokerage.answer_request"
MAX_PRICE = Decimal("10000.00")


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _own(actor, *records) -> None:
    for record in records:
        if record is not None and record.council_id != actor.active_council_id:
            raise RecordNotFound(object_type=record._meta.label_lower, object_id=record.pk)


def _locked(request: BrokerageRequest) -> BrokerageRequest:
    return (
        BrokerageRequest.objects.select_for_update(of=("self",))
        .select_related("line__package__child", "lot__contract", "dps")
        .get(pk=request.pk)
    )


def _child_note(request: BrokerageRequest, *, actor, on: date, step: str, **params) -> None:
    package_services.package_brokerage_note(
        actor=actor, line=request.line, on=on, request_id=request.pk, step=step, **params
    )


def _price(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"price_per_unit": "Enter the price in pounds, like 27.50."}
        ) from None
    if (
        not price.is_finite()
        or price <= 0
        or price >= MAX_PRICE
        or price != price.quantize(Decimal("0.01"))
    ):
        raise ValidationError(
            {"price_per_unit": "Enter a price in pounds above 0 and below £10,000, like 27.50."}
        )
    return price
