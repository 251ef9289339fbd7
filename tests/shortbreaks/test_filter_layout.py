"""The big lists in the MOJ "filter a list" layout: a filter panel with the list's own form
beside the list; each selected filter a tag whose plain link is the page without just that
filter; the rows the filters keep; the query parameters, export links and query counts as
before."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from bookings.models import BookingStatus
from contracts.models import ContractKind
from providers.models import ProviderStatus
from providers.services import provider_set_status
from referrals.models import ChildTier
from referrals.services.children import child_tier_change
from shortbreaks.councils.models import Role
from shortbreaks.filter_forms import FilterForm, choice_filter
from shortbreaks.templatetags.filter_layout import clear_href, selected_filters
from tests.bookings.builders import book, booking_world
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.builders import make_contract, make_provider, make_service
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.referrals.builders import make_child, make_referral, screened_referral

pytestmark = pytest.mark.usefixtures("frozen_today")

TAG = re.compile(
    r'<a class="moj-filter__tag" href="([^"]*)"><span class="govuk-visually-hidden">'
    r"Remove filter ([^<]*):</span> ([^<]*)</a>"
)


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _panel(body: str) -> str:
    """The filter panel, from its layout to the list beside it."""
    start = body.index('<div class="moj-filter-layout">')
    return body[start : body.index('<div class="moj-filter-layout__content">', start)]


def _tags(body: str) -> dict[str, str]:
    """Each selected filter's tag text: the address its link goes to."""
    return {html.unescape(text): html.unescape(href) for href, _, text in TAG.findall(body)}


def _params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def _assert_panel(body: str, *names: str, heading: str) -> None:
    panel = _panel(body)
    assert f'<h2 class="govuk-heading-m">{heading}</h2>' in panel
    assert 'data-module="moj-filter"' in panel
    assert "Apply filters" in panel or ">Search<" in panel
    for name in names:
        assert f'name="{name}"' in panel, name
    assert body.count("<h1") == 1


# ----------------------------------------------------------------------------------------------
# The panel from a form (no database)


class _Form(FilterForm):
    filter_checkbox_heading = "Only"

    status = choice_filter("Status", [("open", "Open"), ("shut", "Shut")], any_label="Any")
    name = choice_filter("Name", [("a", "A")], any_label="Any")
    late = forms.BooleanField(label="Late ones", required=False)


def test_selected_filters_are_the_valid_non_empty_ones_each_linking_without_itself():
    request = RequestFactory().get(
        "/list/", {"status": "open", "name": "zzz", "late": "on", "page": "3"}
    )
    form = _Form(request.GET)
    form.is_valid()
    categories = selected_filters(form, request)
    assert [(c.heading, [(t.text, t.href) for t in c.tags]) for c in categories] == [
        ("Status", [("Open", "/list/?name=zzz&late=on")]),  # the page number goes too
        ("Only", [("Late ones", "/list/?status=open&name=zzz")]),
    ]  # `name` is not valid: no tag
    assert clear_href(form, request) == "/list/"
    unbound = _Form()
    assert selected_filters(unbound, RequestFactory().get("/list/")) == []


# ----------------------------------------------------------------------------------------------
# Referrals


@pytest.fixture
def referrals(two_councils):
    alpha = two_councils["alpha"]
    sw = alpha["people"][Role.SOCIAL_WORKER]
    waiting = make_referral(sw, make_child(sw, last_name="Waiting"))
    screened = screened_referral(sw, make_child(sw, last_name="Screened"))
    bravo_sw = two_councils["bravo"]["people"][Role.SOCIAL_WORKER]
    make_referral(bravo_sw, make_child(bravo_sw, last_name=f"Other {MARKER_B}"))
    return {"sw": sw, "waiting": waiting, "screened": screened}


def test_referrals_panel_filters_and_its_tag_removes_the_status(referrals, client_for):
    client = client_for(referrals["sw"])
    url = reverse("referrals:referral-list")
    body = _body(client.get(url, {"status": "received"}))
    _assert_panel(body, "status", heading="Filter referrals")
    assert "Waiting" in body and "Screened" not in body and MARKER_B not in body
    tags = _tags(body)
    assert tags == {"Received": url}
    everything = _body(client.get(tags["Received"]))
    assert "Waiting" in everything and "Screened" in everything
    assert "moj-filter__tag" not in everything
    assert "status=received&amp;format=csv" in body  # the download keeps the filter


