"""Searching the children: names by trigram word similarity ("smith" finds "Smyth"), part of the
NHS number (typed with spaces or without) or of the child id, in the actor's council only, with
the closest names first, in the same number of queries however many children match."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Child
from referrals.selectors import children as child_selectors
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child, nhs_number
from tests.referrals.once import built_for_module

NHS = nhs_number("943476591")  # 9434765919


def build_search_world(world: dict) -> dict:
    """Ellis Smyth in alpha; Rowan Smyth in bravo, with the same NHS number and child id."""
    world["smyth"] = make_child(
        world["alpha"]["sw"],
        first_name="Ellis",
        last_name="Smyth",
        nhs_number=NHS,
        council_child_id="SB-2041",
    )
    world["theirs"] = make_child(
        world["bravo"]["sw"],
        first_name="Rowan",
        last_name="Smyth",
        nhs_number=NHS,
        council_child_id="SB-2041",
    )
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_search_world)


def _found(actor, search) -> list[int]:
    return [child.pk for child in child_selectors.child_list(actor=actor, search=search)]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "search",
    ["smith", "SMITH", "Smyth", "smyt", "ellis", "Elis Smith", "943 476 5919", "4765919", "476 59"],
)
def test_a_sound_alike_name_or_part_of_the_nhs_number_finds_the_councils_child_only(world, search):
    assert _found(world["alpha"]["sw"], search) == [world["smyth"].pk]


@pytest.mark.parametrize("search", ["smith", "943 476 5919", "476 59", "sb-20"])
def test_the_other_council_finds_its_own_child_only(world, search):
    assert _found(world["bravo"]["sw"], search) == [world["theirs"].pk]


@pytest.mark.parametrize("search", ["sb-20", "SB-2041", "b-204"])
def test_part_of_the_child_id_finds_the_child(world, search):
    assert _found(world["alpha"]["sw"], search) == [world["smyth"].pk]


@pytest.mark.parametrize("search", ["rowan", "Rowan Smith", "ellis jones", "xyz"])
def test_what_matches_no_child_of_the_council_finds_nothing(world, search):
    """Every word must match a name, so "Ellis Jones" finds neither Ellis Smyth nor Sam Jones;
    bravo's Rowan Smyth is never alpha's."""
    assert _found(world["alpha"]["sw"], search) == []


def test_the_closest_names_come_first(world):
    sw = world["alpha"]["sw"]
    smith = make_child(sw, first_name="Kit", last_name="Smith")
    smithson = make_child(sw, first_name="Ash", last_name="Smithson")
    assert _found(sw, "smith") == [smith.pk, smithson.pk, world["smyth"].pk]


def test_someone_who_may_not_read_children_finds_none(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    assert _found(commissioner, "smith") == []


def _searched(client, search: str) -> str:
    """Post a search from the children page; the address it sends the browser to."""
    response = client.post(reverse("referrals:children"), {"search": search})
    assert response.status_code == 302
    return response["Location"]


def test_the_list_page_finds_smyth_for_smith_in_a_constant_number_of_queries(
    world, client_for, django_assert_num_queries
):
    sw = world["alpha"]["sw"]
    client = client_for(sw)
    url = reverse("referrals:children")
    client.get(url)  # the first page of a session also writes the session
    with django_assert_num_queries(8):  # 7, and the access log's row for the list
        client.get(url)
    smith = _searched(client, "smith")
    with django_assert_num_queries(8):  # as many as the list without a search
        body = client.get(smith).content.decode()
    assert "Ellis Smyth" in body
    assert "Rowan" not in body
    assert MARKER_B not in body
    assert f"Jones {MARKER_A}" not in body
    for index in range(6):
        make_child(sw, first_name=f"Extra{index}", last_name="Smythe")
    with django_assert_num_queries(8):
        body = client.get(smith).content.decode()
    assert body.count("Smythe") == 6
    nhs = _searched(client, "943 476 5919")
    with django_assert_num_queries(8):
        body = client.get(nhs).content.decode()
    assert "Ellis Smyth" in body
    assert "Smythe" not in body


def test_the_api_finds_smyth_for_smith_in_a_constant_number_of_queries(
    world, django_assert_num_queries
):
    sw = world["alpha"]["sw"]
    client = _api(sw)
    url = reverse("api-children-search")

    def search(terms: str) -> list[dict]:
        return client.post(url, {"search": terms}, format="json").json()["results"]

    with django_assert_num_queries(4):  # 3, and the access log's row for the search
        results = search("smith")
    assert [row["id"] for row in results] == [world["smyth"].pk]
    for index in range(6):
        make_child(sw, first_name=f"Extra{index}", last_name="Smythe")
    with django_assert_num_queries(4):
        results = search("smith")
    assert len(results) == 7
    assert MARKER_B not in str(results)
    with django_assert_num_queries(4):
        results = search("476 5919")
    assert [row["id"] for row in results] == [world["smyth"].pk]
    bravo = _api(world["bravo"]["sw"]).post(url, {"search": "smith"}, format="json")
    assert [row["id"] for row in bravo.json()["results"]] == [world["theirs"].pk]


def test_the_api_search_names_each_keyworker_as_the_childrens_list_does(world):
    """The search reads a page's keyworkers' names in its one query (`with_keyworker_name`):
    each is what the children's list gives, a full name, else the username, else nothing."""
    from shortbreaks.councils import services as council_services
    from tests.factories import UserFactory

    council = world["alpha"]["council"]
    workers = [
        UserFactory(first_name="Priya", last_name="Natarajan"),
        UserFactory(first_name="", last_name="Okafor"),
        UserFactory(first_name="", last_name=""),
    ]
    for worker in workers:
        council_services.membership_grant(user=worker, council=council, role=Role.SOCIAL_WORKER)
    sw = world["alpha"]["sw"]
    for index, worker in enumerate([*workers, None]):
        make_child(sw, first_name=f"Kept{index}", last_name="Quenby", keyworker=worker)
    url = reverse("api-children-search")
    searched = _api(sw).post(url, {"search": "quenby"}, format="json").json()["results"]
    listed = _api(sw).get(reverse("api-children")).json()["results"]
    named = {row["first_name"]: row["keyworker_name"] for row in searched}
    assert named == {
        "Kept0": "Priya Natarajan",
        "Kept1": "Okafor",
        "Kept2": workers[2].username,
        "Kept3": "",
    }
    assert named == {
        row["first_name"]: row["keyworker_name"] for row in listed if row["last_name"] == "Quenby"
    }
    assert [row["keyworker"] for row in searched] == [
        *(worker.pk for worker in workers),
        None,
    ]


