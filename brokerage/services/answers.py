"""Providers' answers: recorded by the provider's staff or on its behalf, and each answer's
outcome (awarded, not chosen, closed), a step declared on `BrokerageResponse`, to be told to its
provider."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from brokerage import events
from brokerage.models import BrokerageRequest, BrokerageResponse, ResponseOutcome
from brokerage.notify import notify_brokerage_answer, notify_brokerage_outcomes
from brokerage.services.common import ANSWER, MANAGE, _locked, _own, _price, _today
from providers.models import Provider
from providers.selectors import provider_for
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step


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


def _locked_response(response: BrokerageResponse) -> BrokerageResponse:
    return (
        BrokerageResponse.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=response.pk)
    )


def _decided(response: BrokerageResponse, on: date) -> None:
    response.outcome_on = on
    response.save(update_fields=["outcome", "outcome_on"])


def _close_responses(
    request: BrokerageRequest, *, actor, chosen: BrokerageResponse | None, on: date
) -> None:
    """Each answer's outcome, as its declared step, to be told to its provider: the chosen one
    (already stepped to awarded) and the others not chosen; with no award, every answer closed
    with the request."""
    waiting = request.responses.select_for_update().filter(outcome=ResponseOutcome.PENDING)
    for response in waiting.exclude(pk=getattr(chosen, "pk", None)).order_by("pk"):
        step(response, "pass_over" if chosen else "close", actor)
        _decided(response, on)
    if chosen is not None:
        _decided(chosen, on)
    notify_brokerage_outcomes(request)


def brokerage_outcome_mark_notified(*, response: BrokerageResponse) -> None:
    """For the notices: record that the provider was told its answer's outcome."""
    BrokerageResponse.objects.filter(pk=response.pk, outcome_notified_at__isnull=True).exclude(
        outcome=ResponseOutcome.PENDING
    ).update(outcome_notified_at=timezone.now())
