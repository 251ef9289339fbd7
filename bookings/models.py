"""Block places and their bookings.

A block contract (or a service level agreement that buys fixed capacity, as Medway's ROCC) pays
for a number of places whatever is used: beds a night, or places a session. `BlockPlaces` records
that capacity for one award (a provider's part of one lot). Staff book nights or sessions on it for
a child with an active package line on that lot (`Booking`); when every place of a day is taken,
the child may wait for one (`WaitingListEntry`), and a cancellation offers the freed place to the
first waiting child whose days now fit.

A booking covers consecutive days, from `first_day` to `last_day`; each day takes one place. For
nights, a day is the date the night begins. State lives in `status`, which only the services in
`bookings/services.py` change; each change writes a `BookingEvent`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from contracts.models import Award, Contract, ContractKind, Lot
from providers.models import Provider
from referrals.models import Child, DeliveryRecord, PackageLine
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, Rule, transition

MANAGE_BOOKING = "bookings.manage_booking"

# The contracts that pay for a fixed number of places, used or not: block contracts, and service
# level agreements such as Medway's with Rivermead Inclusive Trust for ROCC.
BLOCK_KINDS = (ContractKind.BLOCK, ContractKind.SLA)

# A cancellation fewer than this many days before the first night or session is late: the place
# is paid for and usually cannot be filled.
LATE_CANCELLATION_DAYS = 2

# The most places one award may hold in a night or session, and the longest single booking.
MAX_PLACES = 500
MAX_DAYS = 31


def _actor_fk(**kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class PlaceUnit(models.TextChoices):
    NIGHT = "night", "Beds a night"
    SESSION = "session", "Places a session"


class BlockPlaces(CouncilOwned):
    """The places an award of a block contract pays for: `places` beds each night, or places
    each session (one session a day). Its row is what a booking locks, so two bookings at once
    never take more places than there are."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="block_places")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="block_places")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="block_places")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="block_places")
    unit = models.CharField(max_length=10, choices=PlaceUnit.choices)
    places = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES)]
    )
    hours_per_session = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="How long a session lasts: a delivered session records these hours.",
    )
    set_by = _actor_fk()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract__reference", "lot__number", "provider__name"]
        verbose_name = "block places"
        verbose_name_plural = "block places"
        indexes = [models.Index(fields=["council", "contract"])]

    def __str__(self) -> str:
        return f"{self.provider.name}, lot {self.lot.number} of {self.contract.reference}"

    @property
    def is_nights(self) -> bool:
        return self.unit == PlaceUnit.NIGHT

    @property
    def unit_word(self) -> str:
        return "night" if self.is_nights else "session"

    @property
    def capacity_text(self) -> str:
        noun = "bed" if self.is_nights else "place"
        per = "a night" if self.is_nights else "a session"
        return f"{self.places} {noun}{'s' if self.places != 1 else ''} {per}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    DELIVERED = "delivered", "Delivered"


# The bookings that take a place.
TAKING_PLACES = (BookingStatus.BOOKED, BookingStatus.DELIVERED)


