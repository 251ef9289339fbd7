"""Support in numbers and the grants waiting list by month, over the last 24 months, as charts
with their tables. Each chart is one aggregate query grouped by month, so a page costs the same
whatever the council holds. Only labels and numbers leave here, and every month that counts 1 to
4 children says "fewer than 5" and withholds its hours and nights (`shortbreaks.small_numbers`).
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from referrals.models import (
    Child,
    ChildTier,
    DeliveryRecord,
    GrantApplication,
    OvernightStay,
    Package,
    PackageLine,
    PackageStatus,
)
from shortbreaks.charts import (
    Series,
    bar_chart,
    last_months,
    line_chart,
    month_label,
    pounds,
)
from shortbreaks.councils.selectors import scoped
from shortbreaks.small_numbers import FEWER_THAN, is_small
from shortbreaks.spend_sources import published_spend_by_month

MONTHS = 24
TIERS = (ChildTier.UNIVERSAL, ChildTier.TARGETED, ChildTier.SPECIALIST)


def _months(today: date | None) -> list[date]:
    return last_months(today or timezone.localdate(), MONTHS)


def _month_key(value) -> date:
    return date(value.year, value.month, 1)


# Children with a package line running at some time in each month, by the child's tier now. Each
# line is the run of months it touches within the 24 (a month counts when the line starts before
# its end and has not ended before its first day); a child's runs are merged first (range_agg),
# so each child is counted once a month by adding up, never by a DISTINCT over every line of every
# month (a million rows sorted for a big council).
_MONTH_RUN = """
daterange(greatest(date_trunc('month', l.start_on)::date, %(first)s::date),
          least(date_trunc('month', coalesce(l.end_on, %(last)s::date))::date, %(last)s::date),
          '[]')"""
_CHILDREN_SQL = """
WITH child_months AS (
    SELECT c.tier, range_agg({month_run}) AS months
    FROM {line} l
    JOIN {package} p ON p.id = l.package_id
    JOIN {child} c ON c.id = p.child_id
    WHERE l.council_id = %(council)s AND p.council_id = %(council)s AND c.council_id = %(council)s
      AND p.status IN (%(active)s, %(ceased)s)
      AND l.start_on < %(last)s::date + interval '1 month'
      AND (l.end_on IS NULL OR l.end_on >= %(first)s::date)
    GROUP BY p.child_id, c.tier
)
SELECT m.month::date, cm.tier, count(*)
FROM child_months cm,
     unnest(cm.months) AS run,
     generate_series(lower(run), upper(run) - 1, interval '1 month') AS m(month)
