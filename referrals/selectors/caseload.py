"""Caseloads, the authorisation queue and the work tray's counts, and who may hold a caseload."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Collate

from referrals.models import (
    Assessment,
    AssessmentStatus,
    Child,
    GrantApplication,
    GrantStatus,
    Package,
    PackageStatus,
    Referral,
    ReferralStatus,
)
from referrals.selectors.common import (
    ASSESSMENT_WORKING_DAYS,
    AUTHORISATION_WORKING_DAYS,
    SCREENING_WORKING_DAYS,
    VIEW,
    _readable,
    _today,
)
from shortbreaks.councils.models import Membership, Role
from shortbreaks.councils.selectors import colleagues_list
from shortbreaks.pagination import PAGE_SIZE, NumberedPage, numbered_page


class AddWorkingDays(Func):
    """`add_working_days` in SQL: `days` weekdays after a date. A Saturday or Sunday counts from
    the Friday before, as the loop does (the first working day after either is the Monday)."""

    output_field = DateField()

    def __init__(self, start, *, days: int):
        if days < 0:
            raise ValueError("Working days are counted forwards.")
        super().__init__(start)
        self.days = int(days)

    def as_sql(self, compiler, connection, **extra_context):
        start, params = compiler.compile(self.source_expressions[0])
        if self.days == 0:
            return start, params
        weeks, rest = divmod(self.days, 5)
        friday = (
            f"({start} - CASE extract(isodow FROM {start})::int "
            "WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END)"
        )
        sql = (
            f"({friday} + {7 * weeks + rest} + "
            f"CASE WHEN extract(isodow FROM {friday})::int + {rest} > 5 THEN 2 ELSE 0 END)"
        )
        # The date is written four times (twice in each `friday`), its parameters with it.
        return sql, (*params, *params, *params, *params)


@dataclass
class CaseloadItem:
    child: Child
    kind: str
    what: str
    due_on: date
    overdue: bool
    record_id: int


# What each kind of caseload item asks the worker to do, and where it sorts among items due on
# the same day for children of the same name.
CASELOAD_WHAT = {
    "referral": "Decide on the referral",
    "assessment": "Complete the assessment",
    "authorisation": "Assessment waiting for authorisation",
    "package": "Start the approved package",
    "review": "Review the package",
    "grant": "Review the grant",
}
_CASELOAD_RANK = {"referral": 0, "assessment": 1, "authorisation": 1, "package": 2, "review": 2}
_CASELOAD_COLUMNS = ("kind", "rank", "record", "child_ref", "due", "sort_name", "overdue")


def _caseload_parts(*, actor, worker, today: date) -> list[QuerySet]:
    """One query of (kind, rank, record, child, due date, name to sort by, overdue) for each kind
    of item, the due dates worked out by the database, ready to be put together with UNION ALL."""
    children = _readable(Child.objects.all(), actor)
    # One worker, or several (a team's caseload: a list or a query of their ids).
    if isinstance(worker, list | tuple | QuerySet):
        children = children.filter(keyworker__in=worker)
    else:
        children = children.filter(keyworker=worker)

    def item(queryset: QuerySet, kind: str, due) -> QuerySet:
        return (
            queryset.filter(child__in=children)
            .annotate(
                kind=Value(kind, output_field=CharField()),
                rank=Value(_CASELOAD_RANK.get(kind, 3), output_field=IntegerField()),
                record=F("id"),
                child_ref=F("child_id"),
                due=due,
                # Python's order of names (by code point), whatever the database's collation.
                sort_name=Collate(F("child__last_name"), "C"),
            )
            .annotate(overdue=ExpressionWrapper(Q(due__lt=today), output_field=BooleanField()))
            .order_by()
            .values_list(*_CASELOAD_COLUMNS)
        )

    return [
        item(
            Referral.objects.filter(status__in=[ReferralStatus.RECEIVED, ReferralStatus.SCREENING]),
            "referral",
            AddWorkingDays(F("received_on"), days=SCREENING_WORKING_DAYS),
        ),
        item(
            Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS),
            "assessment",
            AddWorkingDays(
                Coalesce(F("referral__received_on"), F("started_on")),
                days=ASSESSMENT_WORKING_DAYS,
            ),
        ),
        item(
            Assessment.objects.filter(status=AssessmentStatus.COMPLETED),
            "authorisation",
            AddWorkingDays(F("completed_on"), days=AUTHORISATION_WORKING_DAYS),
        ),
        item(Package.objects.filter(status=PackageStatus.APPROVED), "package", F("start_on")),
        item(
            Package.objects.filter(status=PackageStatus.ACTIVE, next_review_due__isnull=False),
            "review",
            F("next_review_due"),
        ),
        item(
            GrantApplication.objects.filter(status=GrantStatus.APPROVED, review_on__isnull=False),
            "grant",
            F("review_on"),
        ),
    ]


def _caseload_chosen(
    *, actor, worker, today: date, kind: str = "", overdue: bool = False
) -> list[QuerySet]:
    """The caseload's parts of one kind (all kinds for none), only their overdue items if asked."""
    parts = dict(
        zip(CASELOAD_WHAT, _caseload_parts(actor=actor, worker=worker, today=today), strict=True)
    )
    chosen = [part for name, part in parts.items() if not kind or name == kind]
    return [part.filter(due__lt=today) for part in chosen] if overdue else chosen


