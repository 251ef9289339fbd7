"""Two applications for one child and scheme arriving at once: the database records one, and the
other is refused with the reason a second application is given (test_one_grant_a_year.py).

They run in their own transactions, so the records are built for each test here rather than once
for the module."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import GrantApplication
from referrals.services import grants as grant_services
from tests.clock import frozen_today  # noqa: F401
from tests.racing import at_once, meet_before, statuses
from tests.referrals.builders import build_world
from tests.referrals.test_one_grant_a_year import api, body, build_grants_world, taken

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def world(two_councils):
    return build_grants_world(build_world(two_councils))


@pytest.mark.django_db(transaction=True)
def test_two_applications_at_once_are_recorded_once_and_the_loser_is_told_why(world, monkeypatch):
    meet_before(monkeypatch, grant_services, "refuse_duplicates")  # both have passed the check
    client = api(world["alpha"]["sw"])

    def send():
        return client.post(reverse("api-grant-applications"), body(world), format="json")

    responses = at_once(send, send)

    assert statuses(responses) == [201, 400]
    winner = GrantApplication.objects.get(child=world["alpha"]["child"])
    loser = next(r for r in responses if r.status_code == 400)
    assert loser.json() == taken(winner, "waiting for a decision")
