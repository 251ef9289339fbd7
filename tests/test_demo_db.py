"""A seed read by many modules (tests/demo_db.py) is made once, in a copy of the test database, and
each module that reads it finds it as seeded: what one module wrote is gone before the next, the
seed never reaches the test database itself, and what the seed queued for after its commit never
runs.

Each test here plays two modules in turn with a small seed of its own, so it runs outside any test
transaction, as a module's fixtures do: a transactional test, which commits nothing itself.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from shortbreaks.councils.models import Council
from tests import demo_db
from tests.factories import CouncilFactory

SEEDED = "Seeded council"
WRITTEN = "Written by a module"
after_commit: list[str] = []
pytestmark = pytest.mark.django_db(transaction=True)
seeds_made: list[str] = []


def small_seed() -> str:
    seeds_made.append("seed")
    CouncilFactory(slug="seeded", name=SEEDED)
    transaction.on_commit(lambda: after_commit.append("ran"))
    return "what the seed printed"


def read_as_a_module(django_db_blocker, write: bool = False) -> dict:
    """What a module reading the seed sees (and, if asked, its own write), as its fixture gives
    it; the transaction is rolled back when it ends, as at a module's end."""
    seen = {}
    for output in demo_db.seeded_demo(django_db_blocker, small_seed, frozen=False):
        with django_db_blocker.unblock():
            seen = {
                "output": output,
                "database": connection.settings_dict["NAME"],
                "names": set(Council.objects.values_list("name", flat=True)),
            }
            if write:
                CouncilFactory(slug="written", name=WRITTEN)
    return seen


@pytest.fixture
def own_database(django_db_setup, django_db_blocker, demo_copies):
    name = connection.settings_dict["NAME"]
    yield name
    with django_db_blocker.unblock():
        demo_db.drop_copies(small_seed)


def test_the_seed_is_made_once_and_each_module_finds_it_as_seeded(own_database, django_db_blocker):
    seeds_made.clear()
    first = read_as_a_module(django_db_blocker, write=True)
    second = read_as_a_module(django_db_blocker)

    assert seeds_made == ["seed"]
    assert first["output"] == second["output"] == "what the seed printed"
    assert first["database"] == second["database"] != own_database
    assert SEEDED in first["names"]
    assert second["names"] == first["names"]  # the first module's own write is gone
    assert WRITTEN not in second["names"]


def test_the_test_database_never_holds_the_seed_and_after_commit_work_never_runs(
    own_database, django_db_blocker
):
    after_commit.clear()
    read_as_a_module(django_db_blocker)

    assert connection.settings_dict["NAME"] == own_database
    with django_db_blocker.unblock():
        assert not Council.objects.filter(name__in=[SEEDED, WRITTEN]).exists()
    assert after_commit == []


def test_inside_an_open_transaction_the_module_seeds_its_own_and_rolls_it_back(
    own_database, django_db_blocker
):
    seeds_made.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        seen = read_as_a_module(django_db_blocker)
        assert seen["database"] == own_database
        assert SEEDED in seen["names"]
        assert not Council.objects.filter(name=SEEDED).exists()
    assert seeds_made == ["seed"]


def failing_seed() -> str:
    CouncilFactory(slug="half-seeded", name=SEEDED)
    raise RuntimeError("the seed failed half way")


def _seeded_copies(own_database: str) -> list[str]:
    """This process's seeded copies (another test process makes and drops its own meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return sorted(name for (name,) in cursor if name.startswith(f"{own_database}_seeded_"))


def test_a_seed_that_fails_half_way_leaves_no_copy_and_its_error_is_the_modules(
    own_database, django_db_blocker
):
    with django_db_blocker.unblock():
        before = _seeded_copies(own_database)
    with pytest.raises(RuntimeError, match="half way"):
        for _output in demo_db.seeded_demo(django_db_blocker, failing_seed, frozen=False):
            pass
    assert connection.settings_dict["NAME"] == own_database
    with django_db_blocker.unblock():
        assert _seeded_copies(own_database) == before
        assert not Council.objects.filter(slug="half-seeded").exists()
