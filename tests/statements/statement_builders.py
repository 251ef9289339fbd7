"""Build statement versions for tests, through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from referrals.services import grants as grant_services
from statements import services
from statements.models import StatementVersion
from tests.builders import make_provider, make_service

TODAY = date(2025, 6, 2)

COMPLETE_TEXT = {
    "introduction": "Short breaks give parent carers a break from caring.",
    "universal_eligibility": "Universal short breaks are open to every child and young person.",
    "targeted_eligibility": "For disabled children who need some extra help to join in.",
    "specialist_eligibility": "After a social care assessment of the child and their carers.",
    "meeting_needs": "The range gives breaks in the day, overnight, evenings and holidays.",
    "how_to_apply": "Apply online or call the short breaks team on 01234 567890.",
    "views_and_complaints": "Tell us your views with the form below, or use the complaints "
    "procedure.",
    "views_summary": "Parent carers asked for more holiday provision; we added two schemes.",
    "lead_officer_name": "Lead Officer Statementson",
    "lead_officer_contact": "shortbreaks@example.org",
}


def offer_every_category(commissioner, marker: str = "") -> list:
    """One active provider with a service in each tier, covering every Regulation 4 category."""
    provider = make_provider(commissioner, name=f"Breaks Provider {marker}".strip())
    return [
        make_service(
            commissioner,
            provider,
            title=f"Youth club {marker}".strip(),
            tier="universal",
            categories=["educational_leisure", "evenings_weekends_holidays"],
            setting="community",
            when=["evenings", "school_holidays"],
            price_unit="session",
            price=Decimal("0"),
        ),
        make_service(
            commissioner,
            provider,
            title=f"Community buddying {marker}".strip(),
            tier="targeted",
            categories=["daytime_care"],
            setting="community",
            when=["weekends"],
            price_unit="hour",
            price=Decimal("12.50"),
            age_from=5,
            age_to=17,
        ),
        make_service(
            commissioner,
            provider,
            title=f"Overnight home {marker}".strip(),
            tier="specialist",
            categories=["overnight_care"],
            setting="residential",
            when=["overnight"],
        ),
    ]


def make_grant_scheme(social_worker, **fields):
    fields.setdefault("name", "Short break grant")
    fields.setdefault("year", 2025)
    fields.setdefault("eligibility_criteria", "A disabled child living in the council's area.")
    fields.setdefault("max_amount", Decimal("500"))
    return grant_services.grant_scheme_create(actor=social_worker, **fields)


def complete_draft(commissioner, **overrides) -> StatementVersion:
    version = services.statement_draft_create(actor=commissioner)
    return services.statement_update(
        actor=commissioner, version=version, **{**COMPLETE_TEXT, **overrides}
    )


def published(commissioner, *, today: date = TODAY, **overrides) -> StatementVersion:
    version = complete_draft(commissioner, **overrides)
    return services.statement_publish(actor=commissioner, version=version, today=today)
