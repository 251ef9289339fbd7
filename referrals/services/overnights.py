"""Overnight stays: recording a stay, with the warnings of the looked-after thresholds."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from referrals.models import Child, OvernightCount, OvernightStay, PackageLine
from referrals.overnights import overnight_warnings, stay_nights
from referrals.services.common import MANAGE, _locked, _own
from shortbreaks.permissions import require_perm


@transaction.atomic
def overnight_stay_record(
    *,
    actor,
    child: Child,
    first_night: date,
    nights: int,
    line: PackageLine | None = None,
    acknowledge_threshold: bool = False,
) -> list[OvernightStay]:
    """Record a stay of `nights` nights. One that would pass 17 consecutive nights or 75 in 12
    months is refused until the person acknowledges the child would become looked after."""
    require_perm(actor, MANAGE)
    _own(actor, child, line)
    if line is not None and line.package.child_id != child.pk:
        raise ValidationError({"line": "Choose a line of this child's package."})
    if not isinstance(nights, int) or not 1 <= nights <= 366:
        raise ValidationError({"nights": "Enter the number of nights, from 1 to 366."})
    child = _locked(Child, child)
    new = stay_nights(first_night, nights)
    existing = set(OvernightStay.objects.filter(child=child).values_list("night", flat=True))
    if existing & set(new):
        raise ValidationError({"first_night": "Some of these nights are already recorded."})
    warnings = overnight_warnings(existing, new)
    if warnings and not acknowledge_threshold:
        raise ValidationError({"acknowledge_threshold": [w.message for w in warnings]})
    stays = OvernightStay.objects.bulk_create(
        OvernightStay(council=child.council, child=child, night=night, line=line, recorded_by=actor)
        for night in new
    )
    overnight_counts_refresh(child)
    return stays


def overnight_counts_refresh(child: Child) -> None:
    """Work out again the child's kept nights a year (`OvernightCount`) from its stays. Called in
    the transaction of every change to a child's stays, with the child locked; counting them all
    again, not adding to the count, leaves nothing to drift."""
    counts = dict(
        OvernightStay.objects.filter(child=child)
        .annotate(year=ExtractYear("night"))
        .order_by()
        .values("year")
        .annotate(nights=Count("id"))
        .values_list("year", "nights")
    )
    OvernightCount.objects.filter(child=child).exclude(year__in=list(counts)).delete()
    OvernightCount.objects.bulk_create(
        [
            OvernightCount(council_id=child.council_id, child=child, year=year, nights=nights)
            for year, nights in counts.items()
        ],
        update_conflicts=True,
        unique_fields=["child", "year"],
        update_fields=["nights"],
    )
