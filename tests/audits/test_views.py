"""Audit pages: who may read and change what, another council's ids, form errors that change
nothing, and query counts that do not grow with the rows."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from audits import services
from audits.models import AuditReport, EvidenceLink, Recommendation, RecommendationEvent
from shortbreaks.councils.models import Role
from tests.audits.builders import build_world, make_recommendation, make_report
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module
from tests.roles import AUDIT_MANAGERS, AUDIT_READERS

UPDATERS = AUDIT_READERS


# Built once for the module (its uploaded form kept in a media directory of its own); each
# test rolls back its own writes.
_world_built, world = world_per_module(build_world, media=True)


def _pages(w):
    report = w["alpha"]["report"]
    recommendation = w["alpha"]["recommendation"]
    return [
        ("list", reverse("audits:list"), AUDIT_READERS),
        ("report", reverse("audits:report", args=[report.pk]), AUDIT_READERS),
        (
            "recommendation",
            reverse("audits:recommendation", args=[recommendation.pk]),
            AUDIT_READERS,
        ),
        ("new report", reverse("audits:report-create"), AUDIT_MANAGERS),
        (
            "new recommendation",
            reverse("audits:recommendation-create", args=[report.pk]),
            AUDIT_MANAGERS,
        ),
        ("evidence", reverse("audits:evidence-add", args=[recommendation.pk]), UPDATERS),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_the_role_matrix(world, client_for, role):
    client = client_for(world["alpha"]["people"][role])
    for label, url, allowed in _pages(world):
        response = client.get(url)
        assert response.status_code == (200 if role in allowed else 403), (label, role)


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for _, url, _ in _pages(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


def test_the_menu_shows_audit_only_to_its_readers(world, client_for):
    for role in Role.values:
        body = client_for(world["alpha"]["people"][role]).get(reverse("home")).content.decode()
        assert (reverse("audits:list") in body) == (role in AUDIT_READERS), role


@pytest.mark.parametrize("role", sorted(AUDIT_READERS))
def test_another_councils_report_and_recommendation_are_not_found(world, client_for, role):
    client = client_for(world["alpha"]["people"][role])
    theirs = world["bravo"]
    urls = [
        ("audits:report", theirs["report"].pk),
        ("audits:recommendation", theirs["recommendation"].pk),
        ("audits:evidence-add", theirs["recommendation"].pk),
    ]
    for name, pk in urls:
        other = client.get(reverse(name, args=[pk]))
        missing = client.get(reverse(name, args=[pk + 10_000]))
        assert other.status_code == missing.status_code == 404, name
        assert MARKER_B not in other.content.decode()
    response = client.post(
        reverse("audits:recommendation-status", args=[theirs["recommendation"].pk]),
        {"status-status": "complete", "status-note": "x"},
    )
    assert response.status_code == 404


def test_the_list_and_report_show_the_councils_own_with_ratings(world, client_for):
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    body = client.get(reverse("audits:list")).content.decode()
    assert f"Audit {MARKER_A}" in body
    assert "Unsatisfactory" in body
    assert MARKER_B not in body
    body = client.get(reverse("audits:report", args=[world["alpha"]["report"].pk])).content
    body = body.decode()
    assert f"Recommendation {MARKER_A}" in body
    assert "Fundamental" in body
    assert "Commissioning Manager Start Well" in body
    assert MARKER_B not in body


def test_an_auditor_records_a_report_then_a_recommendation(world, client_for):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    client = client_for(auditor)
    response = client.post(
        reverse("audits:report-create"),
        {
            "title": "Short Breaks follow-up review 2025",
            "auditor": "Internal Audit",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2025",
            "period_end_0": "31",
            "period_end_1": "5",
            "period_end_2": "2025",
            "report_date_0": "30",
            "report_date_1": "5",
            "report_date_2": "2025",
            "rating": "unsatisfactory",
            "follow_up_of": str(world["alpha"]["report"].pk),
        },
    )
    report = AuditReport.objects.get(title="Short Breaks follow-up review 2025")
    assert response.status_code == 302
    assert report.follow_up_of == world["alpha"]["report"]
    response = client.post(
        reverse("audits:recommendation-create", args=[report.pk]),
        {
            "reference": "1",
            "text": "Embed contract monitoring.",
            "priority": "significant",
            "owner_name": "Contracts and Quality Assurance Officer",
            "owner": str(world["alpha"]["people"][Role.CONTRACT_MANAGER].pk),
            "review_date_0": "30",
            "review_date_1": "9",
            "review_date_2": "2025",
        },
    )
    assert response.status_code == 302
    recommendation = report.recommendations.get()
    assert recommendation.review_date == date(2025, 9, 30)
    assert recommendation.owner == world["alpha"]["people"][Role.CONTRACT_MANAGER]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Enter the title of the report"),
        ({"rating": "excellent"}, "Select a valid choice"),
        ({"period_end_2": "2020"}, "The end of the period must be on or after its start"),
        ({"report_date_0": "31", "report_date_1": "2"}, "must be a real date"),
        ({"follow_up_of": "999999"}, "Choose one of the council"),
    ],
    ids=["no-title", "bad-rating", "backwards", "unreal-date", "unknown-follow-up"],
)
def test_report_form_errors_change_nothing(world, client_for, data, message):
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    answers = {
        "title": "A report",
        "auditor": "Internal Audit",
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2024",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2025",
        "report_date_0": "30",
        "report_date_1": "4",
        "report_date_2": "2025",
        "rating": "limited",
        **data,
    }
    before = AuditReport.objects.count()
    response = client.post(reverse("audits:report-create"), answers)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert AuditReport.objects.count() == before


def test_a_follow_up_of_another_councils_report_cannot_be_chosen(world, client_for):
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    body = client.get(reverse("audits:report-create")).content.decode()
    assert MARKER_B not in body


def test_a_commissioner_moves_the_status_with_history(world, client_for):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    recommendation = world["alpha"]["recommendation"]
    client = client_for(commissioner)
    response = client.post(
        reverse("audits:recommendation-status", args=[recommendation.pk]),
        {
            "status-status": "in_progress",
            "status-on_0": "4",
            "status-on_1": "3",
            "status-on_2": "2025",
            "status-note": "EMT agreed the extension.",
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "in_progress"
    body = client.get(reverse("audits:recommendation", args=[recommendation.pk])).content
    assert "EMT agreed the extension." in body.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status-status": ""}, "Choose open, in progress or complete"),
        ({"status-note": ""}, "Enter what was done or found"),
        ({"status-on_2": "2023"}, "cannot be before the last change"),
        ({"status-status": "open"}, "already open"),
    ],
    ids=["no-status", "no-note", "too-early", "same-status"],
)
def test_status_form_errors_change_nothing(world, client_for, data, message):
    recommendation = world["alpha"]["recommendation"]
    client = client_for(world["alpha"]["people"][Role.CONTRACT_MANAGER])
    answers = {
        "status-status": "complete",
        "status-on_0": "4",
        "status-on_1": "3",
        "status-on_2": "2025",
        "status-note": "Done.",
        **data,
    }
    response = client.post(
        reverse("audits:recommendation-status", args=[recommendation.pk]), answers
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    recommendation.refresh_from_db()
    assert recommendation.status == "open"
    assert RecommendationEvent.objects.filter(recommendation=recommendation).count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN])
def test_other_roles_cannot_post_changes(world, client_for, role):
    recommendation = world["alpha"]["recommendation"]
    client = client_for(world["alpha"]["people"][role])
    for name, data in (
        ("audits:recommendation-status", {"status-status": "complete", "status-note": "x"}),
        ("audits:recommendation-action", {"action-management_action": "x"}),
        ("audits:evidence-add", {"kind": "contract", "record": "1"}),
    ):
        response = client.post(reverse(name, args=[recommendation.pk]), data)
        assert response.status_code == 403, name
    recommendation.refresh_from_db()
    assert recommendation.status == "open"
    assert not EvidenceLink.objects.exists()


def test_the_management_action_form_for_owners_has_no_review_date(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    body = client.get(reverse("audits:recommendation", args=[recommendation.pk])).content
    assert b"action-review_date" not in body
    response = client.post(
        reverse("audits:recommendation-action", args=[recommendation.pk]),
        {
            "action-management_action": "Contract manager in post.",
            "action-owner_name": "Service Manager, Commissioning",
            "action-owner": str(commissioner.pk),
            "action-review_date_0": "1",
            "action-review_date_1": "1",
            "action-review_date_2": "2030",
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.management_action == "Contract manager in post."
    assert recommendation.owner == commissioner
    assert recommendation.review_date == date(2025, 6, 9)


def test_an_owner_from_another_council_cannot_be_chosen(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    response = client.post(
        reverse("audits:recommendation-action", args=[recommendation.pk]),
        {
            "action-management_action": "Changed",
            "action-owner": str(world["bravo"]["people"][Role.AUDITOR].pk),
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.management_action != "Changed"


def test_evidence_is_added_in_two_steps_and_links_to_the_record(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    contract = world["alpha"]["contract"]
    client = client_for(world["alpha"]["people"][Role.CONTRACT_MANAGER])
    url = reverse("audits:evidence-add", args=[recommendation.pk])
    first = client.get(url).content.decode()
    assert "Referral document" not in first  # not for those who may not read children's records
    second = client.post(url, {"step": "kind", "kind": "contract"}).content.decode()
    assert "There is a problem" not in second
    assert f"Contract {MARKER_A}" in second
    assert MARKER_B not in second
    response = client.post(url, {"kind": "contract", "record": str(contract.pk), "note": "Shows"})
    assert response.status_code == 302
    body = client.get(reverse("audits:recommendation", args=[recommendation.pk])).content
    assert reverse("contracts:detail", args=[contract.pk]) in body.decode()


@pytest.mark.parametrize("kind", ["contract", "extension", "monitoring", "referral_document"])
def test_evidence_of_another_council_is_refused_like_a_missing_record(world, client_for, kind):
    recommendation = world["alpha"]["recommendation"]
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    url = reverse("audits:evidence-add", args=[recommendation.pk])
    theirs = world["bravo"]["records"][kind]
    other = client.post(url, {"kind": kind, "record": str(theirs.pk)})
    missing = client.post(url, {"kind": kind, "record": str(theirs.pk + 10_000)})
    assert other.status_code == missing.status_code == 200
    assert "There is a problem" in other.content.decode()
    assert MARKER_B not in other.content.decode()
    assert not EvidenceLink.objects.exists()


def test_a_referral_document_is_linked_by_dates_only(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    document = world["alpha"]["document"]
    auditor = world["alpha"]["people"][Role.AUDITOR]
    services.evidence_link_add(
        actor=auditor,
        recommendation=recommendation,
        kind="referral_document",
        record_id=document.pk,
    )
    url = reverse("audits:recommendation", args=[recommendation.pk])
    body = client_for(auditor).get(url).content.decode()
    assert reverse("referrals:referral", args=[document.referral_id]) in body
    assert f"Child{MARKER_A}" not in body
    commissioner_body = client_for(world["alpha"]["people"][Role.COMMISSIONER]).get(url)
    commissioner_body = commissioner_body.content.decode()
    assert reverse("referrals:referral", args=[document.referral_id]) not in commissioner_body
    assert "Referral document" in commissioner_body


def test_evidence_is_removed_after_confirming(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    auditor = world["alpha"]["people"][Role.AUDITOR]
    link = services.evidence_link_add(
        actor=auditor,
        recommendation=recommendation,
        kind="monitoring",
        record_id=world["alpha"]["monitoring"].pk,
    )
    client = client_for(world["alpha"]["people"][Role.COMMISSIONER])
    url = reverse("audits:evidence-remove", args=[recommendation.pk, link.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not EvidenceLink.objects.exists()
    body = client.get(reverse("audits:recommendation", args=[recommendation.pk])).content
    assert "Evidence removed" in body.decode()


def test_evidence_of_another_councils_recommendation_cannot_be_removed(world, client_for):
    theirs = world["bravo"]
    link = services.evidence_link_add(
        actor=theirs["people"][Role.AUDITOR],
        recommendation=theirs["recommendation"],
        kind="contract",
        record_id=theirs["contract"].pk,
    )
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    response = client.post(
        reverse("audits:evidence-remove", args=[theirs["recommendation"].pk, link.pk])
    )
    assert response.status_code == 404
    # nor through one's own recommendation
    response = client.post(
        reverse("audits:evidence-remove", args=[world["alpha"]["recommendation"].pk, link.pk])
    )
    assert response.status_code == 404
    assert EvidenceLink.objects.filter(pk=link.pk).exists()


def test_overdue_recommendations_are_tagged(world, client_for):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    report = world["alpha"]["report"]
    make_recommendation(auditor, report, review_date=date(2020, 1, 1))
    body = client_for(auditor).get(reverse("audits:report", args=[report.pk])).content.decode()
    assert "Overdue" in body


# ----------------------------------------------------------------------------------------------
# Query counts


def _grow(world, n: int) -> None:
    auditor = world["alpha"]["people"][Role.AUDITOR]
    report = world["alpha"]["report"]
    for i in range(n):
        other = make_report(auditor, title=f"Report {i}")
        rec = make_recommendation(auditor, report, owner=auditor)
        make_recommendation(auditor, other)
        services.evidence_link_add(
            actor=auditor,
            recommendation=rec,
            kind="contract",
            record_id=world["alpha"]["contract"].pk,
        )


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["audits:list", "audits:report"])
def test_list_and_progress_table_queries_do_not_grow(
    world, client_for, django_assert_max_num_queries, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    args = [world["alpha"]["report"].pk] if name == "audits:report" else []
    url = reverse(name, args=args)
    _grow(world, 2)
    client.get(url)  # the session's first request writes it
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(world, 15)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    _count_queries(client, url, django_assert_max_num_queries, 13)
    assert Recommendation.objects.filter(report=world["alpha"]["report"]).count() == 18


def test_choosing_the_kind_of_evidence_posts_so_no_token_is_in_the_address(world, client_for):
    recommendation = world["alpha"]["recommendation"]
    client = client_for(world["alpha"]["people"][Role.CONTRACT_MANAGER])
    url = reverse("audits:evidence-add", args=[recommendation.pk])
    first = client.get(url).content.decode()
    forms = re.findall(r"<form[^>]*>", first)
    kind_form = [form for form in forms if f'action="{url}"' in form]
    assert kind_form and all('method="post"' in form for form in kind_form)
    assert 'method="get"' not in " ".join(forms)
    # The kind in an address is not the second step: only a post moves on.
    by_address = client.get(url, {"kind": "contract"}).content.decode()
    assert "What kind of record evidences it?" in by_address
    assert f"Contract {MARKER_A}" not in by_address
