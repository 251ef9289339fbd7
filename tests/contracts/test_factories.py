"""The register's factories make valid records whose related objects share one council."""

from __future__ import annotations

import pytest

from tests.contracts.factories import (
    AwardFactory,
    ContractFactory,
    DPSFactory,
    DPSMembershipFactory,
    ExtensionFactory,
    LotFactory,
)

pytestmark = pytest.mark.django_db


def assert_one_council(record, *related) -> None:
    record.full_clean()
    assert {item.council_id for item in related} == {record.council_id}


def test_a_contract_is_running_and_valid():
    contract = ContractFactory()
    contract.full_clean()
    assert contract.status == "active"


def test_an_award_its_lot_contract_and_provider_share_one_council():
    award = AwardFactory()
    assert_one_council(award, award.lot, award.lot.contract, award.provider)


def test_a_lot_is_of_a_contract_of_its_council():
    lot = LotFactory()
    assert_one_council(lot, lot.contract)


def test_a_membership_its_dps_and_provider_share_one_council():
    membership = DPSMembershipFactory()
    assert_one_council(membership, membership.dps, membership.provider)
    assert not membership.checks_complete
    assert DPSMembershipFactory(dps=membership.dps, checked=True).checks_complete
    DPSFactory().full_clean()


def test_an_extension_adds_a_year_to_its_contract():
    extension = ExtensionFactory()
    assert_one_council(extension, extension.contract)
    assert extension.new_end_date.year == extension.contract.end_date.year + 1
