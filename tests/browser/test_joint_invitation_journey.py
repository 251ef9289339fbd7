"""A joint contract by consent in a real browser: the invited council's commissioner finds the
invitation from the home page and the register, accepts it, and reads the contract; the lead
council sees the status and withdraws the council. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from contracts.models import ContractParticipation, ParticipationStatus
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.builders import make_contract

pytestmark = pytest.mark.browser


def test_an_invited_commissioner_accepts_and_the_lead_withdraws(
    page, new_context, sign_in, axe, live_server, two_councils
):
    lead = two_councils["bravo"]["people"]
    invited = two_councils["alpha"]["people"]
    contract = make_contract(
        lead[Role.COMMISSIONER],
        reference="SUB-1",
        title="Sub-regional family-based short breaks",
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )

    sign_in(page, invited[Role.COMMISSIONER])
    expect(page.get_by_role("region", name="Joint contracts")).to_contain_text(
        "1 invitation to a joint contract"
    )
    axe(page)
    page.goto(f"{live_server.url}/contracts/")
    expect(page.get_by_role("table")).not_to_contain_text("SUB-1")
    axe(page)
    page.get_by_role("link", name="See the invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations to joint contracts")
    axe(page)
    page.get_by_role("link", name="Accept the invitation to SUB-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept the invitation")
    axe(page)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sub-regional family-based short breaks"
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You accepted")
    axe(page)

    lead_page = new_context().new_page()
    sign_in(lead_page, lead[Role.COMMISSIONER])
    lead_page.goto(f"{live_server.url}/contracts/{contract.pk}/")
    expect(lead_page.locator(".govuk-summary-list")).to_contain_text("Accepted")
    axe(lead_page)
    council = two_councils["alpha"]["council"].name
    click_and_load(lead_page.get_by_role("link", name=f"Withdraw {council} from the contract"))
    axe(lead_page)
    lead_page.get_by_role("button", name="Withdraw the council").click()
    expect(lead_page.locator(".govuk-notification-banner")).to_contain_text("no longer sees it")
    axe(lead_page)
    participation = ContractParticipation.objects.get(contract=contract)
    assert participation.status == ParticipationStatus.WITHDRAWN
