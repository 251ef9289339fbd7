"""Outcome surveys: setting one up and sending it, answering through a parent account, a link
(once, until it closes) or a social worker, the child's easy-read form, and the reports by
service, provider and lot with small numbers suppressed; the refusals in pages and API."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from outcomes import selectors, services
from outcomes.models import (
    Answer,
    Channel,
    Invitation,
    Question,
    QuestionKind,
    Respondent,
    Response,
    SurveyStatus,
)
from referrals.services import carers as carer_services
from referrals.services import parents as parent_services
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.small_numbers import FEWER_THAN
from tests.clock import frozen_today, london  # noqa: F401
from tests.conftest import MARKER_B
from tests.outcomes.builders import add_family, invitation_of, make_survey, outcomes_world
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")


def _build_world(two_councils) -> dict:
    return outcomes_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def _link(text: str) -> str:
    return re.findall(r"http://[^\s]+/outcomes/[^\s]+/answer/[^\s]+/", text)[0].split("8000", 1)[1]


def _questions(survey) -> dict:
    return {q.kind: q for q in Question.objects.filter(survey=survey)}


def _service_field(survey, council) -> str:
    return f"q{_questions(survey)[QuestionKind.SATISFACTION].pk}_s{council['offer']['service'].pk}"


def _answer(survey, council, invitation, rating: int) -> Response:
    question = _questions(survey)[QuestionKind.SATISFACTION]
    return services.response_submit(
        actor=None,
        invitation=invitation,
        channel=Channel.LINK,
        answers={question.pk: {council["offer"]["service"].pk: rating}},
    )


# ----------------------------------------------------------------------------------------------
# Setting up and sending


def test_a_survey_has_the_built_in_questions_and_the_councils_own(world):
    alpha = world["alpha"]
    survey = make_survey(alpha, send=False)
    kinds = [q.kind for q in Question.objects.filter(survey=survey)]
    assert kinds == [QuestionKind.REGULATION_3, QuestionKind.SATISFACTION, QuestionKind.IMPROVEMENT]
    services.question_add(
        actor=alpha["admin"], survey=survey, kind=QuestionKind.TEXT, text="Anything else?"
    )
    assert Question.objects.filter(survey=survey).count() == 4


def test_sending_invites_the_parent_and_child_of_each_family_and_emails_the_link(
    world, django_capture_on_commit_callbacks
):
    alpha = world["alpha"]
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(alpha)
    assert survey.status == SurveyStatus.OPEN
    invitations = Invitation.objects.filter(survey=survey)
    assert {i.respondent for i in invitations} == {Respondent.PARENT, Respondent.CHILD}
    assert all(len(i.token_hash) == 64 for i in invitations)
    assert [m.to for m in mail.outbox] == [["alex@alpha.example"]]
    assert mail.outbox[0].body.count("/outcomes/alpha/answer/") == 2
    # Sending again invites no one twice, and questions are fixed once sent.
    assert services.survey_send(actor=alpha["admin"], survey=survey).invitations == 0
    with pytest.raises(TransitionNotAllowed):
        services.question_add(actor=alpha["admin"], survey=survey, kind="text", text="Late?")


def test_a_council_administrator_sets_up_and_sends_in_the_browser(world, client_for):
    client = client_for(world["alpha"]["admin"])
    response = client.post(
        "/outcomes/surveys/new/",
        {
            "title": "Spring survey",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2026",
            "period_end_0": "12",
            "period_end_1": "6",
            "period_end_2": "2026",
            "closes_on_0": "15",
            "closes_on_1": "7",
            "closes_on_2": "2026",
        },
    )
    assert response.status_code == 302
    survey_url = response["Location"]
    sent = client.post(survey_url + "send/")
    assert sent.status_code == 302
    assert "2 invitations made" in client.get(survey_url).content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE_OFFICER])
def test_only_administrators_and_commissioners_set_up_surveys(world, client_for, role):
    assert (
        client_for(world["alpha"]["people"][role]).get("/outcomes/surveys/new/").status_code == 403
    )


# ----------------------------------------------------------------------------------------------
# Links


def _emailed_links(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(world["alpha"])
    return survey, re.findall(r"/outcomes/alpha/answer/[^\s]+/", mail.outbox[0].body)


def test_a_link_answers_once_without_signing_in(world, django_capture_on_commit_callbacks):
    survey, links = _emailed_links(world, django_capture_on_commit_callbacks)
    parent_link = links[0]
    client = Client()
    page = client.get(parent_link)
    assert page.status_code == 200
    assert "Go to work" in page.content.decode()
    field = _service_field(survey, world["alpha"])
    regulation = f"q{_questions(survey)[QuestionKind.REGULATION_3].pk}"
    sent = client.post(parent_link, {field: "5", regulation: ["work", "rest"]})
    assert sent.status_code == 302
    assert sent["Location"] == "/outcomes/alpha/answer/sent/"
    response = Response.objects.get()
    assert (response.channel, response.respondent) == (Channel.LINK, Respondent.PARENT)
    assert Answer.objects.filter(response=response, rating=5).exists()
    # Used: refused, and nothing more is recorded.
    again = client.post(parent_link, {field: "1"})
    assert again.status_code == 410
    assert "has been used" in again.content.decode()
    assert Response.objects.count() == 1


def test_an_expired_or_altered_link_is_refused(world, django_capture_on_commit_callbacks):
    survey, links = _emailed_links(world, django_capture_on_commit_callbacks)
    altered = links[0][:-3] + "xx/"
    assert Client().get(altered).status_code == 410
    with time_machine.travel(london(date(2026, 7, 16)), tick=True):
        response = Client().get(links[0])
    assert response.status_code == 410
    assert "has closed" in response.content.decode()
    # Another council's address with this council's link finds nothing.
    assert Client().get(links[0].replace("/alpha/", "/bravo/")).status_code == 410
    assert not Response.objects.exists()


def test_the_childs_link_is_the_easy_read_form(world, django_capture_on_commit_callbacks):
    survey, links = _emailed_links(world, django_capture_on_commit_callbacks)
    child_link = links[1]
    page = Client().get(child_link).content.decode()
    assert "Tell us about your short breaks" in page
    for face in ("Happy", "OK", "Sad"):
        assert f">\n      {face}\n" in page or f">{face}<" in page or face in page
    assert "Go to work" not in page  # Regulation 3 is for the carer
    field = _service_field(survey, world["alpha"])
    assert Client().post(child_link, {field: "1"}).status_code == 302
    response = Response.objects.get()
    assert response.respondent == Respondent.CHILD
    assert Answer.objects.get(response=response).rating == 1


def test_an_answer_outside_the_scale_is_refused(world):
    alpha = world["alpha"]
    survey = make_survey(alpha)
    invitation = invitation_of(survey, alpha["child"])
    question = _questions(survey)[QuestionKind.SATISFACTION]
    with pytest.raises(Exception):  # noqa: B017 - ValidationError, from the service
        services.response_submit(
            actor=None,
            invitation=invitation,
            channel=Channel.LINK,
            answers={question.pk: {alpha["offer"]["service"].pk: 9}},
        )
    assert not Response.objects.exists()


# ----------------------------------------------------------------------------------------------
# Parent accounts and staff


def _parent_of(council: dict, child):
    account = parent_services.parent_account_create(
        council=council["council"],
        email=f"parent-{child.pk}@example.org",
        password="a-long-parent-password-1",
        first_name="Robin",
        last_name="Parent",
    )
    user = parent_services.parent_account_confirm(account=account).user
    carer = carer_services.carer_add(
        actor=council["sw"], child=child, name="Robin Parent", relationship="father"
    )
    carer_services.carer_account_link(actor=council["sw"], carer=carer, email=user.email)
    client = Client()
    client.force_login(user, backend="shortbreaks.councils.backends.ModelBackend")
    return user, client


def test_a_parent_answers_through_their_account_and_sees_only_their_own(world):
    alpha = world["alpha"]
    other = add_family(alpha, 1)
    parent, client = _parent_of(alpha, alpha["child"])
    survey = make_survey(alpha)
    mine = invitation_of(survey, alpha["child"])
    theirs = invitation_of(survey, other)
    listing = client.get("/outcomes/alpha/account/surveys/").content.decode()
    assert f"/outcomes/alpha/account/surveys/{mine.pk}/" in listing
    assert f"/outcomes/alpha/account/surveys/{theirs.pk}/" not in listing
    assert client.get(f"/outcomes/alpha/account/surveys/{theirs.pk}/").status_code == 404
    field = _service_field(survey, alpha)
    sent = client.post(f"/outcomes/alpha/account/surveys/{mine.pk}/", {field: "4"})
    assert sent.status_code == 302
    assert Response.objects.get().channel == Channel.ACCOUNT
    assert client.get(f"/outcomes/alpha/account/surveys/{mine.pk}/").status_code == 410


def test_another_councils_parent_and_invitation_are_refused(world):
    alpha, bravo = world["alpha"], world["bravo"]
    parent, client = _parent_of(alpha, alpha["child"])
    survey = make_survey(bravo)
    theirs = invitation_of(survey, bravo["child"])
    assert client.get(f"/outcomes/bravo/account/surveys/{theirs.pk}/").status_code == 404
    assert client.get(f"/outcomes/alpha/account/surveys/{theirs.pk}/").status_code == 404


def test_a_social_worker_records_answers_on_the_familys_behalf(world, client_for):
    alpha = world["alpha"]
    survey = make_survey(alpha)
    invitation = invitation_of(survey, alpha["child"])
    client = client_for(alpha["sw"])
    child_page = client.get(f"/children/{alpha['child'].pk}/").content.decode()
    assert f"/outcomes/children/{alpha['child'].pk}/" in child_page
    assert (
        f"/outcomes/invitations/{invitation.pk}/record/"
        in client.get(f"/outcomes/children/{alpha['child'].pk}/").content.decode()
    )
    improvement = f"q{_questions(survey)[QuestionKind.IMPROVEMENT].pk}"
    sent = client.post(
        f"/outcomes/invitations/{invitation.pk}/record/", {improvement: "More holiday sessions"}
    )
    assert sent.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.recorded_by) == (Channel.STAFF, alpha["sw"])
    nothing = client.post(f"/outcomes/invitations/{invitation.pk}/record/", {improvement: "x"})
    assert nothing.status_code == 302
    assert Response.objects.count() == 1


def test_staff_are_refused_another_councils_invitation_and_the_wrong_role(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    theirs = invitation_of(make_survey(bravo), bravo["child"])
    assert (
        client_for(alpha["sw"]).get(f"/outcomes/invitations/{theirs.pk}/record/").status_code == 404
    )
    mine = invitation_of(make_survey(alpha), alpha["child"])
    commissioner = client_for(alpha["commissioner"])
    assert commissioner.get(f"/outcomes/invitations/{mine.pk}/record/").status_code == 403
    assert not Response.objects.exists()


def test_an_empty_answer_is_refused(world, client_for):
    alpha = world["alpha"]
    invitation = invitation_of(make_survey(alpha), alpha["child"])
    response = client_for(alpha["sw"]).post(f"/outcomes/invitations/{invitation.pk}/record/", {})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()


# ----------------------------------------------------------------------------------------------
# Reports


def _report_world(world, answers: int):
    """`answers` families of alpha rate its commissioned service, 4 of them satisfied or more
    when there are 5."""
    alpha = world["alpha"]
    children = [alpha["child"]] + [add_family(alpha, n) for n in range(1, answers)]
    survey = make_survey(alpha)
    ratings = [5, 4, 4, 5, 2]
    for n, child in enumerate(children):
        _answer(survey, alpha, invitation_of(survey, child), ratings[n % 5])
    return survey


def test_the_report_shows_the_percentage_satisfied_from_five_answers(world, client_for):
    survey = _report_world(world, 5)
    report = selectors.survey_report(survey=survey)
    service_row = report["by"][0]["rows"][0]
    assert (service_row["responses"], service_row["percent"], service_row["suppressed"]) == (
        5,
        80,
        "",
    )
    page = client_for(world["alpha"]["commissioner"]).get(f"/outcomes/surveys/{survey.pk}/report/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "80%" in text
    assert "<svg" in text and 'role="img"' in text


def test_one_to_four_answers_show_fewer_than_5_and_no_percentage(world, client_for):
    survey = _report_world(world, 3)
    row = selectors.survey_report(survey=survey)["by"][0]["rows"][0]
    assert (row["responses"], row["percent"], row["suppressed"]) == (None, None, FEWER_THAN)
    text = (
        client_for(world["alpha"]["commissioner"])
        .get(f"/outcomes/surveys/{survey.pk}/report/")
        .content.decode()
    )
    assert FEWER_THAN in text
    assert "67%" not in text


def test_the_report_runs_the_same_queries_for_more_answers(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    survey = _report_world(world, 1)
    client = client_for(alpha["commissioner"])
    path = f"/outcomes/surveys/{survey.pk}/report/"
    client.get(path)
    with django_assert_num_queries(12) as few:
        client.get(path)
    children = [add_family(alpha, n) for n in range(2, 7)]
    services.survey_send(actor=alpha["admin"], survey=survey)  # invites the new families
    for child in children:
        _answer(survey, alpha, invitation_of(survey, child), 5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200


def test_another_councils_survey_is_not_found_and_social_workers_see_no_report(world, client_for):
    theirs = make_survey(world["bravo"])
    client = client_for(world["alpha"]["commissioner"])
    assert client.get(f"/outcomes/surveys/{theirs.pk}/report/").status_code == 404
    assert client.get(f"/outcomes/surveys/{theirs.pk}/").status_code == 404
    assert MARKER_B not in client.get("/outcomes/surveys/").content.decode()
    mine = make_survey(world["alpha"])
    assert (
        client_for(world["alpha"]["sw"]).get(f"/outcomes/surveys/{mine.pk}/report/").status_code
        == 403
    )


def test_the_api_report_suppresses_small_numbers(world, django_assert_num_queries):
    survey = _report_world(world, 2)
    client = APIClient()
    client.force_authenticate(world["alpha"]["commissioner"])
    body = client.get(f"/api/v1/outcomes/surveys/{survey.pk}/report/").json()
    row = body["by"][0]["rows"][0]
    assert (row["responses"], row["percent"], row["suppressed"]) == (None, None, FEWER_THAN)
    assert "Family" not in str(body)
    theirs = make_survey(world["bravo"])
    assert client.get(f"/api/v1/outcomes/surveys/{theirs.pk}/report/").status_code == 404
    listing = client.get("/api/v1/outcomes/surveys/")
    assert [s["id"] for s in listing.json()["results"]] == [survey.pk]
    social_worker = APIClient()
    social_worker.force_authenticate(world["alpha"]["sw"])
    assert social_worker.get("/api/v1/outcomes/surveys/").status_code == 403


# ----------------------------------------------------------------------------------------------
# Provider staff


def _provider_client(provider):
    from providers.models import ProviderAccount
    from shortbreaks import rls
    from shortbreaks.councils.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory()
    membership_grant(user=user, council=provider.council, role=Role.PROVIDER)
    with rls.all_councils():
        ProviderAccount.objects.create(council=provider.council, user=user, provider=provider)
    user.refresh_from_db()
    client = Client()
    client.force_login(user)
    return client


def test_provider_staff_see_only_their_own_services_results(world):
    survey = _report_world(world, 5)
    alpha = world["alpha"]
    client = _provider_client(alpha["offer"]["provider"])
    listing = client.get("/outcomes/provider/").content.decode()
    assert f"/outcomes/provider/{survey.pk}/" in listing
    page = client.get(f"/outcomes/provider/{survey.pk}/")
    assert page.status_code == 200
    assert "80%" in page.content.decode()
    # Not the council's report, nor another provider's results, nor another council's survey.
    assert client.get(f"/outcomes/surveys/{survey.pk}/report/").status_code == 403
    from tests.builders import make_provider

    other = _provider_client(make_provider(alpha["commissioner"], name="Another provider"))
    assert other.get(f"/outcomes/provider/{survey.pk}/").status_code == 404
    theirs = make_survey(world["bravo"])
    assert client.get(f"/outcomes/provider/{theirs.pk}/").status_code == 404


def test_the_api_survey_list_and_report_run_constant_queries(world, django_assert_num_queries):
    alpha = world["alpha"]
    survey = _report_world(world, 1)
    client = APIClient()
    client.force_authenticate(alpha["commissioner"])
    report = f"/api/v1/outcomes/surveys/{survey.pk}/report/"
    client.get("/api/v1/outcomes/surveys/")
    with django_assert_num_queries(3) as listing:
        client.get("/api/v1/outcomes/surveys/")
    with django_assert_num_queries(8) as one:
        client.get(report)
    make_survey(alpha)
    children = [add_family(alpha, n) for n in range(2, 5)]
    services.survey_send(actor=alpha["admin"], survey=survey)
    for child in children:
        _answer(survey, alpha, invitation_of(survey, child), 4)
    with django_assert_num_queries(len(listing.captured_queries)):
        assert len(client.get("/api/v1/outcomes/surveys/").json()["results"]) == 2
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(report).status_code == 200
