"""A commissioner builds the statement in headless Chromium, axe-clean on every page: a new draft,
the Regulation 5 check as a task list, publishing refused with its reasons, then published once
the sections are written. For tests/browser/ (its conftest gives the fixtures)."""

from __future__ import annotations

from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from statements import services
from statements.models import StatementStatus, StatementVersion
from tests.browser.actions import click_and_load
from tests.conftest import MARKER_A
from tests.statements.statement_builders import (
    COMPLETE_TEXT,
    make_grant_scheme,
    offer_every_category,
)


def test_a_commissioner_checks_and_publishes_the_statement(
    page, sign_in, axe, live_server, two_councils
):
    people = two_councils["alpha"]["people"]
    commissioner = people[Role.COMMISSIONER]
    offer_every_category(commissioner, MARKER_A)
    make_grant_scheme(people[Role.SOCIAL_WORKER])
    sign_in(page, commissioner)

    page.goto(f"{live_server.url}/statements/manage/")
    axe(page)
    click_and_load(page.get_by_role("link", name="Create a new draft"))
    axe(page)
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", name="Version 1", exact=True)).to_be_visible()
    axe(page)
    version = StatementVersion.objects.get(council=two_councils["alpha"]["council"])

    page.get_by_role("link", name="See what is missing").click()
    expect(page.get_by_role("heading", name="Check against Regulation 5")).to_be_visible()
    expect(page.get_by_text("Incomplete").first).to_be_visible()
    axe(page)

    # Publishing now is refused, with the reasons listed.
    page.goto(f"{live_server.url}/statements/manage/{version.pk}/publish/")
    page.get_by_role("button", name="Publish the statement").click()
    expect(page.get_by_text("Version 1 cannot be published yet")).to_be_visible()
    axe(page)
    version.refresh_from_db()
    assert version.status == StatementStatus.DRAFT

    # The council writes its sections; every check is then complete.
    services.statement_update(actor=commissioner, version=version, **COMPLETE_TEXT)
    page.goto(f"{live_server.url}/statements/manage/{version.pk}/check/")
    assert not page.get_by_text("Incomplete").count()
    page.get_by_role("link", name="Preview the statement").click()
    expect(page.get_by_text(f"Youth club {MARKER_A}").first).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/statements/manage/{version.pk}/publish/")
    page.get_by_role("button", name="Publish the statement").click()
    expect(page.get_by_role("heading", name="PDF")).to_be_visible()
    axe(page)
    version.refresh_from_db()
    assert version.status == StatementStatus.PUBLISHED
    assert version.snapshot is not None
