"""The lists behind the work tray's casework counts: the caseload by kind, overdue only or for a
whole team; the children near the overnight thresholds; the resource panel's queue. Each scoped
to the council, refused to the wrong role, and with a query count that does not grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from referrals.models import OvernightCount, OvernightStay, PackageStatus
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import packages as package_selectors
from referrals.services import merges as merge_services
from referrals.services import overnights as overnight_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import FROZEN_TODAY, frozen_today, london  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B, build_two_councils
from tests.once import fresh_copy
from tests.referrals.builders import commissioned, completed_assessment, make_child, make_package
from tests.referrals.once import once_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _people(two_councils, slug="alpha"):
    return two_councils[slug]["people"]


def _nights(child, first: date, count: int):
    overnight_services.overnight_stay_record(
        actor=child.keyworker,
        child=child,
        first_night=first,
        nights=count,
        acknowledge_threshold=True,
    )


def assert_nights_a_year_kept(child):
    """The kept nights a year (OvernightCount) are the child's stays counted again."""
    recounted: dict[int, int] = {}
    for night in OvernightStay.objects.filter(child=child).values_list("night", flat=True):
        recounted[night.year] = recounted.get(night.year, 0) + 1
    kept = dict(OvernightCount.objects.filter(child=child).values_list("year", "nights"))
    assert kept == recounted


# ---------------------------------------------------------------------------------------------
# Children near the overnight thresholds


