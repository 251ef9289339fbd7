"""What the OCDS export needs from the register, kept in pages and the API alike: how the
provider was chosen, when the contract was signed, and each award's date and value over the
whole term. Refusals first."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Award, Contract, ProcurementMethod
from shortbreaks.councils.models import Role
from tests.builders import make_contract, make_provider
from tests.dates import date_boxes

CONTRACT = {
    "reference": "OC-1",
    "title": "Overnight short breaks",
    "kind": "block",
    **date_boxes("start_date", "1/4/2025"),
    **date_boxes("end_date", "31/3/2028"),
    "total_value": "300000",
}


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


# ---------------------------------------------------------------------------------------------
# Pages


def test_the_form_refuses_an_unknown_method_and_a_date_that_is_not_one(alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    response = client.post(
        reverse("contracts:create"),
        {**CONTRACT, "procurement_method": "auction", **date_boxes("date_signed", "31/2/2025")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose how the provider was chosen." in body
    assert "The date signed must be a real date" in body
    assert not Contract.objects.filter(reference="OC-1").exists()


def test_a_commissioner_records_the_method_and_the_date_signed(alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    form = client.get(reverse("contracts:create")).content.decode()
    assert "How was the provider chosen? (optional)" in form
    assert "Selective: only qualified suppliers were invited to bid" in form
    response = client.post(
        reverse("contracts:create"),
        {**CONTRACT, "procurement_method": "selective", **date_boxes("date_signed", "14/3/2025")},
        follow=True,
    )
    body = response.content.decode()
    contract = Contract.objects.get(reference="OC-1")
    assert contract.procurement_method == ProcurementMethod.SELECTIVE
    assert contract.date_signed == date(2025, 3, 14)
    assert "14 March 2025" in body and "Selective: only qualified suppliers" in body
    # The edit page shows them back.
    edit = client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    assert 'name="date_signed_0" value="14"' in edit
    assert 'name="date_signed_1" value="3"' in edit
    assert 'name="date_signed_2" value="2025"' in edit
    assert re.search(r'value="selective"\s+checked', edit)


def test_an_award_over_the_contracts_value_is_refused_on_the_page(alpha, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    contract = make_contract(commissioner, total_value=Decimal("1000.00"))
    from contracts.services import lots as services

    lot = services.lot_create(actor=commissioner, contract=contract, number=1, name="Lot 1")
    provider = make_provider(commissioner, name="Heartwood")
    client = client_for(commissioner)
    url = reverse("contracts:award-create", args=[contract.pk])
    refused = client.post(url, {"lot": lot.pk, "provider": provider.pk, "value": "1000.01"})
    assert "more than its total value of £1,000.00" in refused.content.decode()
    assert not Award.objects.filter(lot=lot).exists()
    response = client.post(
        url,
        {
            "lot": lot.pk,
            "provider": provider.pk,
            "value": "1000",
            **date_boxes("awarded_on", "3/2/2025"),
        },
        follow=True,
    )
    assert "Award added." in response.content.decode()
    award = Award.objects.get(lot=lot)
    assert (award.value, award.awarded_on) == (Decimal("1000.00"), date(2025, 2, 3))
    assert "3 February 2025" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The API


def _api_contract(**fields):
    return {
        "reference": "OC-2",
        "title": "Overnight short breaks",
        "kind": "block",
        "start_date": "2025-04-01",
        "end_date": "2028-03-31",
        "total_value": "300000.00",
        **fields,
    }


def test_the_api_refuses_an_unknown_method(alpha, client_for):
    response = client_for(alpha[Role.COMMISSIONER]).post(
        "/api/v1/contracts/",
        _api_contract(procurement_method="auction"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "procurement_method" in response.json()


def test_the_api_keeps_the_method_the_date_signed_and_the_award_date(alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    created = client.post(
        "/api/v1/contracts/",
        _api_contract(procurement_method="direct", date_signed="2025-03-20"),
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["procurement_method"], body["date_signed"]) == ("direct", "2025-03-20")
    contract_id = body["id"]
    lot = client.post(
        f"/api/v1/contracts/{contract_id}/lots/",
        {"number": 1, "name": "Overnight stays"},
        content_type="application/json",
    ).json()
    provider = make_provider(alpha[Role.COMMISSIONER], name="Heartwood")
    too_much = client.post(
        f"/api/v1/contracts/{contract_id}/awards/",
        {"lot": lot["id"], "provider": provider.pk, "value": "300000.01"},
        content_type="application/json",
    )
    assert too_much.status_code == 400
    assert "value" in too_much.json()
    award = client.post(
        f"/api/v1/contracts/{contract_id}/awards/",
        {"lot": lot["id"], "provider": provider.pk, "value": "300000", "awarded_on": "2025-03-01"},
        content_type="application/json",
    )
    assert award.status_code == 201
    assert award.json()["awarded_on"] == "2025-03-01"
    detail = client.get(f"/api/v1/contracts/{contract_id}/").json()
    assert detail["lots"][0]["awards"][0]["value"] == "300000.00"
