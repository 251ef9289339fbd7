"""Sufficiency: places on each running contract lot against the demand on it, for commissioners
and contract managers, in one query, with every count of 1 to 4 children withheld."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.services import lots as contract_services
from shortbreaks.councils.models import Role
from sufficiency.selectors import sufficiency_area_rows, sufficiency_rows
from tests.bookings.builders import booking_world, child_on_lot
from tests.builders import make_service
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

PAGE = "/sufficiency/"


def _build_world(two_councils) -> dict:
    """Alpha: lot 1 with 2 block beds and five children supported on it; lot 2 with a service
    reporting 3 vacancies. Bravo: lot 1 with 2 beds and three children."""
    world = booking_world(two_councils)
    alpha = world["alpha"]
    for name in ("Dee", "Eli"):
        child_on_lot(alpha["people"], alpha["offer"], first_name=name, last_name=f"More {MARKER_A}")
    service = make_service(
        alpha["commissioner"],
        alpha["offer"]["provider"],
        title=f"Weekend club {MARKER_A}",
        capacity_available=3,
        capacity_maximum=10,
    )
    contract_services.lot_create(
        actor=alpha["commissioner"],
        contract=alpha["offer"]["contract"],
        number=2,
        name="Weekend clubs",
        services=[service],
    )
    return world


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def _by_lot(rows) -> dict:
    return {row["short"]: row for row in rows}


def test_places_and_demand_by_lot(world):
    rows = _by_lot(sufficiency_rows(actor=world["alpha"]["commissioner"]))
    assert set(rows) == {f"BLK-{MARKER_A} lot 1", f"BLK-{MARKER_A} lot 2"}
    first = rows[f"BLK-{MARKER_A} lot 1"]
    assert (first["block_places"], first["vacancies"], first["places"]) == (2, 0, 2)
    assert (first["children_supported"], first["waiting"], first["brokerage_open"]) == (5, 0, 0)
    assert first["demand"] == 5
    second = rows[f"BLK-{MARKER_A} lot 2"]
    assert (second["places"], second["vacancies"], second["demand"]) == (3, 3, 0)


def test_a_lot_with_1_to_4_children_withholds_them_and_its_demand(world):
    [row] = sufficiency_rows(actor=world["bravo"]["commissioner"])
    assert row["short"] == f"BLK-{MARKER_B} lot 1"
    assert row["children_supported"] is None
    assert row["demand"] is None
    assert row["places"] == 2


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.CONTRACT_MANAGER])
def test_commissioners_and_contract_managers_see_the_page(world, client_for, role):
    response = client_for(world["alpha"]["people"][role]).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sufficiency: places against demand</h1>' in html
    assert 'role="img"' in html
    assert "<title>Places against demand by contract lot</title>" in html
    assert f"BLK-{MARKER_A} lot 1: Lot 1" in html
    assert MARKER_B not in html
    for name in ("Ava", "Dee", "Eli"):
        assert name not in html
    register = client_for(world["alpha"]["people"][role]).get(reverse("contracts:list"))
    assert f'href="{PAGE}"' in register.content.decode()


def test_the_page_says_fewer_than_5(world, client_for):
    html = client_for(world["bravo"]["commissioner"]).get(PAGE).content.decode()
    assert ">Fewer than 5</td>" in html
    assert ">Not shown</td>" in html


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.FINANCE_OFFICER, Role.AUDITOR]
)
def test_everyone_else_is_refused(world, client_for, role):
    assert client_for(world["alpha"]["people"][role]).get(PAGE).status_code == 403
    register = client_for(world["alpha"]["people"][role]).get(reverse("contracts:list"))
    assert f'href="{PAGE}"' not in register.content.decode()


def test_the_page_takes_the_same_queries_however_many_lots(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    client = client_for(alpha["commissioner"])
    client.get(PAGE)
    # Session, user, roles, council, the header's checks, the savepoint and its release, the one
    # query of the table by lot and the five of the table by area.
    with django_assert_num_queries(12) as few:
        client.get(PAGE)
    for number in range(3, 7):
        contract_services.lot_create(
            actor=alpha["commissioner"],
            contract=alpha["offer"]["contract"],
            number=number,
            name=f"Lot {number}",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert f"BLK-{MARKER_A} lot 6" in html


# ---------------------------------------------------------------------------------------------
# By area: postcode districts

API = "/api/v1/aggregates/sufficiency/"


@pytest.fixture
def area_world(world):
    """Alpha's lot 1 provider is at SY1 1AA, the weekend club (lot 2) runs at SY3 9ZZ; five
    children live in SY1, one in SY10 and one has no postcode. Bravo's three live in B1."""
    from providers import services as provider_services
    from providers.models import Service
    from referrals.models import Child
    from tests.builders import make_location

    alpha, bravo = world["alpha"], world["bravo"]
    commissioner = alpha["commissioner"]
    make_location(commissioner, alpha["offer"]["provider"], name="Main house", postcode="SY1 1AA")
    club = Service.objects.get(title=f"Weekend club {MARKER_A}")
    venue = make_location(commissioner, club.provider, name="Weekend venue", postcode="sy3 9zz")
    provider_services.service_update(actor=commissioner, service=club, locations=[venue])
    for name in ("Fay", "Gus"):
        child_on_lot(alpha["people"], alpha["offer"], first_name=name, last_name=f"Far {MARKER_A}")
    postcodes = {"Ava": "SY1 2AB", "Ben": "SY1 2AB", "Cal": "SY1 3CD", "Dee": "SY1 4EF"}
    for first_name, postcode in postcodes.items():
        Child.objects.filter(council=alpha["council"], first_name=first_name).update(
            postcode=postcode
        )
    Child.objects.filter(council=alpha["council"], first_name="Eli").update(postcode="sy12ab")
    Child.objects.filter(council=alpha["council"], first_name="Fay").update(postcode="SY10 1AB")
    Child.objects.filter(council=bravo["council"]).update(postcode="B1 1AA")
    return world


