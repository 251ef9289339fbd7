"""Fixtures every test may use: councils with marker strings, and people in each role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from tests import demo_db, emptying, template_db
from tests.factories import PASSWORD, CouncilFactory, TeamFactory, UserFactory
from tests.once import built_once

# Each council's records carry its marker, so a test can prove that nothing of one council ever
# appears in what another council's people receive.
MARKER_A = "MARKERALPHA"
MARKER_B = "MARKERBRAVO"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix,
    request,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_use_migrations,
):
    """Each test process's database is a copy of one migrated once for the run, not migrated
    again by every process (tests/template_db.py)."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None or not django_db_use_migrations:
        return
    with django_db_blocker.unblock():
        template_db.use_migrated_template(
            worker=workerinput["workerid"],
            run_id=workerinput["testrunuid"],
            keepdb=django_db_keepdb,
            createdb=django_db_createdb,
            verbosity=request.config.option.verbose,
        )


_OUTCOMES = ("passed", "failed", "skipped", "xfailed", "xpassed", "error")


def _every_collected_test_ran(session) -> None:
    """A run that passes has run each test it collected: a scheduler that keys tests by their id
    runs two tests that share an id only once (xdist's module-by-module modes did, with schema
    fuzzing's operations), and the run would otherwise pass, short of tests, without a word."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or session.exitstatus != pytest.ExitCode.OK:
        return
    # One report a test, from its call or, when it went no further, its set-up (a teardown's
    # error comes beside its call's report); counted, not by id: schema fuzzing's share one.
    ran = sum(
        report.when != "teardown"
        for outcome in _OUTCOMES
        for report in reporter.stats.get(outcome, [])
    )
    if ran != session.testscollected:
        reporter.write_line(
            f"{session.testscollected} tests were collected but {ran} ran.", red=True, bold=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionfinish(session):
    """The process that reports (the one that started the test processes, or the only one)
    checks that every collected test ran; with test processes, it drops their template unless
    the database is kept."""
    config = session.config
    if hasattr(config, "workerinput"):
        return
    _every_collected_test_ran(session)
    if not getattr(config.option, "numprocesses", None):
        return
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        template_db.drop_template(keepdb=config.getvalue("reuse_db"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """While a test ends, a transactional test's committed rows are deleted from the tables that
    hold any (tests/emptying.py) in place of Django's flush of every table. A hook rather than a
    fixture, so that it holds whatever order the fixtures end in."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def empty(case) -> None:
        for alias in case._databases_names(include_mirrors=False):
            if not emptying.empty_filled_tables(alias):
                flush(case)
                return

    TransactionTestCase._fixture_teardown = empty
    try:
        return (yield)
    finally:
        TransactionTestCase._fixture_teardown = flush


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


def _forced_authentication_sets_the_scope():
    """DRF's test client `force_authenticate` skips the authentication classes, where the API
    sets the council the database shows (shortbreaks.councils.authentication): do the same."""
    from rest_framework.request import ForcedAuthentication

    from shortbreaks import rls

    plain = ForcedAuthentication.authenticate

    def authenticate(self, request):
        result = plain(self, request)
        if result and result[0] is not None and result[0].is_authenticated:
            rls.set_scope(rls.for_person(result[0]))
        return result

    ForcedAuthentication.authenticate = authenticate


_forced_authentication_sets_the_scope()


def deliver_now(notification_ids):
    """What the notifications' queue does in the tests: each is delivered at once, in process."""
    from shortbreaks.notifications import services as notifications

    for notification_id in notification_ids:
        try:
            notifications.notification_deliver(notification_id)
        except Exception:  # noqa: BLE001, S112 - the row holds the error; the task would retry
            continue


@pytest.fixture(autouse=True)
def _notifications_sent_in_process(monkeypatch):
    """Notifications queued after a commit are delivered at once, in the test's own process and
    scope, through the email backend (locmem): `mail.outbox` shows what would be sent. The tests
    of the notifications themselves replace this to see what is queued."""
    from shortbreaks.notifications import services as notifications

    monkeypatch.setattr(notifications, "notification_queue", deliver_now)