# What the search's operators call (docs/decisions/0028): `%>`, and LIKE and = on UPPER.
SEARCH_FUNCTIONS = (
    "word_similarity_commutator_op(text,text)",
    "upper(text)",
    "textlike(text,text)",
)


def _leakproof() -> dict[str, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regprocedure::text, proleakproof FROM pg_proc "
            "WHERE oid = ANY(%s::regprocedure[])",
            [list(SEARCH_FUNCTIONS)],
        )
        return dict(cursor.fetchall())


def test_the_functions_behind_the_search_are_leakproof_after_migrate(db):
    """Else row-level security applies the search after the council's policy, row by row."""
    assert _leakproof() == dict.fromkeys(SEARCH_FUNCTIONS, True)


@pytest.mark.parametrize(
    ("search", "index"),
    [
        ("smith", "child_last_name_trgm"),  # %> on the names
        ("sb-20", "child_child_id_trgm"),  # LIKE on UPPER of the child id
        ("476 59", "child_nhs_number_trgm"),  # LIKE on the NHS number's digits
        ("sb-20", "child_postcode_upper"),  # = on UPPER of the postcode
    ],
)
def test_under_a_councils_policy_the_search_is_served_by_its_indexes(world, search, index):
    """As the application's role in a council's scope. Sequential and plain index scans are priced
    out so that the plan says only whether the search may use its indexes under the policy (with
    a function that is not leak-proof, it may not, and the plan is a sequential scan whatever it
    costs). The selector's own `council_id =` is left out: its index serves either way."""
    with rls.council_scope(world["alpha"]["council"]):
        children = child_selectors.search_children(Child.objects.all(), search)
        with connection.cursor() as cursor:
            # Both are undone by the test's rollback.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = children.explain()
        assert f"Bitmap Index Scan on {index}" in plan
        assert "Seq Scan" not in plan
        # and the policy still holds: bravo's Rowan Smyth, with the same id and NHS number, is
        # not found
        assert list(children) == [world["smyth"]]


def test_a_role_that_is_not_a_superuser_migrates_and_says_the_search_is_slower(db, capsys):
    """Only a superuser may mark a function LEAKPROOF; any other owner migrates all the same."""
    migration = importlib.import_module("providers.migrations.0008_leakproof_search")

    def refuse(statement):
        raise AssertionError(f"ran {statement}")

    editor = SimpleNamespace(connection=connection, execute=refuse)
    migration.unmark(None, editor)  # as the application's role, which is no superuser
    assert "Not marking the search's functions LEAKPROOF" in capsys.readouterr().out
    assert _leakproof() == dict.fromkeys(SEARCH_FUNCTIONS, True)


def test_each_search_index_leads_with_the_council(db):
    """The council's `=` (btree_gin) and the search's trigrams are looked up in one index, so a
    search reads the candidates among its council's children, not the country's. (On a test's
    few rows the planner rightly reads the council's own index instead, so the plan is not
    asserted here; docs/decisions/0032 gives the bench data's plans.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'referrals_child' "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        definitions = dict(cursor.fetchall())
    assert set(definitions) == {
        "child_first_name_trgm",
        "child_last_name_trgm",
        "child_nhs_number_trgm",
        "child_child_id_trgm",
    }
    for definition in definitions.values():
        assert "USING gin (council_id, " in definition


def test_the_councils_scope_compares_its_id_as_the_bigint_the_index_holds(world):
    """btree_gin serves only an `=` of the column's own type; a bare integer would leave the
    council out of the search's indexes."""
    actor = world["alpha"]["sw"]
    sql = str(child_selectors.child_list(actor=actor, search="smith").query)
    assert f'"referrals_child"."council_id" = ({actor.active_council_id})::bigint' in sql
