"""Reads of outcome surveys, scoped to the actor's council (or, for a parent carer, their own
linked children; for provider staff, their own provider's services).

The reports count answers, never name a child, and show any count of 1 to 4 as "fewer than 5"
with its percentage withheld (shortbreaks.small_numbers).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from outcomes.models import (
    SATISFIED_AT_LEAST,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Respondent,
    Response,
    Survey,
    SurveyStatus,
    TimeUse,
)
from referrals.models import Carer
from shortbreaks.councils.selectors import get_or_not_found, scoped
from shortbreaks.small_numbers import suppress_small_numbers

VIEW_REPORT = "outcomes.view_report"
MANAGE = "outcomes.manage_survey"
RECORD = "outcomes.record_response"
VIEW_CHILD = "referrals.view_child"


def _may(actor, *perms: str) -> bool:
    return actor.is_authenticated and any(actor.has_perm(p) for p in perms)


def survey_list(*, actor) -> QuerySet[Survey]:
    if not _may(actor, VIEW_REPORT, MANAGE, RECORD):
        return Survey.objects.none()
    return (
        scoped(Survey.objects.all(), actor=actor)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("responses", distinct=True),
        )
        .order_by("-period_end", "-id")
    )


def survey_answer_list(*, actor, survey: Survey) -> QuerySet[Answer]:
    """Every answer to the survey, in the order given, one row each. Row by row a service
    with 1 to 4 answers shows them, as the reports never do: only for people who may read both
    the reports and children's records (team managers and auditors); none for anyone else."""
    if not may_read_answers(actor):
        return Answer.objects.none()
    return (
        scoped(Answer.objects.filter(response__survey=survey), actor=actor)
        .select_related("response__child", "question", "service", "provider", "lot__contract")
        .order_by("response__submitted_at", "response_id", "question__position", "id")
    )


def may_read_answers(actor) -> bool:
    """Whether `survey_answer_list` gives the actor anything."""
    return _may(actor, VIEW_REPORT) and _may(actor, VIEW_CHILD)


def access_survey_by_id(*, actor, survey_id) -> Survey:
    if not _may(actor, VIEW_REPORT, MANAGE, RECORD):
        return get_or_not_found(Survey.objects.none(), pk=survey_id)
    return get_or_not_found(scoped(Survey.objects.all(), actor=actor), pk=survey_id)


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(Question.objects.filter(survey=survey).order_by("position", "id"))


def survey_counts(*, survey: Survey) -> dict[str, int]:
    row = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    return {"invited": row["invited"], "answered": row["answered"]}


# ----------------------------------------------------------------------------------------------
# Invitations, for staff and for parent carers


def child_invitations(*, actor, child_id: int) -> list[Invitation]:
    """The child's invitations in the actor's council, newest survey first."""
    if not _may(actor, RECORD):
        return []
    return list(
        scoped(Invitation.objects.filter(child_id=child_id), actor=actor)
        .select_related("survey", "response")
        .order_by("-survey__period_end", "respondent", "id")
    )


def access_invitation_for_staff(*, actor, invitation_id) -> Invitation:
    queryset = Invitation.objects.select_related("survey", "child", "council")
    if not _may(actor, RECORD):
        queryset = queryset.none()
    return get_or_not_found(scoped(queryset, actor=actor), pk=invitation_id)


def _parent_invitations(actor) -> QuerySet[Invitation]:
    children = Carer.objects.filter(account=actor).values("child_id")
    return Invitation.objects.filter(child_id__in=children).select_related(
        "survey", "child", "council"
    )


def parent_invitations(*, actor) -> list[Invitation]:
    """The invitations of the parent's linked children in open surveys, oldest first."""
    return list(
        _parent_invitations(actor)
        .filter(survey__status=SurveyStatus.OPEN)
        .order_by("survey__closes_on", "child__first_name", "respondent", "id")
    )


def parent_access_invitation(*, actor, council, invitation_id) -> Invitation:
    """One invitation of the parent's own children; anyone else's is exactly as missing."""
    return get_or_not_found(_parent_invitations(actor).filter(council=council), pk=invitation_id)


# ----------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True)
class Grouping:
    key: str
    label: str
    fields: tuple[str, ...]