def test_referrals_panel_shows_a_status_that_is_not_valid_as_an_error(referrals, client_for):
    body = _body(
        client_for(referrals["sw"]).get(reverse("referrals:referral-list"), {"status": "x"})
    )
    assert "There is a problem" in body and "Choose a status from the list" in body
    assert "Waiting" in body and "Screened" in body  # not used: every referral
    assert _tags(body) == {}


# ----------------------------------------------------------------------------------------------
# Children: the search is posted and kept by an opaque id; the tier stays in the address


def test_children_search_and_tier_are_tags_each_removed_on_its_own(two_councils, client_for):
    alpha = two_councils["alpha"]
    sw, tm = alpha["people"][Role.SOCIAL_WORKER], alpha["people"][Role.TEAM_MANAGER]
    rivers = make_child(sw, first_name="Ellis", last_name="Rivers")
    make_child(sw, first_name="Noor", last_name="Rivers")
    make_child(sw, first_name="Sam", last_name="Brook")
    child_tier_change(
        actor=tm, child=rivers, to_tier=ChildTier.TARGETED, on=FROZEN_TODAY, reason="Grant."
    )
    client = client_for(sw)
    url = reverse("referrals:children")
    found = client.post(url, {"search": "Rivers", "tier": "targeted", "overnights": ""})
    location = found["Location"]
    assert "Rivers" not in location
    assert _params(location)["tier"] == ["targeted"]
    body = _body(client.get(location))
    _assert_panel(body, "search", "tier", "overnights", heading="Search and filter")
    assert "Ellis Rivers" in body and "Noor Rivers" not in body and "Sam Brook" not in body
    tags = _tags(body)
    assert set(tags) == {"Rivers", "Targeted"}
    assert "Rivers" not in tags["Rivers"]  # no search term in any address
    assert _params(tags["Rivers"]) == {"tier": ["targeted"]}
    assert _params(tags["Targeted"]) == {"q": _params(location)["q"]}
    searched = _body(client.get(tags["Targeted"]))
    assert "Ellis Rivers" in searched and "Noor Rivers" in searched and "Sam Brook" not in searched
    tiered = _body(client.get(tags["Rivers"]))
    assert "Ellis Rivers" in tiered and "Noor Rivers" not in tiered
    assert _panel(body).count('name="csrfmiddlewaretoken"') == 1
    # The download posts back the saved search with the tier beside it.
    assert 'name="tier" value="targeted"' in body


# ----------------------------------------------------------------------------------------------
# Contracts register


