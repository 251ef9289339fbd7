"""Monitoring and spend pages in headless Chromium, axe-clean. For tests/browser/ (its conftest
gives the browser, page, sign_in and axe fixtures)."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from contracts.models import MonitoringRecord
from contracts.services import spend as services
from shortbreaks.councils.models import Role
from tests.builders import make_contract


def test_a_finance_officer_sees_the_chart_and_sets_a_line(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    finance = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    for year, budget, outturn in ((2023, "2000000", "2010000"), (2024, "2230000", None)):
        services.spend_line_set(
            actor=finance,
            financial_year=year,
            package_type="commissioned",
            budget=Decimal(budget),
            outturn=None if outturn is None else Decimal(outturn),
        )
    sign_in(page, finance)

    page.goto(f"{live_server.url}/contracts/spend/")
    chart = page.get_by_role("img", name="Budget and outturn by financial year")
    expect(chart).to_be_visible()
    assert page.get_by_role("table", name="Budget and outturn by financial year, all package types")
    axe(page)

    page.get_by_role("link", name="Set a budget or outturn").click()
    page.get_by_label("Financial year").fill("2025/27")
    page.get_by_label("Direct payments").check()
    page.get_by_label("Budget, in pounds (optional)").fill("-5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)

    page.get_by_label("Financial year").fill("2025/26")
    page.get_by_label("Budget, in pounds (optional)").fill("450000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/contracts/spend/")
    expect(page.get_by_text("Direct payments spend for 2025/26 saved")).to_be_visible()


def test_a_contracts_yearly_spend_page_is_accessible(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    people = two_councils["alpha"]["people"]
    contract = make_contract(people[Role.COMMISSIONER], reference="W-BLOCK")
    sign_in(page, people[Role.FINANCE_OFFICER])
    page.goto(f"{live_server.url}/contracts/{contract.pk}/spend/")
    page.get_by_label("Financial year").fill("2023/24")
    page.get_by_label("Amount spent in the year, in pounds").fill("612500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="£612,500")).to_be_visible()
    axe(page)


def test_a_contract_manager_records_a_kpi_return(
    page,
    sign_in,
    axe,
    live_server,
    two_councils,
):
    people = two_councils["alpha"]["people"]
    contract = make_contract(people[Role.COMMISSIONER], reference="MED-SLA")
    sign_in(page, people[Role.CONTRACT_MANAGER])
    page.goto(f"{live_server.url}/contracts/{contract.pk}/monitoring/new/")
    axe(page)

    page.get_by_label("KPI return").check()
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Sessions delivered (optional)").fill("-829")
    page.get_by_role("button", name="Save monitoring record").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    axe(page)

    page.get_by_label("Summary").fill("ROCC well above target.")
    page.get_by_label("Sessions delivered (optional)").fill("829")
    page.get_by_label("Sessions target (optional)").fill("455")
    page.get_by_label("Sanction considered (optional)").fill("Withholding payment")
    page.get_by_label("Outcome of the sanction (optional)").fill("Considered and set aside")
    page.get_by_role("button", name="Save monitoring record").click()

    record = MonitoringRecord.objects.get(contract=contract)
    page.wait_for_url(f"{live_server.url}/contracts/{contract.pk}/monitoring/{record.pk}/")
    expect(page.get_by_role("heading", name="KPI return on 14 October 2024")).to_be_visible()
    expect(page.get_by_text("829 against a target of 455")).to_be_visible()
    axe(page)
