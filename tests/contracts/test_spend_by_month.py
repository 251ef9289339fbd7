"""Spend against budget by month: what the package lines cost and the direct payments recorded in
each of the last 24 months, against a twelfth of each financial year's budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import SpendLine
from contracts.services import spend as services
from contracts.views.spend import monthly_chart, spend_by_year
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import build_world, make_child, make_package

# Months counted back from FROZEN_TODAY (15 June 2026): July 2024 to June 2026.
pytestmark = pytest.mark.usefixtures("frozen_today")

PACKAGES = "Commissioned and spot-purchased support"


@pytest.fixture
def world(two_councils):
    world = build_world(two_councils)
    finance = world["alpha"]["people"][Role.FINANCE_OFFICER]
    services.spend_line_set(
        actor=finance,
        financial_year=2025,
        package_type="commissioned",
        budget=Decimal("1200000"),
        outturn=None,
    )
    return world


def _chart(world, slug="alpha"):
    actor = world[slug]["people"][Role.FINANCE_OFFICER]
    lines = SpendLine.objects.filter(council=world[slug]["council"])
    return monthly_chart(actor, spend_by_year(lines))


def _series(chart, label):
    [series] = [s for s in chart.series if s.label == label]
    return dict(zip(chart.categories, series.values, strict=True))


def test_the_budget_profile_is_a_twelfth_of_its_years_budget(world):
    profile = _series(_chart(world), "Budget profile")
    assert profile["Mar 2025"] is None  # 2024/25: no budget set
    assert profile["Apr 2025"] == Decimal("100000.00")
    assert profile["Mar 2026"] == Decimal("100000.00")
    assert profile["Apr 2026"] is None
    table = _chart(world).table
    [march] = [row for row in table["rows"] if row["label"] == "Mar 2025"]
    assert march["cells"][-1] == "no budget set"


def test_package_spend_is_shown_for_five_children_and_withheld_for_fewer(world):
    alpha = world["alpha"]
    for n in range(5):
        child = make_child(alpha["sw"], first_name=f"Spend{n}")
        make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    spend = _series(_chart(world), PACKAGES)
    assert spend["Feb 2025"] == 0
    assert spend["May 2026"] == Decimal("3155.36")  # 31 days of £142.50 a week, five children
    bravo = world["bravo"]
    make_package(bravo["sw"], bravo["tm"], bravo["child"], bravo["offer"])
    assert _series(_chart(world, "bravo"), PACKAGES)["May 2026"] is None


def test_the_spend_page_charts_spend_by_month_with_its_table(world, client_for):
    alpha = world["alpha"]
    response = client_for(alpha["people"][Role.COMMISSIONER]).get(reverse("contracts:spend"))
    html = response.content.decode()
    assert "Spend each month against the budget profile</h2>" in html
    assert "Spend each month against the budget profile: the figures</caption>" in html
    assert 'govuk-table__header--numeric">Budget profile</th>' in html
    assert "£100,000" in html
    assert date(2026, 6, 1).strftime("%b %Y") in html
