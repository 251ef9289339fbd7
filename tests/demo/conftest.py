"""The demo seed, loaded once for every module of this folder rather than once for each.

Every module here reads the same seed, on the frozen day (tests/clock.py), and no test commits: the
seed is loaded in a transaction kept open while the folder's tests run and rolled back after the
last, and each test's own writes are rolled back before the next, as when each module loaded its
own. The seed is made just before the modules' own clock starts (`on_frozen_day`), so whatever a
test writes comes after it, as it did when the seed was loaded inside the module's frozen day.
"""

from __future__ import annotations

import pytest

from tests.clock import on_frozen_day
from tests.conftest import demo_seed_output, seeded_demo


@pytest.fixture(scope="package")
def demo_seeded(django_db_setup, django_db_blocker):
    """What `seed_demo` printed, the seed loaded on the frozen day once for the folder."""
    yield from seeded_demo(django_db_blocker, on_frozen_day(demo_seed_output))
