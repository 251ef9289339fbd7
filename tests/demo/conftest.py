"""The demo seed, read by every module of this folder on the frozen day (tests/clock.py).

The seed is made just before the modules' own clock starts (`on_frozen_day`), so whatever a test
writes comes after it, and held for the folder's tests in a transaction rolled back after the
last (tests/demo_db.py); each test's own writes are rolled back before the next.
"""

from __future__ import annotations

import pytest

from tests import demo_db
from tests.conftest import demo_seed_output


@pytest.fixture(scope="package")
def demo_seeded(demo_copies, django_db_blocker):
    """What `seed_demo` printed, the seed made on the frozen day."""
    yield from demo_db.seeded_demo(django_db_blocker, demo_seed_output, frozen=True)
