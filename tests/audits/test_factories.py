"""The audits factories make valid records whose related objects share one council."""

from __future__ import annotations

import pytest

from tests.audits.factories import ContractEvidenceFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_a_recommendation_and_its_report_share_one_council():
    recommendation = RecommendationFactory()
    recommendation.full_clean()
    assert recommendation.report.council_id == recommendation.council_id
    assert recommendation.status == "open"


def test_evidence_links_a_contract_of_the_recommendations_council():
    link = ContractEvidenceFactory()
    link.full_clean()
    assert link.contract.council_id == link.recommendation.council_id == link.council_id
