"""The council's decision on a request: the scoring weights of each DPS, the award to one answer
(a DPS call-off contract through `contracts.services`, the line bought under it through
`referrals.services`), or a spot purchase with its reason."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction

from brokerage import events
from brokerage.models import BrokerageRequest, BrokerageResponse, BrokerageWeights
from brokerage.selectors import service_for
from brokerage.services.answers import _close_responses, _locked_response
from brokerage.services.common import AWARD, _locked, _own, _price, _today
from contracts.models import DPS, ContractKind, ProcurementMethod
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_activate, contract_create
from providers.models import Provider
from referrals.models import line_costs
from referrals.services import packages as package_services
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step


@transaction.atomic
def brokerage_weights_set(
    *, actor, dps: DPS, price_weight: int, quality_weight: int
) -> BrokerageWeights:
    require_perm(actor, AWARD)
    _own(actor, dps)
    errors = {}
    for name, value in (("price_weight", price_weight), ("quality_weight", quality_weight)):
        if not isinstance(value, int) or not 0 <= value <= 100:
            errors[name] = "Enter a whole number from 0 to 100."
    if not errors and price_weight + quality_weight != 100:
        errors["price_weight"] = "The price and quality weights must add up to 100."
    if errors:
        raise ValidationError(errors)
    weights, _ = BrokerageWeights.objects.update_or_create(
        dps=dps,
        defaults={
            "council": dps.council,
            "price_weight": price_weight,
            "quality_weight": quality_weight,
            "updated_by": actor,
        },
    )
    return weights


def _end_date(request: BrokerageRequest, start: date) -> date:
    line_end = request.line.end_on
    if line_end and line_end >= start:
        return line_end
    return start + relativedelta(years=1) - timedelta(days=1)


@transaction.atomic
def brokerage_request_award(
    *, actor, request: BrokerageRequest, response: BrokerageResponse, today: date | None = None
) -> BrokerageRequest:
    """Award the request to one answer: a DPS call-off contract under the DPS and its lot (its
    own lot awarded to the provider at the price), and the line bought under it."""
    require_perm(actor, AWARD)
    _own(actor, request, response)
    today = _today(today)
    request = _locked(request)
    step(request, "award", actor)
    if response.request_id != request.pk:
        raise ValidationError({"response": "Choose one of this request's answers."})
    response = _locked_response(response)
    step(response, "award", actor)  # saved with the others' outcomes, once the contract is made
    provider = response.provider
    service = service_for(provider, request.lot)
    if service is None:
        raise TransitionNotAllowed(f"{provider} offers no service the council holds to buy.")
    start = max(response.start_date, today)
    end = _end_date(request, start)
    yearly = line_costs(request.hours_per_week, request.nights_per_year, response.price_per_unit)[1]
    total = (yearly * Decimal((end - start).days + 1) / Decimal(365)).quantize(Decimal("0.01"))
    dps_contract = request.lot.contract
    contract = contract_create(
        actor=actor,
        dps=request.dps,
        call_off_lot=request.lot,
        reference=f"{dps_contract.reference}-BR{request.pk}",
        title=f"Call-off under {request.lot}: brokerage request {request.pk}",
        kind=ContractKind.DPS_CALL_OFF,
        procurement_route=f"Call-off from {request.dps} after brokerage request {request.pk}",
        procurement_method=ProcurementMethod.SELECTIVE,
        date_signed=today,
        start_date=start,
        end_date=end,
        max_extent_date=end,
        annual_value=yearly,
        total_value=total,
    )
    call_off_lot = lot_create(
        actor=actor,
        contract=contract,
        number=1,
        name=request.lot.name,
        description=f"{request.amount_display} at {request.ratio}.",
        services=[service],
    )
    award_create(
        actor=actor,
        lot=call_off_lot,
        provider=provider,
        rates=f"£{response.price_per_unit:,.2f} {request.get_unit_display()}",
        value=total,
        awarded_on=today,
    )
    contract = contract_activate(actor=actor, contract=contract)
    package_services.package_line_commission(
        actor=actor,
        line=request.line,
        provider=provider,
        service=service,
        unit_rate=response.price_per_unit,
        lot=call_off_lot,
        on=today,
        request_id=request.pk,
    )
    _close_responses(request, actor=actor, chosen=response, on=today)
    request.contract, request.closed_on = contract, today
    request.save(update_fields=["status", "contract", "closed_on"])
    events.awarded(request, actor=actor, on=today, response=response)
    return request


@transaction.atomic
def brokerage_request_spot_purchase(
    *,
    actor,
    request: BrokerageRequest,
    provider: Provider,
    unit_rate,
    reason: str,
    today: date | None = None,
) -> BrokerageRequest:
    """No DPS member can meet the need (or none answered): buy it spot, with the reason."""
    require_perm(actor, AWARD)
    _own(actor, request, provider)
    today = _today(today)
    request = _locked(request)
    step(request, "spot_purchase", actor)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the support is spot purchased."
    try:
        rate = _price(unit_rate)
    except ValidationError:
        rate = None
    if rate is None:
        errors["unit_rate"] = "Enter the unit rate in pounds above 0 and below £10,000."
    service = service_for(provider, request.lot)
    if service is None:
        errors["provider"] = "Choose a provider with a service the council holds."
    if errors:
        raise ValidationError(errors)
    package_services.package_line_commission(
        actor=actor,
        line=request.line,
        provider=provider,
        service=service,
        unit_rate=rate,
        lot=None,
        on=today,
        request_id=request.pk,
        reason=reason,
    )
    _close_responses(request, actor=actor, chosen=None, on=today)
    request.closed_on = today
    request.close_reason, request.spot_provider, request.spot_unit_rate = (
        reason.strip(),
        provider,
        rate,
    )
    request.save(
        update_fields=["status", "closed_on", "close_reason", "spot_provider", "spot_unit_rate"]
    )
    events.spot_purchased(request, actor=actor, on=today)
    return request
