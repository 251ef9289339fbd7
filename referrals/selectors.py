"""Reads of children and their journey, scoped to the actor's active council.

Whoever may not read children's records (a commissioner, a contract manager) gets no child from
these at all, whatever page asks; they get `aggregates`, which holds no name or identifier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Collate, Concat, TruncMonth
from django.utils import timezone

from contracts.models import Contract, Lot
from providers.models import Provider, Service
from referrals.census import NO_FURTHER_ACTION
from referrals.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Carer,
    CarerAccountEvent,
    CaseNote,
    Child,
    ChildEvent,
    ChildTier,
    GrantApplication,
    GrantScheme,
    GrantStatus,
    OvernightStay,
    Package,
    PackageEvent,
    PackageLine,
    PackageStatus,
    ParentAccount,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralStatus,
    Review,
    ReviewOutcome,
    TierChange,
)
from referrals.overnights import (
    MAX_CONSECUTIVE_NIGHTS,
    MAX_NIGHTS_IN_12_MONTHS,
    OvernightWarning,
    longest_run_through,
    overnight_warnings,
    stay_nights,
    window_start,
)
from shortbreaks.councils.models import Membership, Role
from shortbreaks.councils.selectors import (
    access_by_id,
    colleagues_list,
    get_or_not_found,
    scoped,
)
from shortbreaks.pagination import PAGE_SIZE, NumberedPage, numbered_page
from shortbreaks.search import by_relevance, clean, trigram_search
from shortbreaks.small_numbers import suppress_small_numbers

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


# ----------------------------------------------------------------------------------------------
# Children


def child_list(
    *,
    actor,
    search: str = "",
    tier: str = "",
    keyworker_id: int | None = None,
    overnights: str = "",
    today: date | None = None,
) -> QuerySet[Child]:
    """Children by name; `search` finds names by their sound-alikes ("smith" finds "Smyth"),
    part of the council's id or of the NHS number (spaces ignored), or a whole postcode or UPN.
    The closest names come first when searching."""
    children = trigram_search(
        _readable(Child.objects.select_related("keyworker"), actor).filter(
            merged_into__isnull=True
        ),
        search,
        names=("first_name", "last_name"),
        substrings=("council_child_id",),
        numbers=("nhs_number",),
        exact=("postcode", "upn"),
    )
    if tier:
        children = children.filter(tier=tier)
    if keyworker_id:
        children = children.filter(keyworker_id=keyworker_id)
    if overnights == "near":
        children = near_overnight_limits(children, actor=actor, today=_today(today))
    return by_relevance(children, "last_name", "first_name", "id")


# How alike two names must be (pg_trgm similarity of "first last", 0 to 1) to be a possible match.
NAME_SIMILARITY = 0.4


@dataclass(frozen=True)
class PossibleMatch:
    child: Child
    reasons: tuple[str, ...]


def child_possible_matches(
    *,
    actor=None,
    council=None,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[PossibleMatch]:
    """The council's records that may be this child: the same NHS number; the same date of birth
    and a similar name; the same postcode and a similar name (pg_trgm trigram similarity of the
    whole name). Merged-away records are left out. Staff ask with `actor`; a service checking
    a parent's online application asks with the `council`, and never shows the parent the
    answer."""
    if actor is not None:
        children = _readable(Child.objects.all(), actor)
    else:
        children = Child.objects.filter(council=council)
    children = children.filter(merged_into__isnull=True)
    if exclude_id is not None:
        children = children.exclude(pk=exclude_id)
    name = f"{first_name} {last_name}".strip()
    nhs_number = "".join(nhs_number.split())
    postcode = " ".join(postcode.upper().split())
    match = Q()
    if nhs_number:
        match |= Q(nhs_number=nhs_number)
    similar = Q(name_similarity__gte=NAME_SIMILARITY)
    if name and date_of_birth:
        match |= Q(date_of_birth=date_of_birth) & similar
    if name and postcode:
        match |= Q(postcode__iexact=postcode) & similar
    if not match:
        return []
    children = children.annotate(
        name_similarity=TrigramSimilarity(
            Concat("first_name", Value(" "), "last_name", output_field=CharField()), name
        )
    ).filter(match)
    found = []
    for child in children.order_by("-name_similarity", "last_name", "id")[:limit]:
        reasons = []
        if nhs_number and child.nhs_number == nhs_number:
            reasons.append("the same NHS number")
        alike = child.name_similarity >= NAME_SIMILARITY
        if alike and date_of_birth and child.date_of_birth == date_of_birth:
            reasons.append("the same date of birth and a similar name")
        if alike and postcode and child.postcode.upper() == postcode:
            reasons.append("the same postcode and a similar name")
        found.append(PossibleMatch(child, tuple(reasons)))
    return found


def case_note_list(*, actor, child: Child) -> QuerySet[CaseNote]:
    """The child's case notes, newest first; none for anyone who may not read them."""
    if not actor.is_authenticated or not actor.has_perm("referrals.view_casenote"):
        return CaseNote.objects.none()
    return (
        scoped(CaseNote.objects.filter(child=child), actor=actor)
        .select_related("author", "corrects")
        .order_by("-on", "-id")
    )


