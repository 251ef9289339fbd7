"""Reads of children: the list, possible duplicates, one child's record and what it shows (its
referrals, assessments, packages, reviews, documents, counts, what is due and its alerts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import (
    CharField,
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
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from referrals.models import (
    Assessment,
    AssessmentStatus,
    Carer,
    Child,
    GrantApplication,
    Package,
    PackageLine,
    PackageStatus,
    Referral,
    ReferralDocument,
    ReferralStatus,
    Review,
    ReviewOutcome,
    TierChange,
)
from referrals.overnights import MAX_CONSECUTIVE_NIGHTS, MAX_NIGHTS_IN_12_MONTHS
from referrals.selectors.caseload import CASELOAD_WHAT, CaseloadItem, _caseload_parts
from referrals.selectors.common import _readable, _today
from referrals.selectors.overnights import (
    NEAR_CONSECUTIVE_NIGHTS,
    NEAR_NIGHTS_IN_12_MONTHS,
    near_overnight_limits,
    overnight_summary,
)
from shortbreaks.councils.models import User
from shortbreaks.councils.selectors import get_or_not_found
from shortbreaks.search import by_relevance, trigram_search


def search_children(children: QuerySet[Child], search: str) -> QuerySet[Child]:
    """`children` narrowed to those whose names sound like the search's words, or whose council
    id or NHS number holds it, or whose postcode or UPN is it (see `trigram_search`)."""
    return trigram_search(
        children,
        search,
        names=("first_name", "last_name"),
        substrings=("council_child_id",),
        numbers=("nhs_number",),
        exact=("postcode", "upn"),
    )


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
    children = search_children(
        _readable(Child.objects.select_related("keyworker"), actor).filter(
            merged_into__isnull=True
        ),
        search,
    )
    if tier:
        children = children.filter(tier=tier)
    if keyworker_id:
        children = children.filter(keyworker_id=keyworker_id)
    if overnights == "near":
        children = near_overnight_limits(children, actor=actor, today=_today(today))
    return by_relevance(children, "last_name", "first_name", "id")


def with_keyworker_name(children: QuerySet[Child]) -> QuerySet[Child]:
    """`children` (from `child_list`) with each one's keyworker's name as `keyworker_name`, what
    `str(user)` gives (their full name, else their username; None for no keyworker), in place of
    the keyworker's whole row. As a subquery, PostgreSQL reads it for the rows of the page alone,
    after the closest matches are sorted out: a join reads the keyworker of every match first
    (291 children for "smith" in a council of 30,000, to show 50)."""
    name = (
        User.objects.filter(pk=OuterRef("keyworker_id"))
        .annotate(
            shown=Coalesce(
                NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")),
                "username",
            )
        )
        .values("shown")[:1]
    )
    return children.select_related(None).annotate(keyworker_name=Subquery(name))


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
