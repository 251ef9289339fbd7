"""Reads of audit reports, recommendations and evidence, scoped to the actor's active council.

Another council's id raises the same not-found as a missing one. A recommendation is overdue when
its review date has passed and it is not complete; lists carry that as an `overdue` annotation.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from audits.models import (
    AuditReport,
    EvidenceKind,
    EvidenceLink,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)
from contracts.models import Contract, Extension, MonitoringRecord
from referrals.models import ReferralDocument
from shortbreaks.councils.models import STAFF_ROLES, User
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped

CHOICES_LIMIT = 500  # the newest records offered when choosing evidence


def _overdue(today: date | None):
    today = today or timezone.localdate()
    return Case(
        When(
            Q(review_date__lt=today) & ~Q(status=RecommendationStatus.COMPLETE),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def audit_report_list(*, actor, today: date | None = None) -> QuerySet[AuditReport]:
    """The council's reports, newest first, with counts of their recommendations."""
    today = today or timezone.localdate()
    not_complete = ~Q(recommendations__status=RecommendationStatus.COMPLETE)
    return (
        scoped(AuditReport.objects.select_related("follow_up_of"), actor=actor)
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            outstanding_count=Count("recommendations", filter=not_complete, distinct=True),
            overdue_count=Count(
                "recommendations",
                filter=not_complete & Q(recommendations__review_date__lt=today),
                distinct=True,
            ),
        )
        .order_by("-report_date", "-id")
    )


def access_audit_report_by_id(*, actor, report_id) -> AuditReport:
    return access_by_id(
        AuditReport.objects.select_related("follow_up_of", "created_by"), actor=actor, pk=report_id
    )


def follow_ups_of(*, actor, report: AuditReport) -> QuerySet[AuditReport]:
    return scoped(AuditReport.objects.filter(follow_up_of=report), actor=actor).order_by(
        "report_date", "id"
    )


def recommendation_list(
    *,
    actor,
    report: AuditReport | None = None,
    report_id: int | None = None,
    status: str = "",
    priority: str = "",
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[Recommendation]:
    """The council's recommendations with their report, owner and evidence count."""
    recommendations = scoped(
        Recommendation.objects.select_related("report", "owner"), actor=actor
    ).annotate(
        evidence_count=Count("evidence_links", distinct=True),
        overdue=_overdue(today),
    )
    if report is not None:
        recommendations = recommendations.filter(report=report)
    if report_id is not None:
        recommendations = recommendations.filter(report_id=report_id)
    if status:
        recommendations = recommendations.filter(status=status)
    if priority:
        recommendations = recommendations.filter(priority=priority)
    if overdue is not None:
        recommendations = recommendations.filter(overdue=overdue)
    return recommendations.order_by("report_id", "id")


def progress_table(*, actor, report: AuditReport, today: date | None = None) -> list:
    """The report's recommendations as its progress table, in the report's order."""
    return list(recommendation_list(actor=actor, report=report, today=today))


def access_recommendation_by_id(*, actor, recommendation_id, today: date | None = None):
    return get_or_not_found(recommendation_list(actor=actor, today=today), pk=recommendation_id)


def recommendation_events(*, recommendation: Recommendation) -> QuerySet[RecommendationEvent]:
    return RecommendationEvent.objects.filter(recommendation=recommendation).select_related("actor")


def evidence_links(*, recommendation: Recommendation) -> QuerySet[EvidenceLink]:
    """A recommendation's evidence, with each record and what its label and link need."""
    return (
        EvidenceLink.objects.filter(recommendation=recommendation)
        .select_related(
            "contract",
            "extension__contract",
            "monitoring_record__contract",
            "referral_document__referral",
            "added_by",
        )
        .order_by("added_at", "id")
    )


def access_evidence_link_by_id(*, actor, recommendation: Recommendation, link_id) -> EvidenceLink:
    return get_or_not_found(
        scoped(evidence_links(recommendation=recommendation), actor=actor), pk=link_id
    )


def evidence_choices(*, actor, kind: str) -> list:
    """The council's own records of one kind, newest first, to choose evidence from."""
    council = actor.active_council if actor.is_authenticated else None
    if kind == EvidenceKind.CONTRACT:
        records = Contract.objects.for_council(council).order_by("-start_date", "reference")
    elif kind == EvidenceKind.EXTENSION:
        records = (
            Extension.objects.for_council(council)
            .select_related("contract")
            .order_by("-created_at", "-id")
        )
    elif kind == EvidenceKind.MONITORING:
        records = (
            MonitoringRecord.objects.for_council(council)
            .select_related("contract")
            .order_by("-held_on", "-id")
        )
    elif kind == EvidenceKind.REFERRAL_DOCUMENT and actor.has_perm("referrals.view_child"):
        records = (
            ReferralDocument.objects.for_council(council)
            .select_related("referral")
            .order_by("-uploaded_at", "-id")
        )
    else:
        return []
    return list(records[:CHOICES_LIMIT])


def owner_choices(*, actor) -> QuerySet[User]:
    """People of the council who may own a management action."""
    council_id = actor.active_council_id if actor.is_authenticated else None
    return (
        User.objects.filter(
            memberships__council_id=council_id,
            memberships__role__in=STAFF_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def access_owner_by_id(*, actor, user_id) -> User | None:
    if user_id in (None, ""):
        return None
    return get_or_not_found(owner_choices(actor=actor), pk=user_id)


def recommendation_overdue_count(*, actor, today: date | None = None) -> int:
    """How many of the council's recommendations are past their review date and not complete."""
    today = today or timezone.localdate()
    return (
        scoped(Recommendation.objects.all(), actor=actor)
        .filter(review_date__lt=today)
        .exclude(status=RecommendationStatus.COMPLETE)
        .count()
    )