def test_children_near_the_thresholds_are_counted_and_listed(two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    many = make_child(worker, first_name="Many", last_name=f"Nights{MARKER_A}")
    _nights(many, FROZEN_TODAY - timedelta(days=200), 66)  # 66 nights in 12 months
    running = make_child(worker, first_name="Running", last_name=f"Stay{MARKER_A}")
    _nights(running, FROZEN_TODAY - timedelta(days=13), 14)  # away every night of the last 14
    short = make_child(worker, first_name="Briefly", last_name=f"Away{MARKER_A}")
    _nights(short, FROZEN_TODAY - timedelta(days=20), 13)
    old = make_child(worker, first_name="Old", last_name=f"Stays{MARKER_A}")
    _nights(old, FROZEN_TODAY - timedelta(days=500), 80)  # long ago: outside the 12 months
    theirs = make_child(
        _people(two_councils, "bravo")[Role.SOCIAL_WORKER], last_name=f"Far{MARKER_B}"
    )
    _nights(theirs, FROZEN_TODAY - timedelta(days=100), 70)

    near = child_selectors.child_list(actor=worker, overnights="near")
    assert set(near) == {many, running}
    response = client_for(worker).get(reverse("referrals:children"), {"overnights": "near"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nights" in body and "Running" in body
    assert "Briefly" not in body and "Old" not in body and MARKER_B not in body
    entry = AccessLogEntry.objects.filter(object_type="referrals.child").latest("id")
    assert "overnights=near" in entry.path


def _near(worker) -> set:
    """The children in the tray's count and the list it links to, on the real (travelled) day."""
    return set(child_selectors.child_list(actor=worker, overnights="near"))


def test_the_near_count_follows_the_12_months_across_the_turn_of_the_year(two_councils):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    split = make_child(worker, first_name="Split", last_name=f"Years{MARKER_A}")
    short = make_child(worker, first_name="One", last_name=f"Short{MARKER_A}")
    running = make_child(worker, first_name="Over", last_name=f"NewYear{MARKER_A}")
    theirs = make_child(_people(two_councils, "bravo")[Role.SOCIAL_WORKER], last_name=MARKER_B)
    with time_machine.travel(london(date(2026, 12, 20)), tick=True):
        _nights(split, date(2026, 6, 1), 32)  # 32 nights in 2026 ...
        _nights(short, date(2026, 6, 1), 32)
        _nights(running, date(2026, 12, 25), 14)  # away from Christmas Day
        _nights(theirs, date(2026, 6, 1), 32)
    with time_machine.travel(london(date(2027, 1, 7)), tick=True):
        assert _near(worker) == {running}  # ... each of the 14 nights to 7 January
    with time_machine.travel(london(date(2027, 1, 8)), tick=True):
        assert _near(worker) == set()  # home on the 8th
    with time_machine.travel(london(date(2027, 2, 20)), tick=True):
        _nights(split, date(2027, 1, 10), 33)  # ... and 33 in 2027: 65 in the 12 months
        _nights(short, date(2027, 1, 10), 32)  # 64: one short
        _nights(theirs, date(2027, 1, 10), 40)
        assert _near(worker) == {split}
    with time_machine.travel(london(date(2027, 5, 31)), tick=True):
        assert _near(worker) == {split}  # 1 June 2026 is still in the 12 months
    with time_machine.travel(london(date(2027, 6, 1)), tick=True):
        assert _near(worker) == set()  # and now is not: 64
    for child in (split, short, running, theirs):
        assert_nights_a_year_kept(child)
    assert dict(OvernightCount.objects.filter(child=split).values_list("year", "nights")) == {
        2026: 32,
        2027: 33,
    }


def test_the_near_count_follows_a_merge_of_two_records(two_councils):
    people = _people(two_councils)
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    keep = make_child(worker, first_name="Kept", last_name=f"Record{MARKER_A}")
    duplicate = make_child(worker, first_name="Copied", last_name=f"Record{MARKER_A}")
    _nights(keep, FROZEN_TODAY - timedelta(days=200), 40)
    _nights(duplicate, FROZEN_TODAY - timedelta(days=100), 40)
    assert _near(worker) == set()
    merge_services.child_merge(actor=manager, keep=keep, merge=duplicate)
    assert _near(worker) == {keep}
    assert_nights_a_year_kept(keep)
    assert not OvernightCount.objects.filter(child=duplicate).exists()


def test_a_bad_overnights_filter_is_an_error_not_a_list_of_everyone(two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    make_child(worker, last_name=f"Anyone{MARKER_A}")
    response = client_for(worker).get(reverse("referrals:children"), {"overnights": "lots"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The caseload: by kind, overdue only, the whole team


def build_casework() -> dict:
    """Two councils, and in alpha a worker's children: a package whose reviews were due long
    before today, an assessment waiting for authorisation and a package proposed to the panel."""
    two_councils = build_two_councils()
    people = _people(two_councils)
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    offer = commissioned(people[Role.COMMISSIONER], MARKER_A)
    overdue_review = make_child(worker, first_name="Review", last_name=f"Late{MARKER_A}")
    make_package(worker, manager, overdue_review, offer)  # reviews due long before today
    waiting = make_child(worker, first_name="Waiting", last_name=f"Authorise{MARKER_A}")
    completed_assessment(worker, waiting)
    proposed = make_child(worker, first_name="Proposed", last_name=f"Panel{MARKER_A}")
    package = make_package(worker, manager, proposed, offer, status="proposed")
    casework = {"worker": worker, "manager": manager, "package": package, "offer": offer}
    return {"two_councils": two_councils, "casework": casework}


@pytest.fixture(scope="module")
def _casework_built(request, django_db_setup, django_db_blocker):
    yield from once_for_module(request, django_db_blocker, build_casework)


@pytest.fixture
def _casework_copy(db, _casework_built):
    return fresh_copy(_casework_built)


@pytest.fixture
def two_councils(_casework_copy):
    return _casework_copy["two_councils"]


@pytest.fixture
def casework(_casework_copy):
    return _casework_copy["casework"]


def test_the_caseload_counts_match_the_filtered_caseload(casework, client_for):
    worker = casework["worker"]
    counts = caseload_selectors.caseload_counts(actor=worker)
    assert counts["review"]["overdue"] == 1
    assert counts["authorisation"]["due"] >= 1
    client = client_for(worker)
    body = client.get(reverse("referrals:caseload"), {"kind": "review", "overdue": "on"})
    body = body.content.decode()
    assert "Review the package" in body and "Late" in body
    assert "Assessment waiting for authorisation" not in body
    body = client.get(reverse("referrals:caseload"), {"kind": "authorisation"}).content.decode()
    assert "Waiting" in body and "Review the package" not in body
    # An unknown kind is no filter at all, never an error.
    everything = client.get(reverse("referrals:caseload"), {"kind": "nonsense"})
    assert everything.status_code == 200
    assert "Review the package" in everything.content.decode()


def test_a_team_manager_sees_the_teams_overdue_work_and_a_worker_only_their_own(
    casework, two_councils, client_for
):
    manager, worker = casework["manager"], casework["worker"]
    team = caseload_selectors.caseload_counts(
        actor=manager, worker=caseload_selectors.team_worker_ids(actor=manager)
    )
    assert sum(
        kind["overdue"] for kind in team.values()
    ) == caseload_selectors.caseload_overdue_count(
        actor=manager, worker=worker
    ) + caseload_selectors.caseload_overdue_count(actor=manager, worker=manager)
    # The team asked as a query of its workers (read first, then named) counts the same.
    assert caseload_selectors.caseload_overdue_count(
        actor=manager, worker=caseload_selectors.team_worker_ids(actor=manager)
    ) == sum(kind["overdue"] for kind in team.values())
    body = client_for(manager).get(reverse("referrals:caseload"), {"team": "on", "overdue": "on"})
    assert "Your team's caseload" in body.content.decode()
    assert "Late" in body.content.decode()
    # A social worker asking for the team gets their own caseload only.
    own = client_for(worker).get(reverse("referrals:caseload"), {"team": "on"}).content.decode()
    assert "Your caseload" in own
    other_worker = _people(two_councils, "bravo")[Role.SOCIAL_WORKER]
    theirs = client_for(other_worker).get(reverse("referrals:caseload"), {"team": "on"})
    assert MARKER_A not in theirs.content.decode()


# ---------------------------------------------------------------------------------------------
# The resource panel's queue


def test_the_panel_queue_lists_proposed_packages_for_team_managers_only(
    casework, two_councils, client_for
):
    manager = casework["manager"]
    url = reverse("referrals:panel-queue")
    response = client_for(manager).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Proposed" in body and "Panel" in body and "Late" not in body
    assert package_selectors.panel_queue(actor=manager).count() == 1
    entry = AccessLogEntry.objects.filter(object_type="referrals.package").latest("id")
    assert str(casework["package"].pk) in entry.path
    for role in (Role.SOCIAL_WORKER, Role.COMMISSIONER, Role.AUDITOR):
        assert client_for(_people(two_councils)[role]).get(url).status_code == 403
    bravo_manager = _people(two_councils, "bravo")[Role.TEAM_MANAGER]
    other = client_for(bravo_manager).get(url).content.decode()
    assert MARKER_A not in other and "No packages are waiting" in other


def test_the_panel_queue_keeps_its_query_count(casework, client_for, django_assert_num_queries):
    manager, worker = casework["manager"], casework["worker"]
    client = client_for(manager)
    url = reverse("referrals:panel-queue")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(3):
        child = make_child(worker, last_name=f"More{n}{MARKER_A}")
        make_package(worker, manager, child, casework["offer"], status="proposed")
    assert (
        package_selectors.panel_queue(actor=manager).filter(status=PackageStatus.PROPOSED).count()
        == 4
    )
    with django_assert_num_queries(len(first)):
        client.get(url)
