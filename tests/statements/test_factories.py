"""The statements factories make valid records whose related objects share one council."""

from __future__ import annotations

import pytest

from shortbreaks.councils.models import Membership
from tests.statements.factories import CarerFeedbackFactory, StatementVersionFactory

pytestmark = pytest.mark.django_db


def test_a_version_is_a_complete_draft_by_a_commissioner_of_its_council():
    version = StatementVersionFactory()
    version.full_clean()
    assert version.status == "draft" and version.introduction
    assert Membership.objects.filter(
        user=version.author, council=version.council, role="commissioner"
    ).exists()


def test_feedback_is_on_a_version_of_its_council():
    feedback = CarerFeedbackFactory()
    feedback.full_clean()
    assert feedback.version.council_id == feedback.council_id
