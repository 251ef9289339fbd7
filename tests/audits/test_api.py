"""The audit API: the same rights and refusals as the pages, 400 with field messages, 404
across councils, 403 for the wrong role, 409 for a status the recommendation already has."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audits import services
from audits.models import AuditReport, EvidenceLink, Recommendation, RecommendationEvent
from shortbreaks.councils.models import Role
from tests.audits.builders import build_world, make_recommendation, make_report
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module
from tests.roles import AUDIT_READERS

# Built once for the module (its uploaded form kept in a media directory of its own); each
# test rolls back its own writes.
_world_built, world = world_per_module(build_world, media=True)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


REPORT = {
    "title": "Short Breaks follow-up review 2025",
    "period_start": "2025-04-01",
    "period_end": "2025-05-31",
    "auditor": "Internal Audit",
    "report_date": "2025-05-30",
    "rating": "unsatisfactory",
}


@pytest.mark.parametrize("role", Role.values)
def test_the_role_matrix(world, role):
    client = _api(world["alpha"]["people"][role])
    recommendation = world["alpha"]["recommendation"]
    reads = [
        reverse("api-audit-reports"),
        reverse("api-audit-report", args=[world["alpha"]["report"].pk]),
        reverse("api-recommendations"),
        reverse("api-recommendation", args=[recommendation.pk]),
        reverse("api-recommendation-evidence", args=[recommendation.pk]),
    ]
    for url in reads:
        assert client.get(url).status_code == (200 if role in AUDIT_READERS else 403), url
    created = client.post(reverse("api-audit-reports"), REPORT, format="json")
    assert created.status_code == (201 if role == Role.AUDITOR else 403)
    patched = client.patch(
        reverse("api-recommendation", args=[recommendation.pk]),
        {"status": "in_progress", "note": "Under way."},
        format="json",
    )
    assert patched.status_code == (200 if role in AUDIT_READERS else 403)


def test_anonymous_calls_are_unauthorised(world):
    assert APIClient().get(reverse("api-audit-reports")).status_code == 401


def test_a_report_with_its_recommendations(world):
    client = _api(world["alpha"]["people"][Role.COMMISSIONER])
    data = client.get(reverse("api-audit-report", args=[world["alpha"]["report"].pk])).json()
    assert data["rating"] == "unsatisfactory"
    [recommendation] = data["recommendations"]
    assert recommendation["text"] == f"Recommendation {MARKER_A}"
    assert recommendation["evidence_count"] == 0
    assert recommendation["overdue"] is True  # review date 9 June 2025 has passed


def test_lists_hold_nothing_of_another_council(world):
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    for name in ("api-audit-reports", "api-recommendations"):
        body = client.get(reverse(name)).content.decode()
        assert MARKER_A in body
        assert MARKER_B not in body


@pytest.mark.parametrize("role", sorted(AUDIT_READERS))
def test_another_councils_ids_are_not_found(world, role):
    client = _api(world["alpha"]["people"][role])
    theirs = world["bravo"]
    for name, pk in (
        ("api-audit-report", theirs["report"].pk),
        ("api-recommendation", theirs["recommendation"].pk),
        ("api-recommendation-evidence", theirs["recommendation"].pk),
    ):
        other, missing = (
            client.get(reverse(name, args=[pk])),
            client.get(reverse(name, args=[pk + 10_000])),
        )
        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json()
    response = client.patch(
        reverse("api-recommendation", args=[theirs["recommendation"].pk]),
        {"status": "complete", "note": "x"},
        format="json",
    )
    assert response.status_code == 404
    assert Recommendation.objects.get(pk=theirs["recommendation"].pk).status == "open"


def test_an_auditor_records_a_follow_up_and_its_recommendation(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    client = _api(auditor)
    response = client.post(
        reverse("api-audit-reports"),
        {**REPORT, "follow_up_of": world["alpha"]["report"].pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    response = client.post(
        reverse("api-recommendations"),
        {
            "report": report_id,
            "reference": "1",
            "text": "Embed contract monitoring.",
            "priority": "significant",
            "owner": world["alpha"]["people"][Role.CONTRACT_MANAGER].pk,
            "review_date": "2025-09-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open"
    assert response.json()["history"][0]["kind"] == "recorded"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rating": "excellent"}, "rating"),
        ({"period_end": "2020-01-01"}, "period_end"),
        ({"report_date": "31/02/2025"}, "report_date"),
        ({"title": ""}, "title"),
        ({"follow_up_of": "REPORT_B"}, "follow_up_of"),
    ],
    ids=["bad-rating", "backwards", "bad-date", "no-title", "other-councils-report"],
)
def test_bad_reports_are_400_with_field_messages(world, data, field):
    if data.get("follow_up_of") == "REPORT_B":
        data = {"follow_up_of": world["bravo"]["report"].pk}
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    before = AuditReport.objects.count()
    response = client.post(reverse("api-audit-reports"), {**REPORT, **data}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert AuditReport.objects.count() == before


def test_a_recommendation_on_another_councils_report_is_400(world):
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    response = client.post(
        reverse("api-recommendations"),
        {
            "report": world["bravo"]["report"].pk,
            "reference": "9",
            "text": "x",
            "priority": "significant",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "report" in response.json()


def test_filters(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    report = make_report(auditor, title="Another")
    make_recommendation(auditor, report, priority="merits_attention", review_date=None)
    client = _api(auditor)
    url = reverse("api-recommendations")
    results = client.get(url, {"priority": "merits_attention"}).json()["results"]
    assert [r["report"] for r in results] == [report.pk]
    results = client.get(url, {"report": world["alpha"]["report"].pk}).json()["results"]
    assert [r["text"] for r in results] == [f"Recommendation {MARKER_A}"]
    assert client.get(url, {"status": "complete"}).json()["results"] == []
    assert len(client.get(url, {"overdue": "true"}).json()["results"]) == 1
    bad = client.get(url, {"status": "closed", "report": "x"})
    assert bad.status_code == 400
    assert {"status", "report"} <= set(bad.json())


def test_patch_changes_status_and_action_with_history(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    recommendation = world["alpha"]["recommendation"]
    response = _api(commissioner).patch(
        reverse("api-recommendation", args=[recommendation.pk]),
        {
            "status": "in_progress",
            "on": "2025-03-04",
            "note": "EMT agreed the extension.",
            "management_action": "Weekly project meetings.",
            "owner": commissioner.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "in_progress"
    assert data["management_action"] == "Weekly project meetings."
    kinds = [event["kind"] for event in data["history"]]
    assert kinds == ["recorded", "status", "action"]  # by date: the status change was dated


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"status": "closed", "note": "x"}, 400, "status"),
        ({"status": "complete"}, 400, "note"),
        ({"status": "complete", "note": "x", "on": "2020-01-01"}, 400, "on"),
        ({"on": "2025-01-01"}, 400, "on"),
        ({}, 400, "detail"),
        ({"owner": "OTHER"}, 400, "owner"),
        ({"status": "open", "note": "still", "management_action": "New"}, 409, "detail"),
        ({"review_date": "2030-01-01"}, 403, "detail"),
    ],
    ids=[
        "bad-status",
        "no-note",
        "too-early",
        "date-without-status",
        "nothing",
        "other-councils-owner",
        "same-status",
        "review-date-by-owner",
    ],
)
def test_bad_patches_change_nothing(world, data, status, field):
    if data.get("owner") == "OTHER":
        data = {"owner": world["bravo"]["people"][Role.AUDITOR].pk}
    recommendation = world["alpha"]["recommendation"]
    response = _api(world["alpha"]["people"][Role.CONTRACT_MANAGER]).patch(
        reverse("api-recommendation", args=[recommendation.pk]), data, format="json"
    )
    assert response.status_code == status, response.json()
    assert field in response.json()
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.management_action) == (
        "open",
        "Weekly project meetings under the JCDG.",
    )
    assert RecommendationEvent.objects.filter(recommendation=recommendation).count() == 1


@pytest.mark.parametrize("kind", ["contract", "extension", "monitoring", "referral_document"])
def test_evidence_links_add_and_remove(world, kind):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    recommendation = world["alpha"]["recommendation"]
    client = _api(auditor)
    url = reverse("api-recommendation-evidence", args=[recommendation.pk])
    record = world["alpha"]["records"][kind]
    response = client.post(url, {"kind": kind, "record": record.pk, "note": "Shows"}, format="json")
    assert response.status_code == 201, response.json()
    link = response.json()
    assert (link["kind"], link["record"]) == (kind, record.pk)
    assert MARKER_A not in link["label"] or kind != "referral_document"
    assert [x["id"] for x in client.get(url).json()] == [link["id"]]
    gone = client.delete(
        reverse("api-recommendation-evidence-link", args=[recommendation.pk, link["id"]])
    )
    assert gone.status_code == 204
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("kind", ["contract", "extension", "monitoring", "referral_document"])
def test_evidence_of_another_council_is_400_like_a_missing_record(world, kind):
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    url = reverse("api-recommendation-evidence", args=[world["alpha"]["recommendation"].pk])
    theirs = world["bravo"]["records"][kind]
    other = client.post(url, {"kind": kind, "record": theirs.pk}, format="json")
    missing = client.post(url, {"kind": kind, "record": theirs.pk + 10_000}, format="json")
    assert other.status_code == missing.status_code == 400
    assert other.json() == missing.json()
    assert "record" in other.json()
    assert not EvidenceLink.objects.exists()


def test_a_commissioner_cannot_link_a_childs_document(world):
    client = _api(world["alpha"]["people"][Role.COMMISSIONER])
    url = reverse("api-recommendation-evidence", args=[world["alpha"]["recommendation"].pk])
    response = client.post(
        url, {"kind": "referral_document", "record": world["alpha"]["document"].pk}, format="json"
    )
    assert response.status_code == 403
    assert not EvidenceLink.objects.exists()


def test_another_councils_evidence_link_cannot_be_removed(world):
    theirs = world["bravo"]
    link = services.evidence_link_add(
        actor=theirs["people"][Role.AUDITOR],
        recommendation=theirs["recommendation"],
        kind="contract",
        record_id=theirs["contract"].pk,
    )
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    for rec in (theirs["recommendation"], world["alpha"]["recommendation"]):
        response = client.delete(
            reverse("api-recommendation-evidence-link", args=[rec.pk, link.pk])
        )
        assert response.status_code == 404
    assert EvidenceLink.objects.filter(pk=link.pk).exists()


def test_list_queries_do_not_grow(world, django_assert_max_num_queries):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    client = _api(auditor)
    for i in range(12):
        report = make_report(auditor, title=f"Report {i}")
        rec = make_recommendation(auditor, report, owner=auditor)
        services.evidence_link_add(
            actor=auditor,
            recommendation=rec,
            kind="contract",
            record_id=world["alpha"]["contract"].pk,
        )
    for name in ("api-audit-reports", "api-recommendations"):
        with django_assert_max_num_queries(4):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(8):
        url = reverse("api-audit-report", args=[world["alpha"]["report"].pk])
        assert client.get(url).status_code == 200
