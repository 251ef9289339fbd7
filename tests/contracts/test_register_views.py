"""The contracts register in the browser: list, filters, the contract page, and the forms."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.models import Contract, ContractEvent, ContractStatus, Lot
from contracts.services.extensions import extension_create
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_activate, contract_set_manager, contract_update
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.clock import frozen_today, on_frozen_day  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B, build_two_councils
from tests.dates import date_boxes
from tests.once import built_once, fresh_copy
from tests.roles import ALL_ROLES, CONTRACT_MANAGERS, CONTRACT_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


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


@pytest.fixture
def joint(two_councils, bravo):
    """A contract that bravo leads and alpha takes part in."""
    contract = make_contract(
        bravo[Role.COMMISSIONER],
        reference="JOINT-1",
        title=f"Sub-regional overnight breaks {MARKER_B}",
        participating_councils=[two_councils["alpha"]["council"]],
    )
    provider = make_provider(bravo[Role.COMMISSIONER], name="Bravo Care")
    make_awarded_lot(bravo[Role.COMMISSIONER], contract, provider, rates="£210 a night")
    return contract


def _comparable(response, pk) -> str:
    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


# ----------------------------------------------------------------------------------------------
# The register


def test_register_lists_own_and_joint_contracts_and_nothing_else(
    two_councils, alpha, bravo, joint, client_for
):
    make_contract(alpha[Role.COMMISSIONER], reference="A-1", title="Community short breaks")
    make_contract(bravo[Role.COMMISSIONER], reference="B-ONLY", title=f"Bravo only {MARKER_B}")
    response = client_for(alpha[Role.AUDITOR]).get(reverse("contracts:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "A-1" in body
    assert "Community short breaks" in body
    assert "JOINT-1" in body
    # A joint contract names its lead council; nothing else of bravo's shows.
    assert "Bravo MARKERBRAVO Council (joint contract)" in body
    assert "B-ONLY" not in body
    assert "Bravo only" not in body
    assert "Bravo Care" not in body  # bravo's provider, even in the provider filter


def test_register_filters_by_kind_status_provider_lot_and_end(alpha, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Our Place")
    other = make_provider(commissioner, name="Newcross")
    block = make_contract(
        commissioner, reference="BLOCK-1", kind="block", end_date=date(2026, 3, 31)
    )
    make_awarded_lot(commissioner, block, provider)
    lead = make_contract(
        commissioner, reference="LEAD-1", kind="lead_provider", end_date=date(2028, 3, 31)
    )
    lot_create(actor=commissioner, contract=lead, number=1, name="Community breaks")
    make_awarded_lot(commissioner, lead, other, number=2)
    make_contract(commissioner, reference="DRAFT-1", active=False, kind="sla")
    client = client_for(commissioner)

    def refs(**params):
        body = client.get(reverse("contracts:list"), params).content.decode()
        return {ref for ref in ("BLOCK-1", "LEAD-1", "DRAFT-1") if ref in body}

    assert refs() == {"BLOCK-1", "LEAD-1", "DRAFT-1"}
    assert refs(kind="lead_provider") == {"LEAD-1"}
    assert refs(status="draft") == {"DRAFT-1"}
    assert refs(provider=provider.pk) == {"BLOCK-1"}
    assert refs(lot="community") == {"LEAD-1"}
    assert refs(**date_boxes("ends_before", "1/4/2026")) == {"BLOCK-1"}
    assert refs(search="lead-") == {"LEAD-1"}


def test_register_ends_within_and_nothing_under_way(alpha, client_for, settings):
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    commissioner = alpha[Role.COMMISSIONER]
    today = timezone.localdate()
    soon = make_contract(
        commissioner, reference="SOON", start_date=today, end_date=today + relativedelta(months=2)
    )
    make_contract(
        commissioner, reference="LATER", start_date=today, end_date=today + relativedelta(months=8)
    )
    recommissioned = make_contract(
        commissioner, reference="RECOM", start_date=today, end_date=today + relativedelta(months=5)
    )
    contract_update(actor=commissioner, contract=recommissioned, recommissioning_started_on=today)
    client = client_for(commissioner)

    def refs(**params):
        body = client.get(reverse("contracts:list"), params).content.decode()
        return {ref for ref in ("SOON", "LATER", "RECOM") if ref in body}

    assert refs(ends_within="3") == {"SOON"}
    assert refs(ends_within="6") == {"SOON", "RECOM"}
    assert refs(ends_within="12") == {"SOON", "LATER", "RECOM"}
    assert refs(ends_within="6", nothing_under_way="on") == {"SOON"}
    # A draft extension is under way too.
    extension_create(
        actor=commissioner,
        contract=soon,
        new_end_date=today + relativedelta(months=14),
        added_value=Decimal("1000"),
        rationale="Time to recommission.",
        legal_basis="pcr_modification",
    )
    assert refs(ends_within="12", nothing_under_way="on") == {"LATER"}


def test_register_bad_filters_show_errors_and_still_list(alpha, client_for):
    make_contract(alpha[Role.COMMISSIONER], reference="A-1")
    response = client_for(alpha[Role.COMMISSIONER]).get(
        reverse("contracts:list"),
        {**date_boxes("ends_before", "31/2/2026"), "ends_within": "7", "kind": "x"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "<title>Error: Contracts" in body
    assert "The date the contracts end before must be a real date" in body
    assert "Choose 3, 6 or 12 months." in body
    assert "A-1" in body


def test_register_query_count_is_constant(alpha, client_for, django_assert_num_queries):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner)
    client = client_for(commissioner)
    url = reverse("contracts:list")

    def add(count):
        for _ in range(count):
            contract = make_contract(commissioner)
            make_awarded_lot(commissioner, contract, provider)

    add(2)
    client.get(url)  # warm the session
    with django_assert_num_queries(9) as few:  # 8, and the invitations waiting (commissioner)
        client.get(url)
    add(5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"ends_within": "12", "provider": provider.pk})
    assert response.status_code == 200


# ----------------------------------------------------------------------------------------------
# The contract page


def test_contract_page_shows_everything_and_logs_the_view(alpha, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Aspire Living")
    service = make_service(commissioner, provider, title="Residential overnight breaks")
    contract = make_contract(
        commissioner, reference="WCC-3", title="Residential block", procurement_route="Tender"
    )
    lot = lot_create(
        actor=commissioner,
        contract=contract,
        number=1,
        name="Overnight stays",
        description="Specialised overnight stays.",
        services=[service],
    )
    award_create(
        actor=commissioner,
        lot=lot,
        provider=provider,
        rates="£350 a night",
        capacity="4 overnight beds",
        value=Decimal("480000"),
    )
    contract_set_manager(
        actor=commissioner, contract=contract, manager=alpha[Role.CONTRACT_MANAGER]
    )
    response = client_for(commissioner).get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "WCC-3",
        "Residential block",
        "Block",
        "1 April 2024",
        "31 March 2027",
        "31 March 2029",
        "£250,000.00",
        "£750,000.00",
        "Tender",
        alpha[Role.CONTRACT_MANAGER].get_full_name(),
        "Lot 1: Overnight stays",
        "Specialised overnight stays.",
        "Residential overnight breaks",
        "Aspire Living",
        "£350 a night",
        "4 overnight beds",
        "£480,000.00",
        "Contract recorded.",
        "Lot 1: Overnight stays awarded to Aspire Living.",
        'id="extensions"',
        "Change the contract details",
        "Add a lot",
    ):
        assert text in body, text
    assert body.count("<h1") == 1
    assert AccessLogEntry.objects.filter(
        object_type="contracts.contract", object_id=str(contract.pk), action="view"
    ).exists()


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS - CONTRACT_MANAGERS))
def test_readers_see_no_change_buttons(alpha, client_for, role):
    contract = make_contract(alpha[Role.COMMISSIONER])
    body = client_for(alpha[role]).get(reverse("contracts:detail", args=[contract.pk]))
    assert body.status_code == 200
    text = body.content.decode()
    assert "Change the contract details" not in text
    assert reverse("contracts:terminate", args=[contract.pk]) not in text
    assert reverse("contracts:manager", args=[contract.pk]) not in text


def test_participant_reads_a_joint_contract_but_cannot_change_it(alpha, bravo, joint, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    page = client.get(reverse("contracts:detail", args=[joint.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "This is a joint contract led by Bravo MARKERBRAVO Council" in body
    assert "£210 a night" in body
    assert MARKER_A in body  # alpha is listed among the participants
    assert "Change the contract details" not in body
    assert "Add a lot" not in body
    missing = joint.pk + 10_000
    for name, data in (
        ("contracts:edit", {"reference": "HIJACK", "title": "x"}),
        ("contracts:terminate", {**date_boxes("on", "1/1/2026"), "reason": "x"}),
        ("contracts:activate", {}),
        ("contracts:lot-create", {"number": 9, "name": "x"}),
        ("contracts:award-create", {}),
        ("contracts:manager", {"manager": "none"}),
        ("contracts:recommissioning", {**date_boxes("started_on", "1/1/2026")}),
    ):
        theirs = client.post(reverse(name, args=[joint.pk]), data)
        nothing = client.post(reverse(name, args=[missing]), data)
        assert theirs.status_code == 404, name
        assert _comparable(theirs, joint.pk) == _comparable(nothing, missing), name
        assert client.get(reverse(name, args=[joint.pk])).status_code == 404, name
    joint.refresh_from_db()
    assert joint.reference == "JOINT-1"
    assert joint.status == ContractStatus.ACTIVE
    assert joint.recommissioning_started_on is None


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_another_councils_contract_is_not_found_like_a_missing_one(alpha, bravo, client_for, role):
    theirs = make_contract(bravo[Role.COMMISSIONER], title=f"Theirs {MARKER_B}")
    client = client_for(alpha[role])
    other = client.get(reverse("contracts:detail", args=[theirs.pk]))
    missing = client.get(reverse("contracts:detail", args=[theirs.pk + 10_000]))
    assert other.status_code == missing.status_code
    assert MARKER_B not in other.content.decode()
    if role not in CONTRACT_READERS:
        assert other.status_code == 403
    else:
        assert other.status_code == 404
        assert _comparable(other, theirs.pk) == _comparable(missing, theirs.pk + 10_000)


# ----------------------------------------------------------------------------------------------
# Role matrix


PAGES = [
    ("list", lambda c: reverse("contracts:list"), CONTRACT_READERS),
    ("detail", lambda c: reverse("contracts:detail", args=[c.pk]), CONTRACT_READERS),
    ("create", lambda c: reverse("contracts:create"), CONTRACT_MANAGERS),
    ("edit", lambda c: reverse("contracts:edit", args=[c.pk]), CONTRACT_MANAGERS),
    ("activate", lambda c: reverse("contracts:activate", args=[c.pk]), CONTRACT_MANAGERS),
    ("terminate", lambda c: reverse("contracts:terminate", args=[c.pk]), CONTRACT_MANAGERS),
    ("lot", lambda c: reverse("contracts:lot-create", args=[c.pk]), CONTRACT_MANAGERS),
    ("award", lambda c: reverse("contracts:award-create", args=[c.pk]), CONTRACT_MANAGERS),
    ("manager", lambda c: reverse("contracts:manager", args=[c.pk]), CONTRACT_MANAGERS),
    (
        "recommissioning",
        lambda c: reverse("contracts:recommissioning", args=[c.pk]),
        CONTRACT_MANAGERS,
    ),
]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
@pytest.mark.parametrize(("label", "url_for", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_role_matrix(alpha, client_for, role, label, url_for, allowed):
    contract = make_contract(alpha[Role.COMMISSIONER], active=False)
    response = client_for(alpha[role]).get(url_for(contract))
    assert response.status_code == (200 if role in allowed else 403), (label, role)
    if response.status_code == 200:
        assert response.content.decode().count("<h1") == 1


def test_a_social_worker_cannot_create_a_contract(alpha, client_for):
    response = client_for(alpha[Role.SOCIAL_WORKER]).post(
        reverse("contracts:create"),
        {
            "reference": "SW-1",
            "title": "Not mine to make",
            "kind": "block",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "31/3/2026"),
        },
    )
    assert response.status_code == 403
    assert not Contract.objects.filter(reference="SW-1").exists()


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


# ----------------------------------------------------------------------------------------------
# Creating and changing


def test_commissioner_records_a_joint_contract_then_activates_it(two_councils, alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    form = client.get(reverse("contracts:create")).content.decode()
    assert "Bravo MARKERBRAVO Council" in form  # other councils may take part
    assert 'value="alpha"' not in form  # not its own council
    response = client.post(
        reverse("contracts:create"),
        {
            "reference": "SC-2025-01",
            "title": "Specialised overnight stays",
            "kind": "framework",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "31/3/2026"),
            **date_boxes("max_extent_date", "31/3/2028"),
            "annual_value": "1930000",
            "total_value": "1930000.00",
            "participating_councils": ["bravo"],
        },
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Contract SC-2025-01 recorded." in body
    contract = Contract.objects.get(reference="SC-2025-01")
    assert contract.council == two_councils["alpha"]["council"]
    assert contract.status == ContractStatus.DRAFT
    assert list(contract.participations.values_list("council__slug", "status")) == [
        ("bravo", "invited")
    ]
    assert contract.total_value == Decimal("1930000.00")
    assert "£1,930,000.00" in body
    response = client.post(reverse("contracts:activate", args=[contract.pk]), follow=True)
    assert "Contract SC-2025-01 is now active." in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    # Activating again is refused with the reason, and nothing changes.
    again = client.post(reverse("contracts:activate", args=[contract.pk]))
    assert again.status_code == 200
    assert "Only a draft contract can be made active." in again.content.decode()
    assert "There is a problem" in again.content.decode()


def test_create_with_bad_input_shows_errors_and_saves_nothing(alpha, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    make_contract(alpha[Role.COMMISSIONER], reference="TAKEN")
    response = client.post(
        reverse("contracts:create"),
        {
            "reference": "",
            "title": "x",
            "kind": "nonsense",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "not/a/date"),
            "annual_value": "-5",
            "participating_councils": ["nowhere"],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record a contract" in body
    assert "Enter the contract reference." in body
    assert "The end date must be a real date" in body
    assert "The annual value (optional) cannot be negative." in body
    assert "Choose councils from the list." in body
    # The service's own checks reach the form too.
    response = client.post(
        reverse("contracts:create"),
        {
            "reference": "TAKEN",
            "title": "x",
            "kind": "block",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "31/3/2025"),
        },
    )
    body = response.content.decode()
    assert "The council already has a contract with this reference." in body
    assert Contract.objects.count() == 1


def test_edit_a_draft_then_active_contract(alpha, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    contract = make_contract(commissioner, reference="ED-1", active=False)
    client = client_for(commissioner)
    data = {
        "reference": "ED-1",
        "title": "Renamed breaks",
        "kind": "sla",
        **date_boxes("start_date", "1/4/2024"),
        **date_boxes("end_date", "31/3/2028"),
        **date_boxes("max_extent_date", "31/3/2029"),
        "annual_value": "250000",
        "total_value": "1000000",
    }
    response = client.post(reverse("contracts:edit", args=[contract.pk]), data, follow=True)
    assert "Contract details saved." in response.content.decode()
    contract.refresh_from_db()
    assert (contract.title, contract.kind, contract.end_date) == (
        "Renamed breaks",
        "sla",
        date(2028, 3, 31),
    )
    contract_activate(actor=commissioner, contract=contract)
    # Once active the end date cannot be moved here: the field is fixed.
    page = client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    assert "only through an approved extension" in page
    client.post(
        reverse("contracts:edit", args=[contract.pk]),
        {**data, "title": "Again", **date_boxes("end_date", "31/3/2035"), "total_value": "9"},
    )
    contract.refresh_from_db()
    assert contract.title == "Again"
    assert contract.end_date == date(2028, 3, 31)
    assert contract.total_value == Decimal("1000000.00")


def test_terminate_needs_a_reason_then_ends_the_contract(alpha, client_for):
    contract = make_contract(alpha[Role.COMMISSIONER])
    client = client_for(alpha[Role.CONTRACT_MANAGER])
    url = reverse("contracts:terminate", args=[contract.pk])
    bad = client.post(url, {**date_boxes("on", "1/9/2025"), "reason": ""})
    assert "Enter the reason for terminating the contract." in bad.content.decode()
    done = client.post(
        url, {**date_boxes("on", "1/9/2025"), "reason": "Provider exited."}, follow=True
    )
    assert "terminated." in done.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert ContractEvent.objects.filter(
        contract=contract, kind="status", params__reason="Provider exited."
    ).exists()
    again = client.post(url, {**date_boxes("on", "2/9/2025"), "reason": "Twice."})
    assert "Only an active or extended contract can be terminated." in again.content.decode()


def test_add_lots_and_awards(alpha, bravo, client_for):
    commissioner = alpha[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Crossroads Care")
    service = make_service(commissioner, provider, title="Day-time buddying")
    theirs = make_service(
        bravo[Role.COMMISSIONER], make_provider(bravo[Role.COMMISSIONER]), title=MARKER_B
    )
    contract = make_contract(commissioner)
    client = client_for(commissioner)
    form = client.get(reverse("contracts:lot-create", args=[contract.pk])).content.decode()
    assert "Day-time buddying (Crossroads Care)" in form
    assert MARKER_B not in form
    url = reverse("contracts:lot-create", args=[contract.pk])
    refused = client.post(url, {"number": 1, "name": "x", "services": [theirs.pk]})
    assert "Choose services from the list." in refused.content.decode()
    response = client.post(
        url,
        {"number": 1, "name": "Community short breaks", "services": [service.pk]},
        follow=True,
    )
    assert "Lot 1: Community short breaks added." in response.content.decode()
    duplicate = client.post(url, {"number": 1, "name": "Again"})
    assert "The contract already has a lot 1." in duplicate.content.decode()
    lot = Lot.objects.get(contract=contract)
    assert list(lot.services.all()) == [service]
    award_url = reverse("contracts:award-create", args=[contract.pk])
    response = client.post(
        award_url,
        {
            "lot": lot.pk,
            "provider": provider.pk,
            "rates": "£28.50 an hour",
            "capacity": "4 overnight beds",
            "value": "120000",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Award added." in body
    assert "4 overnight beds" in body
    award = lot.awards.get()
    assert (award.provider, award.value) == (provider, Decimal("120000.00"))
    bad = client.post(award_url, {"lot": lot.pk, "provider": 999999, "value": "lots"})
    body = bad.content.decode()
    assert "Choose one of the council&#x27;s providers." in body
    assert "Enter the value (optional) as an amount in pounds" in body


def test_contract_manager_is_chosen_from_the_councils_contract_managers(
    alpha, bravo, client_for, make_person, two_councils
):
    commissioner = alpha[Role.COMMISSIONER]
    contract = make_contract(commissioner)
    manager = alpha[Role.CONTRACT_MANAGER]
    client = client_for(commissioner)
    url = reverse("contracts:manager", args=[contract.pk])
    page = client.get(url).content.decode()
    assert escape(manager.get_full_name()) in page
    assert alpha[Role.SOCIAL_WORKER].get_full_name() not in page
    assert bravo[Role.CONTRACT_MANAGER].get_full_name() not in page
    refused = client.post(url, {"manager": bravo[Role.CONTRACT_MANAGER].pk})
    assert "Choose one of the council&#x27;s contract managers." in refused.content.decode()
    response = client.post(url, {"manager": manager.pk}, follow=True)
    assert "Contract manager saved." in response.content.decode()
    contract.refresh_from_db()
    assert contract.contract_manager == manager
    assert manager.has_perm("contracts.change_contract", contract)
    client.post(url, {"manager": "none"})
    contract.refresh_from_db()
    assert contract.contract_manager is None


def test_recording_recommissioning(alpha, client_for):
    contract = make_contract(alpha[Role.COMMISSIONER])
    client = client_for(alpha[Role.CONTRACT_MANAGER])
    url = reverse("contracts:recommissioning", args=[contract.pk])
    bad = client.post(url, {**date_boxes("started_on", "32/1/2025")})
    assert "The date recommissioning started must be a real date" in bad.content.decode()
    client.post(url, {**date_boxes("started_on", "3/2/2025")})
    contract.refresh_from_db()
    assert contract.recommissioning_started_on == date(2025, 2, 3)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "3 February 2025" in page
