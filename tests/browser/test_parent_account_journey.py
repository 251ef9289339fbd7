"""A parent carer signs up on their council's short breaks pages, confirms their address with the
emailed link and their password, applies online for the targeted grant (an error first, then
"check your answers"), and sees the application on their account page. axe-checked on every
page."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core import mail
from playwright.sync_api import expect

from referrals.models import GrantApplication
from referrals.services import grants as grant_services
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_A

PASSWORD = "kettle-harbour-violet-29"


def test_a_parent_signs_up_applies_and_sees_their_application(page, axe, live_server, two_councils):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    grant_services.grant_scheme_create(
        actor=social_worker,
        name="Short break grant",
        year=2025,
        eligibility_criteria=f"Disabled children living in the area {MARKER_A}.",
        max_amount=Decimal("500.00"),
    )
    main = page.locator("main")

    page.goto(f"{live_server.url}/statements/alpha/account/sign-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    axe(page)
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Journey")
    page.get_by_label("Email address").fill("robin.journey@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Enter the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe(page)
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/statements/alpha/account/confirm/\S+/)", message.body)
    page.goto(f"{live_server.url}{link.group(1)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    expect(main).to_contain_text("robin.journey@example.org")
    axe(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(main).to_contain_text("Your email address is confirmed")
    expect(main).to_contain_text("You have not applied for a grant yet.")
    axe(page)

    page.get_by_role("button", name="Apply for the short break grant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for the short break grant")
    expect(main).to_contain_text(f"Disabled children living in the area {MARKER_A}.")
    axe(page)

    page.get_by_label("Child's first name").fill("Kit")
    page.get_by_label("Child's last name").fill("Journey")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Child's home postcode").fill("nowhere")
    page.get_by_label("Autism or Asperger syndrome").check()
    page.get_by_label("What is your relationship to the child?").fill("Father")
    page.get_by_label("What would breaks from caring let you do?").fill("Work and rest.")
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real postcode")
    expect(summary).to_contain_text("Enter what you would use the grant for")
    axe(page)
    summary.get_by_role("link", name="Enter a real postcode, like SY1 1AA").click()
    expect(page.get_by_label("Child's home postcode")).to_be_focused()
    page.get_by_label("Child's home postcode").fill("SY1 1AA")
    page.get_by_label("What would you use the grant for?").fill("A Saturday club.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your application"
    )
    expect(main).to_contain_text("Kit Journey")
    expect(main).to_contain_text("A Saturday club.")
    axe(page)
    assert not GrantApplication.objects.exists()
    page.get_by_role("button", name="Send application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your application for the short break grant"
    )
    expect(main).to_contain_text("Waiting for a decision")
    axe(page)
    page.get_by_role("link", name="Back to your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    table = main.get_by_role("table")
    expect(table).to_contain_text("Kit Journey")
    expect(table).to_contain_text("Waiting for a decision")
    expect(main).to_contain_text("Kit Journey has no package of support")
    axe(page)
    assert GrantApplication.objects.get().child.carers.get().account.email == (
        "robin.journey@example.org"
    )
