"""A parent carer, not signed in, reads the council's short breaks services statement: follows its
contents list, finds a service in the directory by age, tier and when, downloads the PDF and sends
their views (an error first). Then a commissioner signs in and reads those views on the staff page.
axe-checked on every public page; the read pages leave no cookie in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shortbreaks.councils.models import Role
from shortbreaks.documents.models import JobStatus
from statements import services
from statements.models import CarerFeedback
from tests.builders import make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.statements.statement_builders import TODAY, complete_draft, offer_every_category

VIEWS = f"Please add a Saturday club for teenagers {MARKER_A}."


@pytest.fixture
def eager(settings):
    """Build the PDF in-process when publishing commits (no broker in the browser tests)."""
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


def _publish(commissioner, **text):
    version = complete_draft(commissioner, **text)
    version = services.statement_publish(actor=commissioner, version=version, today=TODAY)
    version.refresh_from_db()
    return version


def _world(two_councils):
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    offer_every_category(alpha, "Alpha")
    make_service(
        alpha,
        make_provider(alpha, name="Teen Breaks"),
        title="Teen weekend club",
        tier="targeted",
        categories=["evenings_weekends_holidays"],
        setting="community",
        when=["weekends"],
        age_from=13,
        age_to=18,
    )
    offer_every_category(bravo, MARKER_B)
    _publish(bravo, introduction=f"Bravo's statement {MARKER_B}")
    version = _publish(alpha, introduction=f"Short breaks in Alpha {MARKER_A}.")
    assert version.pdf_job.status == JobStatus.DONE  # built in-process on commit
    return alpha, version


def test_a_parent_reads_the_statement_downloads_it_and_gives_views(
    eager, page, new_context, axe, live_server, sign_in, two_councils, tmp_path
):
    commissioner, version = _world(two_councils)
    main = page.locator("main")

    # The statement, with no sign-in and no cookie.
    page.goto(f"{live_server.url}/statements/alpha/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Short breaks services statement")
    expect(main).to_contain_text(f"Short breaks in Alpha {MARKER_A}.")
    expect(main).to_contain_text("Published")
    expect(main).to_contain_text("2 June 2025")
    expect(main).not_to_contain_text(MARKER_B)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert page.context.cookies() == []
    axe(page)

    # The contents list goes to each section.
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Who can get short breaks").click()
    expect(page).to_have_url(re.compile(r"#statement-eligibility$"))
    expect(
        page.get_by_role("heading", name="Who can get short breaks", level=2)
    ).to_be_in_viewport()
    contents.get_by_role("link", name="How short breaks meet carers' needs").click()
    expect(page).to_have_url(re.compile(r"#statement-meeting-needs$"))
    expect(
        page.get_by_role(
            "table", name="Children and young people getting short breaks now, by tier"
        )
    ).to_be_visible()

    # The directory, filtered by age, tier and when.
    main.get_by_role("link", name=re.compile("Find short breaks services in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Short breaks services in Alpha {MARKER_A} Council"
    )
    axe(page)
    page.get_by_label("Child's age").fill("14")
    page.get_by_role("group", name="Tier").get_by_label("Targeted").check()
    page.get_by_role("group", name="When").get_by_label("Weekends").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(main.get_by_role("heading", level=3)).to_have_text(
        ["Community buddying Alpha", "Teen weekend club"]
    )
    axe(page)
    page.get_by_label("Child's age").fill("6")
    page.get_by_role("button", name="Apply filters").click()
    expect(main.get_by_role("heading", name="1 service matches your filters")).to_be_visible()
    expect(main.get_by_role("heading", level=3)).to_have_text(["Community buddying Alpha"])
    assert page.context.cookies() == []

    # The PDF, as a download.
    page.goto(f"{live_server.url}/statements/alpha/")
    with page.expect_download() as downloaded:
        main.get_by_role(
            "link", name=re.compile(r"Download this statement as a PDF \(PDF, ")
        ).click()
    download = downloaded.value
    assert download.suggested_filename == "short-breaks-statement-alpha-v1.pdf"
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # Views: an error first, then sent.
    main.get_by_role("link", name="Give your views on this statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Give your views on the short breaks services statement"
    )
    axe(page)
    page.get_by_label("I would like the council to reply to me").check()
    page.get_by_role("button", name="Send your views").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your views on the statement")
    expect(summary).to_contain_text("Enter your email address so that the council can reply")
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    summary.get_by_role("link", name="Enter your views on the statement").click()
    expect(page.get_by_label("Your views on the statement")).to_be_focused()
    assert not CarerFeedback.objects.exists()

    page.get_by_label("Your views on the statement").fill(VIEWS)
    page.get_by_label(re.compile("How are you connected")).fill("Parent")
    page.get_by_label("Email address (optional)").fill("parent.journey@example.org")
    page.get_by_role("button", name="Send your views").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your views have been sent")
    axe(page)
    feedback = CarerFeedback.objects.get()
    assert (feedback.version_id, feedback.wants_reply) == (version.pk, True)

    # The commissioner reads the views on the staff page.
    staff = new_context().new_page()
    sign_in(staff, commissioner)
    staff.goto(f"{live_server.url}/statements/manage/{version.pk}/feedback/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Carers' views on version 1")
    staff_main = staff.locator("main")
    expect(staff_main).to_contain_text(VIEWS)
    expect(staff_main).to_contain_text("parent.journey@example.org")
    expect(staff_main).to_contain_text("Parent")


def test_the_statement_and_feedback_work_without_javascript(
    eager, new_context, live_server, two_councils
):
    _world(two_councils)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/statements/alpha/")
    page.get_by_role("link", name="Give your views on this statement").click()
    page.get_by_label("Your views on the statement").fill("Clear and useful.")
    page.get_by_role("button", name="Send your views").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your views have been sent")
    assert CarerFeedback.objects.get().views == "Clear and useful."
