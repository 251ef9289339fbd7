"""Block places in headless Chromium, axe-clean: a social worker opens the calendar, books the
last bed of a night, finds the night full for another child and puts them on the waiting list; a
commissioner reads the contract's utilisation chart and table. For tests/browser/ (its conftest
gives the browser, page, sign_in and axe fixtures). The browser keeps the real clock, so the
dates are counted from today."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.bookings.builders import book, child_on_lot, hold_places, overnight_offer
from tests.browser.actions import click_and_load


def _option(world: dict, n: int) -> str:
    child = world["children"][n]["child"]
    return f"{child.first_name} Journey ({child.council_child_id}), Overnight breaks JOURNEY"


def _fill_day(page, day) -> None:
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def test_booking_a_night_and_waiting_for_a_full_one(page, sign_in, axe, live_server, two_councils):
    people = two_councils["alpha"]["people"]
    commissioner = people[Role.COMMISSIONER]
    today = timezone.localdate()
    offer = overnight_offer(
        commissioner,
        "JOURNEY",
        end_date=today + timedelta(days=700),
        max_extent_date=today + timedelta(days=1400),
    )
    places = hold_places(commissioner, offer)
    world = {
        "sw": people[Role.SOCIAL_WORKER],
        "places": places,
        "children": [
            child_on_lot(people, offer, first_name=name, last_name="Journey")
            for name in ("Ava", "Ben", "Cal")
        ],
    }
    night = today + timedelta(days=10)
    book(world, 0, night)

    sign_in(page, world["sw"])
    click_and_load(page.get_by_role("link", name="Block places").first)
    axe(page)
    page.get_by_role("link", name="Calendar of").first.click()
    expect(page.get_by_role("table")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/bookings/places/{places.pk}/book/?day={night.isoformat()}")
    page.get_by_label("Which child?").select_option(label=_option(world, 1))
    _fill_day(page, night)
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("heading", name="Booking for Ben Journey")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/bookings/places/{places.pk}/book/?day={night.isoformat()}")
    page.get_by_label("Which child?").select_option(label=_option(world, 2))
    _fill_day(page, night)
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("Every place is taken on").first).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Add to the waiting list").click()
    expect(page.get_by_role("heading", name="Waiting list")).to_be_visible()
    expect(page.get_by_role("cell", name="Cal Journey", exact=True)).to_be_visible()
    axe(page)

    page.context.clear_cookies()
    sign_in(page, commissioner)
    page.goto(f"{live_server.url}/bookings/contracts/{offer['contract'].pk}/utilisation/")
    chart = page.get_by_role(
        "img", name="Place-days used, booked, cancelled late and left empty by month"
    )
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Place-days by month")).to_be_visible()
    axe(page)
