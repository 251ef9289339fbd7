"""The contracts register in the API: /api/v1/contracts/ and what hangs off a contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import DateTimeField

from contracts.models import Contract, ContractStatus, Lot
from contracts.selectors.register import attach_lot_services
from contracts.serializers import register as register_serializers
from contracts.services.extensions import extension_create
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_set_manager
from shortbreaks import rls
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.clock import frozen_today, on_frozen_day  # noqa: F401
from tests.conftest import MARKER_B, build_two_councils
from tests.once import built_once, fresh_copy
from tests.roles import ALL_ROLES, CONTRACT_MANAGERS, CONTRACT_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


NEW_CONTRACT = {
    "reference": "API-1",
    "title": "Community short breaks",
    "kind": "lead_provider",
    "start_date": "2022-04-01",
    "end_date": "2025-03-31",
    "max_extent_date": "2026-03-31",
    "annual_value": "410000.00",
    "total_value": "1230000.00",
}


@pytest.fixture(scope="module")
def _two_councils_built(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, on_frozen_day(build_two_councils))


@pytest.fixture
def two_councils(db, _two_councils_built):
    """Built once for this module (its role matrix runs a hundred cases); each test rolls back
    its own writes and gets its own copy of the objects."""
    return fresh_copy(_two_councils_built)


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def bravo(two_councils):
    return two_councils["bravo"]["people"]


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def test_contract_json_carries_the_whole_contract(alpha, two_councils, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Our Place")
    service = make_service(commissioner, provider)
    contract = make_contract(
        commissioner,
        reference="HC-DPS-1",
        participating_councils=[two_councils["bravo"]["council"]],
    )
    lot = lot_create(
        actor=commissioner,
        contract=contract,
        number=1,
        name="Overnight",
        description="Overnight stays",
        services=[service],
    )
    award_create(
        actor=commissioner,
        lot=lot,
        provider=provider,
        rates="£210 a night",
        capacity="4 overnight beds",
        value=Decimal("420000"),
    )
    contract_set_manager(
        actor=commissioner, contract=contract, manager=alpha[Role.CONTRACT_MANAGER]
    )
    response = client_for(alpha[Role.AUDITOR]).get(reverse("api-contract", args=[contract.pk]))
    assert response.status_code == 200
    manager = alpha[Role.CONTRACT_MANAGER]
    participation, moment = contract.participations.get(), DateTimeField()
    assert response.json() == {
        "id": contract.pk,
        "reference": "HC-DPS-1",
        "title": "Overnight short breaks",
        "kind": "block",
        "status": "active",
        "procurement_route": "",
        "procurement_method": "",
        "date_signed": None,
        "start_date": "2024-04-01",
        "end_date": "2027-03-31",
        "max_extent_date": "2029-03-31",
        "annual_value": "250000.00",
        "total_value": "750000.00",
        "recommissioning_started_on": None,
        "overrunning_lines": 0,
        "lead_council": "alpha",
        "participating_councils": ["bravo"],
        "participants": [
            {
                "id": participation.pk,
                "council": "bravo",
                "council_name": participation.council.name,
                "status": "accepted",
                "invited_at": moment.to_representation(participation.invited_at),
                "responded_at": moment.to_representation(participation.responded_at),
                "withdrawn_at": None,
            }
        ],
        "lots": [
            {
                "id": lot.pk,
                "number": 1,
                "name": "Overnight",
                "description": "Overnight stays",
                "services": [service.pk],
                "awards": [
                    {
                        "id": lot.awards.get().pk,
                        "provider": {"id": provider.pk, "name": "Our Place"},
                        "rates": "£210 a night",
                        "capacity": "4 overnight beds",
                        "value": "420000.00",
                        "awarded_on": None,
                    }
                ],
            }
        ],
        "contract_manager": {"id": manager.pk, "name": manager.get_full_name()},
    }
    assert AccessLogEntry.objects.filter(
        object_type="contracts.contract", object_id=str(contract.pk), action="view"
    ).exists()


def test_list_json_is_what_the_declared_fields_give(alpha, two_councils, client_for, monkeypatch):
    """The register's serializers build their JSON directly, for speed: it is the JSON DRF's
    field-by-field way gives for the same contracts, lots and awards, empty values included."""
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Our <Place> & Co")
    services = [make_service(commissioner, provider, title=title) for title in ("Zoo", "Art")]
    contract = make_contract(
        commissioner,
        reference="HC-1",
        date_signed=date(2024, 3, 1),
        participating_councils=[two_councils["bravo"]["council"]],
    )
    lot = lot_create(
        actor=commissioner, contract=contract, number=1, name="Days", services=services
    )
    award_create(actor=commissioner, lot=lot, provider=provider, awarded_on=date(2024, 5, 1))
    award_create(actor=commissioner, lot=lot, provider=provider, rates="£5", value=Decimal("12.5"))
    make_contract(commissioner, reference="HC-2", active=False, annual_value=None, total_value=None)
    contract_set_manager(
        actor=commissioner, contract=contract, manager=alpha[Role.CONTRACT_MANAGER]
    )
    client = client_for(commissioner)
    direct = client.get(reverse("api-contracts")).json()
    detail = client.get(reverse("api-contract", args=[contract.pk])).json()
    for name in ("ContractSerializer", "LotSerializer", "AwardSerializer"):
        monkeypatch.setattr(
            getattr(register_serializers, name),
            "to_representation",
            serializers.Serializer.to_representation,
        )
    assert client.get(reverse("api-contracts")).json() == direct
    assert client.get(reverse("api-contract", args=[contract.pk])).json() == detail
    assert [c["reference"] for c in direct["results"]] == ["HC-1", "HC-2"]
    assert direct["results"][0]["lots"][0]["services"] == [s.pk for s in reversed(services)]


def test_list_is_scoped_and_includes_joint_contracts(alpha, bravo, two_councils, client_for):
    make_contract(alpha[Role.COMMISSIONER], reference="A-1")
    make_contract(
        bravo[Role.COMMISSIONER],
        reference="JOINT",
        participating_councils=[two_councils["alpha"]["council"]],
    )
    make_contract(bravo[Role.COMMISSIONER], reference="B-ONLY", title=MARKER_B)
    response = client_for(alpha[Role.FINANCE_OFFICER]).get(reverse("api-contracts"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert sorted(c["reference"] for c in results) == ["A-1", "JOINT"]
    assert {c["reference"]: c["lead_council"] for c in results} == {
        "A-1": "alpha",
        "JOINT": "bravo",
    }
    assert MARKER_B not in response.content.decode()


def test_list_filters(alpha, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    today = timezone.localdate()
    provider = make_provider(commissioner)
    soon = make_contract(
        commissioner,
        reference="SOON",
        kind="sla",
        start_date=today,
        end_date=today + relativedelta(months=2),
    )
    make_awarded_lot(commissioner, soon, provider)
    make_contract(
        commissioner, reference="LATER", start_date=today, end_date=today + relativedelta(months=10)
    )
    extending = make_contract(
        commissioner, reference="EXT", start_date=today, end_date=today + relativedelta(months=4)
    )
    extension_create(
        actor=commissioner,
        contract=extending,
        new_end_date=today + relativedelta(months=16),
        added_value=Decimal("5000"),
        rationale="Bridge to the new service.",
        legal_basis="cpr_exemption",
    )
    client = client_for(commissioner)

    def refs(**params):
        response = client.get(reverse("api-contracts"), params)
        assert response.status_code == 200, response.json()
        return sorted(c["reference"] for c in response.json()["results"])

    assert refs() == ["EXT", "LATER", "SOON"]  # soonest ending first
    assert refs(ends_within_months=3) == ["SOON"]
    assert refs(ends_within_months=6) == ["EXT", "SOON"]
    assert refs(ends_within_months=12, nothing_under_way="true") == ["LATER", "SOON"]
    assert refs(kind="sla") == ["SOON"]
    assert refs(provider=provider.pk) == ["SOON"]
    assert refs(lot="lot 1") == ["SOON"]
    assert refs(search="lat") == ["LATER"]
    assert refs(ends_before=(today + relativedelta(months=3)).isoformat()) == ["SOON"]
    assert refs(status="draft") == []


def test_list_refuses_bad_filters_with_field_messages(alpha, client_for):
    response = client_for(alpha[Role.COMMISSIONER]).get(
        reverse("api-contracts"),
        {"ends_within_months": 7, "ends_before": "soon", "kind": "x", "provider": "-1"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"ends_within_months", "ends_before", "kind", "provider"}


def test_list_query_count_is_constant(alpha, client_for, django_assert_num_queries):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner)
    service = make_service(commissioner, provider)
    client = client_for(commissioner)
    url = reverse("api-contracts")

    def add(count):
        for _ in range(count):
            contract = make_contract(commissioner)
            lot = make_awarded_lot(commissioner, contract, provider)
            lot.services.add(service)
            make_awarded_lot(commissioner, contract, provider, number=2)

    add(2)
    client.get(url)
    # The lots' links to their services, then the services the reader may see: two queries.
    with django_assert_num_queries(11):
        first = client.get(url)
    add(6)
    with django_assert_num_queries(11):
        second = client.get(url, {"ends_within_months": 12, "provider": provider.pk})
    assert [lot["services"] for lot in first.json()["results"][0]["lots"]] == [[service.pk], []]
    assert len(first.json()["results"]) == 2
    assert len(second.json()["results"]) == 8
    assert all(len(c["lots"]) == 2 for c in second.json()["results"])


def test_a_lot_never_lists_a_service_its_reader_may_not_see(alpha, bravo, client_for):
    """A link to another council's service (which the services never make) stays unlisted: the
    lot's services are read by id under the reader's own policies."""
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner)
    own = make_service(commissioner, provider)
    theirs = make_service(bravo[Role.COMMISSIONER], make_provider(bravo[Role.COMMISSIONER]))
    lot = make_awarded_lot(commissioner, make_contract(commissioner), provider)
    lot.services.add(own)
    Lot.services.through.objects.create(lot_id=lot.pk, service_id=theirs.pk)
    client = client_for(commissioner)
    listed = client.get(reverse("api-contracts")).json()["results"][0]["lots"][0]["services"]
    shown = client.get(reverse("api-contract", args=[lot.contract_id])).json()["lots"][0]
    assert listed == shown["services"] == [own.pk]
    page = client.get(reverse("contracts:detail", args=[lot.contract_id]))
    assert f"<li>{own.title}</li>" in page.content.decode()
    assert theirs.title not in page.content.decode()
    # Refused by the app itself, not only by the database's policies: read with every council's
    # rows in sight, the other council's service is still not the lot's.
    with rls.all_councils():
        attach_lot_services([lot])
    assert [service.pk for service in lot.service_list] == [own.pk]


# ----------------------------------------------------------------------------------------------
# Creating and changing


def test_commissioner_creates_activates_and_adds_lots_and_awards(alpha, two_councils, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    response = _json(
        client,
        "post",
        reverse("api-contracts"),
        {**NEW_CONTRACT, "participating_councils": ["bravo"]},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["lead_council"], data["participating_councils"]) == (
        "draft",
        "alpha",
        ["bravo"],
    )
    contract_id = data["id"]
    activated = client.post(reverse("api-contract-activate", args=[contract_id]))
    assert activated.status_code == 200
    # Made active, but its end date (31 March 2025) has passed: it reads expired at once.
    assert activated.json()["status"] == "expired"
    again = client.post(reverse("api-contract-activate", args=[contract_id]))
    assert again.status_code == 409
    assert again.json() == {"detail": "Only a draft contract can be made active."}

    provider = make_provider(alpha[Role.COMMISSIONER], name="Newcross Healthcare Solutions")
    service = make_service(alpha[Role.COMMISSIONER], provider)
    lot = _json(
        client,
        "post",
        reverse("api-contract-lots", args=[contract_id]),
        {"number": 1, "name": "Community", "services": [service.pk]},
    )
    assert lot.status_code == 201, lot.json()
    assert lot.json()["services"] == [service.pk]
    award = _json(
        client,
        "post",
        reverse("api-contract-awards", args=[contract_id]),
        {"lot": lot.json()["id"], "provider": provider.pk, "capacity": "4 overnight beds"},
    )
    assert award.status_code == 201, award.json()
    assert award.json()["provider"] == {"id": provider.pk, "name": provider.name}
    contract = client.get(reverse("api-contract", args=[contract_id])).json()
    assert contract["lots"][0]["awards"][0]["capacity"] == "4 overnight beds"


def test_create_with_bad_input_is_a_400_and_saves_nothing(alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    url = reverse("api-contracts")
    response = _json(client, "post", url, {"reference": "X", "kind": "lease"})
    assert response.status_code == 400
    assert {"kind", "title", "start_date", "end_date"} <= set(response.json())
    backwards = _json(client, "post", url, {**NEW_CONTRACT, "end_date": "2020-01-01"})
    assert backwards.status_code == 400
    assert backwards.json() == {"end_date": ["The end date must be after the start date."]}
    nowhere = _json(client, "post", url, {**NEW_CONTRACT, "participating_councils": ["nowhere"]})
    assert nowhere.status_code == 400
    assert "participating_councils" in nowhere.json()
    negative = _json(client, "post", url, {**NEW_CONTRACT, "total_value": "-1"})
    assert negative.status_code == 400
    assert not Contract.objects.exists()
    _json(client, "post", url, NEW_CONTRACT)
    duplicate = _json(client, "post", url, NEW_CONTRACT)
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "reference": ["The council already has a contract with this reference."]
    }


def test_lot_and_award_with_another_councils_records_are_refused(alpha, bravo, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    contract = make_contract(commissioner)
    theirs = make_provider(bravo[Role.COMMISSIONER])
    their_service = make_service(bravo[Role.COMMISSIONER], theirs)
    client = client_for(commissioner)
    lot = _json(
        client,
        "post",
        reverse("api-contract-lots", args=[contract.pk]),
        {"number": 1, "name": "x", "services": [their_service.pk]},
    )
    assert lot.status_code == 400
    assert lot.json() == {"services": ["Choose the council's own services."]}
    real = lot_create(actor=commissioner, contract=contract, number=1, name="x")
    award = _json(
        client,
        "post",
        reverse("api-contract-awards", args=[contract.pk]),
        {"lot": real.pk, "provider": theirs.pk},
    )
    assert award.status_code == 400
    assert award.json() == {"provider": ["Choose one of the council's providers."]}
    assert not real.awards.exists()


def test_patch_changes_details_but_not_the_end_date_of_an_active_contract(alpha, client_for):
    contract = make_contract(alpha[Role.COMMISSIONER])
    client = client_for(alpha[Role.CONTRACT_MANAGER])
    url = reverse("api-contract", args=[contract.pk])
    response = _json(client, "patch", url, {"title": "Renamed", "recommissioning_started_on": None})
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    moved = _json(client, "patch", url, {"end_date": "2030-03-31"})
    assert moved.status_code == 409
    assert "approved extension" in moved.json()["detail"]
    bad = _json(client, "patch", url, {"kind": "lease", "start_date": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"kind", "start_date"}
    contract.refresh_from_db()
    assert (contract.title, contract.end_date) == ("Renamed", date(2027, 3, 31))


# ----------------------------------------------------------------------------------------------
# Refusals


def test_participant_reads_a_joint_contract_but_cannot_change_it(
    alpha, bravo, two_councils, client_for
):
    joint = make_contract(
        bravo[Role.COMMISSIONER], participating_councils=[two_councils["alpha"]["council"]]
    )
    client = client_for(alpha[Role.COMMISSIONER])
    assert client.get(reverse("api-contract", args=[joint.pk])).status_code == 200
    missing = joint.pk + 10_000
    for name, method, data in (
        ("api-contract", "patch", {"title": "Hijacked"}),
        ("api-contract-activate", "post", {}),
        ("api-contract-lots", "post", {"number": 5, "name": "x"}),
        ("api-contract-awards", "post", {"lot": 1, "provider": 1}),
    ):
        theirs = _json(client, method, reverse(name, args=[joint.pk]), data)
        nothing = _json(client, method, reverse(name, args=[missing]), data)
        assert theirs.status_code == 404, name
        assert theirs.json() == nothing.json(), name
    joint.refresh_from_db()
    assert joint.title == "Overnight short breaks"
    assert not joint.lots.exists()


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_another_councils_contract_is_a_404_like_a_missing_one(alpha, bravo, client_for, role):
    theirs = make_contract(bravo[Role.COMMISSIONER], title=MARKER_B)
    client = client_for(alpha[role])
    other = client.get(reverse("api-contract", args=[theirs.pk]))
    missing = client.get(reverse("api-contract", args=[theirs.pk + 10_000]))
    assert other.status_code == missing.status_code == (404 if role in CONTRACT_READERS else 403)
    assert other.json() == missing.json()
    assert MARKER_B not in other.content.decode()


API = [
    ("list", "get", lambda c: reverse("api-contracts"), None, CONTRACT_READERS, 200),
    ("detail", "get", lambda c: reverse("api-contract", args=[c.pk]), None, CONTRACT_READERS, 200),
    ("create", "post", lambda c: reverse("api-contracts"), NEW_CONTRACT, CONTRACT_MANAGERS, 201),
    (
        "patch",
        "patch",
        lambda c: reverse("api-contract", args=[c.pk]),
        {"title": "New"},
        CONTRACT_MANAGERS,
        200,
    ),
    (
        "activate",
        "post",
        lambda c: reverse("api-contract-activate", args=[c.pk]),
        None,
        CONTRACT_MANAGERS,
        200,
    ),
    (
        "lots",
        "post",
        lambda c: reverse("api-contract-lots", args=[c.pk]),
        {"number": 1, "name": "Lot"},
        CONTRACT_MANAGERS,
        201,
    ),
]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
@pytest.mark.parametrize(
    ("label", "method", "url_for", "data", "allowed", "ok"), API, ids=[a[0] for a in API]
)
def test_api_role_matrix(alpha, client_for, role, label, method, url_for, data, allowed, ok):
    contract = make_contract(alpha[Role.COMMISSIONER], active=False)
    response = _json(client_for(alpha[role]), method, url_for(contract), data)
    assert response.status_code == (ok if role in allowed else 403), (label, role)
    anonymous = _json(Client(), method, url_for(contract), data)
    assert anonymous.status_code == 401


def test_a_social_worker_cannot_create_a_contract(alpha, client_for):
    response = _json(
        client_for(alpha[Role.SOCIAL_WORKER]), "post", reverse("api-contracts"), NEW_CONTRACT
    )
    assert response.status_code == 403
    assert not Contract.objects.exists()


def test_auditor_reads_but_cannot_change(alpha, client_for):
    contract = make_contract(alpha[Role.COMMISSIONER], active=False)
    client = client_for(alpha[Role.AUDITOR])
    assert client.get(reverse("api-contract", args=[contract.pk])).status_code == 200
    assert (
        _json(client, "patch", reverse("api-contract", args=[contract.pk]), {}).status_code == 403
    )
    assert client.post(reverse("api-contract-activate", args=[contract.pk])).status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
