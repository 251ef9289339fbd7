"""Support in numbers, summarised: what its page, its CSV and its API read.

Working the figures out from a big council's records takes a second or more (the months of a
million package lines, 300,000 delivery records); reading them back from the summary takes one
small query, or two with the months, whatever the council holds.

- `summary_refresh` works one council's figures out in the database and replaces its summary:
  the months by one `INSERT ... SELECT` grouped by month (`ON CONFLICT` updates a month already
  there), the support running today by `council_aggregates`' query.
- The periodic task `referrals.refresh_support_summaries` (settings' CELERY_BEAT_SCHEDULE) does so
  for every council, each in its own scope, every hour.
- The first read for a council with no summary (a new council), or with one worked out before
  today, works it out there and then, so the figures are never older than a day whatever the
  task does. The page says when they were worked out ("figures as at").

The summary keeps the exact numbers; small numbers are withheld as they are read, by the same
functions as the live figures (`referrals.trends`, `selectors.aggregates`), so what is published
is what the live figures would publish at the time of the summary. The one exception is the CSV
download, written out with the summary (`running_csv`) by those same functions, so a download
costs a read, not a row's work for each of hundreds of services. The spend page reads each source
of spend's months from here too (`published_spend`). The tables are council-owned,
so row-level security locks them as every other (docs/decisions/0009).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Func, JSONField, TextField, Value
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

from referrals import trends
from referrals.models import (
    Child,
    ChildTier,
    DeliveryRecord,
    OvernightStay,
    Package,
    PackageLine,
    PackageStatus,
    SupportSummary,
    SupportSummaryMonth,
)
from referrals.selectors import aggregates as aggregate_selectors
from shortbreaks import rls
from shortbreaks.charts import last_months
from shortbreaks.pagination import PAGE_SIZE, NumberedPage
from shortbreaks.small_numbers import is_small
from shortbreaks.spend_sources import spend_by_month

# The first key of the advisory lock one council's refresh holds (the council's id is the second):
# two refreshes of one council at once (the task and a first read) take turns.
REFRESH_LOCK = 5255

# Each of the 24 months: children by tier (their tier now), hours delivered and the children they
# were for, nights away and the children who had them, counted by `referrals.trends`' own
# queries; each source of spend's amount comes in as one JSON parameter, keyed by month.
_MONTHS_SQL = """
INSERT INTO {summary} AS s (council_id, month, children_universal, children_targeted,
    children_specialist, hours_delivered, hours_children, nights, nights_children, spend,
    refreshed_at)
SELECT %(council)s, m.month,
       coalesce(c.universal, 0), coalesce(c.targeted, 0), coalesce(c.specialist, 0),
       coalesce(d.hours, 0), coalesce(d.children, 0),
       coalesce(n.nights, 0), coalesce(n.children, 0),
       coalesce(%(spend)s::jsonb -> to_char(m.month, 'YYYY-MM-DD'), '{{}}'::jsonb),
       %(now)s
FROM (SELECT generate_series(%(first)s::date, %(last)s::date, interval '1 month')::date AS month) m
LEFT JOIN (
    SELECT month,
           sum(children) FILTER (WHERE tier = %(universal)s) AS universal,
           sum(children) FILTER (WHERE tier = %(targeted)s) AS targeted,
           sum(children) FILTER (WHERE tier = %(specialist)s) AS specialist
    FROM ({children}) AS tiers(month, tier, children)
    GROUP BY month
) c ON c.month = m.month
LEFT JOIN ({delivered}) AS d(month, hours, children) ON d.month = m.month
LEFT JOIN (
    SELECT date_trunc('month', night)::date, count(*), count(DISTINCT child_id)
    FROM {stay}
    WHERE council_id = %(council)s AND night >= %(first)s AND night <= %(today)s
    GROUP BY 1
) AS n(month, nights, children) ON n.month = m.month
ON CONFLICT (council_id, month) DO UPDATE SET
    children_universal = EXCLUDED.children_universal,
    children_targeted = EXCLUDED.children_targeted,
    children_specialist = EXCLUDED.children_specialist,
    hours_delivered = EXCLUDED.hours_delivered,
    hours_children = EXCLUDED.hours_children,
    nights = EXCLUDED.nights,
    nights_children = EXCLUDED.nights_children,
    spend = EXCLUDED.spend,
    refreshed_at = EXCLUDED.refreshed_at
