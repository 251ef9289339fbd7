"""The looked-after thresholds for overnight short breaks under s20.

A child placed overnight under s20 stays under the lighter short breaks regime only while no single
stay is longer than 17 consecutive nights and the total is at most 75 nights in any 12 months.
These functions work on plain dates so the same rule answers a form, a service and a report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

MAX_CONSECUTIVE_NIGHTS = 17
MAX_NIGHTS_IN_12_MONTHS = 75


@dataclass(frozen=True)
class OvernightWarning:
    kind: str  # "consecutive" or "twelve_months"
    nights: int
    message: str


def stay_nights(first_night: date, nights: int) -> list[date]:
    return [first_night + timedelta(days=n) for n in range(nights)]


def longest_run_through(nights: list[date], inside: set[date]) -> int:
    """The longest run of consecutive nights in sorted `nights` that touches `inside`."""
    best = run = 0
    touches = False
    previous: date | None = None
    for night in nights:
        if previous is not None and night == previous + timedelta(days=1):
            run += 1
        else:
            run, touches = 1, False
        touches = touches or night in inside
        if touches:
            best = max(best, run)
        previous = night
    return best


def window_start(night: date) -> date:
    """The first night of the 12 months that end with `night`."""
    return night - relativedelta(months=12) + timedelta(days=1)


def most_nights_in_12_months(nights: list[date], inside: set[date]) -> int:
    """The most nights in any 12 months that hold a night of `inside`. `nights` is sorted."""
    if not inside:
        return 0
    first, last = min(inside), max(inside)
    best = 0
    # A window's count only rises at a night, so it is enough to look at windows ending on a
    # night from the first new one to 12 months after the last.
    limit = last + relativedelta(months=12)
    for end in nights[bisect_left(nights, first) : bisect_right(nights, limit)]:
        if window_start(end) > last:
            break
        count = bisect_right(nights, end) - bisect_left(nights, window_start(end))
        best = max(best, count)
    return best


def overnight_warnings(existing: Iterable[date], new: Iterable[date]) -> list[OvernightWarning]:
    """What recording `new` nights alongside `existing` would pass, in words; empty when none."""
    new_set = set(new)
    nights = sorted(set(existing) | new_set)
    warnings = []
    run = longest_run_through(nights, new_set)
    if run > MAX_CONSECUTIVE_NIGHTS:
        warnings.append(
            OvernightWarning(
                "consecutive",
                run,
                f"This stay would make {run} consecutive nights, more than "
                f"{MAX_CONSECUTIVE_NIGHTS}: the child would become looked after under the full "
                "regime.",
            )
        )
    total = most_nights_in_12_months(nights, new_set)
    if total > MAX_NIGHTS_IN_12_MONTHS:
        warnings.append(
            OvernightWarning(
                "twelve_months",
                total,
                f"This stay would make {total} nights in 12 months, more than "
                f"{MAX_NIGHTS_IN_12_MONTHS}: the child would become looked after under the full "
                "regime.",
            )
        )
    return warnings
