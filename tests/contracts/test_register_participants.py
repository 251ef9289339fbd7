"""The lead council changes who takes part in a joint contract; the change is on its history."""

from __future__ import annotations

from django.urls import reverse

from contracts.models import ContractEvent
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.factories import CouncilFactory


def _form_data(contract, **changes) -> dict:
    data = {
        "reference": contract.reference,
        "title": contract.title,
        "kind": contract.kind,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "max_extent_date": contract.max_extent_date.isoformat(),
        "annual_value": str(contract.annual_value),
        "total_value": str(contract.total_value),
    }
    data.update(changes)
    return data


def test_the_edit_page_adds_and_removes_participating_councils(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    charlie = CouncilFactory(slug="charlie", name="Charlie Council")
    contract = make_contract(commissioner, participating_councils=[charlie])
    client = client_for(commissioner)
    url = reverse("contracts:edit", args=[contract.pk])

    page = client.get(url).content.decode()
    assert 'value="charlie"' in page and "checked" in page.split('value="charlie"')[1][:80]

    client.post(url, _form_data(contract, participating_councils=["bravo"]))
    assert [c.slug for c in contract.participating_councils.all()] == ["bravo"]
    event = ContractEvent.objects.filter(contract=contract, kind="participants").get()
    assert "Bravo" in event.summary

    client.post(url, _form_data(contract))
    assert not contract.participating_councils.exists()


def test_the_api_patch_changes_participants_and_a_participant_cannot(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner)
    url = reverse("api-contract", args=[contract.pk])

    response = client_for(commissioner).patch(
        url, {"participating_councils": ["bravo"]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["participating_councils"] == ["bravo"]

    participant = two_councils["bravo"]["people"][Role.COMMISSIONER]
    refused = client_for(participant).patch(
        url, {"participating_councils": []}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert [c.slug for c in contract.participating_councils.all()] == ["bravo"]


def test_the_lead_council_never_lists_itself_as_a_participant(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner)
    response = client_for(commissioner).patch(
        reverse("api-contract", args=[contract.pk]),
        {"participating_councils": ["alpha", "bravo"]},
        content_type="application/json",
    )
    assert response.json()["participating_councils"] == ["bravo"]