"""


def _months_sql() -> str:
    quote = connection.ops.quote_name
    return _MONTHS_SQL.format(
        summary=quote(SupportSummaryMonth._meta.db_table),
        children=trends._CHILDREN_SQL.format(
            month_run=trends._MONTH_RUN,
            line=quote(PackageLine._meta.db_table),
            package=quote(Package._meta.db_table),
            child=quote(Child._meta.db_table),
        ),
        delivered=trends._DELIVERED_SQL.format(
            delivery=quote(DeliveryRecord._meta.db_table),
            line=quote(PackageLine._meta.db_table),
            package=quote(Package._meta.db_table),
        ),
        stay=quote(OvernightStay._meta.db_table),
    )


def _spend_by_month(council, months: list[date]) -> tuple[list[str], dict]:
    """Each source of spend's exact amount and children by month, as the months' JSON."""
    labels, by_month = [], {}
    for source, amounts in spend_by_month(council=council, first=months[0], last=months[-1]):
        labels.append(source.label)
        for month, cell in amounts.items():
            by_month.setdefault(month.isoformat(), {})[source.label] = {
                "amount": str(cell["amount"] or Decimal(0)),
                "children": cell["children"] or 0,
            }
    return labels, by_month


def summary_refresh(
    *, council_id: int, now: datetime | None = None, if_stale: bool = False
) -> SupportSummary:
    """Work one council's support in numbers out again and keep it, replacing what was kept
    (four queries for the figures, a few to keep them). Runs in the council's scope. With
    `if_stale`, a summary worked out today (by another process while this one waited for the
    lock) is kept as it is."""
    from shortbreaks.councils.models import Council

    now = now or timezone.now()
    today = timezone.localdate(now)
    months = last_months(today, trends.MONTHS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REFRESH_LOCK, council_id])
        if if_stale:
            kept = SupportSummary.objects.filter(council_id=council_id, on__gte=today).first()
            if kept is not None:
                return kept
        council = Council.objects.get(pk=council_id)
        labels, spend = _spend_by_month(council, months)
        running = aggregate_selectors.council_aggregates(council_id=council_id, today=today)
        # As the column gives it back (dates and decimals as text), so a summary just worked out
        # reads as one read from the table.
        running = json.loads(json.dumps(running, cls=DjangoJSONEncoder))
        running_csv = aggregate_selectors.aggregates_csv(
            aggregate_selectors.aggregates_labelled(actor=None, exact=_running_exact(running))
        )
        with connection.cursor() as cursor:
            cursor.execute(
                _months_sql(),
                {
                    "council": council_id,
                    "first": months[0],
                    "last": months[-1],
                    "today": today,
                    "now": now,
                    "spend": json.dumps(spend),
                    "active": PackageStatus.ACTIVE,
                    "ceased": PackageStatus.CEASED,
                    "universal": ChildTier.UNIVERSAL,
                    "targeted": ChildTier.TARGETED,
                    "specialist": ChildTier.SPECIALIST,
                },
            )
        SupportSummaryMonth.objects.filter(council_id=council_id).exclude(
            month__gte=months[0], month__lte=months[-1]
        ).delete()
        summary, _ = SupportSummary.objects.update_or_create(
            council_id=council_id,
            defaults={
                "refreshed_at": now,
                "on": today,
                "first_month": months[0],
                "running": running,
                "running_csv": running_csv,
                "spend_sources": labels,
            },
        )
    return summary


def support_summaries_refresh() -> int:
    """Every council's summary worked out again, each in its own scope (the periodic task)."""
    from shortbreaks.councils.models import Council

    council_ids = list(Council.objects.order_by("pk").values_list("pk", flat=True))
    for council_id in council_ids:
        with rls.council_scope(council_id):
            summary_refresh(council_id=council_id)
    return len(council_ids)


