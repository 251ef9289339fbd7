"""A commissioner extends a contract by variation in a real browser, axe-checked on every page.

They request the extension, check their answers (changing one), save the draft, submit it,
record the finance, legal and procurement approvals, record the decision to approve, and find
the new end date, the "Extended" status and the timeline on the contract page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from contracts.models import ContractStatus, Extension, ExtensionStatus
from shortbreaks.councils.models import Role
from tests.builders import make_contract

pytestmark = pytest.mark.browser


def _fill_date(scope, day: str, month: str, year: str) -> None:
    scope.get_by_label("Day").fill(day)
    scope.get_by_label("Month").fill(month)
    scope.get_by_label("Year").fill(year)


def test_commissioner_requests_approves_and_sees_the_extension(
    page, sign_in, axe, live_server, two_councils
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner, reference="SB-2024-07", title="Overnight short breaks")
    main = page.locator("main")

    sign_in(page, commissioner)
    axe(page)

    # The contract page, with no extension yet.
    page.goto(f"{live_server.url}/contracts/{contract.pk}/")
    expect(main).to_contain_text("No extensions have been requested.")
    axe(page)
    main.get_by_role("button", name="Request an extension").click()

    # The request form.
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an extension")
    axe(page)
    _fill_date(page.get_by_role("group", name="New end date"), "31", "3", "2028")
    page.get_by_label("Value the extension adds, in pounds").fill("400000")
    page.get_by_label("Why should the contract be extended?").fill(
        "Time to recommission the service with families."
    )
    page.get_by_label("Alternative options considered (optional)").fill("Spot purchase.")
    page.get_by_label("Risks (optional)").fill("Providers may leave the market.")
    page.get_by_label("Modification under the Public Contracts Regulations 2015").check()
    page.get_by_role("button", name="Continue").click()

    # Check your answers, then change one.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before saving the extension"
    )
    expect(main).to_contain_text("£400,000.00")
    axe(page)
    main.get_by_role("link", name="Change added value").click()
    expect(page.get_by_label("Value the extension adds, in pounds")).to_have_value("400000")
    expect(page.get_by_label("Why should the contract be extended?")).to_have_value(
        "Time to recommission the service with families."
    )
    page.get_by_label("Value the extension adds, in pounds").fill("420000")
    page.get_by_role("button", name="Continue").click()
    expect(main).to_contain_text("£420,000.00")
    expect(main).to_contain_text("31 March 2028")
    page.get_by_role("button", name="Save as draft").click()

    # The draft; submit it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Extension to 31 March 2028")
    expect(main).to_contain_text("Extension saved as a draft.")
    expect(main.locator(".govuk-tag").first).to_have_text("Draft")
    axe(page)
    page.get_by_role("button", name="Submit for decision").click()
    expect(main).to_contain_text("Extension submitted for approval and decision.")
    expect(main).to_contain_text("Finance has not approved")
    axe(page)

    # The approvals of finance, legal and procurement, each checked before it is recorded.
    for role, name, day in (
        ("Finance", "Priya Shah", "1"),
        ("Legal", "Tom Evans", "2"),
        ("Procurement", "Ann Lee", "3"),
    ):
        main.get_by_role("button", name="Record an approval").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record an approval")
        axe(page)
        page.get_by_label(role, exact=True).check()
        page.get_by_label("Name of the officer who decided").fill(name)
        page.get_by_label("Approve", exact=True).check()
        _fill_date(page.get_by_role("group", name="Date of their decision"), day, "3", "2025")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check the approval before recording it"
        )
        expect(main).to_contain_text(name)
        axe(page)
        page.get_by_role("button", name="Record the approval").click()
        expect(main).to_contain_text("Approval recorded.")
        expect(main.get_by_role("table")).to_contain_text(name)
    expect(main).to_contain_text("Nothing blocks the decision.")
    axe(page)

    # The decision.
    main.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the decision")
    axe(page)
    page.get_by_label("Who made the decision?").fill("Cabinet member children and families")
    _fill_date(page.get_by_role("group", name="Decision date"), "16", "3", "2025")
    page.get_by_role("group", name="Was it a key decision?").get_by_label("No").check()
    page.get_by_role("group", name="What was decided?").get_by_label("Approve").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the decision before recording it"
    )
    axe(page)
    page.get_by_role("button", name="Confirm the decision").click()
    expect(main).to_contain_text("Decision recorded.")
    expect(main.locator(".govuk-tag").first).to_have_text("Approved")
    axe(page)

    # The contract page: the new end date, "Extended" and the timeline.
    page.get_by_role("link", name="Back to the contract").click()
    expect(page).to_have_url(f"{live_server.url}/contracts/{contract.pk}/")
    expect(main).to_contain_text("31 March 2028")
    expect(main).to_contain_text("Extended")
    timeline = main.locator(".sb-extension-timeline")
    expect(timeline).to_contain_text("31 March 2027 to 31 March 2028")
    expect(timeline).to_contain_text("Finance: Priya Shah approved on 1 March 2025")
    expect(timeline).to_contain_text(
        "Approved by Cabinet member children and families on 16 March 2025 (non-key decision)"
    )
    axe(page)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXTENDED
    assert str(contract.total_value) == "1170000.00"
    assert Extension.objects.get().status == ExtensionStatus.APPROVED
