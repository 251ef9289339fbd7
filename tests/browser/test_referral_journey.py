"""A social worker logs a referral in a real browser, axe-checked on every page.

They log a referral for a child already on the council's records, check their answers (changing
one), upload the referral form (a small real PDF), move the referral to screening and then accept
it for assessment, and find each step in the referral's dated history.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral, ReferralDocument, ReferralStatus
from shortbreaks.accesslog.models import AccessLogEntry
from tests.referrals.builders import make_child

pytestmark = pytest.mark.browser

# A minimal one-page PDF: header, catalogue, page tree, page, cross-reference table and trailer.
REFERRAL_FORM_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)


def test_social_worker_logs_a_referral_uploads_its_form_and_accepts_it(
    page, sign_in, axe, live_server, two_councils
):
    social_worker = two_councils["alpha"]["people"]["social_worker"]
    child = make_child(social_worker, first_name="Maya", last_name="Okafor")
    main = page.locator("main")
    today = timezone.localdate()

    sign_in(page, social_worker)

    # The form.
    page.goto(f"{live_server.url}/children/{child.pk}/referrals/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a referral")
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Log a referral"))
    expect(main.locator(".govuk-error-summary")).to_contain_text("Choose the primary need")
    axe(page)
    received = page.get_by_role("group", name="Date the referral was received")
    received.get_by_label("Day").fill("6")
    received.get_by_label("Month").fill("1")
    received.get_by_label("Year").fill("2025")
    page.get_by_label("Where did the referral come from?").select_option("3A")
    page.get_by_label("Who referred (optional)").fill("Dr Patel, Riverside Surgery")
    page.get_by_label("What does the referral ask for?").fill("Weekend breaks for the family.")
    page.get_by_label("N2: child's disability or illness").check()
    page.get_by_role("button", name="Continue").click()

    # Check your answers, then change one.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before logging the referral"
    )
    expect(main).to_contain_text("Health services: GP")
    axe(page)
    main.get_by_role("link", name="Change who referred").click()
    expect(page.get_by_label("What does the referral ask for?")).to_have_value(
        "Weekend breaks for the family."
    )
    page.get_by_label("Who referred (optional)").fill("Dr Amina Patel, Riverside Surgery")
    page.get_by_role("button", name="Continue").click()
    expect(main).to_contain_text("Dr Amina Patel, Riverside Surgery")
    page.get_by_role("button", name="Log the referral").click()

    # The referral's page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral received 6 January 2025")
    expect(main).to_contain_text("Referral logged.")
    expect(main.locator("#status .govuk-tag")).to_have_text("Received")
    expect(main).to_contain_text("No documents are attached yet.")
    axe(page)
    referral = Referral.objects.get()
    assert referral.child == child and referral.referrer == "Dr Amina Patel, Riverside Surgery"

    # Upload the referral form.
    page.get_by_label("Upload a file").set_input_files(
        files=[
            {
                "name": "referral-form.pdf",
                "mimeType": "application/pdf",
                "buffer": REFERRAL_FORM_PDF,
            }
        ]
    )
    page.get_by_label("Description (optional)").fill("GP referral form")
    page.get_by_role("button", name="Upload the file").click()
    expect(main).to_contain_text("referral-form.pdf uploaded.")
    download_link = main.get_by_role("link", name="Download referral-form.pdf")
    expect(download_link).to_be_visible()
    axe(page)
    document = ReferralDocument.objects.get()
    assert document.content_type == "application/pdf"

    # A refused file comes back in the error summary.
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"<html>not</html>"}]
    )
    page.get_by_role("button", name="Upload the file").click()
    expect(main.locator(".govuk-error-summary")).to_contain_text(
        "The selected file must be a PDF, a Word document (DOCX), a PNG or a JPEG."
    )
    axe(page)
    assert ReferralDocument.objects.count() == 1

    # The download is an attachment, logged.
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "referral-form.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == REFERRAL_FORM_PDF
    assert AccessLogEntry.objects.filter(action="download", object_id=str(document.pk)).exists()

    # Move it to screening.
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    screening = main.locator("form", has=page.get_by_role("heading", name="Start screening"))
    screening.get_by_label("Reason (optional)").fill("Checking eligibility with the GP.")
    screening.get_by_role("button", name="Start screening").click()
    expect(main).to_contain_text("Referral moved to screening.")
    expect(main.locator("#status .govuk-tag")).to_have_text("Screening")
    axe(page)

    # An outcome without its reason is refused in the error summary.
    accept = main.locator("form", has=page.get_by_role("heading", name="Accept for assessment"))
    accept.get_by_role("button", name="Accept for assessment").click()
    expect(main.locator(".govuk-error-summary")).to_contain_text("Enter the reason.")
    axe(page)

    # Accept it for assessment.
    accept = main.locator("form", has=page.get_by_role("heading", name="Accept for assessment"))
    accept.get_by_label("Reason").fill("Needs a specialist assessment of child and carer.")
    accept.get_by_role("button", name="Accept for assessment").click()
    expect(main).to_contain_text("Referral moved to accepted for assessment.")
    expect(main.locator("#status .govuk-tag")).to_have_text("Accepted for assessment")
    history = main.get_by_role("table", name="Changes of status, oldest first")
    expect(history).to_contain_text("Checking eligibility with the GP.")
    expect(history).to_contain_text("Needs a specialist assessment of child and carer.")
    expect(history).to_contain_text(f"{today.day} {today:%B %Y}")
    expect(main).not_to_contain_text("Change the status")
    axe(page)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED_FOR_ASSESSMENT
