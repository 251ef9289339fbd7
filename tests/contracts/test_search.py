"""Searching the contracts register: the words of a title by trigram word similarity ("overnite"
finds "Overnight"), or part of a reference, among the council's own contracts and the joint ones
it takes part in and no others, the closest titles first, in the same number of queries however
many match."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.selectors import register as register_selectors
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.conftest import MARKER_B
from tests.contracts.factories import ContractFactory
from tests.per_module import world_per_module


def _build_world(two_councils) -> dict:
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    overnight = make_contract(
        alpha, reference="OVN-2024-07", title="Specialised overnight short breaks"
    )
    make_awarded_lot(alpha, overnight, make_provider(alpha))  # so the API reads every part
    return {
        "alpha": alpha,
        "bravo": bravo,
        "overnight": overnight,
        "buddying": ContractFactory(
            council=alpha.active_council, reference="CB-11", title="Community buddying"
        ),
        "joint": make_contract(
            bravo,
            reference="JNT-9",
            title="Residential overnight care",
            participating_councils=[two_councils["alpha"]["council"]],
        ),
        "private": ContractFactory(
            council=bravo.active_council,
            reference="BRV-1",
            title=f"Specialised overnight short breaks {MARKER_B}",
        ),
    }


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def _refs(actor, search) -> list[str]:
    return sorted(c.reference for c in register_selectors.contract_list(actor=actor, search=search))


@pytest.mark.parametrize("search", ["overnite", "OVERNIGHT", "over night"])
def test_a_sound_alike_title_finds_own_and_joint_contracts_only(world, search):
    assert _refs(world["alpha"], search) == ["JNT-9", "OVN-2024-07"]
    assert _refs(world["bravo"], search) == ["BRV-1", "JNT-9"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ovn-2024", ["OVN-2024-07"]),
        ("2024-07", ["OVN-2024-07"]),
        ("cb-1", ["CB-11"]),
        ("jnt", ["JNT-9"]),
        ("brv-1", []),
        ("comunity budying", ["CB-11"]),
        ("specialised overnite", ["OVN-2024-07"]),
        ("zebra crossing", []),
    ],
)
def test_part_of_a_reference_or_the_words_of_a_title(world, search, expected):
    assert _refs(world["alpha"], search) == expected


def test_a_contract_the_council_is_only_invited_to_is_never_found(world, two_councils):
    make_contract(
        world["bravo"],
        reference="PND-1",
        title="Overnight breaks awaiting an answer",
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )
    assert _refs(world["alpha"], "overnite") == ["JNT-9", "OVN-2024-07"]
    assert _refs(world["alpha"], "pnd") == []
    assert "PND-1" in _refs(world["bravo"], "pnd")


def test_the_closest_titles_come_first(world):
    """Without a search the register is soonest ending first, then by reference."""
    make_contract(world["alpha"], reference="AAA-1", title="Specialist overnight respite")
    found = register_selectors.contract_list(actor=world["alpha"], search="specialised overnight")
    assert [c.reference for c in found] == ["OVN-2024-07", "AAA-1"]
    everything = register_selectors.contract_list(actor=world["alpha"])
    assert [c.reference for c in everything][:2] == ["AAA-1", "CB-11"]


def _add(commissioner, count):
    provider = make_provider(commissioner)
    for index in range(count):
        contract = make_contract(commissioner, title=f"Overnight breaks lot {index}")
        make_awarded_lot(commissioner, contract, provider)


def test_the_register_page_searches_in_a_constant_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(world["alpha"])
    url = reverse("contracts:list")
    client.get(url)  # the first page of a session also writes the session
    with django_assert_num_queries(9):  # as many as the register without a search
        client.get(url)
    with django_assert_num_queries(9):
        body = client.get(url, {"search": "overnite"}).content.decode()
    assert "OVN-2024-07" in body and "JNT-9" in body
    assert "CB-11" not in body
    assert "BRV-1" not in body
    _add(world["alpha"], 5)
    with django_assert_num_queries(9):
        body = client.get(url, {"search": "overnite"}).content.decode()
    assert all(f"Overnight breaks lot {index}" in body for index in range(5))


def test_the_api_searches_in_a_constant_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(world["alpha"])
    url = reverse("api-contracts")
    client.get(url)  # the first request also reads the actor's roles and council
    with django_assert_num_queries(10):  # as many as the register without a search
        client.get(url)
    with django_assert_num_queries(10):
        results = client.get(url, {"search": "overnite"}).json()["results"]
    assert sorted(c["reference"] for c in results) == ["JNT-9", "OVN-2024-07"]
    _add(world["alpha"], 5)
    with django_assert_num_queries(10):
        results = client.get(url, {"search": "overnite"}).json()["results"]
    assert len(results) == 7
    assert MARKER_B not in str(results)
    with django_assert_num_queries(10):
        results = client.get(url, {"search": "ovn-2024"}).json()["results"]
    assert [c["reference"] for c in results] == ["OVN-2024-07"]
