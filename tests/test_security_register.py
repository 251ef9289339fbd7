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

from contracts.services.dps import dps_create, dps_membership_apply
from contracts.services.extensions import extension_create
from contracts.services.monitoring import monitoring_record_create
from shortbreaks.councils.models import STAFF_ROLES, Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B, build_two_councils
from tests.once import built_once, fresh_copy
from tests.roles import (
    CONTRACT_MANAGERS,
    CONTRACT_READERS,
    EXTENSION_DECIDERS,
    SPEND_EDITORS,
    SPEND_READERS,
    STAFF,
)


def build_world() -> dict:
    """two_councils, plus a provider, service, DPS, membership, contract and extension in each."""
    two_councils = build_two_councils()
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        records = two_councils[slug]
        actor = records["people"][Role.COMMISSIONER]
        provider = make_provider(actor, name=f"Provider {marker}")
        service = make_service(actor, provider, title=f"Service {marker}")
        dps = dps_create(actor=actor, title=f"DPS {marker}", start_date=date(2024, 4, 1))
        membership = dps_membership_apply(
            actor=actor, dps=dps, provider=provider, on=date(2024, 5, 1)
        )
        contract = make_contract(actor, title=f"Contract {marker}")
        make_awarded_lot(actor, contract, provider)
        extension = extension_create(
            actor=actor,
            contract=contract,
            new_end_date=date(2028, 3, 31),
            added_value=Decimal("100000"),
            rationale=f"Time to recommission {marker}",
            legal_basis="pcr_modification",
        )
        monitoring = monitoring_record_create(
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


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_world)


@pytest.fixture
def world(db, _world_built):
    """Built once for this module (its matrices run hundreds of cases); each test rolls back its
    own writes and gets its own copy of the objects."""
    return fresh_copy(_world_built)


# (url name, the record keys whose ids the URL takes, roles that may use it)
OBJECT_URLS = [
    ("providers:detail", ["provider"], STAFF),
    ("providers:edit", ["provider"], CONTRACT_MANAGERS),
    ("providers:status", ["provider"], CONTRACT_MANAGERS),
    ("providers:registration-create", ["provider"], CONTRACT_MANAGERS),
    ("providers:service-create", ["provider"], CONTRACT_MANAGERS),
    ("providers:service", ["service"], STAFF),
    ("providers:service-edit", ["service"], CONTRACT_MANAGERS),
    ("api-provider", ["provider"], STAFF),
    ("api-provider-services", ["provider"], STAFF),
    ("api-service", ["service"], STAFF),
    ("contracts:dps-detail", ["dps"], CONTRACT_READERS),
    ("contracts:dps-apply", ["dps"], CONTRACT_MANAGERS),
    ("contracts:dps-membership", ["dps", "membership"], CONTRACT_READERS),
    ("api-dps", ["dps"], CONTRACT_READERS),
    ("api-dps-memberships", ["dps"], CONTRACT_READERS),
    ("api-dps-membership", ["dps", "membership"], CONTRACT_READERS),
    ("contracts:detail", ["contract"], CONTRACT_READERS),
    ("contracts:edit", ["contract"], CONTRACT_MANAGERS),
    ("contracts:terminate", ["contract"], CONTRACT_MANAGERS),
    ("contracts:manager", ["contract"], CONTRACT_MANAGERS),
    ("contracts:lot-create", ["contract"], CONTRACT_MANAGERS),
    ("contracts:award-create", ["contract"], CONTRACT_MANAGERS),
    ("api-contract", ["contract"], CONTRACT_READERS),
    ("contracts:extension-list", ["contract"], CONTRACT_READERS),
    ("contracts:extension-create", ["contract"], CONTRACT_MANAGERS),
    ("contracts:extension", ["extension"], CONTRACT_READERS),
    ("contracts:extension-approval", ["extension"], CONTRACT_MANAGERS),
    ("contracts:extension-decide", ["extension"], EXTENSION_DECIDERS),
    ("api-contract-extensions", ["contract"], CONTRACT_READERS),
    ("api-extension", ["extension"], CONTRACT_READERS),
    ("api-extension-approvals", ["extension"], CONTRACT_READERS),
    ("contracts:monitoring-create", ["contract"], CONTRACT_MANAGERS),
    ("contracts:monitoring", ["contract", "monitoring"], CONTRACT_READERS),
    ("api-contract-monitoring", ["contract"], CONTRACT_READERS),
    ("contracts:contract-spend-edit", ["contract"], SPEND_EDITORS),
    ("contracts:document-upload", ["contract"], CONTRACT_MANAGERS),
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
    ("providers:list", STAFF),
    ("providers:services", STAFF),
    ("providers:create", CONTRACT_MANAGERS),
    ("api-providers", STAFF),
    ("api-services", STAFF),
    ("contracts:dps-list", CONTRACT_READERS),
    ("contracts:dps-create", CONTRACT_MANAGERS),
    ("api-dps-list", CONTRACT_READERS),
    ("contracts:list", CONTRACT_READERS),
    ("contracts:create", CONTRACT_MANAGERS),
    ("api-contracts", CONTRACT_READERS),
    ("api-contracts-ocds", CONTRACT_READERS),
    ("contracts:invitations", {Role.COMMISSIONER}),
    ("api-contract-invitations", {Role.COMMISSIONER}),
    ("contracts:spend", SPEND_READERS),
    ("contracts:spend-edit", SPEND_EDITORS),
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
