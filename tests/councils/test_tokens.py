"""API tokens behave like sessions.

A fresh token at each sign-in, kept only as a digest; it ends after 30 minutes unused or 10 hours
in all, when DELETE /api/v1/auth/token/ is sent with it, when its person signs out of the pages,
when their account is locked out and when their password changes. Nobody else's token is touched.
The API is for council staff: a parent carer's account gets no token and no answer from /me/.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from referrals.models import ParentAccount
from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from shortbreaks.middleware import LAST_SEEN, STARTED
from tests.conftest import PASSWORD
from tests.factories import UserFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=10)
SECOND = timedelta(seconds=1)
NEW_PASSWORD = "a-brand-new-passphrase-42"  # noqa: S105 - a test value


def sign_in(username: str, password: str = PASSWORD):
    return Client().post(
        reverse("api-token"),
        {"username": username, "password": password},
        content_type="application/json",
    )


def token_for(person) -> str:
    response = sign_in(person.username)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(token: str) -> int:
    return Client().get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}").status_code


def sign_out_of_the_api(token: str):
    return Client().delete(reverse("api-token"), HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def person(two_councils):
    return two_councils["alpha"]["people"][Role.SOCIAL_WORKER]


@pytest.fixture
def colleague(two_councils):
    return two_councils["alpha"]["people"][Role.TEAM_MANAGER]


@pytest.fixture
def parent(council_a):
    """A parent carer's account on the council's public pages, able to sign in: a person with a
    ParentAccount and no staff membership."""
    user = UserFactory(username="robin.carer@example.org")
    ParentAccount.objects.create(council=council_a, user=user)
    return user


# ---------------------------------------------------------------------------------------------
# Refusals: who gets no token, and which tokens answer 401.


def test_a_wrong_password_gets_no_token(person):
    response = sign_in(person.username, "not-the-password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Enter a correct email address and password."]}
    assert not AuthToken.objects.exists()


def test_a_parent_carer_gets_no_token(parent):
    response = sign_in(parent.username)
    assert response.status_code == 403
    assert "council staff" in response.json()["detail"]
    assert "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_who_am_i_refuses_a_parent_carer_signed_in_or_with_a_token(parent):
    client = Client()
    client.force_login(parent, backend="shortbreaks.councils.backends.ModelBackend")
    refused = client.get(reverse("api-me"))
    assert refused.status_code == 403
    assert parent.email not in refused.content.decode()
    switch = client.post(
        reverse("api-switch-council"), {"council": "alpha"}, content_type="application/json"
    )
    assert switch.status_code == 403
    # A token the account somehow holds (say, from before it lost its roles) is refused too.
    _, token = services.api_token_issue(user=parent)
    assert me(token) == 403


@pytest.mark.parametrize(
    "header",
    ["Token nope", "Token " + "ab" * 32, "Token", "Token two words"],
    ids=["short", "well-formed-but-unknown", "empty", "spaces"],
)
def test_an_unknown_or_malformed_token_is_a_401(db, header):
    response = Client().get(reverse("api-me"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_a_token_unused_for_over_30_minutes_is_refused(person):
    with time_machine.travel(T0, tick=False) as clock:
        token = token_for(person)
        clock.move_to(T0 + IDLE + SECOND)
        assert me(token) == 401
        assert me(token) == 401


def test_a_token_is_refused_after_10_hours_however_busy(person):
    with time_machine.travel(T0, tick=False) as clock:
        token = token_for(person)
        used_at = T0
        while used_at < T0 + ABSOLUTE:
            used_at = min(used_at + timedelta(minutes=25), T0 + ABSOLUTE)
            clock.move_to(used_at)
            assert me(token) == 200, used_at - T0
        # Used a second ago, but 10 hours old.
        clock.move_to(T0 + ABSOLUTE + SECOND)
        assert me(token) == 401


def test_the_limits_come_from_the_settings(person, settings):
    settings.API_TOKEN_IDLE_TIMEOUT = timedelta(minutes=5)
    settings.API_TOKEN_ABSOLUTE_TIMEOUT = timedelta(minutes=12)
    with time_machine.travel(T0, tick=False) as clock:
        idle, busy = token_for(person), token_for(person)
        clock.move_to(T0 + timedelta(minutes=4))
        assert me(busy) == 200
        clock.move_to(T0 + timedelta(minutes=5) + SECOND)
        assert me(idle) == 401
        for minute in (8, 12):
            clock.move_to(T0 + timedelta(minutes=minute))
            assert me(busy) == 200
        clock.move_to(T0 + timedelta(minutes=12) + SECOND)
        assert me(busy) == 401


def test_delete_ends_the_token_in_use_and_no_other(person, colleague, client_for):
    first, second, theirs = token_for(person), token_for(person), token_for(colleague)
    # DELETE needs the token it ends: a signed-in browser session alone is refused.
    assert client_for(person).delete(reverse("api-token")).status_code == 401
    assert sign_out_of_the_api("nope").status_code == 401
    assert AuthToken.objects.count() == 3
    response = sign_out_of_the_api(first)
    assert response.status_code == 204
    assert me(first) == 401
    assert sign_out_of_the_api(first).status_code == 401
    assert me(second) == 200
    assert me(theirs) == 200


def test_no_one_can_end_another_persons_token(person, colleague):
    instance, token = services.api_token_issue(user=person)
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=colleague, token=instance)
    assert me(token) == 200


def test_signing_out_of_the_pages_ends_all_the_persons_tokens(person, colleague):
    first, second, theirs = token_for(person), token_for(person), token_for(colleague)
    browser = Client()
    assert browser.post(reverse("sign-in"), {"username": person.username, "password": PASSWORD})[
        "Location"
    ] == reverse("home")
    assert me(first) == 200
    assert browser.post(reverse("sign-out")).status_code in (200, 302)
    assert me(first) == 401
    assert me(second) == 401
    assert me(theirs) == 200
    # Signing in again gives a token that works.
    assert me(token_for(person)) == 200


def test_a_session_that_times_out_leaves_the_tokens(person, client_for):
    token = token_for(person)
    browser = client_for(person)
    assert browser.get(reverse("home")).status_code == 200
    session = browser.session
    now = datetime.now(UTC)
    session[STARTED] = (now - timedelta(hours=1)).timestamp()
    session[LAST_SEEN] = (now - timedelta(minutes=31)).timestamp()
    session.save()
    assert browser.get(reverse("home")).status_code == 302  # the session ended on its own
    assert me(token) == 200


def test_four_failures_leave_the_token(person):
    token = token_for(person)
    for _ in range(4):
        assert sign_in(person.username, "wrong").status_code == 400
    assert me(token) == 200


def test_a_lockout_on_the_token_endpoint_ends_the_persons_tokens(person, colleague):
    token, theirs = token_for(person), token_for(colleague)
    for _ in range(4):
        assert sign_in(person.username, "wrong").status_code == 400
    assert sign_in(person.username, "wrong").status_code == 429
    assert me(token) == 401
    assert not AuthToken.objects.filter(user=person).exists()
    assert me(theirs) == 200
    # Locked: even the right password gets no new token.
    assert sign_in(person.username).status_code == 429
    assert not AuthToken.objects.filter(user=person).exists()


def test_a_lockout_on_the_sign_in_page_ends_the_persons_tokens(person, colleague):
    token, theirs = token_for(person), token_for(colleague)
    for attempt in range(5):
        response = Client().post(reverse("sign-in"), {"username": person.username, "password": "x"})
        assert response.status_code == (429 if attempt == 4 else 200)
    assert me(token) == 401
    assert me(theirs) == 200


def test_a_password_change_ends_the_persons_tokens(person, colleague):
    first, second, theirs = token_for(person), token_for(person), token_for(colleague)
    person.set_password(NEW_PASSWORD)
    person.save()
    assert me(first) == 401
    assert me(second) == 401
    assert me(theirs) == 200
    assert sign_in(person.username).status_code == 400
    assert me(token_for_password(person, NEW_PASSWORD)) == 200


def token_for_password(person, password: str) -> str:
    response = sign_in(person.username, password)
    assert response.status_code == 200
    return response.json()["token"]


def test_saving_a_person_without_a_new_password_keeps_their_tokens(person, council_b):
    token = token_for(person)
    person.first_name = "Renamed"
    person.save()
    services.membership_grant(user=person, council=council_b, role=Role.AUDITOR)
    services.user_switch_council(actor=person, council_slug="bravo")
    person.refresh_from_db()
    person.set_password(NEW_PASSWORD)
    person.save(update_fields=["first_name"])  # the new password is not what is stored
    assert me(token) == 200


# ---------------------------------------------------------------------------------------------
# What does work.


def test_each_sign_in_gives_a_new_token_and_both_work(person):
    with time_machine.travel(T0, tick=False):
        first, second = sign_in(person.username), sign_in(person.username)
    assert first.status_code == second.status_code == 200
    one, two = first.json(), second.json()
    assert set(one) == {"token", "expiry", "absolute_expiry"}
    assert one["token"] != two["token"]
    assert datetime.fromisoformat(one["expiry"]) == T0 + IDLE
    assert datetime.fromisoformat(one["absolute_expiry"]) == T0 + ABSOLUTE
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert me(one["token"]) == 200
        assert me(two["token"]) == 200
    assert AuthToken.objects.filter(user=person).count() == 2


def test_a_token_is_stored_only_as_a_digest(person):
    token = token_for(person)
    row = AuthToken.objects.get(user=person)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    # The row holds the first 15 characters to find it by; the other 49 (196 bits) are nowhere.
    assert token.startswith(row.token_key) and len(row.token_key) == 15 and len(token) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = " ".join(str(value) for record in cursor.fetchall() for value in record)
    assert token not in stored
    assert token[15:] not in stored


def test_a_token_used_within_30_minutes_lives_on(person):
    with time_machine.travel(T0, tick=False) as clock:
        token = token_for(person)
        clock.move_to(T0 + IDLE)  # the last moment it may be used unused
        assert me(token) == 200
        clock.move_to(T0 + IDLE + IDLE)  # 30 minutes after that use
        assert me(token) == 200
        clock.move_to(T0 + IDLE + IDLE + IDLE + SECOND)
        assert me(token) == 401


def test_a_new_sign_in_clears_the_persons_ended_tokens(person, colleague):
    with time_machine.travel(T0, tick=False) as clock:
        ended, theirs = token_for(person), token_for(colleague)
        clock.move_to(T0 + IDLE + SECOND)
        assert me(ended) == 401
        fresh = token_for(person)
        assert AuthToken.objects.filter(user=person).count() == 1
        assert me(fresh) == 200
        # The colleague's ended token waits for their own next sign-in.
        assert AuthToken.objects.filter(user=colleague).count() == 1
        assert me(theirs) == 401


def test_a_request_reads_none_of_the_persons_other_tokens(person):
    """The person's other ended tokens wait for their next sign-in, not for each API call."""
    with time_machine.travel(T0, tick=False) as clock:
        ended = token_for(person)
        clock.move_to(T0 + IDLE - SECOND)
        current = token_for(person)  # the first has not ended yet, so it stays
        clock.move_to(T0 + IDLE + SECOND)
        with CaptureQueriesContext(connection) as queries:
            assert me(current) == 200
        assert not [q for q in queries if 'WHERE "knox_authtoken"."user_id" =' in q["sql"]]
        assert AuthToken.objects.filter(user=person).count() == 2
        assert me(ended) == 401
