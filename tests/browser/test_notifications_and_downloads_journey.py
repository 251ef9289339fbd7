"""Choosing one's emails, and downloading a list, in a real browser; each page checked with
axe-core against WCAG 2.2 A and AA."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from shortbreaks.notifications.models import NotificationPreference
from tests.builders import make_contract

pytestmark = pytest.mark.browser


def test_a_contract_manager_turns_an_email_off(page, sign_in, axe, live_server, two_councils):
    manager = two_councils["alpha"]["people"][Role.CONTRACT_MANAGER]
    sign_in(page, manager)
    page.get_by_role("link", name="Your emails").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your emails")
    box = page.get_by_label("A contract you manage is ending")
    expect(box).to_be_checked()
    axe(page)
    box.uncheck()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_label("A contract you manage is ending")).not_to_be_checked()
    axe(page)
    assert not NotificationPreference.objects.get(user=manager, kind="contract_ending").email


def test_a_commissioner_downloads_the_filtered_register(
    page, sign_in, axe, live_server, two_councils
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_contract(commissioner, reference="DL-1", title="Overnight breaks")
    make_contract(commissioner, reference="DL-2", title="Buddying", kind="framework")
    sign_in(page, commissioner)
    page.goto(f"{live_server.url}/contracts/?kind=framework")
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["DL-2"]
