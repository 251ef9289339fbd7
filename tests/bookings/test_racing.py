"""Two bookings for the last bed at once: both pass every check before either counts the places,
so only the lock on the places' row keeps the night at its capacity. One is booked, the other is
refused as full (409), never a 500 and never a third child in two beds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bookings import services
from bookings.models import Booking
from tests.bookings.builders import book, booking_world
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.racing import at_once, meet_before, statuses

NIGHT = FROZEN_TODAY + timedelta(days=10)


def _post(user, body: dict):
    def send():
        client = APIClient()
        client.force_authenticate(user)
        return client.post(reverse("api-bookings"), body, format="json")

    return send


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frozen_today")
def test_two_bookings_for_the_last_bed_at_once_take_it_once(two_councils, monkeypatch):
    alpha = booking_world(two_councils)["alpha"]
    book(alpha, 0, NIGHT)  # one of the two beds is taken; one is left
    # Both requests wait here for each other, having passed every check: the worst timing.
    meet_before(monkeypatch, services, "_locked_places")
    bodies = [
        {
            "places": alpha["places"].pk,
            "line": alpha["children"][n]["line"].pk,
            "first_day": NIGHT.isoformat(),
        }
        for n in (1, 2)
    ]

    responses = at_once(*(_post(alpha["sw"], body) for body in bodies))

    assert statuses(responses) == [201, 409]
    assert Booking.objects.filter(places=alpha["places"], first_day=NIGHT).count() == 2
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["full_days"] == [NIGHT.isoformat()]
