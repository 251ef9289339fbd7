"""Fixtures the children's records tests share.

`world` is built once for each module (tests/referrals/once.py): each test gets its own copy of
the objects and a savepoint, so what one test writes is gone before the next. A module that needs
more records overrides `_world_built` with its own builder:

    @pytest.fixture(scope="module")
    def _world_built(request, django_db_setup, django_db_blocker):
        yield from built_for_module(request, django_db_blocker, build_my_world)

where `build_my_world(world)` adds to the world `build_world` made. Tests that run in their own
transaction (`transaction=True`) live in modules that build nothing once.
"""

from __future__ import annotations

import pytest

from tests.conftest import build_two_councils
from tests.once import fresh_copy
from tests.referrals.builders import build_world_with_second_manager
from tests.referrals.once import built_for_module


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker)


@pytest.fixture
def world(db, _world_built):
    """Two councils, and in each a social worker's child, a commissioned offer and the people in
    every role (tests/referrals/builders.build_world), built once for the module."""
    return fresh_copy(_world_built)


@pytest.fixture(scope="module")
def _world_with_second_manager_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_world_with_second_manager)


@pytest.fixture
def world_with_second_manager(db, _world_with_second_manager_built):
    """`world`, with a second team manager in alpha (`world["alpha"]["tm2"]`), for the rule that
    the one who decides is not the one who recorded."""
    return fresh_copy(_world_with_second_manager_built)


@pytest.fixture
def two_councils(request):
    """For a test that has the module's world: its councils, teams and people (the same objects),
    since another pair of the same councils cannot be made beside it. Otherwise two councils made
    for the test, as everywhere else (tests/conftest.py)."""
    for built, name in (
        ("_world_with_second_manager_built", "world_with_second_manager"),
        ("_world_built", "world"),
    ):
        if built in request.fixturenames:
            world = request.getfixturevalue(name)
            return {
                slug: {key: world[slug][key] for key in ("council", "team", "people")}
                for slug in ("alpha", "bravo")
            }
    council_a = request.getfixturevalue("council_a")
    council_b = request.getfixturevalue("council_b")
    return build_two_councils(council_a, council_b)
