"""The big lists' filter panel in a real browser: beside the list at 1,280 px with nothing
overflowing, axe-clean, always shown without JavaScript, and behind a "Show filter" button on a
small screen with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.builders import make_contract, make_provider, make_service
from tests.referrals.builders import make_child, make_referral

pytestmark = pytest.mark.browser

PAGES = [
    "/children/",
    "/referrals/?status=received",
    "/contracts/?kind=block&overrunning=on",
    "/providers/?search=Riverside",
    "/providers/services/?tier=universal",
    "/grants/?long_waits=on",
    "/bookings/list/?status=booked",
    "/brokerage/?status=sent&to_score=on",
    "/access-log/?action=list",
]


def _fits(page) -> dict:
    return page.evaluate(
        """() => {
          const content = document.querySelector('.moj-filter-layout__content');
          const panel = document.querySelector('.moj-filter-layout__filter');
          const tables = [...content.querySelectorAll('table')];
          const right = content.getBoundingClientRect().right + 1;
          return {
            page: document.documentElement.scrollWidth <= window.innerWidth,
            tables: tables.every(t => t.getBoundingClientRect().right <= right),
            beside: panel.getBoundingClientRect().right <= content.getBoundingClientRect().left,
            panelShown: panel.getBoundingClientRect().height > 0
              && !panel.querySelector('.moj-filter').classList.contains('moj-js-hidden'),
          };
        }"""
    )


@pytest.fixture
def manager(two_councils):
    alpha = two_councils["alpha"]
    people = alpha["people"]
    sw, commissioner = people[Role.SOCIAL_WORKER], people[Role.COMMISSIONER]
    child = make_child(sw, first_name="Alexandria-Josephine", last_name="Montgomery-Fitzwilliam")
    make_referral(sw, child)
    make_contract(
        commissioner,
        reference="SB-2024-OVERNIGHT-BLOCK-0001",
        title="Overnight residential short breaks for disabled children and young people",
    )
    provider = make_provider(commissioner, name="Riverside Residential Short Breaks Limited")
    make_service(commissioner, provider, title="Saturday club for older children", tier="universal")
    return people[Role.TEAM_MANAGER]


def test_each_list_has_its_filter_panel_beside_it_at_1280_px(
    page, sign_in, axe, live_server, manager
):
    sign_in(page, manager)
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).count() == 1, path
        expect(page.locator(".moj-filter"), path).to_be_visible()
        assert page.locator(".moj-filter__tag").count() >= (0 if path == "/children/" else 1), path
        fits = _fits(page)
        expected = {"page": True, "tables": True, "beside": True, "panelShown": True}
        assert fits == expected, (path, fits)
        axe(page)


def test_a_tag_removes_its_filter(page, sign_in, live_server, manager):
    sign_in(page, manager)
    page.goto(f"{live_server.url}/contracts/?kind=block&overrunning=on")
    page.get_by_role("link", name="Remove filter Kind: Block").click()
    page.wait_for_url(f"{live_server.url}/contracts/?overrunning=on")
    page.get_by_label("Kind").select_option("framework")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/contracts/?**kind=framework**")
    clear = page.get_by_role("link", name="Clear filters")
    assert clear.get_attribute("href") == "/contracts/", (page.url, clear.get_attribute("href"))
    clear.click()
    page.wait_for_url(f"{live_server.url}/contracts/")


def test_small_screens_show_the_panel_without_javascript_and_toggle_it_with(
    new_context, sign_in, axe, live_server, manager
):
    plain = new_context(java_script_enabled=False).new_page()
    plain.set_viewport_size({"width": 600, "height": 900})
    sign_in(plain, manager)
    plain.goto(f"{live_server.url}/referrals/?status=received")
    expect(plain.locator(".moj-filter")).to_be_visible()
    expect(plain.get_by_role("button", name="Apply filters")).to_be_visible()

    page = new_context().new_page()
    page.set_viewport_size({"width": 600, "height": 900})
    sign_in(page, manager)
    page.goto(f"{live_server.url}/referrals/?status=received")
    show = page.get_by_role("button", name="Show filter")
    show.wait_for()
    expect(page.locator(".moj-filter")).to_be_hidden()
    axe(page)
    show.click()
    expect(page.locator(".moj-filter")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".moj-filter")).to_be_hidden()
