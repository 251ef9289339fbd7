"""The aggregates, page and API: counts, hours and costs by tier, service, lot and funding route,
for commissioners, team managers and auditors, and never a child's name or identifier."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from referrals.models import FundingRoute
from shortbreaks.councils.models import Role
from tests.builders import make_service
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import make_child, make_package, nhs_number
from tests.referrals.once import built_for_module

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

PAGE = "/aggregates/"
API = "/api/v1/aggregates/"
# Names no label, council or service could contain.
SECRET_FIRST = "Zanzibarina"
SECRET_LAST = "Quillfeatherson"
SECRET_ID = "KIDSECRET042"
SECRET_POSTCODE = "SY3 9QX"


def build_aggregates_world(world: dict) -> dict:
    """Alpha: seven specialist children with active packages (one with a direct payment line as
    well), two children at no tier; bravo: its own child and package. Enough children that most
    rows count 5 or more; the direct payment row and the no-tier row count fewer than 5."""
    alpha = world["alpha"]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    secret = make_child(
        sw,
        first_name=SECRET_FIRST,
        last_name=SECRET_LAST,
        council_child_id=SECRET_ID,
        nhs_number=nhs_number("943476591"),
        postcode=SECRET_POSTCODE,
    )
    alpha["secret_nhs"] = secret.nhs_number
    make_package(
        sw,
        tm,
        secret,
        offer,
        lines=[
            {},
            {
                "funding_route": FundingRoute.DIRECT_PAYMENT,
                "hours_per_week": Decimal("3"),
                "unit_rate": Decimal("20.00"),
            },
        ],
    )
    for n in range(6):
        child = make_child(sw, first_name=f"{SECRET_FIRST}{n}", last_name=SECRET_LAST)
        make_package(sw, tm, child, offer)
    make_child(sw, first_name="Noone", last_name=SECRET_LAST)
    bravo = world["bravo"]
    make_package(bravo["sw"], bravo["tm"], bravo["child"], bravo["offer"])
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_aggregates_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_url_names_resolve():
    assert reverse("referrals:aggregates") == PAGE
    assert reverse("api-aggregates") == API


def test_the_api_counts_children_and_support_by_service_lot_and_route(world):
    alpha = world["alpha"]
    response = api(alpha["people"][Role.COMMISSIONER]).get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["on"] == timezone.localdate().isoformat()
    tiers = {row["tier"]: row["children"] for row in data["children_by_tier"]}
    # build_world's child (no package) and "Noone" are at no tier: 2, so "fewer than 5"; seven
    # are specialist; none universal or targeted, and 0 stays 0.
    assert tiers == {"none": None, "universal": 0, "targeted": 0, "specialist": 7}
    suppressed = {row["tier"]: row["suppressed"] for row in data["children_by_tier"]}
    assert suppressed == {"none": "fewer than 5", "universal": "", "targeted": "", "specialist": ""}
    statuses = {row["status"]: row["packages"] for row in data["packages_by_status"]}
    assert statuses["active"] == 7
    [service] = data["by_service"]
    assert service["label"] == "Community buddying MARKERALPHA (Buddying MARKERALPHA)"
    assert Decimal(service["hours_per_week"]) == Decimal("38")  # 5 + 3 + 6 x 5
    assert service["packages"] == 7
    assert service["children"] == 7
    routes = {row["funding_route"]: row for row in data["by_funding_route"]}
    assert Decimal(routes["commissioned"]["cost_per_week"]) == Decimal("997.50")  # 35 h x 28.50
    # One child has a direct payment: their cost is not shown.
    direct = routes["direct_payment"]
    assert direct["label"] == "Direct payment"
    assert direct["suppressed"] == "fewer than 5"
    assert direct["children"] is None
    assert direct["cost_per_week"] is None
    assert direct["hours_per_week"] is None
    lots = {row["label"]: row for row in data["by_lot"]}
    assert lots["No contract lot"]["hours_per_week"] is None
    assert data["totals"]["packages"] == 7
    assert data["totals"]["children"] == 7
    assert Decimal(data["totals"]["cost_per_week"]) == Decimal("1057.50")
    assert "MARKERBRAVO" not in response.content.decode()


def test_the_page_shows_the_same_numbers_in_captioned_tables(world, client_for):
    response = client_for(world["alpha"]["people"][Role.COMMISSIONER]).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    for caption in (
        "Children by tier",
        "Packages of support by status",
        "Hours and cost per week by service",
        "Hours and cost per week by contract lot",
        "Hours and cost per week by funding route",
    ):
        assert f'govuk-table__caption--s">{caption}</caption>' in page
    assert "Community buddying MARKERALPHA (Buddying MARKERALPHA)" in page
    assert "£1,057.50" in page
    assert "Direct payment" in page
    assert "MARKERBRAVO" not in page


def test_no_child_is_named_or_identified_on_the_page_or_in_the_api(world, client_for):
    alpha = world["alpha"]
    for role in (Role.COMMISSIONER, Role.TEAM_MANAGER, Role.AUDITOR):
        person = alpha["people"][role]
        page = client_for(person).get(PAGE).content.decode()
        body = api(person).get(API).content.decode()
        for text in (page, body):
            for secret in (
                SECRET_FIRST,
                SECRET_LAST,
                SECRET_ID,
                SECRET_POSTCODE,
                alpha["secret_nhs"],
                alpha["child"].last_name,
            ):
                assert secret not in text, (role, secret)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TEAM_MANAGER, Role.AUDITOR])
def test_commissioners_team_managers_and_auditors_see_the_aggregates(world, client_for, role):
    person = world["alpha"]["people"][role]
    assert client_for(person).get(PAGE).status_code == 200
    assert api(person).get(API).status_code == 200


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.CONTRACT_MANAGER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN],
)
def test_everyone_else_is_refused_the_aggregates(world, client_for, role):
    person = world["alpha"]["people"][role]
    assert client_for(person).get(PAGE).status_code == 403
    assert api(person).get(API).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(db):
    from django.test import Client

    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))
    assert APIClient().get(API).status_code == 401


def test_the_page_and_api_take_a_pinned_number_of_queries(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    for n in range(3):
        child = make_child(alpha["sw"], first_name=f"More{n}")
        make_package(alpha["sw"], alpha["tm"], child, alpha["offer"], start_on=date(2025, 4, 7))
    person = alpha["people"][Role.COMMISSIONER]
    client = client_for(person)
    client.get(PAGE)  # the first read works the council's summary out (referrals.summary)
    # The 6 every page of this kind makes, the council's summary and its months.
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert response.status_code == 200
    api_client = api(person)
    # The 2 every API request makes, and the summary.
    with django_assert_num_queries(3):
        response = api_client.get(API)
    assert response.json()["totals"]["packages"] == 10


def test_the_table_by_service_pages_in_the_page_and_the_api(world, client_for):
    """A council commissioning many services gets their table 50 rows a page; in the API the
    table by lot pages alike, the other tables and the totals are whole on every page, and small
    numbers are suppressed row by row."""
    alpha = world["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    sw, tm, offer = alpha["sw"], alpha["tm"], alpha["offer"]
    child = make_child(sw, first_name="Many", last_name="Services")
    lines = [
        {
            "service": make_service(commissioner, offer["provider"], title=f"Club {n:02d}"),
            "hours_per_week": Decimal("1"),
        }
        for n in range(52)
    ]
    make_package(sw, tm, child, offer, lines=lines)
    page = client_for(commissioner).get(PAGE).content.decode()
    assert "Hours and cost per week by service, page 1 (50 rows a page)" in page
    assert 'href="?page=2#by-service" rel="next"' in page
    assert page.count("Club ") == 50
    second = client_for(commissioner).get(PAGE, {"page": 2}).content.decode()
    # Clubs 50 and 51, then the buddying service of the fixture's children.
    assert second.count("Club ") == 2
    assert "Community buddying MARKERALPHA (Buddying MARKERALPHA)" in second
    assert 'href="?page=1#by-service" rel="prev"' in second
    # The totals are of all the support, on each page: the fixture's seven and this child.
    for html in (page, second):
        assert "Children with support running: 8. Active packages: 8." in html

    data = api(commissioner).get(API, {"page_size": 20}).json()
    assert len(data["by_service"]) == 20
    assert data["previous"] is None
    assert data["next"].endswith(f"{API}?page=2&page_size=20")
    # One child has the clubs: each club row says "fewer than 5", on whichever page.
    assert {row["suppressed"] for row in data["by_service"]} == {"fewer than 5"}
    last = api(commissioner).get(API, {"page": 3, "page_size": 20}).json()
    assert [row["label"] for row in last["by_service"]][-1] == (
        "Community buddying MARKERALPHA (Buddying MARKERALPHA)"
    )
    assert last["next"] is None and last["previous"].endswith(f"{API}?page=2&page_size=20")
    assert last["totals"] == data["totals"] and last["by_funding_route"] == data["by_funding_route"]
    # The two lots fit on the first page.
    assert len(data["by_lot"]) == 2 and last["by_lot"] == []
    # The export is every row.
    export = client_for(commissioner).get("/aggregates/export.csv").content.decode()
    assert export.count("Club ") == 52


@pytest.mark.parametrize("bad", [{"page": 0}, {"page": "x"}, {"page_size": -1}])
def test_the_api_refuses_a_page_that_is_no_page(world, bad):
    response = api(world["alpha"]["people"][Role.COMMISSIONER]).get(API, bad)
    assert response.status_code == 400
    assert set(response.json()) == set(bad)


def test_the_api_pages_the_table_by_lot_with_the_table_by_service(world):
    """A big council's lots are hundreds: page 2 holds each table's second page, and `next` is
    there while either table has rows past this page."""
    person = world["alpha"]["people"][Role.COMMISSIONER]
    whole = api(person).get(API, {"page_size": 200}).json()
    lots = [row["label"] for row in whole["by_lot"]]
    assert len(whole["by_service"]) == 1 and len(lots) == 2
    first = api(person).get(API, {"page_size": 1}).json()
    assert len(first["by_service"]) == 1 and [row["label"] for row in first["by_lot"]] == lots[:1]
    # The services are done; the lots are not.
    assert first["next"].endswith(f"{API}?page=2&page_size=1") and first["previous"] is None
    second = api(person).get(first["next"]).json()
    assert second["by_service"] == [] and [row["label"] for row in second["by_lot"]] == lots[1:]
    assert second["next"] is None
    assert second["totals"] == first["totals"] == whole["totals"]
    assert second["by_funding_route"] == whole["by_funding_route"]


def test_the_page_pages_the_table_by_lot_on_its_own(world, client_for, monkeypatch):
    """A big council's lots are hundreds: the page shows them a page at a time, with pages of
    their own (`lots`), each table's links keeping the other table's page."""
    from referrals.views import reviews as views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = client_for(world["alpha"]["people"][Role.COMMISSIONER])
    whole = api(world["alpha"]["people"][Role.COMMISSIONER]).get(API).json()
    first, second = (row["label"] for row in whole["by_lot"])
    page = client.get(PAGE).content.decode()
    assert "Hours and cost per week by contract lot, page 1 (1 rows a page)" in page
    assert 'href="?lots=2#by-lot" rel="next"' in page
    assert first in page and second not in page
    page = client.get(PAGE, {"lots": 2}).content.decode()
    assert second in page and first not in page
    assert 'href="?lots=1#by-lot" rel="prev"' in page
    # The table by service is on its first page, the only one: no links, and the table by lot
    # keeps its page when the table by service turns one.
    assert 'rel="next"' not in page
    # A page that is no page is the first.
    for bad in ("x", "0", "-3"):
        page = client.get(PAGE, {"lots": bad}).content.decode()
        assert first in page and second not in page
    listed = client.get(PAGE, {"page": 2, "lots": 2}).content.decode()
    assert 'href="?page=2&amp;lots=1#by-lot" rel="prev"' in listed
    assert 'href="?lots=2&amp;page=1#by-service" rel="prev"' in listed
