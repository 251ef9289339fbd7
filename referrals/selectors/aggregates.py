"""Aggregates for commissioners: counts, hours and costs, never a child's name or identifier."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count

from contracts.models import Contract, Lot
from providers.models import Provider, Service
from referrals.models import Child, ChildTier, Package, PackageLine, PackageStatus
from referrals.selectors.common import _today
from shortbreaks.pagination import PAGE_SIZE, NumberedPage, numbered_page
from shortbreaks.small_numbers import NOT_SHOWN, suppress_small_numbers

# The support running on a day, summed by the database in one pass over the council's package
# lines: one GROUPING SET a table (by service, by contract lot, by funding route) and the empty
# set for the totals. Each line's cost is worked out as `line_costs` does it (hours a week, or
# nights a year over 52 weeks, times the unit rate, each rounded to the penny half to even, as
# Python's Decimal rounds) before it is summed, so the sums are the pennies they always were.
# The labels are made as the tables show them; the tables sort by them in Python (`sorted`).
_HALF_EVEN = (
    "(round({x}, 2) - CASE WHEN {x} * 100 - floor({x} * 100) = 0.5 "
    "AND mod(floor({x} * 100), 2) = 0 THEN 0.01 ELSE 0 END)"
)
_SUPPORT_SQL = """
WITH line AS (
    SELECT
        l.package_id,
        p.child_id,
        l.funding_route,
        l.hours_per_week,
        l.nights_per_year,
        l.service_id,
        l.provider_id,
        l.lot_id,
        CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate
             ELSE l.nights_per_year * l.unit_rate / 52 END AS weekly,
        CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate * 52
             ELSE l.nights_per_year * l.unit_rate END AS yearly
    FROM {package} p
    JOIN {line} l ON l.package_id = p.id
    WHERE p.council_id = %(council)s
      -- A line and its package are one council's: saying so lets each be read from the
      -- council's own index rather than every council's table.
      AND l.council_id = %(council)s
      AND p.status = %(active)s
      AND l.start_on <= %(today)s
      AND (l.end_on IS NULL OR l.end_on >= %(today)s)
),
-- Grouped by the ids of the service and provider, and of the lot (numbers sort faster than the
-- labels); each group's label is made after, from its one service and provider, or lot and
-- contract.
grouped AS (
    SELECT
        GROUPING(service_id, lot_id, funding_route) AS grouped_by,
        service_id,
        provider_id,
        lot_id,
        funding_route,
        count(DISTINCT child_id) AS children,
        count(*) AS lines,
        count(DISTINCT package_id) AS packages,
        coalesce(sum(hours_per_week), 0) AS hours_per_week,
        coalesce(sum(nights_per_year), 0) AS nights_per_year,
        coalesce(sum({weekly}), 0) AS cost_per_week,
        coalesce(sum({yearly}), 0) AS cost_per_year
    FROM line
    GROUP BY GROUPING SETS ((service_id, provider_id), (lot_id), (funding_route), ())
)
SELECT
    g.grouped_by,
    s.title || ' (' || pr.name || ')' AS service_label,
    CASE WHEN lot.id IS NULL THEN 'No contract lot'
         ELSE coalesce(c.reference, '') || ' lot ' || lot.number || ': ' || lot.name
    END AS lot_label,
    g.funding_route,
    g.children, g.lines, g.packages, g.hours_per_week, g.nights_per_year, g.cost_per_week,
    g.cost_per_year
