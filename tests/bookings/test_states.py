"""Every declared status change of bookings and waiting-list entries, from every status: the
service refuses exactly when `states.may` says the step is not allowed, and the page's question
(`may`) is the server's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from bookings import services
from bookings.models import (
    Booking,
    BookingEventKind,
    BookingStatus,
    WaitingListEntry,
    WaitingStatus,
)
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from tests.bookings.builders import book, booking_world
from tests.clock import FROZEN_TODAY, frozen_today, london  # noqa: F401
from tests.per_module import world_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NIGHT = FROZEN_TODAY + timedelta(days=10)


def _build_world(two_councils) -> dict:
    return booking_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def _with_status(record, status):
    type(record).objects.filter(pk=record.pk).update(status=status)
    return type(record).objects.get(pk=record.pk)


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


BOOKING_STEPS = {
    "cancel": lambda world, booking: services.booking_cancel(
        actor=world["sw"], booking=booking, reason="The family is away."
    ),
    "deliver": lambda world, booking: services.booking_deliver(actor=world["sw"], booking=booking),
}


@pytest.mark.parametrize("over", [False, True], ids=["to-come", "over"])
@pytest.mark.parametrize("name", BOOKING_STEPS)
@pytest.mark.parametrize("status", BookingStatus.values)
def test_each_booking_step_from_each_status(world, frozen_today, status, name, over):  # noqa: F811
    alpha = world["alpha"]
    booking = _with_status(book(alpha, 0, FROZEN_TODAY + timedelta(days=3)), status)
    if over:  # the night is over: it can be delivered, and no longer cancelled
        frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=4)))
    allowed = states.may(booking, name, alpha["sw"])
    if status == BookingStatus.BOOKED:
        assert allowed == ((name == "deliver") == over)
    else:
        assert not allowed
        assert states.refusal(booking, name).startswith("Only a booking still booked")
    assert_refused_exactly_when_not_allowed(allowed, lambda: BOOKING_STEPS[name](alpha, booking))
    target = {"cancel": BookingStatus.CANCELLED, "deliver": BookingStatus.DELIVERED}[name]
    assert Booking.objects.get(pk=booking.pk).status == (target if allowed else status)


@pytest.mark.parametrize("name", BOOKING_STEPS)
def test_a_role_without_the_permission_is_never_offered_a_booking_step(world, name):
    alpha = world["alpha"]
    booking = book(alpha, 0, NIGHT)
    assert not states.may(booking, name, alpha["commissioner"])
    with pytest.raises(PermissionDenied):
        BOOKING_STEPS[name]({"sw": alpha["commissioner"]}, booking)


def _waiting_entry(alpha):
    first = book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    entry = services.waiting_list_join(
        actor=alpha["sw"],
        places=alpha["places"],
        line=alpha["children"][2]["line"],
        first_day=NIGHT,
    )
    return first, entry


def _offer(world, first, entry):
    """The entry is offered a place when a cancellation frees its night, and only if waiting."""
    services.booking_cancel(actor=world["sw"], booking=first, reason="Unwell.")
    if not entry.events.filter(kind=BookingEventKind.OFFERED).exists():
        raise TransitionNotAllowed("not offered")
    assert WaitingListEntry.objects.get(pk=entry.pk).status == WaitingStatus.OFFERED


WAITING_STEPS = {
    "offer": _offer,
    "take": lambda world, first, entry: services.waiting_offer_accept(
        actor=world["sw"], entry=entry
    ),
    "withdraw": lambda world, first, entry: services.waiting_list_withdraw(
        actor=world["sw"], entry=entry, reason="Found another break."
    ),
}


@pytest.mark.parametrize("name", WAITING_STEPS)
@pytest.mark.parametrize("status", WaitingStatus.values)
def test_each_waiting_list_step_from_each_status(world, status, name):
    alpha = world["alpha"]
    first, entry = _waiting_entry(alpha)
    if name != "offer":  # a cancellation frees the night first, so a place can be taken
        services.booking_cancel(actor=alpha["sw"], booking=first, reason="Unwell.")
    entry = _with_status(entry, status)
    allowed = states.may(entry, name, alpha["sw"])
    expected = {
        "offer": [WaitingStatus.WAITING],
        "take": [WaitingStatus.OFFERED],
        "withdraw": [WaitingStatus.WAITING, WaitingStatus.OFFERED],
    }[name]
    assert allowed == (status in expected)
    assert_refused_exactly_when_not_allowed(
        allowed, lambda: WAITING_STEPS[name](alpha, first, entry)
    )


def test_the_booking_page_offers_only_the_steps_the_server_makes(world, client_for, frozen_today):  # noqa: F811
    from django.urls import reverse

    alpha = world["alpha"]
    booking = book(alpha, 0, FROZEN_TODAY)
    page = client_for(alpha["sw"]).get(reverse("bookings:detail", args=[booking.pk])).content
    assert b"Cancel the booking" in page and b"Record as delivered" not in page
    frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=1)))
    page = client_for(alpha["sw"]).get(reverse("bookings:detail", args=[booking.pk])).content
    assert b"Record as delivered" in page
    services.booking_deliver(actor=alpha["sw"], booking=booking)
    page = client_for(alpha["sw"]).get(reverse("bookings:detail", args=[booking.pk])).content
    assert b"Cancel the booking" not in page and b"Record as delivered" not in page
