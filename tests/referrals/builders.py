"""Build children and their journey for tests, through the real services.

Each builder takes the people who would do the step (a social worker records, a team manager
authorises) and defaults that a test overrides only where it matters.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from referrals.models import (
    Assessment,
    AssessmentOutcome,
    Child,
    FundingRoute,
    Package,
    PanelOutcome,
    PrimaryNeed,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from referrals.services import assessments as assessment_services
from referrals.services import children as child_services
from referrals.services import packages as package_services
from referrals.services import referrals as referral_services
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B, person_in

TODAY = date(2025, 6, 2)
_numbers = itertools.count(1)


def nhs_number(first_nine: str) -> str:
    """A valid NHS number from nine digits (whose check digit is not 10)."""
    from referrals.nhs import nhs_check_digit

    check = nhs_check_digit(first_nine)
    assert check is not None, first_nine
    return f"{first_nine}{check}"


def make_child(actor, **fields) -> Child:
    fields.setdefault("first_name", "Ada")
    fields.setdefault("last_name", f"Child{next(_numbers)}")
    fields.setdefault("date_of_birth", date(2014, 5, 1))
    fields.setdefault("keyworker", actor)
    return child_services.child_create(actor=actor, today=TODAY, **fields)


def make_referral(actor, child: Child, **fields) -> Referral:
    fields.setdefault("received_on", date(2025, 1, 6))
    fields.setdefault("source", ReferralSource.SCHOOLS)
    fields.setdefault("primary_need", PrimaryNeed.N2)
    fields.setdefault("request", "Short breaks so the family can rest.")
    fields.setdefault("referrer", "Head teacher, Meole Brace School")
    return referral_services.referral_create(actor=actor, child=child, today=TODAY, **fields)


def screened_referral(
    actor, child: Child, *, outcome: str = ReferralStatus.ACCEPTED_FOR_ASSESSMENT, **fields
) -> Referral:
    referral = make_referral(actor, child, **fields)
    on = referral.received_on
    referral_services.referral_transition(actor=actor, referral=referral, status="screening", on=on)
    return referral_services.referral_transition(
        actor=actor, referral=referral, status=outcome, on=on, reason="Screened by the team."
    )


def completed_assessment(
    actor,
    child: Child,
    *,
    started_on: date = date(2025, 1, 13),
    completed_on: date = date(2025, 2, 10),
    outcome: str = AssessmentOutcome.SPECIALIST,
    referral: Referral | None = None,
) -> Assessment:
    assessment = assessment_services.assessment_start(
        actor=actor, child=child, started_on=started_on, referral=referral
    )
    assessment_services.assessment_update(
        actor=actor,
        assessment=assessment,
        child_needs="Needs 1:1 support to go out safely.",
        carer_needs="Mother cares alone, day and night.",
        carer_could_continue_without_breaks=False,
        breaks_enable_work=True,
        breaks_enable_study=False,
        breaks_enable_other_children=True,
        breaks_enable_household=True,
        outcome=outcome,
        recommended_support="Community buddying, 5 hours a week.",
    )
    return assessment_services.assessment_complete(
        actor=actor, assessment=assessment, on=completed_on
    )


def authorised_assessment(
    social_worker, team_manager, child: Child, *, authorised_on: date = date(2025, 2, 12), **kw
) -> Assessment:
    assessment = completed_assessment(social_worker, child, **kw)
    return assessment_services.assessment_authorise(
        actor=team_manager, assessment=assessment, on=authorised_on
    )


def commissioned(commissioner, marker: str) -> dict:
    """A provider, its service, and an active contract whose lot 1 was awarded to it."""
    provider = make_provider(commissioner, name=f"Buddying {marker}")
    service = make_service(
        commissioner,
        provider,
        title=f"Community buddying {marker}",
        categories=["daytime_care"],
        setting="community",
        when=["weekends"],
    )
    contract = make_contract(commissioner, reference=f"SB-{marker}")
    lot = make_awarded_lot(commissioner, contract, provider)
    return {"provider": provider, "service": service, "contract": contract, "lot": lot}


def line_kwargs(offer: dict, **fields) -> dict:
    fields.setdefault("service", offer["service"])
    fields.setdefault("provider", offer["provider"])
    fields.setdefault("funding_route", FundingRoute.COMMISSIONED)
    if fields["funding_route"] == FundingRoute.COMMISSIONED:
        fields.setdefault("lot", offer["lot"])
    fields.setdefault("ratio", "1:1")
    if "nights_per_year" not in fields:
        fields.setdefault("hours_per_week", Decimal("5"))
    fields.setdefault("unit_rate", Decimal("28.50"))
    fields.setdefault("start_on", date(2025, 3, 3))
    return fields


def make_package(
    social_worker,
    team_manager,
    child: Child,
    offer: dict,
    *,
    assessment: Assessment | None = None,
    status: str = "active",
    start_on: date = date(2025, 3, 3),
    lines: list[dict] | None = None,
) -> Package:
    """A package through proposal, panel approval and start (as far as `status`)."""
    assessment = assessment or authorised_assessment(social_worker, team_manager, child)
    package = package_services.package_propose(
        actor=social_worker, child=child, assessment=assessment, start_on=start_on
    )
    for fields in lines if lines is not None else [{}]:
        package_services.package_line_add(
            actor=social_worker, package=package, **line_kwargs(offer, **fields)
        )
    if status == "proposed":
        return package
    package_services.panel_decision_record(
        actor=team_manager,
        package=package,
        decision=PanelOutcome.APPROVED,
        reasons="Meets the eligibility criteria; the family needs regular breaks.",
        decided_on=date(2025, 2, 20),
        members=["Head of Service", "Finance Business Partner"],
    )
    if status == "approved":
        package.refresh_from_db()
        return package
    return package_services.package_activate(actor=social_worker, package=package, on=start_on)


def build_world(two_councils) -> dict:
    """For each council: its people, a commissioned offer and a child on a social worker's list."""
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = two_councils[slug]["people"]
        social_worker = people[Role.SOCIAL_WORKER]
        world[slug] = {
            "council": two_councils[slug]["council"],
            "team": two_councils[slug]["team"],
            "people": people,
            "sw": social_worker,
            "tm": people[Role.TEAM_MANAGER],
            "offer": commissioned(people[Role.COMMISSIONER], marker),
            "child": make_child(social_worker, first_name="Sam", last_name=f"Jones {marker}"),
        }
    return world


def build_world_with_second_manager(world: dict) -> dict:
    """`build_world`'s world with a second team manager in alpha, `world["alpha"]["tm2"]`."""
    world["alpha"]["tm2"] = person_in(world["alpha"]["council"], Role.TEAM_MANAGER)
    return world
