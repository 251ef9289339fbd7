"""Audit pages in headless Chromium, axe-clean: an auditor records a report and a
recommendation; the owner moves its status and links a contract as evidence. For tests/browser/
(its conftest gives the browser, page, sign_in and axe fixtures)."""

from __future__ import annotations

from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from tests.audits.builders import make_recommendation, make_report
from tests.browser.actions import click_and_load
from tests.builders import make_contract


def test_an_auditor_records_a_report_and_a_recommendation(
    page, sign_in, axe, live_server, two_councils
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    sign_in(page, auditor)
    page.get_by_role("link", name="Audit", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/audits/")
    axe(page)

    page.get_by_role("link", name="Record an audit report").click()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)

    page.get_by_label("Title of the report").fill("Short Breaks internal audit 2023/24")
    page.get_by_label("Who carried out the audit?").fill("Internal Audit")
    for legend, (day, month, year) in (
        ("Start of the period audited", ("1", "2", "2024")),
        ("End of the period audited", ("31", "8", "2024")),
        ("Date of the report", ("30", "9", "2024")),
    ):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_label("Unsatisfactory").check()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_role("heading", name="Short Breaks internal audit 2023/24")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Number").fill("1")
    page.get_by_label("Recommendation", exact=True).fill(
        "Contracts should be procured in line with the Contract Procedure Rules."
    )
    page.get_by_label("Fundamental").check()
    page.get_by_role("button", name="Save the recommendation").click()
    expect(page.get_by_role("table").get_by_text("Fundamental")).to_be_visible()
    axe(page)


def test_the_owner_moves_the_status_and_links_evidence(
    page, sign_in, axe, live_server, two_councils
):
    people = two_councils["alpha"]["people"]
    report = make_report(people[Role.AUDITOR])
    recommendation = make_recommendation(people[Role.AUDITOR], report)
    make_contract(people[Role.COMMISSIONER], reference="SC-SB-2022", title="Short breaks")
    sign_in(page, people[Role.COMMISSIONER])
    page.goto(f"{live_server.url}/audits/recommendations/{recommendation.pk}/")
    axe(page)

    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)

    page.get_by_label("In progress").check()
    page.get_by_label("What was done or found").fill("EMT agreed the extension.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_text("is now in progress")).to_be_visible()

    click_and_load(page.get_by_role("link", name="Link evidence"))
    axe(page)
    page.get_by_label("Contract", exact=True).check()
    click_and_load(page.get_by_role("button", name="Continue"))
    axe(page)
    page.get_by_label("Which contract?").select_option(label="SC-SB-2022 Short breaks")
    page.get_by_role("button", name="Link the evidence").click()
    expect(page.get_by_role("link", name="SC-SB-2022 Short breaks", exact=True)).to_be_visible()
    axe(page)