def _council_id(actor) -> int | None:
    return actor.active_council_id if actor.is_authenticated else None


def summary_for(
    *,
    actor,
    running: bool = True,
    csv: bool = False,
    services: tuple[int, int] | None = None,
    lots: int | None = None,
) -> SupportSummary | None:
    """The actor's council's summary (one query), worked out first when there is none or it was
    worked out before today. None for no council.

    What is read of it: without `running`, none of the support running (a row for each service,
    the biggest part); with `services` (page, size), all of it but the table by service, of which
    only that page (and one row more, to know whether a next follows) as `services_read`, and
    with `lots` (a page number) too, that page of the table by contract lot, of the same size, as
    `lots_read`; with `csv`, the support running as CSV too."""
    council_id = _council_id(actor)
    if council_id is None:
        return None
    kept = SupportSummary.objects.filter(council_id=council_id)
    if not csv:
        kept = kept.defer("running_csv")
    if not running:
        kept = kept.defer("running")
    elif services is not None:
        kept = _services_page(kept.defer("running"), *services, lots=lots)
    summary = kept.first()
    if summary is None or summary.on < timezone.localdate():
        summary = summary_refresh(council_id=council_id, if_stale=True)
    return summary


# The summary's support running without its table by service (and by lot), and one page of each
# (one row more, to know whether a next follows), taken out of the JSON by the database: a page
# costs the same whatever the council commissions.
def _table_page(table: str, offset: int, size: int) -> Func:
    """Rows `offset` to `offset + size` of one of the support running's tables (one more than a
    page), taken out of the JSON by the database."""
    return Func(
        F("running"),
        Func(Value(f"$.{table}[$first to $last]"), template="%(expressions)s::jsonpath"),
        JSONObject(first=Value(offset), last=Value(offset + size)),
        function="jsonb_path_query_array",
        output_field=JSONField(),
    )


def _services_page(kept, page: int, size: int, *, lots: int | None = None):
    paged = ["by_service", "by_lot"] if lots else ["by_service"]
    read = {"services_read": _table_page("by_service", (page - 1) * size, size)}
    if lots:
        read["lots_read"] = _table_page("by_lot", (lots - 1) * size, size)
    return kept.annotate(
        running_head=Func(
            F("running"),
            *(Cast(Value(table), TextField()) for table in paged),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=JSONField(),
        ),
        **read,
    )


def support_csv(*, actor) -> tuple[date, str]:
    """The day and the CSV of the support running, as the actor's council's summary keeps it
    (one query); a summary kept before its CSV was is worked out again first."""
    summary = summary_for(actor=actor, running=False, csv=True)
    if summary is None:
        data = aggregate_selectors.aggregates_labelled(actor=actor, exact=running_exact(None))
        return data["on"], aggregate_selectors.aggregates_csv(data)
    if not summary.running_csv:
        summary = summary_refresh(council_id=summary.council_id)
    return summary.on, summary.running_csv


# --- Reading it back, as the live figures are published ---------------------------------------

_DECIMALS = ("hours_per_week", "cost_per_week", "cost_per_year")


def _support_row(row: dict) -> dict:
    return {key: Decimal(value) if key in _DECIMALS else value for key, value in row.items()}


def running_exact(summary: SupportSummary | None) -> dict:
    """The support running as `council_aggregates` gave it when the summary was worked out."""
    if summary is None:
        return aggregate_selectors.council_aggregates(council_id=None)
    return _running_exact(summary.running)


def _running_exact(kept: dict) -> dict:
    # In the order `council_aggregates` gives them: the column (jsonb) keeps keys in an order of
    # its own.
    return {
        "on": date.fromisoformat(kept["on"]),
        "children_by_tier": {
            tier: kept["children_by_tier"].get(tier, 0) for tier in ChildTier.values
        },
        "packages_by_status": {
            status: kept["packages_by_status"].get(status, 0) for status in PackageStatus.values
        },
        "by_service": [_support_row(row) for row in kept["by_service"]],
        "by_lot": [_support_row(row) for row in kept["by_lot"]],
        "by_funding_route": [_support_row(row) for row in kept["by_funding_route"]],
        "totals": _support_row(kept["totals"]),
    }