GROUP BY 1, 2
"""


def children_by_tier(*, actor, today: date | None = None) -> dict[date, dict[str, int]]:
    """Children supported in each month by tier (one query)."""
    months = _months(today)
    counts: dict[date, dict[str, int]] = {month: {} for month in months}
    council_id = actor.active_council_id if actor.is_authenticated else None
    if council_id is None:
        return counts
    quote = connection.ops.quote_name
    sql = _CHILDREN_SQL.format(
        month_run=_MONTH_RUN,
        line=quote(PackageLine._meta.db_table),
        package=quote(Package._meta.db_table),
        child=quote(Child._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "first": months[0],
                "last": months[-1],
                "council": council_id,
                "active": PackageStatus.ACTIVE,
                "ceased": PackageStatus.CEASED,
            },
        )
        for month, tier, children in cursor.fetchall():
            counts[_month_key(month)][tier] = children
    return counts


# Hours delivered by the month each delivery period starts, and the children they were for: summed
# per child and month first, so the children are counted by adding up, not by a DISTINCT sorted
# over every delivery record (300,000 in five months for a big council). The line and its package
# are the council's too: saying so lets each be read from the council's own rows.
_DELIVERED_SQL = """
SELECT month, sum(hours), count(*)
FROM (
    SELECT date_trunc('month', d.period_start)::date AS month, p.child_id,
           sum(d.hours_delivered) AS hours
    FROM {delivery} d
    JOIN {line} l ON l.id = d.line_id
    JOIN {package} p ON p.id = l.package_id
    WHERE d.council_id = %(council)s AND l.council_id = %(council)s AND p.council_id = %(council)s
      AND d.period_start >= %(first)s AND d.period_start <= %(today)s
    GROUP BY 1, 2
) per_child
GROUP BY 1
"""


def delivered_by_month(*, actor, today: date | None = None) -> dict[date, dict]:
    """Hours delivered (by the month each delivery period starts) and the children they were
    for, in one query."""
    months = _months(today)
    council_id = actor.active_council_id if actor.is_authenticated else None
    if council_id is None:
        return {}
    quote = connection.ops.quote_name
    sql = _DELIVERED_SQL.format(
        delivery=quote(DeliveryRecord._meta.db_table),
        line=quote(PackageLine._meta.db_table),
        package=quote(Package._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "council": council_id,
                "first": months[0],
                "today": today or timezone.localdate(),
            },
        )
        return {
            _month_key(month): {"month": month, "hours": hours, "children": children}
            for month, hours, children in cursor.fetchall()
        }


def nights_by_month(*, actor, today: date | None = None) -> dict[date, dict]:
    """Nights away from home each month and the children who had them, in one query."""
    months = _months(today)
    rows = (
        scoped(OvernightStay.objects.all(), actor=actor)
        .filter(night__gte=months[0], night__lte=today or timezone.localdate())
        .annotate(month=TruncMonth("night"))
        .values("month")
        .annotate(nights=Count("id"), children=Count("child", distinct=True))
        .order_by("month")
    )
    return {_month_key(row["month"]): row for row in rows}


def _shown(count: int | None) -> int | None:
    """A count as published: None (fewer than 5) for 1 to 4."""
    return None if is_small(count) else (count or 0)


def support_trends(*, actor, today: date | None = None) -> dict:
    """The published trends: each month's figures with small numbers suppressed, as rows for the
    API and as charts for the page (three queries)."""
    months = _months(today)
    tiers = children_by_tier(actor=actor, today=today)
    hours = delivered_by_month(actor=actor, today=today)
    nights = nights_by_month(actor=actor, today=today)
    council = actor.active_council if actor.is_authenticated else None
    spend = published_spend_by_month(council=council, months=months)
    rows = []
    for index, month in enumerate(months):
        delivered = hours.get(month, {})
        stays = nights.get(month, {})
        hours_children = delivered.get("children", 0)
        night_children = stays.get("children", 0)
        rows.append(
            {
                "month": month,
                "children_by_tier": {
                    tier.value: _shown(tiers[month].get(tier.value, 0)) for tier in TIERS
                },
                "hours_delivered": None
                if is_small(hours_children)
                else delivered.get("hours") or 0,
                "hours_children": _shown(hours_children),
                "nights": None if is_small(night_children) else stays.get("nights", 0),
                "nights_children": _shown(night_children),
                "spend": [
                    {"label": source["label"], "amount": source["values"][index]}
                    for source in spend
                ],
            }
        )
    return {"months": rows}


def support_charts(trends: dict) -> list:
    rows = trends["months"]
    labels = [month_label(row["month"]) for row in rows]
    return [
        line_chart(
            id="trend-children",
            title="Children supported each month, by tier",
            summary=(
                "Children with support running at some time in each of the last 24 months, by "
                "their tier now. A month with 1 to 4 children in a tier is not charted."
            ),
            categories=labels,
            series=[
                Series(
                    tier.label,
                    [row["children_by_tier"][tier.value] for row in rows],
                    withheld=FEWER_THAN,
                )
                for tier in TIERS
            ],
            x_label="Month",
            y_label="Children",
        ),
        bar_chart(
            id="trend-hours",
            title="Hours of support delivered each month",
            summary=(
                "Hours delivered, by the month each delivery period starts. A month with 1 to 4 "
                "children is not charted and its hours are not shown."
            ),
            categories=labels,
            series=[
                Series("Hours delivered", [row["hours_delivered"] for row in rows], FEWER_THAN)
            ],
            x_label="Month",
            y_label="Hours",
        ),
        bar_chart(
            id="trend-nights",
            title="Nights away from home each month",
            summary=(
                "Overnight short breaks, a night each. A month with 1 to 4 children is not "
                "charted and its nights are not shown."
            ),
            categories=labels,
            series=[Series("Nights", [row["nights"] for row in rows], FEWER_THAN)],
            x_label="Month",
            y_label="Nights",
        ),
        line_chart(
            id="trend-spend",
            title="Spend each month",
            summary=(
                "What commissioned and spot-purchased support cost in each month (each line's "
                "weekly cost for the days it ran), and direct payments paid less unspent money "
                "recovered. A month's amount for 1 to 4 children is not shown."
            ),
            categories=labels,
            series=[
                Series(
                    cell["label"],
                    [row["spend"][index]["amount"] for row in rows],
                    withheld=FEWER_THAN,
                )
                for index, cell in enumerate(rows[0]["spend"] if rows else [])
            ],
            x_label="Month",
            y_label="Pounds",
            formatter=pounds,
        ),
    ]


# Grant applications waiting at each month's end (received by then, not decided by then), and
# decided in each month. The council's applications are first counted by the months they arrived
# and were decided in (a few hundred pairs, however many applications), and those counts are
# spread over the 24 months: never every application joined to every month.
_GRANTS_SQL = """
SELECT m.month::date,
       coalesce(sum(g.n) FILTER (
           WHERE g.received <= m.month AND (g.decided IS NULL OR g.decided > m.month)
       ), 0)::bigint,
       coalesce(sum(g.n) FILTER (WHERE g.decided = m.month), 0)::bigint
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m(month)
LEFT JOIN (
    SELECT date_trunc('month', received_on)::date, date_trunc('month', decided_on)::date,
           count(*)
    FROM {grant}
    WHERE council_id = %(council)s
      AND received_on < %(last)s::date + interval '1 month'
      AND (decided_on IS NULL OR decided_on >= %(first)s::date)
    GROUP BY 1, 2
) AS g(received, decided, n) ON g.received <= m.month
                            AND (g.decided IS NULL OR g.decided >= m.month)
