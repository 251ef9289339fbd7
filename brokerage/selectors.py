"""Reads of brokerage requests, scoped to who asks.

Council staff who may read requests see their council's; provider staff see only the requests
sent to the provider they act for (`providers.selectors.provider_for`), and never a draft: any
other request's id answers the same not-found as a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from brokerage.models import (
    BrokerageEvent,
    BrokerageInvitation,
    BrokerageRequest,
    BrokerageResponse,
    BrokerageWeights,
    RequestStatus,
    ResponseOutcome,
)
from contracts.models import DPS, DPSStatus, Lot, MembershipStatus
from contracts.selectors.register import attach_lot_services
from providers.models import Provider, Registration, Service
from providers.selectors import provider_for
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.selectors import get_or_not_found, scoped

VIEW = "brokerage.view_request"
ANSWER = "brokerage.answer_request"

DEFAULT_PRICE_WEIGHT = 60
DEFAULT_QUALITY_WEIGHT = 40

# Quality: the provider's latest rating from its regulator (CQC or Ofsted), as recorded on its
# registrations, as points out of 100. A provider with no rating recorded scores the middle.
RATING_POINTS = {
    "outstanding": 100,
    "good": 75,
    "requires improvement": 40,
    "inadequate": 0,
}
UNRATED_POINTS = 50
QUALITY_SOURCE = (
    "Quality is the provider's latest rating from the Care Quality Commission or Ofsted, as "
    "recorded on its registrations: outstanding 100 points, good 75, requires improvement 40, "
    "inadequate 0, and 50 when no rating is recorded. Price scores 100 for the lowest price "
    "and in proportion for the others."
)


def _base() -> QuerySet[BrokerageRequest]:
    return BrokerageRequest.objects.select_related("dps", "lot__contract", "contract")


def is_provider_actor(actor) -> bool:
    return actor.is_authenticated and actor.has_perm(ANSWER) and provider_for(actor) is not None


def past_deadline_q(today: date) -> Q:
    """Requests sent and past their deadline, with no award."""
    return Q(status=RequestStatus.SENT, deadline__lt=today)


def answers_to_score_q() -> Q:
    """Requests sent, with answers waiting for the council's decision."""
    return Q(
        Exists(
            BrokerageResponse.objects.filter(
                request=OuterRef("pk"), outcome=ResponseOutcome.PENDING
            )
        ),
        status=RequestStatus.SENT,
    )


def request_list(
    *,
    actor,
    status: str = "",
    overdue: bool = False,
    to_score: bool = False,
    today: date | None = None,
) -> QuerySet[BrokerageRequest]:
    """The requests the actor may see, newest first. `overdue`: sent, past their deadline and
    not awarded; `to_score`: sent, with answers waiting for the council's decision."""
    if not actor.is_authenticated:
        return BrokerageRequest.objects.none()
    if actor.has_perm(VIEW):
        requests = scoped(_base(), actor=actor)
    elif is_provider_actor(actor):
        requests = (
            scoped(_base(), actor=actor)
            .filter(invitations__provider=provider_for(actor))
            .exclude(status=RequestStatus.DRAFT)
        )
    else:
        return BrokerageRequest.objects.none()
    if status:
        requests = requests.filter(status=status)
    if overdue:
        requests = requests.filter(past_deadline_q(today or timezone.localdate()))
    if to_score:
        requests = requests.filter(answers_to_score_q())
    return requests.order_by("-created_at", "-id")


def brokerage_tray_counts(*, actor, today: date) -> dict[str, int]:
    """For the work tray, in one query: requests past their deadline with no award, and
    requests with answers waiting to be scored."""
    if not actor.has_perm(VIEW):
        return {"overdue": 0, "to_score": 0}
    return scoped(BrokerageRequest.objects.all(), actor=actor).aggregate(
        overdue=Count("pk", filter=past_deadline_q(today)),
        to_score=Count("pk", filter=answers_to_score_q()),
    )


def access_request_by_id(*, actor, request_id) -> BrokerageRequest:
    """One request the actor may see; any other is exactly as missing."""
    return get_or_not_found(
        request_list(actor=actor).select_related("line__package"), pk=request_id
    )


