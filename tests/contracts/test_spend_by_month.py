"""Spend against budget by month: what the package lines cost and the direct payments recorded in
each of the last 24 months, against a twelfth of each financial year's budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse, reverse_lazy

from contracts.models import SpendLine
from contracts.services import spend as services
from contracts.views.spend import monthly_chart, spend_by_month, spend_by_year
from referrals import tasks
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.per_module import world_per_module
from tests.referrals.builders import build_world, make_child, make_package

# Months counted back from FROZEN_TODAY (15 June 2026): July 2024 to June 2026.
pytestmark = pytest.mark.usefixtures("frozen_today")

PACKAGES = "Commissioned and spot-purchased support"
SPEND = reverse_lazy("contracts:spend")


def _build_world(two_councils) -> dict:
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


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def _chart(world, slug="alpha"):
    actor = world[slug]["people"][Role.FINANCE_OFFICER]
    lines = SpendLine.objects.filter(council=world[slug]["council"])
    return monthly_chart(spend_by_month(actor, spend_by_year(lines)))


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


def _packages(side, count: int, name: str) -> None:
    for n in range(count):
        child = make_child(side["sw"], first_name=f"{name}{n}")
        make_package(side["sw"], side["tm"], child, side["offer"])


def test_the_spend_page_reads_spend_by_month_from_the_support_summary(
    world, client_for, django_assert_num_queries
):
    """Worked out by the first read and every hour after (`referrals.summary`): spend recorded
    since shows at the next, in the same queries, and another council's spend never counts."""
    alpha, bravo = world["alpha"], world["bravo"]
    _packages(alpha, 5, "Spend")
    _packages(bravo, 5, "Other")
    client = client_for(alpha["people"][Role.COMMISSIONER])
    html = client.get(SPEND).content.decode()
    assert "Spend by month as at 10:00 on 15 June 2026." in html
    assert _series(_chart(world), PACKAGES)["May 2026"] == Decimal("3155.36")  # alpha's five
    _packages(alpha, 5, "Later")
    assert _series(_chart(world), PACKAGES)["May 2026"] == Decimal("3155.36")
    # The session, user and council, the spend lines, the direct payments by financial year,
    # the summary and its months, the header's checks and the request's savepoint.
    with django_assert_num_queries(10):
        client.get(SPEND)
    tasks.refresh_support_summaries()
    with django_assert_num_queries(10):
        html = client.get(SPEND).content.decode()
    assert "£6,311" in html
    assert _series(_chart(world), PACKAGES)["May 2026"] == Decimal("6310.71")
    assert _series(_chart(world, "bravo"), PACKAGES)["May 2026"] == Decimal("3155.36")
