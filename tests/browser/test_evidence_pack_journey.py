"""An auditor asks for a contract compliance evidence pack in a real browser, axe-checked on
every page: a mistake first, then the pack; they watch it build (in-process here, as with no
broker) and download it, and find its SHA-256 on the pack's page."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from audits.models import EvidencePack
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.conftest import MARKER_A

pytestmark = pytest.mark.browser


@pytest.fixture
def eager(settings):
    """Build in-process after the request commits, as with no broker, even where one is set."""
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


def _fill_date(scope, day: str, month: str, year: str) -> None:
    scope.get_by_label("Day").fill(day)
    scope.get_by_label("Month").fill(month)
    scope.get_by_label("Year").fill(year)


def test_an_auditor_requests_watches_and_downloads_a_contract_compliance_pack(
    eager, page, sign_in, axe, live_server, two_councils, tmp_path
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    make_contract(
        commissioner,
        reference="SB-2024-07",
        title=f"Overnight short breaks {MARKER_A}",
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
    )
    main = page.locator("main")
    sign_in(page, auditor)

    page.get_by_role("link", name="Evidence packs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence packs")
    expect(main).to_contain_text("No evidence packs have been requested yet.")
    axe(page)
    main.get_by_role("link", name="Request an evidence pack").click()

    # A mistake first: no pack chosen and an "as at" date in the future.
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an evidence pack")
    axe(page)
    _fill_date(page.get_by_role("group", name="Start of the period"), "1", "4", "2024")
    _fill_date(page.get_by_role("group", name="End of the period"), "31", "3", "2025")
    _fill_date(page.get_by_role("group", name="Records as at"), "1", "1", "2099")
    page.get_by_role("button", name="Request the pack").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose which evidence pack you need")
    expect(summary).to_contain_text("The 'as at' date must be today or in the past")
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)

    # As at today: the contract was recorded today.
    today = timezone.localdate()
    page.get_by_label("Contract compliance").check()
    _fill_date(
        page.get_by_role("group", name="Records as at"),
        str(today.day),
        str(today.month),
        str(today.year),
    )
    page.get_by_role("button", name="Request the pack").click()

    # The pack's page: built in-process here, so it is ready when the page shows.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Contract compliance evidence pack as at {today.day} {today:%B %Y}"
    )
    expect(main).to_contain_text("Your evidence pack has been requested")
    expect(main).not_to_contain_text("being built")
    expect(main.locator("[data-job-status]")).to_contain_text("Ready")
    axe(page)
    pack = EvidencePack.objects.get()
    pack.job.refresh_from_db()
    expect(main).to_contain_text(pack.job.sha256)

    with page.expect_download() as downloaded:
        main.get_by_role("link", name=re.compile(r"^Download evidence-pack-")).click()
    download = downloaded.value
    assert download.suggested_filename == (
        f"evidence-pack-contract-compliance-as-at-{today.isoformat()}.pdf"
    )
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert hashlib.sha256(data).hexdigest() == pack.job.sha256
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "SB-2024-07" in " ".join(text.split())

    # The list shows it ready.
    page.get_by_role("link", name="Back to evidence packs").click()
    expect(main.get_by_role("table")).to_contain_text("Ready")
    axe(page)