def access_case_note_by_id(*, actor, child: Child, note_id) -> CaseNote:
    """One note of one child of the actor's council; another child's is exactly as missing."""
    return get_or_not_found(case_note_list(actor=actor, child=child), pk=note_id)


def access_child_by_id(*, actor, child_id) -> Child:
    """One child of the actor's council; another council's child is exactly as missing."""
    return get_or_not_found(
        _readable(Child.objects.select_related("keyworker"), actor), pk=child_id
    )


def access_carer_by_id(*, actor, child_id, carer_id) -> tuple[Child, Carer]:
    """One carer of one child of the actor's council, with their parent account; another
    council's child or carer, or another child's carer, is exactly as missing."""
    child = access_child_by_id(actor=actor, child_id=child_id)
    carer = get_or_not_found(
        Carer.objects.filter(child=child).select_related("account"), pk=carer_id
    )
    return child, carer


def child_summary_parts(*, child: Child) -> dict:
    """The carers and the changes of tier the summary of a child's record shows, a query each."""
    return {
        "carers": list(Carer.objects.filter(child=child).select_related("account").order_by("id")),
        "tier_changes": list(
            TierChange.objects.filter(child=child).select_related("decided_by").order_by("on", "id")
        ),
    }


def child_referral_list(*, child: Child) -> list[Referral]:
    """The child's referrals, newest first, with their forms and letters (two queries)."""
    return list(
        Referral.objects.filter(child=child)
        .prefetch_related("documents")
        .order_by("-received_on", "-id")
    )


def child_grant_application_list(*, child: Child) -> list[GrantApplication]:
    return list(
        GrantApplication.objects.filter(child=child)
        .select_related("scheme")
        .order_by("-received_on", "-id")
    )


def child_assessment_list(*, child: Child) -> list[Assessment]:
    return list(
        Assessment.objects.filter(child=child)
        .select_related("completed_by", "authorised_by")
        .order_by("-started_on", "-id")
    )


def child_has_authorised_assessment(*, child: Child) -> bool:
    """Whether a package may be proposed: the child has an authorised assessment."""
    return Assessment.objects.filter(child=child, status=AssessmentStatus.AUTHORISED).exists()


def child_package_list(*, child: Child, with_lines: bool = False) -> list[Package]:
    """The child's packages, newest first (one query); with their lines, services and providers
    (one more) when `with_lines`, each package then carrying `cost_per_week` and `line_list`."""
    packages = Package.objects.filter(child=child).order_by("-start_on", "-id")
    if with_lines:
        packages = packages.prefetch_related(
            Prefetch(
                "lines",
                queryset=PackageLine.objects.select_related("service", "provider").order_by(
                    "start_on", "id"
                ),
                to_attr="line_list",
            )
        )
    packages = list(packages)
    if with_lines:
        for package in packages:
            package.cost_per_week = sum(
                (line.cost_per_week for line in package.line_list), start=Decimal(0)
            )
    return packages


def child_review_list(*, child: Child) -> list[Review]:
    return list(
        Review.objects.filter(package__child=child)
        .select_related("package")
        .order_by("-held_on", "-id")
    )


