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

By area, the same places and demand are counted once each and placed by postcode district (the
outward code, the first half of a postcode: M1 of M1 1AE), since no record holds a ward or
locality: a child where their home postcode is, block places where their provider is (its first
location by name, else its own address), vacancies where the service runs (its first location by
name, else where its provider is). A child or place with no postcode is "Not known". Five queries,
one a measure, however many areas; the same small-numbers rule.
"""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Left, Length, NullIf, Replace, Upper
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from bookings.models import BlockPlaces, WaitingListEntry, WaitingStatus
from brokerage.models import OPEN_STATUSES, BrokerageRequest
from contracts.models import ContractStatus, Lot
from providers.models import Location, Service, ServiceLocation
from referrals.models import PackageLine, PackageStatus
from shortbreaks.councils.selectors import scoped
from shortbreaks.small_numbers import is_small

VIEW = "contracts.view_sufficiency"
RUNNING = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)
DEMAND = ("children_supported", "waiting", "brokerage_open")
UNKNOWN_AREA = "Not known"


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


def _published(row: dict) -> dict:
    """Places as they are; each count of children of 1 to 4 withheld, and the demand with it."""
    published = {**row, "places": row["block_places"] + row["vacancies"]}
    withheld = False
    for name in DEMAND:
        small = is_small(row[name])
        withheld = withheld or small
        published[name] = None if small else row[name]
    published["demand"] = None if withheld else sum(row[name] for name in DEMAND)
    return published


# ----------------------------------------------------------------------------------------------
# By area: postcode districts


def postcode_district(expression) -> Case:
    """The outward code of a postcode held in `expression`: what is left once the spaces and the
    last three characters (the inward code) are gone; "" for no postcode or one too short or long
    to be one."""
    compact = Replace(Upper(Coalesce(expression, Value(""))), Value(" "), Value(""))
    return Case(
        When(
            GreaterThanOrEqual(Length(compact), 5) & LessThanOrEqual(Length(compact), 7),
            then=Left(compact, Length(compact) - 3),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def _by_district(queryset, postcode, total) -> dict[str, int]:
    rows = (
        queryset.annotate(district=postcode_district(postcode))
        .order_by()
        .values("district")
        .annotate(total=total)
        .values_list("district", "total")
    )
    return {district: value or 0 for district, value in rows}


def sufficiency_area_rows(*, actor, today: date | None = None) -> list[dict]:
    """Each postcode district with places or demand in it, alphabetically ("Not known" last),
    as they may be published (five queries)."""
    today = today or timezone.localdate()
    running_lots = scoped(Lot.objects.filter(contract__status__in=RUNNING), actor=actor)
    provider_first = Location.objects.filter(provider=OuterRef("provider")).order_by("name", "id")
    provider_postcode = Coalesce(
        Subquery(provider_first.values("postcode")[:1]), NullIf("provider__postcode", Value(""))
    )
    service_first = ServiceLocation.objects.filter(service=OuterRef("pk")).order_by(
        "location__name", "location_id"
    )
    measures = {
        "block_places": _by_district(
            scoped(BlockPlaces.objects.filter(lot__in=running_lots), actor=actor),
            provider_postcode,
            Sum("places"),
        ),
        "vacancies": _by_district(
            scoped(
                Service.objects.filter(
                    capacity_available__isnull=False,
                    pk__in=running_lots.filter(services__isnull=False).values("services"),
                ),
                actor=actor,
            ),
            Coalesce(Subquery(service_first.values("location__postcode")[:1]), provider_postcode),
            Sum("capacity_available"),
        ),
        "children_supported": _by_district(
            scoped(
                PackageLine.objects.filter(
                    Q(end_on__isnull=True) | Q(end_on__gte=today),
                    lot__in=running_lots,
                    start_on__lte=today,
                    package__status=PackageStatus.ACTIVE,
                ),
                actor=actor,
            ),
            "package__child__postcode",
            Count("package__child", distinct=True),
        ),
        "waiting": _by_district(
            scoped(
                WaitingListEntry.objects.filter(
                    places__lot__in=running_lots,
                    status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED),
                ),
                actor=actor,
            ),
            "child__postcode",
            Count("child", distinct=True),
        ),
        "brokerage_open": _by_district(
            scoped(
                BrokerageRequest.objects.filter(lot__in=running_lots, status__in=OPEN_STATUSES),
                actor=actor,
            ),
            "line__package__child__postcode",
            Count("id"),
        ),
    }
    districts = sorted(set().union(*measures.values()), key=lambda d: (d == "", d))
    rows = []
    for district in districts:
        row = {name: counts.get(district, 0) for name, counts in measures.items()}
        rows.append({"area": district or UNKNOWN_AREA, **_published(row)})
    return rows