FROM grouped g
LEFT JOIN {service} s ON s.id = g.service_id
LEFT JOIN {provider} pr ON pr.id = g.provider_id
LEFT JOIN {lot} lot ON lot.id = g.lot_id
LEFT JOIN {contract} c ON c.id = lot.contract_id
"""
# GROUPING(service, lot, route) has a bit set for each column the row is not grouped by.
_BY_SERVICE, _BY_LOT, _BY_ROUTE, _TOTALS = 0b011, 0b101, 0b110, 0b111
_SUPPORT_COLUMNS = (
    "children",
    "lines",
    "packages",
    "hours_per_week",
    "nights_per_year",
    "cost_per_week",
    "cost_per_year",
)


def _support_sql() -> str:
    quote = connection.ops.quote_name
    return _SUPPORT_SQL.format(
        line=quote(PackageLine._meta.db_table),
        package=quote(Package._meta.db_table),
        service=quote(Service._meta.db_table),
        provider=quote(Provider._meta.db_table),
        lot=quote(Lot._meta.db_table),
        contract=quote(Contract._meta.db_table),
        weekly=_HALF_EVEN.format(x="weekly"),
        yearly=_HALF_EVEN.format(x="yearly"),
    )


def _support_running(*, council_id: int | None, today: date) -> dict[int, list[dict]]:
    """The support running on `today` in one council, each table's rows keyed by its grouping."""
    tables: dict[int, list[dict]] = defaultdict(list)
    if council_id is None:
        return tables
    with connection.cursor() as cursor:
        cursor.execute(
            _support_sql(),
            {"council": council_id, "active": PackageStatus.ACTIVE, "today": today},
        )
        for grouped_by, service, lot, route, *numbers in cursor.fetchall():
            label = {_BY_SERVICE: service, _BY_LOT: lot, _BY_ROUTE: route}.get(grouped_by)
            tables[grouped_by].append(
                {"label": label, **dict(zip(_SUPPORT_COLUMNS, numbers, strict=True))}
            )
    return tables


def _no_support() -> dict:
    return {
        "children": 0,
        "lines": 0,
        "packages": 0,
        "hours_per_week": Decimal(0),
        "nights_per_year": 0,
        "cost_per_week": Decimal(0),
        "cost_per_year": Decimal(0),
    }


def aggregates(*, actor, today: date | None = None) -> dict:
    """The actor's council's children counted by tier, and the support running on `today`:
    hours, nights and cost by service, by contract lot and by funding route, each with how many
    children it counts. Only labels and numbers leave here; the line query selects no column of
    the child's own table (the package's child id only, to count children once each). Every sum
    and count is the database's (three queries, however many lines). These are the exact numbers:
    what is published goes through `aggregates_labelled`."""
    council_id = actor.active_council_id if actor.is_authenticated else None
    return council_aggregates(council_id=council_id, today=today)