def child_document_list(*, child: Child) -> list[ReferralDocument]:
    """The forms and letters held on the child's referrals, newest first, in one query."""
    return list(
        ReferralDocument.objects.filter(referral__child=child)
        .select_related("referral", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def _count_of(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def _latest_of(queryset: QuerySet, field: str, *order: str) -> Subquery:
    return Subquery(queryset.order_by(*order).values(field)[:1])


def child_record_counts(*, child: Child) -> dict:
    """How many referrals, grant applications, assessments, reviews and documents the child's
    record holds, with the latest of each, for the summary's lines: one query."""
    referrals = Referral.objects.filter(child=OuterRef("pk"))
    grants = GrantApplication.objects.filter(child=OuterRef("pk"))
    assessments = Assessment.objects.filter(child=OuterRef("pk"))
    reviews = Review.objects.filter(package__child=OuterRef("pk"))
    documents = ReferralDocument.objects.filter(referral__child=OuterRef("pk"))
    row = (
        Child.objects.filter(pk=child.pk)
        .annotate(
            referral_count=_count_of(referrals),
            referral_on=_latest_of(referrals, "received_on", "-received_on", "-id"),
            referral_status=_latest_of(referrals, "status", "-received_on", "-id"),
            grant_count=_count_of(grants),
            grant_on=_latest_of(grants, "received_on", "-received_on", "-id"),
            assessment_count=_count_of(assessments),
            assessment_on=_latest_of(assessments, "started_on", "-started_on", "-id"),
            assessment_status=_latest_of(assessments, "status", "-started_on", "-id"),
            review_count=_count_of(reviews),
            review_on=_latest_of(reviews, "held_on", "-held_on", "-id"),
            review_outcome=_latest_of(reviews, "outcome", "-held_on", "-id"),
            document_count=_count_of(documents),
            document_at=_latest_of(documents, "uploaded_at", "-uploaded_at", "-id"),
        )
        .values(
            "referral_count",
            "referral_on",
            "referral_status",
            "grant_count",
            "grant_on",
            "assessment_count",
            "assessment_on",
            "assessment_status",
            "review_count",
            "review_on",
            "review_outcome",
            "document_count",
            "document_at",
        )
        .get()
    )
    for name in ("referral", "grant", "assessment", "review", "document"):
        row[f"{name}_count"] = row[f"{name}_count"] or 0
    if row["referral_status"]:
        row["referral_status"] = ReferralStatus(row["referral_status"]).label
    if row["assessment_status"]:
        row["assessment_status"] = AssessmentStatus(row["assessment_status"]).label
    if row["review_outcome"]:
        row["review_outcome"] = ReviewOutcome(row["review_outcome"]).label
    return row


CHILD_DUE_SHOWN = 5


def child_due_list(
    *, actor, child: Child, today: date | None = None, size: int = CHILD_DUE_SHOWN
) -> list[CaseloadItem]:
    """What is due next on one child's record, overdue first then soonest, as the keyworker's
    caseload shows it (the same kinds and due dates), at most `size` items, in one query."""
    today = _today(today)
    first, *rest = (
        part.filter(child_id=child.pk)
        for part in _caseload_parts(actor=actor, worker=child.keyworker, today=today)
    )
    rows = first.union(*rest, all=True).order_by("-overdue", "due", "rank", "record")[:size]
    return [
        CaseloadItem(
            child=child,
            kind=kind,
            what=CASELOAD_WHAT[kind],
            due_on=due,
            overdue=overdue,
            record_id=record,
        )
        for kind, _rank, record, _child, due, _name, overdue in rows
    ]


@dataclass(frozen=True)
class ChildAlert:
    """A warning shown in the identity bar of a child's record."""

    words: str
    href_name: str  # the URL name of the page that explains it


def child_alerts(*, child: Child, packages: list, today: date | None = None) -> list[ChildAlert]:
    """What needs attention on a child's record: nights away near or past the looked-after
    thresholds (one query), and reviews overdue on the packages already read for the page."""
    today = _today(today)
    alerts = []
    summary = overnight_summary(child=child, today=today)
    if summary.nights_in_12_months >= NEAR_NIGHTS_IN_12_MONTHS:
        alerts.append(
            ChildAlert(
                f"{summary.nights_in_12_months} nights away in 12 months "
                f"(the limit is {MAX_NIGHTS_IN_12_MONTHS})",
                "referrals:overnights",
            )
        )
    if summary.longest_stay_in_12_months >= NEAR_CONSECUTIVE_NIGHTS:
        alerts.append(
            ChildAlert(
                f"A stay of {summary.longest_stay_in_12_months} nights "
                f"(the limit is {MAX_CONSECUTIVE_NIGHTS})",
                "referrals:overnights",
            )
        )
    for package in packages:
        due = package.next_review_due
        if package.status == PackageStatus.ACTIVE and due and due < today:
            alerts.append(
                ChildAlert(
                    f"Review overdue since {due.day} {due:%B %Y}", "referrals:child-packages"
                )
            )
    return alerts


def access_referral_by_id(*, actor, referral_id) -> Referral:
    return get_or_not_found(
        _readable(Referral.objects.select_related("child"), actor), pk=referral_id
    )


def referral_list(*, actor, status: str = "") -> QuerySet[Referral]:
    referrals = _readable(Referral.objects.select_related("child"), actor)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-received_on", "-id")


def access_document_by_id(*, actor, document_id) -> ReferralDocument:
    return get_or_not_found(
        _readable(ReferralDocument.objects.select_related("referral__child"), actor),
        pk=document_id,
    )


def access_assessment_by_id(*, actor, assessment_id) -> Assessment:
    return get_or_not_found(
        _readable(Assessment.objects.select_related("child", "referral"), actor), pk=assessment_id
    )


def access_package_by_id(*, actor, package_id) -> Package:
    return get_or_not_found(
        _readable(Package.objects.select_related("child", "assessment"), actor), pk=package_id
    )


def access_package_line_by_id(*, actor, line_id) -> PackageLine:
    return get_or_not_found(
        _readable(PackageLine.objects.select_related("package", "service", "provider"), actor),
        pk=line_id,
    )


def package_lines(*, package: Package) -> QuerySet[PackageLine]:
    return PackageLine.objects.filter(package=package).select_related(
        "service", "provider", "lot__contract"
    )


def access_review_by_id(*, actor, review_id) -> Review:
    return get_or_not_found(
        _readable(Review.objects.select_related("package__child", "reassessment"), actor),
        pk=review_id,
    )


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
# The child's timeline


# Package events that the timeline shows under their own heading.
PACKAGE_EVENT_KINDS = {
    "panel": "panel",
    "reviewed": "review",
    "ceased": "review",
    "brokerage": "brokerage",
}


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    at: datetime | None
    kind: str
    summary: str
    actor: str = ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def child_timeline(*, actor, child: Child) -> list[TimelineEntry]:
    """Every dated event of the child's journey, oldest first, one query per kind of record."""
    if not _readable(Child.objects.filter(pk=child.pk), actor).exists():
        return []
    entries: list[TimelineEntry] = []
    for event in ReferralEvent.objects.filter(referral__child=child).select_related(
        "actor", "referral"
    ):
        to = ReferralStatus(event.to_status).label
        summary = f"Referral: {to.lower()}."
        if event.from_status == event.to_status:  # the episode closed; the status stayed
            summary = "Referral:"
        if event.reason:
            summary += f" {event.reason}"
        entries.append(TimelineEntry(event.on, event.at, "referral", summary, _name(event.actor)))
    for document in ReferralDocument.objects.filter(referral__child=child).select_related(
        "uploaded_by"
    ):
        entries.append(
            TimelineEntry(
                timezone.localtime(document.uploaded_at).date(),
                document.uploaded_at,
                "document",
                f"Document added to the referral: {document.original_name}.",
                _name(document.uploaded_by),
            )
        )
    for change in TierChange.objects.filter(child=child).select_related("decided_by"):
        entries.append(
            TimelineEntry(
                change.on,
                change.at,
                "tier",
                f"Tier: {ChildTier(change.from_tier).label.lower()} to "
                f"{ChildTier(change.to_tier).label.lower()}. {change.reason}",
                _name(change.decided_by),
            )
        )
    for event in AssessmentEvent.objects.filter(assessment__child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "assessment", event.summary, _name(event.actor))
        )
    for event in PackageEvent.objects.filter(package__child=child).select_related("actor"):
        kind = PACKAGE_EVENT_KINDS.get(event.kind, "package")
        entries.append(TimelineEntry(event.on, event.at, kind, event.summary, _name(event.actor)))
    for event in CarerAccountEvent.objects.filter(child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "carer", event.summary, _name(event.actor))
        )
    for application in GrantApplication.objects.filter(child=child).select_related(
        "scheme", "decided_by"
    ):
        entries.append(
            TimelineEntry(
                application.received_on,
                application.created_at,
                "grant",
                f"Application to {application.scheme} received.",
            )
        )
        if application.decided_on:
            outcome = (
                f"approved: £{application.amount:,.2f}"
                if application.status == GrantStatus.APPROVED
                else f"declined: {application.decline_reason}"
            )
            entries.append(
                TimelineEntry(
                    application.decided_on,
                    None,
                    "grant",
                    f"Application to {application.scheme} {outcome}",
                    _name(application.decided_by),
                )
            )
    for event in ChildEvent.objects.filter(child=child).select_related("actor"):
        entries.append(
            TimelineEntry(event.on, event.at, "record", event.summary, _name(event.actor))
        )
    if actor.has_perm("referrals.view_casenote"):
        # The note's kind and date only: its words are read on the notes page, which logs them.
        for note in CaseNote.objects.filter(child=child).select_related("author"):
            kind = note.get_kind_display().lower()
            summary = (
                f"Case note: {kind}, correcting an earlier one."
                if note.corrects_id
                else (f"Case note: {kind}.")
            )
            entries.append(
                TimelineEntry(note.on, note.created_at, "note", summary, _name(note.author))
            )
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(entries, key=lambda e: (e.on, e.at or epoch))


# ----------------------------------------------------------------------------------------------
# Caseload and the authorisation queue


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


def caseload_overdue_count(*, actor, worker=None, today: date | None = None) -> int:
    """How many of the worker's caseload items are overdue, counted by the database."""
    today = _today(today)
    first, *rest = (
        part.filter(due__lt=today)
        for part in _caseload_parts(actor=actor, worker=worker or actor, today=today)
    )
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
) -> NumberedPage:
    """One page of `grant_waiting_list`, each application with `days_waiting`."""
    today = _today(today)
    waiting = numbered_page(
        grant_waiting_list(actor=actor, longer_than_days=longer_than_days, today=today),
        number=page,
        size=size,
    )
    for application in waiting:
        application.days_waiting = (today - application.received_on).days
    return waiting


