"""The demo's brokerage: a Herefordshire request sent to the Tier 3 DPS's lot 1, answered by
its three members and awarded as a call-off contract."""

from __future__ import annotations

import pytest

from brokerage.models import BrokerageRequest, RequestStatus, ResponseOutcome
from contracts.demo import HEREFORDSHIRE_DPS
from contracts.models import ContractKind, ContractStatus
from referrals.models import FundingRoute
from shortbreaks import rls
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture
def request_(demo_seeded, db):
    with rls.all_councils():
        found = BrokerageRequest.objects.select_related(
            "line__package__child", "contract", "lot__contract__dps"
        ).get(council__slug="herefordshire")
        yield found


def test_herefordshire_has_a_request_with_three_answers_and_an_award(request_):
    assert request_.status == RequestStatus.AWARDED
    assert request_.lot.contract.dps.title == HEREFORDSHIRE_DPS
    outcomes = sorted(request_.responses.values_list("outcome", flat=True))
    assert outcomes == [
        ResponseOutcome.AWARDED,
        ResponseOutcome.NOT_CHOSEN,
        ResponseOutcome.NOT_CHOSEN,
    ]
    contract = request_.contract
    assert contract.kind == ContractKind.DPS_CALL_OFF
    assert contract.status == ContractStatus.ACTIVE
    assert contract.dps_id == request_.dps_id and contract.call_off_lot_id == request_.lot_id
    line = request_.line
    winner = request_.responses.get(outcome=ResponseOutcome.AWARDED)
    assert line.provider_id == winner.provider_id
    assert line.unit_rate == winner.price_per_unit
    assert line.lot.contract_id == contract.pk
    assert line.funding_route == FundingRoute.COMMISSIONED


def test_the_demo_request_names_no_child(request_):
    child = request_.line.package.child
    text = request_.needs_summary + request_.outcomes + request_.area
    for value in (child.first_name, child.last_name, child.postcode, child.nhs_number):
        if value:
            assert value not in text
