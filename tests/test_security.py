"""Deny by default, tenancy, the role matrix, headers, lockout and session limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from shortbreaks.councils.models import Role
from shortbreaks.middleware import LAST_SEEN, STARTED
from shortbreaks.urls import PUBLIC_URL_NAMES
from tests.conftest import MARKER_A, MARKER_B, PASSWORD
from tests.once import fresh_copy
from tests.roles import ACCESS_LOG_READERS, STAFF


@pytest.fixture
def two_councils(db, two_councils_built_once):
    """The two councils and their people, built once for this module (the role matrix reads them
    in hundreds of cases); each test rolls back its own writes."""
    return fresh_copy(two_councils_built_once)


# ---------------------------------------------------------------------------------------------
# Every view needs a signed-in person, except the public list.


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


def _concrete(route: str) -> str:
    """Turn a route into a URL an anonymous visitor could request."""
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<slug:\w+>", "alpha", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str:)?\w+>", "x", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


def _routes():
    seen = set()
    for route, name in _walk(get_resolver().url_patterns):
        url = _concrete(route)
        if url in seen:
            continue
        seen.add(url)
        yield pytest.param(url, name, id=url)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), list(_routes()))
def test_no_view_lets_an_anonymous_visitor_in_unless_listed_public(url, name):
    response = Client().get(url)
    if name == "healthz":
        # Says which part is down (no worker or scheduler runs beside this test): 503, not 500.
        assert response.status_code in (200, 503), url
        return
    if name in PUBLIC_URL_NAMES:
        # Public pages name their council in the URL; the walk's made-up one may not exist.
        assert response.status_code in (200, 302, 404, 405), url
        return
    admin = "/" + settings.ADMIN_URL  # the admin's path comes from the environment
    if url in (admin + "login/", admin + "logout/"):
        # The platform administrators' own sign-in, behind the same lockout.
        assert response.status_code in (200, 302, 405), url
        return
    if url.startswith(admin):
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert admin + "login/" in response["Location"]
        return
    if url.startswith("/api/"):
        assert response.status_code == 401, url
        return
    assert response.status_code in (302, 404), (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("sign-in")), url


def test_the_public_list_is_short_and_deliberate():
    assert PUBLIC_URL_NAMES == {
        "landing",
        "sign-in",
        "sign-out",
        "healthz",
        "accessibility",
        "accessibility-council",
        "api-token",
        "statements:directory",
        "statements:directory-service",
        "statements:statement",
        "statements:statement-pdf",
        "statements:statement-version",
        "statements:statement-version-pdf",
        "statements:statement-consultation",
        "statements:statement-consultation-feedback",
        "statements:statement-feedback",
        "statements:statement-feedback-sent",
        "statements:account-sign-up",
        "statements:account-sign-up-sent",
        "statements:account-confirm",
        "statements:account-sign-in",
        "packs:invitation",
        "packs:invitation-accept",
        "outcomes:answer",
        "outcomes:answer-sent",
        "openreferral:root",
        "openreferral:openapi",
        "openreferral:services",
        "openreferral:service",
        "openreferral:service-at-locations",
        "openreferral:service-at-location",
        "openreferral:organizations",
        "openreferral:organization",
        "openreferral:taxonomies",
        "openreferral:taxonomy",
        "openreferral:taxonomy-terms",
        "openreferral:taxonomy-term",
    }


# ---------------------------------------------------------------------------------------------
# Role x endpoint.


# (name, url maker, roles allowed). A role not allowed gets 403.
MATRIX = [
    ("home", lambda w: reverse("home"), STAFF),
    ("people", lambda w: reverse("councils:people"), STAFF),
    ("team", lambda w: reverse("councils:team", args=[w["alpha"]["team"].pk]), STAFF),
    ("access log page", lambda w: reverse("accesslog:list"), ACCESS_LOG_READERS),
    ("api me", lambda w: reverse("api-me"), STAFF),
    ("api teams", lambda w: reverse("api-teams"), STAFF),
    ("api team", lambda w: reverse("api-team", args=[w["alpha"]["team"].pk]), STAFF),
    ("api access log", lambda w: reverse("api-access-log"), ACCESS_LOG_READERS),
    ("api schema", lambda w: reverse("api-schema"), STAFF),
    ("api docs", lambda w: reverse("api-docs"), STAFF),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("label", "url_for", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_role_matrix(two_councils, client_for, role, label, url_for, allowed):
    person = two_councils["alpha"]["people"][role]
    response = client_for(person).get(url_for(two_councils))
    expected = 200 if role in allowed else 403
    if role == Role.PROVIDER and label == "home":
        expected = 302  # to their provider's home page (providers.portal)
    assert response.status_code == expected, (label, role)


@pytest.mark.parametrize("url_name", ["home", "api-teams", "api-me"])
def test_signed_in_person_with_no_council_role_is_refused(db, client_for, url_name):
    from tests.factories import UserFactory

    nobody = UserFactory()
    response = client_for(nobody).get(reverse(url_name))
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------
# Tenancy: another council's id is a 404, exactly as a missing one, and nothing of it leaks.

OBJECT_URLS = [
    ("councils:team", "team"),
    ("api-team", "team"),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("url_name", "thing"), OBJECT_URLS)
def test_another_councils_record_is_not_found(two_councils, client_for, role, url_name, thing):
    person = two_councils["alpha"]["people"][role]
    theirs = two_councils["bravo"][thing]
    client = client_for(person)
    other = client.get(reverse(url_name, args=[theirs.pk]))
    missing = client.get(reverse(url_name, args=[theirs.pk + 10_000]))
    assert other.status_code == missing.status_code
    assert other.status_code in (403, 404)
    assert MARKER_B not in other.content.decode()
    if role in STAFF:
        assert other.status_code == 404
        # The same answer for "not yours" and "not there": nothing to tell them apart.
        assert _comparable(other, theirs.pk) == _comparable(missing, theirs.pk + 10_000)


def _comparable(response, pk) -> str:
    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


LIST_URLS = ["home", "councils:people", "accesslog:list", "api-me", "api-teams", "api-access-log"]


@pytest.mark.parametrize("url_name", LIST_URLS)
def test_lists_hold_nothing_of_another_council(two_councils, client_for, url_name):
    admin_a = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    admin_b = two_councils["bravo"]["people"][Role.COUNCIL_ADMIN]
    # Give council B's log something to leak.
    client_for(admin_b).get(reverse("councils:team", args=[two_councils["bravo"]["team"].pk]))
    response = client_for(admin_a).get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert MARKER_B not in body
    assert admin_b.username not in body
    if url_name in ("councils:people", "api-teams"):
        assert MARKER_A in body


def test_a_model_wide_permission_never_widens_to_another_council(two_councils, client_for):
    from django.contrib.auth.models import Permission

    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    person.user_permissions.add(Permission.objects.get(codename="view_team"))
    response = client_for(person).get(reverse("api-team", args=[two_councils["bravo"]["team"].pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Headers.


def test_signed_in_responses_are_never_cached_and_carry_security_headers(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.COMMISSIONER]
    for url in (reverse("home"), reverse("api-me")):
        response = client_for(person).get(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# ---------------------------------------------------------------------------------------------
# Sign-in, lockout, session limits, sign-out.


def _sign_in(client, username, password):
    return client.post(reverse("sign-in"), {"username": username, "password": password})


def test_sign_in_rotates_the_session_and_sets_the_active_council(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = Client()
    client.get(reverse("sign-in"))
    client.session.save()
    before = client.session.session_key
    response = _sign_in(client, person.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before
    home = client.get(reverse("home"))
    assert "Alpha" in home.content.decode()


def test_wrong_password_shows_an_error_summary(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    response = _sign_in(Client(), person.username, "wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct email address and password." in body


def test_five_failures_lock_the_account_but_not_colleagues_on_the_same_address(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    colleague = two_councils["alpha"]["people"][Role.TEAM_MANAGER]
    office = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        assert _sign_in(office, person.username, "wrong").status_code == 200
    fifth = _sign_in(office, person.username, "wrong")
    assert fifth.status_code == 429
    assert "This account is locked" in fifth.content.decode()
    # Even the right password is refused now.
    assert _sign_in(office, person.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in office.session
    # A colleague in the same office (same IP address) signs in as usual.
    colleague_client = Client(REMOTE_ADDR="10.0.0.7")
    assert _sign_in(colleague_client, colleague.username, PASSWORD).status_code == 302


def test_token_endpoint_counts_towards_the_same_lockout(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = Client()
    url = reverse("api-token")
    for _ in range(3):
        response = client.post(url, {"username": person.username, "password": "wrong"})
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
    for _ in range(2):
        _sign_in(Client(), person.username, "wrong")
    locked = client.post(url, {"username": person.username, "password": PASSWORD})
    assert locked.status_code == 429
    # ... and the sign-in page agrees.
    assert _sign_in(Client(), person.username, PASSWORD).status_code == 429


def _age_session(client, *, started_ago: timedelta, last_seen_ago: timedelta):
    session = client.session
    now = timezone.now()
    session[STARTED] = (now - started_ago).timestamp()
    session[LAST_SEEN] = (now - last_seen_ago).timestamp()
    session.save()


def test_session_ends_after_thirty_minutes_idle(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(person)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=29))
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=31))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_session_ends_after_ten_hours_however_busy(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(person)
    client.get(reverse("home"))
    _age_session(client, started_ago=timedelta(hours=10, minutes=1), last_seen_ago=timedelta())
    response = client.get(reverse("api-me"))
    assert response.status_code == 401


def test_sign_out_ends_the_session_on_the_server(two_councils, client_for):
    from django.contrib.sessions.models import Session

    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(person)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    # GET does not sign out (a link must not end a session); POST does.
    assert client.get(reverse("sign-out")).status_code == 405
    response = client.post(reverse("sign-out"))
    assert response.status_code in (200, 302)
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie no longer works.
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get(reverse("home")).status_code == 302
