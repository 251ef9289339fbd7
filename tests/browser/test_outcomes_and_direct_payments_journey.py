"""Outcome surveys and direct payments in headless Chromium, axe-clean: the report's chart and
table, the easy-read form a child's link opens, and a direct payment's page and its recovery form
with an error. For tests/browser/ (its conftest gives the browser, page, sign_in and axe fixtures).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from directpayments import services as dp_services
from outcomes import services
from outcomes.models import Channel, Question, QuestionKind
from outcomes.services import invitation_token_make
from tests.directpayments.builders import dp_world, make_agreement
from tests.outcomes.builders import add_family, invitation_of, outcomes_world

TODAY = timezone.localdate()


def _survey(council):
    return services.survey_create(
        actor=council["admin"],
        title="Summer survey",
        period_start=date(2025, 4, 1),
        period_end=TODAY,
        closes_on=TODAY.replace(year=TODAY.year + 1),
    )


def test_the_report_and_the_easy_read_form(
    page, new_context, sign_in, axe, live_server, two_councils
):
    world = outcomes_world(two_councils)
    alpha = world["alpha"]
    children = [alpha["child"]] + [add_family(alpha, n) for n in range(1, 6)]
    survey = _survey(alpha)
    services.survey_send(actor=alpha["admin"], survey=survey)
    question = Question.objects.get(survey=survey, kind=QuestionKind.SATISFACTION)
    for rating, child in zip((5, 4, 4, 5, 2), children[1:], strict=True):
        services.response_submit(
            actor=None,
            invitation=invitation_of(survey, child),
            channel=Channel.LINK,
            answers={question.pk: {alpha["offer"]["service"].pk: rating}},
        )
    sign_in(page, alpha["commissioner"])
    page.goto(f"{live_server.url}/outcomes/surveys/{survey.pk}/report/")
    expect(page.get_by_role("img", name="Percentage satisfied by service")).to_be_visible()
    expect(page.get_by_role("cell", name="80%").first).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/outcomes/surveys/{survey.pk}/")
    axe(page)

    # The child's link, as the email carries it.
    invitation = invitation_of(survey, alpha["child"], "child")
    token = invitation_token_make(invitation)
    invitation.save(update_fields=["token_hash"])
    anonymous = new_context().new_page()
    anonymous.goto(f"{live_server.url}/outcomes/alpha/answer/{token}/")
    expect(anonymous.get_by_role("heading", name="Tell us about your short breaks")).to_be_visible()
    axe(anonymous)
    anonymous.get_by_label("Happy").first.check()
    anonymous.get_by_role("button", name="Send").click()
    expect(anonymous.get_by_text("Thank you")).to_be_visible()
    axe(anonymous)


def test_a_direct_payment_and_a_recovery_refused(page, sign_in, axe, live_server, two_councils):
    world = dp_world(two_councils)
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    dp_services.payment_record(
        actor=alpha["finance"], agreement=agreement, paid_on=date(2025, 4, 1), amount=Decimal(100)
    )
    sign_in(page, alpha["finance"])
    page.goto(f"{live_server.url}/direct-payments/")
    axe(page)
    page.get_by_role("link", name=agreement.reference).click()
    expect(page.get_by_text("£433.33").first).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Recover unspent money").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Amount recovered, in pounds").fill("150")
    page.get_by_label("Why it is recovered").fill("Unspent at the check")
    page.get_by_role("button", name="Record the recovery").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