def _read_page(read: list[dict], number: int, size: int) -> NumberedPage:
    return NumberedPage(
        rows=[_support_row(row) for row in read[:size]],
        number=number,
        size=size,
        has_next=len(read) > size,
    )


def support_running(
    *,
    actor,
    summary: SupportSummary | None,
    service_page: int | None = None,
    size=PAGE_SIZE,
    lot_page: int | None = None,
) -> dict:
    """`aggregates_labelled` from the actor's council's summary (`summary_for`; no query), with
    `as_at`: when it was worked out (None for no council). A summary read a page of services at
    a time (`summary_for(services=)`) gives that page; with `lot_page`, the table by contract lot
    gives that page too (`summary_for(lots=lot_page)` read it)."""
    read = getattr(summary, "services_read", None)
    lots_read = getattr(summary, "lots_read", None)
    if read is not None and service_page is not None:
        head = {**summary.running_head, "by_service": []}
        if lots_read is not None:
            head["by_lot"] = []
        data = aggregate_selectors.aggregates_labelled(
            actor=actor,
            exact=_running_exact(head),
            services_read=_read_page(read, service_page, size),
            lots_read=None if lots_read is None else _read_page(lots_read, lot_page, size),
        )
    else:
        data = aggregate_selectors.aggregates_labelled(
            actor=actor,
            service_page=service_page,
            lot_page=lot_page,
            size=size,
            exact=running_exact(summary),
        )
    data["as_at"] = summary.refreshed_at if summary else None
    return data


def support_trends(*, summary: SupportSummary | None) -> dict:
    """`trends.support_trends` from a council's summary (`summary_for`) in one query, with
    `as_at`."""
    if summary is None:
        return {"months": [], "as_at": None}
    kept = SupportSummaryMonth.objects.filter(
        council_id=summary.council_id, month__gte=summary.first_month
    ).order_by("month")
    rows = []
    for month in kept:
        tiers = {
            ChildTier.UNIVERSAL.value: month.children_universal,
            ChildTier.TARGETED.value: month.children_targeted,
            ChildTier.SPECIALIST.value: month.children_specialist,
        }
        rows.append(
            {
                "month": month.month,
                "children_by_tier": {
                    tier.value: trends._shown(tiers[tier.value]) for tier in trends.TIERS
                },
                "hours_delivered": None
                if is_small(month.hours_children)
                else (month.hours_delivered if month.hours_children else 0),
                "hours_children": trends._shown(month.hours_children),
                "nights": None if is_small(month.nights_children) else month.nights,
                "nights_children": trends._shown(month.nights_children),
                "spend": [
                    {"label": label, "amount": _spend_shown(month.spend.get(label))}
                    for label in summary.spend_sources
                ],
            }
        )
    return {"months": rows, "as_at": summary.refreshed_at}


def _spend_shown(cell: dict | None) -> Decimal | None:
    """A month's spend from one source as `published_spend_by_month` publishes it."""
    if cell is None:
        return Decimal(0)
    if is_small(cell["children"]):
        return None
    return Decimal(cell["amount"]) or Decimal(0)


def published_spend(*, actor) -> dict | None:
    """Spend by month as `shortbreaks.spend_sources.published_spend_by_month` publishes it, for
    the last 24 months, from the actor's council's summary (two queries), with `as_at`. None for
    no council. Registered as the spend page's summary (`referrals.apps`)."""
    summary = summary_for(actor=actor, running=False)
    if summary is None:
        return None
    months = last_months(summary.on, trends.MONTHS)
    kept = dict(
        SupportSummaryMonth.objects.filter(
            council_id=summary.council_id, month__gte=months[0], month__lte=months[-1]
        ).values_list("month", "spend")
    )
    sources = [
        {
            "label": label,
            "values": [_spend_shown(kept.get(month, {}).get(label)) for month in months],
        }
        for label in summary.spend_sources
    ]
    return {"months": months, "sources": sources, "as_at": summary.refreshed_at}
