"""The outcome surveys API: setting a survey up, sending and closing it (council administrators
and commissioners), and a social worker recording a family's answers on their behalf; with the
refusals (another council's survey or invitation 404, the wrong role 403, bad input 400, a
survey's state 409)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from outcomes.models import Invitation, QuestionKind, Respondent, Response, SurveyStatus
from shortbreaks.accesslog.models import AccessLogEntry
from tests.clock import frozen_today  # noqa: F401
from tests.outcomes.builders import (
    CLOSES_ON,
    PERIOD_END,
    PERIOD_START,
    make_survey,
    outcomes_world,
)
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

API = "/api/v1/outcomes/surveys/"


def _build_world(two_councils) -> dict:
    return outcomes_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _new(client, **fields):
    body = {
        "title": "Summer survey",
        "period_start": PERIOD_START.isoformat(),
        "period_end": PERIOD_END.isoformat(),
        "closes_on": CLOSES_ON.isoformat(),
        **fields,
    }
    return client.post(API, body, format="json")


def test_an_administrator_sets_up_sends_and_closes_a_survey(world):
    client = api(world["alpha"]["admin"])
    created = _new(client)
    assert created.status_code == 201, created.json()
    survey_id = created.json()["id"]
    assert created.json()["status"] == SurveyStatus.DRAFT
    sent = client.post(f"{API}{survey_id}/send/")
    assert sent.status_code == 200
    assert sent.json() == {"invitations": 2, "links_emailed": 1}
    assert client.post(f"{API}{survey_id}/send/").json()["invitations"] == 0
    closed = client.post(f"{API}{survey_id}/close/")
    assert closed.status_code == 200
    assert closed.json()["status"] == SurveyStatus.CLOSED
    again = client.post(f"{API}{survey_id}/close/")
    assert again.status_code == 409
    assert client.post(f"{API}{survey_id}/send/").status_code == 409


def test_setting_up_refuses_bad_input_and_the_wrong_role(world):
    admin = api(world["alpha"]["admin"])
    assert _new(admin, period_end="2026-03-01").status_code == 400
    assert _new(admin, closes_on="not a date").status_code == 400
    assert _new(api(world["alpha"]["sw"])).status_code == 403
    theirs = make_survey(world["bravo"], send=False)
    assert admin.post(f"{API}{theirs.pk}/send/").status_code == 404
    assert admin.post(f"{API}{theirs.pk}/close/").status_code == 404
    mine = make_survey(world["alpha"], send=False)
    assert api(world["alpha"]["sw"]).post(f"{API}{mine.pk}/send/").status_code == 403


def _improvement(survey) -> int:
    return survey.questions.get(kind=QuestionKind.IMPROVEMENT).pk


def test_a_social_worker_records_a_familys_answers_once(world):
    alpha = world["alpha"]
    survey = make_survey(alpha)
    invitation = Invitation.objects.get(survey=survey, respondent=Respondent.PARENT)
    client = api(alpha["sw"])
    url = f"{API}{survey.pk}/responses/"
    body = {"invitation": invitation.pk, "answers": {str(_improvement(survey)): "More holidays"}}
    recorded = client.post(url, body, format="json")
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["channel"] == "staff"
    response = Response.objects.get()
    assert response.recorded_by == alpha["sw"]
    assert AccessLogEntry.objects.filter(user=alpha["sw"], action="create").exists()
    assert client.post(url, body, format="json").status_code == 409


def test_recording_refuses_another_council_the_wrong_role_and_bad_input(world):
    alpha, bravo = world["alpha"], world["bravo"]
    survey = make_survey(alpha)
    invitation = Invitation.objects.get(survey=survey, respondent=Respondent.PARENT)
    url = f"{API}{survey.pk}/responses/"
    answer = {str(_improvement(survey)): "More holidays"}
    client = api(alpha["sw"])
    assert client.post(url, {"invitation": invitation.pk}, format="json").status_code == 400
    bad_key = {"invitation": invitation.pk, "answers": {"first": "x"}}
    assert client.post(url, bad_key, format="json").status_code == 400
    nothing = {"invitation": invitation.pk, "answers": {str(_improvement(survey)): ""}}
    assert client.post(url, nothing, format="json").status_code == 400
    theirs = make_survey(bravo)
    their_invitation = Invitation.objects.filter(survey=theirs).first()
    body = {"invitation": their_invitation.pk, "answers": answer}
    assert client.post(url, body, format="json").status_code == 404
    assert client.post(f"{API}{theirs.pk}/responses/", body, format="json").status_code == 404
    other_survey = make_survey(alpha, send=False)
    mixed = {"invitation": invitation.pk, "answers": answer}
    assert (
        client.post(f"{API}{other_survey.pk}/responses/", mixed, format="json").status_code == 400
    )
    commissioner = api(alpha["commissioner"])
    assert commissioner.post(url, mixed, format="json").status_code == 403
    assert not Response.objects.exists()
