"""Package lines running past their contract's end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts import running_support
from contracts.models import (
    Contract,
    ContractStatus,
    expired_on,
)

# ----------------------------------------------------------------------------------------------
# Overrunning: expired, with support still running on the contract's lots


def lines_running_on(*, today: date) -> QuerySet:
    """Package lines of packages in force that have not ended by `today` (the query `referrals`
    registers in `contracts.running_support`)."""
    return running_support.lines_running_on(today=today)


def with_overrun(contracts: QuerySet[Contract], *, today: date) -> QuerySet[Contract]:
    """Each contract with `overrunning_lines`: how many package lines still run on its lots on
    `today` when it has expired (recorded or not), else 0. It ends when an extension is approved
    (the end date moves), or the lines end or move to another contract's lot."""
    running = (
        lines_running_on(today=today)
        .filter(lot__contract=OuterRef("pk"))
        .order_by()
        .values("lot__contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return contracts.annotate(
        overrunning_lines=Case(
            When(expired_on(today), then=Coalesce(Subquery(running), 0)),
            default=0,
            output_field=IntegerField(),
        )
    )


def contract_overrunning_lines(*, contract: Contract, today: date | None = None) -> int:
    """`overrunning_lines` of one contract read without `with_overrun` (one query at most)."""
    today = today or timezone.localdate()
    if contract.status_on(today) != ContractStatus.EXPIRED:
        return 0
    return lines_running_on(today=today).filter(lot__contract=contract).count()


@dataclass(frozen=True)
class Overrun:
    lines: int
    since: date
    days: int
    value_at_risk: Decimal


def overrun_of(lines: Iterable, *, end_date: date, start: date, until: date) -> Overrun | None:
    """How support ran on past a contract's end between `start` and `until` (inclusive): the
    lines, since when, the days and their cost pro rata (a year's cost over 365 days)."""
    first_day = max(end_date + timedelta(days=1), start)
    count, since, value = 0, None, Decimal(0)
    for line in lines:
        line_from = max(first_day, line.start_on)
        line_to = min(until, line.end_on) if line.end_on else until
        if line_to < line_from:
            continue
        count += 1
        since = line_from if since is None else min(since, line_from)
        value += line.cost_per_year * ((line_to - line_from).days + 1) / 365
    if not count:
        return None
    return Overrun(
        lines=count,
        since=since,
        days=(until - since).days + 1,
        value_at_risk=value.quantize(Decimal("0.01")),
    )


def contract_overrun(*, actor, contract: Contract, today: date | None = None) -> Overrun | None:
    """How a contract (one the actor reads) overruns today, or None: for its page."""
    today = today or timezone.localdate()
    if contract.status_on(today) != ContractStatus.EXPIRED:
        return None
    lines = lines_running_on(today=today).filter(lot__contract=contract).order_by()
    return overrun_of(lines, end_date=contract.end_date, start=contract.end_date, until=today)
