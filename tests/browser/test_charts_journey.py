"""The trend charts and sufficiency in headless Chromium, axe-clean: support in numbers, spend
against budget, the grants waiting list and places against demand (by lot and by area), each
chart named as an image with its table, and still inside the page at 200% zoom (half the
width)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Child
from referrals.services import grants as grant_services
from shortbreaks.councils.models import Role
from tests.bookings.builders import booking_world, child_on_lot
from tests.referrals.builders import make_child


def _chart_fits(page, name: str) -> None:
    chart = page.get_by_role("img", name=name)
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_a_commissioner_reads_the_trends_and_sufficiency(
    page, sign_in, axe, live_server, two_councils
):
    world = booking_world(two_councils)
    alpha = world["alpha"]
    for name in ("Dee", "Eli"):  # five children: counted, not "fewer than 5"
        child_on_lot(alpha["people"], alpha["offer"], first_name=name, last_name="Charted")
    Child.objects.filter(council=alpha["council"]).update(postcode="SY1 2AB")
    commissioner = alpha["commissioner"]
    sign_in(page, commissioner)

    page.goto(f"{live_server.url}/aggregates/")
    assert page.get_by_role("table", name="Children supported each month, by tier: the figures")
    _chart_fits(page, "Children supported each month, by tier")
    axe(page)

    page.goto(f"{live_server.url}/contracts/")
    page.get_by_role("link", name="Sufficiency: places against demand by lot").click()
    page.wait_for_url(f"{live_server.url}/sufficiency/")
    _chart_fits(page, "Places against demand by contract lot")
    assert page.get_by_role("table", name="Places against demand by contract lot")
    _chart_fits(page, "Places against demand by area")
    expect(page.get_by_role("table", name="Places against demand by area")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/contracts/spend/")
    expect(
        page.get_by_role("table", name="Spend each month against the budget profile: the figures")
    ).to_be_visible()
    axe(page)

    # 200% zoom: the same pages at half the width.
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(f"{live_server.url}/sufficiency/")
    _chart_fits(page, "Places against demand by contract lot")
    _chart_fits(page, "Places against demand by area")
    axe(page)


def test_a_social_worker_reads_the_waiting_list_by_month(
    page, sign_in, axe, live_server, two_councils
):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    scheme = grant_services.grant_scheme_create(
        actor=social_worker,
        name="Short break grant",
        year=2025,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    grant_services.grant_application_create(
        actor=social_worker,
        child=make_child(social_worker, first_name="Waiting"),
        scheme=scheme,
        received_on=timezone.localdate() - timedelta(days=40),
    )
    sign_in(page, social_worker)
    page.goto(f"{live_server.url}/grants/")
    _chart_fits(page, "Applications still waiting, by the month they arrived")
    expect(page.get_by_role("table", name="The waiting list by month: the figures")).to_be_visible()
    axe(page)
