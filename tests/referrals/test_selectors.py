"""Reads: scoped to the council, shaped for caseloads and timelines, and aggregates that hold no
child's name or identifier."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import DateField, Value

from referrals.models import AssessmentOutcome, FundingRoute, line_costs
from referrals.selectors import aggregates as aggregate_selectors
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import common as common_selectors
from referrals.selectors import packages as package_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.selectors import timeline as timeline_selectors
from referrals.services import assessments as assessment_services
from referrals.services import reviews as review_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council, Role
from tests.builders import make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.factories import CouncilFactory
from tests.referrals.builders import (
    authorised_assessment,
    completed_assessment,
    make_child,
    make_package,
    make_referral,
    nhs_number,
    screened_referral,
)
from tests.roles import NOT_CHILD_READERS

TODAY = date(2025, 6, 2)


@pytest.fixture
def world(world_with_second_manager):
    return world_with_second_manager


# ----------------------------------------------------------------------------------------------
# Scoping


def test_another_councils_child_is_not_found_exactly_as_a_missing_one(world):
    alpha, bravo = world["alpha"], world["bravo"]
    theirs = bravo["child"]
    messages = []
    for child_id in (theirs.pk, theirs.pk + 10_000, "not-a-number"):
        with pytest.raises(RecordNotFound) as caught:
            child_selectors.access_child_by_id(actor=alpha["sw"], child_id=child_id)
        messages.append(str(caught.value))
    assert set(messages) == {"No referrals.child with that id."}
    assert (
        child_selectors.access_child_by_id(actor=alpha["sw"], child_id=alpha["child"].pk)
        == (alpha["child"])
    )


def test_records_about_another_councils_child_are_not_found_either(world):
    alpha, bravo = world["alpha"], world["bravo"]
    referral = make_referral(bravo["sw"], bravo["child"])
    package = make_package(bravo["sw"], bravo["tm"], bravo["child"], bravo["offer"])
    lookups = [
        (referral_selectors.access_referral_by_id, {"referral_id": referral.pk}),
        (assessment_selectors.access_assessment_by_id, {"assessment_id": package.assessment_id}),
        (package_selectors.access_package_by_id, {"package_id": package.pk}),
        (package_selectors.access_package_line_by_id, {"line_id": package.lines.get().pk}),
    ]
    for lookup, kwargs in lookups:
        with pytest.raises(RecordNotFound):
            lookup(actor=alpha["sw"], **kwargs)
        assert lookup(actor=bravo["sw"], **kwargs).pk == next(iter(kwargs.values()))


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_people_who_may_not_read_childrens_records_get_no_child(world, role):
    alpha = world["alpha"]
    actor = alpha["people"][role]
    assert list(child_selectors.child_list(actor=actor)) == []
    with pytest.raises(RecordNotFound):
        child_selectors.access_child_by_id(actor=actor, child_id=alpha["child"].pk)
    assert timeline_selectors.child_timeline(actor=actor, child=alpha["child"]) == []


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR])
def test_social_workers_team_managers_and_auditors_read_their_councils_children(world, role):
    alpha = world["alpha"]
    names = [c.last_name for c in child_selectors.child_list(actor=alpha["people"][role])]
    assert names == [f"Jones {MARKER_A}"]


def test_child_list_searches_names_ids_nhs_number_and_postcode(world):
    sw = world["alpha"]["sw"]
    amira = make_child(
        sw,
        first_name="Amira",
        last_name="Khan",
        nhs_number=nhs_number("401023213"),
        postcode="SY3 8HQ",
    )
    make_child(sw, first_name="Ben", last_name="Okafor")
    make_child(world["bravo"]["sw"], first_name="Amira", last_name="Khan")

    def found(search):
        return [c.pk for c in child_selectors.child_list(actor=sw, search=search)]

    assert found("amira") == [amira.pk]
    assert found("Amira Khan") == [amira.pk]
    assert found(amira.council_child_id) == [amira.pk]
    assert found(
        amira.nhs_number[:3] + " " + amira.nhs_number[3:6] + " " + amira.nhs_number[6:]
    ) == [amira.pk]
    assert found("sy3 8hq") == [amira.pk]
    assert len(list(child_selectors.child_list(actor=sw))) == 3
    assert found("nobody") == []


def test_child_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    for n in range(8):
        make_child(sw, keyworker=tm if n % 2 else sw)
    list(child_selectors.child_list(actor=sw))  # the actor's roles are read once per request
    with django_assert_num_queries(1):
        children = list(child_selectors.child_list(actor=sw, search="Ada"))
        keyworkers = {c.keyworker.get_full_name() for c in children}
    assert len(children) == 8 and len(keyworkers) == 2


# ----------------------------------------------------------------------------------------------
# The timeline


def test_the_timeline_lists_every_event_of_the_journey_in_order(world, django_assert_num_queries):
    alpha = world["alpha"]
    sw, tm, child, offer = alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"]
    referral = screened_referral(sw, child, received_on=date(2025, 1, 6))
    assessment = authorised_assessment(sw, tm, child, referral=referral)
    package = make_package(sw, tm, child, offer, assessment=assessment)
    reassessment = authorised_assessment(
        sw,
        tm,
        child,
        started_on=date(2025, 8, 1),
        completed_on=date(2025, 8, 15),
        authorised_on=date(2025, 8, 18),
        outcome=AssessmentOutcome.UNIVERSAL,
    )
    review_services.review_record(
        actor=sw,
        package=package,
        held_on=date(2025, 9, 1),
        outcome="cease",
        reasons="Needs met by the youth club.",
        family_views="Family agree.",
        family_told_on=date(2025, 9, 1),
        reassessment=reassessment,
    )
    make_referral(world["bravo"]["sw"], world["bravo"]["child"])
    timeline_selectors.child_timeline(actor=sw, child=child)
    # One query per kind of record, carer account links, record merges and case notes included.
    with django_assert_num_queries(10):
        timeline = timeline_selectors.child_timeline(actor=sw, child=child)
    assert [e.on for e in timeline] == sorted(e.on for e in timeline)
    kinds = [e.kind for e in timeline]
    assert kinds == [
        "referral",  # received 6 January
        "referral",  # screening
        "referral",  # accepted for assessment
        "assessment",  # started
        "assessment",  # completed
        "assessment",  # authorised
        "tier",  # none to specialist
        "package",  # proposed
        "panel",  # approved
        "package",  # line added 3 March
        "package",  # started
        "assessment",  # reassessment started, completed, authorised
        "assessment",
        "assessment",
        "review",  # ceased at review
        "tier",  # specialist to universal
    ]
    assert timeline[6].summary.startswith("Tier: none to specialist.")
    assert timeline[-1].summary.startswith("Tier: specialist to universal.")
    assert timeline[-1].actor == sw.get_full_name()
    assert not any(MARKER_B in e.summary for e in timeline)


# ----------------------------------------------------------------------------------------------
# Caseload and the authorisation queue


def test_working_days_in_sql_are_the_working_days_the_loop_counts(db):
    """The caseload's due dates are worked out by the database: from every day of four weeks
    (weekends included), each allowance lands where `add_working_days` does."""
    starts = [date(2025, 12, 1) + timedelta(days=n) for n in range(28)]
    allowances = [0, 1, 2, 4, 5, 6, 9, 10, 44, 45, 46]
    expected = {
        f"d{i}_{days}": common_selectors.add_working_days(start, days)
        for i, start in enumerate(starts)
        for days in allowances
    }
    council = CouncilFactory()  # a row to compute beside
    row = (
        Council.objects.filter(pk=council.pk)
        .annotate(
            **{
                f"d{i}_{days}": caseload_selectors.AddWorkingDays(
                    Value(start, output_field=DateField()), days=days
                )
                for i, start in enumerate(starts)
                for days in allowances
            }
        )
        .values(*expected)
        .get()
    )
    assert row == expected


def test_the_caseload_shows_what_is_due_overdue_first(world):
    alpha = world["alpha"]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    to_screen = make_child(sw, last_name="Screening")
    make_referral(sw, to_screen, received_on=date(2025, 5, 30))  # a Friday: due Monday 2 June
    assessing = make_child(sw, last_name="Assessing")
    assessment_services.assessment_start(actor=sw, child=assessing, started_on=date(2025, 5, 1))
    waiting = make_child(sw, last_name="Waiting")
    completed_assessment(sw, waiting, started_on=date(2025, 5, 1), completed_on=date(2025, 5, 20))
    reviewing = make_child(sw, last_name="Reviewing")
    make_package(sw, tm, reviewing, offer, start_on=date(2024, 11, 4))  # review due 4 May
    someone_elses = make_child(tm, last_name="Elsewhere")
    assessment_services.assessment_start(actor=tm, child=someone_elses, started_on=date(2025, 1, 1))

    items = caseload_selectors.caseload(actor=sw, today=TODAY)
    assert [(i.child.last_name, i.kind, i.due_on, i.overdue) for i in items] == [
        ("Reviewing", "review", date(2025, 5, 4), True),
        ("Waiting", "authorisation", date(2025, 5, 27), True),
        ("Screening", "referral", date(2025, 6, 2), False),
        ("Assessing", "assessment", date(2025, 7, 3), False),
    ]
    # A team manager can look at a social worker's caseload; another council sees nothing.
    assert len(caseload_selectors.caseload(actor=tm, worker=sw, today=TODAY)) == 4
    assert (
        caseload_selectors.caseload(actor=world["bravo"]["tm"], worker=sw, today=TODAY).rows == []
    )
    assert caseload_selectors.caseload_overdue_count(actor=sw, today=TODAY) == 2
    assert caseload_selectors.caseload_overdue_count(actor=world["bravo"]["tm"], worker=sw) == 0


def test_caseload_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    alpha = world["alpha"]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    for n in range(4):
        child = make_child(sw, last_name=f"Many{n}")
        make_referral(sw, child, received_on=date(2025, 5, n + 1))
        make_package(sw, tm, child, offer)
        assessment_services.assessment_start(actor=sw, child=child, started_on=date(2025, 5, 1))
    caseload_selectors.caseload(actor=sw, today=TODAY)
    # The page of items, due dates and order worked out by the database; then its children.
    with django_assert_num_queries(2):
        items = caseload_selectors.caseload(actor=sw, today=TODAY)
        names = {i.child.last_name for i in items}
    assert len(items) == 12 and len(names) == 4
    with django_assert_num_queries(1):
        caseload_selectors.caseload_overdue_count(actor=sw, today=TODAY)


def test_the_authorisation_queue_leaves_out_what_the_manager_completed(world):
    alpha = world["alpha"]
    sw, tm, tm2 = alpha["sw"], alpha["tm"], alpha["tm2"]
    first = completed_assessment(sw, make_child(sw), completed_on=date(2025, 2, 1))
    own = completed_assessment(tm, make_child(sw), completed_on=date(2025, 1, 20))
    later = completed_assessment(sw, make_child(sw), completed_on=date(2025, 3, 1))
    assessment_services.assessment_start(
        actor=sw, child=make_child(sw), started_on=date(2025, 1, 1)
    )
    completed_assessment(world["bravo"]["sw"], world["bravo"]["child"])
    assert list(caseload_selectors.authorisation_queue(actor=tm)) == [first, later]
    assert list(caseload_selectors.authorisation_queue(actor=tm2)) == [own, first, later]
    assert list(caseload_selectors.authorisation_queue(actor=sw)) == []
    assert list(caseload_selectors.authorisation_queue(actor=alpha["people"][Role.AUDITOR])) == []


# ----------------------------------------------------------------------------------------------
# Aggregates


def test_aggregates_count_and_cost_without_a_childs_name_or_id(world, django_assert_num_queries):
    alpha = world["alpha"]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    children = [
        make_child(
            sw, first_name="Zebedee", last_name=f"Quill{n}", nhs_number=nhs_number(f"40102321{n}")
        )
        for n in (1, 3, 5)
    ]
    make_package(sw, tm, children[0], offer)
    make_package(
        sw,
        tm,
        children[1],
        offer,
        lines=[
            {"hours_per_week": Decimal("8.5"), "ratio": "2:1", "unit_rate": Decimal("56")},
            {
                "funding_route": FundingRoute.DIRECT_PAYMENT,
                "hours_per_week": Decimal("4"),
                "unit_rate": Decimal("15"),
            },
        ],
    )
    make_package(sw, tm, children[2], offer, status="approved")  # not running: not counted
    make_package(
        world["bravo"]["sw"], world["bravo"]["tm"], world["bravo"]["child"], world["bravo"]["offer"]
    )

    commissioner = alpha["people"][Role.COMMISSIONER]
    with django_assert_num_queries(3):
        result = aggregate_selectors.aggregates(actor=commissioner, today=TODAY)
    assert result["children_by_tier"] == {
        "none": 1,
        "universal": 0,
        "targeted": 0,
        "specialist": 3,
    }
    assert result["packages_by_status"] == {
        "proposed": 0,
        "approved": 1,
        "active": 2,
        "ceased": 0,
    }
    routes = {row["label"]: row for row in result["by_funding_route"]}
    assert routes["commissioned"]["hours_per_week"] == Decimal("13.5")
    assert routes["commissioned"]["cost_per_week"] == Decimal("618.50")  # 142.50 + 476.00
    assert routes["commissioned"]["packages"] == 2
    assert routes["direct_payment"]["cost_per_year"] == Decimal("3120.00")
    lots = {row["label"]: row for row in result["by_lot"]}
    assert lots[f"SB-{MARKER_A} lot 1: Lot 1"]["lines"] == 2
    assert lots["No contract lot"]["lines"] == 1
    assert result["totals"]["cost_per_week"] == Decimal("678.50")
    assert result["totals"]["packages"] == 2
    assert [row["label"] for row in result["by_service"]] == [
        f"Community buddying {MARKER_A} (Buddying {MARKER_A})"
    ]

    text = json.dumps(result, default=str)
    for child in (*children, alpha["child"]):
        for identifier in (child.first_name, child.last_name, child.council_child_id):
            assert identifier not in text
        assert child.nhs_number not in text or not child.nhs_number
    assert MARKER_B not in text


def test_aggregates_are_summed_by_the_database_to_the_penny_python_counts(
    world, django_assert_num_queries
):
    """Each line's cost is rounded to the penny, half to even, before it is summed, as
    `line_costs` rounds it: these lines sit exactly on half pennies (64.125, 0.005, 0.015 a
    week). Many lines make no more queries."""
    alpha = world["alpha"]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    second = make_service(
        alpha["people"][Role.COMMISSIONER], offer["provider"], title="Evening club"
    )
    lines = [
        {"hours_per_week": Decimal("2.25"), "unit_rate": Decimal("28.50")},
        {"hours_per_week": None, "nights_per_year": 1, "unit_rate": Decimal("0.26")},
        {"hours_per_week": None, "nights_per_year": 1, "unit_rate": Decimal("0.78")},
        {"hours_per_week": None, "nights_per_year": 3, "unit_rate": Decimal("161.99")},
        {
            "service": second,
            "funding_route": FundingRoute.SPOT_PURCHASE,
            "hours_per_week": Decimal("7.75"),
            "unit_rate": Decimal("19.99"),
        },
    ]
    for n in range(6):
        make_package(sw, tm, make_child(sw, last_name=f"Sum{n}"), offer, lines=lines)
    make_package(sw, tm, make_child(sw, last_name="Ended"), offer, status="approved")
    commissioner = alpha["people"][Role.COMMISSIONER]
    with django_assert_num_queries(3):
        result = aggregate_selectors.aggregates(actor=commissioner, today=TODAY)

    costs = [
        line_costs(line.get("hours_per_week"), line.get("nights_per_year"), line["unit_rate"])
        for line in lines
    ]
    assert costs[0] == (Decimal("64.12"), Decimal("3334.50"))  # half to even, not 64.13
    assert costs[1][0] == Decimal("0.00") and costs[2][0] == Decimal("0.02")
    weekly = sum((cost[0] for cost in costs), Decimal(0)) * 6
    yearly = sum((cost[1] for cost in costs), Decimal(0)) * 6
    totals = result["totals"]
    assert (totals["cost_per_week"], totals["cost_per_year"]) == (weekly, yearly)
    assert totals["lines"] == 30 and totals["packages"] == 6 and totals["children"] == 6
    assert totals["hours_per_week"] == Decimal("60.00")  # 6 x (2.25 + 7.75)
    assert totals["nights_per_year"] == 30
    by_service = {row["label"]: row for row in result["by_service"]}
    assert list(by_service) == sorted(by_service)
    evening = by_service[f"Evening club (Buddying {MARKER_A})"]
    assert evening["cost_per_week"] == Decimal("154.92") * 6
    assert evening["children"] == 6 and evening["lines"] == 6
    routes = {row["label"]: row for row in result["by_funding_route"]}
    assert routes["spot_purchase"]["cost_per_year"] == costs[4][1] * 6
    assert sum(row["cost_per_week"] for row in result["by_lot"]) == weekly


def test_aggregates_of_a_council_with_no_support_running_are_zero(world):
    result = aggregate_selectors.aggregates(
        actor=world["alpha"]["people"][Role.COMMISSIONER], today=TODAY
    )
    assert result["by_service"] == result["by_lot"] == result["by_funding_route"] == []
    assert result["totals"] == {
        "children": 0,
        "lines": 0,
        "packages": 0,
        "hours_per_week": Decimal(0),
        "nights_per_year": 0,
        "cost_per_week": Decimal(0),
        "cost_per_year": Decimal(0),
    }


@pytest.mark.django_db
def test_the_children_table_keeps_statistics_on_council_and_keyworker():
    """Without them PostgreSQL takes a keyworker's council as chance and expects a team to have a
    150th of its children (referrals.0016)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind, ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = stxrelid"
            " AND attnum = ANY(stxkeys) ORDER BY attname) FROM pg_statistic_ext"
            " WHERE stxname = 'referrals_child_council_keyworker'"
            " AND stxrelid = 'referrals_child'::regclass"
        )
        kinds, columns = cursor.fetchone()
    assert {"d", "f"} <= set(kinds)  # ndistinct and functional dependencies
    assert columns == ["council_id", "keyworker_id"]
