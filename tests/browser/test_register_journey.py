"""The register in a real browser: a commissioner records a contract, its lot, award and manager;
the manager sees the expiry notice on their home page. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Contract
from contracts.services import register as services
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.builders import make_contract, make_provider, make_service
from tests.dates import fill_date

pytestmark = pytest.mark.browser


def test_commissioner_records_a_contract_with_a_lot_an_award_and_a_manager(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    people = two_councils["alpha"]["people"]
    commissioner = people[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Aspire Living")
    make_service(commissioner, provider, title="Residential overnight breaks")
    sign_in(page, commissioner)

    page.goto(f"{live_server.url}/contracts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts")
    axe(page)
    fill_date(page, "Ends before", "31/2/2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("real date")
    axe(page)

    click_and_load(page.get_by_role("link", name="Record a contract"))
    axe(page)
    page.get_by_label("Reference").fill("WCC-RES-1")
    page.get_by_label("Title").fill("Residential short breaks")
    page.get_by_label("Block").check()
    fill_date(page, "Start date", "1/4/2022")
    # It runs for years yet: a contract past its end reads Expired the day it is read.
    fill_date(page, "End date", f"31/3/{timezone.localdate().year + 3}")
    page.get_by_label("Total value (optional)").fill("1500000")
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Residential short breaks")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("WCC-RES-1 recorded")
    axe(page)

    click_and_load(page.get_by_role("link", name="Make active"))
    axe(page)
    page.get_by_role("button", name="Make active").click()
    expect(page.locator("main .govuk-tag").first).to_have_text("Active")

    click_and_load(page.get_by_role("link", name="Add a lot"))
    axe(page)
    page.get_by_label("Name").fill("Overnight stays")
    page.get_by_label("Residential overnight breaks (Aspire Living)").check()
    page.get_by_role("button", name="Add lot").click()
    expect(page.get_by_role("heading", name="Lot 1: Overnight stays")).to_be_visible()

    click_and_load(page.get_by_role("link", name="Add an award"))
    axe(page)
    page.get_by_label("Lot 1: Overnight stays").check()
    page.get_by_label("Provider", exact=True).select_option(label="Aspire Living")
    page.get_by_label("Capacity (optional)").fill("4 overnight beds")
    page.get_by_role("button", name="Add award").click()
    expect(page.get_by_role("table", name="Awards for lot 1")).to_contain_text("4 overnight beds")

    click_and_load(page.get_by_role("link", name="Change contract manager"))
    axe(page)
    page.get_by_label(people[Role.CONTRACT_MANAGER].get_full_name()).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        people[Role.CONTRACT_MANAGER].get_full_name()
    )
    axe(page)
    contract = Contract.objects.get(reference="WCC-RES-1")
    assert contract.contract_manager == people[Role.CONTRACT_MANAGER]
    assert contract.lots.get().awards.get().capacity == "4 overnight beds"


def test_contract_manager_sees_and_dismisses_the_expiry_notice(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
    settings,
):
    settings.HOME_PANELS = ["contracts.panels.expiry_notices"]
    people = two_councils["alpha"]["people"]
    today = timezone.localdate()
    contract = make_contract(
        people[Role.COMMISSIONER],
        reference="BCC-END",
        title="Community short breaks",
        start_date=date(2022, 4, 1),
        end_date=today + relativedelta(months=5),
        max_extent_date=None,
    )
    services.contract_set_manager(
        actor=people[Role.COMMISSIONER], contract=contract, manager=people[Role.CONTRACT_MANAGER]
    )
    services.contract_expiry_reminders_send(today=today)
    sign_in(page, people[Role.CONTRACT_MANAGER])
    banner = page.get_by_role("region", name="Contracts ending soon")
    expect(banner).to_contain_text("BCC-END Community short breaks")
    expect(banner).to_contain_text("6 months left")
    axe(page)
    banner.get_by_role("button", name="Dismiss the notice about BCC-END").click()
    expect(page.get_by_role("region", name="Contracts ending soon")).to_have_count(0)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("dismissed")
    axe(page)
