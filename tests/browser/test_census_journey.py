"""A team manager checks the children in need census in a real browser, axe-checked on every
page: a child whose record fails the DfE's rules is listed with the rule and a link, the record
is fixed on its page, and the child leaves the list. The pages that close an episode and record
an assessment's factors are checked too."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from referrals.census import CensusYear, census_check, census_for
from referrals.services import referrals as referral_services
from shortbreaks.councils.models import Role
from tests.referrals.builders import authorised_assessment, make_child

pytestmark = pytest.mark.browser

YEAR = CensusYear(2025)


def _checked(actor) -> None:
    """Check the return here first: the page then reads the result from the cache, well inside
    the browser's time limit (the DfE's rules take seconds)."""
    census_check(census_for(actor=actor, year=YEAR))


def test_team_manager_fixes_a_record_the_census_rules_fail(
    page, sign_in, axe, live_server, two_councils
):
    people = two_councils["alpha"]["people"]
    social_worker, team_manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    council = two_councils["alpha"]["council"]
    council.dfe_la_number = "893"
    council.save(update_fields=["dfe_la_number"])
    child = make_child(
        social_worker, first_name="Rue", last_name="Census", disabilities=["AUT", "LD"]
    )
    referral = referral_services.referral_create(
        actor=social_worker,
        child=child,
        received_on=date(2025, 5, 6),
        source="2A",
        primary_need="N2",
        request="Short breaks at weekends.",
    )
    referral_services.referral_transition(
        actor=social_worker, referral=referral, status="screening", on=date(2025, 5, 6)
    )
    referral = referral_services.referral_transition(
        actor=social_worker,
        referral=referral,
        status="accepted_for_assessment",
        on=date(2025, 5, 6),
        reason="Screened.",
    )
    authorised_assessment(
        social_worker,
        team_manager,
        child,
        referral=referral,
        started_on=date(2025, 5, 12),
        completed_on=date(2025, 6, 9),
        authorised_on=date(2025, 6, 11),
    )
    _checked(team_manager)
    sign_in(page, team_manager)

    page.goto(f"{live_server.url}/census/cin/?year=2025-26")
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in need census")
    expect(page.get_by_role("heading", name="Rue Census")).to_be_visible()
    expect(page.get_by_text("Ethnicity is missing or invalid").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Change the child's details for Rue Census, rule 4220").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the child's details")
    axe(page)
    page.get_by_label("Ethnicity (optional)").select_option("WBRI")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Why there is no unique pupil number (optional)").select_option("UN2")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("White: British (WBRI)")).to_be_visible()

    # What is left: the assessment's factors (a query), fixed on the assessment's own page.
    _checked(team_manager)
    page.goto(f"{live_server.url}/census/cin/?year=2025-26")
    expect(page.get_by_text("Ethnicity is missing or invalid")).to_have_count(0)
    page.get_by_role("link", name="Record the factors for Rue Census, rule 8897Q").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Factors identified at the assessment"
    )
    axe(page)
    page.get_by_label("6A: physical disability or illness, of the child").check()
    page.get_by_role("button", name="Save the factors").click()
    expect(page.get_by_text("Factors identified at the assessment saved.")).to_be_visible()
    axe(page)

    _checked(team_manager)
    page.goto(f"{live_server.url}/census/cin/?year=2025-26")
    expect(page.get_by_role("heading", name="Rue Census")).to_have_count(0)
    axe(page)

    page.goto(f"{live_server.url}/referrals/{referral.pk}/close/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the children in need episode")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
