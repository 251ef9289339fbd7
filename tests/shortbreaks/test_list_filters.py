"""Each big list's filters are declared once, as a `shortbreaks.filters.ListFilterSet`, and used
by both its page and its API: the same filter keeps the same rows on both, an id of another
council's record narrows to nothing, and a value that is not valid is the page's error summary
and the API's 400 with the field's errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend

from bookings.api import BookingListApi
from bookings.filters import BookingFilter
from bookings.models import BookingStatus
from brokerage.api import BrokerageRequestListApi
from brokerage.filters import RequestFilter
from contracts.api.register import ContractListApi
from contracts.filters import ContractFilter
from contracts.models import ContractKind
from providers.api import ProviderListApi, ServiceListApi
from providers.filters import ProviderFilter, ServiceFilter
from providers.models import ProviderStatus
from providers.services import provider_set_status
from referrals.api.children import ChildListApi
from referrals.api.grants import GrantApplicationListApi
from referrals.api.referrals import ReferralListApi
from referrals.filters import (
    LONG_WAIT_DAYS,
    ChildFilter,
    GrantApplicationFilter,
    ReferralFilter,
)
from shortbreaks.accesslog.api import AccessLogListApi
from shortbreaks.accesslog.filters import AccessLogFilter
from shortbreaks.councils.models import Role
from shortbreaks.filter_forms import FilterForm
from shortbreaks.filters import ListFilterSet
from tests.bookings.builders import book, booking_world
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.referrals.builders import make_child, make_referral, screened_referral

pytestmark = pytest.mark.usefixtures("frozen_today")


@dataclass(frozen=True)
class Listed:
    page: str  # the page's URL name
    api: str  # the API's URL name
    api_view: type
    filterset: type[ListFilterSet]
    rows: str  # the page's context entry holding the rows shown
    choice: str = "status"  # a parameter with choices


# Every big list whose filters are declared once. A list added here is checked below.
LISTS = {
    "children": Listed(
        "referrals:children", "api-children", ChildListApi, ChildFilter, "children", "tier"
    ),
    "contracts": Listed(
        "contracts:list", "api-contracts", ContractListApi, ContractFilter, "contracts", "kind"
    ),
    "referrals": Listed(
        "referrals:referral-list", "api-referrals", ReferralListApi, ReferralFilter, "referrals"
    ),
    "grants": Listed(
        "referrals:grants",
        "api-grant-applications",
        GrantApplicationListApi,
        GrantApplicationFilter,
        "waiting",
    ),
    "providers": Listed("providers:list", "api-providers", ProviderListApi, ProviderFilter, "page"),
    "services": Listed(
        "providers:services", "api-services", ServiceListApi, ServiceFilter, "page", "tier"
    ),
    "bookings": Listed("bookings:list", "api-bookings", BookingListApi, BookingFilter, "bookings"),
    "brokerage": Listed(
        "brokerage:list", "api-brokerage-requests", BrokerageRequestListApi, RequestFilter, "rows"
    ),
    "access log": Listed(
        "accesslog:list", "api-access-log", AccessLogListApi, AccessLogFilter, "entries", "action"
    ),
}


def _page_ids(client, listed: Listed, params: dict) -> list[int]:
    response = client.get(reverse(listed.page), params)
    assert response.status_code == 200, response.status_code
    assert isinstance(response.context["filter"], listed.filterset)
    return [row.pk for row in response.context[listed.rows]]


def _api_ids(client, listed: Listed, params: dict) -> list[int]:
    response = client.get(reverse(listed.api), params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def assert_same_rows(client, listed: Listed, params: dict, expected: list) -> None:
    """The page and the API keep exactly `expected` (as sets: each list has its own order)."""
    wanted = {row.pk for row in expected}
    assert set(_page_ids(client, listed, params)) == wanted
    assert set(_api_ids(client, listed, params)) == wanted


# ----------------------------------------------------------------------------------------------
# The registry: no list filters by hand


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_api_filters_through_its_filterset(name):
    listed = LISTS[name]
    view = listed.api_view()
    assert view.filterset_class is listed.filterset
    assert DjangoFilterBackend in view.filter_backends
    assert issubclass(listed.filterset, ListFilterSet)
    assert issubclass(listed.filterset._meta.form, FilterForm)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_page_filters_through_its_filterset(name, two_councils, client_for):
    listed = LISTS[name]
    client = client_for(two_councils["alpha"]["people"][Role.TEAM_MANAGER])
    response = client.get(reverse(listed.page), {listed.choice: "nothing-like-it"})
    assert response.status_code == 200
    filterset = response.context["filter"]
    assert type(filterset) is listed.filterset
    assert response.context["form"] is filterset.form  # the panel is the filter's own form


def test_the_filter_form_keeps_the_pages_fields_and_ids():
    form = ReferralFilter(None).form
    assert isinstance(form, FilterForm)
    assert form["status"].auto_id == "status"
    assert str(form.fields["status"].choices[0][1]) == "Any status"
    assert form.fields["child"].widget.is_hidden  # the API's, kept by the page, not in the panel


# ----------------------------------------------------------------------------------------------
# The same rows on the page and the API


def test_referrals_same_rows_and_another_councils_child_is_nothing(two_councils, client_for):
    sw = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    waiting = make_referral(sw, make_child(sw, last_name="Waiting"))
    screened = screened_referral(sw, make_child(sw, last_name="Screened"))
    bravo_sw = two_councils["bravo"]["people"][Role.SOCIAL_WORKER]
    other = make_referral(bravo_sw, make_child(bravo_sw, last_name="Other"))
    client, listed = client_for(sw), LISTS["referrals"]
    assert_same_rows(client, listed, {"status": "received"}, [waiting])
    assert_same_rows(client, listed, {}, [waiting, screened])
    assert_same_rows(client, listed, {"child": screened.child_id}, [screened])
    assert_same_rows(client, listed, {"child": other.child_id}, [])


def test_children_same_rows_by_tier(two_councils, client_for):
    from referrals.models import ChildTier
    from referrals.services.children import child_tier_change

    alpha = two_councils["alpha"]
    sw, tm = alpha["people"][Role.SOCIAL_WORKER], alpha["people"][Role.TEAM_MANAGER]
    targeted = make_child(sw, first_name="Ellis", last_name="Rivers")
    plain = make_child(sw, first_name="Noor", last_name="Rivers")
    child_tier_change(
        actor=tm, child=targeted, to_tier=ChildTier.TARGETED, on=FROZEN_TODAY, reason="Grant."
    )
    make_child(two_councils["bravo"]["people"][Role.SOCIAL_WORKER], last_name="Rivers")
    client, listed = client_for(sw), LISTS["children"]
    assert_same_rows(client, listed, {"tier": "targeted"}, [targeted])
    assert_same_rows(client, listed, {}, [targeted, plain])
    # The search is posted on both: the page keeps it in the session, the API has its own POST.
    found = client.post(reverse(listed.page), {"search": "Ellis", "tier": ""})
    page = client.get(found["Location"])
    assert [child.pk for child in page.context["children"]] == [targeted.pk]
    api = client.post(reverse("api-children-search"), {"search": "Ellis"})
    assert [row["id"] for row in api.json()["results"]] == [targeted.pk]


def test_grants_same_rows_and_another_councils_child_is_nothing(two_councils, client_for):
    from decimal import Decimal

    from referrals.services import grants as grant_services

    def apply(sw, last_name, days):
        scheme = grant_services.grant_scheme_create(
            actor=sw,
            name=f"Short break grant {last_name}",
            year=FROZEN_TODAY.year,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("500.00"),
        )
        return grant_services.grant_application_create(
            actor=sw,
            child=make_child(sw, last_name=last_name),
            scheme=scheme,
            received_on=FROZEN_TODAY - timedelta(days=days),
        )

    sw = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    long_wait = apply(sw, "Longwait", LONG_WAIT_DAYS + 10)
    recent = apply(sw, "Recent", 5)
    other = apply(two_councils["bravo"]["people"][Role.SOCIAL_WORKER], "Other", 100)
    client, listed = client_for(sw), LISTS["grants"]
    assert_same_rows(client, listed, {"long_waits": "on"}, [long_wait])
    assert_same_rows(client, listed, {}, [long_wait, recent])
    assert_same_rows(client, listed, {"child": recent.child_id}, [recent])
    assert_same_rows(client, listed, {"child": other.child_id}, [])
    assert_same_rows(client, listed, {"status": "approved"}, [])


def test_providers_and_services_same_rows(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    river = make_provider(commissioner, name="Riverside Care")
    play = make_provider(commissioner, name="Riverside Play")
    provider_set_status(
        actor=commissioner,
        provider=play,
        status=ProviderStatus.SUSPENDED,
        on=FROZEN_TODAY,
        reason="Inspection.",
    )
    oak = make_provider(commissioner, name="Oakwood Trust")
    club = make_service(commissioner, river, title="Saturday club", tier="universal")
    stays = make_service(commissioner, oak, title="Overnight stays", tier="specialist")
    make_provider(two_councils["bravo"]["people"][Role.COMMISSIONER], name="Riverside Bravo")
    client = client_for(two_councils["alpha"]["people"][Role.SOCIAL_WORKER])
    providers, services = LISTS["providers"], LISTS["services"]
    assert_same_rows(client, providers, {"search": "Riverside"}, [river, play])
    assert_same_rows(client, providers, {"search": "Riverside", "status": "suspended"}, [play])
    assert_same_rows(client, providers, {}, [river, play, oak])
    assert_same_rows(client, services, {"tier": "universal"}, [club])
    assert_same_rows(client, services, {"search": "Oakwood"}, [stays])


def test_contracts_same_rows_and_another_councils_provider_is_nothing(two_councils, client_for):
    from datetime import date

    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    block = make_contract(commissioner, title="Overnight block", kind=ContractKind.BLOCK)
    spot = make_contract(commissioner, title="Overnight spot", kind=ContractKind.FRAMEWORK)
    soon = make_contract(commissioner, title="Holiday block", end_date=date(2026, 8, 31))
    provider = make_provider(commissioner, name="Riverside Care")
    make_awarded_lot(commissioner, spot, provider)
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    bravo_provider = make_provider(bravo, name="Bravo Care")
    make_awarded_lot(bravo, make_contract(bravo, title="Bravo block"), bravo_provider)
    client, listed = client_for(commissioner), LISTS["contracts"]
    assert_same_rows(client, listed, {"search": "Overnight", "kind": "block"}, [block])
    assert_same_rows(client, listed, {"kind": "framework"}, [spot])
    assert_same_rows(client, listed, {}, [block, spot, soon])
    # The page's `ends_within` is the API's `ends_within_months`: both work on both.
    assert FROZEN_TODAY < date(2026, 8, 31) < FROZEN_TODAY + timedelta(days=90)
    assert_same_rows(client, listed, {"ends_within": 3}, [soon])
    assert_same_rows(client, listed, {"ends_within_months": 3}, [soon])
    # The API names a provider by id; the page picks one of the council's own.
    assert _api_ids(client, listed, {"provider": provider.pk}) == [spot.pk]
    assert _api_ids(client, listed, {"provider": bravo_provider.pk}) == []
    page = client.get(reverse(listed.page), {"provider": provider.pk})
    assert [c.pk for c in page.context["contracts"]] == [spot.pk]
    page = client.get(reverse(listed.page), {"provider": bravo_provider.pk})
    assert "Choose one of the providers." in page.content.decode()
    assert len(page.context["contracts"]) == 3  # not used
    assert _api_ids(client, listed, {"ends_before": "2026-09-01"}) == [soon.pk]


def test_bookings_same_rows_and_another_councils_places_are_nothing(two_councils, client_for):
    worlds = booking_world(two_councils)
    alpha = worlds["alpha"]
    start = FROZEN_TODAY + timedelta(days=10)
    first = book(alpha, 0, start)
    second = book(alpha, 1, start + timedelta(days=3))
    client, listed = client_for(alpha["sw"]), LISTS["bookings"]
    assert_same_rows(client, listed, {"status": BookingStatus.BOOKED}, [first, second])
    assert_same_rows(client, listed, {"status": BookingStatus.CANCELLED}, [])
    assert_same_rows(client, listed, {"places": alpha["places"].pk}, [first, second])
    assert_same_rows(client, listed, {"child": first.child_id}, [first])
    assert_same_rows(client, listed, {"places": worlds["bravo"]["places"].pk}, [])
    bravo_child = worlds["bravo"]["children"][0]["child"]
    assert_same_rows(client, listed, {"child": bravo_child.pk}, [])


def test_brokerage_same_rows(two_councils, client_for):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    sent = sent_request(world, today=FROZEN_TODAY, deadline=FROZEN_TODAY + timedelta(days=7))
    client, listed = client_for(world["commissioner"]), LISTS["brokerage"]
    assert_same_rows(client, listed, {"status": "sent"}, [sent])
    assert_same_rows(client, listed, {"status": "draft"}, [])
    assert_same_rows(client, listed, {"to_score": "on"}, [])
    answer(world, sent, world["providers"][0], "25.00", today=FROZEN_TODAY)
    assert_same_rows(client, listed, {"to_score": "on"}, [sent])
    assert_same_rows(client, listed, {"overdue": "on"}, [])


# ----------------------------------------------------------------------------------------------
# A value that is not valid


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_bad_value_is_the_pages_error_and_the_apis_400(name, two_councils, client_for):
    listed = LISTS[name]
    client = client_for(two_councils["alpha"]["people"][Role.TEAM_MANAGER])
    param = listed.choice
    page = client.get(reverse(listed.page), {param: "x"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    api = client.get(reverse(listed.api), {param: "x"})
    assert api.status_code == 400
    assert list(api.json()) == [param]


@pytest.mark.parametrize("name", ["referrals", "grants", "bookings"])
def test_an_id_out_of_range_is_a_400_not_a_crash(name, two_councils, client_for):
    listed = LISTS[name]
    client = client_for(two_councils["alpha"]["people"][Role.TEAM_MANAGER])
    param = "child"
    api = client.get(reverse(listed.api), {param: str(2**70)})
    assert api.status_code == 400
    assert list(api.json()) == [param]
