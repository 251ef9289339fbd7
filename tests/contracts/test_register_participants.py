"""The lead council names who takes part in a joint contract: each new council is invited, one
left out has its invitation or its part withdrawn, and each change is on the contract's
history."""

from __future__ import annotations

from django.urls import reverse

from contracts.models import ContractEvent, ContractParticipation, ParticipationStatus
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.dates import date_boxes
from tests.factories import CouncilFactory


def _form_data(contract, **changes) -> dict:
    data = {
        "reference": contract.reference,
        "title": contract.title,
        "kind": contract.kind,
        **date_boxes("start_date", contract.start_date),
        **date_boxes("end_date", contract.end_date),
        **date_boxes("max_extent_date", contract.max_extent_date),
        "annual_value": str(contract.annual_value),
        "total_value": str(contract.total_value),
    }
    data.update(changes)
    return data


def _statuses(contract) -> dict[str, str]:
    return dict(
        ContractParticipation.objects.filter(contract=contract).values_list(
            "council__slug", "status"
        )
    )


def test_the_edit_page_invites_and_withdraws_participating_councils(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    charlie = CouncilFactory(slug="charlie", name="Charlie Council")
    contract = make_contract(commissioner, participating_councils=[charlie])
    client = client_for(commissioner)
    url = reverse("contracts:edit", args=[contract.pk])

    page = client.get(url).content.decode()
    assert 'value="charlie"' in page and "checked" in page.split('value="charlie"')[1][:80]

    client.post(url, _form_data(contract, participating_councils=["bravo"]))
    assert _statuses(contract) == {
        "charlie": ParticipationStatus.WITHDRAWN,
        "bravo": ParticipationStatus.INVITED,
    }
    events = ContractEvent.objects.filter(contract=contract, kind="participants")
    summaries = [event.summary for event in events.order_by("id")]
    assert "Withdrew Charlie Council from the contract." in summaries
    assert f"Invited {two_councils['bravo']['council'].name} to take part." in summaries

    # Still invited and unchecked: the invitation is withdrawn too.
    page = client.get(url).content.decode()
    assert "checked" in page.split('value="bravo"')[1][:80]
    assert "checked" not in page.split('value="charlie"')[1][:80]
    client.post(url, _form_data(contract))
    assert set(_statuses(contract).values()) == {ParticipationStatus.WITHDRAWN}


def test_the_api_patch_invites_and_a_participant_cannot(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner)
    url = reverse("api-contract", args=[contract.pk])

    response = client_for(commissioner).patch(
        url, {"participating_councils": ["bravo"]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["participating_councils"] == ["bravo"]
    assert [(p["council"], p["status"]) for p in response.json()["participants"]] == [
        ("bravo", "invited")
    ]

    invited = two_councils["bravo"]["people"][Role.COMMISSIONER]
    refused = client_for(invited).patch(
        url, {"participating_councils": []}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert _statuses(contract) == {"bravo": ParticipationStatus.INVITED}


def test_the_lead_council_never_lists_itself_as_a_participant(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(commissioner)
    response = client_for(commissioner).patch(
        reverse("api-contract", args=[contract.pk]),
        {"participating_councils": ["alpha", "bravo"]},
        content_type="application/json",
    )
    assert response.json()["participating_councils"] == ["bravo"]
    assert _statuses(contract) == {"bravo": ParticipationStatus.INVITED}
