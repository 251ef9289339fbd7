"""Fixtures a folder's conftest.py (or a module) uses to build its records once per test module
(tests/once.py), with the cases where that cannot hold handled for it.

    _two_councils_built, two_councils = two_councils_per_module()
    _world_built, world = world_per_module(build_world, media=True)

`two_councils` is then `build_two_councils()` made once for each module: built on the frozen day
when the module's tests run on it (tests/clock.py), and built for each test, as before, in a
module that holds transactional tests (they must not run inside the module's open transaction)
or loads the demo seed (which seeds every council there is). `world` then follows it.

`world_per_module(build, name="world")` gives a `world` fixture built once per module by
`build(two_councils)` on the module's `two_councils`. With `media=True` the files it uploads
are kept in a directory of the module's own, and each test's MEDIA_ROOT points there.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import nullcontext

import pytest
from django.test import override_settings

from tests.clock import on_frozen_day
from tests.conftest import build_two_councils
from tests.once import built_once, fresh_copy

TRANSACTIONAL_FIXTURES = frozenset(
    {"transactional_db", "live_server", "django_db_serialized_rollback"}
)
FROZEN_FIXTURES = frozenset({"frozen_today", "frozen_today_module"})
_MEDIA_ROOT = "per_module_media_root"


def is_transactional(item) -> bool:
    """The test commits (or runs as the tables' owner): it cannot run inside a module's records."""
    marker = item.get_closest_marker("django_db")
    return bool(
        TRANSACTIONAL_FIXTURES & set(item.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
        or item.get_closest_marker("worker")
        or item.get_closest_marker("database_owner")
    )


def _module_items(request) -> list:
    module = request.node.getparent(pytest.Module)
    return [item for item in request.session.items if item.getparent(pytest.Module) is module]


def module_must_build_per_test(request) -> bool:
    """Transactional tests, or the demo seed (it seeds every council there is, the module's
    too): the module's tests build their own records, as before."""
    return any(
        is_transactional(item) or "demo_seeded" in item.fixturenames
        for item in _module_items(request)
    )


def module_runs_on_frozen_day(request) -> bool:
    return any(FROZEN_FIXTURES & set(item.fixturenames) for item in _module_items(request))


def build_once_for_module(request, django_db_blocker, build: Callable):
    """`built_once` for a module-scoped fixture, on the frozen day if the module runs on it."""
    if module_runs_on_frozen_day(request):
        build = on_frozen_day(build)
    return built_once(django_db_blocker, build)


def two_councils_per_module():
    """`_two_councils_built` (module) and `two_councils` (each test's fresh copy)."""

    @pytest.fixture(scope="module", name="_two_councils_built")
    def built(request, django_db_setup, django_db_blocker):
        if module_must_build_per_test(request):
            yield None
            return
        yield from build_once_for_module(request, django_db_blocker, build_two_councils)

    @pytest.fixture(name="two_councils")
    def two_councils(request, db, _two_councils_built):
        if _two_councils_built is None:
            return build_two_councils(
                request.getfixturevalue("council_a"), request.getfixturevalue("council_b")
            )
        return fresh_copy(_two_councils_built)

    return built, two_councils


def world_per_module(build: Callable[[dict], dict], *, name: str = "world", media: bool = False):
    """`_<name>_built` (module) and `<name>` (each test's fresh copy) of `build(two_councils)`."""

    @pytest.fixture(scope="module", name=f"_{name}_built")
    def built(request, django_db_blocker, _two_councils_built, tmp_path_factory):
        if _two_councils_built is None:
            yield None
            return
        media_root = str(tmp_path_factory.mktemp("media")) if media else None
        settings = override_settings(MEDIA_ROOT=media_root) if media else nullcontext()
        with settings:
            for world in build_once_for_module(
                request, django_db_blocker, lambda: build(fresh_copy(_two_councils_built))
            ):
                yield {"world": world, _MEDIA_ROOT: media_root}

    def world(db, settings, two_councils, **built_fixture):
        (once,) = built_fixture.values()
        if once is None:
            return build(two_councils)
        if once[_MEDIA_ROOT]:
            settings.MEDIA_ROOT = once[_MEDIA_ROOT]
        return fresh_copy(once["world"])

    # The module's records are asked for by name, so that they are built before the test's own
    # transaction opens (a fixture asked for later would be built inside it, and rolled back).
    world.__signature__ = _with_parameters(
        world, "db", "settings", "two_councils", f"_{name}_built"
    )
    return built, pytest.fixture(world, name=name)


def _with_parameters(function, *names: str) -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.signature(function).replace(
        parameters=[inspect.Parameter(name, kind) for name in names]
    )
