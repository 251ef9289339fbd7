"""One clock for the tests whose outcome would otherwise depend on the day they run.

Many tests mix fixed dates (a contract ending on 31 March 2027, a child born in 2014, a review due
in June 2025) with what the code reads as today (`timezone.localdate()`, `timezone.now()`,
`date.today()`). Such a test passes or fails with the calendar. These fixtures set the clock to
FROZEN_AT, in Europe/London, with the clock ticking on from there (so durations still pass).

Use in a test module:

    from tests.clock import frozen_today  # noqa: F401
    pytestmark = pytest.mark.usefixtures("frozen_today")

or `frozen_today_module` for a module whose module-scoped fixtures (the demo seed) must be made
on the frozen day too (it must come before them: list it in `usefixtures`, it is set up first).

Tests marked `worker` or `browser` drive other processes that keep the real clock; these fixtures
leave the clock alone for them, so a module may be frozen as a whole.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

LONDON = ZoneInfo("Europe/London")

# A Monday in the middle of a financial year, clear of month ends, clock changes and the
# thresholds the fixed dates in the tests sit near.
FROZEN_AT = datetime(2026, 6, 15, 10, 0, tzinfo=LONDON)
FROZEN_TODAY = FROZEN_AT.date()

_REAL_CLOCK_MARKERS = ("worker", "browser")


def london(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a day in Europe/London, for `time_machine.travel` or `move_to`."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _needs_real_clock(node) -> bool:
    return any(node.get_closest_marker(name) for name in _REAL_CLOCK_MARKERS)


@pytest.fixture
def frozen_today(request):
    """Today is FROZEN_TODAY (10:00 in London, ticking) for the test and its fixtures."""
    if _needs_real_clock(request.node):
        yield None
        return
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def frozen_today_module(request):
    """Today is FROZEN_TODAY for the whole module, its module-scoped fixtures included."""
    items = [i for i in request.session.items if i.getparent(pytest.Module) is request.node]
    if any(_needs_real_clock(item) for item in items):
        pytest.fail(
            f"{request.node.name} has worker or browser tests, which keep the real clock: "
            "freeze its other tests one by one with `frozen_today`."
        )
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


# Records built once for a module whose tests run on FROZEN_TODAY are made minutes before each
# test's clock starts, so whatever a test writes at its own time comes after them, as it did when
# each test built its own, and what a test writes at an earlier hour still comes before them.
BUILT_AT = FROZEN_AT - timedelta(minutes=5)


def on_frozen_day(build):
    """`build`, made to run on FROZEN_TODAY, just before the tests' own clock (BUILT_AT): for
    records built once for a module (tests/once.py) whose tests run under `frozen_today`."""

    def frozen_build():
        with time_machine.travel(BUILT_AT, tick=True):
            return build()

    return frozen_build
