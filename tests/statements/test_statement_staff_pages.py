"""The council's staff pages on its statement: list, sections, check, preview, publish, feedback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from shortbreaks.councils.models import Role
from statements import services
from statements.models import StatementEventKind, StatementStatus, StatementVersion
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.statements.statement_builders import (
    complete_draft,
    offer_every_category,
    published,
)

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def commissioner(people):
    return people[Role.COMMISSIONER]


@pytest.fixture
def offer(commissioner):
    return offer_every_category(commissioner, "Alpha")


@pytest.fixture
def client(commissioner, client_for):
    return client_for(commissioner)


def url(name, *args):
    return reverse(f"statements:{name}", args=args)


def test_manage_is_not_read_as_a_council_slug():
    assert resolve("/statements/manage/").url_name == "manage-list"
    assert resolve("/statements/manage/1/").url_name == "manage-version"


def test_the_list_shows_versions_and_a_past_review_date(client, commissioner, offer):
    version = published(commissioner, today=date(2024, 1, 10))
    assert version.review_on < timezone.localdate()
    page = client.get(url("manage-list")).content.decode()
    assert "past its review date" in page
    assert "Version 1" in page
    assert "Published" in page
    assert page.count("<h1") == 1


def test_the_list_says_when_there_is_no_published_statement(client):
    page = client.get(url("manage-list")).content.decode()
    assert "no published statement" in page
    assert url("manage-create") in page


def test_the_list_query_count_is_pinned(client, commissioner, offer, django_assert_max_num_queries):
    published(commissioner)
    for _ in range(3):
        draft = services.statement_draft_create(actor=commissioner)
        services.statement_update(actor=commissioner, version=draft, views_summary="v")
        services.statement_publish(actor=commissioner, version=draft)
    with django_assert_max_num_queries(13):
        assert client.get(url("manage-list")).status_code == 200


def test_create_a_draft_then_write_a_section(client, commissioner, offer):
    response = client.post(url("manage-create"))
    version = StatementVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("manage-version", version.pk)
    response = client.post(
        url("manage-section", version.pk, "meeting_needs"),
        {"meeting_needs": f"Breaks help carers rest {MARKER_A}"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert MARKER_A in version.meeting_needs
    # The same words in the preview, escaped.
    client.post(
        url("manage-section", version.pk, "introduction"),
        {"title": "Short breaks services statement", "introduction": "<b>bold</b>"},
    )
    preview = client.get(url("manage-preview", version.pk)).content.decode()
    assert MARKER_A in preview
    assert "&lt;b&gt;bold&lt;/b&gt;" in preview
    assert "Community buddying Alpha" in preview


def test_a_section_with_bad_input_shows_the_error_and_changes_nothing(client, commissioner):
    version = services.statement_draft_create(actor=commissioner)
    response = client.post(
        url("manage-section", version.pk, "lead_officer"),
        {"lead_officer_name": "x" * 201, "lead_officer_contact": "a@example.org"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    version.refresh_from_db()
    assert version.lead_officer_contact == ""


def test_the_categories_section_saves_explanations(client, commissioner):
    version = services.statement_draft_create(actor=commissioner)
    response = client.post(
        url("manage-section", version.pk, "categories"),
        {"overnight_care": "Through direct payments", "daytime_care": ""},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.category_explanations == {"overnight_care": "Through direct payments"}


def test_the_check_is_a_task_list_with_reasons_and_links(client, commissioner, offer):
    version = complete_draft(commissioner, how_to_apply="")
    page = client.get(url("manage-check", version.pk)).content.decode()
    assert "govuk-task-list" in page
    assert page.count("Completed") == 9
    assert page.count("Incomplete") == 1
    assert "does not say how to apply" in page
    assert url("manage-section", version.pk, "how_to_apply") in page


def test_publishing_is_refused_with_the_reasons(client, commissioner, offer):
    version = complete_draft(commissioner, how_to_apply="", views_summary="")
    response = client.post(url("manage-publish", version.pk))
    assert response.status_code == 409
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "does not say how to apply" in page
    assert "no summary of carers" in page
    version.refresh_from_db()
    assert version.status == StatementStatus.DRAFT


def test_publish_then_the_version_page_shows_the_pdf_job(client, commissioner, offer):
    version = complete_draft(commissioner)
    assert "Publish version 1" in client.get(url("manage-publish", version.pk)).content.decode()
    response = client.post(url("manage-publish", version.pk))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == StatementStatus.PUBLISHED
    page = client.get(url("manage-version", version.pk)).content.decode()
    assert "Queued" in page or "Ready" in page
    # Published versions cannot be edited from the pages either.
    response = client.post(
        url("manage-section", version.pk, "meeting_needs"), {"meeting_needs": "changed"}
    )
    assert response.status_code == 409
    version.refresh_from_db()
    assert version.meeting_needs != "changed"
    # No PDF yet: the download is a 404.
    assert client.get(url("manage-pdf", version.pk)).status_code == 404


def test_consultation_from_the_pages(client, commissioner):
    version = services.statement_draft_create(actor=commissioner)
    closes = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url("manage-consultation", version.pk),
        {"closes_on_0": closes.day, "closes_on_1": closes.month, "closes_on_2": closes.year},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == StatementStatus.CONSULTATION
    response = client.post(
        url("manage-consultation", version.pk),
        {"closes_on_0": "31", "closes_on_1": "2", "closes_on_2": "2030"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_feedback_page_lists_views_and_writes_the_summary_into_the_draft(
    client, commissioner, offer
):
    version = published(commissioner)
    services.feedback_submit(version=version, views=f"First view {MARKER_A}")
    services.feedback_submit(version=version, views="Second view", relationship="grandparent")
    page = client.get(url("manage-feedback", version.pk)).content.decode()
    assert "2 responses" in page
    assert page.index("Second view") < page.index("First view")
    assert "create a new draft" in page
    draft = services.statement_draft_create(actor=commissioner)
    response = client.post(
        url("manage-feedback", version.pk), {"views_summary": "Carers asked for more clubs."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.views_summary == "Carers asked for more clubs."


@pytest.mark.parametrize(
    "name",
    ["manage-version", "manage-check", "manage-preview", "manage-feedback", "manage-publish"],
)
def test_another_councils_version_is_a_404(two_councils, client, name):
    theirs = services.statement_draft_create(
        actor=two_councils["bravo"]["people"][Role.COMMISSIONER]
    )
    response = client.get(url(name, theirs.pk))
    assert response.status_code == 404
    assert MARKER_B not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("manage-section", ("meeting_needs",), {"meeting_needs": "changed"}),
        (
            "manage-consultation",
            (),
            {"closes_on_0": "1", "closes_on_1": "1", "closes_on_2": "2099"},
        ),
        ("manage-review-date", (), {"review_on_0": "1", "review_on_1": "1", "review_on_2": "2099"}),
        ("manage-pdf", (), {}),
    ],
)
def test_another_councils_version_is_a_404_to_read_and_to_change(
    two_councils, client, name, args, data
):
    theirs = services.statement_draft_create(
        actor=two_councils["bravo"]["people"][Role.COMMISSIONER]
    )
    before = StatementVersion.objects.filter(pk=theirs.pk).values().get()
    responses = [client.get(url(name, theirs.pk, *args))]
    if data:
        responses.append(client.post(url(name, theirs.pk, *args), data))
    for response in responses:
        assert response.status_code == 404
        assert MARKER_B not in response.content.decode()
    assert StatementVersion.objects.filter(pk=theirs.pk).values().get() == before


def test_the_review_date_page_sets_a_drafts_date_and_refuses_a_past_one(client, commissioner):
    version = services.statement_draft_create(actor=commissioner)
    past = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url("manage-review-date", version.pk),
        {"review_on_0": past.day, "review_on_1": past.month, "review_on_2": past.year},
    )
    assert response.status_code == 200
    assert "The review date must be in the future." in response.content.decode()
    version.refresh_from_db()
    assert version.review_on is None
    later = timezone.localdate() + timedelta(days=200)
    response = client.post(
        url("manage-review-date", version.pk),
        {"review_on_0": later.day, "review_on_1": later.month, "review_on_2": later.year},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.review_on == later
    [event] = version.events.filter(kind=StatementEventKind.REVIEW_DATE_SET)
    assert event.summary.startswith("Review date set to")


def test_the_review_date_page_is_refused_to_readers(people, client_for, commissioner):
    version = services.statement_draft_create(actor=commissioner)
    later = timezone.localdate() + timedelta(days=200)
    response = client_for(people[Role.AUDITOR]).post(
        url("manage-review-date", version.pk),
        {"review_on_0": later.day, "review_on_1": later.month, "review_on_2": later.year},
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.review_on is None


@pytest.mark.parametrize(
    ("role", "name", "expected"),
    [
        ("auditor", "manage-list", 200),
        ("contract_manager", "manage-list", 200),
        ("team_manager", "manage-list", 200),
        ("council_admin", "manage-list", 200),
        ("social_worker", "manage-list", 403),
        ("finance_officer", "manage-list", 403),
        ("auditor", "manage-create", 403),
        ("contract_manager", "manage-create", 403),
    ],
)
def test_roles(people, client_for, role, name, expected):
    assert client_for(people[role]).get(url(name)).status_code == expected


def test_readers_cannot_change_a_section_or_publish(people, client_for, commissioner, offer):
    version = complete_draft(commissioner)
    auditor = client_for(people[Role.AUDITOR])
    assert auditor.get(url("manage-version", version.pk)).status_code == 200
    response = auditor.post(
        url("manage-section", version.pk, "meeting_needs"), {"meeting_needs": "x"}
    )
    assert response.status_code == 403
    assert auditor.post(url("manage-publish", version.pk)).status_code == 403
    assert (
        auditor.post(url("manage-feedback", version.pk), {"views_summary": "x"}).status_code == 403
    )
    version.refresh_from_db()
    assert version.status == StatementStatus.DRAFT


def test_anonymous_people_are_sent_to_sign_in():
    response = Client().get(url("manage-list"))
    assert response.status_code == 302
    assert reverse("sign-in") in response["Location"]


def test_the_navigation_shows_the_statement_to_readers(people, client_for):
    page = client_for(people[Role.AUDITOR]).get(reverse("home")).content.decode()
    assert url("manage-list") in page
    page = client_for(people[Role.SOCIAL_WORKER]).get(reverse("home")).content.decode()
    assert url("manage-list") not in page


def test_publishing_during_an_open_consultation_warns_and_asks_to_confirm(
    client, commissioner, offer
):
    version = complete_draft(commissioner)
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=today + timedelta(days=10), today=today
    )
    page = client.get(url("manage-publish", version.pk)).content.decode()
    closes = (today + timedelta(days=10)).strftime("%-d %B %Y")
    assert "govuk-warning-text" in page and f"out for consultation until {closes}" in page
    assert 'name="confirm_open_consultation"' in page
    refused = client.post(url("manage-publish", version.pk))
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "govuk-error-summary" in body and 'href="#confirm_open_consultation"' in body
    version.refresh_from_db()
    assert version.status == StatementStatus.CONSULTATION
    response = client.post(url("manage-publish", version.pk), {"confirm_open_consultation": "yes"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == StatementStatus.PUBLISHED


def test_a_draft_not_out_for_consultation_publishes_without_the_question(
    client, commissioner, offer
):
    version = complete_draft(commissioner)
    page = client.get(url("manage-publish", version.pk)).content.decode()
    assert "confirm_open_consultation" not in page and "govuk-warning-text" not in page
