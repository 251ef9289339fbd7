"""A child's record, one page per section, in a real browser: the sub navigation goes from the
summary to each section and marks it current, with and without JavaScript; axe-core checks every
section, and none is wider than a 1,280-pixel window."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from referrals.services import documents as document_services
from referrals.services import reviews as review_services
from tests.referrals.builders import build_world, make_package, make_referral
from tests.upload_files import pdf_bytes

pytestmark = pytest.mark.browser

# (the sub navigation's link, the section's heading, something only that section shows)
SECTIONS = [
    ("Referrals", "Referrals", "referral-form.pdf"),
    ("Assessments", "Assessments", "Assessments, newest first"),
    ("Packages", "Packages of support", "£142.50"),
    ("Reviews", "Reviews", "Reviews of packages, newest first"),
    ("Documents", "Documents", "referral-form.pdf"),
]


def _record(two_councils):
    world = build_world(two_councils)
    alpha = world["alpha"]
    child = alpha["child"]
    referral = make_referral(alpha["sw"], child)
    document_services.referral_document_add(
        actor=alpha["sw"],
        referral=referral,
        upload=SimpleUploadedFile("referral-form.pdf", pdf_bytes(), "application/pdf"),
    )
    package = make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    review_services.review_record(
        actor=alpha["sw"], package=package, held_on=date(2025, 8, 20), outcome="continue"
    )
    return alpha, child


def _fits_the_window(page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("document.documentElement.clientWidth")
    assert wide <= window, f"{page.url} is {wide} pixels wide in a {window}-pixel window"


def test_each_section_of_the_record_is_a_page_of_its_own(
    page, sign_in, axe, live_server, two_councils
):
    alpha, child = _record(two_councils)
    sign_in(page, alpha["sw"])

    page.goto(f"{live_server.url}/children/{child.pk}/")
    navigation = page.get_by_role("navigation", name=f"Sections of {child.full_name}'s record")
    expect(navigation.get_by_role("link", name="Summary")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    expect(page.locator("#record")).to_be_visible()
    axe(page)
    _fits_the_window(page)

    for link, heading, shown in SECTIONS:
        navigation.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(navigation.get_by_role("link", name=link, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        expect(navigation.locator('[aria-current="page"]')).to_have_count(1)
        expect(page.get_by_role("main")).to_contain_text(shown)
        assert page.title().startswith(f"{heading} – {child.full_name}")
        axe(page)
        _fits_the_window(page)

    # From a section's row to the record and back to the section.
    navigation.get_by_role("link", name="Packages", exact=True).click()
    page.get_by_role("link", name="3 March 2025 package").click()
    page.get_by_role("link", name=f"Back to {child.full_name}'s packages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Packages of support")


def test_the_sections_work_without_javascript(new_context, sign_in, live_server, two_councils):
    alpha, child = _record(two_councils)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, alpha["sw"])

    page.goto(f"{live_server.url}/children/{child.pk}/")
    navigation = page.get_by_role("navigation", name=f"Sections of {child.full_name}'s record")
    navigation.get_by_role("link", name="Reviews", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/children/{child.pk}/reviews/")
    expect(page.get_by_role("main")).to_contain_text("20 August 2025")
    navigation.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("link", name="referral-form.pdf")).to_be_visible()
