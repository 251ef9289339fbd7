"""Reads of block places, bookings, the waiting list and utilisation, scoped to the actor.

Council staff read their own council's rows. Provider staff read only the bookings at their own
provider's places (`providers.selectors.provider_for`), and only the child's first name.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.models import (
    TAKING_PLACES,
    BlockPlaces,
    Booking,
    BookingEvent,
    BookingStatus,
    WaitingListEntry,
    WaitingStatus,
)
from contracts.models import Award, Contract
from referrals.models import PackageLine, PackageStatus
from shortbreaks.councils.models import Role
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped


def is_provider_staff(actor) -> bool:
    return Role.PROVIDER in getattr(actor, "active_roles", frozenset()) and not getattr(
        actor, "staff_roles", frozenset()
    )


def _provider_of(actor):
    from providers.selectors import provider_for

    return provider_for(actor)


# ----------------------------------------------------------------------------------------------
# Places


def block_places_list(*, actor) -> QuerySet[BlockPlaces]:
    return scoped(
        BlockPlaces.objects.select_related("contract", "lot", "provider"), actor=actor
    ).order_by("contract__reference", "lot__number", "provider__name")


def access_block_places_by_id(*, actor, places_id) -> BlockPlaces:
    return access_by_id(
        BlockPlaces.objects.select_related("contract", "lot", "provider"),
        actor=actor,
        pk=places_id,
    )


def block_places_for_contract(*, actor, contract: Contract) -> QuerySet[BlockPlaces]:
    return block_places_list(actor=actor).filter(contract=contract)


def awards_for_places(*, actor) -> QuerySet[Award]:
    """Awards of the council's own block contracts (and agreements) that places may be set on."""
    from bookings.models import BLOCK_KINDS

    return scoped(
        Award.objects.filter(lot__contract__kind__in=BLOCK_KINDS).select_related(
            "lot__contract", "provider"
        ),
        actor=actor,
    ).order_by("lot__contract__reference", "lot__number", "provider__name")


def access_award_by_id(*, actor, award_id) -> Award:
    return get_or_not_found(awards_for_places(actor=actor), pk=award_id)


def lines_for_places(*, actor, places: BlockPlaces, on: date | None = None):
    """The active package lines on the places' lot and provider, for the booking form."""
    on = on or timezone.localdate()
    return (
        scoped(PackageLine.objects.all(), actor=actor)
        .filter(
            lot_id=places.lot_id,
            provider_id=places.provider_id,
            package__status=PackageStatus.ACTIVE,
            start_on__lte=on + timedelta(days=366),
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .select_related("package__child", "service")
        .order_by("package__child__last_name", "package__child__first_name", "id")
    )


# ----------------------------------------------------------------------------------------------
# Bookings and the waiting list


def booking_list(
    *,
    actor,
    places_id: int | None = None,
    child_id: int | None = None,
    status: str = "",
    day_from: date | None = None,
    day_to: date | None = None,
) -> QuerySet[Booking]:
    bookings = Booking.objects.select_related("places__provider", "places__lot", "child")
    if is_provider_staff(actor):
        provider = _provider_of(actor)
        if provider is None:
            return Booking.objects.none()
        bookings = scoped(bookings, actor=actor).filter(places__provider=provider)
    else:
        bookings = scoped(bookings, actor=actor)
    if places_id:
        bookings = bookings.filter(places_id=places_id)
    if child_id:
        bookings = bookings.filter(child_id=child_id)
    if status:
        bookings = bookings.filter(status=status)
    if day_from:
        bookings = bookings.filter(last_day__gte=day_from)
    if day_to:
        bookings = bookings.filter(first_day__lte=day_to)
    return bookings


def access_booking_by_id(*, actor, booking_id) -> Booking:
    return get_or_not_found(
        booking_list(actor=actor).select_related("line__service", "places__contract"),
        pk=booking_id,
    )


def booking_events(*, booking: Booking) -> QuerySet[BookingEvent]:
    return BookingEvent.objects.filter(booking=booking).select_related("actor")


def waiting_list(
    *, actor, places_id: int | None = None, current: bool = True
) -> QuerySet[WaitingListEntry]:
    entries = scoped(
        WaitingListEntry.objects.select_related("child", "places__provider", "places__lot"),
        actor=actor,
    )
    if places_id:
        entries = entries.filter(places_id=places_id)
    if current:
        entries = entries.filter(status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED))
    return entries.order_by("added_at", "id")


def waiting_list_all(*, actor, status: str = "", mine: bool = False) -> QuerySet[WaitingListEntry]:
    """Every current waiting list of the council together, oldest first: `status` keeps those
    waiting or those offered a place and not yet booked or turned down; `mine` keeps the children
    whose keyworker the actor is."""
    entries = waiting_list(actor=actor)
    if status in (WaitingStatus.WAITING, WaitingStatus.OFFERED):
        entries = entries.filter(status=status)
    if mine:
        entries = entries.filter(child__keyworker=actor)
    return entries


def waiting_offered_count(*, actor, mine: bool = False) -> int:
    """Places offered from a waiting list and not yet taken up or turned down (one query)."""
    return waiting_list_all(actor=actor, status=WaitingStatus.OFFERED, mine=mine).count()


