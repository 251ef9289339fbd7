"""Sufficiency: for commissioners and contract managers, the places each contract lot has against
the demand on it, so that where there are too few places shows before families wait.

Per lot of a running contract (active or extended): places available, from the block places its
awards hold (`bookings`) and the vacancies providers report for the lot's services
(`providers`); and demand, as children with support running on the lot today (`referrals`),
children on the lot's waiting lists (`bookings`, waiting or offered a place) and brokerage
requests open for the lot (`brokerage`, draft or sent). One query for the whole table, however
many lots. Every count of children of 1 to 4 says "fewer than 5" (`small_numbers`), and a lot's
total demand is withheld when any part of it is, so it never gives a small number away by
subtraction. No child is named or identified.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from bookings.models import BlockPlaces, WaitingListEntry, WaitingStatus
from brokerage.models import OPEN_STATUSES, BrokerageRequest
from contracts.models import ContractStatus, Lot
from providers.models import Service
from referrals.models import PackageLine, PackageStatus
from shortbreaks import charts
from shortbreaks.councils.selectors import scoped
from shortbreaks.permissions import permission_required
from shortbreaks.small_numbers import FEWER_THAN, is_small

VIEW = "contracts.view_sufficiency"
RUNNING = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)
DEMAND = ("children_supported", "waiting", "brokerage_open")


def _total(queryset, field: str, aggregate):
    """A correlated subquery giving one number per lot, 0 when there is nothing."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("council")
            .annotate(total=aggregate(field))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def sufficiency_rows(*, actor, today: date | None = None) -> list[dict]:
    """Each running lot with its places and demand, as they may be published (one query)."""
    today = today or timezone.localdate()
    lot = OuterRef("pk")
    lots = (
        scoped(Lot.objects.filter(contract__status__in=RUNNING), actor=actor)
        .annotate(
            block_place_count=_total(BlockPlaces.objects.filter(lot=lot), "places", Sum),
            vacancies=_total(
                Service.objects.filter(lots=lot, capacity_available__isnull=False),
                "capacity_available",
                Sum,
            ),
            children_supported=_total(
                PackageLine.objects.filter(
                    Q(end_on__isnull=True) | Q(end_on__gte=today),
                    lot=lot,
                    start_on__lte=today,
                    package__status=PackageStatus.ACTIVE,
                ),
                "package__child",
                lambda field: Count(field, distinct=True),
            ),
            waiting=_total(
                WaitingListEntry.objects.filter(
                    places__lot=lot, status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED)
                ),
                "child",
                lambda field: Count(field, distinct=True),
            ),
            brokerage_open=_total(
                BrokerageRequest.objects.filter(lot=lot, status__in=OPEN_STATUSES), "id", Count
            ),
        )
        .values(
            "pk",
            "number",
            "name",
            "contract__reference",
            "contract__title",
            "block_place_count",
            "vacancies",
            "children_supported",
            "waiting",
            "brokerage_open",
        )
        .order_by("contract__reference", "number")
    )
    rows = []
    for row in lots:
        published = {
            "short": f"{row['contract__reference']} lot {row['number']}",
            "label": f"{row['contract__reference']} lot {row['number']}: {row['name']}",
            "contract": row["contract__title"],
            "block_places": row["block_place_count"],
            "vacancies": row["vacancies"],
            "places": row["block_place_count"] + row["vacancies"],
        }
        withheld = False
        for name in DEMAND:
            small = is_small(row[name])
            withheld = withheld or small
            published[name] = None if small else row[name]
        published["demand"] = None if withheld else sum(row[name] for name in DEMAND)
        rows.append(published)
    return rows


def sufficiency_chart(rows: list[dict]) -> charts.Chart:
    return charts.bar_chart(
        id="sufficiency-chart",
        title="Places against demand by contract lot",
        summary=(
            "For each lot of a running contract, the places available (block places and the "
            "vacancies providers report) beside the demand (children supported, waiting and "
            "asked for through brokerage). A lot whose demand counts 1 to 4 children somewhere "
            "has no demand bar."
        ),
        categories=[row["short"] for row in rows],
        series=[
            charts.Series("Places available", [row["places"] for row in rows]),
            charts.Series("Demand", [row["demand"] for row in rows], withheld=FEWER_THAN),
        ],
        x_label="Contract lot",
        y_label="Places or children",
    )


@require_GET
@permission_required(VIEW)
def sufficiency(request):
    rows = sufficiency_rows(actor=request.user)
    return render(
        request,
        "sufficiency.html",
        {"rows": rows, "chart": sufficiency_chart(rows) if rows else None},
    )


urlpatterns = [path("sufficiency/", sufficiency, name="sufficiency")]
