"""The demo's brokerage: one Herefordshire request for specialist daytime buddying, sent to the
approved members of lot 1 of the Tier 3 Short Breaks DPS, answered by all three, and awarded as
a call-off contract. Safe to run again: a council that has a request is left as it is.

The providers are the DPS members the council's report names (Our Place Schools, Newcross
Healthcare Solutions Ltd and Aspire Living); their prices are made up, close to the lot's
awarded rates. The demo records no regulator rating for them (that would be a real company's
rating made up), so each scores the middle for quality and the answers rank on price.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from brokerage.models import BrokerageRequest
from brokerage.selectors import ranked_responses
from brokerage.services.answers import brokerage_response_record
from brokerage.services.awards import brokerage_request_award
from brokerage.services.requests import brokerage_request_raise, brokerage_request_send
from contracts.demo import HEREFORDSHIRE_DPS
from contracts.models import Lot
from providers.demo import demo_actor
from providers.models import Provider
from referrals.models import PackageLine, PackageStatus
from shortbreaks.councils.models import Role

SLUG = "herefordshire"

# provider, price an hour, days from today it could start, comments
ANSWERS = [
    ("Our Place Schools", "27.80", 14, "A buddy based in Hereford, weekends and holidays."),
    ("Newcross Healthcare Solutions Ltd", "29.50", 21, "Two carers available from the start date."),
    ("Aspire Living", "28.40", 10, "Can start sooner; staff already work in this area."),
]


def seed(*, password: str) -> list[tuple[str, str]]:
    social_worker = demo_actor(SLUG, Role.SOCIAL_WORKER)
    commissioner = demo_actor(SLUG)
    council = commissioner.active_council
    if BrokerageRequest.objects.filter(council=council).exists():
        return []
    lot = (
        Lot.objects.filter(council=council, contract__dps__title=HEREFORDSHIRE_DPS, number=1)
        .select_related("contract__dps")
        .first()
    )
    if lot is None:
        return []
    line = (
        PackageLine.objects.filter(
            council=council,
            package__status__in=[PackageStatus.APPROVED, PackageStatus.ACTIVE],
            hours_per_week__isnull=False,
            ratio="1:1",
            service__in=lot.services.all(),
        )
        .order_by("package__child__council_child_id", "id")
        .first()
    )
    if line is None:
        return []
    today = timezone.localdate()
    request = brokerage_request_raise(
        actor=social_worker,
        line=line,
        lot=lot,
        today=today,
        outcomes="Regular time out in the community with a trusted buddy, so the family gets a "
        "break at weekends and the child builds confidence and friendships.",
    )
    request = brokerage_request_send(
        actor=social_worker, request=request, deadline=today + timedelta(days=14), today=today
    )
    responses = []
    for name, price, days, comments in ANSWERS:
        provider = Provider.objects.get(council=council, name=name)
        if not request.invitations.filter(provider=provider).exists():
            continue
        responses.append(
            brokerage_response_record(
                actor=commissioner,
                request=request,
                provider=provider,
                can_meet=True,
                price_per_unit=Decimal(price),
                start_date=today + timedelta(days=days),
                comments=comments,
                today=today,
            )
        )
    if responses:
        best = ranked_responses(request=request)[0].response
        brokerage_request_award(actor=commissioner, request=request, response=best, today=today)
    return []
