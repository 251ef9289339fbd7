"""Reads for a parent carer account. A parent account has no staff membership and no active
council, so none of the staff reads gives it anything; these give it only what is its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from referrals.models import (
    Carer,
    Child,
    GrantApplication,
    GrantScheme,
    PackageLine,
    PackageStatus,
    ParentAccount,
)
from referrals.selectors.common import _today
from shortbreaks.councils.selectors import get_or_not_found

# A parent account has no staff membership and no active council, so none of the staff reads
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
