"""Reads of overnight stays: a child's summary, its warnings and the children near the
looked-after thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from referrals.models import Child, OvernightCount, OvernightStay
from referrals.overnights import (
    MAX_CONSECUTIVE_NIGHTS,
    MAX_NIGHTS_IN_12_MONTHS,
    OvernightWarning,
    longest_run_through,
    overnight_warnings,
    stay_nights,
    window_start,
)
from referrals.selectors.common import _today
from shortbreaks.councils.selectors import scoped


@dataclass(frozen=True)
class OvernightSummary:
    nights_in_12_months: int
    longest_stay_in_12_months: int

    @property
    def past_threshold(self) -> bool:
        return (
            self.nights_in_12_months > MAX_NIGHTS_IN_12_MONTHS
            or self.longest_stay_in_12_months > MAX_CONSECUTIVE_NIGHTS
        )


def overnight_stay_warnings(
    *, actor, child: Child, first_night: date, nights: int
) -> list[OvernightWarning]:
    """What a proposed stay would pass, before it is recorded; empty when nothing."""
    existing = OvernightStay.objects.filter(child=child).values_list("night", flat=True)
    return overnight_warnings(existing, stay_nights(first_night, nights))


def overnight_summary(*, child: Child, today: date | None = None) -> OvernightSummary:
    """Nights in the 12 months to today and the longest stay among them."""
    today = _today(today)
    nights = sorted(
        OvernightStay.objects.filter(
            child=child, night__gte=window_start(today), night__lte=today
        ).values_list("night", flat=True)
    )
    return OvernightSummary(len(nights), longest_run_through(nights, set(nights)))


# Within reach of the looked-after thresholds (referrals.overnights): this many nights in the 12
# months to today, or away every one of this many nights up to today (a stay running so long).
NEAR_NIGHTS_IN_12_MONTHS = MAX_NIGHTS_IN_12_MONTHS - 10
NEAR_CONSECUTIVE_NIGHTS = MAX_CONSECUTIVE_NIGHTS - 3


def near_overnight_limits(children: QuerySet[Child], *, actor, today: date) -> QuerySet[Child]:
    """`children` narrowed to those near the looked-after thresholds on `today`: at least
    NEAR_NIGHTS_IN_12_MONTHS nights in the 12 months to today, or away each of the last
    NEAR_CONSECUTIVE_NIGHTS nights (a stay that long and still running)."""
    start = window_start(today)
    recent = today - timedelta(days=NEAR_CONSECUTIVE_NIGHTS - 1)
    # Only some children's nights are counted, so that the cost follows the children near a
    # threshold, not every stay of the council. The 12 months to today lie within two calendar
    # years (the first night's and today's), so a child with NEAR_NIGHTS_IN_12_MONTHS nights in
    # them has at least half as many in one of the two (the kept OvernightCount); a child away
    # each of the last nights is away tonight.
    many = scoped(OvernightCount.objects.all(), actor=actor).filter(
        year__in=sorted({start.year, today.year}),
        nights__gte=-(-NEAR_NIGHTS_IN_12_MONTHS // 2),
    )
    tonight = scoped(OvernightStay.objects.all(), actor=actor).filter(night=today)
    candidates = many.values("child_id").union(tonight.values("child_id"))
    near = (
        scoped(OvernightStay.objects.all(), actor=actor)
        .filter(child_id__in=candidates, night__gte=start, night__lte=today)
        .order_by()
        .values("child_id")
        .annotate(in_year=Count("night"), recent=Count("night", filter=Q(night__gte=recent)))
        .filter(Q(in_year__gte=NEAR_NIGHTS_IN_12_MONTHS) | Q(recent__gte=NEAR_CONSECUTIVE_NIGHTS))
        .values("child_id")
    )
    return children.filter(pk__in=near)
