"""The home page's work tray and the header's search in a real browser: each count a link to its
list, the search posted with nothing of it in the address, the publish page's warning while a
consultation is open; axe-core checks every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from statements import services as statement_services
from tests.referrals.builders import commissioned, make_child, make_package
from tests.statements.statement_builders import complete_draft, offer_every_category

pytestmark = pytest.mark.browser


def test_a_team_manager_follows_the_tray_and_searches(
    page, sign_in, axe, live_server, two_councils
):
    people = two_councils["alpha"]["people"]
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    offer = commissioned(people[Role.COMMISSIONER], "Tray")
    child = make_child(worker, first_name="Isla", last_name="Penhallow")
    make_package(worker, manager, child, offer, status="proposed")
    sign_in(page, manager)

    expect(page.get_by_role("heading", name="Your team")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="1 Packages waiting for the resource panel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Packages waiting for the resource panel"
    )
    expect(
        page.get_by_role("link", name=re.compile(r"^Isla Penhallow\s*: the proposed package"))
    ).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Back to caseload").click()
    page.goto(f"{live_server.url}/home/")
    page.get_by_role("link", name="Overdue work in your team").click()
    expect(page.get_by_text("Your team's caseload")).to_be_visible()
    axe(page)

    page.get_by_label("Search children, referrals, providers, services and contracts").fill(
        "Penhallow"
    )
    page.get_by_role("button", name="Search the council's records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="Isla Penhallow", exact=True)).to_be_visible()
    assert "penhallow" not in page.url.lower()
    axe(page)


def test_a_commissioner_is_warned_before_publishing_during_a_consultation(
    page, sign_in, axe, live_server, two_councils
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    offer_every_category(commissioner, "Alpha")
    version = complete_draft(commissioner)
    today = timezone.localdate()
    statement_services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=today + timedelta(days=10), today=today
    )
    sign_in(page, commissioner)
    expect(page.get_by_role("heading", name="Contracts")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/statements/manage/{version.pk}/publish/")
    expect(page.get_by_text("Carers can still give their views")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Publish the statement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you want")
    axe(page)
    page.get_by_label("I want to publish version 1 now").check()
    page.get_by_role("button", name="Publish the statement").click()
    expect(page.get_by_text("is published")).to_be_visible()


def test_a_social_worker_follows_a_place_offered_to_the_waiting_list(
    page, sign_in, axe, live_server, two_councils
):
    from bookings import services as booking_services
    from tests.bookings.builders import book, booking_world

    alpha = booking_world(two_councils)["alpha"]
    night = timezone.localdate() + timedelta(days=10)
    first = book(alpha, 0, night)
    book(alpha, 1, night)
    line = alpha["children"][2]["line"]
    booking_services.waiting_list_join(
        actor=alpha["sw"], places=alpha["places"], line=line, first_day=night
    )
    booking_services.booking_cancel(actor=alpha["sw"], booking=first, reason="Family away.")
    sign_in(page, alpha["sw"])
    page.get_by_role(
        "link", name="1 Places offered to your children's families and not yet taken up"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting lists")
    expect(page.get_by_role("cell", name=re.compile(r"^Cal Booked"))).to_be_visible()
    expect(page.get_by_label("Only children I am keyworker for")).to_be_checked()
    axe(page)
    page.get_by_role("link", name=re.compile(r"Overnight House.*lot 1.*waiting list")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Book the place"))).to_be_visible()
    axe(page)
