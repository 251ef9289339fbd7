"""A demo outcome survey in every council with families receiving support: sent for the last
three months, most parent carers and some children answered (through their link, or a social
worker on their behalf), so the report shows percentages for the services most used and "fewer
than 5" for the rest. Parent carers with an account are left to answer it themselves.
Idempotent: a council that has the survey already is left as it is."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes import services
from outcomes.models import (
    Channel,
    Invitation,
    QuestionKind,
    Respondent,
    Survey,
    TimeUse,
)
from providers.demo import demo_actor
from shortbreaks.councils.models import Council, Role

TITLE = "How were your short breaks? Demo survey"
RATINGS = (5, 4, 5, 3, 4, 5, 2, 4, 5, 1, 4)
FACES = (5, 5, 3, 5, 1)
TIME_USE = (
    [TimeUse.REST, TimeUse.EVERYDAY_TASKS],
    [TimeUse.WORK],
    [TimeUse.OTHER_CHILDREN, TimeUse.REST],
    [TimeUse.STUDY, TimeUse.EVERYDAY_TASKS],
    [TimeUse.REST],
)
IMPROVEMENTS = (
    "More sessions in the school holidays.",
    "Knowing the staff before the first session.",
    "",
    "Sessions nearer to home.",
)


def _answers(invitation: Invitation, questions, used, n: int) -> dict:
    answers: dict = {}
    for question in questions:
        if question.kind == QuestionKind.SATISFACTION:
            scale = FACES if invitation.respondent == Respondent.CHILD else RATINGS
            answers[question.pk] = {
                s.service_id: scale[(n + i) % len(scale)] for i, s in enumerate(used)
            }
        elif question.kind == QuestionKind.REGULATION_3:
            answers[question.pk] = list(TIME_USE[n % len(TIME_USE)])
        elif question.kind == QuestionKind.IMPROVEMENT:
            answers[question.pk] = IMPROVEMENTS[n % len(IMPROVEMENTS)]
    return answers


def _seed_council(council: Council) -> None:
    if Survey.objects.filter(council=council, title=TITLE).exists():
        return
    today = timezone.localdate()
    admin = demo_actor(council.slug, Role.COUNCIL_ADMIN)
    worker = demo_actor(council.slug, Role.SOCIAL_WORKER)
    start = (today - relativedelta(months=3)).replace(day=1)
    survey = services.survey_create(
        actor=admin,
        title=TITLE,
        period_start=start,
        period_end=today,
        closes_on=today + relativedelta(days=30),
    )
    services.survey_send(actor=admin, survey=survey, email_links=False)
    invitations = (
        Invitation.objects.filter(survey=survey)
        .select_related("carer", "survey", "council")
        .order_by("id")
    )
    for n, invitation in enumerate(invitations):
        if invitation.carer is not None and invitation.carer.account_id is not None:
            continue  # the demo parent carer answers it themselves
        if n % 5 == 4 or (invitation.respondent == Respondent.CHILD and n % 3):
            continue  # not everyone answers
        used = services.services_used(child_id=invitation.child_id, survey=survey)
        questions = services.questions_for(invitation=invitation)
        answers = _answers(invitation, questions, used, n)
        channel = Channel.STAFF if n % 4 == 1 else Channel.LINK
        try:
            services.response_submit(
                actor=worker if channel == Channel.STAFF else None,
                invitation=invitation,
                channel=channel,
                answers=answers,
            )
        except ValidationError:
            continue  # nothing to say (no service ran in the period): left unanswered


def seed(*, password: str) -> list[tuple[str, str]]:
    for council in Council.objects.order_by("name"):
        _seed_council(council)
    return []
