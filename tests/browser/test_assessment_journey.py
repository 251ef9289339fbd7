"""A social worker completes an assessment through its task list; a different person, a team
manager, authorises it and records the resource panel's approval of the package that follows.
axe-checked on every page."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from referrals.models import AssessmentStatus, ChildTier, PackageStatus
from referrals.services import packages as package_services
from shortbreaks.councils.models import Role
from tests.browser.actions import click_and_load
from tests.referrals.builders import commissioned, line_kwargs, make_child, screened_referral

pytestmark = pytest.mark.browser


def _fill_date(scope, day: str, month: str, year: str) -> None:
    scope.get_by_label("Day").fill(day)
    scope.get_by_label("Month").fill(month)
    scope.get_by_label("Year").fill(year)


def _status_of(main, task: str):
    return main.locator(".govuk-task-list__item", has_text=task).locator(".govuk-task-list__status")


def test_an_assessment_is_completed_then_authorised_by_another_person(
    page, sign_in, axe, live_server, new_context, two_councils
):
    people = two_councils["alpha"]["people"]
    social_worker, team_manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    child = make_child(social_worker, first_name="Ruby", last_name="Okafor")
    referral = screened_referral(social_worker, child)
    main = page.locator("main")

    # The social worker starts the assessment from the accepted referral.
    sign_in(page, social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/assessments/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an assessment")
    axe(page)
    page.get_by_label("Referral received 6 January 2025", exact=False).check()
    _fill_date(page.get_by_role("group", name="Date the assessment started"), "13", "1", "2025")
    page.get_by_role("button", name="Start the assessment").click()

    # The task list: nothing started, and completing cannot start yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment of Ruby Okafor")
    expect(main).to_contain_text("Assessment started.")
    for task in ("The child's needs", "The carer's needs", "The Regulation 3 questions"):
        expect(_status_of(main, task)).to_have_text("Not yet started")
    expect(main).to_contain_text("Cannot start yet")
    axe(page)

    # One page per section, each back to the task list.
    main.get_by_role("link", name="The child's needs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The child's needs")
    axe(page)
    page.get_by_label("The child's needs").fill("Needs 1:1 support to go out safely.")
    page.get_by_role("button", name="Save and continue").click()
    expect(_status_of(main, "The child's needs")).to_have_text("Completed")

    click_and_load(main.get_by_role("link", name="The carer's needs"))
    axe(page)
    page.get_by_label("The carer's needs").fill("Mother cares alone, day and night.")
    page.get_by_role("button", name="Save and continue").click()

    main.get_by_role("link", name="The Regulation 3 questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Regulation 3 questions")
    axe(page)
    answers = {
        "Could the carer continue to care without breaks from caring?": "No",
        "Would breaks let the carer work, or work more?": "Yes",
    }
    for question, answer in answers.items():
        page.get_by_role("group", name=question).get_by_label(answer).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(_status_of(main, "The Regulation 3 questions")).to_have_text("In progress")
    axe(page)
    main.get_by_role("link", name="The Regulation 3 questions").click()
    for question in (
        "Would breaks let the carer study or train?",
        "Would breaks let the carer care for other children?",
        "Would breaks let the carer run the household?",
    ):
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(_status_of(main, "The Regulation 3 questions")).to_have_text("Completed")

    click_and_load(main.get_by_role("link", name="Outcome and recommended support"))
    axe(page)
    page.get_by_label("Needs specialist short breaks").check()
    page.get_by_label("Recommended support").fill("Community buddying, 5 hours a week at 1:1.")
    page.get_by_role("button", name="Save and continue").click()
    expect(_status_of(main, "Outcome and recommended support")).to_have_text("Completed")
    axe(page)

    # Check your answers, change one, then complete.
    main.get_by_role("link", name="Check your answers and complete the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before completing the assessment"
    )
    expect(main).to_contain_text("Mother cares alone, day and night.")
    axe(page)
    main.get_by_role("link", name="Change the carer's needs").click()
    page.get_by_label("The carer's needs").fill("Mother cares alone; father works away.")
    page.get_by_role("button", name="Save and continue").click()
    main.get_by_role("link", name="Check your answers and complete the assessment").click()
    expect(main).to_contain_text("Mother cares alone; father works away.")
    page.get_by_role("button", name="Complete assessment").click()
    expect(main).to_contain_text("Assessment completed.")
    expect(main).to_contain_text("Waiting for a team manager to authorise it.")
    expect(main.get_by_role("button", name="Authorise")).to_have_count(0)
    axe(page)
    assessment = child.assessments.get()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.referral == referral

    # A team manager, a different person, signs in and authorises it.
    manager_page = new_context().new_page()
    manager_main = manager_page.locator("main")
    sign_in(manager_page, team_manager)
    manager_page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(manager_main).to_contain_text("Mother cares alone; father works away.")
    expect(manager_main).to_contain_text("Ruby Okafor moves to the specialist tier.")
    axe(manager_page)
    manager_main.get_by_role("button", name="Authorise").click()
    expect(manager_main).to_contain_text(
        "Assessment authorised. Ruby Okafor is in the specialist tier."
    )
    expect(manager_main.locator(".govuk-tag").first).to_have_text("Authorised")
    axe(manager_page)
    assessment.refresh_from_db()
    child.refresh_from_db()
    assert (assessment.status, assessment.authorised_by) == ("authorised", team_manager)
    assert child.tier == ChildTier.SPECIALIST

    # A package is proposed on it; the team manager records the panel's approval.
    offer = commissioned(people[Role.COMMISSIONER], "Alpha")
    package = package_services.package_propose(
        actor=social_worker, child=child, assessment=assessment, start_on=date(2025, 3, 3)
    )
    package_services.package_line_add(actor=social_worker, package=package, **line_kwargs(offer))
    manager_page.goto(f"{live_server.url}/packages/{package.pk}/panel/new/")
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Record the panel's decision")
    axe(manager_page)
    manager_page.get_by_label("Approved").check()
    manager_page.get_by_label("The panel's reasons").fill("Meets the criteria for 1:1 support.")
    _fill_date(manager_page.get_by_role("group", name="Date of the panel"), "20", "2", "2025")
    manager_page.get_by_label("Members of the panel").fill("Head of Service\nFinance Partner")
    manager_page.get_by_role("button", name="Continue").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text(
        "Check the panel's decision before recording it"
    )
    axe(manager_page)
    manager_page.get_by_role("button", name="Record the decision").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Panel decision recorded")
    axe(manager_page)
    expect(
        manager_main.get_by_role("link", name="Back to the package for Ruby Okafor")
    ).to_have_attribute("href", f"/packages/{package.pk}/")
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED
