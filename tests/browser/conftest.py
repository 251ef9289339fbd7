"""Headless Chromium through Playwright's sync API, against Django's live server.

Playwright's own browser download is not used: the system Chromium (or CHROMIUM_PATH) is. Without
one the browser tests are skipped, except in CI (the CI variable set), where that is a failure.

What each journey costs is the pages it drives, not what surrounds them:
- one Chromium for the whole run, and a fresh context (cookies, storage) for each test;
- `sign_in` puts a session made on the server into the browser and opens Home; the journeys about
  signing in itself use `sign_in_through_form`;
- after each test the tables its journey filled are emptied with DELETE, not every table with
  TRUNCATE (tests/emptying.py, for every transactional test);
- axe-core comes from the browser's cache (`_axe_url`), and is asked for the violations only.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

SignIn = Callable[..., None]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives the browser, so `-m browser` selects all of them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """The launched headless Chromium, shared by the whole session."""
    executable = _chromium_path()
    if not executable:
        message = "No Chromium found: install it or set CHROMIUM_PATH."
        if os.environ.get("CI"):
            pytest.fail(f"{message} The browser tests must run in CI.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _new_context(browser, **options):
    # bypass_csp: the policy allows only our own scripts, and axe is injected by the test.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture(scope="session")
def _live_server_warmed(live_server, django_db_blocker) -> None:
    """One request before the first journey: the first page the live server serves imports the
    views and compiles the templates, which on a busy machine can outlast a journey's timeout."""
    from urllib.request import urlopen

    with django_db_blocker.unblock(), urlopen(f"{live_server.url}/sign-in/", timeout=120):  # noqa: S310
        pass


@pytest.fixture
def page(browser, transactional_db, live_server, _live_server_warmed) -> Iterator:
    """A fresh context and page per test, with the live server and a committed database."""
    context = _new_context(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def new_context(browser, transactional_db, live_server, _live_server_warmed) -> Iterator[Callable]:
    """new_context(**options) -> another browser context (e.g. java_script_enabled=False)."""
    contexts = []

    def make(**options):
        context = _new_context(browser, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _sign_in_through_form(page, url: str, user, password: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/home/")


@pytest.fixture
def sign_in_through_form(live_server, transactional_db) -> SignIn:
    """sign_in_through_form(page, user): sign in through the form, as a person would, and land
    on Home. For the journeys about signing in; the others use `sign_in`."""

    def do(page, user, password: str = PASSWORD) -> None:
        _sign_in_through_form(page, live_server.url, user, password)

    return do


def _session_for(user) -> str:
    """A signed-in session for `user`, made on the server as the sign-in page makes it: the
    active council it ensures, and the keys django.contrib.auth.login stores."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from shortbreaks.councils import services

    # The server's own copy of the person, as the page has it: the test's object stays as it was.
    person = type(user).objects.get(pk=user.pk)
    services.user_ensure_active_council(user=person)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = person._meta.pk.value_to_string(person)
    session[BACKEND_SESSION_KEY] = "shortbreaks.councils.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture
def sign_in(live_server, transactional_db) -> SignIn:
    """sign_in(page, user): signed in, on Home. The form is tested in its own journeys
    (test_foundation.py, with `sign_in_through_form`); the others start signed in, so the browser
    is given the session cookie the form would have set, and opens Home."""
    from django.conf import settings

    def do(page, user) -> None:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": _session_for(user),
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        page.goto(f"{live_server.url}/home/")
        assert page.url == f"{live_server.url}/home/", f"not signed in: at {page.url}"

    return do


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def _axe_url() -> Iterator[str]:
    """The address of axe-core on a small loopback server of its own, cacheable for an hour.

    Added to a page by its address, axe comes from each context's HTTP cache after its first
    check, compiled once; added as text, all 650 kB of it would travel from Python through
    Playwright's driver to Chromium, and be compiled again, for every page checked."""
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run npm install.", pytrace=False)
    body = AXE_PATH.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/axe.min.js":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600, immutable")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/axe.min.js"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def axe(_axe_url) -> Callable:
    """axe(page): fail the test if axe-core finds a WCAG 2.2 A/AA violation on the page."""

    def check(page) -> None:
        # After a click that posts a form, the next page may still be loading: axe is added to
        # the page that has finished, never to one with no document yet.
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=_axe_url)
        # Every rule of those tags runs on the whole page; `resultTypes` only spares axe listing
        # each node that passed or was not applicable, which no test reads.
        violations = page.evaluate(
            """tags => axe.run(document, {
                    runOnly: {type: "tag", values: tags},
                    resultTypes: ["violations"],
                }).then(results => results.violations)""",
            AXE_TAGS,
        )
        if violations:
            pytest.fail(
                f"Accessibility violations on {page.url}:\n{_describe(violations)}",
                pytrace=False,
            )

    return check
