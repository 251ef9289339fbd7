"""Direct payments for the tests: a child with a package line paid by direct payment, and an
agreement set up from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from directpayments import services
from directpayments.models import Agreement, PaymentMethod, PaymentPeriod
from referrals.models import FundingRoute
from shortbreaks.councils.models import Role
from tests.referrals.builders import build_world, make_package

DP_LINE = {
    "funding_route": FundingRoute.DIRECT_PAYMENT,
    "hours_per_week": Decimal("5"),
    "unit_rate": Decimal("20.00"),
}


def make_agreement(council: dict, **fields) -> Agreement:
    fields.setdefault("recipient_name", "Alex Jones")
    fields.setdefault("recipient_relationship", "mother")
    fields.setdefault("purpose", "A personal assistant at weekends.")
    fields.setdefault("period", PaymentPeriod.MONTHLY)
    fields.setdefault("start_on", date(2025, 4, 1))
    fields.setdefault("end_on", date(2026, 3, 31))
    fields.setdefault("method", PaymentMethod.PREPAID_CARD)
    return services.agreement_create(actor=council["sw"], child=council["child"], **fields)


def dp_world(two_councils) -> dict:
    """Each council: a child with an active package of one direct-payment line (5 hours a week at
    £20) and one commissioned line, and its finance officer."""
    world = build_world(two_councils)
    for council in world.values():
        make_package(
            council["sw"], council["tm"], council["child"], council["offer"], lines=[DP_LINE, {}]
        )
        council["finance"] = council["people"][Role.FINANCE_OFFICER]
    return world
