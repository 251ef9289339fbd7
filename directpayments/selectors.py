"""Reads of direct payments, scoped to the actor's active council.

Who may not read direct payments gets none from these, whatever page asks. Another council's
agreement by id is exactly as missing as one that does not exist.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from directpayments.models import (
    Agreement,
    AgreementEvent,
    AgreementReview,
    Payment,
    Recovery,
    ScheduledPayment,
)
from referrals.models import Child
from shortbreaks.councils.selectors import get_or_not_found, scoped

VIEW = "directpayments.view_agreement"
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _readable(queryset: QuerySet, actor) -> QuerySet:
    if not actor.is_authenticated or not actor.has_perm(VIEW):
        return queryset.none()
    return scoped(queryset, actor=actor)


def _total(model, field: str = "amount"):
    """The sum of `model`'s amounts for the agreement in the outer query, 0 when none."""
    rows = (
        model.objects.filter(agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def with_balance(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Each agreement with `paid`, `recovered` and `balance`, in the same query."""
    return agreements.annotate(paid=_total(Payment), recovered=_total(Recovery)).annotate(
        balance=Coalesce("paid", Value(Decimal(0))) - Coalesce("recovered", Value(Decimal(0)))
    )


def agreement_list(
    *, actor, child_id: int | None = None, check_due: bool = False, today: date | None = None
) -> QuerySet[Agreement]:
    """The council's agreements, newest first, with their balances. `check_due`: those running
    whose account check is due by today."""
    agreements = _readable(Agreement.objects.select_related("child"), actor)
    if child_id is not None:
        agreements = agreements.filter(child_id=child_id)
    if check_due:
        agreements = agreements.filter(_check_due(today or timezone.localdate()))
    return with_balance(agreements).order_by("-start_on", "-id")


def _check_due(today: date) -> Q:
    return Q(ended_on__isnull=True, next_check_due__lte=today)


def check_due_count(*, actor, today: date) -> int:
    """For the work tray: running agreements whose account check is due, in one query."""
    return _readable(Agreement.objects.all(), actor).filter(_check_due(today)).count()


def access_agreement_by_id(*, actor, agreement_id) -> Agreement:
    return get_or_not_found(
        with_balance(_readable(Agreement.objects.select_related("child"), actor)),
        pk=agreement_id,
    )


def access_child_by_id(*, actor, child_id) -> Child:
    """A child of the actor's council, for someone who may read direct payments (finance
    officers read the child's direct payments, not the rest of their record)."""
    return get_or_not_found(_readable(Child.objects.all(), actor), pk=child_id)


def agreement_parts(*, agreement: Agreement) -> dict:
    """What an agreement's page shows, each part in one query."""
    return {
        "schedule": list(ScheduledPayment.objects.filter(agreement=agreement)),
        "payments": list(Payment.objects.filter(agreement=agreement).select_related("recorded_by")),
        "recoveries": list(
            Recovery.objects.filter(agreement=agreement).select_related("recorded_by")
        ),
        "reviews": list(
            AgreementReview.objects.filter(agreement=agreement).select_related("recorded_by")
        ),
        "events": list(AgreementEvent.objects.filter(agreement=agreement).select_related("actor")),
    }


def payment_list(*, agreement: Agreement) -> QuerySet[Payment]:
    return Payment.objects.filter(agreement=agreement).order_by("paid_on", "id")


def recovery_list(*, agreement: Agreement) -> QuerySet[Recovery]:
    return Recovery.objects.filter(agreement=agreement).order_by("recovered_on", "id")


def review_list(*, agreement: Agreement) -> QuerySet[AgreementReview]:
    return AgreementReview.objects.filter(agreement=agreement).order_by("held_on", "id")


def _financial_year(year: int, month: int) -> int:
    return year if month >= 4 else year - 1


def spend_by_financial_year(*, council) -> dict[int, Decimal]:
    """Direct payments paid less unspent money recovered, by financial year (April to March):
    what the council's spend pages count as direct-payment spend from these records. One query."""
    if council is None:
        return {}

    def monthly(model, field: str, sign: int):
        return (
            model.objects.filter(council=council)
            .annotate(
                year=ExtractYear(field),
                month=ExtractMonth(field),
                sign=Value(sign, output_field=IntegerField()),
            )
            .values("year", "month", "sign")
            .annotate(total=Sum("amount"))
            .order_by()
        )

    rows = monthly(Payment, "paid_on", 1).union(monthly(Recovery, "recovered_on", -1), all=True)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[_financial_year(row["year"], row["month"])] += row["sign"] * row["total"]
    return dict(totals)


_BY_MONTH_SQL = """
SELECT date_trunc('month', moved.on)::date, sum(moved.amount), count(DISTINCT a.child_id)
FROM (
    SELECT agreement_id, paid_on AS on, amount FROM {payment}
    WHERE council_id = %(council)s AND paid_on >= %(first)s AND paid_on < %(end)s
    UNION ALL
    SELECT agreement_id, recovered_on, -amount FROM {recovery}
    WHERE council_id = %(council)s AND recovered_on >= %(first)s AND recovered_on < %(end)s
) AS moved
JOIN {agreement} a ON a.id = moved.agreement_id AND a.council_id = %(council)s
GROUP BY 1
"""


def spend_by_month(*, council, first: date, last: date) -> dict[date, dict]:
    """Direct payments paid less unspent money recovered in each month from `first` to `last`
    (first days of months), with how many children's agreements they were: one query."""
    if council is None:
        return {}
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    quote = connection.ops.quote_name
    sql = _BY_MONTH_SQL.format(
        payment=quote(Payment._meta.db_table),
        recovery=quote(Recovery._meta.db_table),
        agreement=quote(Agreement._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"council": council.pk, "first": first, "end": end})
        return {
            month: {"amount": amount, "children": children}
            for month, amount, children in cursor.fetchall()
        }
