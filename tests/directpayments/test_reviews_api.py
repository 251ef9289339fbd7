"""The direct-payment reviews API: a social worker records a review (the next check moves on;
ending stops the agreement), anyone who reads direct payments lists them, and the refusals:
another council's agreement 404, a finance officer 403, bad input 400, an ended agreement 409."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from directpayments.models import Agreement, AgreementReview
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.directpayments.builders import dp_world, make_agreement
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")


def _build_world(two_councils) -> dict:
    world = dp_world(two_councils)
    for council in world.values():
        council["agreement"] = make_agreement(council)
    return world


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(agreement) -> str:
    return f"/api/v1/direct-payments/{agreement.pk}/reviews/"


def test_a_social_worker_records_reviews_and_ending_stops_the_agreement(world):
    alpha = world["alpha"]
    agreement = alpha["agreement"]
    client = api(alpha["sw"])
    kept = client.post(
        _url(agreement), {"held_on": "2025-07-01", "outcome": "continue"}, format="json"
    )
    assert kept.status_code == 201, kept.json()
    assert Agreement.objects.get(pk=agreement.pk).next_check_due == date(2025, 10, 1)
    ended = client.post(
        _url(agreement),
        {"held_on": "2025-09-01", "outcome": "end", "notes": "The family moved away."},
        format="json",
    )
    assert ended.status_code == 201
    assert Agreement.objects.get(pk=agreement.pk).ended_on == date(2025, 9, 1)
    listed = api(alpha["finance"]).get(_url(agreement))
    assert listed.status_code == 200
    assert [r["outcome"] for r in listed.json()] == ["continue", "end"]
    assert AccessLogEntry.objects.filter(
        user=alpha["finance"], object_type="directpayments.agreementreview"
    ).exists()
    late = client.post(
        _url(agreement), {"held_on": "2025-10-01", "outcome": "continue"}, format="json"
    )
    assert late.status_code == 409


def test_the_reviews_api_refuses_other_councils_the_wrong_role_and_bad_input(world):
    alpha, bravo = world["alpha"], world["bravo"]
    client = api(alpha["sw"])
    theirs = bravo["agreement"]
    assert client.get(_url(theirs)).status_code == 404
    body = {"held_on": "2025-07-01", "outcome": "continue"}
    assert client.post(_url(theirs), body, format="json").status_code == 404
    mine = _url(alpha["agreement"])
    assert api(alpha["finance"]).post(mine, body, format="json").status_code == 403
    assert api(alpha["people"][Role.COMMISSIONER]).get(mine).status_code == 403
    bad = [
        {"held_on": "2025-07-01", "outcome": "maybe"},
        {"held_on": "2024-01-01", "outcome": "continue"},
        {"held_on": "2025-07-01", "outcome": "end"},
        {"outcome": "continue"},
    ]
    for data in bad:
        assert client.post(_url(alpha["agreement"]), data, format="json").status_code == 400, data
    assert not AgreementReview.objects.exists()
