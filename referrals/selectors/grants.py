"""Reads of grants: schemes, applications, a child's grants in a year, the waiting list and the
backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from referrals.models import Child, GrantApplication, GrantScheme, GrantStatus
from referrals.selectors.common import _readable, _today
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped
from shortbreaks.pagination import PAGE_SIZE, NumberedPage, numbered_page


def access_grant_application_by_id(*, actor, application_id) -> GrantApplication:
    return get_or_not_found(
        _readable(GrantApplication.objects.select_related("child", "scheme"), actor),
        pk=application_id,
    )


@dataclass(frozen=True)
class GrantYear:
    year: int
    applications: list
    awarded: Decimal


def child_grants_in_year(*, child: Child, year: int) -> GrantYear:
    """The child's applications on every scheme of that financial year, oldest first, and what
    is awarded and still committed (awaiting payment or paid, declined ones paid included)."""
    applications = list(
        GrantApplication.objects.filter(child=child, scheme__year=year)
        .select_related("scheme")
        .order_by("received_on", "id")
    )
    awarded = sum(
        (
            a.amount
            for a in applications
            if a.amount is not None and a.payment_status in ("awaiting_payment", "paid")
        ),
        start=Decimal(0),
    )
    return GrantYear(year=year, applications=applications, awarded=awarded)


def grant_schemes(*, actor) -> QuerySet[GrantScheme]:
    return scoped(GrantScheme.objects.all(), actor=actor).order_by("-year", "name")


def access_grant_scheme_by_id(*, actor, scheme_id) -> GrantScheme:
    return access_by_id(GrantScheme.objects.all(), actor=actor, pk=scheme_id)


# ----------------------------------------------------------------------------------------------
# Grants: the waiting list and the backlog


def grant_waiting_list(
    *, actor, longer_than_days: int | None = None, today: date | None = None
) -> QuerySet[GrantApplication]:
    """The applications waiting for a decision, oldest first; with `longer_than_days`, only
    those that have waited longer. The council's (council, status, received_on) index gives
    them in order."""
    waiting = (
        _readable(GrantApplication.objects.select_related("child", "scheme"), actor)
        .filter(status=GrantStatus.RECEIVED)
        .order_by("received_on", "id")
    )
    if longer_than_days is not None:
        cutoff = _today(today) - timedelta(days=longer_than_days)
        waiting = waiting.filter(received_on__lt=cutoff)
    return waiting


def grant_waiting_page(
    *,
    actor,
    page: int = 1,
    size: int = PAGE_SIZE,
    longer_than_days: int | None = None,
    today: date | None = None,
    applications: QuerySet[GrantApplication] | None = None,
) -> NumberedPage:
    """One page of `grant_waiting_list` (or of `applications`, that list already narrowed by its
    filter), each application with `days_waiting`."""
    today = _today(today)
    if applications is None:
        applications = grant_waiting_list(
            actor=actor, longer_than_days=longer_than_days, today=today
        )
    waiting = numbered_page(applications, number=page, size=size)
    for application in waiting:
        application.days_waiting = (today - application.received_on).days
    return waiting


def grant_waiting_counts(*, actor, longer_than_days: int, today: date | None = None) -> dict:
    """How many applications wait, and how many of them for longer than `longer_than_days`,
    counted by the database in one query. What is counted is in the council's (council, status,
    received_on) index (`received_on`, never empty), so the index answers alone, reading no row."""
    cutoff = _today(today) - timedelta(days=longer_than_days)
    return (
        _readable(GrantApplication.objects.all(), actor)
        .filter(status=GrantStatus.RECEIVED)
        .aggregate(
            waiting=Count("received_on"),
            long_waits=Count("received_on", filter=Q(received_on__lt=cutoff)),
        )
    )


def grant_backlog_by_month(*, actor) -> list[dict]:
    """How many applications still wait, by the month they arrived, oldest month first (from
    the council's (council, status, received_on) index alone, as `grant_waiting_counts`)."""
    rows = (
        scoped(GrantApplication.objects.all(), actor=actor)
        .filter(status=GrantStatus.RECEIVED)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(waiting=Count("*"))
        .order_by("month")
    )
    return [{"month": row["month"], "waiting": row["waiting"]} for row in rows]


def grant_application_list(
    *, actor, status: str = "", child_id: int | None = None
) -> QuerySet[GrantApplication]:
    """Applications of the actor's council, by status or child, for lists that page by id."""
    applications = _readable(GrantApplication.objects.select_related("child", "scheme"), actor)
    if status:
        applications = applications.filter(status=status)
    if child_id:
        applications = applications.filter(child_id=child_id)
    return applications
