"""Provider staff pass no staff check: a walk of the whole URLconf, every page and every API
endpoint, signed in as provider staff with an active account, answers 403 or 404 everywhere but
their own pages and the few shared ones named here."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from contracts.services.kpi import kpi_return_request
from providers import services as provider_services
from shortbreaks.urls import PUBLIC_URL_NAMES
from tests.builders import make_provider, make_service
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import commissioned, make_child, make_package

pytestmark = pytest.mark.usefixtures("frozen_today")

# Routes provider staff may use besides their own (`provider:*`, `api-portal*`): the home page
# sends them to theirs and they sign out; brokerage lets them read and answer the requests sent
# to their provider, bookings' API lets them read the bookings made with it, and outcome surveys
# show them what families said of their services (each app checks the provider itself).
PROVIDER_ROUTES = {
    "home",
    "sign-out",
    "api-token",
    "brokerage:list",
    "brokerage:detail",
    "brokerage:answer",
    "api-brokerage-requests",
    "api-brokerage-request",
    "api-brokerage-request-responses",
    "api-bookings",
    "api-booking",
    "bookings:provider-bookings",
    "outcomes:provider-reports",
    "outcomes:provider-report",
}

CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns=None, prefix="", namespace=""):
    """(qualified name, path template) of every named route."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or not isinstance(entry.pattern, RoutePattern):
                continue  # the Django admin: platform administrators only, its own sign-in
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner.lstrip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            assert isinstance(entry.pattern, RoutePattern), entry  # a regex would be skipped
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def _own(name: str) -> bool:
    return name.startswith(("provider:", "api-portal")) or name in PROVIDER_ROUTES


@pytest.fixture
def provider_staff(two_councils, make_person):
    alpha = two_councils["alpha"]
    people = alpha["people"]
    commissioner = people["commissioner"]
    offer = commissioned(commissioner, "WALK")
    child = make_child(people["social_worker"], first_name="Walker")
    make_package(people["social_worker"], people["team_manager"], child, offer)
    other = make_provider(commissioner, name="Someone else")
    make_service(commissioner, other)
    staff = make_person(alpha["council"])
    provider_services.provider_account_open(user=staff, provider=offer["provider"])
    staff.refresh_from_db()
    kpi = kpi_return_request(
        actor=people["contract_manager"],
        contract=offer["contract"],
        provider=offer["provider"],
        period="Quarter 1 2026/27",
        due_on=date(2026, 7, 15),
    )
    # Ids of their own council's records, so a refusal is a refusal and not a missing record.
    ids = {
        "contract_id": offer["contract"].pk,
        "provider_id": offer["provider"].pk,
        "service_id": offer["service"].pk,
        "child_id": child.pk,
        "team_id": alpha["team"].pk,
        "record_id": kpi.pk,
    }
    return staff, ids


def _url(template: str, ids: dict) -> str:
    def value(match):
        kind, name = match.group("kind") or "str", match.group("name")
        if kind == "int":
            return str(ids.get(name, 1))
        if kind == "uuid":
            return "00000000-0000-0000-0000-000000000001"
        return "alpha"

    return "/" + CONVERTER.sub(value, template)


def test_every_staff_page_and_endpoint_refuses_provider_staff(provider_staff):
    staff, ids = provider_staff
    pages = Client()
    pages.force_login(staff)
    api = APIClient()
    api.force_authenticate(staff)
    answered = {}
    for name, template in _routes():
        if name in PUBLIC_URL_NAMES or _own(name):
            continue
        url = _url(template, ids)
        if url.startswith(f"/{settings.ADMIN_URL}"):
            continue
        client = api if url.startswith("/api/") else pages
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        answered[name] = response.status_code
    assert len(answered) > 150  # the walk reached the whole URLconf
    let_in = {name: code for name, code in answered.items() if code not in (403, 404)}
    assert let_in == {}


def test_their_own_pages_open(provider_staff):
    staff, ids = provider_staff
    pages = Client()
    pages.force_login(staff)
    for name, template in _routes():
        if not name.startswith("provider:"):
            continue
        response = pages.get(_url(template, ids))
        assert response.status_code == 200, name
