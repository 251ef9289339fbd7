"""Every declared status change of a recommendation, from every status: the service refuses
exactly when `states.may` says the step is not allowed (what the page asks before offering it),
with the declared reason, and the page offers the status form only when some step is allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from audits import services
from audits.models import STEP_TO, Recommendation, RecommendationStatus
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.audits.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

ALLOWED_FROM = {
    "start": {RecommendationStatus.OPEN, RecommendationStatus.COMPLETE},
    "complete": {RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS},
    "reopen": {RecommendationStatus.IN_PROGRESS, RecommendationStatus.COMPLETE},
}


class _Undo(Exception):
    """Raised to roll each try back, so every status starts from the same recommendation."""


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> str | None:
    try:
        make_step()
    except TransitionNotAllowed as error:
        assert not allowed, "the service refused a step the page offers"
        return error.reason
    except PermissionDenied:
        assert not allowed, "the service refused a step the page offers"
        return None
    assert allowed, "the service made a step the page does not offer"
    return None


@pytest.fixture
def recommendation(two_councils):
    """An open recommendation of alpha's, in a report by its auditor."""
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    return RecommendationFactory(
        council=two_councils["alpha"]["council"], report__created_by=auditor
    )


def test_each_step_is_declared_for_each_status():
    assert set(STEP_TO) == set(RecommendationStatus.values)
    assert set(STEP_TO.values()) == set(ALLOWED_FROM)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMISSIONER, Role.SOCIAL_WORKER])
def test_each_step_from_each_status(two_councils, recommendation, role):
    actor = two_councils["alpha"]["people"][role]
    may_update = role != Role.SOCIAL_WORKER
    for status in RecommendationStatus.values:
        for target, name in STEP_TO.items():
            try:
                with transaction.atomic():
                    Recommendation.objects.filter(pk=recommendation.pk).update(status=status)
                    found = Recommendation.objects.get(pk=recommendation.pk)
                    allowed = states.may(found, name, actor)
                    assert allowed == (may_update and status in ALLOWED_FROM[name]), (status, name)
                    reason = assert_refused_exactly_when_not_allowed(
                        allowed,
                        lambda f=found, t=target: services.recommendation_change_status(
                            actor=actor, recommendation=f, status=t, note="Checked."
                        ),
                    )
                    if may_update and not allowed:
                        label = RecommendationStatus(target).label.lower()
                        assert reason == f"The recommendation is already {label}."
                    if allowed:
                        assert Recommendation.objects.get(pk=found.pk).status == target
                    raise _Undo
            except _Undo:
                pass


def test_the_page_offers_the_status_form_only_to_those_who_may_change_it(
    client, two_councils, recommendation
):
    url = reverse("audits:recommendation", args=[recommendation.pk])
    client.force_login(two_councils["alpha"]["people"][Role.COMMISSIONER])
    assert 'id="change-status"' in client.get(url).content.decode()
    client.force_login(two_councils["alpha"]["people"][Role.FINANCE_OFFICER])
    page = client.get(url)
    assert page.status_code == 403 and 'id="change-status"' not in page.content.decode()
