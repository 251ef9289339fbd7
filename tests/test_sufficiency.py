"""Sufficiency: places on each running contract lot against the demand on it, for commissioners
and contract managers, in one query, with every count of 1 to 4 children withheld."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts import services as contract_services
from shortbreaks.councils.models import Role
from shortbreaks.sufficiency import sufficiency_rows
from tests.bookings.builders import booking_world, child_on_lot
from tests.builders import make_service
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B

pytestmark = pytest.mark.usefixtures("frozen_today")

PAGE = "/sufficiency/"


@pytest.fixture
def world(two_councils):
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
    # Session, user, roles, council, the header's checks, the savepoint and its release, and the
    # one query of the table.
    with django_assert_num_queries(10) as few:
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
