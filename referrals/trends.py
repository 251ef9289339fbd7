"""Support in numbers and the grants waiting list by month, over the last 24 months, as charts
with their tables. Each chart is one aggregate query grouped by month, so a page costs the same
whatever the council holds. Only labels and numbers leave here, and every month that counts 1 to
4 children says "fewer than 5" and withholds its hours and nights (`shortbreaks.small_numbers`).
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Count, Sum
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


# Children with a package line running at some time in each month, by the child's tier now.
_CHILDREN_SQL = """
SELECT m.month::date, c.tier, count(DISTINCT p.child_id)
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m(month)
JOIN {line} l ON l.start_on < m.month + interval '1 month'
             AND (l.end_on IS NULL OR l.end_on >= m.month)
JOIN {package} p ON p.id = l.package_id
JOIN {child} c ON c.id = p.child_id
WHERE l.council_id = %(council)s AND p.council_id = %(council)s AND c.council_id = %(council)s
  AND p.status IN (%(active)s, %(ceased)s)
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


def delivered_by_month(*, actor, today: date | None = None) -> dict[date, dict]:
    """Hours delivered (by the month each delivery period starts) and the children they were
    for, in one query."""
    months = _months(today)
    rows = (
        scoped(DeliveryRecord.objects.all(), actor=actor)
        .filter(period_start__gte=months[0], period_start__lte=today or timezone.localdate())
        .annotate(month=TruncMonth("period_start"))
        .values("month")
        .annotate(
            hours=Sum("hours_delivered"), children=Count("line__package__child", distinct=True)
        )
        .order_by("month")
    )
    return {_month_key(row["month"]): row for row in rows}


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
# decided in each month, in one pass.
_GRANTS_SQL = """
SELECT m.month::date,
       count(g.id) FILTER (
           WHERE g.received_on < m.month + interval '1 month'
             AND (g.decided_on IS NULL OR g.decided_on >= m.month + interval '1 month')
       ),
       count(g.id) FILTER (
           WHERE g.decided_on >= m.month AND g.decided_on < m.month + interval '1 month'
       )
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m(month)
LEFT JOIN {grant} g ON g.council_id = %(council)s
                   AND g.received_on < m.month + interval '1 month'
                   AND (g.decided_on IS NULL OR g.decided_on >= m.month)
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


def support_trends_published(*, actor, today: date | None = None) -> list[dict]:
    """`support_trends` as the API publishes it: each month with its tier counts labelled, and
    `suppressed` naming what says "fewer than 5"."""
    rows = []
    for row in support_trends(actor=actor, today=today)["months"]:
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
# of the month it ran, over active and ceased packages.
_COST_SQL = """
WITH month AS (
    SELECT m::date AS first, (m + interval '1 month - 1 day')::date AS last
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m
)
SELECT month.first,
       round(sum(
           CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate
                ELSE l.nights_per_year * l.unit_rate / 52 END
           * (least(coalesce(l.end_on, month.last), month.last)
              - greatest(l.start_on, month.first) + 1) / 7.0
       ), 2),
       count(DISTINCT p.child_id)
FROM month
JOIN {line} l ON l.start_on <= month.last AND (l.end_on IS NULL OR l.end_on >= month.first)
JOIN {package} p ON p.id = l.package_id
WHERE l.council_id = %(council)s AND p.council_id = %(council)s
  AND p.status IN (%(active)s, %(ceased)s)
  AND l.funding_route <> %(direct)s
GROUP BY 1
"""


def package_cost_by_month(*, council, first: date, last: date) -> dict[date, dict]:
    """The cost of commissioned and spot-purchased support in each month, with how many
    children it was for (one query)."""
    from referrals.models import FundingRoute

    if council is None:
        return {}
    quote = connection.ops.quote_name
    sql = _COST_SQL.format(
        line=quote(PackageLine._meta.db_table), package=quote(Package._meta.db_table)
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
