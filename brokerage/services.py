"""Writes to brokerage requests: raise, edit, send (again, wider), answer, award, spot purchase,
withdraw; and each DPS's scoring weights.

Every status change is a step declared on `BrokerageRequest` (`shortbreaks.states.step`, which
refuses with the declared reason), then writes a `BrokerageEvent` for the request's timeline
(`brokerage/events.py`) and a package event for the child's. The award writes through
`contracts.services` (the call-off contract, its lot and award) and `referrals.services` (the
line's provider, rate and contract).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from brokerage import events
from brokerage.identifiers import (
    Identifiers,
    is_district,
    postcode_district,
    strip_identifiers,
)
from brokerage.models import (
    OPEN_STATUSES,
    AgeBand,
    BrokerageInvitation,
    BrokerageRequest,
    BrokerageResponse,
    BrokerageWeights,
    RequestStatus,
    ResponseOutcome,
)
from brokerage.notify import notify_brokerage_answer, notify_brokerage_outcomes
from brokerage.selectors import dps_lots, lot_members, service_for
from contracts.models import DPS, ContractKind, Lot, MembershipStatus, ProcurementMethod
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_activate, contract_create
from providers.models import Provider, Ratio
from providers.selectors import provider_for
from referrals.models import PackageLine, PackageStatus, line_costs
from referrals.services import packages as package_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step

RAISE = "brokerage.raise_request"
MANAGE = "brokerage.manage_request"
AWARD = "brokerage.award_request"
ANSWER = "brokerage.answer_request"

TEXT_FIELDS = ("needs_summary", "outcomes")
EDITABLE = ("age_band", "needs_summary", "ratio", "area", "start_date", "outcomes")
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


def _child_note(request: BrokerageRequest, *, actor, on: date, summary: str) -> None:
    package_services.package_brokerage_note(
        actor=actor, line=request.line, on=on, summary=f"Brokerage request {request.pk}: {summary}"
    )


def age_band(date_of_birth: date, on: date) -> str:
    age = relativedelta(on, date_of_birth).years
    for band in AgeBand:
        low, high = (int(part) for part in band.value.split("-"))
        if low <= age <= high:
            return band.value
    return AgeBand.FROM_15.value if age > 17 else AgeBand.UNDER_5.value


def _clean_text(request: BrokerageRequest, who: Identifiers) -> None:
    """Strip identifiers from every free-text field; note which kinds were found where."""
    removed = []
    for name in TEXT_FIELDS:
        text, kinds = strip_identifiers(getattr(request, name), who)
        setattr(request, name, text.strip())
        removed += [f"{name}:{kind}" for kind in kinds]
    request.removed = removed


def _validate(request: BrokerageRequest) -> None:
    errors = {}
    if request.age_band not in AgeBand.values:
        errors["age_band"] = "Choose the age band."
    if request.ratio not in Ratio.values:
        errors["ratio"] = "Choose the staff to child ratio."
    if not (request.needs_summary or "").strip():
        errors["needs_summary"] = "Enter a summary of the child's needs."
    if not (request.outcomes or "").strip():
        errors["outcomes"] = "Enter the outcomes the support should achieve."
    request.area = (request.area or "").strip().upper()
    if not is_district(request.area):
        errors["area"] = "Enter the postcode district only, for example HR4."
    if request.start_date is None:
        errors["start_date"] = "Enter the date the support should start."
    if errors:
        raise ValidationError(errors)


def _who(line: PackageLine) -> Identifiers:
    return Identifiers.of_child(line.package.child)


@transaction.atomic
def brokerage_request_raise(
    *, actor, line: PackageLine, lot: Lot | None = None, today: date | None = None, **fields
) -> BrokerageRequest:
    """A draft request from a line the panel approved, its text drawn from the child's record
    and assessment with every identifier removed, for the social worker to check and send."""
    require_perm(actor, RAISE)
    _own(actor, line, lot)
    today = _today(today)
    line = PackageLine.objects.select_related("package__child", "package__assessment", "lot").get(
        pk=line.pk
    )
    package = line.package
    if package.status not in (PackageStatus.APPROVED, PackageStatus.ACTIVE):
        raise TransitionNotAllowed(
            "A brokerage request is raised from a line of a package the panel approved."
        )
    if line.brokerage_requests.filter(status__in=OPEN_STATUSES).exists():
        raise TransitionNotAllowed("This line already has a brokerage request under way.")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    lots = dps_lots(council=line.council)
    if lot is None:
        fitting = [candidate for candidate in lots if candidate.pk == line.lot_id]
        fitting = fitting or [c for c in lots if line.service_id in c.service_ids]
        if not fitting:
            raise ValidationError({"lot": "Choose the DPS lot that fits this need."})
        lot = fitting[0]
    elif lot.pk not in {candidate.pk for candidate in lots}:
        raise ValidationError({"lot": "Choose a lot of one of the council's open DPS."})
    child = package.child
    assessment = package.assessment
    needs = (assessment.child_needs or "").strip()
    if child.disabilities:
        needs = f"{needs}\n\nAreas of need: {child.get_disabilities_display()}.".strip()
    request = BrokerageRequest(
        council=line.council,
        line=line,
        dps=lot.contract.dps,
        lot=lot,
        age_band=fields.get("age_band") or age_band(child.date_of_birth, line.start_on),
        needs_summary=fields.get("needs_summary", needs) or needs,
        ratio=fields.get("ratio") or line.ratio,
        hours_per_week=line.hours_per_week,
        nights_per_year=line.nights_per_year,
        area=fields.get("area") or postcode_district(child.postcode),
        start_date=fields.get("start_date") or max(line.start_on, today),
        outcomes=fields.get("outcomes") or (assessment.recommended_support or "").strip(),
        created_by=actor,
    )
    _clean_text(request, _who(line))
    _validate(request)
    request.save()
    events.raised(request, actor=actor, on=today)
    _child_note(request, actor=actor, on=today, summary=f"raised for {line}.")
    return request


@transaction.atomic
def brokerage_request_update(
    *, actor, request: BrokerageRequest, today: date | None = None, **fields
) -> BrokerageRequest:
    """Change the draft's text; identifiers are taken out again on every save."""
    require_perm(actor, MANAGE)
    _own(actor, request)
    request = _locked(request)
    step(request, "change", actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(request, name, value)
    _clean_text(request, _who(request.line))
    _validate(request)
    request.save()
    events.changed(request, actor=actor, on=_today(today))
    return request


def _approved_members(request: BrokerageRequest) -> dict[int, Provider]:
    return {
        membership.provider_id: membership.provider
        for membership in request.dps.memberships.filter(
            status=MembershipStatus.APPROVED
        ).select_related("provider")
    }


@transaction.atomic
def brokerage_request_send(
    *,
    actor,
    request: BrokerageRequest,
    deadline: date,
    providers: Iterable[Provider] | None = None,
    today: date | None = None,
) -> BrokerageRequest:
    """Send the checked draft to the approved members of the lot (or those chosen), with a
    deadline. Sent already: send again with a new deadline, to any more members chosen."""
    require_perm(actor, MANAGE)
    _own(actor, request)
    today = _today(today)
    request = _locked(request)
    first, sent_deadline = request.status == RequestStatus.DRAFT, request.deadline
    step(request, "send", actor)
    errors = {}
    if deadline is None or deadline <= today:
        errors["deadline"] = "The deadline must be after today."
    elif not first and sent_deadline and deadline <= sent_deadline:
        errors["deadline"] = f"Sending again needs a new deadline after {sent_deadline:%d/%m/%Y}."
    members = _approved_members(request)
    if providers is None:
        chosen = list(lot_members(request.lot))
    else:
        chosen = list(providers)
        if any(p.pk not in members for p in chosen):
            errors["providers"] = "Choose approved members of the DPS."
    already = set(request.invitations.values_list("provider_id", flat=True))
    new = [p for p in chosen if p.pk not in already]
    if first and not new:
        errors.setdefault("providers", "Choose at least one approved member of the DPS.")
    if errors:
        raise ValidationError(errors)
    _clean_text(request, _who(request.line))
    _validate(request)
    round_number = 1 if first else 1 + max(request.invitations.values_list("round", flat=True))
    BrokerageInvitation.objects.bulk_create(
        BrokerageInvitation(
            council=request.council,
            request=request,
            provider=provider,
            sent_on=today,
            round=round_number,
        )
        for provider in new
    )
    request.deadline = deadline
    if first:
        request.sent_at = timezone.now()
    request.save()
    events.sent(request, actor=actor, on=today, providers=new, first=first)
    _child_note(
        request,
        actor=actor,
        on=today,
        summary=f"sent to {len(already) + len(new)} DPS members, answers by {deadline:%d/%m/%Y}.",
    )
    return request


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


@transaction.atomic
def brokerage_response_record(
    *,
    actor,
    request: BrokerageRequest,
    provider: Provider,
    can_meet: bool,
    price_per_unit=None,
    start_date: date | None = None,
    comments: str = "",
    today: date | None = None,
) -> BrokerageResponse:
    """A provider's answer: by its own staff, or by council staff on its behalf."""
    own_provider = provider_for(actor)
    if own_provider is not None and actor.has_perm(ANSWER):
        if own_provider.pk != provider.pk:
            raise PermissionDenied
        on_behalf = False
    else:
        require_perm(actor, MANAGE)
        on_behalf = True
    _own(actor, request, provider)
    today = _today(today)
    request = _locked(request)
    invitation = request.invitations.filter(provider=provider).first()
    if invitation is None:
        if own_provider is not None:
            raise RecordNotFound(object_type="brokerage.brokeragerequest", object_id=request.pk)
        raise ValidationError({"provider": "This request was not sent to that provider."})
    step(request, "answer", actor)
    if BrokerageResponse.objects.filter(invitation=invitation).exists():
        raise TransitionNotAllowed(f"{provider} has already answered this request.")
    errors = {}
    if request.deadline and today > request.deadline:
        errors["deadline"] = (
            f"The deadline was {request.deadline:%d/%m/%Y}; answers are closed until the council "
            "sends the request again."
        )
    if errors:
        raise ValidationError(errors)
    price = _price(price_per_unit)
    if can_meet:
        if price is None:
            errors["price_per_unit"] = "Enter the price per unit, in pounds."
        if start_date is None:
            errors["start_date"] = "Enter the date the support could start."
    if errors:
        raise ValidationError(errors)
    response = BrokerageResponse.objects.create(
        council=request.council,
        invitation=invitation,
        request=request,
        provider=provider,
        can_meet=bool(can_meet),
        price_per_unit=price if can_meet else None,
        start_date=start_date if can_meet else None,
        comments=(comments or "").strip(),
        recorded_by=actor,
        on_behalf=on_behalf,
    )
    events.answered(response, actor=actor, on=today)
    notify_brokerage_answer(response, actor=actor)
    return response


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


def _close_responses(request: BrokerageRequest, *, chosen: BrokerageResponse | None, on: date):
    """Each answer's outcome, to be told to its provider."""
    request.responses.exclude(pk=getattr(chosen, "pk", None)).update(
        outcome=ResponseOutcome.NOT_CHOSEN if chosen else ResponseOutcome.CLOSED, outcome_on=on
    )
    if chosen is not None:
        BrokerageResponse.objects.filter(pk=chosen.pk).update(
            outcome=ResponseOutcome.AWARDED, outcome_on=on
        )
    notify_brokerage_outcomes(request)


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
    if not response.can_meet:
        raise TransitionNotAllowed(f"{response.provider} said it cannot meet the need.")
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
    summary = (
        f"awarded to {provider} at £{response.price_per_unit:,.2f} {request.get_unit_display()} "
        f"under call-off contract {contract.reference}."
    )
    package_services.package_line_commission(
        actor=actor,
        line=request.line,
        provider=provider,
        service=service,
        unit_rate=response.price_per_unit,
        lot=call_off_lot,
        on=today,
        summary=f"Brokerage request {request.pk}: {summary}",
    )
    _close_responses(request, chosen=response, on=today)
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
    summary = (
        f"spot purchased from {provider} at £{rate:,.2f} {request.get_unit_display()}: "
        f"{reason.strip()}"
    )
    package_services.package_line_commission(
        actor=actor,
        line=request.line,
        provider=provider,
        service=service,
        unit_rate=rate,
        lot=None,
        on=today,
        summary=f"Brokerage request {request.pk}: {summary}",
    )
    _close_responses(request, chosen=None, on=today)
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


@transaction.atomic
def brokerage_request_withdraw(
    *, actor, request: BrokerageRequest, reason: str, today: date | None = None
) -> BrokerageRequest:
    require_perm(actor, MANAGE)
    _own(actor, request)
    today = _today(today)
    request = _locked(request)
    step(request, "withdraw", actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the request is withdrawn."})
    _close_responses(request, chosen=None, on=today)
    request.closed_on = today
    request.close_reason = reason.strip()
    request.save(update_fields=["status", "closed_on", "close_reason"])
    events.withdrawn(request, actor=actor, on=today, reason=reason)
    _child_note(request, actor=actor, on=today, summary=f"withdrawn: {reason.strip()}")
    return request


def brokerage_outcome_mark_notified(*, response: BrokerageResponse) -> None:
    """For the notices: record that the provider was told its answer's outcome."""
    BrokerageResponse.objects.filter(pk=response.pk, outcome_notified_at__isnull=True).exclude(
        outcome=ResponseOutcome.PENDING
    ).update(outcome_notified_at=timezone.now())
