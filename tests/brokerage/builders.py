"""Build a DPS with a lot and approved members, and a child's line the panel approved, for
brokerage tests, through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from brokerage.services.answers import brokerage_response_record
from brokerage.services.requests import brokerage_request_raise, brokerage_request_send
from contracts.models import ContractKind
from contracts.services.dps import (
    dps_create,
    dps_membership_apply,
    dps_membership_record_checks,
    dps_membership_transition,
)
from contracts.services.lots import lot_create
from providers import services as provider_services
from referrals.models import FundingRoute
from referrals.services import carers as carer_services
from referrals.services import packages as package_services
from shortbreaks.councils.models import Role
from tests.builders import make_contract, make_provider, make_service
from tests.referrals.builders import authorised_assessment, make_child, nhs_number

CHILD = {
    "first_name": "Isabella",
    "last_name": "Featherstonehaugh",
    "date_of_birth": date(2014, 5, 1),
    "postcode": "HR4 9AB",
    "address": "12 Orchard Lane, Hereford",
    "council_child_id": "HC-000123",
    "school": "Barrs Court School",
    "upn": "H12345678901A",
}
NHS = nhs_number("943476591")


def approve(actor, dps, provider):
    membership = dps_membership_apply(
        actor=actor, dps=dps, provider=provider, on=date(2025, 1, 6), reason="Applied."
    )
    dps_membership_record_checks(
        actor=actor,
        membership=membership,
        **dict.fromkeys(
            [
                "check_registration",
                "check_insurance",
                "check_safeguarding_policy",
                "check_dbs",
                "check_financial_standing",
            ],
            True,
        ),
    )
    membership.refresh_from_db()
    for action in ("start_assessment", "approve"):
        membership = dps_membership_transition(
            actor=actor, membership=membership, action=action, on=date(2025, 1, 20), reason="OK"
        )
    return membership


def brokerage_world(people: dict, marker: str, *, ratings=("Good", "Outstanding", "")) -> dict:
    """A DPS with three approved members on lot 1 (each rated as given), one member not on the
    lot, and a child whose package the panel approved with one line to broker."""
    commissioner = people[Role.COMMISSIONER]
    sw, tm = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    dps = dps_create(
        actor=commissioner, title=f"Short breaks DPS {marker}", start_date=date(2024, 4, 1)
    )
    providers, services_ = [], []
    for number, rating in enumerate(ratings, start=1):
        provider = make_provider(commissioner, name=f"Member {number} {marker}")
        if rating:
            provider_services.registration_record(
                actor=commissioner,
                provider=provider,
                regulator="cqc",
                number=f"1-{number}{marker}",
                latest_rating=rating,
                rating_date=date(2024, 1, 1),
            )
        services_.append(
            make_service(
                commissioner,
                provider,
                title=f"Buddying {number} {marker}",
                categories=["daytime_care"],
                setting="community",
                when=["weekends"],
            )
        )
        approve(commissioner, dps, provider)
        providers.append(provider)
    outsider = make_provider(commissioner, name=f"Member off the lot {marker}")
    make_service(commissioner, outsider, title=f"Overnights {marker}")
    approve(commissioner, dps, outsider)
    contract = make_contract(
        commissioner,
        reference=f"DPS-{marker}",
        kind=ContractKind.DPS_CALL_OFF,
        dps=dps,
        total_value=None,
    )
    lot = lot_create(
        actor=commissioner,
        contract=contract,
        number=1,
        name="Specialist daytime buddying",
        services=services_,
    )
    child = make_child(sw, nhs_number=NHS, **CHILD)
    carer_services.carer_add(
        actor=sw, child=child, name="Gwendoline Featherstonehaugh", relationship="mother"
    )
    assessment = authorised_assessment(sw, tm, child)
    assessment.child_needs = (
        "Isabella (NHS 943 476 5919, born 01/05/2014) lives at 12 Orchard Lane, HR4 9AB. "
        "She needs 1:1 support to go out safely."
    )
    assessment.save(update_fields=["child_needs"])
    package = package_services.package_propose(
        actor=sw, child=child, assessment=assessment, start_on=date(2026, 7, 1)
    )
    line = package_services.package_line_add(
        actor=sw,
        package=package,
        service=services_[0],
        provider=providers[0],
        funding_route=FundingRoute.SPOT_PURCHASE,
        ratio="1:1",
        hours_per_week=Decimal("6"),
        unit_rate=Decimal("1.00"),
        start_on=date(2026, 7, 1),
    )
    package_services.panel_decision_record(
        actor=tm,
        package=package,
        decision="approved",
        reasons="Meets the criteria.",
        decided_on=date(2026, 6, 1),
        members=["Head of Service"],
    )
    return {
        "commissioner": commissioner,
        "sw": sw,
        "tm": tm,
        "dps": dps,
        "contract": contract,
        "lot": lot,
        "providers": providers,
        "services": services_,
        "outsider": outsider,
        "child": child,
        "package": package,
        "line": line,
    }


def sent_request(world: dict, *, today: date, deadline: date):
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=today)
    return brokerage_request_send(
        actor=world["sw"], request=request, deadline=deadline, today=today
    )


def answer(world, request, provider, price, *, today, can_meet=True, start=date(2026, 7, 6)):
    return brokerage_response_record(
        actor=world["commissioner"],
        request=request,
        provider=provider,
        can_meet=can_meet,
        price_per_unit=price,
        start_date=start if can_meet else None,
        today=today,
    )
