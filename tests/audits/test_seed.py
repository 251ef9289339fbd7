"""The demo seed: Shropshire's 2023/24 audit and its 2025 follow-up, with the statuses the
follow-up found and evidence linked to Shropshire's own contracts; safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from audits.models import AuditReport, EvidenceLink, Recommendation, RecommendationEvent
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def test_shropshires_audit_and_follow_up(seeded):
    first = AuditReport.objects.get(
        council__slug="shropshire", title="Short Breaks internal audit 2023/24"
    )
    follow_up = AuditReport.objects.get(council__slug="shropshire", follow_up_of=first)
    assert first.rating == follow_up.rating == "unsatisfactory"
    priorities = sorted(first.recommendations.values_list("priority", flat=True))
    assert priorities.count("fundamental") == 2
    assert sorted(follow_up.recommendations.values_list("priority", flat=True)) == [
        "fundamental",
        "significant",
    ]
    statuses = dict(first.recommendations.values_list("reference", "status"))
    assert statuses == {"1": "in_progress", "2": "complete", "3": "in_progress"}
    forms = first.recommendations.get(reference="2")
    assert "LCS record" in forms.text
    assert "uploaded on the system" in forms.management_action
    recommissioning = first.recommendations.get(reference="1")
    assert "31st March 2025" in recommissioning.text
    assert "EMT on the 4th March 2025" in recommissioning.management_action


def test_evidence_points_at_shropshires_own_records(seeded):
    links = EvidenceLink.objects.filter(council__slug="shropshire")
    assert {"contract", "extension", "monitoring"} <= set(links.values_list("kind", flat=True))
    for link in links:
        assert link.record.council_id == link.council_id
    assert not EvidenceLink.objects.exclude(council__slug="shropshire").exists()


def test_seeding_twice_adds_nothing(seeded):
    counts = (
        AuditReport.objects.count(),
        Recommendation.objects.count(),
        RecommendationEvent.objects.count(),
        EvidenceLink.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        AuditReport.objects.count(),
        Recommendation.objects.count(),
        RecommendationEvent.objects.count(),
        EvidenceLink.objects.count(),
    ) == counts
