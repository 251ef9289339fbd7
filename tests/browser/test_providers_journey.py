"""A commissioner keeps the providers register in a real browser; axe-core checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.builders import make_provider, make_service
from tests.dates import fill_date

pytestmark = pytest.mark.browser


def test_commissioner_adds_a_provider_and_a_service_and_suspends_the_provider(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    existing = make_provider(commissioner, name="Aspire Living")
    make_service(commissioner, existing, title="Residential overnight breaks")
    sign_in(page, commissioner)

    page.goto(f"{live_server.url}/providers/")
    axe(page)
    page.get_by_role("button", name="Add a provider").click()
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Name", exact=True).fill("Our Place")
    page.get_by_label("Contact email address (optional)").fill("hello@example.org")
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our Place")
    axe(page)

    click_and_load(page.get_by_role("button", name="Add a service"))
    axe(page)
    page.get_by_label("Title", exact=True).fill("After-school buddying")
    page.get_by_label("Targeted").check()
    page.get_by_label("Day-time care in the home or elsewhere").check()
    page.get_by_label("Community").check()
    page.get_by_label("1:1").check()
    page.get_by_label("Youngest age").fill("5")
    page.get_by_label("Oldest age").fill("3")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_text("The oldest age must be the same as or more").first).to_be_visible()
    axe(page)
    page.get_by_label("Oldest age").fill("17")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("After-school buddying")
    axe(page)

    page.get_by_role("link", name="Back to Our Place").click()
    click_and_load(page.get_by_role("link", name="Change status"))
    axe(page)
    page.get_by_label("Suspended").check()
    fill_date(page, "From which date?", "1/4/2025")
    page.get_by_label("Reason").fill("Safeguarding concern under review")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("Safeguarding concern under review").first).to_be_visible()

    page.get_by_role("button", name="Record a registration").click()
    page.get_by_label("Ofsted").check()
    page.get_by_label("Registration number").fill("SC999999")
    page.get_by_role("button", name="Save registration").click()
    expect(page.get_by_role("cell", name="SC999999")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/providers/services/?tier=targeted")
    expect(page.get_by_role("link", name="After-school buddying")).to_be_visible()
    assert page.get_by_role("link", name="Residential overnight breaks").count() == 0
    axe(page)


def test_a_social_worker_reads_without_change_buttons(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Newcross Healthcare Solutions")
    service = make_service(commissioner, provider, title="Home-based overnight care")
    sign_in(page, two_councils["alpha"]["people"][Role.SOCIAL_WORKER])
    page.goto(f"{live_server.url}/providers/{provider.pk}/")
    axe(page)
    assert page.get_by_role("link", name="Change status").count() == 0
    assert page.get_by_role("button", name="Add a service").count() == 0
    page.get_by_role("link", name="Home-based overnight care").click()
    page.wait_for_url(f"**/providers/services/{service.pk}/")
    assert page.get_by_role("button", name="Change this service").count() == 0
    axe(page)
