"""The caseload (what is due for a worker's children, overdue first) and the team manager's
queue of assessments to authorise, in the browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import PrimaryNeed, ReferralSource
from referrals.services import referrals as referral_services
from shortbreaks.councils.models import Role
from shortbreaks.councils.services import membership_grant
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.factories import TeamFactory
from tests.referrals.builders import (
    completed_assessment,
    make_child,
    make_package,
    make_referral,
)
from tests.roles import NOT_CHILD_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


def _body(response) -> str:
    return response.content.decode()


def busy_children(world, slug: str, count: int, worker=None) -> list:
    """`count` children of `worker`, each with a referral to decide, an assessment waiting for
    authorisation, and a package under review (on an earlier authorised assessment)."""
    sw, tm = world[slug]["sw"], world[slug]["tm"]
    worker = worker or sw
    children = []
    for index in range(count):
        child = make_child(sw, first_name="Busy", last_name=f"Child{index:02d}", keyworker=worker)
        make_referral(sw, child)
        make_package(sw, tm, child, world[slug]["offer"])
        completed_assessment(sw, child)
        children.append(child)
    return children


def fresh_referral(actor, child):
    """A referral received today, so its decision is due but not overdue."""
    return referral_services.referral_create(
        actor=actor,
        child=child,
        received_on=timezone.localdate(),
        source=ReferralSource.HEALTH_GP,
        primary_need=PrimaryNeed.N2,
        request="Breaks at weekends.",
    )


def test_caseload_lists_what_is_due_overdue_first(world, client_for):
    sw = world["alpha"]["sw"]
    busy_children(world, "alpha", 1)
    fresh_referral(sw, world["alpha"]["child"])
    response = client_for(sw).get(reverse("referrals:caseload"))
    assert response.status_code == 200
    body = _body(response)
    assert "Your caseload" in body
    for what in (
        "Decide on the referral",
        "Assessment waiting for authorisation",
        "Review the package",
    ):
        assert what in body
    assert body.count('govuk-tag--red">Overdue') == 3
    assert body.count('govuk-tag--blue">Due') == 1
    # Overdue first: the referral received today comes last.
    assert body.rindex("Overdue") < body.index(f"Sam Jones {MARKER_A}</a>")
    assert MARKER_B not in body


def test_caseload_links_to_each_record(world, client_for):
    sw = world["alpha"]["sw"]
    child = busy_children(world, "alpha", 1)[0]
    body = _body(client_for(sw).get(reverse("referrals:caseload")))
    assert f'href="/referrals/{child.referrals.get().pk}/"' in body
    waiting = child.assessments.get(status="completed")
    assert f'href="/assessments/{waiting.pk}/"' in body
    assert f'href="/packages/{child.packages.get().pk}/"' in body
    assert f'href="/children/{child.pk}/"' in body


def test_another_workers_children_are_not_on_my_caseload(world, client_for, make_person):
    other = make_person(world["alpha"]["council"], Role.SOCIAL_WORKER)
    busy_children(world, "alpha", 1, worker=other)
    body = _body(client_for(world["alpha"]["sw"]).get(reverse("referrals:caseload")))
    assert "Busy Child00" not in body
    assert "Choose a worker" not in body


def test_a_social_worker_cannot_open_another_workers_caseload(world, client_for, make_person):
    other = make_person(world["alpha"]["council"], Role.SOCIAL_WORKER)
    busy_children(world, "alpha", 1, worker=other)
    body = _body(
        client_for(world["alpha"]["sw"]).get(reverse("referrals:caseload"), {"worker": other.pk})
    )
    assert "Busy Child00" not in body


def test_team_manager_picks_a_worker_of_their_team(world, client_for, make_person):
    council = world["alpha"]["council"]
    team = TeamFactory(council=council, name="Disabled children's team")
    tm = world["alpha"]["tm"]
    membership_grant(user=tm, council=council, role=Role.TEAM_MANAGER, team=team)
    in_team = make_person(council, Role.SOCIAL_WORKER)
    membership_grant(user=in_team, council=council, role=Role.SOCIAL_WORKER, team=team)
    outside = make_person(council, Role.SOCIAL_WORKER)
    busy_children(world, "alpha", 1, worker=in_team)
    client = client_for(tm)
    page = _body(client.get(reverse("referrals:caseload")))
    assert "Choose a worker" in page
    assert f'value="{in_team.pk}"' in page
    assert f'value="{outside.pk}"' not in page
    theirs = _body(client.get(reverse("referrals:caseload"), {"worker": in_team.pk}))
    assert f"Caseload of {in_team}" in theirs
    assert "Busy Child00" in theirs
    refused = client.get(reverse("referrals:caseload"), {"worker": outside.pk})
    assert "Choose a social worker in your team" in _body(refused)
    assert "Your caseload" in _body(refused)
    other_council = world["bravo"]["sw"]
    body = _body(client.get(reverse("referrals:caseload"), {"worker": other_council.pk}))
    assert "Choose a social worker in your team" in body
    assert MARKER_B not in body


@pytest.mark.parametrize("rows", [2, 6])
def test_caseload_queries_do_not_grow_with_rows(world, client_for, django_assert_num_queries, rows):
    busy_children(world, "alpha", rows)
    client = client_for(world["alpha"]["sw"])
    with django_assert_num_queries(13):  # 12, and the access log's row
        response = client.get(reverse("referrals:caseload"))
    assert _body(response).count('">Busy Child') == rows * 3


def test_the_caseload_pages_and_counts_every_overdue_item(world, client_for):
    """Three items a child: 20 children are 60 items, a page of 50 and a page of 10, in one order
    across the pages; the count of overdue items is of them all, on each page."""
    children = busy_children(world, "alpha", 20)
    client = client_for(world["alpha"]["sw"])
    first = _body(client.get(reverse("referrals:caseload")))
    assert "<strong>60 overdue.</strong>" in first
    assert first.count('govuk-tag--red">Overdue') == 50
    assert 'href="?page=2#due" rel="next"' in first
    second = _body(client.get(reverse("referrals:caseload"), {"page": 2}))
    assert "<strong>60 overdue.</strong>" in second
    assert second.count('govuk-tag--red">Overdue') == 10
    assert 'href="?page=1#due" rel="prev"' in second
    shown = [
        name
        for body in (first, second)
        for name in re.findall(r'">Busy (Child\d\d)</a></td>', body)
    ]
    # Each child's three items fall due on three dates; within a date, by name.
    assert sorted(shown) == sorted(f"Child{n:02d}" for n in range(20) for _ in range(3))
    assert "Nothing more is due." in _body(client.get(reverse("referrals:caseload"), {"page": 3}))
    assert len(children) == 20


def test_a_team_managers_pages_keep_the_worker_chosen(world, client_for, make_person):
    council = world["alpha"]["council"]
    worker = make_person(council, Role.SOCIAL_WORKER)
    busy_children(world, "alpha", 17, worker=worker)
    body = _body(
        client_for(world["alpha"]["tm"]).get(reverse("referrals:caseload"), {"worker": worker.pk})
    )
    assert f'href="?worker={worker.pk}&amp;page=2#due" rel="next"' in body


@pytest.mark.parametrize("rows", [2, 20])
def test_the_caseload_api_pages_with_links(world, client_for, django_assert_num_queries, rows):
    busy_children(world, "alpha", rows)
    client = client_for(world["alpha"]["sw"])
    client.get("/api/v1/caseload/")
    # Who is asking (4), the page, its children, the overdue count, and the access log's row:
    # the same for 6 items as for 60.
    with django_assert_num_queries(9):
        data = client.get("/api/v1/caseload/", {"page_size": 25}).json()
    assert data["overdue"] == rows * 3
    assert len(data["results"]) == min(rows * 3, 25)
    assert data["previous"] is None
    if rows * 3 > 25:
        assert data["next"].endswith("/api/v1/caseload/?page=2&page_size=25")
        second = client.get(data["next"]).json()
        assert second["previous"].endswith("/api/v1/caseload/?page_size=25")
        assert {(item["kind"], item["record"]) for item in second["results"]}.isdisjoint(
            (item["kind"], item["record"]) for item in data["results"]
        )
    else:
        assert data["next"] is None


@pytest.mark.parametrize("bad", [{"page": 0}, {"page": "two"}, {"page_size": 0}])
def test_the_caseload_api_refuses_a_page_that_is_no_page(world, client_for, bad):
    response = client_for(world["alpha"]["sw"]).get("/api/v1/caseload/", bad)
    assert response.status_code == 400
    assert set(response.json()) == set(bad)


# ----------------------------------------------------------------------------------------------
# The authorisation queue


def test_team_manager_sees_assessments_to_authorise_but_not_their_own(world, client_for):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    waiting = completed_assessment(sw, make_child(sw, first_name="Waiting", last_name="Child"))
    completed_assessment(tm, make_child(tm, first_name="Own", last_name="Work"))
    completed_assessment(world["bravo"]["sw"], world["bravo"]["child"])
    response = client_for(tm).get(reverse("referrals:authorisations"))
    assert response.status_code == 200
    body = _body(response)
    assert "Waiting Child" in body
    assert f'href="/assessments/{waiting.pk}/"' in body
    assert "Own Work" not in body
    assert MARKER_B not in body
    assert "Overdue" in body


@pytest.mark.parametrize("rows", [2, 6])
def test_authorisation_queue_queries_do_not_grow(
    world, client_for, django_assert_num_queries, rows
):
    sw = world["alpha"]["sw"]
    for index in range(rows):
        completed_assessment(sw, make_child(sw, first_name="Queue", last_name=f"Row{index}"))
    client = client_for(world["alpha"]["tm"])
    with django_assert_num_queries(11):  # 10, and the access log's row
        response = client.get(reverse("referrals:authorisations"))
    assert _body(response).count("Queue Row") == rows


@pytest.mark.parametrize("role", [*NOT_CHILD_READERS, Role.SOCIAL_WORKER, Role.AUDITOR])
def test_only_team_managers_open_the_authorisation_queue(world, client_for, role):
    response = client_for(world["alpha"]["people"][role]).get(reverse("referrals:authorisations"))
    assert response.status_code == 403


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_view_child_are_refused_the_caseload(world, client_for, role):
    response = client_for(world["alpha"]["people"][role]).get(reverse("referrals:caseload"))
    assert response.status_code == 403
    assert "Sam Jones" not in _body(response)