def test_places_and_demand_by_postcode_district(area_world):
    rows = sufficiency_area_rows(actor=area_world["alpha"]["commissioner"])
    assert [row["area"] for row in rows] == ["SY1", "SY10", "SY3", "Not known"]
    sy1, sy10, sy3, unknown = rows
    assert (sy1["block_places"], sy1["vacancies"], sy1["places"]) == (2, 0, 2)
    assert (sy1["children_supported"], sy1["waiting"], sy1["brokerage_open"]) == (5, 0, 0)
    assert sy1["demand"] == 5
    assert (sy3["places"], sy3["vacancies"], sy3["children_supported"], sy3["demand"]) == (
        3,
        3,
        0,
        0,
    )
    for small in (sy10, unknown):
        assert small["children_supported"] is None
        assert small["demand"] is None
        assert small["places"] == 0


def test_another_councils_areas_are_its_own(area_world):
    # Bravo's provider has no address on record: its beds are in no known area.
    home, unknown = sufficiency_area_rows(actor=area_world["bravo"]["commissioner"])
    assert (home["area"], home["places"]) == ("B1", 0)
    assert home["children_supported"] is None and home["demand"] is None
    assert (unknown["area"], unknown["places"], unknown["demand"]) == ("Not known", 2, 0)


def test_the_page_shows_the_areas_with_their_chart(area_world, client_for):
    html = client_for(area_world["alpha"]["commissioner"]).get(PAGE).content.decode()
    assert '<h2 class="govuk-heading-l govuk-!-margin-top-8" id="by-area">By area</h2>' in html
    assert "<title>Places against demand by area</title>" in html
    assert "postcode district" in html
    for area in ("SY1", "SY10", "SY3", "Not known"):
        assert f'<th scope="row" class="govuk-table__header">{area}</th>' in html
    assert "B1" not in html.split('id="by-area"', 1)[1]
    for name in ("Fay", "Gus", "SY1 2AB"):
        assert name not in html


def _api(person):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(person)
    return client


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.CONTRACT_MANAGER])
def test_the_api_gives_both_tables(area_world, role):
    response = _api(area_world["alpha"]["people"][role]).get(API)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"by_lot", "by_area", "area_basis", "fewer_than"}
    lots = {row["lot"]: row for row in data["by_lot"]}
    assert set(lots) == {f"BLK-{MARKER_A} lot 1", f"BLK-{MARKER_A} lot 2"}
    assert set(lots[f"BLK-{MARKER_A} lot 1"]) == {
        "lot",
        "label",
        "contract",
        "block_places",
        "vacancies",
        "places",
        "children_supported",
        "waiting",
        "brokerage_open",
        "demand",
        "suppressed",
        "demand_suppressed",
    }
    areas = {row["area"]: row for row in data["by_area"]}
    assert list(areas) == ["SY1", "SY10", "SY3", "Not known"]
    assert areas["SY1"]["demand"] == 5 and areas["SY1"]["suppressed"] == []
    assert areas["SY10"]["children_supported"] is None
    assert areas["SY10"]["suppressed"] == ["children_supported"]
    assert areas["SY10"]["demand"] is None
    assert areas["SY10"]["demand_suppressed"] == "not shown"
    assert MARKER_B not in str(data)
    for name in ("Ava", "Fay", "SY1 2AB"):
        assert name not in str(data)


def test_the_api_withholds_small_numbers_of_the_lots_too(area_world):
    data = _api(area_world["bravo"]["commissioner"]).get(API).json()
    [lot] = data["by_lot"]
    assert lot["children_supported"] is None and lot["demand"] is None
    assert lot["suppressed"] == ["children_supported"]
    assert [row["area"] for row in data["by_area"]] == ["B1", "Not known"]


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.FINANCE_OFFICER,
        Role.AUDITOR,
        Role.COUNCIL_ADMIN,
    ],
)
def test_the_api_is_refused_to_everyone_else(area_world, role):
    assert _api(area_world["alpha"]["people"][role]).get(API).status_code == 403


def test_the_api_takes_the_same_queries_however_many_areas(area_world, django_assert_num_queries):
    from referrals.models import Child

    alpha = area_world["alpha"]
    client = _api(alpha["commissioner"])
    client.get(API)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(API).status_code == 200
    for n, name in enumerate(("Hal", "Ivy", "Jo")):
        child = child_on_lot(alpha["people"], alpha["offer"], first_name=name, last_name="More")
        Child.objects.filter(pk=child["child"].pk).update(postcode=f"TF{n + 1} 1AA")
    with django_assert_num_queries(len(before.captured_queries)):
        data = client.get(API).json()
    assert len(data["by_area"]) == 7


def test_the_page_takes_the_same_queries_however_many_areas(
    area_world, client_for, django_assert_num_queries
):
    from referrals.models import Child

    alpha = area_world["alpha"]
    client = client_for(alpha["commissioner"])
    client.get(PAGE)
    # As with lots alone, and the five queries of the table by area.
    with django_assert_num_queries(12):
        client.get(PAGE)
    for n, name in enumerate(("Hal", "Ivy")):
        child = child_on_lot(alpha["people"], alpha["offer"], first_name=name, last_name="More")
        Child.objects.filter(pk=child["child"].pk).update(postcode=f"WR{n + 1} 1AA")
    with django_assert_num_queries(12):
        html = client.get(PAGE).content.decode()
    assert '<th scope="row" class="govuk-table__header">WR2</th>' in html
