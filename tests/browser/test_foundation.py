"""The foundation's journeys in a real browser: sign-in, changing council, the admin's pages.

Each page a person reaches is checked with axe-core against WCAG 2.2 A and AA.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_B
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_commissioner_changes_council_and_signs_out(
    page, sign_in_through_form, axe, live_server, two_councils, make_person
):
    alpha = two_councils["alpha"]["council"]
    bravo = two_councils["bravo"]["council"]
    person = make_person(alpha, Role.COMMISSIONER)
    # The same person also commissions for Bravo, so they may change council.
    services.membership_grant(user=person, council=bravo, role=Role.COMMISSIONER)
    person.refresh_from_db()

    sign_in_through_form(page, person)
    header = page.locator("header.govuk-template__header")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(header).to_contain_text(f"Working in {alpha.name}")
    axe(page)

    header.get_by_role("link", name="Change council").click()
    expect(page).to_have_url(f"{live_server.url}/council/switch-council/")
    expect(page.get_by_label(alpha.name, exact=True)).to_be_checked()
    axe(page)
    page.get_by_label(bravo.name, exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/home/")
    expect(header).to_contain_text(f"Working in {bravo.name}")
    expect(header).not_to_contain_text(alpha.name)
    axe(page)

    header.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/sign-in/"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/home/")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/sign-in/\?next="))


def test_wrong_password_shows_error_summary_with_focus(
    page, axe, live_server, make_person, council_a
):
    person = make_person(council_a, Role.SOCIAL_WORKER)

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD + "-wrong")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password.")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    axe(page)


def test_council_admin_reads_access_log_people_and_a_team(
    page, sign_in, axe, live_server, two_councils
):
    world = two_councils["alpha"]
    admin = world["people"][Role.COUNCIL_ADMIN]

    sign_in(page, admin)
    menu = page.get_by_role("navigation", name="Menu")

    menu.get_by_role("link", name="Access log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access log")
    axe(page)

    menu.get_by_role("link", name="People and teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People and teams")
    expect(page.locator("main")).to_contain_text(admin.email)
    expect(page.locator("main")).not_to_contain_text(MARKER_B)
    axe(page)

    page.get_by_role("link", name=world["team"].name).click()
    expect(page).to_have_url(f"{live_server.url}/council/teams/{world['team'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["team"].name)
    axe(page)

    # Opening the team is itself recorded, and the admin sees it in the log.
    menu.get_by_role("link", name="Access log").click()
    newest = page.locator("main table tbody tr").first
    expect(newest).to_contain_text(admin.username)
    expect(newest).to_contain_text("Viewed")
    expect(newest).to_contain_text(f"councils.team {world['team'].pk}")


def test_sign_in_works_without_javascript(
    new_context, sign_in_through_form, live_server, make_person, council_a
):
    person = make_person(council_a, Role.SOCIAL_WORKER)
    context = new_context(java_script_enabled=False)
    page = context.new_page()

    sign_in_through_form(page, person)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))
