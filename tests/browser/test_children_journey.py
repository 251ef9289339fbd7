"""A social worker adds a child in a real browser, checks the answers, then reads the child's
page and timeline and their caseload; axe-core checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from referrals.models import Child
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.referrals.builders import completed_assessment, make_child

pytestmark = pytest.mark.browser


def test_social_worker_adds_a_child_and_reads_their_record(
    page, sign_in, axe, live_server, two_councils
):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    sign_in(page, social_worker)

    page.goto(f"{live_server.url}/children/")
    axe(page)
    click_and_load(page.get_by_role("button", name="Add a child"))
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)

    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2014")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_label("Postcode (optional)").fill("sy1 1aa")
    page.get_by_label("Autism or Asperger syndrome").check()
    page.get_by_label("Communication", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Enter a valid NHS number").first).to_be_visible()
    axe(page)
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before adding the child"
    )
    expect(page.get_by_text("Autism or Asperger syndrome (AUT)")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Change school").click()
    page.get_by_label("School (optional)").fill("Severndale Specialist Academy")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Severndale Specialist Academy")).to_be_visible()
    page.get_by_role("button", name="Add the child").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    child = Child.objects.get(last_name="Shah")
    assert page.url.split("#")[0] == f"{live_server.url}/children/{child.pk}/"
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    expect(page.get_by_text("No tier yet")).to_be_visible()
    axe(page)

    click_and_load(page.get_by_role("button", name="Add a carer"))
    page.get_by_label("Name").fill("Maria Shah")
    page.get_by_label("Relationship to the child").fill("mother")
    axe(page)
    page.get_by_role("button", name="Add carer").click()
    expect(page.get_by_role("cell", name="Maria Shah", exact=True)).to_be_visible()

    page.get_by_role("link", name="Timeline of Priya Shah's journey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    axe(page)

    page.get_by_role("link", name="Back to Priya Shah").click()
    click_and_load(page.get_by_role("link", name="Change Priya Shah's details"))
    axe(page)
    page.get_by_label("School (optional)").fill("Woodlands School")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Woodlands School")).to_be_visible()

    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    axe(page)


def test_team_manager_reads_the_authorisation_queue(page, sign_in, axe, live_server, two_councils):
    people = two_councils["alpha"]["people"]
    social_worker = people[Role.SOCIAL_WORKER]
    child = make_child(social_worker, first_name="Noor", last_name="Waiting")
    completed_assessment(social_worker, child)
    sign_in(page, people[Role.TEAM_MANAGER])
    page.goto(f"{live_server.url}/caseload/")
    axe(page)
    page.get_by_role("link", name="Assessments waiting for your authorisation").click()
    expect(page.get_by_role("link", name="Noor Waiting")).to_be_visible()
    axe(page)
