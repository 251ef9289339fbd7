"""In a real browser, with axe-core on each page: a social worker writes and corrects a case note;
adding a child that may already be recorded shows the possible matches; a team manager merges
the duplicate into the record kept and opens the duplicate's pointer page."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from referrals.models import Child
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.referrals.builders import make_child

pytestmark = pytest.mark.browser


def test_social_worker_writes_and_corrects_a_case_note(
    page, sign_in, axe, live_server, two_councils
):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    child = make_child(social_worker, first_name="Noor", last_name="Notes")
    sign_in(page, social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Case notes of Noor Notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case notes")
    axe(page)
    page.get_by_role("button", name="Add a note").click()
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Visit").check()
    page.get_by_label("Note", exact=True).fill("Home visit: Noor was settled.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Home visit: Noor was settled.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Correct the visit note").click()
    expect(page.get_by_text("You wrote this note less than 24 hours ago")).to_be_visible()
    axe(page)
    page.get_by_label("Note", exact=True).fill("Home visit: Noor and her brother were settled.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Noor and her brother were settled.")).to_be_visible()


def test_possible_matches_then_a_team_manager_merges_the_duplicate(
    page, sign_in, axe, live_server, two_councils
):
    people = two_councils["alpha"]["people"]
    social_worker = people[Role.SOCIAL_WORKER]
    keep = make_child(
        social_worker, first_name="Priya", last_name="Shah", date_of_birth=date(2014, 3, 27)
    )
    sign_in(page, social_worker)
    page.goto(f"{live_server.url}/children/new/")
    page.get_by_label("First name").fill("Pria")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2014")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("table", name="Possible matches")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Add the child").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("this is a different child").check()
    page.get_by_role("button", name="Add the child").click()
    duplicate = Child.objects.get(first_name="Pria")

    page.context.clear_cookies()
    sign_in(page, people[Role.TEAM_MANAGER])
    page.goto(f"{live_server.url}/children/{keep.pk}/")
    click_and_load(page.get_by_role("link", name="Merge a duplicate record"))
    axe(page)
    page.get_by_label("Pria Shah").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before merging the records")
    axe(page)
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_text("merged into this one")).to_be_visible()
    page.goto(f"{live_server.url}/children/{duplicate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This record was merged into another")
    axe(page)
