"""Records built once for a module (tests/once.py) stay as each test found them: a test's writes
and its changes to the objects are gone before the next test, and the module's records are gone
after the module.

The tests run in file order: the first changes everything it can, the next ones check that
nothing of it is left.
"""

from __future__ import annotations

import pytest
from django.db import connection

from shortbreaks.councils.models import Council, Role, Team, User
from tests.conftest import MARKER_A, build_two_councils
from tests.factories import CouncilFactory
from tests.once import built_once, fresh_copy

RENAMED = "Renamed by an earlier test"


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_two_councils)


@pytest.fixture
def world(db, _world_built):
    return fresh_copy(_world_built)


def assert_as_built(world):
    team = world["alpha"]["team"]
    assert team.name == f"Team {MARKER_A}"
    assert Team.objects.get(pk=team.pk).name == f"Team {MARKER_A}"
    assert not Team.objects.filter(name=RENAMED).exists()
    assert not User.objects.filter(username="added-by-a-test@council.example").exists()
    assert "added" not in world["alpha"]


def test_a_test_changes_rows_objects_and_the_dict(world):
    team = world["alpha"]["team"]
    team.name = RENAMED
    team.save()
    User.objects.create(username="added-by-a-test@council.example")
    world["alpha"]["added"] = True
    assert Team.objects.get(pk=team.pk).name == RENAMED


def test_the_next_test_sees_none_of_it(world):
    assert_as_built(world)


def test_the_records_are_built_as_the_application_role_and_tests_run_as_it(world):
    # The set-up ran under row-level security as each test's own set-up would; the test itself
    # runs as the application's role (tests/conftest.py `_as_application`).
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] != "postgres"
    assert set(world["alpha"]["people"]) == set(Role.values)
    assert Council.objects.filter(slug__in=["alpha", "bravo"]).count() == 2


@pytest.mark.database_owner
def test_a_test_marked_database_owner_runs_as_the_owner(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        current, session = cursor.fetchone()
    assert current == session


def test_after_every_other_test_the_records_are_still_as_built(world):
    assert_as_built(world)


def test_closing_rolls_back_what_was_built(db, django_db_blocker):
    gen = built_once(django_db_blocker, lambda: CouncilFactory(slug="built-for-a-while"))
    council = next(gen)
    assert Council.objects.filter(pk=council.pk).exists()
    gen.close()
    assert not Council.objects.filter(slug="built-for-a-while").exists()