def grant_waiting_counts(*, actor, longer_than_days: int, today: date | None = None) -> dict:
    """How many applications wait, and how many of them for longer than `longer_than_days`,
    counted by the database in one query."""
    cutoff = _today(today) - timedelta(days=longer_than_days)
    return (
        _readable(GrantApplication.objects.all(), actor)
        .filter(status=GrantStatus.RECEIVED)
        .aggregate(waiting=Count("id"), long_waits=Count("id", filter=Q(received_on__lt=cutoff)))
    )


def grant_backlog_by_month(*, actor) -> list[dict]:
    """How many applications still wait, by the month they arrived, oldest month first."""
    rows = (
        scoped(GrantApplication.objects.all(), actor=actor)
        .filter(status=GrantStatus.RECEIVED)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(waiting=Count("id"))
        .order_by("month")
    )
    return [{"month": row["month"], "waiting": row["waiting"]} for row in rows]


# ----------------------------------------------------------------------------------------------
# Overnight stays


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


# ----------------------------------------------------------------------------------------------
# Aggregates for commissioners: counts, hours and costs, never a child's name or identifier


# The support running on a day, summed by the database in one pass over the council's package
# lines: one GROUPING SET a table (by service, by contract lot, by funding route) and the empty
# set for the totals. Each line's cost is worked out as `line_costs` does it (hours a week, or
# nights a year over 52 weeks, times the unit rate, each rounded to the penny half to even, as
# Python's Decimal rounds) before it is summed, so the sums are the pennies they always were.
# The labels are made as the tables show them; the tables sort by them in Python (`sorted`).
_HALF_EVEN = (
    "(round({x}, 2) - CASE WHEN {x} * 100 - floor({x} * 100) = 0.5 "
    "AND mod(floor({x} * 100), 2) = 0 THEN 0.01 ELSE 0 END)"
)
_SUPPORT_SQL = """
WITH line AS (
    SELECT
        l.package_id,
        p.child_id,
        l.funding_route,
        l.hours_per_week,
        l.nights_per_year,
        l.service_id,
        l.provider_id,
        l.lot_id,
        CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate
             ELSE l.nights_per_year * l.unit_rate / 52 END AS weekly,
        CASE WHEN l.hours_per_week IS NOT NULL THEN l.hours_per_week * l.unit_rate * 52
             ELSE l.nights_per_year * l.unit_rate END AS yearly
    FROM {package} p
    JOIN {line} l ON l.package_id = p.id
    WHERE p.council_id = %(council)s
      -- A line and its package are one council's: saying so lets each be read from the
      -- council's own index rather than every council's table.
      AND l.council_id = %(council)s
      AND p.status = %(active)s
      AND l.start_on <= %(today)s
      AND (l.end_on IS NULL OR l.end_on >= %(today)s)
),
-- Grouped by the ids of the service and provider, and of the lot (numbers sort faster than the
-- labels); each group's label is made after, from its one service and provider, or lot and
-- contract.
grouped AS (
    SELECT
        GROUPING(service_id, lot_id, funding_route) AS grouped_by,
        service_id,
        provider_id,
        lot_id,
        funding_route,
        count(DISTINCT child_id) AS children,
        count(*) AS lines,
        count(DISTINCT package_id) AS packages,
        coalesce(sum(hours_per_week), 0) AS hours_per_week,
        coalesce(sum(nights_per_year), 0) AS nights_per_year,
        coalesce(sum({weekly}), 0) AS cost_per_week,
        coalesce(sum({yearly}), 0) AS cost_per_year
    FROM line
    GROUP BY GROUPING SETS ((service_id, provider_id), (lot_id), (funding_route), ())
)
SELECT
    g.grouped_by,
    s.title || ' (' || pr.name || ')' AS service_label,
    CASE WHEN lot.id IS NULL THEN 'No contract lot'
         ELSE coalesce(c.reference, '') || ' lot ' || lot.number || ': ' || lot.name
    END AS lot_label,
    g.funding_route,
    g.children, g.lines, g.packages, g.hours_per_week, g.nights_per_year, g.cost_per_week,
    g.cost_per_year
FROM grouped g
LEFT JOIN {service} s ON s.id = g.service_id
LEFT JOIN {provider} pr ON pr.id = g.provider_id
LEFT JOIN {lot} lot ON lot.id = g.lot_id
LEFT JOIN {contract} c ON c.id = lot.contract_id
"""
# GROUPING(service, lot, route) has a bit set for each column the row is not grouped by.
_BY_SERVICE, _BY_LOT, _BY_ROUTE, _TOTALS = 0b011, 0b101, 0b110, 0b111
_SUPPORT_COLUMNS = (
    "children",
    "lines",
    "packages",
    "hours_per_week",
    "nights_per_year",
    "cost_per_week",
    "cost_per_year",
)


