"""Children's records built once for a test module (tests/per_module.py), on two councils."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tests.conftest import build_two_councils
from tests.per_module import build_once_for_module as once_for_module
from tests.referrals.builders import build_world

__all__ = ["built_for_module", "once_for_module"]


def built_for_module(
    request, django_db_blocker, build: Callable[[dict], dict] | None = None
) -> Iterator[dict]:
    """`build_world` on two councils, then `build(world)` if given, once for the requesting
    module (`once_for_module`: on FROZEN_TODAY when the module's tests run on it)."""

    def make() -> dict:
        world = build_world(build_two_councils())
        return build(world) if build else world

    yield from once_for_module(request, django_db_blocker, make)
