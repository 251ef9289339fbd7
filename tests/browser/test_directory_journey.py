"""A parent carer, not signed in, finds a short break in the council's public directory: filters
by tier and age, then opens a service. Also without JavaScript. axe-checked on every page."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from tests.builders import make_provider, make_service
from tests.conftest import MARKER_B


def _offer(two_councils):
    alpha = two_councils["alpha"]["people"]["commissioner"]
    bravo = two_councils["bravo"]["people"]["commissioner"]
    provider = make_provider(alpha, name="Sunrise Play")
    make_service(
        alpha,
        provider,
        title="After school club",
        tier="universal",
        categories=["educational_leisure"],
        setting="community",
        age_from=5,
        age_to=11,
        areas="Northtown",
        when=["after_school"],
    )
    make_service(
        alpha,
        provider,
        title="Overnight stays",
        description="Stays in a small home with trained staff.",
        tier="specialist",
        age_from=8,
        age_to=18,
        areas="Southville",
        price=Decimal("180.00"),
        price_unit="night",
        capacity_available=2,
        capacity_maximum=6,
        capacity_unit="beds",
        how_to_access="Ask your social worker for an assessment.",
    )
    make_service(alpha, provider, title="Teen overnights", tier="specialist", age_from=14)
    make_service(bravo, make_provider(bravo, name="Elsewhere"), title=f"Service {MARKER_B}")


def test_a_parent_filters_the_directory_and_opens_a_service(page, axe, live_server, two_councils):
    _offer(two_councils)
    main = page.locator("main")

    page.goto(f"{live_server.url}/statements/alpha/services/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Short breaks services in Alpha MARKERALPHA Council"
    )
    expect(main.get_by_role("heading", name="3 services")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(main).not_to_contain_text(MARKER_B)
    axe(page)

    # A bad age is explained, not a crash.
    page.get_by_label("Child's age").fill("abc")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the child's age as a number")
    axe(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Child's age")).to_be_focused()

    # Specialist services for a 9 year old.
    page.get_by_label("Child's age").fill("9")
    page.get_by_role("group", name="Tier").get_by_label("Specialist").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(main.get_by_role("heading", name="1 service matches your filters")).to_be_visible()
    expect(main.get_by_role("heading", level=3)).to_have_text(["Overnight stays"])
    expect(page.get_by_label("Child's age")).to_have_value("9")
    axe(page)

    main.get_by_role("link", name="Overnight stays").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overnight stays")
    expect(main).to_contain_text("£180.00 per night")
    expect(main).to_contain_text("2 beds")
    expect(main).to_contain_text("Ask your social worker for an assessment.")
    axe(page)

    page.get_by_role("link", name="Back to short breaks services").click()
    page.get_by_role("link", name="Clear filters").click()
    expect(main.get_by_role("heading", name="3 services")).to_be_visible()


def test_the_directory_works_without_javascript(new_context, live_server, two_councils):
    _offer(two_councils)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/statements/alpha/services/")
    page.get_by_role("group", name="Tier").get_by_label("Universal").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("main").get_by_role("heading", level=3)).to_have_text(["After school club"])
    assert page.context.cookies() == []


def test_a_long_directory_pages_with_the_filters_kept(page, axe, live_server, two_councils):
    """More services than a page holds: GOV.UK pagination, the filters kept from page to page,
    axe-checked, and the same links without JavaScript (they are plain links)."""
    _offer(two_councils)
    alpha = two_councils["alpha"]["people"]["commissioner"]
    provider = make_provider(alpha, name="Many Clubs")
    for number in range(52):
        make_service(alpha, provider, title=f"Club {number:02d}", tier="universal")
    main = page.locator("main")
    page.goto(f"{live_server.url}/statements/alpha/services/?tier=universal")
    expect(main.get_by_role("heading", name="53 services match your filters")).to_be_visible()
    pages = page.get_by_role("navigation", name="Pages of services")
    expect(pages.get_by_role("link")).to_have_count(1)
    axe(page)
    pages.get_by_role("link", name="Next page").click()
    expect(main.get_by_role("heading", level=3)).to_have_text(["Club 49", "Club 50", "Club 51"])
    expect(page.get_by_role("group", name="Tier").get_by_label("Universal")).to_be_checked()
    axe(page)
    pages.get_by_role("link", name="Previous page").click()
    expect(main.get_by_role("heading", level=3)).to_have_count(50)
