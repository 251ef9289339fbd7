"""A brokerage request's timeline: one writer per kind of event (docs/decisions/0026). Each keeps
what happened as parameters; `BrokerageEvent.SUMMARIES` words it."""

from __future__ import annotations

from datetime import date

from brokerage.models import (
    BrokerageEvent,
    BrokerageEventKind,
    BrokerageRequest,
    BrokerageResponse,
)


def _write(request: BrokerageRequest, *, actor, on: date, kind: str, params: dict | None = None):
    return BrokerageEvent.objects.create(
        council=request.council, request=request, on=on, kind=kind, params=params or {}, actor=actor
    )


def raised(request: BrokerageRequest, *, actor, on: date) -> BrokerageEvent:
    return _write(request, actor=actor, on=on, kind=BrokerageEventKind.RAISED)


def changed(request: BrokerageRequest, *, actor, on: date) -> BrokerageEvent:
    return _write(request, actor=actor, on=on, kind=BrokerageEventKind.CHANGED)


def sent(request: BrokerageRequest, *, actor, on: date, providers, first: bool) -> BrokerageEvent:
    """Sent the first time, or again with a new deadline (`providers`: those added now)."""
    params = {
        "deadline": request.deadline,
        "providers": sorted(p.name for p in providers),
        "provider_ids": sorted(p.pk for p in providers),
    }
    kind = BrokerageEventKind.SENT if first else BrokerageEventKind.SENT_AGAIN
    return _write(request, actor=actor, on=on, kind=kind, params=params)


def answered(response: BrokerageResponse, *, actor, on: date) -> BrokerageEvent:
    request = response.request
    params = {
        "provider": str(response.provider),
        "provider_id": response.provider_id,
        "can_meet": response.can_meet,
        "on_behalf": response.on_behalf,
        "unit": request.get_unit_display(),
    }
    if response.can_meet:
        params |= {"price": response.price_per_unit, "start_date": response.start_date}
    return _write(request, actor=actor, on=on, kind=BrokerageEventKind.ANSWER, params=params)


def awarded(request: BrokerageRequest, *, actor, on: date, response: BrokerageResponse):
    params = {
        "provider": str(response.provider),
        "provider_id": response.provider_id,
        "price": response.price_per_unit,
        "unit": request.get_unit_display(),
        "contract": request.contract.reference,
        "contract_id": request.contract_id,
    }
    return _write(request, actor=actor, on=on, kind=BrokerageEventKind.AWARDED, params=params)


def spot_purchased(request: BrokerageRequest, *, actor, on: date) -> BrokerageEvent:
    params = {
        "provider": str(request.spot_provider),
        "provider_id": request.spot_provider_id,
        "price": request.spot_unit_rate,
        "unit": request.get_unit_display(),
        "reason": request.close_reason,
    }
    return _write(request, actor=actor, on=on, kind=BrokerageEventKind.SPOT, params=params)


def withdrawn(request: BrokerageRequest, *, actor, on: date, reason: str) -> BrokerageEvent:
    return _write(
        request, actor=actor, on=on, kind=BrokerageEventKind.WITHDRAWN, params={"reason": reason}
    )
