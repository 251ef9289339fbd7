"""Block places and children to book on them, through the real services.

`booking_world(two_councils)` gives, for each council: its people, a block contract whose lot 1 is
awarded to an overnight provider holding 2 beds a night, and three children with an active
package line on that lot (`children`, each `{"child", "line"}`), all on the frozen clock's dates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookings import services
from bookings.models import BlockPlaces, PlaceUnit
from contracts.models import Award
from contracts.services import extensions as contract_services
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child, make_package

BEDS = 2


def overnight_offer(commissioner, marker: str, **contract_fields) -> dict:
    provider = make_provider(commissioner, name=f"Overnight House {marker}")
    service = make_service(commissioner, provider, title=f"Overnight breaks {marker}")
    contract_fields.setdefault("reference", f"BLK-{marker}")
    contract = make_contract(commissioner, **contract_fields)
    lot = make_awarded_lot(commissioner, contract, provider)
    return {"provider": provider, "service": service, "contract": contract, "lot": lot}


def hold_places(commissioner, offer: dict, *, places: int = BEDS, unit: str = PlaceUnit.NIGHT):
    award = Award.objects.get(lot=offer["lot"], provider=offer["provider"])
    return services.block_places_set(
        actor=commissioner,
        award=award,
        unit=unit,
        places=places,
        hours_per_session=Decimal("3") if unit == PlaceUnit.SESSION else None,
    )


def child_on_lot(people: dict, offer: dict, *, first_name: str, last_name: str) -> dict:
    sw, tm = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    child = make_child(sw, first_name=first_name, last_name=last_name)
    package = make_package(
        sw, tm, child, offer, lines=[{"nights_per_year": 52, "unit_rate": Decimal("310")}]
    )
    return {"child": child, "line": package.lines.get()}


def booking_world(two_councils) -> dict:
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = two_councils[slug]["people"]
        commissioner = people[Role.COMMISSIONER]
        offer = overnight_offer(commissioner, marker)
        places = hold_places(commissioner, offer)
        children = [
            child_on_lot(people, offer, first_name=name, last_name=f"Booked {marker}")
            for name in ("Ava", "Ben", "Cal")
        ]
        world[slug] = {
            "council": two_councils[slug]["council"],
            "people": people,
            "sw": people[Role.SOCIAL_WORKER],
            "tm": people[Role.TEAM_MANAGER],
            "commissioner": commissioner,
            "offer": offer,
            "places": places,
            "children": children,
        }
    return world


def book(world: dict, n: int, first_day: date, days: int = 1, **kwargs):
    return services.booking_create(
        actor=world["sw"],
        places=world["places"],
        line=world["children"][n]["line"],
        first_day=first_day,
        days=days,
        **kwargs,
    )


def extend_contract(commissioner, contract, *, to: date, decided_on: date):
    extension = contract_services.extension_create(
        actor=commissioner,
        contract=contract,
        new_end_date=to,
        added_value=Decimal("25000"),
        rationale="Bridge to the new service.",
        legal_basis="pcr_modification",
    )
    extension = contract_services.extension_submit(actor=commissioner, extension=extension)
    for role in ("finance", "legal", "procurement"):
        contract_services.extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=f"Head of {role}",
            decision="approve",
            decided_on=decided_on,
        )
    return contract_services.extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member",
        decided_on=decided_on,
    )


def places_of(world: dict) -> BlockPlaces:
    return BlockPlaces.objects.get(pk=world["places"].pk)