GROUP BY 1
ORDER BY 1
"""


def grants_by_month(*, actor, today: date | None = None) -> list[dict]:
    """Each month: applications waiting for a decision at its end (for the current month, today)
    and applications decided in it (one query). Counts of applications, not of children: a
    waiting list's length points to no one, so they are shown as they are."""
    months = _months(today)
    council_id = actor.active_council_id if actor.is_authenticated else None
    if council_id is None:
        return [{"month": month, "waiting": 0, "decided": 0} for month in months]
    sql = _GRANTS_SQL.format(grant=connection.ops.quote_name(GrantApplication._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": months[0], "last": months[-1], "council": council_id})
        found = {_month_key(m): (w, d) for m, w, d in cursor.fetchall()}
    return [
        {"month": m, "waiting": found.get(m, (0, 0))[0], "decided": found.get(m, (0, 0))[1]}
        for m in months
    ]


def grants_chart(rows: list[dict]):
    return line_chart(
        id="trend-grants",
        title="The waiting list by month",
        summary=(
            "Applications waiting for a decision at the end of each of the last 24 months (this "
            "month: today), and applications decided in each month."
        ),
        categories=[month_label(row["month"]) for row in rows],
        series=[
            Series("Waiting", [row["waiting"] for row in rows]),
            Series("Decisions", [row["decided"] for row in rows]),
        ],
        x_label="Month",
        y_label="Applications",
    )


def support_trends_published(
    *, actor, today: date | None = None, trends: dict | None = None
) -> list[dict]:
    """`support_trends` (or the `trends` given: a summary's, `referrals.summary`) as the API
    publishes it: each month with its tier counts labelled, and `suppressed` naming what says
    "fewer than 5"."""
    rows = []
    if trends is None:
        trends = support_trends(actor=actor, today=today)
    for row in trends["months"]:
        rows.append(
            {
                "month": row["month"],
                "children_by_tier": [
                    {
                        "tier": tier.value,
                        "label": tier.label,
                        "children": row["children_by_tier"][tier.value],
                        "suppressed": FEWER_THAN
                        if row["children_by_tier"][tier.value] is None
                        else "",
                    }
                    for tier in TIERS
                ],
                "hours_delivered": row["hours_delivered"],
                "hours_suppressed": FEWER_THAN if row["hours_delivered"] is None else "",
                "nights": row["nights"],
                "nights_suppressed": FEWER_THAN if row["nights"] is None else "",
                "spend": [
                    {
                        "label": cell["label"],
                        "amount": cell["amount"],
                        "suppressed": FEWER_THAN if cell["amount"] is None else "",
                    }
                    for cell in row["spend"]
                ],
            }
        )
    return rows


# What the package lines bought by the council (commissioned and spot-purchased; direct payments
# are counted from their own records) cost in each month: each line's weekly cost for the days
# of the month it ran, over active and ceased packages. Each line is expanded to the months it
# touches (its run, as for the children by tier) and summed by month; the children are counted
# from each child's merged runs, once a month, without a DISTINCT over every line's months.
_COST_SQL = """
WITH run AS (
    SELECT p.child_id, l.start_on, l.end_on,
           CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate
                ELSE l.nights_per_year * l.unit_rate / 52 END AS weekly,
           {month_run} AS months
    FROM {line} l
    JOIN {package} p ON p.id = l.package_id
    WHERE l.council_id = %(council)s AND p.council_id = %(council)s
      AND p.status IN (%(active)s, %(ceased)s)
      AND l.funding_route <> %(direct)s
      AND l.start_on < %(last)s::date + interval '1 month'
      AND (l.end_on IS NULL OR l.end_on >= %(first)s::date)
),
-- A line runs whole months between its first and its last (within the 24): those are summed
-- by run (a few hundred runs, whatever the lines) and spread over their months; only a line's
-- first and last months are worked out line by line, for the days it ran in them.
bounds AS (
    SELECT run.*, lower(run.months) AS first_month,
           upper(run.months) - 1 AS last_month
    FROM run
),
edge AS (
    SELECT m.first, b.weekly * (least(coalesce(b.end_on, m.last), m.last)
                                - greatest(b.start_on, m.first) + 1) / 7.0 AS amount
    FROM bounds b,
         LATERAL (SELECT month AS first, (month + interval '1 month - 1 day')::date AS last
                  FROM unnest(CASE WHEN b.first_month = b.last_month THEN ARRAY[b.first_month]
                                   ELSE ARRAY[b.first_month, b.last_month] END) AS month) m
),
whole AS (
    SELECT month::date AS first,
           r.weekly * ((month + interval '1 month')::date - month::date) / 7.0 AS amount
    FROM (SELECT first_month, last_month, sum(weekly) AS weekly
          FROM bounds WHERE last_month > first_month + interval '1 month'
          GROUP BY first_month, last_month) r,
         generate_series(r.first_month + interval '1 month', r.last_month - interval '1 month',
                         interval '1 month') AS month
),
cost AS (
    SELECT first, round(sum(amount), 2) AS amount
    FROM (SELECT first, amount FROM edge UNION ALL SELECT first, amount FROM whole) parts
    GROUP BY 1
),
children AS (
    SELECT month::date AS first, count(*) AS children
    FROM (SELECT range_agg(months) AS months FROM run GROUP BY child_id) c,
         unnest(c.months) AS child_run,
         generate_series(lower(child_run), upper(child_run) - 1, interval '1 month') AS month
    GROUP BY 1
)
SELECT cost.first, cost.amount, children.children
FROM cost JOIN children ON children.first = cost.first
"""


def package_cost_by_month(*, council, first: date, last: date) -> dict[date, dict]:
    """The cost of commissioned and spot-purchased support in each month, with how many
    children it was for (one query)."""
    from referrals.models import FundingRoute

    if council is None:
        return {}
    quote = connection.ops.quote_name
    sql = _COST_SQL.format(
        month_run=_MONTH_RUN,
        line=quote(PackageLine._meta.db_table),
        package=quote(Package._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "first": first,
                "last": last,
                "council": council.pk,
                "active": PackageStatus.ACTIVE,
                "ceased": PackageStatus.CEASED,
                "direct": FundingRoute.DIRECT_PAYMENT,
            },
        )
        return {
            _month_key(month): {"amount": amount, "children": children}
            for month, amount, children in cursor.fetchall()
        }