def council_aggregates(*, council_id: int | None, today: date | None = None) -> dict:
    """`aggregates` of one council (none: every count 0), for work outside a request too (the
    summary the support in numbers pages read, `referrals.summary`)."""
    today = _today(today)
    tier_counts = dict(
        Child.objects.for_council(council_id)
        .filter(merged_into__isnull=True)
        .values("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
    )
    package_counts = dict(
        Package.objects.for_council(council_id)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    tables = _support_running(council_id=council_id, today=today)
    [totals] = tables.get(_TOTALS) or [{"label": None, **_no_support()}]
    totals.pop("label")

    def table(grouped_by: int) -> list[dict]:
        return sorted(tables.get(grouped_by, []), key=lambda row: row["label"])

    return {
        "on": today,
        "children_by_tier": {tier: tier_counts.get(tier, 0) for tier in ChildTier.values},
        "packages_by_status": {
            status: package_counts.get(status, 0) for status in PackageStatus.values
        },
        "by_service": table(_BY_SERVICE),
        "by_lot": table(_BY_LOT),
        "by_funding_route": table(_BY_ROUTE),
        "totals": totals,
    }


SUPPORT_WITHHELD = (
    "packages",
    "lines",
    "hours_per_week",
    "nights_per_year",
    "cost_per_week",
    "cost_per_year",
)


def _table_page(
    rows: list[dict], read: NumberedPage | None, number: int | None, size: int
) -> tuple[list[dict], NumberedPage | None]:
    """A table's rows as published, and its page: the page read already, else page `number` of
    `rows`, else every row (no page)."""
    page = read
    if page is None and number is not None:
        page = numbered_page(rows, number=number, size=size)
    return (rows if page is None else page.rows), page


def aggregates_labelled(
    *,
    actor,
    today: date | None = None,
    service_page: int | None = None,
    size: int = PAGE_SIZE,
    exact: dict | None = None,
    services_read: NumberedPage | None = None,
    lot_page: int | None = None,
    lots_read: NumberedPage | None = None,
) -> dict:
    """`aggregates` (or the `exact` numbers given, a summary's) as it is published, in pages,
    the API and the export alike: labelled rows for tables and JSON (each count beside the name
    of its tier, status or funding route), and every cell that counts 1 to 4 children shown as
    "fewer than 5" with its hours and costs withheld (`suppress_small_numbers`). Still only
    labels and numbers.

    The table by service has a row for each service a council commissions, hundreds in a big
    council: with `service_page` it holds that page of `size` rows (`by_service_page` says which
    and whether more follow); without, every row (the export). Small numbers are suppressed row
    by row, so a page suppresses what the whole table does. `services_read` is a page the caller
    has read already (a summary's, read a page at a time), whatever `exact` holds by service.
    The table by contract lot, a row for each lot, is paged alike with `lot_page` or `lots_read`
    (`by_lot_page`); without either it is whole."""
    from referrals.models import FundingRoute

    data = exact if exact is not None else aggregates(actor=actor, today=today)
    routes = dict(FundingRoute.choices)

    def support(row: dict) -> dict:
        return suppress_small_numbers(row, children="children", withhold=SUPPORT_WITHHELD)

    by_service, page = _table_page(data["by_service"], services_read, service_page, size)
    by_lot, lots = _table_page(data["by_lot"], lots_read, lot_page, size)
    return {
        "on": data["on"],
        "children_by_tier": [
            suppress_small_numbers(
                {"tier": tier, "label": ChildTier(tier).label, "children": count},
                children="children",
            )
            for tier, count in data["children_by_tier"].items()
        ],
        # Each package is one child's, so a count of 1 to 4 packages is one of 1 to 4 children.
        "packages_by_status": [
            suppress_small_numbers(
                {"status": status, "label": PackageStatus(status).label, "packages": count},
                children="packages",
            )
            for status, count in data["packages_by_status"].items()
        ],
        "by_service": [support(row) for row in by_service],
        "by_lot": [support(row) for row in by_lot],
        "by_funding_route": [
            support(
                {
                    **row,
                    "funding_route": row["label"],
                    "label": routes.get(row["label"], row["label"]),
                }
            )
            for row in data["by_funding_route"]
        ],
        "totals": support(data["totals"]),
        "by_service_page": page,
        "by_lot_page": lots,
    }


# --- As CSV ---------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "children",
    "packages",
    "lines",
    "hours_per_week",
    "nights_per_year",
    "cost_per_week",
    "cost_per_year",
)
# A cell a spreadsheet would read as a formula (CSV injection): shown as text instead.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _csv_cell(row: dict, column: str) -> str:
    """A number as it is; a withheld one as the page words it; nothing for a column the table
    does not have."""
    value = row.get(column)
    if value is not None:
        return str(value)
    if column not in row or not row["suppressed"]:
        return ""
    return row["suppressed"] if column in ("children", "packages") else NOT_SHOWN


def aggregates_csv(data: dict) -> str:
    """`aggregates_labelled` (every row) as the CSV download gives it: a row for each row of each
    table, with the same small numbers withheld as the page."""
    tables = [
        ("Children by tier", data["children_by_tier"]),
        ("Packages by status", data["packages_by_status"]),
        ("By service", data["by_service"]),
        ("By contract lot", data["by_lot"]),
        ("By funding route", data["by_funding_route"]),
        ("All support running", [{**data["totals"], "label": "All"}]),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "label", *EXPORT_COLUMNS])
    for table, rows in tables:
        for row in rows:
            writer.writerow(
                [table, _csv_text(row["label"]), *(_csv_cell(row, c) for c in EXPORT_COLUMNS)]
            )
    return out.getvalue()
