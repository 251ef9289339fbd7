"""Children's records built once for a test module (tests/once.py), on two councils."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest
import time_machine

from tests.clock import FROZEN_AT
from tests.conftest import build_two_councils
from tests.once import built_once
from tests.referrals.builders import build_world

T = TypeVar("T")

# Records built once for a module whose tests run on FROZEN_TODAY are made minutes before each
# test's clock starts, so whatever a test writes at its own time comes after them, as it did when
# each test built its own, and what a test writes at an earlier hour still comes before them.
BUILT_AT = FROZEN_AT - timedelta(minutes=5)


def _module_runs_on_the_frozen_day(request) -> bool:
    items = [i for i in request.session.items if i.getparent(pytest.Module) is request.node]
    return any("frozen_today" in item.fixturenames for item in items)


def once_for_module(request, django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """`built_once(django_db_blocker, build)` for the requesting module (a module-scoped
    fixture's `request`), on FROZEN_TODAY when the module's tests run on it."""

    def on_frozen_day() -> T:
        with time_machine.travel(BUILT_AT, tick=True):
            return build()

    frozen = _module_runs_on_the_frozen_day(request)
    yield from built_once(django_db_blocker, on_frozen_day if frozen else build)


def built_for_module(
    request, django_db_blocker, build: Callable[[dict], dict] | None = None
) -> Iterator[dict]:
    """`build_world` on two councils, then `build(world)` if given, once for the requesting
    module (`once_for_module`)."""

    def make() -> dict:
        world = build_world(build_two_councils())
        return build(world) if build else world

    yield from once_for_module(request, django_db_blocker, make)
