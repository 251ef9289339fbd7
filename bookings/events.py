"""The history of block places, bookings and waiting children: one writer per kind of event
(docs/decisions/0026). Each keeps what happened as parameters; `BookingEvent.SUMMARIES` words it."""

from __future__ import annotations

from bookings.models import BlockPlaces, Booking, BookingEvent, BookingEventKind, WaitingListEntry


def _write(places: BlockPlaces, *, actor, kind: str, params: dict, booking=None, entry=None):
    return BookingEvent.objects.create(
        council_id=places.council_id,
        places=places,
        booking=booking,
        entry=entry,
        kind=kind,
        params=params,
        actor=actor,
    )


def places_set(places: BlockPlaces, *, actor, before: str | None) -> BookingEvent:
    """The places an award holds were set (`before` is None) or changed from `before`."""
    params = {"provider": str(places.award.provider), "lot": str(places.award.lot)}
    params["capacity"] = places.capacity_text
    if before is None:
        return _write(places, actor=actor, kind=BookingEventKind.PLACES_SET, params=params)
    params["before"] = before
    return _write(places, actor=actor, kind=BookingEventKind.PLACES_CHANGED, params=params)


def _days(first_day, last_day, places: BlockPlaces) -> dict:
    return {"first_day": first_day, "last_day": last_day, "unit": places.unit}


def booked(booking: Booking, *, actor) -> BookingEvent:
    places = booking.places
    params = _days(booking.first_day, booking.last_day, places)
    params["provider"] = str(places.provider)
    return _write(places, actor=actor, booking=booking, kind=BookingEventKind.BOOKED, params=params)


def cancelled(booking: Booking, *, actor) -> BookingEvent:
    params = {"late": booking.cancelled_late, "reason": booking.cancel_reason}
    return _write(
        booking.places, actor=actor, booking=booking, kind=BookingEventKind.CANCELLED, params=params
    )


def delivered(booking: Booking, *, actor) -> BookingEvent:
    params = {"count": booking.days, "unit": booking.places.unit}
    return _write(
        booking.places, actor=actor, booking=booking, kind=BookingEventKind.DELIVERED, params=params
    )


def waiting(entry: WaitingListEntry, *, actor) -> BookingEvent:
    params = _days(entry.first_day, entry.last_day, entry.places)
    return _write(
        entry.places, actor=actor, entry=entry, kind=BookingEventKind.WAITING, params=params
    )


def offered(entry: WaitingListEntry, *, actor) -> BookingEvent:
    params = _days(entry.first_day, entry.last_day, entry.places)
    if entry.offered_after_id:
        params["after_booking"] = entry.offered_after_id
    return _write(
        entry.places, actor=actor, entry=entry, kind=BookingEventKind.OFFERED, params=params
    )


def offer_taken(entry: WaitingListEntry, *, actor) -> BookingEvent:
    return _write(
        entry.places,
        actor=actor,
        entry=entry,
        booking=entry.booking,
        kind=BookingEventKind.OFFER_TAKEN,
        params={"booking": entry.booking_id},
    )


def withdrawn(entry: WaitingListEntry, *, actor, reason: str) -> BookingEvent:
    return _write(
        entry.places,
        actor=actor,
        entry=entry,
        kind=BookingEventKind.WITHDRAWN,
        params={"reason": reason},
    )
