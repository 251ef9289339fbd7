"""Reviews in the browser: recording one through "check your answers", the refusals, the review
page, and the decision letter as a page and a PDF."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referrals.models import (
    AssessmentOutcome,
    ChildTier,
    PackageLine,
    PackageStatus,
    Review,
    ReviewOutcome,
    TierChange,
)
from referrals.services import assessments as assessment_services
from referrals.services import carers as carer_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.dates import date_boxes, with_date_boxes
from tests.pdfs import assert_tagged
from tests.referrals.builders import completed_assessment, make_package
from tests.referrals.once import built_for_module
from tests.roles import NOT_CHILD_READERS

HELD_ON = date(2025, 9, 1)
TOLD_ON = date(2025, 9, 3)
REASONS = "Sam now goes to the after-school club, which meets most of the need."
VIEWS = "Mum agrees to fewer hours on weekdays but wants Saturdays kept."


def review_world(world: dict) -> dict:
    """To `build_world`'s world, in each council: two carers of the child, an active package of
    two lines (5 hours and 2 hours a week), and an authorised reassessment that found targeted
    support is enough."""
    for council in world.values():
        sw, tm, child = council["sw"], council["tm"], council["child"]
        carer_services.carer_add(actor=sw, child=child, name="Grace Jones", relationship="mother")
        carer_services.carer_add(actor=sw, child=child, name="Tom Jones", relationship="father")
        council["package"] = make_package(
            sw,
            tm,
            child,
            council["offer"],
            lines=[{}, {"hours_per_week": Decimal("2"), "unit_rate": Decimal("30.00")}],
        )
        reassessment = completed_assessment(
            sw,
            child,
            started_on=date(2025, 8, 1),
            completed_on=date(2025, 8, 20),
            outcome=AssessmentOutcome.TARGETED,
        )
        council["reassessment"] = assessment_services.assessment_authorise(
            actor=tm, assessment=reassessment, on=date(2025, 8, 22)
        )
    return world


def record_review(council, outcome=ReviewOutcome.REDUCE, **fields) -> Review:
    fields.setdefault("held_on", HELD_ON)
    if outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE):
        fields.setdefault("reasons", REASONS)
        fields.setdefault("family_views", VIEWS)
        fields.setdefault("family_told_on", TOLD_ON)
        fields.setdefault("reassessment", council["reassessment"])
    return review_services.review_record_with_line_ends(
        actor=council["sw"], package=council["package"], outcome=outcome, **fields
    )


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, review_world)


def _form(council, outcome="reduce", **overrides) -> dict:
    data = {
        "held_on": "1/9/2025",
        "outcome": outcome,
        "reasons": REASONS,
        "family_views": VIEWS,
        "family_told_on": "3/9/2025",
        "reassessment": str(council["reassessment"].pk),
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return with_date_boxes(data, "held_on", "family_told_on", "lines_end_on")


def _submit(client, package, data):
    """The form, then the "check your answers" page's button."""
    url = reverse("referrals:review-create", args=[package.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = reverse("referrals:review-create-check", args=[package.pk])
    assert response["Location"] == check
    return client.post(check)


# ----------------------------------------------------------------------------------------------
# Recording a review


def test_a_reduction_goes_through_check_your_answers_and_stops_the_chosen_service(
    world, client_for
):
    alpha = world["alpha"]
    package = alpha["package"]
    client = client_for(alpha["sw"])
    form = client.get(reverse("referrals:review-create", args=[package.pk]))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Record a review" in page
    assert "Assessment authorised 22 August 2025" in page
    assert "Which services stop?" in page

    second = PackageLine.objects.get(package=package, hours_per_week=Decimal("2"))
    url = reverse("referrals:review-create", args=[package.pk])
    data = _form(alpha, end_lines=[str(second.pk)], lines_end_on="30/9/2025")
    response = client.post(url, data, follow=True)
    check = response.content.decode()
    assert "Check your answers before recording the review" in check
    for text in ("1 September 2025", "Reduce", REASONS, "3 September 2025", "30 September 2025"):
        assert text in check
    assert 'Change<span class="govuk-visually-hidden"> reasons</span>' in check
    assert not Review.objects.exists()

    done = client.post(reverse("referrals:review-create-check", args=[package.pk]), follow=True)
    review = Review.objects.get()
    assert done.redirect_chain[-1][0] == reverse("referrals:review", args=[review.pk])
    assert review.outcome == ReviewOutcome.REDUCE
    assert review.reassessment == alpha["reassessment"]
    assert review.recorded_by == alpha["sw"]
    second.refresh_from_db()
    assert second.end_on == date(2025, 9, 30)
    body = done.content.decode()
    assert "Review recorded." in body
    assert "Read the decision letter" in body


@pytest.mark.parametrize("outcome", ["reduce", "cease"])
@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("reasons", "Enter the reasons."),
        ("family_views", "Record the family&#x27;s views."),
        ("family_told_on", "Enter the date the family was told."),
        ("reassessment", "Support is reduced or ceased only after a reassessment."),
    ],
)
def test_a_reduction_or_cessation_is_refused_without_each_safeguard(
    world, client_for, outcome, missing, message
):
    alpha = world["alpha"]
    package = alpha["package"]
    client = client_for(alpha["sw"])
    url = reverse("referrals:review-create", args=[package.pk])
    # Refused on the form itself, before the check page could show "None given".
    response = client.post(url, _form(alpha, outcome, **{missing: ""}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "None given" not in page
    assert "There is a problem" in page
    assert "<title>Error:" in page
    assert message in page
    assert f'href="#id_{missing}' in page
    assert not Review.objects.exists()
    package.refresh_from_db()
    assert package.status == PackageStatus.ACTIVE


def test_all_four_missing_safeguards_are_listed_together(world, client_for):
    alpha = world["alpha"]
    data = _form(alpha, "cease", reasons="", family_views="", family_told_on="", reassessment="")
    url = reverse("referrals:review-create", args=[alpha["package"].pk])
    page = client_for(alpha["sw"]).post(url, data).content.decode()
    for message in (
        "Enter the reasons.",
        "Record the family&#x27;s views.",
        "Enter the date the family was told.",
        "Support is reduced or ceased only after a reassessment.",
    ):
        assert message in page


def test_a_reduction_with_every_reason_empty_never_reaches_the_check_page(world, client_for):
    alpha = world["alpha"]
    package = alpha["package"]
    client = client_for(alpha["sw"])
    data = _form(alpha, "reduce", reasons="", family_views="", family_told_on="", reassessment="")
    response = client.post(reverse("referrals:review-create", args=[package.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    check = client.get(reverse("referrals:review-create-check", args=[package.pk]))
    assert check.status_code == 302  # nothing waits to be checked
    assert "None given" not in client.get(check["Location"]).content.decode()


def test_a_continue_needs_no_reassessment(world, client_for):
    alpha = world["alpha"]
    data = _form(alpha, "continue", reasons="", family_views="", family_told_on="", reassessment="")
    response = _submit(client_for(alpha["sw"]), alpha["package"], data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.outcome == ReviewOutcome.CONTINUE
    alpha["package"].refresh_from_db()
    assert alpha["package"].next_review_due == date(2026, 3, 1)


def test_form_errors_show_before_check_your_answers(world, client_for):
    alpha = world["alpha"]
    url = reverse("referrals:review-create", args=[alpha["package"].pk])
    response = client_for(alpha["sw"]).post(url, {**date_boxes("held_on", "31/2/2025")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The date of the review must be a real date" in page
    assert "Choose continue, increase, reduce or cease" in page


def test_a_ceased_package_cannot_be_reviewed(world, client_for):
    alpha = world["alpha"]
    record_review(alpha, ReviewOutcome.CEASE)
    client = client_for(alpha["sw"])
    url = reverse("referrals:review-create", args=[alpha["package"].pk])
    for response in (client.get(url), client.post(url, _form(alpha, "continue"))):
        assert response.status_code == 409
        page = response.content.decode()
        assert "This package has ceased; there is nothing to review." in page
        assert "There is a problem" in page
        assert 'name="outcome"' not in page
    assert Review.objects.count() == 1


def test_ceasing_the_only_package_moves_the_child_to_the_tier_the_reassessment_found(
    world, client_for
):
    alpha = world["alpha"]
    child = alpha["child"]
    child.refresh_from_db()
    assert child.tier == ChildTier.SPECIALIST
    _submit(client_for(alpha["sw"]), alpha["package"], _form(alpha, "cease"))
    child.refresh_from_db()
    assert child.tier == ChildTier.TARGETED
    change = TierChange.objects.filter(child=child).latest("id")
    assert (change.from_tier, change.to_tier, change.on) == ("specialist", "targeted", HELD_ON)
    alpha["package"].refresh_from_db()
    assert alpha["package"].status == PackageStatus.CEASED


def test_ceasing_one_package_keeps_the_tier_while_another_runs(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]
    make_package(
        alpha["sw"], alpha["tm"], child, alpha["offer"], assessment=alpha["package"].assessment
    )
    _submit(client_for(alpha["sw"]), alpha["package"], _form(alpha, "cease"))
    child.refresh_from_db()
    assert child.tier == ChildTier.SPECIALIST


# ----------------------------------------------------------------------------------------------
# The review page and the letter


def test_the_review_page_shows_the_review_and_logs_the_view(world, client_for):
    alpha = world["alpha"]
    review = record_review(alpha)
    response = client_for(alpha["tm"]).get(reverse("referrals:review", args=[review.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Review held 1 September 2025" in page
    assert REASONS in page
    assert "Mum agrees to fewer hours" in page
    assert "Assessment authorised 22 August 2025" in page
    assert AccessLogEntry.objects.filter(
        user=alpha["tm"], action="view", object_type="referrals.review", object_id=str(review.pk)
    ).exists()


def _reduced(alpha) -> Review:
    second = PackageLine.objects.get(package=alpha["package"], hours_per_week=Decimal("2"))
    return record_review(alpha, end_lines=[second], lines_end_on=date(2025, 9, 30))


def test_the_letter_says_what_changes_why_and_how_to_challenge_it(world, client_for):
    alpha = world["alpha"]
    review = _reduced(alpha)
    response = client_for(alpha["sw"]).get(reverse("referrals:review-letter", args=[review.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "Dear Grace Jones and Tom Jones" in page
    assert "3 September 2025" in page  # the letter's date: the day the family was told
    assert "We have decided to reduce Sam&#x27;s short breaks" in page
    # What changes: 7 hours (£202.50 a week) before, 5 hours (£142.50) after.
    assert "7 hours a week, costing £202.50 a week" in page
    assert "5 hours a week, costing £142.50 a week" in page
    assert "Short breaks before the review" in page
    assert "Short breaks after the review" in page
    assert "30 September 2025" in page
    # Why.
    assert REASONS in page
    assert "needs can be met by targeted short breaks" in page
    assert "Community buddying, 5 hours a week." in page
    # How to challenge it.
    assert "ask for a review of the decision" in page
    assert "complaints procedure" in page
    assert "Local Government and Social Care Ombudsman" in page
    assert "judicial review" in page
    assert "within 3 months" in page
    assert "1 December 2025" in page
    assert AccessLogEntry.objects.filter(
        user=alpha["sw"], action="view", object_type="referrals.review", object_id=str(review.pk)
    ).exists()


def test_a_cessation_letter_says_everything_stops(world, client_for):
    alpha = world["alpha"]
    review = record_review(alpha, ReviewOutcome.CEASE)
    page = (
        client_for(alpha["sw"])
        .get(reverse("referrals:review-letter", args=[review.pk]))
        .content.decode()
    )
    assert "We have decided to stop Sam&#x27;s short breaks" in page
    assert "From 1 September 2025, Sam has no short breaks from this package." in page
    assert "7 hours a week, costing £202.50 a week" in page


def _pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def test_the_letter_pdf_is_tagged_with_its_language_and_title(world, client_for):
    """Parent carers read the letter: a screen reader gets its headings, paragraphs and
    tables, in English, under the letter's own title."""
    alpha = world["alpha"]
    review = _reduced(alpha)
    response = client_for(alpha["sw"]).get(reverse("referrals:review-letter-pdf", args=[review.pk]))
    structure = assert_tagged(response.content, title="Our decision about Sam's short breaks")
    assert {"H2", "Table", "TH"} <= set(structure.tags)


def test_the_letter_as_a_pdf_says_the_same_and_logs_a_download(world, client_for):
    alpha = world["alpha"]
    review = _reduced(alpha)
    response = client_for(alpha["sw"]).get(reverse("referrals:review-letter-pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Jones" not in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    for expected in (
        "Dear Grace Jones and Tom Jones",
        "to reduce Sam's short breaks",
        "7 hours a week, costing £202.50 a week",
        "5 hours a week, costing £142.50 a week",
        REASONS,
        "Why we made this decision",
        "complaints procedure",
        "Local Government and Social Care Ombudsman",
        "judicial review",
        "within 3 months",
    ):
        assert expected in text, expected
    assert AccessLogEntry.objects.filter(
        user=alpha["sw"],
        action="download",
        object_type="referrals.review",
        object_id=str(review.pk),
    ).exists()


# ----------------------------------------------------------------------------------------------
# Who may do what, and other councils' records


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _urls(review, package) -> dict[str, str]:
    return {
        "create": reverse("referrals:review-create", args=[package.pk]),
        "review": reverse("referrals:review", args=[review.pk]),
        "letter": reverse("referrals:review-letter", args=[review.pk]),
        "pdf": reverse("referrals:review-letter-pdf", args=[review.pk]),
    }


@pytest.mark.parametrize(
    "role",
    NOT_CHILD_READERS,
)
def test_people_who_may_not_read_children_are_refused_reviews_and_letters(world, client_for, role):
    alpha = world["alpha"]
    review = record_review(alpha)
    client = client_for(alpha["people"][role])
    for name, url in _urls(review, alpha["package"]).items():
        assert client.get(url).status_code == 403, name
    assert client.post(_urls(review, alpha["package"])["create"], _form(alpha)).status_code == 403


def test_an_auditor_reads_reviews_and_letters_but_records_none(world, client_for):
    alpha = world["alpha"]
    review = record_review(alpha)
    client = client_for(alpha["people"][Role.AUDITOR])
    urls = _urls(review, alpha["package"])
    assert client.get(urls["create"]).status_code == 403
    assert client.post(urls["create"], _form(alpha)).status_code == 403
    for name in ("review", "letter", "pdf"):
        assert client.get(urls[name]).status_code == 200, name


def test_another_councils_review_or_package_is_exactly_as_missing(world, client_for):
    bravo_review = record_review(world["bravo"])
    client = client_for(world["alpha"]["sw"])
    theirs = _urls(bravo_review, world["bravo"]["package"])
    missing = {
        "create": reverse("referrals:review-create", args=[999_999]),
        "review": reverse("referrals:review", args=[999_999]),
        "letter": reverse("referrals:review-letter", args=[999_999]),
        "pdf": reverse("referrals:review-letter-pdf", args=[999_999]),
    }
    for name in theirs:
        a, b = client.get(theirs[name]), client.get(missing[name])
        assert a.status_code == b.status_code == 404, name
        assert _without_csrf(a) == _without_csrf(b), name
    response = client.post(theirs["create"], _form(world["bravo"]))
    assert response.status_code == 404
    assert (
        not Review.objects.filter(package=world["bravo"]["package"])
        .exclude(pk=bravo_review.pk)
        .exists()
    )


def test_an_earlier_letter_does_not_take_on_a_later_reviews_changes(world, client_for):
    alpha = world["alpha"]
    first = record_review(alpha, ReviewOutcome.CONTINUE)
    second_line = PackageLine.objects.get(package=alpha["package"], hours_per_week=Decimal("2"))
    second = record_review(
        alpha,
        held_on=date(2025, 10, 1),
        family_told_on=date(2025, 10, 2),
        end_lines=[second_line],
        lines_end_on=date(2025, 10, 31),
    )
    client = client_for(alpha["sw"])
    early = client.get(reverse("referrals:review-letter", args=[first.pk])).content.decode()
    assert "Nothing changes: the same services carry on." in early
    assert "From now on, Sam has 7 hours a week" in early
    late = client.get(reverse("referrals:review-letter", args=[second.pk])).content.decode()
    assert "From now on, Sam has 5 hours a week" in late
    assert "31 October 2025" in late
