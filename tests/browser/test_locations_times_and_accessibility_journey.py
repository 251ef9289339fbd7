"""In a real browser, axe-checked on every page: a commissioner records where and when a service
runs, the council administrator sets the council's accessibility contact, and a parent carer,
not signed in (and without JavaScript), finds both on the public pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.builders import make_provider, make_service

pytestmark = pytest.mark.browser


def test_where_and_when_a_service_runs_and_whom_to_ask_about_access(
    page, new_context, sign_in, axe, live_server, two_councils
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Sunrise Play")
    service = make_service(
        commissioner,
        provider,
        title="Saturday club",
        description="Games and crafts.",
        tier="targeted",
        categories=["educational_leisure"],
        setting="community",
        when=["weekends"],
    )
    sign_in(page, commissioner)

    page.goto(f"{live_server.url}/providers/{provider.pk}/")
    axe(page)
    click_and_load(page.get_by_role("button", name="Add a location"))
    axe(page)
    page.get_by_label("Name of the place").fill("Riverside Hall")
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Hereford")
    page.get_by_label("County").fill("Herefordshire")
    page.get_by_label("Postcode").fill("HR1 2AB")
    page.get_by_label("Latitude (optional)").fill("52.0565")
    page.get_by_role("button", name="Add location").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("longitude")
    axe(page)
    page.get_by_label("Longitude (optional)").fill("-2.716")
    page.get_by_role("button", name="Add location").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunrise Play")
    expect(page.locator("main")).to_contain_text("1 High Street, Hereford, Herefordshire, HR1 2AB")
    axe(page)

    page.goto(f"{live_server.url}/providers/services/{service.pk}/edit/")
    page.get_by_label("Riverside Hall").check()
    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Telephone number (optional)").fill("01632 960123")
    axe(page)
    page.get_by_role("button", name="Save service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saturday club")
    click_and_load(page.get_by_role("button", name="Add times"))
    axe(page)
    page.get_by_label("Saturday").check()
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("10:00")
    page.get_by_role("button", name="Add these times").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must differ")
    axe(page)
    page.get_by_label("Ends at").fill("15:00")
    page.get_by_label("Notes (optional)").fill("Term time only")
    page.get_by_role("button", name="Add these times").click()
    expect(page.locator("main")).to_contain_text("10:00 to 15:00")
    axe(page)

    admin_page = new_context().new_page()
    sign_in(admin_page, two_councils["alpha"]["people"][Role.COUNCIL_ADMIN])
    click_and_load(admin_page.get_by_role("link", name="Council settings").first)
    axe(admin_page)
    admin_page.get_by_label("Email address").fill("access@alpha.example")
    admin_page.get_by_label("Working days to answer").fill("0")
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator(".govuk-error-summary")).to_be_visible()
    axe(admin_page)
    admin_page.get_by_label("Working days to answer").fill("5")
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator(".govuk-notification-banner")).to_contain_text("saved")

    for javascript in (True, False):
        public = new_context(java_script_enabled=javascript).new_page()
        public.goto(f"{live_server.url}/statements/alpha/services/{service.pk}/")
        main = public.locator("main")
        expect(main.get_by_role("heading", name="Riverside Hall")).to_be_visible()
        expect(main).to_contain_text("Saturday")
        expect(main).to_contain_text("01632 960123")
        if javascript:  # axe itself needs JavaScript
            axe(public)
        public.get_by_role("link", name="Accessibility statement").click()
        expect(public.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
        expect(public.locator("main")).to_contain_text("access@alpha.example")
        expect(public.locator("main")).to_contain_text("get back to you in 5 working days")
        assert public.context.cookies() == []
        if javascript:
            axe(public)
            public.goto(f"{live_server.url}/accessibility/")
            axe(public)
