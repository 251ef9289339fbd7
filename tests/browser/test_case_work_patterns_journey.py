"""The MOJ case-work patterns in a real browser: a child's identity bar and sub navigation, and
the big lists as sortable tables (headings become sort buttons with JavaScript); axe-core checks
each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.referrals.builders import build_world, make_child, make_package, make_referral

pytestmark = pytest.mark.browser


def test_a_childs_record_and_the_sortable_lists(page, sign_in, axe, live_server, two_councils):
    world = build_world(two_councils)
    alpha = world["alpha"]
    child = alpha["child"]
    make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    other = make_child(alpha["sw"], first_name="Zara", last_name="Adams")
    make_referral(alpha["sw"], other)
    make_referral(alpha["sw"], child)
    sign_in(page, alpha["sw"])

    page.goto(f"{live_server.url}/children/{child.pk}/")
    navigation = page.get_by_role("navigation", name=f"Sections of {child.full_name}'s record")
    expect(navigation.get_by_role("link", name="Summary")).to_have_attribute("aria-current", "page")
    expect(page.locator("#alerts")).to_contain_text("Review overdue since")
    axe(page)
    navigation.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    axe(page)

    page.goto(f"{live_server.url}/children/")
    table = page.locator('table[data-module="moj-sortable-table"]')
    sort_by_name = table.get_by_role("button", name="Name")
    expect(sort_by_name).to_be_visible()
    axe(page)
    sort_by_name.click()
    expect(table.locator("th").first).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody tr").first).to_contain_text("Sam Jones")
    sort_by_name.click()
    expect(table.locator("th").first).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr").first).to_contain_text("Zara Adams")
    axe(page)

    for path in ("/referrals/", "/caseload/"):
        page.goto(f"{live_server.url}{path}")
        expect(
            page.locator('table[data-module="moj-sortable-table"] th button').first
        ).to_be_visible()
        axe(page)

    page.context.clear_cookies()  # a new person on the same browser
    sign_in(page, two_councils["alpha"]["people"][Role.COMMISSIONER])
    page.goto(f"{live_server.url}/contracts/")
    axe(page)
