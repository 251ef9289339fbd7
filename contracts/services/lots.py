"""Writes to a contract's lots and their awards to providers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from contracts import events
from contracts.models import (
    Award,
    Contract,
    Lot,
)
from contracts.services.participation import MANAGE, require_lead
from providers.models import Provider, Service
from shortbreaks.permissions import require_perm
from shortbreaks.unique import save_unique


@transaction.atomic
def lot_create(
    *,
    actor,
    contract: Contract,
    number: int,
    name: str,
    description: str = "",
    services: list[Service] = (),
) -> Lot:
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    taken = f"The contract already has a lot {number}."
    if Lot.objects.filter(contract=contract, number=number).exists():
        raise ValidationError({"number": taken})
    if any(s.council_id != contract.council_id for s in services):
        raise ValidationError({"services": "Choose the council's own services."})
    lot = Lot(
        council=contract.council,
        contract=contract,
        number=number,
        name=name,
        description=description,
    )
    lot.full_clean()
    save_unique(lot, {"lot_unique_number": {"number": taken}})
    lot.services.set(services)
    events.lot_added(lot, actor=actor)
    return lot


@transaction.atomic
def award_create(
    *,
    actor,
    lot: Lot,
    provider: Provider,
    rates: str = "",
    capacity: str = "",
    value: Decimal | None = None,
    awarded_on: date | None = None,
) -> Award:
    """Award a lot to a provider. `value` is what the award is worth over the contract's whole
    term: the awards of a contract add up to no more than its total value, so that what the
    council publishes (each lot's award and contract) reconciles with the contract."""
    require_perm(actor, MANAGE)
    require_lead(actor, lot.contract)
    if provider.council_id != lot.council_id:
        raise ValidationError({"provider": "Choose one of the council's providers."})
    if value is not None and value < 0:
        raise ValidationError({"value": "The value cannot be negative."})
    contract = Contract.objects.select_for_update().get(pk=lot.contract_id)
    if value and contract.total_value is not None:
        awarded = Award.objects.filter(lot__contract=contract, value__isnull=False).aggregate(
            total=Sum("value")
        )["total"] or Decimal(0)
        if awarded + value > contract.total_value:
            raise ValidationError(
                {
                    "value": f"The contract's awards would add up to £{awarded + value:,.2f}, "
                    f"more than its total value of £{contract.total_value:,.2f}. Enter the "
                    "value over the contract's whole term, at most "
                    f"£{max(contract.total_value - awarded, Decimal(0)):,.2f}."
                }
            )
    award = Award.objects.create(
        council=lot.council,
        lot=lot,
        provider=provider,
        rates=rates,
        capacity=capacity,
        value=value,
        awarded_on=awarded_on,
    )
    events.lot_awarded(award, actor=actor)
    return award
