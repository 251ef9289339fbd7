"""The block places pages: calendar, booking (and the waiting list when full), cancel, deliver,
and a contract's utilisation chart with its table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import Booking, BookingStatus, WaitingListEntry
from shortbreaks.councils.models import Role
from tests.bookings.builders import book, booking_world
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NIGHT = FROZEN_TODAY + timedelta(days=10)


def _build_world(two_councils) -> dict:
    return booking_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def _form(world: dict, n: int, day=NIGHT, days: int = 1) -> dict:
    return {
        "line": world["children"][n]["line"].pk,
        "first_day_0": day.day,
        "first_day_1": day.month,
        "first_day_2": day.year,
        "days": days,
    }


def test_the_calendar_shows_what_is_free_each_day(world, client_for, django_assert_max_num_queries):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    book(alpha, 0, NIGHT + timedelta(days=1))
    url = reverse("bookings:calendar", args=[alpha["places"].pk]) + "?month=2026-06"
    client = client_for(alpha["commissioner"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 day this month is full" in page
    assert "1 of 2 free" in page
    assert "Full" in page
    assert "Ava" not in page  # counts only, never a child
    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_calendar_of_another_council_is_404_and_needs_a_role(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    url = reverse("bookings:calendar", args=[bravo["places"].pk])
    assert client_for(alpha["commissioner"]).get(url).status_code == 404
    finance = alpha["people"][Role.FINANCE_OFFICER]
    assert client_for(finance).get(reverse("bookings:places")).status_code == 403


def test_booking_a_full_night_shows_the_error_and_the_waiting_list(world, client_for):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    client = client_for(alpha["sw"])
    url = reverse("bookings:create", args=[alpha["places"].pk])
    response = client.post(url, _form(alpha, 2))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Every place is taken on 25/06/2026" in page
    assert "Add to the waiting list" in page

    joined = client.post(
        reverse("bookings:waiting-join", args=[alpha["places"].pk]), _form(alpha, 2)
    )
    assert joined.status_code == 302
    assert WaitingListEntry.objects.filter(child=alpha["children"][2]["child"]).exists()
    waiting = client.get(reverse("bookings:waiting", args=[alpha["places"].pk]))
    assert "Cal Booked" in waiting.content.decode()


def test_booking_cancelling_and_the_booking_page(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    response = client.post(reverse("bookings:create", args=[alpha["places"].pk]), _form(alpha, 0))
    assert response.status_code == 302
    booking = Booking.objects.get()
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Booking for Ava Booked" in detail
    assert MARKER_B not in detail

    cancel = reverse("bookings:cancel", args=[booking.pk])
    assert "Enter the reason" in client.post(cancel, {"reason": ""}).content.decode()
    assert client.post(cancel, {"reason": "Family away"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_child_without_a_line_on_the_lot_is_not_offered(world, client_for):
    alpha = world["alpha"]
    bravo_line = world["bravo"]["children"][0]["line"].pk
    response = client_for(alpha["sw"]).post(
        reverse("bookings:create", args=[alpha["places"].pk]),
        {**_form(alpha, 0), "line": bravo_line},
    )
    assert response.status_code == 200
    assert "Choose one of the children listed" in response.content.decode()
    assert not Booking.objects.exists()


def test_commissioners_do_not_book_or_read_bookings(world, client_for):
    alpha = world["alpha"]
    booking = book(alpha, 0, NIGHT)
    client = client_for(alpha["commissioner"])
    assert client.get(reverse("bookings:create", args=[alpha["places"].pk])).status_code == 403
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 403
    assert client.get(reverse("bookings:list")).status_code == 403


def test_another_councils_booking_page_is_404(world, client_for):
    theirs = book(world["bravo"], 0, NIGHT)
    client = client_for(world["alpha"]["sw"])
    assert client.get(reverse("bookings:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("bookings:cancel", args=[theirs.pk])).status_code == 404


def test_the_booking_list_pins_its_queries(world, client_for, django_assert_num_queries):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    for n in range(3):
        book(alpha, n, NIGHT + timedelta(days=n))
    client.get(reverse("bookings:list"))  # the session settles
    with django_assert_num_queries(8):
        page = client.get(reverse("bookings:list")).content.decode()
    for n in range(3):
        book(alpha, n, NIGHT + timedelta(days=5 + n))
    with django_assert_num_queries(8):
        page = client.get(reverse("bookings:list")).content.decode()
    assert page.count("Ava Booked") == 2
    assert MARKER_A not in page or "Booked " + MARKER_A in page


def test_the_utilisation_chart_and_table(world, client_for):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT, days=2)
    response = client_for(alpha["commissioner"]).get(
        reverse("bookings:utilisation", args=[alpha["offer"]["contract"].pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Jun 2026: 60 paid for, 0 used, 2 booked, 0 cancelled late, 58 left empty" in page
    assert "Ava" not in page
    contract_page = client_for(alpha["commissioner"]).get(
        reverse("contracts:detail", args=[alpha["offer"]["contract"].pk])
    )
    assert reverse("bookings:utilisation", args=[alpha["offer"]["contract"].pk]) in (
        contract_page.content.decode()
    )


def test_social_workers_do_not_see_utilisation(world, client_for):
    alpha = world["alpha"]
    url = reverse("bookings:utilisation", args=[alpha["offer"]["contract"].pk])
    assert client_for(alpha["sw"]).get(url).status_code == 403
    assert (
        client_for(alpha["commissioner"])
        .get(reverse("bookings:utilisation", args=[world["bravo"]["offer"]["contract"].pk]))
        .status_code
        == 404
    )


def test_a_commissioner_sets_the_places_an_award_holds(world, client_for):
    from contracts.models import Award

    alpha = world["alpha"]
    award = Award.objects.get(lot=alpha["offer"]["lot"])
    client = client_for(alpha["commissioner"])
    url = reverse("bookings:places-set")
    assert f"BLK-{MARKER_A} lot 1" in client.get(url).content.decode()
    refused = client.post(url, {"award": award.pk, "unit": "session", "places": 3})
    assert "Enter how long a session lasts" in refused.content.decode()
    saved = client.post(url, {"award": award.pk, "unit": "night", "places": 4})
    assert saved.status_code == 302
    alpha["places"].refresh_from_db()
    assert alpha["places"].places == 4
    assert client_for(alpha["sw"]).get(url).status_code == 403


def test_the_deliver_and_withdraw_pages(world, client_for):
    alpha = world["alpha"]
    booking = book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    from bookings import services

    entry = services.waiting_list_join(
        actor=alpha["sw"],
        places=alpha["places"],
        line=alpha["children"][2]["line"],
        first_day=NIGHT,
    )
    client = client_for(alpha["sw"])
    deliver = client.get(reverse("bookings:deliver", args=[booking.pk])).content.decode()
    assert "17 in a row or 75 in 12 months" in deliver
    refused = client.post(reverse("bookings:deliver", args=[booking.pk]), {})
    assert "has not finished yet" in refused.content.decode()
    withdraw = reverse("bookings:waiting-withdraw", args=[entry.pk])
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw, {"reason": "Family found another break"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


def test_provider_staff_see_their_own_providers_bookings_by_first_name_only(
    world, client_for, django_assert_num_queries
):
    from providers.services import provider_account_open
    from tests.bookings.builders import child_on_lot, hold_places, overnight_offer
    from tests.factories import UserFactory

    alpha = world["alpha"]
    mine = book(alpha, 0, NIGHT)
    elsewhere = overnight_offer(alpha["commissioner"], "ELSEWHERE")
    other_places = hold_places(alpha["commissioner"], elsewhere)
    other = child_on_lot(alpha["people"], elsewhere, first_name="Dot", last_name="Elsewhere")
    from bookings import services

    services.booking_create(
        actor=alpha["sw"], places=other_places, line=other["line"], first_day=NIGHT
    )
    user = UserFactory()
    provider_account_open(user=user, provider=alpha["offer"]["provider"])
    user.refresh_from_db()
    url = reverse("bookings:provider-bookings")

    page = client_for(user).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ava" in body and "Dot" not in body
    assert f"Booked {MARKER_A}" not in body and "Ava Booked" not in body  # no surname
    assert mine.first_day.strftime("%-d %B %Y") in body
    # Council staff have their own list; this one is provider staff's only.
    assert client_for(alpha["sw"]).get(url).status_code == 403
    assert client_for(world["bravo"]["sw"]).get(url).status_code == 403
