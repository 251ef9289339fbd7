"""What every read of referrals shares: the permission to read children, the working days each
step is allowed, and the actor's council's rows."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from shortbreaks.councils.selectors import scoped

VIEW = "referrals.view_child"

# Working days allowed for each step (Working Together to Safeguard Children 2023: a decision on a
# referral within one working day, an assessment within 45 working days of the referral).
SCREENING_WORKING_DAYS = 1
ASSESSMENT_WORKING_DAYS = 45
AUTHORISATION_WORKING_DAYS = 5


def add_working_days(start: date, days: int) -> date:
    """`days` weekdays after `start` (bank holidays are not known here)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _readable(queryset: QuerySet, actor) -> QuerySet:
    """The actor's council's rows, and none at all for someone who may not read children."""
    if not actor.is_authenticated or not actor.has_perm(VIEW):
        return queryset.none()
    return scoped(queryset, actor=actor)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""
