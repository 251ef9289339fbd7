"""Assessments and the panel's decisions in the browser: the task list, check your answers,
authorising and returning, the panel form; every refusal, role and council boundary."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.forms.assessments import Regulation3Form
from referrals.models import (
    REGULATION_3_QUESTIONS,
    AssessmentStatus,
    ChildTier,
    PackageStatus,
    PanelDecision,
)
from referrals.services import assessments as assessment_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.referrals.builders import (
    completed_assessment,
    make_package,
    screened_referral,
)

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

SECTION_ANSWERS = {
    "child-needs": {"child_needs": "Needs 1:1 support to go out safely."},
    "carer-needs": {"carer_needs": "Mother cares alone, day and night."},
    "regulation-3": {
        "carer_could_continue_without_breaks": "no",
        "breaks_enable_work": "yes",
        "breaks_enable_study": "no",
        "breaks_enable_other_children": "yes",
        "breaks_enable_household": "yes",
    },
    "outcome": {
        "outcome": "specialist",
        "recommended_support": "Community buddying, 5 hours a week at 1:1.",
    },
}
PANEL = {
    "decision": "approved",
    "reasons": "Meets the criteria; the family needs regular breaks.",
    "decided_on_0": "20",
    "decided_on_1": "2",
    "decided_on_2": "2025",
    "members": "Head of Service\nFinance Business Partner\n",
}


@pytest.fixture
def world(world_with_second_manager):
    return world_with_second_manager


@pytest.fixture
def alpha(world):
    return world["alpha"]


def url(name: str, *args) -> str:
    return reverse(f"referrals:{name}", args=args)


def section_url(assessment, slug: str) -> str:
    return url("assessment-section", assessment.pk, slug)


def started(alpha):
    return assessment_services.assessment_start(
        actor=alpha["sw"], child=alpha["child"], started_on=date(2025, 1, 13)
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def task_statuses(response) -> list[str]:
    body = response.content.decode()
    statuses = re.findall(r'id="task-\d-status">\s*(.*?)\s*</div>', body, re.S)
    return [re.sub(r"<[^>]+>", "", s).strip() for s in statuses]


# ----------------------------------------------------------------------------------------------
# Starting an assessment


def test_a_social_worker_starts_an_assessment_from_an_accepted_referral(alpha, client_for):
    referral = screened_referral(alpha["sw"], alpha["child"])
    client = client_for(alpha["sw"])
    page = client.get(url("assessment-create", alpha["child"].pk))
    assert page.status_code == 200
    assert "Start an assessment" in text(page)
    assert f'value="{referral.pk}"' in text(page)
    response = client.post(
        url("assessment-create", alpha["child"].pk),
        {
            "referral": str(referral.pk),
            "started_on_0": "13",
            "started_on_1": "1",
            "started_on_2": "2025",
        },
        follow=True,
    )
    assessment = alpha["child"].assessments.get()
    assert response.redirect_chain[-1][0] == url("assessment", assessment.pk)
    assert assessment.referral == referral
    assert assessment.started_on == date(2025, 1, 13)
    body = text(response)
    assert "Assessment started." in body
    assert "13 January 2025" in body
    assert task_statuses(response) == ["Not yet started"] * 4
    assert "Cannot start yet" in body


def test_an_assessment_can_start_without_a_referral(alpha, client_for):
    response = client_for(alpha["sw"]).post(
        url("assessment-create", alpha["child"].pk),
        {"referral": "none", "started_on_0": "3", "started_on_1": "2", "started_on_2": "2025"},
    )
    assessment = alpha["child"].assessments.get()
    assert response.status_code == 302
    assert assessment.referral is None


def test_starting_a_second_assessment_is_refused_with_the_reason(alpha, client_for):
    started(alpha)
    response = client_for(alpha["sw"]).post(
        url("assessment-create", alpha["child"].pk),
        {"referral": "none", "started_on_0": "3", "started_on_1": "2", "started_on_2": "2025"},
    )
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert "An assessment of this child is already under way." in body
    assert alpha["child"].assessments.count() == 1


def test_a_bad_start_date_is_a_form_error(alpha, client_for):
    response = client_for(alpha["sw"]).post(
        url("assessment-create", alpha["child"].pk),
        {"referral": "none", "started_on_0": "31", "started_on_1": "2", "started_on_2": "2025"},
    )
    assert response.status_code == 200
    assert "must be a real date" in text(response)
    assert response.content.decode().count("<title>Error: ") == 1
    assert not alpha["child"].assessments.exists()


# ----------------------------------------------------------------------------------------------
# The task list, one section at a time


def test_the_task_list_moves_from_not_started_to_in_progress_to_completed(alpha, client_for):
    assessment = started(alpha)
    client = client_for(alpha["sw"])
    response = client.post(
        section_url(assessment, "child-needs"), SECTION_ANSWERS["child-needs"], follow=True
    )
    assert "The child&#x27;s needs saved." in text(response)
    assert task_statuses(response) == [
        "Completed",
        "Not yet started",
        "Not yet started",
        "Not yet started",
    ]
    # Two Regulation 3 questions answered of five: in progress.
    partial = {"carer_could_continue_without_breaks": "no", "breaks_enable_work": "yes"}
    response = client.post(section_url(assessment, "regulation-3"), partial, follow=True)
    assert task_statuses(response)[2] == "In progress"
    assessment.refresh_from_db()
    assert assessment.carer_could_continue_without_breaks is False
    assert assessment.breaks_enable_work is True
    assert assessment.breaks_enable_study is None
    for slug, answers in SECTION_ANSWERS.items():
        response = client.post(section_url(assessment, slug), answers, follow=True)
    assert task_statuses(response) == ["Completed"] * 4
    assert url("assessment-check", assessment.pk) in text(response)
    assert "Cannot start yet" not in text(response)


def test_a_section_page_shows_what_was_saved(alpha, client_for):
    assessment = started(alpha)
    assessment_services.assessment_update(
        actor=alpha["sw"], assessment=assessment, breaks_enable_study=False, child_needs="Sleeps"
    )
    client = client_for(alpha["sw"])
    page = text(client.get(section_url(assessment, "regulation-3")))
    assert "Could the carer continue to care without breaks from caring?" in page
    assert re.search(r'name="breaks_enable_study"[^>]*value="no"[^>]*checked', page)
    assert not re.search(r'name="breaks_enable_work"[^>]*value="(yes|no)"[^>]*checked', page)
    page = client.get(section_url(assessment, "child-needs")).content.decode()
    assert '<h1 class="govuk-label-wrapper">' in page
    assert "Sleeps</textarea>" in page


def test_an_empty_required_section_is_a_form_error_and_saves_nothing(alpha, client_for):
    assessment = started(alpha)
    response = client_for(alpha["sw"]).post(
        section_url(assessment, "carer-needs"), {"carer_needs": "  "}
    )
    assert response.status_code == 200
    assert "Enter the carer&#x27;s needs" in text(response)
    assessment.refresh_from_db()
    assert assessment.carer_needs == ""


def test_an_unknown_section_is_not_found(alpha, client_for):
    assessment = started(alpha)
    assert client_for(alpha["sw"]).get(section_url(assessment, "finances")).status_code == 404


def test_the_regulation_3_form_asks_every_question():
    assert list(Regulation3Form.base_fields) == list(REGULATION_3_QUESTIONS)


def test_a_completed_assessment_cannot_be_changed_through_a_section(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["sw"])
    assert client.get(section_url(assessment, "child-needs")).status_code == 302
    response = client.post(section_url(assessment, "child-needs"), {"child_needs": "Changed"})
    assert response.status_code == 200
    assert "only one in progress can be changed" in text(response)
    assessment.refresh_from_db()
    assert assessment.child_needs == "Needs 1:1 support to go out safely."


# ----------------------------------------------------------------------------------------------
# Check your answers, then complete


def test_check_your_answers_then_complete(alpha, client_for):
    assessment = started(alpha)
    client = client_for(alpha["sw"])
    for slug, answers in SECTION_ANSWERS.items():
        client.post(section_url(assessment, slug), answers)
    page = client.get(url("assessment-check", assessment.pk))
    body = text(page)
    assert "Check your answers before completing the assessment" in body
    assert "Mother cares alone, day and night." in body
    assert "Needs specialist short breaks" in body
    assert 'Change<span class="govuk-visually-hidden"> the carer&#x27;s needs</span>' in body
    assert f'{section_url(assessment, "outcome")}#id_recommended_support"' in body
    response = client.post(url("assessment-check", assessment.pk), follow=True)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.completed_on == timezone.localdate()
    assert assessment.completed_by == alpha["sw"]
    body = text(response)
    assert "Assessment completed." in body
    assert f"{timezone.localdate():%-d %B %Y} by" in body
    assert "Waiting for a team manager to authorise it." in body


def test_completing_with_sections_missing_is_refused_with_each_missing_section(alpha, client_for):
    assessment = started(alpha)
    client = client_for(alpha["sw"])
    client.post(section_url(assessment, "child-needs"), SECTION_ANSWERS["child-needs"])
    response = client.post(url("assessment-check", assessment.pk))
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert '<a href="#section-carer-needs">Record the carer&#x27;s needs.</a>' in body
    assert "Answer every Regulation 3 question" in body
    assert "Record the outcome and the recommended support." in body
    assert "Record the child" not in body
    assert "<title>Error: " in body
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


# ----------------------------------------------------------------------------------------------
# The team manager: authorise, return; never one's own


def test_another_team_manager_authorises_and_the_child_moves_to_specialist(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["tm"])
    page = text(client.get(url("assessment", assessment.pk)))
    assert ">Authorise</button>" in page
    assert "Return for changes" in page
    assert "moves to the specialist tier" in page
    response = client.post(url("assessment-authorise", assessment.pk), follow=True)
    assessment.refresh_from_db()
    alpha["child"].refresh_from_db()
    assert assessment.status == AssessmentStatus.AUTHORISED
    assert assessment.authorised_by == alpha["tm"]
    assert alpha["child"].tier == ChildTier.SPECIALIST
    body = text(response)
    assert "Assessment authorised." in body
    assert "is in the specialist tier" in body
    assert "13 January 2025" in body  # started
    assert "10 February 2025" in body  # completed
    assert f"{timezone.localdate():%-d %B %Y} by" in body  # authorised
    assert ">Authorise</button>" not in body


def test_a_team_manager_cannot_authorise_what_they_completed(alpha, client_for):
    assessment = completed_assessment(alpha["tm"], alpha["child"])
    client = client_for(alpha["tm"])
    page = text(client.get(url("assessment", assessment.pk)))
    assert "You completed this assessment, so another team manager must authorise it." in page
    assert ">Authorise</button>" not in page
    response = client.post(url("assessment-authorise", assessment.pk))
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert (
        '<a href="#decision">You completed this assessment, so another team manager must '
        "authorise it.</a>"
    ) in body
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE


def test_authorising_twice_is_refused(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client_for(alpha["tm"]).post(url("assessment-authorise", assessment.pk))
    response = client_for(alpha["tm2"]).post(url("assessment-authorise", assessment.pk))
    assert response.status_code == 200
    assert "This assessment is authorised; only a completed assessment can be authorised." in text(
        response
    )
    assessment.refresh_from_db()
    assert assessment.authorised_by == alpha["tm"]


def test_authorising_an_assessment_in_progress_is_refused(alpha, client_for):
    assessment = started(alpha)
    response = client_for(alpha["tm"]).post(url("assessment-authorise", assessment.pk))
    assert "only a completed assessment can be authorised" in text(response)


def test_a_get_of_authorise_goes_back_to_the_assessment(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = client_for(alpha["tm"]).get(url("assessment-authorise", assessment.pk))
    assert response.status_code == 302
    assert response["Location"] == url("assessment", assessment.pk)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED


def test_a_team_manager_returns_it_with_the_reason_and_the_social_worker_sees_it(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["tm"])
    page = client.get(url("assessment-return", assessment.pk))
    assert "Return the assessment for changes" in text(page)
    empty = client.post(url("assessment-return", assessment.pk), {"reason": ""})
    assert "Enter what needs to change" in text(empty)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    response = client.post(
        url("assessment-return", assessment.pk),
        {"reason": "Say how often the carer sleeps through."},
        follow=True,
    )
    assert "Assessment returned for changes." in text(response)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS
    assert assessment.completed_on is None
    page = text(client_for(alpha["sw"]).get(url("assessment", assessment.pk)))
    assert "Returned for changes on" in page
    assert "Returned: Say how often the carer sleeps through." in page
    assert (
        task_statuses(client_for(alpha["sw"]).get(url("assessment", assessment.pk)))
        == ["Completed"] * 4
    )


def test_returning_an_assessment_in_progress_is_refused(alpha, client_for):
    assessment = started(alpha)
    client = client_for(alpha["tm"])
    assert client.get(url("assessment-return", assessment.pk)).status_code == 302
    response = client.post(url("assessment-return", assessment.pk), {"reason": "More detail."})
    assert response.status_code == 200
    assert "Only a completed assessment can be returned." in text(response)


# ----------------------------------------------------------------------------------------------
# Roles


@pytest.mark.parametrize("role", Role.values)
def test_who_may_read_an_assessment(alpha, client_for, role):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    person = alpha["people"][role]
    response = client_for(person).get(url("assessment", assessment.pk))
    allowed = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR}
    assert response.status_code == (200 if role in allowed else 403)
    if role not in allowed:
        assert alpha["child"].last_name not in response.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_who_may_start_and_fill_in_an_assessment(alpha, client_for, role):
    assessment = started(alpha)
    client = client_for(alpha["people"][role])
    allowed = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
    expected = 200 if allowed else 403
    assert client.get(url("assessment-create", alpha["child"].pk)).status_code == expected
    assert client.get(section_url(assessment, "child-needs")).status_code == expected
    assert client.get(url("assessment-check", assessment.pk)).status_code == expected
    response = client.post(section_url(assessment, "child-needs"), {"child_needs": "By " + role})
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_only_a_team_manager_authorises_or_returns(alpha, client_for, role):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["people"][role])
    assert client.post(url("assessment-authorise", assessment.pk)).status_code == 403
    response = client.post(url("assessment-return", assessment.pk), {"reason": "No."})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED


def test_an_auditor_sees_the_answers_but_no_links_to_change_them(alpha, client_for):
    assessment = started(alpha)
    assessment_services.assessment_update(
        actor=alpha["sw"], assessment=assessment, child_needs="Sleeps"
    )
    auditor = alpha["people"][Role.AUDITOR]
    page = text(client_for(auditor).get(url("assessment", assessment.pk)))
    assert "Sleeps" in page
    assert section_url(assessment, "child-needs") not in page
    assert url("assessment-check", assessment.pk) not in page


# ----------------------------------------------------------------------------------------------
# Councils: another council's id is exactly a missing one


def _comparable(response, pk) -> str:
    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("assessment", "get", ()),
        ("assessment-section", "get", ("child-needs",)),
        ("assessment-section", "post", ("child-needs",)),
        ("assessment-check", "get", ()),
        ("assessment-check", "post", ()),
        ("assessment-authorise", "post", ()),
        ("assessment-return", "get", ()),
        ("assessment-return", "post", ()),
    ],
)
def test_another_councils_assessment_is_not_found(world, client_for, name, method, extra):
    bravo = world["bravo"]
    theirs = completed_assessment(bravo["sw"], bravo["child"])
    client = client_for(world["alpha"]["tm"])
    data = {"child_needs": "x", "reason": "x"}
    other = getattr(client, method)(url(name, theirs.pk, *extra), data)
    missing = getattr(client, method)(url(name, theirs.pk + 1000, *extra), data)
    assert other.status_code == missing.status_code == 404
    assert _comparable(other, theirs.pk) == _comparable(missing, theirs.pk + 1000)
    assert MARKER_B not in other.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == AssessmentStatus.COMPLETED


def test_another_councils_child_cannot_be_assessed(world, client_for):
    theirs = world["bravo"]["child"]
    client = client_for(world["alpha"]["sw"])
    data = {"referral": "none", "started_on_0": "1", "started_on_1": "2", "started_on_2": "2025"}
    other = client.post(url("assessment-create", theirs.pk), data)
    missing = client.post(url("assessment-create", theirs.pk + 1000), data)
    assert other.status_code == missing.status_code == 404
    assert _comparable(other, theirs.pk) == _comparable(missing, theirs.pk + 1000)
    assert not theirs.assessments.exists()


def test_another_councils_package_and_decision_are_not_found(world, client_for):
    bravo = world["bravo"]
    package = make_package(bravo["sw"], bravo["tm"], bravo["child"], bravo["offer"])
    decision = package.panel_decisions.get()
    client = client_for(world["alpha"]["tm"])
    for name, pk in (
        ("panel-decision-create", package.pk),
        ("panel-decision-check", package.pk),
        ("panel-decision", decision.pk),
    ):
        other = client.get(url(name, pk))
        missing = client.get(url(name, pk + 1000))
        assert other.status_code == missing.status_code == 404, name
        assert _comparable(other, pk) == _comparable(missing, pk + 1000)
    other = client.post(url("panel-decision-create", package.pk), PANEL)
    assert other.status_code == 404


# ----------------------------------------------------------------------------------------------
# The access log


def test_each_view_of_an_assessment_is_logged(alpha, client_for):
    assessment = started(alpha)
    client = client_for(alpha["sw"])
    for target in (
        url("assessment", assessment.pk),
        section_url(assessment, "outcome"),
        url("assessment-check", assessment.pk),
    ):
        before = AccessLogEntry.objects.count()
        assert client.get(target).status_code == 200
        entry = AccessLogEntry.objects.order_by("-id").first()
        assert AccessLogEntry.objects.count() == before + 1
        assert (entry.action, entry.object_type, entry.object_id) == (
            "view",
            "referrals.assessment",
            str(assessment.pk),
        )
        assert entry.user == alpha["sw"]
        assert entry.path == target


# ----------------------------------------------------------------------------------------------
# The resource panel


def test_a_team_manager_records_the_panels_approval(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    client = client_for(alpha["tm"])
    page = text(client.get(url("panel-decision-create", package.pk)))
    assert "Record the panel's decision" in page
    assert "Community buddying" in page
    assert "£7,410.00" in page  # 5 hours a week at £28.50, for 52 weeks
    response = client.post(url("panel-decision-create", package.pk), PANEL, follow=True)
    assert response.redirect_chain[-1][0] == url("panel-decision-check", package.pk)
    body = text(response)
    assert "Check the panel's decision before recording it" in body
    assert "20 February 2025" in body
    assert "Head of Service<br>Finance Business Partner" in body
    assert f"{url('panel-decision-create', package.pk)}#id_members" in body
    assert not PanelDecision.objects.exists()
    response = client.post(url("panel-decision-check", package.pk), follow=True)
    decision = PanelDecision.objects.get()
    assert response.redirect_chain[-1][0] == url("panel-decision", decision.pk)
    body = text(response)
    assert "Panel decision recorded" in body
    assert "govuk-panel--confirmation" in body
    assert f'href="/packages/{package.pk}/"' in body
    assert (decision.decision, decision.decided_on) == ("approved", date(2025, 2, 20))
    assert decision.members == ["Head of Service", "Finance Business Partner"]
    assert decision.recorded_by == alpha["tm"]
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED
    # Seen again later, it is the record, not the confirmation.
    again = text(client.get(url("panel-decision", decision.pk)))
    assert "govuk-panel--confirmation" not in again
    assert "Panel decision: approved" in again


def test_change_from_check_your_answers_keeps_the_answers(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    client = client_for(alpha["tm"])
    client.post(url("panel-decision-create", package.pk), {**PANEL, "decision": "deferred"})
    page = client.get(url("panel-decision-create", package.pk)).content.decode()
    assert re.search(r'name="decision"[^>]*value="deferred"[^>]*checked', page)
    assert "Finance Business Partner" in page
    assert 'name="decided_on_0" value="20"' in page
    client.post(url("panel-decision-check", package.pk))
    package.refresh_from_db()
    assert package.status == PackageStatus.PROPOSED
    assert PanelDecision.objects.get().decision == "deferred"


def test_the_panel_form_refuses_bad_input(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    response = client_for(alpha["tm"]).post(
        url("panel-decision-create", package.pk),
        {"decision": "", "reasons": "", "members": "", "decided_on_0": "40"},
    )
    assert response.status_code == 200
    body = text(response)
    for message in (
        "Choose approved, declined or deferred",
        "Enter the panel&#x27;s reasons",
        "Enter the members of the panel",
        "The date of the panel must include a month and year",
    ):
        assert message in body


def test_the_panel_cannot_decide_on_a_package_already_approved(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    client = client_for(alpha["tm"])
    client.post(url("panel-decision-create", package.pk), PANEL)
    response = client.post(url("panel-decision-check", package.pk))
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert "The panel decides only on a proposed package." in body
    assert package.panel_decisions.count() == 1


def test_a_package_with_no_services_cannot_be_approved(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    client = client_for(alpha["tm"])
    assert "The package has no services yet." in text(
        client.get(url("panel-decision-create", package.pk))
    )
    client.post(url("panel-decision-create", package.pk), PANEL)
    response = client.post(url("panel-decision-check", package.pk))
    assert "A package with no services cannot be approved." in text(response)
    assert not PanelDecision.objects.exists()


def test_the_check_page_without_answers_goes_back_to_the_form(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    response = client_for(alpha["tm"]).post(url("panel-decision-check", package.pk))
    assert response.status_code == 302
    assert response["Location"] == url("panel-decision-create", package.pk)
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_only_a_team_manager_records_the_panels_decision(alpha, client_for, role):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    client = client_for(alpha["people"][role])
    assert client.get(url("panel-decision-create", package.pk)).status_code == 403
    assert client.post(url("panel-decision-create", package.pk), PANEL).status_code == 403
    assert client.post(url("panel-decision-check", package.pk)).status_code == 403
    assert not PanelDecision.objects.exists()


def test_viewing_a_panel_decision_is_logged(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    decision = package.panel_decisions.get()
    auditor = alpha["people"][Role.AUDITOR]
    response = client_for(auditor).get(url("panel-decision", decision.pk))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert (entry.user, entry.object_type, entry.object_id) == (
        auditor,
        "referrals.paneldecision",
        str(decision.pk),
    )


def test_authorising_a_targeted_reassessment_says_the_tier_it_found(alpha, client_for):
    """A specialist child reassessed as targeted: the message names the targeted tier it found,
    and says the child stays specialist until a review, never that the outcome is specialist."""
    make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    reassessment = completed_assessment(
        alpha["sw"],
        alpha["child"],
        started_on=date(2025, 8, 1),
        completed_on=date(2025, 8, 20),
        outcome="targeted",
    )
    response = client_for(alpha["tm"]).post(
        url("assessment-authorise", reassessment.pk), follow=True
    )
    body = text(response)
    name = alpha["child"].full_name
    assert f"It found {name}&#x27;s needs are in the targeted tier." in body
    assert f"{name} stays in the specialist tier until a review changes their support." in body
    assert "is in the specialist tier" not in body


def test_authorising_a_targeted_assessment_of_a_child_with_no_tier(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"], outcome="targeted")
    body = text(
        client_for(alpha["tm"]).post(url("assessment-authorise", assessment.pk), follow=True)
    )
    name = alpha["child"].full_name
    assert f"It found {name}&#x27;s needs are in the targeted tier." in body
    assert f"{name} has no tier until support is arranged." in body
