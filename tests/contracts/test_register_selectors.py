"""The register's reads: scoped by council, joint contracts read by participants only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import ContractStatus
from contracts.selectors import register as register_selectors
from contracts.services.extensions import extension_create, extension_submit
from contracts.services.register import contract_terminate, contract_update
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_contract
from tests.conftest import person_in
from tests.contracts.factories import ContractFactory
from tests.factories import CouncilFactory
from tests.per_module import world_per_module

TODAY = date(2025, 1, 15)


def _build_world(two_councils) -> dict:
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    charlie = person_in(CouncilFactory(slug="charlie", name="Charlie"), Role.COMMISSIONER)
    own = make_contract(alpha, reference="OWN")
    joint = make_contract(
        bravo, reference="JOINT", participating_councils=[two_councils["alpha"]["council"]]
    )
    private = ContractFactory(council=bravo.active_council, reference="PRIVATE")
    return {
        "alpha": alpha,
        "bravo": bravo,
        "charlie": charlie,
        "own": own,
        "joint": joint,
        "private": private,
    }


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def _refs(contracts) -> list[str]:
    return sorted(c.reference for c in contracts)


def test_each_council_lists_its_own_and_the_joint_contracts_it_takes_part_in(world):
    assert _refs(register_selectors.contract_list(actor=world["alpha"])) == ["JOINT", "OWN"]
    assert _refs(register_selectors.contract_list(actor=world["bravo"])) == ["JOINT", "PRIVATE"]
    assert _refs(register_selectors.contract_list(actor=world["charlie"])) == []


def test_a_participant_reads_but_cannot_change_a_joint_contract(world):
    alpha, joint = world["alpha"], world["joint"]
    assert register_selectors.access_contract_by_id(actor=alpha, contract_id=joint.pk) == joint
    assert not register_selectors.contract_is_lead(actor=alpha, contract=joint)
    assert register_selectors.contract_is_lead(actor=world["bravo"], contract=joint)
    with pytest.raises(RecordNotFound):
        register_selectors.access_contract_for_change(actor=alpha, contract_id=joint.pk)
    # Even handed the object, the service refuses a participant.
    with pytest.raises(TransitionNotAllowed):
        contract_terminate(actor=alpha, contract=joint, on=TODAY, reason="Not ours.")
    joint.refresh_from_db()
    assert joint.status == ContractStatus.ACTIVE


@pytest.mark.parametrize("who", ["alpha", "charlie"])
def test_a_stranger_gets_the_same_not_found_as_for_a_missing_id(world, who):
    actor, private = world[who], world["private"]
    for contract_id in (private.pk, private.pk + 10_000):
        with pytest.raises(RecordNotFound) as caught:
            register_selectors.access_contract_by_id(actor=actor, contract_id=contract_id)
        assert str(caught.value) == "No contracts.contract with that id."
    with pytest.raises(RecordNotFound):
        register_selectors.access_contract_by_id(
            actor=world["charlie"], contract_id=world["joint"].pk
        )


def test_ends_within_months(world):
    alpha = world["alpha"]
    for reference, end in (
        ("M2", date(2025, 3, 1)),
        ("M5", date(2025, 6, 15)),
        ("M11", date(2025, 12, 1)),
        ("PAST", date(2025, 1, 1)),
    ):
        make_contract(alpha, reference=reference, start_date=date(2023, 1, 1), end_date=end)

    def within(months):
        return _refs(
            c
            for c in register_selectors.contract_list(
                actor=alpha, ends_within_months=months, today=TODAY
            )
            if c.reference != "OWN"
        )

    assert within(3) == ["M2"]
    assert within(6) == ["M2", "M5"]
    assert within(12) == ["M11", "M2", "M5"]


def test_nothing_under_way_drops_drafted_extensions_and_recommissioning(world):
    alpha = world["alpha"]
    kwargs = {"start_date": date(2023, 1, 1), "end_date": date(2025, 6, 30)}
    quiet = make_contract(alpha, reference="QUIET", **kwargs)
    drafted = make_contract(alpha, reference="DRAFTED", **kwargs)
    submitted = make_contract(alpha, reference="SUBMITTED", **kwargs)
    recommissioning = make_contract(alpha, reference="RECOM", **kwargs)
    make_contract(alpha, reference="NOT-ACTIVE", active=False, **kwargs)
    for contract in (drafted, submitted):
        extension = extension_create(
            actor=alpha,
            contract=contract,
            new_end_date=date(2026, 3, 31),
            added_value=Decimal("10000"),
            rationale="Time to recommission.",
            legal_basis="pcr_modification",
        )
    extension_submit(actor=alpha, extension=extension)
    contract_update(
        actor=alpha, contract=recommissioning, recommissioning_started_on=date(2024, 11, 1)
    )
    cliff_edges = register_selectors.contract_list(
        actor=alpha, ends_within_months=6, nothing_under_way=True, today=TODAY
    )
    assert _refs(cliff_edges) == [quiet.reference]
    everything = register_selectors.contract_list(actor=alpha, ends_within_months=6, today=TODAY)
    assert _refs(everything) == ["DRAFTED", "NOT-ACTIVE", "QUIET", "RECOM", "SUBMITTED"]
