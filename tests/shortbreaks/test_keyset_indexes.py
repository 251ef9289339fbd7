"""Each council-wide list is read in its order from an index that leads with the council.

A list ordered by id (or by a date, then id) and filtered by the council is served by an index on
(council, id) or (council, <date>, id): the database starts at the council's first row in that
order and stops after one page. Without it, it walks the whole national table in id order and
discards every other council's rows (docs/decisions/0013-lists-at-national-scale.md).

Each test makes the real request, takes the list's own query as it was sent, and asks PostgreSQL
for its plan. The tables here hold a handful of rows, and for a handful of rows reading the whole
table is rightly cheapest. So the plan is asked for as it would be for a table too big to read
whole, sift or sort (those are switched off, so the planner takes them only when nothing else can
answer): which index gives the council's rows in order. Without the council's index the answer
would be the primary key read backwards, every council's rows in turn, which these tests refuse.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shortbreaks.councils.models import Role
from tests.per_module import world_per_module
from tests.referrals.builders import build_world, make_package, make_referral


def _build_world(two_councils) -> dict:
    world = build_world(two_councils)
    for slug in ("alpha", "bravo"):
        side = world[slug]
        make_referral(side["sw"], side["child"])
        make_package(side["sw"], side["tm"], side["child"], side["offer"])
    return world


# Every test reads the same children, referrals and packages: built once for the module.
_world_built, world = world_per_module(_build_world)


def _list_query(response_for, table: str) -> str:
    """The one query that read the page of `table`'s rows (ordered, limited)."""
    with CaptureQueriesContext(connection) as captured:
        response = response_for()
    assert response.status_code == 200
    queries = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and f'FROM "{table}"' in query["sql"]
        and "ORDER BY" in query["sql"]
        and "LIMIT" in query["sql"]
    ]
    assert len(queries) == 1, queries
    return queries[0]


# What a table of millions of rows leaves the planner: no reading it whole, no collecting its
# matches in a bitmap, no sorting them.
BIG_TABLE = ("enable_seqscan", "enable_bitmapscan", "enable_sort")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        for setting in BIG_TABLE:
            cursor.execute(f"SET LOCAL {setting} = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for setting in BIG_TABLE:
                cursor.execute(f"SET LOCAL {setting} = on")


def _assert_ordered_by(plan: str, index: str, *, backward: bool) -> None:
    scan = "Index Scan Backward" if backward else "Index Scan"
    assert re.search(rf"{scan} using {index} on ", plan), plan
    # The order comes from the index: nothing is sorted, so one page costs one page's rows.
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    ("url", "table", "index", "backward"),
    [
        ("/api/v1/referrals/", "referrals_referral", "referral_council_keyset", True),
        ("/api/v1/assessments/", "referrals_assessment", "assessment_council_keyset", True),
        ("/api/v1/packages/", "referrals_package", "package_council_keyset", True),
        (
            "/api/v1/grant-applications/",
            "referrals_grantapplication",
            "grantapp_council_keyset",
            True,
        ),
        ("/api/v1/reviews/", "referrals_review", "review_council_keyset", True),
        (
            "/api/v1/panel-decisions/",
            "referrals_paneldecision",
            "paneldecision_council_keyset",
            False,
        ),
    ],
)
def test_each_api_list_reads_its_page_from_the_councils_own_index(
    world, client_for, url, table, index, backward
):
    client = client_for(world["alpha"]["people"][Role.TEAM_MANAGER])
    sql = _list_query(lambda: client.get(url), table)
    assert f'"{table}"."council_id" = ({world["alpha"]["council"].pk})::bigint' in sql
    _assert_ordered_by(_plan(sql), index, backward=backward)


def test_the_next_page_starts_inside_the_same_index(world, client_for):
    """The cursor's next page reads on from the last id shown, still in the council's index."""
    alpha = world["alpha"]
    for _ in range(3):
        make_referral(alpha["sw"], alpha["child"])
    client = client_for(alpha["people"][Role.TEAM_MANAGER])
    first = client.get("/api/v1/referrals/", {"page_size": 2}).json()
    assert first["next"]
    sql = _list_query(lambda: client.get(first["next"]), "referrals_referral")
    assert '"referrals_referral"."id" <' in sql
    _assert_ordered_by(_plan(sql), "referral_council_keyset", backward=True)


def test_the_referral_page_reads_newest_received_first_from_the_councils_index(world, client_for):
    client = client_for(world["alpha"]["people"][Role.TEAM_MANAGER])
    sql = _list_query(lambda: client.get("/referrals/"), "referrals_referral")
    _assert_ordered_by(_plan(sql), "referral_council_received", backward=True)


def test_the_services_api_reads_by_title_from_the_councils_index(world, client_for):
    client = client_for(world["alpha"]["people"][Role.COMMISSIONER])
    sql = _list_query(lambda: client.get("/api/v1/services/"), "providers_service")
    _assert_ordered_by(_plan(sql), "service_council_keyset", backward=False)


def test_the_public_directory_reads_its_page_by_title_from_the_councils_index(world):
    from django.test import Client

    council = world["alpha"]["council"]
    sql = _list_query(
        lambda: Client().get(f"/statements/{council.slug}/services/"), "providers_service"
    )
    _assert_ordered_by(_plan(sql), "service_council_keyset", backward=False)
