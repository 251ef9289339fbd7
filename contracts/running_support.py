"""The support running on a contract's lots, for the register's overrun.

Dependencies point one way (providers <- contracts <- referrals <- ...), so the register cannot
import the packages whose lines run on its lots. `referrals` registers, when it starts
(`AppConfig.ready`), the query of the lines running on a day; the register counts those on each
contract's lots (`lot__contract`) and costs them (`start_on`, `end_on`, `cost_per_year`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

_SOURCE: dict[str, Callable[..., QuerySet]] = {}


def register(lines_running_on: Callable[..., QuerySet]) -> None:
    """`lines_running_on(today=)`: the lines of support in force that have not ended by then."""
    _SOURCE["lines_running_on"] = lines_running_on


def lines_running_on(*, today: date) -> QuerySet:
    try:
        source = _SOURCE["lines_running_on"]
    except KeyError:
        raise ImproperlyConfigured(
            "No app registered the support running on contracts' lots (referrals does)."
        ) from None
    return source(today=today)
