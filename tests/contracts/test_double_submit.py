"""The same contract sent twice at once (a double click, a client's retry): one is recorded and
the other is refused as a second submit is, with the reference's message, never a 500.

Both requests pass the reference check before either inserts, so the database's constraint
(contract_unique_ref) is what stops the second; the service turns that into the check's refusal.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from contracts.models import Contract, DPSMembership, Lot
from contracts.services import register
from contracts.services.dps import dps_create, dps_membership_apply
from contracts.services.lots import lot_create
from contracts.services.register import contract_update
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_contract, make_provider
from tests.racing import at_once, meet_before, statuses, unseen

ON = date(2025, 6, 2)
TAKEN = {"reference": ["The council already has a contract with this reference."]}
NEW_CONTRACT = {
    "reference": "RACE-1",
    "title": "Community short breaks",
    "kind": "lead_provider",
    "start_date": "2024-04-01",
    "end_date": "2027-03-31",
}


@pytest.fixture
def commissioner(two_councils):
    return two_councils["alpha"]["people"][Role.COMMISSIONER]


def _send(user, method: str, url: str, body: dict):
    def send():
        client = APIClient()
        client.force_authenticate(user)
        return getattr(client, method)(url, body, format="json")

    return send


@pytest.mark.django_db(transaction=True)
def test_the_same_contract_sent_twice_at_once_is_recorded_once(commissioner, monkeypatch):
    meet_before(monkeypatch, register, "save_unique")  # both have passed every check
    post = _send(commissioner, "post", reverse("api-contracts"), NEW_CONTRACT)

    responses = at_once(post, post)

    assert statuses(responses) == [201, 400]
    assert next(r for r in responses if r.status_code == 400).json() == TAKEN
    assert Contract.objects.filter(reference="RACE-1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_contracts_given_one_reference_at_once_are_refused_once(commissioner, monkeypatch):
    first, second = make_contract(commissioner), make_contract(commissioner)
    meet_before(monkeypatch, register, "save_unique")

    responses = at_once(
        *(
            _send(commissioner, "patch", reverse("api-contract", args=[c.pk]), {"reference": "R"})
            for c in (first, second)
        )
    )

    assert statuses(responses) == [200, 400]
    assert next(r for r in responses if r.status_code == 400).json() == TAKEN
    assert Contract.objects.filter(reference="R").count() == 1


# The race on one thread: the check finds nothing, as the later request's does while the other
# has not committed, so only the constraint stops the duplicate.


def test_a_reference_taken_after_the_check_is_refused_as_the_check_refuses(
    commissioner, monkeypatch
):
    make_contract(commissioner, reference="RACE-1")
    other = make_contract(commissioner, reference="OTHER")
    unseen(monkeypatch, Contract)

    with pytest.raises(ValidationError) as created:
        make_contract(commissioner, reference="RACE-1")
    with pytest.raises(ValidationError) as changed:
        contract_update(actor=commissioner, contract=other, reference="RACE-1")

    assert created.value.message_dict == changed.value.message_dict == TAKEN
    # Only the savepoints were rolled back: the transaction goes on.
    assert Contract.objects.filter(reference="RACE-1").count() == 1


def test_a_reference_already_held_is_refused_on_a_change_too(commissioner):
    make_contract(commissioner, reference="HELD")
    other = make_contract(commissioner, reference="OTHER")

    response = _send(
        commissioner, "patch", reverse("api-contract", args=[other.pk]), {"reference": "HELD"}
    )()

    assert response.status_code == 400
    assert response.json() == TAKEN


def test_the_api_answers_the_loser_400(commissioner, monkeypatch):
    make_contract(commissioner, reference="RACE-1")
    unseen(monkeypatch, Contract)

    response = _send(commissioner, "post", reverse("api-contracts"), NEW_CONTRACT)()

    assert response.status_code == 400
    assert response.json() == TAKEN


def test_a_lot_number_taken_after_the_check_is_refused_as_the_check_refuses(
    commissioner, monkeypatch
):
    contract = make_contract(commissioner)
    lot_create(actor=commissioner, contract=contract, number=1, name="North")
    unseen(monkeypatch, Lot)

    with pytest.raises(ValidationError) as refused:
        lot_create(actor=commissioner, contract=contract, number=1, name="North")

    assert refused.value.message_dict == {"number": ["The contract already has a lot 1."]}
    assert contract.lots.count() == 1


def test_a_dps_application_made_after_the_check_is_refused_as_the_check_refuses(
    commissioner, monkeypatch
):
    dps = dps_create(actor=commissioner, title="Short breaks DPS", start_date=ON)
    provider = make_provider(commissioner, name="Oak House")
    dps_membership_apply(actor=commissioner, dps=dps, provider=provider, on=ON)
    unseen(monkeypatch, DPSMembership)

    with pytest.raises(TransitionNotAllowed) as refused:
        dps_membership_apply(actor=commissioner, dps=dps, provider=provider, on=ON)

    assert refused.value.reason == "Oak House has already applied to this DPS."
    assert DPSMembership.objects.filter(dps=dps).count() == 1
