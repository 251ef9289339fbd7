"""Tenancy and the role matrix for the providers and contracts registers, page and API alike.

Each council gets one of everything, named with its marker. A person of one council gets the same
404 for the other council's record as for a missing one, on every page and endpoint that takes an
id; a role without the permission gets 403 first; lists hold nothing of the other council.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services as contract_services
from shortbreaks.councils.models import STAFF_ROLES, Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B

EVERYONE = STAFF_ROLES  # provider staff are refused every staff page
CONTRACT_READERS = EVERYONE - {Role.SOCIAL_WORKER}
MANAGERS = frozenset({Role.COMMISSIONER, Role.CONTRACT_MANAGER})
DECIDERS = frozenset({Role.COMMISSIONER})
SPEND_READERS = frozenset(
    {Role.COMMISSIONER, Role.CONTRACT_MANAGER, Role.FINANCE_OFFICER, Role.AUDITOR}
)
FINANCE = frozenset({Role.FINANCE_OFFICER})


@pytest.fixture
def world(two_councils):
    """two_councils, plus a provider, service, DPS, membership, contract and extension in each."""
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        records = two_councils[slug]
        actor = records["people"][Role.COMMISSIONER]
        provider = make_provider(actor, name=f"Provider {marker}")
        service = make_service(actor, provider, title=f"Service {marker}")
        dps = contract_services.dps_create(
            actor=actor, title=f"DPS {marker}", start_date=date(2024, 4, 1)
        )
        membership = contract_services.dps_membership_apply(
            actor=actor, dps=dps, provider=provider, on=date(2024, 5, 1)
        )
        contract = make_contract(actor, title=f"Contract {marker}")
        make_awarded_lot(actor, contract, provider)
        extension = contract_services.extension_create(
            actor=actor,
            contract=contract,
            new_end_date=date(2028, 3, 31),
            added_value=Decimal("100000"),
            rationale=f"Time to recommission {marker}",
            legal_basis="pcr_modification",
        )
        monitoring = contract_services.monitoring_record_create(
            actor=actor,
            contract=contract,
            kind="kpi_return",
            held_on=date(2025, 1, 31),
            summary=f"KPI return {marker}",
        )
        records.update(
            monitoring=monitoring,
            provider=provider,
            service=service,
            dps=dps,
            membership=membership,
            contract=contract,
            extension=extension,
        )
    return two_councils


# (url name, the record keys whose ids the URL takes, roles that may use it)
OBJECT_URLS = [
    ("providers:detail", ["provider"], EVERYONE),
    ("providers:edit", ["provider"], MANAGERS),
    ("providers:status", ["provider"], MANAGERS),
    ("providers:registration-create", ["provider"], MANAGERS),
    ("providers:service-create", ["provider"], MANAGERS),
    ("providers:service", ["service"], EVERYONE),
    ("providers:service-edit", ["service"], MANAGERS),
    ("api-provider", ["provider"], EVERYONE),
    ("api-provider-services", ["provider"], EVERYONE),
    ("api-service", ["service"], EVERYONE),
    ("contracts:dps-detail", ["dps"], CONTRACT_READERS),
    ("contracts:dps-apply", ["dps"], MANAGERS),
    ("contracts:dps-membership", ["dps", "membership"], CONTRACT_READERS),
    ("api-dps", ["dps"], CONTRACT_READERS),
    ("api-dps-memberships", ["dps"], CONTRACT_READERS),
    ("api-dps-membership", ["dps", "membership"], CONTRACT_READERS),
    ("contracts:detail", ["contract"], CONTRACT_READERS),
    ("contracts:edit", ["contract"], MANAGERS),
    ("contracts:terminate", ["contract"], MANAGERS),
    ("contracts:manager", ["contract"], MANAGERS),
    ("contracts:lot-create", ["contract"], MANAGERS),
    ("contracts:award-create", ["contract"], MANAGERS),
    ("api-contract", ["contract"], CONTRACT_READERS),
    ("contracts:extension-list", ["contract"], CONTRACT_READERS),
    ("contracts:extension-create", ["contract"], MANAGERS),
    ("contracts:extension", ["extension"], CONTRACT_READERS),
    ("contracts:extension-approval", ["extension"], MANAGERS),
    ("contracts:extension-decide", ["extension"], DECIDERS),
    ("api-contract-extensions", ["contract"], CONTRACT_READERS),
    ("api-extension", ["extension"], CONTRACT_READERS),
    ("api-extension-approvals", ["extension"], CONTRACT_READERS),
    ("contracts:monitoring-create", ["contract"], MANAGERS),
    ("contracts:monitoring", ["contract", "monitoring"], CONTRACT_READERS),
    ("api-contract-monitoring", ["contract"], CONTRACT_READERS),
    ("contracts:contract-spend-edit", ["contract"], FINANCE),
    ("contracts:document-upload", ["contract"], MANAGERS),
    ("api-contract-documents", ["contract"], CONTRACT_READERS),
]


def _comparable(response, ids) -> str:
    body = response.content.decode()
    for pk in ids:
        body = body.replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(
    ("url_name", "keys", "allowed"), OBJECT_URLS, ids=[u[0] for u in OBJECT_URLS]
)
def test_another_councils_record_is_not_found(world, client_for, role, url_name, keys, allowed):
    client = client_for(world["alpha"]["people"][role])
    theirs = [world["bravo"][key].pk for key in keys]
    missing = [pk + 10_000 for pk in theirs]
    other = client.get(reverse(url_name, args=theirs))
    absent = client.get(reverse(url_name, args=missing))
    assert MARKER_B not in other.content.decode()
    expected = 404 if role in allowed else 403
    assert (other.status_code, absent.status_code) == (expected, expected), url_name
    assert _comparable(other, theirs) == _comparable(absent, missing)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(
    ("url_name", "keys", "allowed"), OBJECT_URLS, ids=[u[0] for u in OBJECT_URLS]
)
def test_own_record_opens_for_the_roles_allowed(world, client_for, role, url_name, keys, allowed):
    client = client_for(world["alpha"]["people"][role])
    ours = [world["alpha"][key].pk for key in keys]
    response = client.get(reverse(url_name, args=ours))
    assert response.status_code == (200 if role in allowed else 403), url_name


LIST_URLS = [
    ("providers:list", EVERYONE),
    ("providers:services", EVERYONE),
    ("providers:create", MANAGERS),
    ("api-providers", EVERYONE),
    ("api-services", EVERYONE),
    ("contracts:dps-list", CONTRACT_READERS),
    ("contracts:dps-create", MANAGERS),
    ("api-dps-list", CONTRACT_READERS),
    ("contracts:list", CONTRACT_READERS),
    ("contracts:create", MANAGERS),
    ("api-contracts", CONTRACT_READERS),
    ("api-contracts-ocds", CONTRACT_READERS),
    ("contracts:invitations", {Role.COMMISSIONER}),
    ("api-contract-invitations", {Role.COMMISSIONER}),
    ("contracts:spend", SPEND_READERS),
    ("contracts:spend-edit", FINANCE),
    ("api-spend", SPEND_READERS),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("url_name", "allowed"), LIST_URLS, ids=[u[0] for u in LIST_URLS])
def test_list_role_matrix_and_nothing_of_another_council(
    world, client_for, role, url_name, allowed
):
    response = client_for(world["alpha"]["people"][role]).get(reverse(url_name))
    assert response.status_code == (200 if role in allowed else 403), url_name
    body = response.content.decode()
    if url_name == "contracts:create":
        # A joint contract names its participating councils: the form lists every council by
        # name (public knowledge), and nothing else of theirs.
        body = body.replace(world["bravo"]["council"].name, "")
    assert MARKER_B not in body


@pytest.mark.parametrize(
    "url_name", ["providers:list", "providers:services", "contracts:list", "contracts:dps-list"]
)
def test_lists_show_the_councils_own_records(world, client_for, url_name):
    response = client_for(world["alpha"]["people"][Role.COMMISSIONER]).get(reverse(url_name))
    assert MARKER_A in response.content.decode()


def test_home_page_navigation_links_only_what_the_role_may_open(world, client_for):
    for role in sorted(STAFF_ROLES):
        client = client_for(world["alpha"]["people"][role])
        html = client.get(reverse("home")).content.decode()
        links = set(re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', html))
        assert links, role
        for link in links:
            assert client.get(link).status_code == 200, (role, link)