def _support_sql() -> str:
    quote = connection.ops.quote_name
    return _SUPPORT_SQL.format(
        line=quote(PackageLine._meta.db_table),
        package=quote(Package._meta.db_table),
        service=quote(Service._meta.db_table),
        provider=quote(Provider._meta.db_table),
        lot=quote(Lot._meta.db_table),
        contract=quote(Contract._meta.db_table),
        weekly=_HALF_EVEN.format(x="weekly"),
        yearly=_HALF_EVEN.format(x="yearly"),
    )


def _support_running(*, council_id: int | None, today: date) -> dict[int, list[dict]]:
    """The support running on `today` in one council, each table's rows keyed by its grouping."""
    tables: dict[int, list[dict]] = defaultdict(list)
    if council_id is None:
        return tables
    with connection.cursor() as cursor:
        cursor.execute(
            _support_sql(),
            {"council": council_id, "active": PackageStatus.ACTIVE, "today": today},
        )
        for grouped_by, service, lot, route, *numbers in cursor.fetchall():
            label = {_BY_SERVICE: service, _BY_LOT: lot, _BY_ROUTE: route}.get(grouped_by)
            tables[grouped_by].append(
                {"label": label, **dict(zip(_SUPPORT_COLUMNS, numbers, strict=True))}
            )
    return tables