def access_waiting_entry_by_id(*, actor, entry_id) -> WaitingListEntry:
    return get_or_not_found(waiting_list(actor=actor, current=False), pk=entry_id)


def places_taken(
    places: BlockPlaces, first_day: date, last_day: date, *, besides_entry: int | None = None
) -> Counter:
    """Places taken on each day from `first_day` to `last_day`: bookings booked or delivered,
    and waiting children offered a place (who hold it until they book or withdraw)."""
    overlapping = Q(first_day__lte=last_day, last_day__gte=first_day)
    spans = list(
        Booking.objects.filter(overlapping, places=places, status__in=TAKING_PLACES).values_list(
            "first_day", "last_day"
        )
    )
    offered = WaitingListEntry.objects.filter(
        overlapping, places=places, status=WaitingStatus.OFFERED
    )
    if besides_entry is not None:
        offered = offered.exclude(pk=besides_entry)
    spans += list(offered.values_list("first_day", "last_day"))
    taken: Counter = Counter()
    for start, end in spans:
        day = max(start, first_day)
        while day <= min(end, last_day):
            taken[day] += 1
            day += timedelta(days=1)
    return taken


# ----------------------------------------------------------------------------------------------
# The month calendar


@dataclass
class CalendarDay:
    day: date
    places: int
    taken: int
    in_month: bool
    past: bool

    @property
    def free(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.free == 0


@dataclass
class MonthCalendar:
    month: date  # its first day
    weeks: list[list[CalendarDay | None]] = field(default_factory=list)
    previous: date | None = None
    next: date | None = None

    @property
    def full_days(self) -> int:
        return sum(1 for week in self.weeks for d in week if d and d.full)


def month_calendar(*, places: BlockPlaces, month: date, today: date | None = None) -> MonthCalendar:
    """Each day of `month` with the places taken and free, Monday to Sunday weeks (two queries,
    whatever the bookings)."""
    today = today or timezone.localdate()
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    taken = places_taken(places, first, last)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                CalendarDay(
                    day=day,
                    places=places.places,
                    taken=taken.get(day, 0),
                    in_month=True,
                    past=day < today,
                )
                if day.month == first.month
                else None
                for day in week
            ]
        )
    return MonthCalendar(
        month=first,
        weeks=weeks,
        previous=first - relativedelta(months=1),
        next=first + relativedelta(months=1),
    )


# ----------------------------------------------------------------------------------------------
# Utilisation by month


@dataclass
class MonthUse:
    month: date
    paid_for: int = 0
    used: int = 0
    booked: int = 0
    cancelled_late: int = 0

    @property
    def label(self) -> str:
        return f"{self.month:%b %Y}"

    @property
    def left_empty(self) -> int:
        return max(self.paid_for - self.used - self.booked, 0)


def _overlap(first: date, last: date, start: date, end: date) -> int:
    days = (min(last, end) - max(first, start)).days + 1
    return max(days, 0)


def contract_utilisation(
    *, actor, contract: Contract, months: int = 12, today: date | None = None
) -> list[MonthUse]:
    """For each of the last `months` months the contract ran (this one included), across all its
    block places: place-days paid for (places times days the contract ran), used (delivered),
    booked and not yet delivered, cancelled late, and left empty (paid for, neither used nor
    booked). Two queries, whatever the bookings."""
    today = today or timezone.localdate()
    current = today.replace(day=1)
    start = max(current - relativedelta(months=months - 1), contract.start_date.replace(day=1))
    end_month = min(current, contract.end_date.replace(day=1))
    if end_month < start:
        return []
    window_end = end_month + relativedelta(months=1) - timedelta(days=1)
    capacity = sum(p.places for p in block_places_for_contract(actor=actor, contract=contract))
    rows = (
        scoped(Booking.objects.all(), actor=actor)
        .filter(
            places__contract=contract,
            first_day__lte=window_end,
            last_day__gte=start,
        )
        .exclude(status=BookingStatus.CANCELLED, cancelled_late=False)
        .values_list("first_day", "last_day", "status", "cancelled_late")
    )
    counts: Counter = Counter()
    month_starts = []
    month = start
    while month <= end_month:
        month_starts.append(month)
        month += relativedelta(months=1)
    for first_day, last_day, status, late in rows:
        for month in month_starts:
            month_end = month + relativedelta(months=1) - timedelta(days=1)
            days = _overlap(first_day, last_day, month, month_end)
            if not days:
                continue
            if status == BookingStatus.DELIVERED:
                counts[(month, "used")] += days
            elif status == BookingStatus.BOOKED:
                counts[(month, "booked")] += days
            elif late:
                counts[(month, "cancelled_late")] += days
    result = []
    for month in month_starts:
        month_end = month + relativedelta(months=1) - timedelta(days=1)
        ran = _overlap(contract.start_date, contract.end_date, month, month_end)
        result.append(
            MonthUse(
                month=month,
                paid_for=capacity * ran,
                used=counts[(month, "used")],
                booked=counts[(month, "booked")],
                cancelled_late=counts[(month, "cancelled_late")],
            )
        )
    return result
