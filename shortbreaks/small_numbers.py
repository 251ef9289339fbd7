"""Small numbers: what is published about children never counts fewer than five of them.

A count of 1 to 4 children is shown as "fewer than 5", and whatever else the same cell says about
those children (their packages, hours, nights and cost) is withheld: beside a count that small it
describes someone who can be recognised. 0 stays 0, since it tells of no one. Pages, the API and
exports all publish through `suppress_small_numbers`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

THRESHOLD = 5
FEWER_THAN = "fewer than 5"
NOT_SHOWN = "not shown"


def is_small(count: int | None) -> bool:
    """1 to 4: a count that could point to a child."""
    return count is not None and 0 < count < THRESHOLD


def suppress_small_numbers(
    row: Mapping[str, object], *, children: str, withhold: Sequence[str] = ()
) -> dict:
    """`row` as it may be published. When its `children` count is 1 to 4, that count and every
    field in `withhold` become None and `suppressed` is "fewer than 5"; otherwise the row is as it
    was and `suppressed` is empty."""
    published = dict(row)
    small = is_small(row[children])  # type: ignore[arg-type]
    if small:
        for name in (children, *withhold):
            published[name] = None
    published["suppressed"] = FEWER_THAN if small else ""
    return published