def _no_support() -> dict:
    return {
        "children": 0,
        "lines": 0,
        "packages": 0,
        "hours_per_week": Decimal(0),
        "nights_per_year": 0,
        "cost_per_week": Decimal(0),
        "cost_per_year": Decimal(0),
    }


def aggregates(*, actor, today: date | None = None) -> dict:
    """The actor's council's children counted by tier, and the support running on `today`:
    hours, nights and cost by service, by contract lot and by funding route, each with how many
    children it counts. Only labels and numbers leave here; the line query selects no column of
    the child's own table (the package's child id only, to count children once each). Every sum
    and count is the database's (three queries, however many lines). These are the exact numbers:
    what is published goes through `aggregates_labelled`."""
    today = _today(today)
    tier_counts = dict(
        scoped(Child.objects.filter(merged_into__isnull=True), actor=actor)
        .values("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
    )
    package_counts = dict(
        scoped(Package.objects.all(), actor=actor)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    council_id = actor.active_council_id if actor.is_authenticated else None
    tables = _support_running(council_id=council_id, today=today)
    [totals] = tables.get(_TOTALS) or [{"label": None, **_no_support()}]
    totals.pop("label")

    def table(grouped_by: int) -> list[dict]:
        return sorted(tables.get(grouped_by, []), key=lambda row: row["label"])

    return {
        "on": today,
        "children_by_tier": {tier: tier_counts.get(tier, 0) for tier in ChildTier.values},
        "packages_by_status": {
            status: package_counts.get(status, 0) for status in PackageStatus.values
        },
        "by_service": table(_BY_SERVICE),
        "by_lot": table(_BY_LOT),
        "by_funding_route": table(_BY_ROUTE),
        "totals": totals,
    }


# --- assessments ---


def assessment_list(
    *, actor, child_id: int | None = None, status: str = ""
) -> QuerySet[Assessment]:
    """The council's assessments, newest first, with the people who took each step."""
    assessments = _readable(
        Assessment.objects.select_related("child", "started_by", "completed_by", "authorised_by"),
        actor,
    )
    if child_id is not None:
        assessments = assessments.filter(child_id=child_id)
    if status:
        assessments = assessments.filter(status=status)
    return assessments.order_by("-started_on", "-id")


def assessment_events(*, assessment: Assessment) -> QuerySet[AssessmentEvent]:
    """The dated steps of one assessment, oldest first: started, completed, returned, authorised."""
    return (
        AssessmentEvent.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("on", "id")
    )


def panel_decision_list(*, actor, package_id: int | None = None) -> QuerySet:
    """The resource panel's decisions in the council, oldest first."""
    from referrals.models import PanelDecision

    decisions = _readable(PanelDecision.objects.select_related("package", "recorded_by"), actor)
    if package_id is not None:
        decisions = decisions.filter(package_id=package_id)
    return decisions.order_by("decided_on", "id")


def access_panel_decision_by_id(*, actor, decision_id):
    """One panel decision; another council's is exactly as missing."""
    from referrals.models import PanelDecision

    return get_or_not_found(
        _readable(PanelDecision.objects.select_related("package__child", "recorded_by"), actor),
        pk=decision_id,
    )


# --- reviews ---


def review_list(*, actor, package_id: int | None = None) -> QuerySet[Review]:
    """Reviews of the actor's council, newest first, with what a list shows in one query."""
    reviews = _readable(Review.objects.select_related("package", "reassessment"), actor)
    if package_id is not None:
        reviews = reviews.filter(package_id=package_id)
    return reviews.order_by("-held_on", "-id")


SUPPORT_WITHHELD = (
    "packages",
    "lines",
    "hours_per_week",
    "nights_per_year",
    "cost_per_week",
    "cost_per_year",
)


def aggregates_labelled(
    *,
    actor,
    today: date | None = None,
    service_page: int | None = None,
    size: int = PAGE_SIZE,
) -> dict:
    """`aggregates` as it is published, in pages, the API and the export alike: labelled rows for
    tables and JSON (each count beside the name of its tier, status or funding route), and every
    cell that counts 1 to 4 children shown as "fewer than 5" with its hours and costs withheld
    (`suppress_small_numbers`). Still only labels and numbers.

    The table by service has a row for each service a council commissions, hundreds in a big
    council: with `service_page` it holds that page of `size` rows (`by_service_page` says which
    and whether more follow); without, every row (the export). Small numbers are suppressed row
    by row, so a page suppresses what the whole table does."""
    from referrals.models import FundingRoute

    data = aggregates(actor=actor, today=today)
    routes = dict(FundingRoute.choices)

    def support(row: dict) -> dict:
        return suppress_small_numbers(row, children="children", withhold=SUPPORT_WITHHELD)

    by_service = data["by_service"]
    page = None
    if service_page is not None:
        page = numbered_page(by_service, number=service_page, size=size)
        by_service = page.rows
    return {
        "on": data["on"],
        "children_by_tier": [
            suppress_small_numbers(
                {"tier": tier, "label": ChildTier(tier).label, "children": count},
                children="children",
            )
            for tier, count in data["children_by_tier"].items()
        ],
        # Each package is one child's, so a count of 1 to 4 packages is one of 1 to 4 children.
        "packages_by_status": [
            suppress_small_numbers(
                {"status": status, "label": PackageStatus(status).label, "packages": count},
                children="packages",
            )
            for status, count in data["packages_by_status"].items()
        ],
        "by_service": [support(row) for row in by_service],
        "by_lot": [support(row) for row in data["by_lot"]],
        "by_funding_route": [
            support(
                {
                    **row,
                    "funding_route": row["label"],
                    "label": routes.get(row["label"], row["label"]),
                }
            )
            for row in data["by_funding_route"]
        ],
        "totals": support(data["totals"]),
        "by_service_page": page,
    }


# --- grants ---


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


# --- parent carer accounts ---
# A parent account has no staff membership and no active council, so none of the reads above
# gives it anything. These give it only what is its own: the children whose carer record is linked
# to it, in its own council, and those children's applications and current support.


def parent_account(*, actor) -> ParentAccount | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return ParentAccount.objects.select_related("council").filter(user=actor).first()


def unconfirmed_parent_account(*, account_id, council) -> ParentAccount | None:
    """An account of `council` still waiting for its emailed link (for the link's page, which
    has no actor: the signed link names the account)."""
    return (
        ParentAccount.objects.select_related("user", "council")
        .filter(pk=account_id, council=council, confirmed_at__isnull=True, user__is_active=False)
        .first()
    )


def _parent_children(actor) -> QuerySet[Child]:
    account = parent_account(actor=actor)
    if account is None or not actor.is_active:
        return Child.objects.none()
    linked = Carer.objects.filter(council_id=account.council_id, account=actor).values("child")
    return Child.objects.filter(council_id=account.council_id, pk__in=linked)


def parent_children(*, actor) -> QuerySet[Child]:
    """The children linked to the parent's account, by name."""
    return _parent_children(actor).order_by("first_name", "last_name", "id")


def parent_access_child_by_id(*, actor, child_id) -> Child:
    """One of the parent's own children; anyone else's is exactly as missing."""
    return get_or_not_found(_parent_children(actor), pk=child_id)


def parent_applications(*, actor) -> QuerySet[GrantApplication]:
    """The applications of the parent's children, newest first."""
    return (
        GrantApplication.objects.filter(child__in=_parent_children(actor))
        .select_related("scheme", "child")
        .order_by("-received_on", "-id")
    )


def parent_access_application_by_id(*, actor, application_id) -> GrantApplication:
    return get_or_not_found(parent_applications(actor=actor), pk=application_id)


def current_grant_scheme(*, council) -> GrantScheme | None:
    """The council's newest targeted grant or allowance scheme, which parents apply to online."""
    return GrantScheme.objects.filter(council=council).order_by("-year", "name", "id").first()


@dataclass(frozen=True)
class SupportSummary:
    """One service of a child's current package, as the family reads it: no cost, no notes."""

    service: str
    provider: str
    hours_per_week: Decimal | None
    nights_per_year: int | None
    start_on: date
    end_on: date | None
    starting: bool


def parent_support_summary(
    *, children: list[Child], today: date | None = None
) -> dict[int, list[SupportSummary]]:
    """Each child's support running or approved to start: service, provider, hours a week or
    nights a year, from when to when. One query for all the children."""
    today = _today(today)
    summary: dict[int, list[SupportSummary]] = {child.pk: [] for child in children}
    lines = (
        PackageLine.objects.filter(
            package__child__in=list(summary),
            package__status__in=[PackageStatus.APPROVED, PackageStatus.ACTIVE],
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        .values(
            "package__child_id",
            "package__status",
            "service__title",
            "provider__name",
            "hours_per_week",
            "nights_per_year",
            "start_on",
            "end_on",
        )
        .order_by("start_on", "id")
    )
    for row in lines:
        summary[row["package__child_id"]].append(
            SupportSummary(
                service=row["service__title"],
                provider=row["provider__name"],
                hours_per_week=row["hours_per_week"],
                nights_per_year=row["nights_per_year"],
                start_on=row["start_on"],
                end_on=row["end_on"],
                starting=row["package__status"] == PackageStatus.APPROVED
                or row["start_on"] > today,
            )
        )
    return summary


# ----------------------------------------------------------------------------------------------
# The children in need census (referrals/census.py)

CENSUS = "referrals.make_census_return"


def census_children(*, actor, start: date, reference_date: date) -> QuerySet[Child]:
    """The actor's council's children with a children in need episode open at any time from
    `start` to `reference_date` (`referrals.census.episode_in_year` says the same per referral),
    each with those episodes (`census_episodes`) and the assessments under way in the period
    (`census_assessments`): three queries however many children. Nothing for anyone who may not
    make the census return."""
    if not actor.is_authenticated or not actor.has_perm(CENSUS):
        return Child.objects.none()
    episodes = Referral.objects.filter(received_on__lte=reference_date).filter(
        Q(status__in=NO_FURTHER_ACTION, received_on__gte=start)
        | (~Q(status__in=NO_FURTHER_ACTION) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)))
    )
    assessments = Assessment.objects.filter(started_on__lte=reference_date).filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=start)
    )
    return (
        scoped(Child.objects.all(), actor=actor)
        .filter(Exists(episodes.filter(child=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=episodes.order_by("received_on", "id"),
                to_attr="census_episodes",
            ),
            Prefetch(
                "assessments",
                queryset=assessments.order_by("started_on", "id"),
                to_attr="census_assessments",
            ),
        )
        .order_by("council_child_id", "id")
    )


# ----------------------------------------------------------------------------------------------
# Counts for the home page's work tray: each one query, however many rows it counts

# Within reach of the looked-after thresholds (referrals.overnights): this many nights in the 12
# months to today, or away every one of this many nights up to today (a stay running so long).
NEAR_NIGHTS_IN_12_MONTHS = MAX_NIGHTS_IN_12_MONTHS - 10
NEAR_CONSECUTIVE_NIGHTS = MAX_CONSECUTIVE_NIGHTS - 3

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


def near_overnight_limits(children: QuerySet[Child], *, actor, today: date) -> QuerySet[Child]:
    """`children` narrowed to those near the looked-after thresholds on `today`: at least
    NEAR_NIGHTS_IN_12_MONTHS nights in the 12 months to today, or away each of the last
    NEAR_CONSECUTIVE_NIGHTS nights (a stay that long and still running)."""
    recent = today - timedelta(days=NEAR_CONSECUTIVE_NIGHTS - 1)
    near = (
        scoped(OvernightStay.objects.all(), actor=actor)
        .filter(night__gte=window_start(today), night__lte=today)
        .order_by()
        .values("child_id")
        # Nights counted, not ids: the council's (council, child, night) index answers it alone
        # (an index-only scan in child order; 30 ms for a big council's 72,000 nights, not 170).
        .annotate(in_year=Count("night"), recent=Count("night", filter=Q(night__gte=recent)))
        .filter(Q(in_year__gte=NEAR_NIGHTS_IN_12_MONTHS) | Q(recent__gte=NEAR_CONSECUTIVE_NIGHTS))
        .values("child_id")
    )
    return children.filter(pk__in=near)


def panel_queue(*, actor) -> QuerySet[Package]:
    """Packages proposed and waiting for the resource panel's decision, oldest first."""
    return (
        _readable(Package.objects.select_related("child"), actor)
        .filter(status=PackageStatus.PROPOSED)
        .order_by("created_at", "id")
    )


def referral_search(*, actor, search: str) -> QuerySet[Referral]:
    """The referrals of the children a search finds (by name, child id, NHS number, postcode or
    UPN, as `child_list`), newest first. A blank search finds none."""
    if not clean(search):
        return Referral.objects.none()
    children = child_list(actor=actor, search=search).order_by().values("pk")
    return (
        _readable(Referral.objects.select_related("child"), actor)
        .filter(child__in=children)
        .order_by("-received_on", "-id")
    )


def package_lines_running_on(*, today: date) -> QuerySet[PackageLine]:
    """Package lines of packages in force that have not ended by `today`: the support running
    on contracts' lots, which the register counts as overrunning once a contract has expired
    (registered in `contracts.running_support`)."""
    return PackageLine.objects.filter(package__status=PackageStatus.ACTIVE).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
