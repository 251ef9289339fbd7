"""Spend that later apps record, for the spend pages of earlier ones.

Dependencies point one way (providers <- contracts <- referrals <- ...), so the spend page in
`contracts` cannot import the apps that record payments. Those apps register a source here when
they start (`AppConfig.ready`), and the spend page asks for every registered source's totals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shortbreaks.small_numbers import is_small


@dataclass(frozen=True)
class SpendSource:
    """`totals(council)` gives the amount spent by financial year (the year it starts)."""

    package_type: str
    label: str
    totals: Callable[..., dict[int, Decimal]]


_SOURCES: dict[str, SpendSource] = {}


def register(source: SpendSource) -> None:
    _SOURCES[source.label] = source


def recorded_spend(*, council) -> list[tuple[SpendSource, dict[int, Decimal]]]:
    """Each registered source with its totals for the council, one query or two each."""
    return [(source, source.totals(council=council)) for source in _SOURCES.values()]


@dataclass(frozen=True)
class MonthlySpendSource:
    """`by_month(council=, first=, last=)` gives the amount spent in each month from `first` to
    `last` (first days of months), in one query; a month with nothing may be missing."""

    label: str
    by_month: Callable[..., dict]


_MONTHLY: dict[str, MonthlySpendSource] = {}


def register_monthly(source: MonthlySpendSource) -> None:
    _MONTHLY[source.label] = source


def spend_by_month(*, council, first, last) -> list[tuple[MonthlySpendSource, dict]]:
    """Each registered monthly source with its amounts by month for the council, a query each."""
    return [
        (source, source.by_month(council=council, first=first, last=last))
        for source in _MONTHLY.values()
    ]


def published_spend_by_month(*, council, months: list) -> list[dict]:
    """Each monthly source's amount in each of `months` (first days, oldest first) as it may be
    published: None where the month's amount was for 1 to 4 children (`small_numbers`), so a
    chart or table never shows what one recognisable child's support cost."""
    published = []
    for source, amounts in spend_by_month(council=council, first=months[0], last=months[-1]):
        values = []
        for month in months:
            cell = amounts.get(month)
            if cell is None:
                values.append(Decimal(0))
            elif is_small(cell["children"]):
                values.append(None)
            else:
                values.append(cell["amount"] or Decimal(0))
        published.append({"label": source.label, "values": values})
    return published


# A later app may keep the monthly spend summarised (`referrals.summary`), so a page reads it back
# in a query or two whatever the council holds, instead of working it out from every record.
# `reader(actor=)` gives {"months": [...], "sources": [{"label", "values"}], "as_at": datetime}
# as `published_spend_by_month` publishes it, or None for no council.
_SUMMARY_READERS: list[Callable[..., dict | None]] = []


def register_summary(reader: Callable[..., dict | None]) -> None:
    _SUMMARY_READERS[:] = [reader]


def summarised_spend_by_month(*, actor) -> dict | None:
    """The registered summary's monthly spend for the actor's council; None when no summary is
    registered or there is no council."""
    if not _SUMMARY_READERS:
        return None
    return _SUMMARY_READERS[0](actor=actor)
