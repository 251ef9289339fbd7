"""The demo shows Medway's ROCC beds booked over the last three months: nights delivered (and so
the children's overnight stays), a late cancellation, a full night, and next Saturday full with a
child waiting."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import BlockPlaces, Booking, BookingStatus, WaitingListEntry, WaitingStatus
from referrals.models import OvernightStay
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture(scope="module")
def seeded(frozen_today_module, demo_seeded):  # noqa: F811
    return demo_seeded


def test_rocc_has_three_beds_booked_over_three_months(seeded, db):
    today = timezone.localdate()
    places = BlockPlaces.objects.get(council__slug="medway", contract__reference="MC-SLA-ROCC-2024")
    assert places.places == 3
    bookings = Booking.objects.filter(places=places)
    past = bookings.filter(first_day__lt=today)
    assert past.filter(first_day__lt=today - timedelta(days=80)).exists()
    assert past.filter(status=BookingStatus.DELIVERED).count() >= 20
    assert past.filter(status=BookingStatus.CANCELLED, cancelled_late=True).count() == 1
    nights: Counter = Counter()
    for booking in bookings.exclude(status=BookingStatus.CANCELLED):
        for day in booking.each_day():
            nights[day] += 1
    assert max(nights.values()) == 3
    assert sum(1 for day, n in nights.items() if n == 3 and day < today) == 1
    assert sum(1 for day, n in nights.items() if n == 3 and day > today) == 1
    waiting = WaitingListEntry.objects.get(places=places, status=WaitingStatus.WAITING)
    assert nights[waiting.first_day] == 3
    delivered = bookings.filter(status=BookingStatus.DELIVERED).first()
    assert OvernightStay.objects.filter(child=delivered.child, night=delivered.first_day).exists()
