"""Outcome surveys as CSV and Excel: the council's surveys, and one survey's answers, for the
page and the API alike (shortbreaks.exports).

The surveys hold counts only. The answers are one row each, so a service with 1 to 4 answers
shows them, as the reports never do (they say "fewer than 5"): they are exported only to people
who may read the reports and children's records too (`outcomes.selectors.survey_answer_list`),
and the child, their record and the free text only under `referrals.view_child` besides."""

from __future__ import annotations

from outcomes.models import TimeUse
from shortbreaks.exports import Column, Export

VIEW_CHILD = "referrals.view_child"

SURVEYS = Export(
    name="outcome-surveys",
    object_type="outcomes.survey",
    columns=(
        Column("Survey", "pk"),
        Column("Title", "title"),
        Column("Breaks from", "period_start"),
        Column("Breaks to", "period_end"),
        Column("Closes", "closes_on"),
        Column("Status", "get_status_display"),
        Column("Invited", "invited"),
        Column("Answered", "answered"),
    ),
)

_TIME_USE = dict(TimeUse.choices)


def _lot(answer) -> str:
    lot = answer.lot
    if lot is None:
        return ""
    return f"{lot.contract.reference} lot {lot.number}: {lot.name}"


ANSWERS = Export(
    name="outcome-answers",
    object_type="outcomes.answer",
    columns=(
        Column("Answer", "pk"),
        Column("Response", "response_id"),
        Column("Submitted", "response.submitted_at"),
        Column("Respondent", "response.get_respondent_display"),
        Column("Answered through", "response.get_channel_display"),
        Column("Child record", "response.child_id", permission=VIEW_CHILD),
        Column("Child", "response.child.full_name", permission=VIEW_CHILD),
        Column("Question", "question.text"),
        Column("Service", "service.title"),
        Column("Provider", "provider.name"),
        Column("Lot", _lot),
        Column("Rating (1 to 5)", "rating"),
        Column("Choices", lambda a: [_TIME_USE.get(c, c) for c in a.choices or []]),
        Column("Answer text", "text", permission=VIEW_CHILD),
    ),
)
