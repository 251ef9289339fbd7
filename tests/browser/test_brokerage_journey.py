"""Brokerage in a real browser, axe-checked on every page: a social worker raises a request from
the package page, checks the text (no identifiers) and sends it; a commissioner sees the answers
ranked and awards one; provider staff see and answer the requests sent to their provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brokerage.models import BrokerageRequest, RequestStatus
from brokerage.services.requests import brokerage_request_raise, brokerage_request_send
from tests.brokerage.builders import answer, brokerage_world
from tests.brokerage.test_api import provider_user
from tests.browser.actions import click_and_load
from tests.dates import fill_date
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_raise_send_rank_and_award(page, new_context, sign_in, axe, live_server, two_councils):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    main = page.locator("main")
    sign_in(page, world["sw"])
    page.goto(f"{live_server.url}/packages/{world['package'].pk}/")
    axe(page)
    main.get_by_role("link", name="Raise a brokerage request").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a brokerage request")
    axe(page)
    page.get_by_role("button", name="Draft the request").click()
    expect(main).to_contain_text("Check the text before you send it")
    expect(main).not_to_contain_text("Isabella")
    axe(page)
    click_and_load(main.get_by_role("button", name="Send the request"))
    axe(page)
    deadline = timezone.localdate() + timedelta(days=10)
    fill_date(page, "Answers by", deadline)
    page.get_by_role("button", name="Send the request").click()
    expect(main).to_contain_text("Sent to providers")
    axe(page)
    request = BrokerageRequest.objects.get()
    today = timezone.localdate()
    for provider, price in zip(world["providers"], ["25.00", "30.00", "20.00"], strict=True):
        answer(world, request, provider, price, today=today, start=today + timedelta(days=20))

    commissioner = new_context().new_page()
    sign_in(commissioner, world["commissioner"])
    commissioner.goto(f"{live_server.url}/brokerage/{request.pk}/")
    expect(commissioner.locator("main")).to_contain_text("Answers, ranked")
    axe(commissioner)
    click_and_load(commissioner.get_by_role("link", name=f"Award to {world['providers'][2].name}"))
    axe(commissioner)
    commissioner.get_by_role("button", name="Award the call-off contract").click()
    expect(commissioner.locator("main")).to_contain_text("Awarded")
    axe(commissioner)
    commissioner.goto(f"{live_server.url}/brokerage/")
    axe(commissioner)
    commissioner.goto(f"{live_server.url}/brokerage/dps/{world['dps'].pk}/weights/")
    axe(commissioner)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWARDED


def test_provider_staff_answer(page, axe, live_server, two_councils):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    today = timezone.localdate()
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=today)
    brokerage_request_send(
        actor=world["sw"], request=request, deadline=today + timedelta(days=5), today=today
    )
    user = provider_user(world, world["providers"][0])
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/brokerage/")
    axe(page)
    click_and_load(page.get_by_role("link", name=f"Request {request.pk}"))
    axe(page)
    click_and_load(page.get_by_role("button", name="Answer the request"))
    axe(page)
    page.get_by_label("Yes").check()
    page.get_by_label("Price per unit, in pounds").fill("27.50")
    fill_date(page, "Could start on", today + timedelta(days=14))
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("main")).to_contain_text("Your answer")
    expect(page.locator("main")).to_contain_text("£27.50")
    axe(page)