GROUPINGS = (
    Grouping("service", "Service", ("service_id", "service__title")),
    Grouping("provider", "Provider", ("provider_id", "provider__name")),
    Grouping("lot", "Lot", ("lot_id", "lot__contract__reference", "lot__number", "lot__name")),
)


def _label(grouping: Grouping, row: dict) -> str:
    if grouping.key == "lot":
        if row["lot_id"] is None:
            return "Not bought under a lot"
        return f"{row['lot__contract__reference']} lot {row['lot__number']}: {row['lot__name']}"
    return row[grouping.fields[1]]


def satisfaction_rows(answers: QuerySet[Answer], grouping: Grouping) -> list[dict]:
    """One row per service, provider or lot: answers, how many satisfied (4 or 5 of 5) and the
    percentage, small numbers suppressed. One query."""
    rows = (
        answers.values(*grouping.fields)
        .annotate(
            responses=Count("id"),
            satisfied=Count("id", filter=Q(rating__gte=SATISFIED_AT_LEAST)),
        )
        .order_by(*grouping.fields[1:], grouping.fields[0])
    )
    published = []
    for row in rows:
        percent = round(100 * row["satisfied"] / row["responses"]) if row["responses"] else None
        published.append(
            suppress_small_numbers(
                {
                    "id": row[grouping.fields[0]],
                    "name": _label(grouping, row),
                    "responses": row["responses"],
                    "satisfied": row["satisfied"],
                    "percent": percent,
                },
                children="responses",
                withhold=("satisfied", "percent"),
            )
        )
    return published


def _satisfaction_answers(*, survey: Survey, provider=None) -> QuerySet[Answer]:
    answers = Answer.objects.filter(
        council_id=survey.council_id,
        response__survey=survey,
        question__kind=QuestionKind.SATISFACTION,
        rating__isnull=False,
    )
    if provider is not None:
        answers = answers.filter(provider=provider)
    return answers


def time_use_rows(*, survey: Survey) -> list[dict]:
    """How many parent carers said the breaks gave them time for each Regulation 3 purpose,
    small numbers suppressed."""
    answers = Answer.objects.filter(
        council_id=survey.council_id,
        response__survey=survey,
        question__kind=QuestionKind.REGULATION_3,
    ).values_list("choices", flat=True)
    counts: Counter[str] = Counter()
    for choices in answers:
        counts.update(set(choices))
    return [
        suppress_small_numbers(
            {"name": label, "responses": counts.get(value, 0)}, children="responses"
        )
        for value, label in TimeUse.choices
    ]


def survey_report(*, survey: Survey, provider=None) -> dict:
    """Satisfaction by service, provider and lot (only the provider's own services when one is
    given), the Regulation 3 answers and the response counts."""
    answers = _satisfaction_answers(survey=survey, provider=provider)
    report = {
        "by": [
            {"key": g.key, "label": g.label, "rows": satisfaction_rows(answers, g)}
            for g in GROUPINGS
            if not (provider is not None and g.key == "provider")
        ],
        "responses": Response.objects.filter(survey=survey)
        .values("respondent")
        .annotate(n=Count("id"))
        .order_by("respondent"),
    }
    if provider is None:
        report["time_use"] = time_use_rows(survey=survey)
    counts = {row["respondent"]: row["n"] for row in report.pop("responses")}
    report["parents"] = counts.get(Respondent.PARENT, 0)
    report["children"] = counts.get(Respondent.CHILD, 0)
    return report


def provider_surveys(*, actor, provider) -> QuerySet[Survey]:
    """The council's surveys in which the provider's services were rated."""
    return (
        scoped(Survey.objects.all(), actor=actor)
        .filter(responses__answers__provider=provider)
        .distinct()
        .order_by("-period_end", "-id")
    )


def improvement_count(*, survey: Survey) -> int:
    return Answer.objects.filter(
        council_id=survey.council_id,
        response__survey=survey,
        question__kind=QuestionKind.IMPROVEMENT,
    ).count()


def access_provider_survey(*, actor, provider, survey_id) -> Survey:
    return get_or_not_found(provider_surveys(actor=actor, provider=provider), pk=survey_id)
