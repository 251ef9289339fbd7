"""Outcome surveys for the tests: councils whose families have support running, a survey for
the period, sent."""

from __future__ import annotations

from datetime import date

from outcomes import services
from outcomes.models import Invitation, Respondent, Survey
from referrals.services import carers as carer_services
from shortbreaks.councils.models import Role
from tests.referrals.builders import build_world, make_child, make_package

PERIOD_START = date(2026, 4, 1)
PERIOD_END = date(2026, 6, 12)
CLOSES_ON = date(2026, 7, 15)


def add_family(council: dict, n: int, *, email: str = ""):
    """Another child with an active package of the council's commissioned service."""
    child = make_child(council["sw"], first_name=f"Child{n}", last_name="Family")
    make_package(council["sw"], council["tm"], child, council["offer"])
    carer_services.carer_add(
        actor=council["sw"], child=child, name=f"Carer {n}", relationship="mother", contact=email
    )
    return child


def outcomes_world(two_councils) -> dict:
    """Each council: its people (`admin` the council administrator), and one family (`child`)
    with an active package whose carer's contact is an email address."""
    world = build_world(two_councils)
    for slug, council in world.items():
        make_package(council["sw"], council["tm"], council["child"], council["offer"])
        council["carer"] = carer_services.carer_add(
            actor=council["sw"],
            child=council["child"],
            name="Alex Carer",
            relationship="mother",
            contact=f"alex@{slug}.example",
        )
        council["admin"] = council["people"][Role.COUNCIL_ADMIN]
        council["commissioner"] = council["people"][Role.COMMISSIONER]
    return world


def make_survey(council: dict, *, send: bool = True) -> Survey:
    survey = services.survey_create(
        actor=council["admin"],
        title="Summer survey",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        closes_on=CLOSES_ON,
    )
    if send:
        services.survey_send(actor=council["admin"], survey=survey)
        survey.refresh_from_db()
    return survey


def invitation_of(survey: Survey, child, respondent: str = Respondent.PARENT) -> Invitation:
    return Invitation.objects.get(survey=survey, child=child, respondent=respondent)
