"""Every declared status change of an outcome survey, from every status: the service refuses
exactly when `states.may` says the step is not allowed (what the survey page asks before it
offers a button)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from outcomes import services
from outcomes.models import Channel, Question, QuestionKind, Survey, SurveyStatus
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from tests.clock import frozen_today  # noqa: F401
from tests.outcomes.builders import invitation_of, make_survey, outcomes_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


class _Undo(Exception):
    """Rolls each try back, so every status starts from the same survey."""


def _answer(council, survey):
    question = Question.objects.get(survey=survey, kind=QuestionKind.SATISFACTION)
    return services.response_submit(
        actor=None,
        invitation=invitation_of(survey, council["child"]),
        channel=Channel.LINK,
        answers={question.pk: {council["offer"]["service"].pk: 4}},
    )


STEPS = {
    "add_question": lambda council, survey: services.question_add(
        actor=council["admin"], survey=survey, kind=QuestionKind.TEXT, text="Anything else?"
    ),
    "send": lambda council, survey: services.survey_send(
        actor=council["admin"], survey=survey, email_links=False
    ),
    "close": lambda council, survey: services.survey_close(actor=council["admin"], survey=survey),
    "take_answers": _answer,
}
ALLOWED_FROM = {
    "add_question": {SurveyStatus.DRAFT},
    "send": {SurveyStatus.DRAFT, SurveyStatus.OPEN},
    "close": {SurveyStatus.OPEN},
    "take_answers": {SurveyStatus.OPEN},
}


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


def test_each_step_from_each_status(two_councils):
    alpha = outcomes_world(two_councils)["alpha"]
    survey = make_survey(alpha)  # sent, so each family has its invitations
    for status in SurveyStatus.values:
        for name, make in STEPS.items():
            try:
                with transaction.atomic():
                    Survey.objects.filter(pk=survey.pk).update(status=status)
                    found = Survey.objects.get(pk=survey.pk)
                    allowed = states.may(found, name, alpha["admin"])
                    assert allowed == (status in ALLOWED_FROM[name]), (status, name)
                    assert_refused_exactly_when_not_allowed(
                        allowed, lambda m=make, f=found: m(alpha, f)
                    )
                    raise _Undo
            except _Undo:
                pass


def test_sending_after_the_closing_date_is_refused_with_the_declared_reason(
    two_councils,
    frozen_today,  # noqa: F811
):
    from datetime import timedelta

    from tests.clock import london

    alpha = outcomes_world(two_councils)["alpha"]
    survey = make_survey(alpha, send=False)
    frozen_today.move_to(london(survey.closes_on + timedelta(days=1)))
    assert not states.may(survey, "send", alpha["admin"])
    assert states.refusal(survey, "send") == "The survey's closing date has passed"
    with pytest.raises(TransitionNotAllowed, match="closing date has passed"):
        STEPS["send"](alpha, survey)


def test_a_social_worker_may_not_close_a_survey(two_councils):
    alpha = outcomes_world(two_councils)["alpha"]
    survey = make_survey(alpha)
    assert not states.may(survey, "close", alpha["sw"])
    with pytest.raises(PermissionDenied):
        services.survey_close(actor=alpha["sw"], survey=survey)