def caseload(
    *,
    actor,
    worker=None,
    today: date | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
    kind: str = "",
    overdue: bool = False,
) -> NumberedPage:
    """One page of what is due for the children a worker is keyworker for (the actor by default):
    referrals to screen, assessments to finish or awaiting authorisation, packages to start,
    reviews of packages and grants. Overdue first, then soonest due, then by the child's name.

    The database works out each due date, puts the kinds together and orders them, and reads one
    page (one query), so a worker with a thousand children costs what one with ten does; then
    the page's children in one more. `kind` keeps one kind of item (a key of CASELOAD_WHAT),
    `overdue` only the overdue; `worker` may be a list of workers (a team)."""
    today = _today(today)
    first, *rest = _caseload_chosen(
        actor=actor, worker=worker or actor, today=today, kind=kind, overdue=overdue
    )
    items = first.union(*rest, all=True).order_by("-overdue", "due", "sort_name", "rank", "record")
    rows = numbered_page(items, number=page, size=size)
    children = Child.objects.in_bulk([row[3] for row in rows]) if rows.rows else {}
    return NumberedPage(
        rows=[
            CaseloadItem(
                child=children[child_id],
                kind=kind,
                what=CASELOAD_WHAT[kind],
                due_on=due,
                overdue=overdue,
                record_id=record,
            )
            for kind, _rank, record, child_id, due, _name, overdue in rows
        ],
        number=rows.number,
        size=rows.size,
        has_next=rows.has_next,
    )


def caseload_all(
    *, actor, worker=None, today: date | None = None, kind: str = "", overdue: bool = False
) -> list[tuple]:
    """Every item of the caseload (not a page), in the page's order, for an export: the rows
    `caseload` reads a page of, (kind, rank, record, child, due, name, overdue), in one query.
    `caseload_items` makes them items."""
    today = _today(today)
    first, *rest = _caseload_chosen(
        actor=actor, worker=worker or actor, today=today, kind=kind, overdue=overdue
    )
    items = first.union(*rest, all=True).order_by("-overdue", "due", "sort_name", "rank", "record")
    return list(items)


def caseload_items(rows: list[tuple], *, chunk: int = 1000) -> Iterator[CaseloadItem]:
    """`caseload_all`'s rows as items, their children read a query per `chunk` rows."""
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        children = Child.objects.in_bulk({row[3] for row in part})
        for kind, _rank, record, child_id, due, _name, overdue in part:
            if child_id in children:
                yield CaseloadItem(
                    child=children[child_id],
                    kind=kind,
                    what=CASELOAD_WHAT[kind],
                    due_on=due,
                    overdue=overdue,
                    record_id=record,
                )


def _caseload_overdue_parts(*, actor, worker, today: date) -> list[QuerySet]:
    """The ids of the overdue items of each kind, as `_caseload_parts` works them out, without
    what only a page needs (the child's name to sort by). Each item is due on or after the date
    it counts from (working days are added, never taken away), so an overdue item's own date is
    before today too: saying so, and joining each item to its child (rather than asking for the
    items of a list of children), lets the database read each kind's overdue items from the
    council's (council, status, date) index, rather than look up every child of a team one by
    one."""
    if isinstance(worker, list | tuple | QuerySet):
        theirs = Q(child__keyworker__in=worker)
    else:
        theirs = Q(child__keyworker=worker)
    council = actor.active_council if actor.is_authenticated else None

    def overdue(queryset: QuerySet, due) -> QuerySet:
        return (
            _readable(queryset, actor)
            .filter(theirs, child__council=council)
            .annotate(due=due)
            .filter(due__lt=today)
            .order_by()
            .values_list("id")
        )

    return [
        overdue(
            Referral.objects.filter(
                status__in=[ReferralStatus.RECEIVED, ReferralStatus.SCREENING],
                received_on__lt=today,
            ),
            AddWorkingDays(F("received_on"), days=SCREENING_WORKING_DAYS),
        ),
        overdue(
            Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS),
            AddWorkingDays(
                Coalesce(F("referral__received_on"), F("started_on")),
                days=ASSESSMENT_WORKING_DAYS,
            ),
        ),
        overdue(
            Assessment.objects.filter(status=AssessmentStatus.COMPLETED, completed_on__lt=today),
            AddWorkingDays(F("completed_on"), days=AUTHORISATION_WORKING_DAYS),
        ),
        overdue(
            Package.objects.filter(status=PackageStatus.APPROVED, start_on__lt=today),
            F("start_on"),
        ),
        overdue(
            Package.objects.filter(status=PackageStatus.ACTIVE, next_review_due__lt=today),
            F("next_review_due"),
        ),
        overdue(
            GrantApplication.objects.filter(status=GrantStatus.APPROVED, review_on__lt=today),
            F("review_on"),
        ),
    ]


