"""Overnight stays: recording a stay, with the warnings of the looked-after thresholds."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from referrals.models import Child, OvernightStay, PackageLine
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
    return OvernightStay.objects.bulk_create(
        OvernightStay(council=child.council, child=child, night=night, line=line, recorded_by=actor)
        for night in new
    )
