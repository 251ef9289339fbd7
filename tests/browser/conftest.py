"""Headless Chromium through Playwright's sync API, against Django's live server.

Playwright's own browser download is not used: the system Chromium (or CHROMIUM_PATH) is. Without
one the browser tests are skipped, except in CI (the CI variable set), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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


@pytest.fixture
def page(browser, transactional_db, live_server) -> Iterator:
    """A fresh context and page per test, with the live server and a committed database."""
    context = _new_context(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def new_context(browser, transactional_db, live_server) -> Iterator[Callable]:
    """new_context(**options) -> another browser context (e.g. java_script_enabled=False)."""
    contexts = []

    def make(**options):
        context = _new_context(browser, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server, transactional_db) -> SignIn:
    """sign_in(page, user): sign in through the form, as a person would, and land on Home."""

    def do(page, user, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email address").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/home/")

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


@pytest.fixture
def axe() -> Callable:
    """axe(page): fail the test if axe-core finds a WCAG 2.2 A/AA violation on the page."""
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run npm install.", pytrace=False)

    def check(page) -> None:
        # After a click that posts a form, the next page may still be loading: axe is added to
        # the page that has finished, never to one with no document yet.
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_PATH))
        violations = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                .then(results => results.violations)""",
            AXE_TAGS,
        )
        if violations:
            pytest.fail(
                f"Accessibility violations on {page.url}:\n{_describe(violations)}",
                pytrace=False,
            )

    return check
