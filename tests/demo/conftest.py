"""The demo seed, loaded once for every module of this folder rather than once for each.

Every module here reads the same seed, on the frozen day (tests/clock.py), and no test commits: the
seed is loaded in a transaction kept open while the folder's tests run and rolled back after the
last, and each test's own writes are rolled back before the next, as when each module loaded its
own. The seed is made just before the modules' own clock starts (`on_frozen_day`), so whatever a
test writes comes after it, as it did when the seed was loaded inside the module's frozen day.
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.clock import on_frozen_day


class _RollBack(Exception):
    pass


@pytest.fixture(scope="package")
def demo_seeded(django_db_setup, django_db_blocker):
    """What `seed_demo` printed, the seed loaded on the frozen day once for the folder."""
    previous = os.environ.get("DEMO_PASSWORD")
    os.environ["DEMO_PASSWORD"] = "a-test-demo-password"
    try:
        with django_db_blocker.unblock():
            try:
                with transaction.atomic():
                    yield on_frozen_day(_seed)()
                    raise _RollBack
            except _RollBack:
                pass
    finally:
        if previous is None:
            os.environ.pop("DEMO_PASSWORD", None)
        else:
            os.environ["DEMO_PASSWORD"] = previous


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()