class Booking(CouncilOwned):
    places = models.ForeignKey(BlockPlaces, on_delete=models.PROTECT, related_name="bookings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="bookings")
    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="bookings")
    first_day = models.DateField(help_text="The first night (the date it begins) or session.")
    last_day = models.DateField(help_text="The last night (the date it begins) or session.")
    status = FSMField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_by = _actor_fk()
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_late = models.BooleanField(default=False)
    cancel_reason = models.TextField(blank=True)
    cancelled_by = _actor_fk()
    delivered_on = models.DateField(null=True, blank=True)
    delivered_by = _actor_fk()
    delivery = models.ForeignKey(
        DeliveryRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-first_day", "-id"]
        indexes = [
            models.Index(fields=["council", "id"], name="booking_council_keyset"),
            models.Index(fields=["places", "status", "first_day"], name="booking_places_day"),
            models.Index(fields=["council", "child"], name="booking_council_child"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="booking_days_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def each_day(self) -> list:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    def as_of(self):
        """The day a change is judged on: today, or the day a service was told it is (the demo
        cancels bookings as of days gone by)."""
        return getattr(self, "_as_of", None) or timezone.localdate()

    @property
    def ended_by(self):
        """The day the last night or session is over: a night ends the next morning."""
        return self.last_day + timedelta(days=1) if self.places.is_nights else self.last_day

    @transition(
        field=status,
        source=[BookingStatus.BOOKED],
        target=BookingStatus.CANCELLED,
        permission=MANAGE_BOOKING,
        conditions=[
            Rule(
                lambda booking: booking.last_day >= booking.as_of(),
                "These days have passed: record the booking as delivered, or cancel it before.",
            )
        ],
        custom={
            "label": "Cancel the booking",
            "refused": "Only a booking still booked can be cancelled.",
        },
    )
    def cancel(self):
        pass

    @transition(
        field=status,
        source=[BookingStatus.BOOKED],
        target=BookingStatus.DELIVERED,
        permission=MANAGE_BOOKING,
        conditions=[
            Rule(
                lambda booking: booking.ended_by <= timezone.localdate(),
                "The last night or session has not finished yet: record it as delivered once "
                "it is over.",
            )
        ],
        custom={
            "label": "Record as delivered",
            "refused": "Only a booking still booked can be delivered.",
        },
    )
    def deliver(self):
        pass


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a place"
    BOOKED = "booked", "Booked"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WaitingListEntry(CouncilOwned):
    """A child waiting for a place on days that were full. An offered entry holds its places
    until it is booked or withdrawn, so the place freed for it is not taken by someone else."""

    places = models.ForeignKey(BlockPlaces, on_delete=models.PROTECT, related_name="waiting")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField()
    last_day = models.DateField()
    status = FSMField(max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    added_by = _actor_fk()
    added_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_after = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The cancelled booking whose place was offered.",
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "waiting list entries"
        indexes = [
            models.Index(fields=["places", "status", "first_day"], name="waiting_places_day"),
            models.Index(fields=["council", "id"], name="waiting_council_keyset"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="waiting_days_in_order"
            )
        ]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @transition(
        field=status,
        source=[WaitingStatus.WAITING],
        target=WaitingStatus.OFFERED,
        permission=MANAGE_BOOKING,
        custom={
            "label": "Offer the place",
            "refused": "Only a waiting child can be offered a place.",
        },
    )
    def offer(self):
        pass

    @transition(
        field=status,
        source=[WaitingStatus.OFFERED],
        target=WaitingStatus.BOOKED,
        permission=MANAGE_BOOKING,
        custom={
            "label": "Book the place",
            "refused": "Only a waiting child offered a place can take it.",
        },
    )
    def take(self):
        pass

    @transition(
        field=status,
        source=[WaitingStatus.WAITING, WaitingStatus.OFFERED],
        target=WaitingStatus.WITHDRAWN,
        permission=MANAGE_BOOKING,
        custom={
            "label": "Take off the list",
            "refused": "The child is no longer on the waiting list.",
        },
    )
    def withdraw(self):
        pass


class BookingEventKind(models.TextChoices):
    PLACES_SET = "places", "Places set"
    PLACES_CHANGED = "places_changed", "Places changed"
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    DELIVERED = "delivered", "Delivered"
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a place"
    OFFER_TAKEN = "offer_taken", "Offer taken"
    WITHDRAWN = "withdrawn", "Withdrawn"


def _as_date(value):
    return parse_date(value) if isinstance(value, str) else value


def days_text(first_day, last_day, unit: str) -> str:
    """'the night of 01/02/2026', or '3 sessions from 01/02/2026 to 03/02/2026'."""
    word = "night" if unit == PlaceUnit.NIGHT else "session"
    if first_day == last_day:
        return f"the {word} of {first_day:%d/%m/%Y}"
    count = (last_day - first_day).days + 1
    return f"{count} {word}s from {first_day:%d/%m/%Y} to {last_day:%d/%m/%Y}"


class BookingEvent(TypedEvent, CouncilOwned):
    """One line of a booking's or a waiting child's history: booked, cancelled (late or not),
    delivered, added to the waiting list, offered a place, withdrawn. Written through
    `bookings/events.py`, one function per kind."""

    places = models.ForeignKey(BlockPlaces, on_delete=models.CASCADE, related_name="events")
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=BookingEventKind.choices)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        BookingEventKind.PLACES_SET: "Places for {provider} on {lot} set at {capacity}.",
        BookingEventKind.PLACES_CHANGED: (
            "Places for {provider} on {lot} changed from {before} to {capacity}."
        ),
        BookingEventKind.BOOKED: "Booked {days} at {provider}.",
        BookingEventKind.CANCELLED: "Cancelled{late_text}: {reason}",
        BookingEventKind.DELIVERED: "Delivered: {count_text}.",
        BookingEventKind.WAITING: "Waiting for {days}.",
        BookingEventKind.OFFERED: "Offered {days}, freed by a cancellation.",
        BookingEventKind.OFFER_TAKEN: "Offer taken: booked.",
        BookingEventKind.WITHDRAWN: "Withdrawn: {reason}",
    }

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["council", "booking"], name="bookingevent_booking")]

    @property
    def summary(self) -> str:
        params = dict(self.params or {})
        if "first_day" in params and "unit" in params:
            first, last = _as_date(params["first_day"]), _as_date(params["last_day"])
            params["days"] = days_text(first, last, params["unit"])
        if "late" in params:
            params["late_text"] = " (late)" if params["late"] else ""
        if "count" in params and "unit" in params:
            word = "night" if params["unit"] == PlaceUnit.NIGHT else "session"
            params["count_text"] = f"{params['count']} {word}{'s' if params['count'] != 1 else ''}"
        return render_summary(self.SUMMARIES.get(self.kind), params)
