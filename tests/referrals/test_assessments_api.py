"""The assessments and panel decisions API: each step and refusal, roles, councils, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import AssessmentStatus, ChildTier, PackageStatus, PanelDecision
from referrals.services import assessments as assessment_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.referrals.builders import (
    completed_assessment,
    make_child,
    make_package,
    screened_referral,
)
from tests.referrals.factories import AssessmentFactory

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

SECTIONS = {
    "child_needs": "Needs 1:1 support to go out safely.",
    "carer_needs": "Mother cares alone, day and night.",
    "carer_could_continue_without_breaks": False,
    "breaks_enable_work": True,
    "breaks_enable_study": False,
    "breaks_enable_other_children": True,
    "breaks_enable_household": True,
    "outcome": "specialist",
    "recommended_support": "Community buddying, 5 hours a week.",
}
PANEL = {
    "outcome": "approved",
    "reasons": "Meets the criteria; the family needs regular breaks.",
    "decided_on": "2025-02-20",
    "members": ["Head of Service", "Finance Business Partner"],
}
READERS = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR}
MANAGERS = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}


@pytest.fixture
def world(world_with_second_manager):
    return world_with_second_manager


@pytest.fixture
def alpha(world):
    return world["alpha"]


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def api(name: str, *args) -> str:
    return reverse(f"api-{name}", args=args)


def started(alpha, child=None):
    return assessment_services.assessment_start(
        actor=alpha["sw"], child=child or alpha["child"], started_on=date(2025, 1, 13)
    )


# ----------------------------------------------------------------------------------------------
# Starting and filling in


def test_a_social_worker_starts_fills_in_and_completes_an_assessment(alpha, client_for):
    referral = screened_referral(alpha["sw"], alpha["child"])
    client = client_for(alpha["sw"])
    response = post(
        client,
        api("assessments"),
        {"child": alpha["child"].pk, "referral": referral.pk, "started_on": "2025-01-13"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_progress"
    assert (body["child"], body["referral"], body["started_on"]) == (
        alpha["child"].pk,
        referral.pk,
        "2025-01-13",
    )
    assert body["sections"] == dict.fromkeys(
        ("child_needs", "carer_needs", "regulation_3", "outcome"), False
    )
    assessment_id = body["id"]
    response = patch(client, api("assessment", assessment_id), {"child_needs": "Sleeps badly."})
    assert response.status_code == 200
    assert response.json()["child_needs"] == "Sleeps badly."
    assert response.json()["sections"]["child_needs"] is True
    response = patch(client, api("assessment", assessment_id), SECTIONS)
    assert response.json()["sections"] == dict.fromkeys(
        ("child_needs", "carer_needs", "regulation_3", "outcome"), True
    )
    assert response.json()["breaks_enable_work"] is True
    response = post(client, api("assessment-complete", assessment_id), {"on": "2025-02-10"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["completed_on"]) == ("completed", "2025-02-10")
    assert body["completed_by"] == alpha["sw"].get_full_name()


def test_start_defaults_to_today_and_no_referral(alpha, client_for):
    response = post(client_for(alpha["sw"]), api("assessments"), {"child": alpha["child"].pk})
    assert response.status_code == 201
    assert response.json()["started_on"] == timezone.localdate().isoformat()
    assert response.json()["referral"] is None


def test_starting_a_second_assessment_is_a_conflict(alpha, client_for):
    started(alpha)
    response = post(client_for(alpha["sw"]), api("assessments"), {"child": alpha["child"].pk})
    assert response.status_code == 409
    assert response.json() == {"detail": "An assessment of this child is already under way."}


def test_starting_from_a_referral_not_accepted_is_a_conflict(alpha, client_for):
    referral = screened_referral(alpha["sw"], alpha["child"], outcome="no_further_action")
    response = post(
        client_for(alpha["sw"]),
        api("assessments"),
        {"child": alpha["child"].pk, "referral": referral.pk},
    )
    assert response.status_code == 409
    assert "this one is no further action" in response.json()["detail"]
    assert not alpha["child"].assessments.exists()


def test_starting_from_another_childs_referral_is_a_field_error(alpha, client_for):
    other = make_child(alpha["sw"], first_name="Kit")
    referral = screened_referral(alpha["sw"], other)
    response = post(
        client_for(alpha["sw"]),
        api("assessments"),
        {"child": alpha["child"].pk, "referral": referral.pk},
    )
    assert response.status_code == 400
    assert response.json() == {"referral": ["Choose one of this child's referrals."]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "child"),
        ({"child": "abc"}, "child"),
        ({"child": 1, "started_on": "31/02/2025"}, "started_on"),
        ({"child": 1, "referral": 0}, "referral"),
    ],
)
def test_bad_input_to_start_is_a_400_with_field_messages(alpha, client_for, data, field):
    response = post(client_for(alpha["sw"]), api("assessments"), data)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "everything"}, "outcome"),
        ({"breaks_enable_work": "perhaps"}, "breaks_enable_work"),
        ({"child_needs": "x" * 10_001}, "child_needs"),
    ],
)
def test_bad_sections_are_a_400_and_change_nothing(alpha, client_for, data, field):
    assessment = started(alpha)
    response = patch(client_for(alpha["sw"]), api("assessment", assessment.pk), data)
    assert response.status_code == 400
    assert field in response.json()
    assessment.refresh_from_db()
    assert (assessment.outcome, assessment.breaks_enable_work, assessment.child_needs) == (
        "",
        None,
        "",
    )


def test_a_question_can_be_unanswered_again(alpha, client_for):
    assessment = started(alpha)
    assessment_services.assessment_update(
        actor=alpha["sw"], assessment=assessment, breaks_enable_work=True
    )
    response = patch(
        client_for(alpha["sw"]), api("assessment", assessment.pk), {"breaks_enable_work": None}
    )
    assert response.status_code == 200
    assert response.json()["breaks_enable_work"] is None


def test_changing_a_completed_assessment_is_a_conflict(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = patch(client_for(alpha["sw"]), api("assessment", assessment.pk), {"outcome": ""})
    assert response.status_code == 409
    assert "only one in progress can be changed" in response.json()["detail"]
    assessment.refresh_from_db()
    assert assessment.outcome == "specialist"


def test_completing_with_sections_missing_is_a_400_naming_each(alpha, client_for):
    assessment = started(alpha)
    assessment_services.assessment_update(
        actor=alpha["sw"], assessment=assessment, child_needs="Sleeps"
    )
    response = post(client_for(alpha["sw"]), api("assessment-complete", assessment.pk))
    assert response.status_code == 400
    assert response.json() == {
        "carer_needs": ["Record the carer's needs."],
        "regulation_3": ["Answer every Regulation 3 question about the carer's breaks."],
        "outcome": ["Record the outcome and the recommended support."],
    }
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_completing_twice_is_a_conflict(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = post(client_for(alpha["sw"]), api("assessment-complete", assessment.pk))
    assert response.status_code == 409


# ----------------------------------------------------------------------------------------------
# Authorising and returning


def test_authorising_moves_the_child_to_the_specialist_tier(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = post(
        client_for(alpha["tm"]), api("assessment-authorise", assessment.pk), {"on": "2025-02-12"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["authorised_on"]) == ("authorised", "2025-02-12")
    assert body["authorised_by"] == alpha["tm"].get_full_name()
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.SPECIALIST
    change = alpha["child"].tier_changes.get()
    assert (change.from_tier, change.to_tier, change.decided_by) == (
        "none",
        "specialist",
        alpha["tm"],
    )


def test_authorising_a_targeted_outcome_leaves_the_tier(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"], outcome="targeted")
    response = post(client_for(alpha["tm"]), api("assessment-authorise", assessment.pk))
    assert response.status_code == 200
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE


def test_authorising_ones_own_assessment_is_a_conflict_with_the_reason(alpha, client_for):
    assessment = completed_assessment(alpha["tm"], alpha["child"])
    response = post(client_for(alpha["tm"]), api("assessment-authorise", assessment.pk))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "You completed this assessment, so another team manager must authorise it."
    }
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE
    # Another team manager may.
    assert (
        post(client_for(alpha["tm2"]), api("assessment-authorise", assessment.pk)).status_code
        == 200
    )


def test_authorising_twice_is_a_conflict(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    assert (
        post(client_for(alpha["tm"]), api("assessment-authorise", assessment.pk)).status_code == 200
    )
    response = post(client_for(alpha["tm2"]), api("assessment-authorise", assessment.pk))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This assessment is authorised; only a completed assessment can be authorised."
    )


def test_authorising_one_in_progress_is_a_conflict(alpha, client_for):
    assessment = started(alpha)
    response = post(client_for(alpha["tm"]), api("assessment-authorise", assessment.pk))
    assert response.status_code == 409


def test_authorising_before_completion_is_a_400(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = post(
        client_for(alpha["tm"]), api("assessment-authorise", assessment.pk), {"on": "2025-02-01"}
    )
    assert response.status_code == 400
    assert "on" in response.json()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_only_a_team_manager_authorises_or_returns(alpha, client_for, role):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["people"][role])
    assert post(client, api("assessment-authorise", assessment.pk)).status_code == 403
    response = post(client, api("assessment-return", assessment.pk), {"reason": "More."})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED


def test_returning_needs_a_reason_then_sends_it_back(alpha, client_for):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["tm"])
    response = post(client, api("assessment-return", assessment.pk), {})
    assert response.status_code == 400
    assert "reason" in response.json()
    response = post(client, api("assessment-return", assessment.pk), {"reason": "  "})
    assert response.status_code == 400
    response = post(
        client, api("assessment-return", assessment.pk), {"reason": "Say more about nights."}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["completed_on"], body["completed_by"]) == ("in_progress", None, "")
    assert assessment.events.filter(kind="returned").get().summary == (
        "Returned: Say more about nights."
    )
    # Back in progress, it can be changed again.
    assert (
        patch(
            client_for(alpha["sw"]), api("assessment", assessment.pk), {"carer_needs": "x"}
        ).status_code
        == 200
    )


def test_returning_one_in_progress_is_a_conflict(alpha, client_for):
    assessment = started(alpha)
    response = post(
        client_for(alpha["tm"]), api("assessment-return", assessment.pk), {"reason": "x"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a completed assessment can be returned."}


# ----------------------------------------------------------------------------------------------
# Reading, roles and the access log


@pytest.mark.parametrize("role", Role.values)
def test_who_may_read_assessments(alpha, client_for, role):
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    client = client_for(alpha["people"][role])
    expected = 200 if role in READERS else 403
    listed = client.get(api("assessments"))
    one = client.get(api("assessment", assessment.pk))
    assert (listed.status_code, one.status_code) == (expected, expected)
    if role not in READERS:
        assert alpha["child"].last_name not in listed.content.decode()
        assert alpha["child"].last_name not in one.content.decode()
    else:
        assert listed.json()["results"][0]["child_name"] == alpha["child"].full_name


@pytest.mark.parametrize("role", Role.values)
def test_who_may_start_fill_in_and_complete(alpha, client_for, role):
    assessment = started(alpha)
    client = client_for(alpha["people"][role])
    allowed = role in MANAGERS
    other_child = make_child(alpha["sw"], first_name="Kit")
    response = post(client, api("assessments"), {"child": other_child.pk})
    assert response.status_code == (201 if allowed else 403)
    response = patch(client, api("assessment", assessment.pk), {"child_needs": "By " + role})
    assert response.status_code == (200 if allowed else 403)
    response = post(client, api("assessment-complete", assessment.pk))
    assert response.status_code == (400 if allowed else 403)


def test_reading_an_assessment_is_logged(alpha, client_for):
    assessment = started(alpha)
    auditor = alpha["people"][Role.AUDITOR]
    before = AccessLogEntry.objects.count()
    assert client_for(auditor).get(api("assessment", assessment.pk)).status_code == 200
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        auditor,
        "view",
        "referrals.assessment",
        str(assessment.pk),
    )


def test_the_list_filters_by_child_status_and_what_the_actor_may_authorise(alpha, client_for):
    mine = completed_assessment(alpha["tm"], alpha["child"])
    kit = make_child(alpha["sw"], first_name="Kit")
    theirs = completed_assessment(alpha["sw"], kit)
    in_progress = started(alpha, make_child(alpha["sw"], first_name="Ash"))
    client = client_for(alpha["tm"])

    def ids(query: str) -> set[int]:
        response = client.get(api("assessments") + query)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {mine.pk, theirs.pk, in_progress.pk}
    assert ids(f"?child={kit.pk}") == {theirs.pk}
    assert ids("?status=in_progress") == {in_progress.pk}
    assert ids("?to_authorise=true") == {theirs.pk}
    assert client.get(api("assessments") + "?status=lost").status_code == 400
    assert client.get(api("assessments") + "?child=abc").status_code == 400


# ----------------------------------------------------------------------------------------------
# Councils


def test_the_list_holds_nothing_of_another_council(world, client_for):
    bravo = world["bravo"]
    completed_assessment(bravo["sw"], bravo["child"])
    response = client_for(world["alpha"]["tm"]).get(api("assessments"))
    assert response.json()["results"] == []
    assert MARKER_B not in response.content.decode()
    response = client_for(world["alpha"]["tm"]).get(
        api("assessments") + f"?child={bravo['child'].pk}"
    )
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("assessment", "get", None),
        ("assessment", "patch", {"child_needs": "x"}),
        ("assessment-complete", "post", {}),
        ("assessment-authorise", "post", {}),
        ("assessment-return", "post", {"reason": "x"}),
    ],
)
def test_another_councils_assessment_is_exactly_missing(world, client_for, name, method, data):
    bravo = world["bravo"]
    theirs = completed_assessment(bravo["sw"], bravo["child"])
    client = client_for(world["alpha"]["tm"])

    def call(pk):
        if method == "get":
            return client.get(api(name, pk))
        return getattr(client, method)(api(name, pk), data, content_type="application/json")

    other, missing = call(theirs.pk), call(theirs.pk + 1000)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert MARKER_B not in other.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == AssessmentStatus.COMPLETED


def test_another_councils_child_or_referral_is_exactly_missing(world, client_for):
    bravo = world["bravo"]
    referral = screened_referral(bravo["sw"], bravo["child"])
    client = client_for(world["alpha"]["sw"])
    other = post(client, api("assessments"), {"child": bravo["child"].pk})
    missing = post(client, api("assessments"), {"child": bravo["child"].pk + 1000})
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    response = post(
        client, api("assessments"), {"child": world["alpha"]["child"].pk, "referral": referral.pk}
    )
    assert response.status_code == 404
    assert not bravo["child"].assessments.exists()
    assert not world["alpha"]["child"].assessments.exists()


# ----------------------------------------------------------------------------------------------
# The resource panel


def test_a_team_manager_records_the_panels_approval(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    response = post(
        client_for(alpha["tm"]), api("panel-decisions"), {**PANEL, "package": package.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("package", "child", "outcome", "decided_on", "members")} == {
        "package": package.pk,
        "child": alpha["child"].pk,
        "outcome": "approved",
        "decided_on": "2025-02-20",
        "members": ["Head of Service", "Finance Business Partner"],
    }
    assert body["recorded_by"] == alpha["tm"].get_full_name()
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED


@pytest.mark.parametrize("outcome", ["declined", "deferred"])
def test_declined_or_deferred_leaves_the_package_proposed(alpha, client_for, outcome):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    response = post(
        client_for(alpha["tm"]),
        api("panel-decisions"),
        {**PANEL, "outcome": outcome, "package": package.pk},
    )
    assert response.status_code == 201
    package.refresh_from_db()
    assert package.status == PackageStatus.PROPOSED


def test_deciding_on_a_package_already_approved_is_a_conflict(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    response = post(
        client_for(alpha["tm"]), api("panel-decisions"), {**PANEL, "package": package.pk}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "The panel decides only on a proposed package."}
    assert package.panel_decisions.count() == 1


def test_approving_a_package_with_no_services_is_a_conflict(alpha, client_for):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    response = post(
        client_for(alpha["tm"]), api("panel-decisions"), {**PANEL, "package": package.pk}
    )
    assert response.status_code == 409
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"reasons": ""}, "reasons"),
        ({"members": []}, "members"),
        ({"members": [""]}, "members"),
        ({"decided_on": "yesterday"}, "decided_on"),
        ({"package": "abc"}, "package"),
    ],
)
def test_bad_panel_input_is_a_400(alpha, client_for, change, field):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    data = {**PANEL, "package": package.pk, **change}
    response = post(client_for(alpha["tm"]), api("panel-decisions"), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_only_a_team_manager_records_the_panels_decision(alpha, client_for, role):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    client = client_for(alpha["people"][role])
    response = post(client, api("panel-decisions"), {**PANEL, "package": package.pk})
    assert response.status_code == 403
    assert client.get(api("panel-decisions")).status_code == (200 if role in READERS else 403)
    assert not PanelDecision.objects.exists()


def test_another_councils_package_is_exactly_missing(world, client_for):
    bravo = world["bravo"]
    package = make_package(
        bravo["sw"], bravo["tm"], bravo["child"], bravo["offer"], status="proposed"
    )
    client = client_for(world["alpha"]["tm"])
    other = post(client, api("panel-decisions"), {**PANEL, "package": package.pk})
    missing = post(client, api("panel-decisions"), {**PANEL, "package": package.pk + 1000})
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    package.refresh_from_db()
    assert package.status == PackageStatus.PROPOSED
    listed = client.get(api("panel-decisions") + f"?package={package.pk}")
    assert listed.json()["results"] == []


def test_the_panel_decision_list_reads_oldest_first_and_filters_by_package(alpha, client_for):
    first = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    kit = make_child(alpha["sw"], first_name="Kit")
    second = make_package(alpha["sw"], alpha["tm"], kit, alpha["offer"], status="approved")
    auditor = alpha["people"][Role.AUDITOR]
    client = client_for(auditor)
    rows = client.get(api("panel-decisions")).json()["results"]
    assert [r["package"] for r in rows] == [first.pk, second.pk]
    rows = client.get(api("panel-decisions") + f"?package={second.pk}").json()["results"]
    assert [(r["package"], r["child"], r["outcome"]) for r in rows] == [
        (second.pk, kit.pk, "approved")
    ]


# ----------------------------------------------------------------------------------------------
# Query counts: the same for few rows and many


@pytest.mark.parametrize("count", [1, 4])
def test_the_assessment_list_query_count_is_pinned(
    alpha, client_for, count, django_assert_num_queries
):
    council, sw = alpha["council"], alpha["sw"]
    for _ in range(count):
        AssessmentFactory(
            council=council,
            started_by=sw,
            completed_by=sw,
            authorised=True,
            authorised_by=alpha["tm"],
        )
        AssessmentFactory(council=council, started_by=sw)
    client = client_for(alpha["tm"])
    # Session, person, their roles and council (6 with a savepoint and its release), the
    # assessments with their children and people in one query, then the session's last-seen
    # time (3 with its savepoint).
    with django_assert_num_queries(10):  # 9, and the access log's row
        response = client.get(api("assessments"))
    results = response.json()["results"]
    assert len(results) == 2 * count
    assert all(r["child_name"] for r in results)
    assert {r["authorised_by"] for r in results} == {"", alpha["tm"].get_full_name()}


@pytest.mark.parametrize("count", [1, 4])
def test_the_panel_decision_list_query_count_is_pinned(
    alpha, client_for, count, django_assert_num_queries
):
    for n in range(count):
        child = make_child(alpha["sw"], first_name=f"Child{n}")
        make_package(alpha["sw"], alpha["tm"], child, alpha["offer"], status="approved")
    client = client_for(alpha["tm"])
    # As above, with the decisions, their packages and who recorded them in one query.
    with django_assert_num_queries(10):  # 9, and the access log's row
        response = client.get(api("panel-decisions"))
    results = response.json()["results"]
    assert len(results) == count
    assert {r["recorded_by"] for r in results} == {alpha["tm"].get_full_name()}
