"""Reads of assessments: one assessment, the list and its events."""

from __future__ import annotations

from django.db.models import QuerySet

from referrals.models import Assessment, AssessmentEvent
from referrals.selectors.common import _readable
from shortbreaks.councils.selectors import get_or_not_found


def access_assessment_by_id(*, actor, assessment_id) -> Assessment:
    return get_or_not_found(
        _readable(Assessment.objects.select_related("child", "referral"), actor), pk=assessment_id
    )


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
