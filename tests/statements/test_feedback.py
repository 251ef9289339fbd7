"""Carers' views on the statement (Regulation 5(4)): a public form, protected from other sites by
Django's CSRF cookie (the one cookie any public statement page sets), saved only on the published
version or the one out for consultation, and nothing saved on bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from statements import services
from statements.models import CarerFeedback, StatementEvent, StatementEventKind, StatementVersion
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.statements.statement_builders import complete_draft, offer_every_category, published

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

GOOD = {
    "views": f"More holiday clubs please {MARKER_A}",
    "relationship": "Parent",
    "name": "",
    "email": "",
}


@pytest.fixture
def offers(alpha, bravo):
    offer_every_category(alpha, "Alpha")
    offer_every_category(bravo, MARKER_B)


@pytest.fixture
def current(alpha, bravo, offers):
    published(bravo)
    return published(alpha)


def _url(name, slug="alpha"):
    return reverse(f"statements:{name}", args=[slug])


def _open_consultation(commissioner, days=30):
    """The next version, out for consultation (the council has a published one already)."""
    draft = services.statement_draft_create(actor=commissioner)
    today = timezone.localdate()
    return services.statement_consultation_start(
        actor=commissioner, version=draft, closes_on=today + timedelta(days=days), today=today
    )


# ---------------------------------------------------------------------------------------------
# The form and its protection


def test_the_feedback_form_is_public_and_sets_only_the_csrf_cookie(current):
    response = Client().get(_url("statement-feedback"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Give your views on the short breaks services statement" in html
    for label in (
        "Your views on the statement",
        "How are you connected to a disabled child or young person? (optional)",
        "Your name (optional)",
        "Email address (optional)",
        "I would like the council to reply to me",
        "Send your views",
    ):
        assert label in html, label
    assert "csrfmiddlewaretoken" in html
    # This page alone sets a cookie, Django's CSRF cookie, so that its POST can be checked
    # without a session. No session is started.
    assert set(response.cookies) == {settings.CSRF_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"]
    assert response.cookies[settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(current):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url("statement-feedback"), GOOD)
    assert response.status_code == 403
    assert not CarerFeedback.objects.exists()


def test_a_post_with_the_token_from_the_form_is_accepted(current):
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url("statement-feedback")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(_url("statement-feedback"), {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CarerFeedback.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Happy paths


def test_views_on_the_published_statement_are_saved_for_its_council(current, client):
    data = {
        **GOOD,
        "name": "Sam Feedbackson",
        "email": "sam@example.org",
        "wants_reply": "on",
    }
    response = client.post(_url("statement-feedback"), data)
    assert response.status_code == 302
    assert response["Location"] == _url("statement-feedback-sent")
    feedback = CarerFeedback.objects.get()
    assert feedback.version == current
    assert feedback.council == current.council
    assert feedback.views == GOOD["views"]
    assert feedback.relationship == "Parent"
    assert feedback.name == "Sam Feedbackson"
    assert feedback.email == "sam@example.org"
    assert feedback.wants_reply is True
    [event] = StatementEvent.objects.filter(version=current, kind=StatementEventKind.VIEWS_RECEIVED)
    assert event.summary == "Views received from a carer"

    sent = Client().get(response["Location"])
    assert sent.status_code == 200
    assert not sent.cookies
    html = sent.content.decode()
    assert html.count("<h1") == 1
    assert "Your views have been sent" in html


def test_anonymous_views_need_only_the_views(current, client):
    response = client.post(_url("statement-feedback"), {"views": "Fine as it is."})
    assert response.status_code == 302
    feedback = CarerFeedback.objects.get()
    assert (feedback.name, feedback.email, feedback.wants_reply) == ("", "", False)


def test_views_on_the_consultation_go_to_the_draft(current, alpha, client):
    draft = _open_consultation(alpha)
    page = client.get(_url("statement-consultation-feedback"))
    assert page.status_code == 200
    assert "Give your views on the draft short breaks services statement" in page.content.decode()
    response = client.post(_url("statement-consultation-feedback"), GOOD)
    assert response.status_code == 302
    assert CarerFeedback.objects.get().version == draft


def test_views_sent_on_one_councils_page_never_reach_another(current, client):
    client.post(_url("statement-feedback", "bravo"), {"views": f"For bravo {MARKER_B}"})
    client.post(_url("statement-feedback", "alpha"), GOOD)
    assert CarerFeedback.objects.get(council__slug="bravo").views == f"For bravo {MARKER_B}"
    assert CarerFeedback.objects.get(council__slug="alpha").views == GOOD["views"]


# ---------------------------------------------------------------------------------------------
# Bad input: a clear error, nothing saved


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"views": ""}, "Enter your views on the statement"),
        ({"views": "   "}, "Enter your views on the statement"),
        ({"views": "x" * 10_001}, "Your views must be 10,000 characters or fewer"),
        (
            {"views": "Good", "wants_reply": "on"},
            "Enter your email address so that the council can reply",
        ),
        (
            {"views": "Good", "email": "not-an-email"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"views": "Good", "name": "n" * 201}, "Your name must be 200 characters or fewer"),
        (
            {"views": "Good", "relationship": "r" * 101},
            "This must be 100 characters or fewer",
        ),
    ],
    ids=["empty", "blank", "too-long", "reply-no-email", "bad-email", "long-name", "long-rel"],
)
def test_bad_input_is_explained_and_saves_nothing(current, client, data, message):
    response = client.post(_url("statement-feedback"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    assert message in html.replace("&#x27;", "'")
    assert html.count("<h1") == 1
    assert "<title>Error: " in html
    assert not CarerFeedback.objects.exists()


def test_what_was_typed_is_kept_after_an_error(current, client):
    html = client.post(
        _url("statement-feedback"), {"views": "Keep this text", "wants_reply": "on"}
    ).content.decode()
    assert "Keep this text" in html
    assert "checked" in html


# ---------------------------------------------------------------------------------------------
# Only on the published version or the one out for consultation


def test_no_published_statement_means_no_feedback_form(alpha, offers, client):
    complete_draft(alpha)
    assert client.get(_url("statement-feedback")).status_code == 404
    assert client.post(_url("statement-feedback"), GOOD).status_code == 404
    assert not CarerFeedback.objects.exists()


def test_a_draft_not_out_for_consultation_takes_no_views(current, alpha, client):
    services.statement_draft_create(actor=alpha)
    assert client.get(_url("statement-consultation-feedback")).status_code == 404
    assert client.post(_url("statement-consultation-feedback"), GOOD).status_code == 404
    assert not CarerFeedback.objects.exists()


def test_a_closed_consultation_takes_no_more_views(current, alpha, client):
    draft = _open_consultation(alpha)
    StatementVersion.objects.filter(pk=draft.pk).update(
        consultation_closes_on=timezone.localdate() - timedelta(days=1)
    )
    page = client.get(_url("statement-consultation-feedback"))
    assert page.status_code == 200
    assert "The consultation has closed" in page.content.decode()
    response = client.post(_url("statement-consultation-feedback"), GOOD)
    assert response.status_code == 200
    assert "The consultation has closed" in response.content.decode()
    assert not CarerFeedback.objects.exists()
    # The published statement still takes views.
    assert client.post(_url("statement-feedback"), GOOD).status_code == 302


def test_only_get_and_post_are_answered(current, client):
    assert client.put(_url("statement-feedback")).status_code == 405
    assert client.post(_url("statement")).status_code == 405


def test_the_consultation_heading_keeps_the_titles_capitals(current, alpha, client):
    draft = _open_consultation(alpha)
    StatementVersion.objects.filter(pk=draft.pk).update(
        title="Alpha Council short breaks services statement, April 2027"
    )
    page = client.get(_url("statement-consultation")).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "Alpha Council short breaks services statement, April 2027" in heading
    assert "alpha council" not in page and "april 2027" not in page
