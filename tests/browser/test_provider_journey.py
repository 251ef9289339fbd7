"""Provider staff in headless Chromium, axe-clean: sign in, land on their home page, submit a KPI
return, update vacancies and read the children they support; the contract manager queries the
return. For tests/browser/ (its conftest gives the browser, page and axe fixtures)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from contracts.models import KPIReturnStatus, MonitoringRecord
from contracts.services.kpi import kpi_return_request
from providers import services as provider_services
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.factories import PASSWORD
from tests.referrals.builders import commissioned, make_child, make_package


def _sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_provider_staff_submit_a_return_and_keep_vacancies(
    page, new_context, axe, live_server, two_councils, make_person
):
    alpha = two_councils["alpha"]
    people = alpha["people"]
    offer = commissioned(people[Role.COMMISSIONER], "JOURNEY")
    child = make_child(
        people[Role.SOCIAL_WORKER], first_name="Robin", communication_needs="Uses a tablet."
    )
    make_package(people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER], child, offer)
    kpi = kpi_return_request(
        actor=people[Role.CONTRACT_MANAGER],
        contract=offer["contract"],
        provider=offer["provider"],
        period="Quarter 1 2026/27",
        due_on=date(2026, 7, 15),
    )
    staff = make_person(alpha["council"])
    provider_services.provider_account_open(user=staff, provider=offer["provider"])

    _sign_in(page, live_server, staff)
    page.wait_for_url(f"{live_server.url}/provider/")
    expect(page.get_by_role("heading", name="KPI returns")).to_be_visible()
    axe(page)

    click_and_load(page.get_by_role("link", name="SB-JOURNEY: Quarter 1 2026/27"))
    axe(page)
    page.get_by_role("button", name="Submit KPI return").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Sessions delivered in the period").fill("118")
    page.get_by_label("Sessions you were asked to deliver").fill("120")
    page.get_by_label("How did the service go in the period?").fill("A good quarter.")
    page.get_by_role("button", name="Submit KPI return").click()
    expect(page.get_by_text("KPI return submitted")).to_be_visible()
    axe(page)

    for path in ("/provider/contracts/", "/provider/kpi-returns/", "/provider/children/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)
    page.get_by_role("link", name="Robin").click()
    expect(page.get_by_text("Uses a tablet.")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/provider/contracts/{offer['contract'].pk}/")
    axe(page)

    page.goto(f"{live_server.url}/provider/vacancies/")
    axe(page)
    page.get_by_role("link", name=f"Change vacancies for {offer['service'].title}").click()
    page.get_by_label("Places available now").fill("3")
    page.get_by_label("Places in all (optional)").fill("2")
    page.get_by_role("button", name="Save vacancies").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Places in all (optional)").fill("6")
    page.get_by_role("button", name="Save vacancies").click()
    expect(page.get_by_text("3 of 6")).to_be_visible()

    # The contract manager queries the return, with a reason.
    manager = new_context().new_page()
    _sign_in(manager, live_server, people[Role.CONTRACT_MANAGER])
    manager.wait_for_url(f"{live_server.url}/home/")
    manager.goto(f"{live_server.url}/contracts/{offer['contract'].pk}/monitoring/{kpi.pk}/")
    axe(manager)
    click_and_load(manager.get_by_role("link", name="Query the return"))
    axe(manager)
    manager.get_by_label("What does the provider need to check or explain?").fill(
        "The target was 130."
    )
    manager.get_by_role("button", name="Query the return").click()
    expect(manager.get_by_text("KPI return queried")).to_be_visible()
    assert MonitoringRecord.objects.get(pk=kpi.pk).kpi_status == KPIReturnStatus.QUERIED
    manager.goto(f"{live_server.url}/contracts/{offer['contract'].pk}/kpi-returns/new/")
    axe(manager)
