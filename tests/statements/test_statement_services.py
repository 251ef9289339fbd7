"""The statement's content, compliance check and the services that write it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from providers import services as provider_services
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from statements import services
from statements.checks import compliance_check, compliance_problems
from statements.content import build_content
from statements.models import (
    CarerFeedback,
    StatementEvent,
    StatementEventKind,
    StatementStatus,
    StatementVersion,
)
from tests.statements.statement_builders import (
    COMPLETE_TEXT,
    TODAY,
    complete_draft,
    make_grant_scheme,
    offer_every_category,
    published,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(two_councils):
    people = two_councils["alpha"]["people"]
    return {
        "commissioner": people[Role.COMMISSIONER],
        "social_worker": people[Role.SOCIAL_WORKER],
        "auditor": people[Role.AUDITOR],
        "contract_manager": people[Role.CONTRACT_MANAGER],
        "council": two_councils["alpha"]["council"],
    }


@pytest.fixture
def offer(alpha):
    return offer_every_category(alpha["commissioner"], "Alpha")


def services_in(content) -> list[dict]:
    return [s for tier in content["range"] for c in tier["categories"] for s in c["services"]]


# ----------------------------------------------------------------------------------------------
# Content


def test_live_content_groups_the_range_by_tier_and_category(alpha, offer):
    make_grant_scheme(alpha["social_worker"], max_amount=Decimal("450"))
    version = complete_draft(alpha["commissioner"])
    content = build_content(version, today=TODAY)
    assert [t["tier"] for t in content["range"]] == ["universal", "targeted", "specialist"]
    universal = content["range"][0]
    assert [c["category"] for c in universal["categories"]] == [
        "educational_leisure",
        "evenings_weekends_holidays",
    ]
    buddying = content["range"][1]["categories"][0]["services"][0]
    assert buddying["title"] == "Community buddying Alpha"
    assert buddying["cost"] == "£12.50 per hour"
    assert buddying["ages"] == "5 to 17"
    assert universal["categories"][0]["services"][0]["cost"] == "Free"
    assert content["service_count"] == 3
    assert content["categories_without_service"] == []
    assert content["grant_criteria"][0]["max_amount"] == "£450"
    assert content["figures"]["children_total"] == 0
    assert content["lead_officer"]["contact"] == "shortbreaks@example.org"
    assert content["council"]["slug"] == "alpha"


def test_content_never_includes_another_councils_services(two_councils, alpha, offer):
    offer_every_category(two_councils["bravo"]["people"][Role.COMMISSIONER], "Bravo")
    content = build_content(complete_draft(alpha["commissioner"]), today=TODAY)
    assert "Bravo" not in str(content["range"])


def test_a_suspended_providers_services_leave_the_range(alpha, offer):
    offer[0].provider.status = "suspended"
    offer[0].provider.save()
    content = build_content(complete_draft(alpha["commissioner"]), today=TODAY)
    assert content["service_count"] == 0
    assert len(content["categories_without_service"]) == 4


# ----------------------------------------------------------------------------------------------
# The compliance check

REFUSALS = [
    # (id, what to change, the check that fails)
    ("no-universal-criteria", {"universal_eligibility": ""}, "eligibility_universal"),
    ("no-specialist-criteria", {"specialist_eligibility": ""}, "eligibility_specialist"),
    ("no-meeting-needs", {"meeting_needs": "  "}, "meeting_needs"),
    ("no-views-summary", {"views_summary": ""}, "views_summary"),
    ("no-lead-officer-contact", {"lead_officer_contact": ""}, "lead_officer"),
    ("no-lead-officer-name", {"lead_officer_name": ""}, "lead_officer"),
    ("no-how-to-apply", {"how_to_apply": ""}, "how_to_apply"),
    ("no-how-to-complain", {"views_and_complaints": ""}, "how_to_complain"),
]


def test_a_complete_version_passes_every_check(alpha, offer):
    version = complete_draft(alpha["commissioner"])
    checks = compliance_check(version)
    assert all(c.ok for c in checks), [c.reason for c in checks if not c.ok]
    assert compliance_problems(version) == []
    assert {c.key for c in checks} == {
        "range",
        "eligibility_universal",
        "eligibility_targeted",
        "eligibility_specialist",
        "meeting_needs",
        "categories",
        "views_summary",
        "lead_officer",
        "how_to_apply",
        "how_to_complain",
    }


@pytest.mark.parametrize(
    ("change", "failing"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_missing_section_is_refused_on_its_own(alpha, offer, change, failing):
    version = complete_draft(alpha["commissioner"], **change)
    failed = [c for c in compliance_check(version) if not c.ok]
    assert [c.key for c in failed] == [failing]
    assert failed[0].reason
    with pytest.raises(services.StatementNotCompliant) as refused:
        services.statement_publish(actor=alpha["commissioner"], version=version, today=TODAY)
    assert refused.value.reasons == [failed[0].reason]
    version.refresh_from_db()
    assert version.status == StatementStatus.DRAFT
    assert version.pdf_job is None


def test_no_service_in_the_range_is_refused(alpha):
    version = complete_draft(
        alpha["commissioner"],
        category_explanations={
            "daytime_care": "x",
            "overnight_care": "x",
            "educational_leisure": "x",
            "evenings_weekends_holidays": "x",
        },
    )
    assert [c.key for c in compliance_check(version) if not c.ok] == ["range"]


def test_targeted_criteria_may_come_from_the_grant_scheme(alpha, offer):
    version = complete_draft(alpha["commissioner"], targeted_eligibility="")
    assert [c.key for c in compliance_check(version) if not c.ok] == ["eligibility_targeted"]
    make_grant_scheme(alpha["social_worker"])
    assert compliance_problems(version) == []


def test_a_category_without_service_needs_an_explanation(alpha, offer):
    provider_services.service_update(
        actor=alpha["commissioner"], service=offer[2], categories=["daytime_care"]
    )
    version = complete_draft(alpha["commissioner"])
    failed = [c for c in compliance_check(version) if not c.ok]
    assert [c.key for c in failed] == ["categories"]
    assert "Overnight care" in failed[0].reason
    version = services.statement_update(
        actor=alpha["commissioner"],
        version=version,
        category_explanations={
            "overnight_care": "Overnight breaks are bought through direct payments."
        },
    )
    assert compliance_problems(version) == []
    content = build_content(version)
    assert content["categories_without_service"][0]["explanation"].startswith("Overnight")


# ----------------------------------------------------------------------------------------------
# Drafts, updates, consultation


def test_a_new_draft_copies_the_written_sections_of_the_latest_version(alpha, offer):
    first = published(alpha["commissioner"], changes_since_last="First MARKERALPHA edition")
    second = services.statement_draft_create(actor=alpha["commissioner"])
    assert second.number == first.number + 1
    assert second.status == StatementStatus.DRAFT
    assert second.meeting_needs == COMPLETE_TEXT["meeting_needs"]
    assert second.lead_officer_contact == COMPLETE_TEXT["lead_officer_contact"]
    assert second.views_summary == ""  # each version writes its own
    assert second.changes_since_last == ""
    assert StatementEvent.objects.filter(version=second).count() == 1


def test_only_one_open_version_at_a_time(alpha):
    services.statement_draft_create(actor=alpha["commissioner"])
    with pytest.raises(TransitionNotAllowed):
        services.statement_draft_create(actor=alpha["commissioner"])
    assert StatementVersion.objects.count() == 1


@pytest.mark.parametrize("role", ["auditor", "contract_manager", "social_worker"])
def test_only_commissioners_write_statements(alpha, role):
    with pytest.raises(PermissionDenied):
        services.statement_draft_create(actor=alpha[role])


def test_another_councils_version_is_not_found(two_councils, alpha):
    theirs = services.statement_draft_create(
        actor=two_councils["bravo"]["people"][Role.COMMISSIONER]
    )
    with pytest.raises(Http404):
        services.statement_update(actor=alpha["commissioner"], version=theirs, introduction="x")
    theirs.refresh_from_db()
    assert theirs.introduction == ""


def test_bad_input_changes_nothing(alpha):
    version = services.statement_draft_create(actor=alpha["commissioner"])
    with pytest.raises(ValidationError) as refused:
        services.statement_update(
            actor=alpha["commissioner"],
            version=version,
            introduction="ok",
            lead_officer_contact="x" * 301,
            category_explanations={"swimming": "no"},
        )
    assert set(refused.value.message_dict) == {"lead_officer_contact", "category_explanations"}
    version.refresh_from_db()
    assert version.introduction == ""
    with pytest.raises(ValidationError):
        services.statement_update(actor=alpha["commissioner"], version=version, status="published")


def test_consultation_needs_a_future_closing_date(alpha):
    version = services.statement_draft_create(actor=alpha["commissioner"])
    with pytest.raises(ValidationError):
        services.statement_consultation_start(
            actor=alpha["commissioner"], version=version, closes_on=TODAY, today=TODAY
        )
    version = services.statement_consultation_start(
        actor=alpha["commissioner"], version=version, closes_on=date(2025, 7, 1), today=TODAY
    )
    assert version.status == StatementStatus.CONSULTATION
    # Still editable while out for consultation, but not sent out twice.
    services.statement_update(actor=alpha["commissioner"], version=version, introduction="New")
    with pytest.raises(TransitionNotAllowed):
        services.statement_consultation_start(
            actor=alpha["commissioner"], version=version, closes_on=date(2025, 8, 1), today=TODAY
        )


# ----------------------------------------------------------------------------------------------
# Publishing


def test_publishing_freezes_the_content(alpha, offer, django_capture_on_commit_callbacks):
    version = published(alpha["commissioner"])
    before = build_content(version)
    provider_services.service_update(
        actor=alpha["commissioner"], service=offer[1], price=Decimal("99.00"), title="Renamed"
    )
    version.refresh_from_db()
    after = build_content(version)
    assert after == before
    assert "Renamed" not in str(after)
    assert version.snapshot["range"][1]["categories"][0]["services"][0]["cost"] == "£12.50 per hour"
    # A draft's preview shows the change at once.
    draft = services.statement_draft_create(actor=alpha["commissioner"])
    assert "Renamed" in str(build_content(draft)["range"])
    assert "£99 per hour" in str(build_content(draft)["range"])


def test_published_versions_cannot_be_changed(alpha, offer):
    version = published(alpha["commissioner"])
    with pytest.raises(TransitionNotAllowed):
        services.statement_update(actor=alpha["commissioner"], version=version, introduction="x")
    with pytest.raises(TransitionNotAllowed):
        services.statement_publish(actor=alpha["commissioner"], version=version, today=TODAY)


def test_publishing_supersedes_the_previous_version(alpha, offer):
    first = published(alpha["commissioner"])
    second = services.statement_draft_create(actor=alpha["commissioner"])
    services.statement_update(
        actor=alpha["commissioner"], version=second, views_summary="Carers asked for more."
    )
    second = services.statement_publish(
        actor=alpha["commissioner"], version=second, today=date(2025, 9, 1)
    )
    first.refresh_from_db()
    assert first.status == StatementStatus.SUPERSEDED
    assert first.superseded_on == date(2025, 9, 1)
    assert second.status == StatementStatus.PUBLISHED
    assert StatementVersion.objects.filter(status="published").count() == 1
    [event] = StatementEvent.objects.filter(version=first, kind=StatementEventKind.SUPERSEDED)
    assert event.summary.startswith("Superseded")


def test_review_date_defaults_to_twelve_months_after_publishing(alpha, offer):
    version = published(alpha["commissioner"], today=date(2025, 6, 2))
    assert version.review_on == date(2026, 6, 2)
    assert version.published_on == date(2025, 6, 2)
    assert version.published_by == alpha["commissioner"]


def test_a_review_date_set_beforehand_is_kept(alpha, offer):
    version = published(alpha["commissioner"], review_on=date(2026, 3, 31))
    assert version.review_on == date(2026, 3, 31)
    services.statement_review_date_set(
        actor=alpha["commissioner"], version=version, review_on=date(2026, 1, 31), today=TODAY
    )
    version.refresh_from_db()
    assert version.review_on == date(2026, 1, 31)
    with pytest.raises(ValidationError):
        services.statement_review_date_set(
            actor=alpha["commissioner"], version=version, review_on=date(2020, 1, 1), today=TODAY
        )


def test_only_commissioners_publish(alpha, offer):
    version = complete_draft(alpha["commissioner"])
    with pytest.raises(PermissionDenied):
        services.statement_publish(actor=alpha["auditor"], version=version, today=TODAY)


def test_publishing_queues_the_pdf_only_after_commit(
    alpha, offer, django_capture_on_commit_callbacks, monkeypatch
):
    from shortbreaks.documents import jobs

    queued = []
    monkeypatch.setattr(jobs, "job_queue", queued.append)
    version = complete_draft(alpha["commissioner"])
    with django_capture_on_commit_callbacks() as callbacks:
        version = services.statement_publish(
            actor=alpha["commissioner"], version=version, today=TODAY
        )
        assert queued == []
    assert version.pdf_job is not None
    assert version.pdf_job.kind == "statement"
    assert version.pdf_job.status == "queued"
    assert version.pdf_job.download_name == "short-breaks-statement-alpha-v1.pdf"
    for callback in callbacks:
        callback()
    assert queued == [version.pdf_job.pk]


# ----------------------------------------------------------------------------------------------
# Feedback


def test_feedback_on_the_published_statement(alpha, offer):
    version = published(alpha["commissioner"])
    feedback = services.feedback_submit(
        version=version,
        name="Invented Carer",
        email="carer@example.org",
        relationship="parent",
        views="More holiday clubs please.",
        wants_reply=True,
    )
    assert feedback.council == alpha["council"]
    assert StatementEvent.objects.filter(version=version, actor=None).exists()


def test_feedback_refusals(alpha, offer):
    draft = complete_draft(alpha["commissioner"])
    with pytest.raises(TransitionNotAllowed):
        services.feedback_submit(version=draft, views="x")
    version = services.statement_publish(actor=alpha["commissioner"], version=draft, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.feedback_submit(version=version, views=" ", email="not-an-email")
    assert set(refused.value.message_dict) == {"views", "email"}
    with pytest.raises(ValidationError) as refused:
        services.feedback_submit(version=version, views="Good", wants_reply=True)
    assert set(refused.value.message_dict) == {"email"}
    assert CarerFeedback.objects.count() == 0


def test_feedback_on_a_consultation_closes_with_it(alpha):
    version = services.statement_draft_create(actor=alpha["commissioner"])
    services.statement_consultation_start(
        actor=alpha["commissioner"], version=version, closes_on=date(2025, 7, 1), today=TODAY
    )
    services.feedback_submit(version=version, views="In time", today=date(2025, 7, 1))
    with pytest.raises(TransitionNotAllowed):
        services.feedback_submit(version=version, views="Too late", today=date(2025, 7, 2))
    assert CarerFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "closes_on", "expected"),
    [
        (StatementStatus.CONSULTATION, date(2026, 3, 1), True),  # the closing day itself
        (StatementStatus.CONSULTATION, date(2026, 2, 28), False),
        (StatementStatus.CONSULTATION, None, True),
        (StatementStatus.DRAFT, date(2026, 3, 1), False),
        (StatementStatus.PUBLISHED, None, False),
    ],
    ids=["closes-today", "closed-yesterday", "no-closing-date", "draft", "published"],
)
def test_a_consultation_is_open_until_the_end_of_its_closing_day(status, closes_on, expected):
    version = StatementVersion(status=status, consultation_closes_on=closes_on)
    assert version.consultation_open(date(2026, 3, 1)) is expected


def test_views_after_the_closing_day_are_refused_and_nothing_is_saved(alpha):
    commissioner = alpha["commissioner"]
    version = services.statement_draft_create(actor=commissioner)
    services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=date(2026, 3, 1), today=date(2026, 2, 1)
    )
    services.feedback_submit(version=version, views="on time", today=date(2026, 3, 1))
    with pytest.raises(TransitionNotAllowed):
        services.feedback_submit(version=version, views="too late", today=date(2026, 3, 2))
    assert list(CarerFeedback.objects.values_list("views", flat=True)) == ["on time"]
