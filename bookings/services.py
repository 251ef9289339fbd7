"""Writes to block places, bookings and the waiting list.

Capacity is never exceeded, however many people book at once: every write that takes or frees a
place first locks the award's `BlockPlaces` row (SELECT ... FOR UPDATE), then counts the places
taken on each day it touches, inside the same transaction. A second booking for the same places
waits at the lock until the first commits, and then counts the first's days too.

Each change writes a `BookingEvent`; a change to the places an award holds is also on the
contract's history.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from bookings import events
from bookings.models import (
    BLOCK_KINDS,
    LATE_CANCELLATION_DAYS,
    MAX_DAYS,
    MAX_PLACES,
    TAKING_PLACES,
    BlockPlaces,
    Booking,
    PlaceUnit,
    WaitingListEntry,
    WaitingStatus,
)
from bookings.selectors import places_taken
from contracts import events as contract_events
from contracts.models import Award
from referrals.models import Child, PackageLine, PackageStatus
from referrals.notify import notify_booking_confirmed
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step

MANAGE_PLACES = "bookings.manage_places"
MANAGE = "bookings.manage_booking"

NO_LINE = "The child has no active package line on this lot for these dates."


class PlacesFull(TransitionNotAllowed):
    """Every place is taken on one or more of the days asked for. The API answers 409."""

    def __init__(self, reason: str, full_days: list[date]):
        super().__init__(reason)
        self.full_days = full_days


def _own(actor, *records: Model) -> None:
    """A record of another council is treated exactly as a missing one."""
    for record in records:
        if record is not None and record.council_id != actor.active_council_id:
            raise RecordNotFound(object_type=record._meta.label_lower, object_id=record.pk)


# ----------------------------------------------------------------------------------------------
# The places an award holds


@transaction.atomic
def block_places_set(
    *,
    actor,
    award: Award,
    unit: str,
    places: int,
    hours_per_session: Decimal | None = None,
) -> BlockPlaces:
    """Record (or change) how many places an award of a block contract pays for. Only the lead
    council's commissioners and contract managers set it. Fewer places than are already booked
    on a day to come is refused: cancel those bookings first."""
    require_perm(actor, MANAGE_PLACES)
    _own(actor, award)
    contract = award.lot.contract
    errors = {}
    if contract.kind not in BLOCK_KINDS:
        errors["award"] = (
            "Only a block contract or a service level agreement pays for a number of places."
        )
    if unit not in PlaceUnit.values:
        errors["unit"] = "Choose beds a night or places a session."
    if not isinstance(places, int) or not 1 <= places <= MAX_PLACES:
        errors["places"] = f"Enter the number of places, from 1 to {MAX_PLACES}."
    if unit == PlaceUnit.SESSION:
        if hours_per_session is None or not Decimal("0.25") <= hours_per_session <= 24:
            errors["hours_per_session"] = "Enter how long a session lasts, in hours, up to 24."
    else:
        hours_per_session = None
    if errors:
        raise ValidationError(errors)
    row = (
        BlockPlaces.objects.select_for_update(of=("self",))
        .filter(award=award)
        .order_by("pk")
        .first()
    )
    if row is not None:
        if row.unit != unit and row.bookings.exists():
            raise ValidationError(
                {"unit": "These places already have bookings, so their unit cannot change."}
            )
        busiest = _busiest_day_from(row, timezone.localdate())
        if busiest > places:
            raise ValidationError(
                {
                    "places": f"{busiest} places are already booked on one day to come: "
                    "cancel bookings before holding fewer places."
                }
            )
        before = row.capacity_text
        row.unit, row.places, row.hours_per_session, row.set_by = (
            unit,
            places,
            hours_per_session,
            actor,
        )
        row.save()
    else:
        before = None
        row = BlockPlaces.objects.create(
            council_id=award.council_id,
            award=award,
            contract=contract,
            lot=award.lot,
            provider=award.provider,
            unit=unit,
            places=places,
            hours_per_session=hours_per_session,
            set_by=actor,
        )
    contract_events.block_places_set(row, actor=actor, before=before)
    events.places_set(row, actor=actor, before=before)
    return row


def _busiest_day_from(places: BlockPlaces, day: date) -> int:
    taken = places_taken(places, day, day + timedelta(days=366))
    return max(taken.values(), default=0)


# ----------------------------------------------------------------------------------------------
# Counting places


def _full_days(
    places: BlockPlaces, first_day: date, last_day: date, *, besides_entry: int | None = None
) -> list[date]:
    taken = places_taken(places, first_day, last_day, besides_entry=besides_entry)
    return sorted(day for day, count in taken.items() if count >= places.places)


# ----------------------------------------------------------------------------------------------
# What a booking (or a wait for one) asks for


def _check_request(
    *, places: BlockPlaces, line: PackageLine, first_day: date, days: int, today: date
) -> date:
    """The checks a booking and a place on the waiting list share; the last day asked for.

    Shape (400): the days, the child's active package line on this lot for all of them. The
    contract (409): judged on the last day asked for, by the same rule that decides whether a
    lot's contract can carry a package line, so an expired contract's lots take bookings only
    for dates an approved extension covers.
    """
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": f"Enter the number of {places.unit_word}s, 1 to {MAX_DAYS}."}
        )
    if first_day < today:
        raise ValidationError({"first_day": "The first day cannot be in the past."})
    last_day = first_day + timedelta(days=days - 1)
    package = line.package
    if (
        line.lot_id != places.lot_id
        or line.provider_id != places.provider_id
        or package.status != PackageStatus.ACTIVE
        or line.start_on > first_day
        or (line.end_on is not None and line.end_on < last_day)
        or (package.end_on is not None and package.end_on < last_day)
    ):
        raise ValidationError({"line": NO_LINE})
    contract = places.contract
    refusal = package_services._contract_refusal(
        contract, SimpleNamespace(end_on=last_day), agreed_on=last_day
    )
    if refusal:
        raise TransitionNotAllowed(refusal.replace("this lot", "these places"))
    return last_day


def _locked_places(places: BlockPlaces) -> BlockPlaces:
    return (
        BlockPlaces.objects.select_for_update(of=("self",))
        .select_related("contract", "lot", "provider")
        .get(pk=places.pk)
    )


def _overlapping_booking(child_id: int, places: BlockPlaces, first_day: date, last_day: date):
    return Booking.objects.filter(
        places=places,
        child_id=child_id,
        status__in=TAKING_PLACES,
        first_day__lte=last_day,
        last_day__gte=first_day,
    ).exists()


@transaction.atomic
def booking_create(
    *,
    actor,
    places: BlockPlaces,
    line: PackageLine,
    first_day: date,
    days: int = 1,
    today: date | None = None,
    entry: WaitingListEntry | None = None,
) -> Booking:
    """Book `days` consecutive nights or sessions from `first_day` for the child of `line`.

    Refused: another council's places or line (404), a line that is not the child's active
    line on this lot for every day (400), a contract that does not run to the last day (409),
    and any day with every place taken (409, `PlacesFull`: the child may join the waiting list).
    `entry` is the child's waiting-list place that was offered these days: it is booked now.
    """
    require_perm(actor, MANAGE)
    _own(actor, places, line)
    today = today or timezone.localdate()
    line = PackageLine.objects.select_related("package").get(pk=line.pk)
    last_day = _check_request(places=places, line=line, first_day=first_day, days=days, today=today)
    places = _locked_places(places)  # every booking for these places waits here for the last
    child_id = line.package.child_id
    if _overlapping_booking(child_id, places, first_day, last_day):
        raise ValidationError({"first_day": "The child is already booked on some of these days."})
    full = _full_days(places, first_day, last_day, besides_entry=entry.pk if entry else None)
    if full:
        listed = ", ".join(f"{day:%d/%m/%Y}" for day in full)
        raise PlacesFull(
            f"Every place is taken on {listed}. The child can join the waiting list for these "
            f"{places.unit_word}s.",
            full,
        )
    booking = Booking.objects.create(
        council_id=places.council_id,
        places=places,
        child_id=child_id,
        line=line,
        first_day=first_day,
        last_day=last_day,
        booked_by=actor,
    )
    events.booked(booking, actor=actor)
    child = Child.objects.select_related("council").get(pk=child_id)
    notify_booking_confirmed(
        child=child,
        reference=f"B-{booking.pk}",
        path=reverse("statements:account-child", args=[child.council.slug, child.pk]),
    )
    return booking


def _locked_booking(booking: Booking) -> tuple[BlockPlaces, Booking]:
    """Lock the places first, then the booking: every write takes its locks in that order."""
    places = _locked_places(booking.places)
    return places, Booking.objects.select_for_update().get(pk=booking.pk)


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str, today: date | None = None) -> Booking:
    """Cancel a booking: its place is free again and offered to the first waiting children whose
    days now fit. Fewer than LATE_CANCELLATION_DAYS days before the first day, it is late."""
    require_perm(actor, MANAGE)
    _own(actor, booking)
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the booking is cancelled."})
    places, booking = _locked_booking(booking)
    booking._as_of = today
    step(booking, "cancel", actor)  # refused once its days have passed
    booking.cancelled_on = today
    booking.cancelled_late = (booking.first_day - today).days < LATE_CANCELLATION_DAYS
    booking.cancel_reason = reason.strip()
    booking.cancelled_by = actor
    booking.save(
        update_fields=["status", "cancelled_on", "cancelled_late", "cancel_reason", "cancelled_by"]
    )
    events.cancelled(booking, actor=actor)
    _offer_free_places(places, freed=booking, actor=actor, today=today)
    return booking


def _offer_free_places(places: BlockPlaces, *, freed: Booking, actor, today: date) -> list:
    """Offer the freed days to the children waiting for them, first come first served: each
    waiting child whose every day now has a free place is offered it (and holds it). The
    notification to their social worker reads these offers."""
    waiting = WaitingListEntry.objects.filter(
        places=places,
        status=WaitingStatus.WAITING,
        first_day__lte=freed.last_day,
        last_day__gte=freed.first_day,
        first_day__gte=today,
    ).order_by("added_at", "id")
    offered = []
    for entry in waiting:
        if _full_days(places, entry.first_day, entry.last_day):
            continue
        step(entry, "offer", actor)
        entry.offered_at = timezone.now()
        entry.offered_after = freed if isinstance(freed, Booking) else None
        entry.save(update_fields=["status", "offered_at", "offered_after"])
        events.offered(entry, actor=actor)
        offered.append(entry)
    return offered


@transaction.atomic
def booking_deliver(
    *,
    actor,
    booking: Booking,
    acknowledge_threshold: bool = False,
) -> Booking:
    """Record that the nights or sessions took place. The package line's delivery record is
    written through its own service; nights are also recorded as the child's overnight stays
    (through theirs), so they count towards the 17-night and 75-night thresholds by themselves,
    and a stay that would pass one is refused until the person acknowledges it."""
    require_perm(actor, MANAGE)
    _own(actor, booking)
    today = timezone.localdate()  # as the delivery record's own service judges it
    places, booking = _locked_booking(booking)
    booking.places = places
    step(booking, "deliver", actor)  # refused until the last night or session is over
    line = booking.line
    days = booking.days
    if places.is_nights:
        overnight_services.overnight_stay_record(
            actor=actor,
            child=booking.child,
            first_night=booking.first_day,
            nights=days,
            line=line,
            acknowledge_threshold=acknowledge_threshold,
        )
        hours = Decimal(0)
        what = f"{days} night{'s' if days != 1 else ''}"
    else:
        hours = (places.hours_per_session or Decimal(0)) * days
        what = f"{days} session{'s' if days != 1 else ''}"
    delivery = package_services.delivery_record_add(
        actor=actor,
        line=line,
        period_start=booking.first_day,
        period_end=booking.last_day,
        hours_delivered=hours,
        notes=f"{what} at {places.provider} (booking {booking.pk}).",
    )
    booking.delivered_on = today
    booking.delivered_by = actor
    booking.delivery = delivery
    booking.save(update_fields=["status", "delivered_on", "delivered_by", "delivery"])
    events.delivered(booking, actor=actor)
    return booking


# ----------------------------------------------------------------------------------------------
# The waiting list


@transaction.atomic
def waiting_list_join(
    *,
    actor,
    places: BlockPlaces,
    line: PackageLine,
    first_day: date,
    days: int = 1,
    today: date | None = None,
) -> WaitingListEntry:
    """Put the child of `line` on the waiting list for days that are full. Days with a free place
    are booked, not waited for (409)."""
    require_perm(actor, MANAGE)
    _own(actor, places, line)
    today = today or timezone.localdate()
    line = PackageLine.objects.select_related("package").get(pk=line.pk)
    last_day = _check_request(places=places, line=line, first_day=first_day, days=days, today=today)
    places = _locked_places(places)
    child_id = line.package.child_id
    if _overlapping_booking(child_id, places, first_day, last_day):
        raise ValidationError({"first_day": "The child is already booked on some of these days."})
    if WaitingListEntry.objects.filter(
        places=places,
        child_id=child_id,
        status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED),
        first_day__lte=last_day,
        last_day__gte=first_day,
    ).exists():
        raise ValidationError(
            {"first_day": "The child is already on the waiting list for some of these days."}
        )
    if not _full_days(places, first_day, last_day):
        raise TransitionNotAllowed("There is a free place on each of these days: book it.")
    entry = WaitingListEntry.objects.create(
        council_id=places.council_id,
        places=places,
        child_id=child_id,
        line=line,
        first_day=first_day,
        last_day=last_day,
        added_by=actor,
    )
    events.waiting(entry, actor=actor)
    return entry


@transaction.atomic
def waiting_offer_accept(*, actor, entry: WaitingListEntry, today: date | None = None) -> Booking:
    """Book the place a waiting child was offered: the entry's held places become the booking."""
    require_perm(actor, MANAGE)
    _own(actor, entry)
    places = _locked_places(entry.places)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    step(entry, "take", actor)  # refused unless the child was offered a place
    booking = booking_create(
        actor=actor,
        places=places,
        line=entry.line,
        first_day=entry.first_day,
        days=entry.days,
        today=today,
        entry=entry,
    )
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    events.offer_taken(entry, actor=actor)
    return booking


@transaction.atomic
def waiting_list_withdraw(
    *, actor, entry: WaitingListEntry, reason: str, today: date | None = None
) -> WaitingListEntry:
    """Take a child off the waiting list (an offer turned down included); a place they held is
    offered to the next waiting child."""
    require_perm(actor, MANAGE)
    _own(actor, entry)
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the child no longer waits."})
    places = _locked_places(entry.places)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    held = entry.status == WaitingStatus.OFFERED
    step(entry, "withdraw", actor)
    entry.withdrawn_reason = reason.strip()
    entry.save(update_fields=["status", "withdrawn_reason"])
    events.withdrawn(entry, actor=actor, reason=reason)
    if held:
        freed = SimpleNamespace(first_day=entry.first_day, last_day=entry.last_day)
        _offer_free_places(places, freed=freed, actor=actor, today=today)
    return entry