def test_contracts_panel_tags_remove_one_filter_and_keep_the_other(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_contract(commissioner, title="Overnight block", kind=ContractKind.BLOCK)
    make_contract(commissioner, title="Overnight spot", kind=ContractKind.FRAMEWORK)
    make_contract(commissioner, title="Holiday block", kind=ContractKind.BLOCK)
    client = client_for(commissioner)
    url = reverse("contracts:list")
    body = _body(client.get(url, {"search": "Overnight", "kind": ContractKind.BLOCK}))
    _assert_panel(body, "search", "kind", "status", "overrunning", heading="Filter contracts")
    assert "Overnight block" in body
    assert "Overnight spot" not in body and "Holiday block" not in body
    tags = _tags(body)
    assert set(tags) == {"Overnight", ContractKind.BLOCK.label}
    assert _params(tags["Overnight"]) == {"kind": [ContractKind.BLOCK]}
    blocks = _body(client.get(tags["Overnight"]))
    assert "Overnight block" in blocks and "Holiday block" in blocks
    assert "Overnight spot" not in blocks
    assert "search=Overnight&amp;kind=block&amp;format=csv" in body
    assert "csrfmiddlewaretoken" not in _panel(body)  # never in the address


def test_contracts_checkbox_filter_is_a_tag_under_its_own_heading(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    body = _body(client_for(commissioner).get(reverse("contracts:list"), {"overrunning": "on"}))
    [(href, heading, text)] = TAG.findall(body)
    assert heading == "Other filters"
    assert text.startswith("Only overrunning contracts")
    assert href == reverse("contracts:list")


# ----------------------------------------------------------------------------------------------
# Providers and services


@pytest.fixture
def providers(two_councils):
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
    make_provider(commissioner, name="Oakwood Trust")
    make_service(commissioner, river, title="Saturday club", tier="universal")
    make_service(commissioner, river, title="Overnight stays", tier="specialist")
    other = two_councils["bravo"]["people"][Role.COMMISSIONER]
    make_provider(other, name=f"Riverside {MARKER_B}")
    return two_councils


def test_providers_panel_search_and_status_tags(providers, client_for):
    client = client_for(providers["alpha"]["people"][Role.SOCIAL_WORKER])
    url = reverse("providers:list")
    body = _body(client.get(url, {"search": "Riverside", "status": ProviderStatus.SUSPENDED}))
    _assert_panel(body, "search", "status", heading="Search and filter")
    assert "Riverside Play" in body
    assert "Riverside Care" not in body and MARKER_B not in body
    tags = _tags(body)
    assert set(tags) == {"Riverside", ProviderStatus.SUSPENDED.label}
    assert _params(tags["Riverside"]) == {"status": [ProviderStatus.SUSPENDED]}
    named = _body(client.get(tags[ProviderStatus.SUSPENDED.label]))
    assert "Riverside Play" in named and "Riverside Care" in named
    assert "Oakwood Trust" not in named


def test_services_panel_tier_tag(providers, client_for):
    client = client_for(providers["alpha"]["people"][Role.SOCIAL_WORKER])
    url = reverse("providers:services")
    body = _body(client.get(url, {"tier": "universal"}))
    _assert_panel(body, "search", "tier", heading="Search and filter")
    assert "Saturday club" in body and "Overnight stays" not in body
    assert _tags(body) == {"Universal": url}
    assert "Overnight stays" in _body(client.get(url))
    assert "tier=universal&amp;format=csv" in body


# ----------------------------------------------------------------------------------------------
# Bookings


def test_bookings_panel_keeps_the_block_when_the_status_is_removed(two_councils, client_for):
    world = booking_world(two_councils)["alpha"]
    start = FROZEN_TODAY + timedelta(days=10)
    kept = book(world, 0, start)
    book(world, 1, start + timedelta(days=3))
    client = client_for(world["sw"])
    url = reverse("bookings:list")
    places = str(world["places"].pk)
    body = _body(client.get(url, {"status": BookingStatus.BOOKED, "places": places}))
    _assert_panel(body, "status", "places", heading="Filter bookings")
    assert f'name="places" value="{places}"' in _panel(body)
    assert body.count(reverse("bookings:detail", args=[kept.pk])) == 1
    tags = _tags(body)
    assert set(tags) == {BookingStatus.BOOKED.label}
    assert _params(tags[BookingStatus.BOOKED.label]) == {"places": [places]}
    cancelled = _body(client.get(url, {"status": BookingStatus.CANCELLED}))
    assert "No bookings match." in cancelled


# ----------------------------------------------------------------------------------------------
# Brokerage requests


def test_brokerage_panel_checkbox_tag_and_status_tag(two_councils, client_for):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    sent = sent_request(world, today=FROZEN_TODAY, deadline=FROZEN_TODAY + timedelta(days=7))
    answer(world, sent, world["providers"][0], "25.00", today=FROZEN_TODAY)
    client = client_for(world["commissioner"])
    url = reverse("brokerage:list")
    body = _body(client.get(url, {"status": "sent", "to_score": "on"}))
    _assert_panel(body, "status", "overdue", "to_score", heading="Filter requests")
    assert f"Request {sent.pk}" in body
    found = TAG.findall(body)
    assert ("Only requests", "With answers waiting to be scored") in [(h, t) for _, h, t in found]
    tags = _tags(body)
    assert _params(tags["With answers waiting to be scored"]) == {"status": ["sent"]}
    assert _params(tags["Sent to providers"]) == {"to_score": ["on"]}
    drafts = _body(client.get(url, {"status": "draft"}))
    assert f"Request {sent.pk}" not in drafts


def test_brokerage_panel_for_provider_staff_has_only_the_status(two_councils, client_for):
    from providers.models import ProviderAccount

    world = brokerage_world(two_councils["alpha"]["people"], "A")
    sent_request(world, today=FROZEN_TODAY, deadline=FROZEN_TODAY + timedelta(days=7))
    staff = two_councils["alpha"]["people"][Role.PROVIDER]
    ProviderAccount.objects.create(
        council=two_councils["alpha"]["council"], user=staff, provider=world["providers"][0]
    )
    body = _body(client_for(staff).get(reverse("brokerage:list"), {"status": "sent"}))
    panel = _panel(body)
    assert 'name="status"' in panel and 'name="overdue"' not in panel


# ----------------------------------------------------------------------------------------------
# Access log


def test_access_log_panel_action_tag(two_councils, client_for):
    alpha = two_councils["alpha"]
    sw = alpha["people"][Role.SOCIAL_WORKER]
    client_for(sw).get(reverse("referrals:children"))  # a list, logged
    manager = alpha["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    url = reverse("accesslog:list")
    body = _body(client.get(url, {"action": "list", "username": sw.username}))
    _assert_panel(body, "username", "action", "outcome", "since", "until", heading="Filter the log")
    tags = _tags(body)
    assert set(tags) == {sw.username, "Listed"}
    assert _params(tags[sw.username]) == {"action": ["list"]}
    assert _params(tags["Listed"]) == {"username": [sw.username]}
    assert "No entries match." not in body
    assert (
        _body(client.get(url, {"action": "list", "username": "nobody"})).count("No entries match.")
        == 1
    )
    assert "action=list&amp;username=" in body and "format=csv" in body


# ----------------------------------------------------------------------------------------------
# Grants waiting list


def test_grants_waiting_list_filters_the_long_waits(two_councils, client_for):
    from decimal import Decimal

    from referrals.services import grants as grant_services

    sw = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    scheme = grant_services.grant_scheme_create(
        actor=sw,
        name="Short break grant",
        year=FROZEN_TODAY.year,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    for last_name, days in (("Longwait", 100), ("Recent", 5)):
        grant_services.grant_application_create(
            actor=sw,
            child=make_child(sw, last_name=last_name),
            scheme=scheme,
            received_on=FROZEN_TODAY - timedelta(days=days),
        )
    client = client_for(sw)
    url = reverse("referrals:grants")
    body = _body(client.get(url, {"long_waits": "on"}))
    _assert_panel(body, "long_waits", heading="Filter the waiting list")
    assert "Longwait" in body and "Recent" not in body
    assert _tags(body) == {"Waiting longer than 56 days": url}
    assert "long_waits=on&amp;format=csv" in body
    everything = _body(client.get(url))
    assert "Longwait" in everything and "Recent" in everything
    export = client.get(url, {"long_waits": "on", "format": "csv"})
    rows = b"".join(export.streaming_content).decode()
    assert "Longwait" in rows and "Recent" not in rows


# ----------------------------------------------------------------------------------------------
# The panel and its tags cost no query


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("referrals:referral-list", {"status": "received"}),
        ("referrals:grants", {"long_waits": "on"}),
        ("providers:list", {"search": "Riverside", "status": "active"}),
        ("providers:services", {"tier": "universal"}),
        ("contracts:list", {"kind": "block", "overrunning": "on"}),
        ("bookings:list", {"status": "booked"}),
        ("brokerage:list", {"status": "sent", "to_score": "on"}),
    ],
)
def test_selected_filters_add_no_query(two_councils, client_for, url_name, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(two_councils["alpha"]["people"][Role.TEAM_MANAGER])
    url = reverse(url_name)
    client.get(url)  # the session's first page writes it
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as filtered:
        body = _body(client.get(url, params))
    assert len(_tags(body)) == len(params)
    assert len(filtered) == len(plain)