@pytest.fixture(autouse=True)
def _as_application(request):
    """Each test that runs in a rolled-back transaction (`db`) runs as the application's database
    role, so row-level security binds it as it binds the site (the suite connects as the owner,
    who makes the test databases). The test's own set-up may write any council's rows
    (`rls.all_councils`); every request it makes sets its own council, as the site does. Both
    end with the test's rollback. Transactional tests (live server, real workers) stay the
    owner: they must empty the tables after."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(
        names
    ) or (marker is not None and marker.kwargs.get("transaction"))
    as_owner = request.node.get_closest_marker("database_owner") is not None
    if transactional or as_owner or ("db" not in names and marker is None):
        yield
        return
    request.getfixturevalue("db")
    from django.conf import settings as django_settings
    from django.db import connection
    from psycopg import sql

    from shortbreaks import rls

    connection.ensure_connection()
    connection.connection.execute(
        sql.SQL("SET ROLE {}").format(sql.Identifier(django_settings.DATABASE_APP_ROLE))
    )
    rls.set_scope(rls.scope_values(everything=True))
    yield


def make_council_a():
    return CouncilFactory(slug="alpha", name=f"Alpha {MARKER_A} Council")


def make_council_b():
    return CouncilFactory(slug="bravo", name=f"Bravo {MARKER_B} Council")


def person_in(council, *roles: str, username: str | None = None):
    """A User holding those roles in that council."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    for role in roles:
        services.membership_grant(user=user, council=council, role=role)
    user.refresh_from_db()
    return user


@pytest.fixture
def council_a(db):
    return make_council_a()


@pytest.fixture
def council_b(db):
    return make_council_b()


@pytest.fixture
def make_person(db):
    """make_person(council, *roles) -> a User holding those roles in that council."""
    return person_in


@pytest.fixture
def client_for():
    """client_for(user) -> a test Client signed in as that person."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def build_two_councils(council_a=None, council_b=None) -> dict:
    """Two councils, each with a team named after its marker and a person in every role."""
    world = {}
    for council, marker in (
        (council_a or make_council_a(), MARKER_A),
        (council_b or make_council_b(), MARKER_B),
    ):
        team = TeamFactory(
            council=council,
            name=f"Team {marker}",
            organisation__name=f"Organisation {marker}",
        )
        people = {role: person_in(council, role) for role in Role.values}
        world[council.slug] = {"council": council, "team": team, "people": people}
    return world


@pytest.fixture
def two_councils(council_a, council_b):
    """Two councils, each with a team named after its marker and a person in every role."""
    return build_two_councils(council_a, council_b)


@pytest.fixture(scope="module")
def two_councils_built_once(django_db_setup, django_db_blocker):
    """`two_councils`, built once for the module (tests/once.py). A module that reads them in
    many cases overrides `two_councils` with `fresh_copy(two_councils_built_once)`."""
    yield from built_once(django_db_blocker, build_two_councils)


def demo_seed_output() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="session")
def demo_copies(django_db_setup, django_db_blocker):
    """The seeded copies of the test database this process makes (tests/demo_db.py), dropped
    when it ends."""
    yield
    with django_db_blocker.unblock():
        demo_db.drop_copies()


@pytest.fixture(scope="module")
def demo_seeded(demo_copies, django_db_blocker):
    """The demo seed for a test module: seeded once in the process for the day it is made on, in
    a database of its own, which the module reads in a transaction rolled back after it
    (tests/demo_db.py). Gives what `seed_demo` printed. Tests that use it also ask for `db`."""
    yield from demo_db.seeded_demo(django_db_blocker, demo_seed_output)


__all__ = ["PASSWORD", "MARKER_A", "MARKER_B"]