def caseload_overdue_count(*, actor, worker=None, today: date | None = None) -> int:
    """How many of the worker's caseload items are overdue (the items `caseload` shows with
    `overdue`), counted by the database in one query (two for a team). `worker` may be a list of
    workers or a query of their ids (a team)."""
    today = _today(today)
    if not actor.is_authenticated or not actor.has_perm(VIEW):
        return 0
    if isinstance(worker, QuerySet):
        # A team's workers are read first and named in the count: the planner then estimates
        # their children from the statistics kept on (council, keyworker) (referrals.0016) and
        # reads each kind's overdue items from its index, where for a subquery it guessed a
        # handful of children and looked up every child's items one by one (4x as long).
        worker = list(worker.values_list("user_id", flat=True))
    if worker is None or (isinstance(worker, list | tuple) and not worker):
        worker = actor
    first, *rest = _caseload_overdue_parts(actor=actor, worker=worker, today=today)
    return first.union(*rest, all=True).count()


def authorisation_queue(*, actor) -> QuerySet[Assessment]:
    """Completed assessments waiting for a team manager, oldest first; the actor's own are left
    out, since nobody authorises an assessment they completed."""
    if not actor.has_perm("referrals.authorise_assessment"):
        return Assessment.objects.none()
    return (
        _readable(Assessment.objects.select_related("child", "completed_by"), actor)
        .filter(status=AssessmentStatus.COMPLETED)
        .exclude(completed_by=actor)
        .order_by("completed_on", "id")
    )


# ----------------------------------------------------------------------------------------------
# Counts for the home page's work tray: each one query, however many rows it counts

_CASELOAD_ITEM_COLUMNS = "kind, rank, record, child_ref, due, sort_name, overdue"


def caseload_counts(*, actor, worker=None, today: date | None = None) -> dict[str, dict]:
    """For each kind of caseload item (CASELOAD_WHAT), how many are due and how many of them are
    overdue, for one worker (the actor by default) or a list of them; one query."""
    today = _today(today)
    counts = {kind: {"due": 0, "overdue": 0} for kind in CASELOAD_WHAT}
    worker = actor if worker is None else worker
    if not actor.is_authenticated or not actor.has_perm(VIEW):
        return counts
    if isinstance(worker, list | tuple) and not worker:
        return counts
    first, *rest = _caseload_parts(actor=actor, worker=worker, today=today)
    sql, params = first.union(*rest, all=True).query.sql_with_params()
    # The items' own SQL, compiled by Django with its parameters; only counted here.
    query = (
        "SELECT kind, count(*), count(*) FILTER (WHERE overdue) "  # noqa: S608
        f"FROM ({sql}) AS items({_CASELOAD_ITEM_COLUMNS}) GROUP BY kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for kind, due, overdue in cursor.fetchall():
            counts[kind] = {"due": due, "overdue": overdue}
    return counts


# Who may hold a caseload (and be a child's keyworker).
WORKER_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)


def team_workers_for(actor) -> list:
    """Whose caseload a team manager may open: the workers in their own teams (every worker of
    the council when they belong to no team), and themselves."""
    teams = Membership.objects.filter(
        user=actor, council_id=actor.active_council_id, team__isnull=False
    ).values("team")
    memberships = colleagues_list(actor=actor).filter(role__in=WORKER_ROLES)
    if teams.exists():
        memberships = memberships.filter(team__in=teams)
    people = {actor.pk: actor}
    for membership in memberships:
        people.setdefault(membership.user.pk, membership.user)
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


def caseload_child_ids(items) -> list[int]:
    """The children a caseload shows, each once, in the order first shown."""
    return list(dict.fromkeys(item.child.pk for item in items))


def team_worker_ids(*, actor) -> QuerySet:
    """The ids of the workers whose caseloads a team manager answers for: those in their own teams
    (every worker of the council when they belong to no team), as a subquery."""
    from shortbreaks.councils.models import Membership, Role

    council_id = actor.active_council_id if actor.is_authenticated else None
    memberships = Membership.objects.filter(
        council_id=council_id, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
    )
    teams = Membership.objects.filter(user=actor, council_id=council_id, team__isnull=False)
    with_team = memberships.filter(team__in=teams.values("team"))
    return (
        memberships.filter(Q(pk__in=with_team.values("pk")) | ~Exists(teams) | Q(user_id=actor.pk))
        .values("user_id")
        .distinct()
    )
