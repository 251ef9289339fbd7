"""A social worker searches the children in a real browser: the form posts, the address of the
results holds no name, NHS number or postcode, the next page keeps the search, and axe-core checks
the results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.referrals.builders import make_child, nhs_number

pytestmark = pytest.mark.browser

NHS = nhs_number("943476591")


def test_a_search_is_posted_and_its_address_names_no_one(
    page, sign_in, axe, live_server, two_councils, monkeypatch
):
    monkeypatch.setattr("referrals.views.children.PAGE_SIZE", 1)
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    make_child(social_worker, first_name="Ellis", last_name="Rivers", nhs_number=NHS)
    make_child(social_worker, first_name="Eliza", last_name="Rivers", postcode="TF1 2AB")
    sign_in(page, social_worker)

    for search in ("Rivers", "943 476 5919", "TF1 2AB"):
        page.goto(f"{live_server.url}/children/")
        page.get_by_label("Name, child id, NHS number or postcode").fill(search)
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("caption")).to_contain_text("Children matching the search")
        address = page.url.lower()
        for term in ("rivers", "943", "5919", "tf1", "2ab"):
            assert term not in address, (search, page.url)
        axe(page)

    page.goto(f"{live_server.url}/children/")
    page.get_by_label("Name, child id, NHS number or postcode").fill("rivers")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("link", name="Eliza Rivers")).to_be_visible()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("link", name="Ellis Rivers")).to_be_visible()
    assert "rivers" not in page.url.lower()
    assert "page=2" in page.url
    axe(page)
    assert AccessLogEntry.objects.filter(action="search", user=social_worker).count() == 5