def access_response_by_id(*, actor, request: BrokerageRequest, response_id) -> BrokerageResponse:
    try:
        return BrokerageResponse.objects.select_related("provider").get(
            pk=response_id, request=request
        )
    except (BrokerageResponse.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound(
            object_type=BrokerageResponse._meta.label_lower, object_id=response_id
        ) from None


def invitations(*, actor, request: BrokerageRequest) -> QuerySet[BrokerageInvitation]:
    """Who the request went to and what each answered; a provider sees only its own."""
    rows = BrokerageInvitation.objects.filter(request=request).select_related(
        "provider", "response"
    )
    if not actor.has_perm(VIEW):
        rows = rows.filter(provider=provider_for(actor))
    return rows


def events(*, request: BrokerageRequest) -> QuerySet[BrokerageEvent]:
    return BrokerageEvent.objects.filter(request=request).select_related("actor")


def weights_for(dps: DPS) -> tuple[int, int]:
    weights = BrokerageWeights.objects.filter(dps=dps).first()
    if weights is None:
        return DEFAULT_PRICE_WEIGHT, DEFAULT_QUALITY_WEIGHT
    return weights.price_weight, weights.quality_weight


# ----------------------------------------------------------------------------------------------
# The DPS lots that brokerage sends to, and their members


def dps_lots(*, council) -> list[Lot]:
    """Lots of the council's DPS contracts (not call-offs made from them), each with
    `service_list`, for an open DPS."""
    lots = list(
        Lot.objects.filter(
            council=council,
            contract__dps__isnull=False,
            contract__dps__status=DPSStatus.ACTIVE,
            contract__call_off_lot__isnull=True,
        )
        .select_related("contract__dps")
        .order_by("contract__reference", "number")
    )
    attach_lot_services(lots)
    return lots


def offers(lot: Lot, service_id: int) -> bool:
    """Whether the service is one of the lot's (read by `dps_lots`)."""
    return any(service.pk == service_id for service in lot.service_list)


def approved_members(*, dps: DPS) -> list[Provider]:
    return [
        membership.provider
        for membership in dps.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("provider")
        .order_by("provider__name")
    ]


def lot_members(lot: Lot) -> list[Provider]:
    """The approved members of the lot's DPS who were awarded the lot or offer one of its
    services; all approved members when none is."""
    members = approved_members(dps=lot.contract.dps)
    awarded = set(lot.awards.values_list("provider_id", flat=True))
    offering = set(lot.services.values_list("provider_id", flat=True))
    fitting = [p for p in members if p.pk in awarded or p.pk in offering]
    return fitting or members


def service_for(provider: Provider, lot: Lot) -> Service | None:
    """The provider's service that the line is bought as: one of the lot's, else its own
    specialist service, else any of its services."""
    services = Service.objects.filter(provider=provider)
    return (
        services.filter(lots=lot).order_by("id").first()
        or services.filter(tier="specialist").order_by("id").first()
        or services.order_by("id").first()
    )


# ----------------------------------------------------------------------------------------------
# Scoring


@dataclass
class Ranked:
    response: BrokerageResponse
    rating: str
    price_score: Decimal | None
    quality_score: int | None
    total: Decimal | None
    rank: int | None


def _rating(provider: Provider, registrations: list[Registration]) -> str:
    dated = [r for r in registrations if r.latest_rating]
    if not dated:
        return ""
    dated.sort(key=lambda r: (r.rating_date is not None, r.rating_date), reverse=True)
    return dated[0].latest_rating


def ranked_responses(*, request: BrokerageRequest) -> list[Ranked]:
    """The answers, those that can meet the need ranked by their score (highest first, then
    the lower price, then the earlier answer), then those that cannot."""
    price_weight, quality_weight = weights_for(request.dps)
    responses = list(
        BrokerageResponse.objects.filter(request=request)
        .select_related("provider", "recorded_by")
        .prefetch_related(
            Prefetch(
                "provider__registrations",
                queryset=Registration.objects.order_by("id"),
                to_attr="all_registrations",
            )
        )
        .order_by("received_at", "id")
    )
    prices = [r.price_per_unit for r in responses if r.can_meet and r.price_per_unit]
    lowest = min(prices) if prices else None
    rows = []
    for response in responses:
        rating = _rating(response.provider, response.provider.all_registrations)
        quality = RATING_POINTS.get(rating.strip().lower(), UNRATED_POINTS)
        if response.can_meet and response.price_per_unit:
            price_score = (Decimal(100) * lowest / response.price_per_unit).quantize(Decimal("0.1"))
            total = (
                (price_score * price_weight + Decimal(quality) * quality_weight) / Decimal(100)
            ).quantize(Decimal("0.1"))
            rows.append(Ranked(response, rating, price_score, quality, total, None))
        else:
            rows.append(Ranked(response, rating, None, quality, None, None))
    meeting = sorted(
        (r for r in rows if r.total is not None),
        key=lambda r: (-r.total, r.response.price_per_unit, r.response.received_at),
    )
    for position, row in enumerate(meeting, start=1):
        row.rank = position
    return meeting + [r for r in rows if r.total is None]


def providers_for_spot_purchase(*, actor) -> QuerySet[Provider]:
    return (
        scoped(Provider.objects.all(), actor=actor)
        .filter(Q(status="active") & Q(services__isnull=False))
        .distinct()
        .order_by("name")
    )


def awaiting_answer(*, request: BrokerageRequest) -> list[Provider]:
    """The providers the request went to that have not answered."""
    return [
        invitation.provider
        for invitation in BrokerageInvitation.objects.filter(
            request=request, response__isnull=True
        ).select_related("provider")
    ]
