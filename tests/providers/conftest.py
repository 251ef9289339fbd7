"""Fixtures the providers tests share."""

import pytest

from shortbreaks.councils.models import Role
from tests.builders import make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B, build_two_councils
from tests.once import built_once, fresh_copy


def build_world() -> dict:
    """two_councils, plus a provider with a service in each council, named after its marker."""
    two_councils = build_two_councils()
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        provider = make_provider(commissioner, name=f"Provider {marker}")
        service = make_service(commissioner, provider, title=f"Service {marker}")
        two_councils[slug]["provider"] = provider
        two_councils[slug]["service"] = service
    return two_councils


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_world)


@pytest.fixture
def world(db, _world_built):
    """`build_world`, built once for each module that uses it (the role matrices run hundreds of
    cases); each test rolls back its own writes and gets its own copy of the objects. A module
    that needs other records defines its own `world`."""
    return fresh_copy(_world_built)
