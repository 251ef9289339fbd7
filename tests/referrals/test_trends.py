"""Support in numbers and the grants waiting list over the last 24 months: one query a chart,
grouped by month, the council's own records only, and every month counting 1 to 4 children
shown as "fewer than 5" without its hours or nights."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from directpayments import selectors as dp_selectors
from directpayments import services as dp_services
from referrals import trends
from referrals.models import GrantStatus
from referrals.services import grants as grant_services
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks.councils.models import Role
from shortbreaks.spend_sources import published_spend_by_month
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.directpayments.builders import DP_LINE, make_agreement
from tests.referrals.builders import make_child, make_package

# Months counted back from FROZEN_TODAY (15 June 2026): July 2024 to June 2026.
pytestmark = pytest.mark.usefixtures("frozen_today")

API = "/api/v1/aggregates/trends/"
PAGE = "/aggregates/"


def _packages(world, slug: str, count: int) -> list:
    """`count` children, each with an active package of one line from 3 March 2025."""
    side = world[slug]
    packages = []
    for n in range(count):
        child = make_child(side["sw"], first_name=f"Trend{n}")
        packages.append(make_package(side["sw"], side["tm"], child, side["offer"]))
    return packages


def _deliver(world, slug: str, packages, start: date, hours: str) -> None:
    for package in packages:
        package_services.delivery_record_add(
            actor=world[slug]["sw"],
            line=package.lines.get(),
            period_start=start,
            period_end=start + timedelta(days=6),
            hours_delivered=Decimal(hours),
        )


def _month(rows, month: date) -> dict:
    [row] = [row for row in rows if row["month"] == month]
    return row


def _commissioner(world, slug="alpha"):
    return world[slug]["people"][Role.COMMISSIONER]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_children_hours_and_nights_by_month_with_small_numbers_withheld(world):
    packages = _packages(world, "alpha", 5)
    _deliver(world, "alpha", packages, date(2026, 5, 4), "3.5")  # five children: shown
    _deliver(world, "alpha", packages[:2], date(2026, 4, 6), "2")  # two: fewer than 5
    overnight_services.overnight_stay_record(
        actor=world["alpha"]["sw"], child=packages[0].child, first_night=date(2026, 5, 8), nights=3
    )
    # Another council's support is never counted.
    _deliver(world, "bravo", _packages(world, "bravo", 5), date(2026, 5, 4), "100")

    rows = trends.support_trends(actor=_commissioner(world))["months"]
    assert len(rows) == 24
    assert rows[0]["month"] == date(2024, 7, 1) and rows[-1]["month"] == date(2026, 6, 1)

    before = _month(rows, date(2025, 2, 1))
    assert sum(before["children_by_tier"].values()) == 0
    after = _month(rows, date(2025, 3, 1))
    assert sorted(after["children_by_tier"].values()) == [0, 0, 5]

    may = _month(rows, date(2026, 5, 1))
    assert may["hours_delivered"] == Decimal("17.50")
    assert may["hours_children"] == 5
    assert may["nights"] is None  # three nights, one child
    assert may["nights_children"] is None

    april = _month(rows, date(2026, 4, 1))
    assert april["hours_delivered"] is None
    assert april["hours_children"] is None

    june = _month(rows, date(2026, 6, 1))
    assert june["hours_delivered"] == 0 and june["nights"] == 0  # 0 stays 0


def test_a_tier_of_1_to_4_children_says_fewer_than_5(world):
    _packages(world, "alpha", 3)
    rows = trends.support_trends_published(actor=_commissioner(world))
    march = _month(rows, date(2025, 3, 1))
    counted = [tier for tier in march["children_by_tier"] if tier["suppressed"]]
    assert len(counted) == 1
    assert counted[0]["children"] is None
    assert counted[0]["suppressed"] == "fewer than 5"


def test_the_page_charts_each_trend_with_its_table(world, client_for):
    packages = _packages(world, "alpha", 5)
    _deliver(world, "alpha", packages, date(2026, 5, 4), "3.5")
    _deliver(world, "alpha", packages[:2], date(2026, 4, 6), "2")
    response = client_for(_commissioner(world)).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Children supported each month, by tier",
        "Hours of support delivered each month",
        "Nights away from home each month",
    ):
        assert f"{title}</h3>" in page
        assert f"{title}: the figures</caption>" in page
    assert page.count('role="img"') >= 2
    hours = page[page.index('id="trend-hours"') : page.index('id="trend-nights"')]
    assert ">17.5</td>" in hours  # May
    assert ">Fewer than 5</td>" in hours  # April
    for n in range(5):
        assert f"Trend{n}" not in page


def test_the_api_gives_24_months_in_a_pinned_number_of_queries(world, django_assert_num_queries):
    packages = _packages(world, "alpha", 5)
    _deliver(world, "alpha", packages, date(2026, 5, 4), "3.5")
    client = _api(_commissioner(world))
    client.get(API)
    # The council's summary and its months (referrals.summary), and the two every API request
    # makes (as the aggregates' own pin).
    with django_assert_num_queries(4) as few:
        response = client.get(API)
    assert response.status_code == 200
    _packages(world, "alpha", 4)
    _deliver(world, "alpha", packages, date(2026, 3, 2), "1")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(API)
    months = response.json()["months"]
    assert len(months) == 24
    may = _month(months, "2026-05-01")
    assert may["hours_delivered"] == "17.50" and may["hours_suppressed"] == ""
    assert _month(months, "2026-04-01")["hours_delivered"] == "0.00"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN])
def test_the_trends_api_refuses_roles_without_the_aggregates(world, role):
    assert _api(world["alpha"]["people"][role]).get(API).status_code == 403


def test_the_trends_api_refuses_the_signed_out(db):
    assert APIClient().get(API).status_code == 401


def test_the_waiting_list_by_month_counts_waits_at_each_month_end_and_decisions(world):
    side = world["alpha"]
    scheme = grant_services.grant_scheme_create(
        actor=side["sw"],
        name=f"Short break grant {MARKER_A}",
        year=2025,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    applications = [
        grant_services.grant_application_create(
            actor=side["sw"],
            child=make_child(side["sw"], first_name=f"Grant{n}"),
            scheme=scheme,
            received_on=received,
        )
        for n, received in enumerate([date(2026, 2, 10), date(2026, 3, 5), date(2026, 3, 20)])
    ]
    grant_services.grant_application_decide(
        actor=side["sw"],
        application=applications[0],
        decision=GrantStatus.DECLINED,
        decided_on=date(2026, 4, 2),
        reason="Lives outside the area.",
    )
    bravo = world["bravo"]
    grant_services.grant_application_create(
        actor=bravo["sw"],
        child=bravo["child"],
        scheme=grant_services.grant_scheme_create(
            actor=bravo["sw"],
            name=f"Short break grant {MARKER_B}",
            year=2025,
            eligibility_criteria="A disabled child.",
            max_amount=Decimal("500.00"),
        ),
        received_on=date(2026, 3, 1),
    )
    rows = trends.grants_by_month(actor=side["sw"])
    assert len(rows) == 24
    by_month = {row["month"]: (row["waiting"], row["decided"]) for row in rows}
    assert by_month[date(2026, 1, 1)] == (0, 0)
    assert by_month[date(2026, 2, 1)] == (1, 0)
    assert by_month[date(2026, 3, 1)] == (3, 0)
    assert by_month[date(2026, 4, 1)] == (2, 1)  # decided in April: no longer waiting at its end
    assert by_month[date(2026, 6, 1)] == (2, 0)


def test_the_waiting_list_by_month_counts_waits_begun_before_the_24_months(world):
    """Months run July 2024 to June 2026: an application waiting since before them counts in
    each month until it is decided; one decided before them counts nowhere; one received and
    decided in the same month counts only as a decision."""
    side = world["alpha"]
    scheme = grant_services.grant_scheme_create(
        actor=side["sw"],
        name=f"Short break grant {MARKER_A}",
        year=2024,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    received = [date(2024, 5, 1), date(2024, 3, 4), date(2025, 9, 3), date(2024, 6, 28)]
    applications = [
        grant_services.grant_application_create(
            actor=side["sw"],
            child=make_child(side["sw"], first_name=f"Early{n}"),
            scheme=scheme,
            received_on=on,
        )
        for n, on in enumerate(received)
    ]
    for application, decided_on in zip(
        applications[1:], [date(2024, 6, 10), date(2025, 9, 20), date(2025, 1, 31)], strict=True
    ):
        grant_services.grant_application_decide(
            actor=side["sw"],
            application=application,
            decision=GrantStatus.DECLINED,
            decided_on=decided_on,
            reason="Lives outside the area.",
        )
    by_month = {
        row["month"]: (row["waiting"], row["decided"])
        for row in trends.grants_by_month(actor=side["sw"])
    }
    assert by_month[date(2024, 7, 1)] == (2, 0)
    assert by_month[date(2024, 12, 1)] == (2, 0)
    assert by_month[date(2025, 1, 1)] == (1, 1)  # decided on its last day
    assert by_month[date(2025, 9, 1)] == (1, 1)  # received and decided in September
    assert by_month[date(2026, 6, 1)] == (1, 0)
    assert sum(decided for _, decided in by_month.values()) == 2
    assert all(type(n) is int for row in by_month.values() for n in row)


def test_the_grants_page_charts_the_waiting_list_by_month(world, client_for):
    response = client_for(world["alpha"]["sw"]).get(reverse("referrals:grants"))
    page = response.content.decode()
    assert "The waiting list by month</h2>" in page
    assert "The waiting list by month: the figures</caption>" in page


PACKAGES = "Commissioned and spot-purchased support"
DIRECT = "Direct payments paid, less unspent money recovered"


def _spend(rows, month: date) -> dict:
    return {cell["label"]: cell["amount"] for cell in _month(rows, month)["spend"]}


def test_spend_each_month_counts_line_costs_for_the_days_they_ran_and_withholds_small_numbers(
    world,
):
    # 5 hours a week at £28.50 from 3 March 2025: £142.50 a week each.
    _packages(world, "alpha", 5)
    rows = trends.support_trends(actor=_commissioner(world))["months"]
    assert _spend(rows, date(2025, 2, 1))[PACKAGES] == 0
    assert _spend(rows, date(2025, 3, 1))[PACKAGES] == Decimal("2951.79")  # 29 days x 5
    assert _spend(rows, date(2026, 5, 1))[PACKAGES] == Decimal("3155.36")  # 31 days x 5
    _packages(world, "bravo", 2)
    bravo = trends.support_trends(actor=_commissioner(world, "bravo"))["months"]
    assert _spend(bravo, date(2026, 5, 1))[PACKAGES] is None  # two children: not shown


def test_direct_payments_are_counted_from_their_payments_less_recoveries(world):
    alpha = world["alpha"]
    finance = alpha["people"][Role.FINANCE_OFFICER]
    make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], lines=[DP_LINE])
    agreement = make_agreement(alpha)
    dp_services.payment_record(
        actor=finance, agreement=agreement, paid_on=date(2026, 4, 1), amount=Decimal("300")
    )
    dp_services.recovery_record(
        actor=finance,
        agreement=agreement,
        recovered_on=date(2026, 4, 20),
        amount=Decimal("40"),
        reason="Unspent",
    )
    months = [date(2026, 3, 1), date(2026, 4, 1)]
    assert dp_selectors.spend_by_month(
        council=alpha["council"], first=months[0], last=months[-1]
    ) == {date(2026, 4, 1): {"amount": Decimal("260.00"), "children": 1}}
    published = {
        row["label"]: row["values"]
        for row in published_spend_by_month(council=alpha["council"], months=months)
    }
    # The direct-payment line's cost is not counted as package spend; one child's is withheld.
    assert published[DIRECT] == [0, None]
    assert published[PACKAGES] == [0, 0]


# ---------------------------------------------------------------------------------------------
# The waiting list and spend by month, as JSON

WAITING_API = "/api/v1/aggregates/trends/waiting-list/"
SPEND_API = "/api/v1/aggregates/trends/spend/"


def _applications(world, slug: str, received: list[date]) -> list:
    side = world[slug]
    scheme = grant_services.grant_scheme_create(
        actor=side["sw"],
        name=f"Short break grant {slug}",
        year=2025,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    return [
        grant_services.grant_application_create(
            actor=side["sw"],
            child=make_child(side["sw"], first_name=f"Wait{n}"),
            scheme=scheme,
            received_on=on,
        )
        for n, on in enumerate(received)
    ]


def _decide(world, slug: str, application, on: date) -> None:
    grant_services.grant_application_decide(
        actor=world[slug]["sw"],
        application=application,
        decision=GrantStatus.DECLINED,
        decided_on=on,
        reason="Lives outside the area.",
    )


def test_the_waiting_list_api_gives_24_months_with_small_numbers_withheld(world):
    alpha = _applications(world, "alpha", [date(2026, 2, 10)] * 6)
    for application in alpha[:2]:
        _decide(world, "alpha", application, date(2026, 4, 2))
    _applications(world, "bravo", [date(2026, 2, 11)] * 3)
    response = _api(_commissioner(world)).get(WAITING_API)
    assert response.status_code == 200
    months = response.json()["months"]
    assert len(months) == 24
    assert (months[0]["month"], months[-1]["month"]) == ("2024-07-01", "2026-06-01")
    assert set(months[0]) == {
        "month",
        "waiting",
        "waiting_suppressed",
        "decided",
        "decided_suppressed",
    }
    assert _month(months, "2026-01-01")["waiting"] == 0
    february = _month(months, "2026-02-01")
    assert (february["waiting"], february["waiting_suppressed"]) == (6, "")  # not bravo's 3
    april = _month(months, "2026-04-01")
    assert (april["waiting"], april["waiting_suppressed"]) == (None, "fewer than 5")
    assert (april["decided"], april["decided_suppressed"]) == (None, "fewer than 5")
    bravo = _api(_commissioner(world, "bravo")).get(WAITING_API).json()["months"]
    assert _month(bravo, "2026-02-01")["waiting"] is None


def test_the_waiting_list_api_takes_the_same_queries_however_many(world, django_assert_num_queries):
    client = _api(_commissioner(world))
    client.get(WAITING_API)
    # The two every API request makes, and the one of the waiting list.
    with django_assert_num_queries(3) as few:
        client.get(WAITING_API)
    _applications(world, "alpha", [date(2025, 5, 1)] * 3 + [date(2026, 1, 3)] * 4)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(WAITING_API).status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN])
def test_the_waiting_list_api_refuses_roles_without_the_aggregates(world, role):
    assert _api(world["alpha"]["people"][role]).get(WAITING_API).status_code == 403


def _budget(world, slug: str, year: int, amount: str) -> None:
    from contracts.services import spend as contract_services

    contract_services.spend_line_set(
        actor=world[slug]["people"][Role.FINANCE_OFFICER],
        financial_year=year,
        package_type="commissioned",
        budget=Decimal(amount),
        outturn=None,
    )


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_the_spend_api_gives_24_months_against_the_budget_profile(world, role):
    _packages(world, "alpha", 5)
    _budget(world, "alpha", 2025, "120000")
    _packages(world, "bravo", 5)
    _budget(world, "bravo", 2024, "999999")
    response = _api(world["alpha"]["people"][role]).get(SPEND_API)
    assert response.status_code == 200
    months = response.json()["months"]
    assert len(months) == 24
    assert set(months[0]) == {"month", "spend", "budget_profile"}
    may = _month(months, "2026-05-01")
    assert {cell["label"]: (cell["amount"], cell["suppressed"]) for cell in may["spend"]} == {
        PACKAGES: ("3155.36", ""),
        DIRECT: ("0.00", ""),
    }
    assert may["budget_profile"] is None  # 2026/27 has no budget
    assert _month(months, "2026-03-01")["budget_profile"] == "10000.00"
    assert _month(months, "2025-03-01")["budget_profile"] is None  # not bravo's 2024/25


def test_the_spend_api_withholds_a_month_for_1_to_4_children(world):
    _packages(world, "bravo", 2)
    months = _api(_commissioner(world, "bravo")).get(SPEND_API).json()["months"]
    [cell] = [c for c in _month(months, "2026-05-01")["spend"] if c["label"] == PACKAGES]
    assert (cell["amount"], cell["suppressed"]) == (None, "fewer than 5")


def test_the_spend_api_takes_the_same_queries_however_much(world, django_assert_num_queries):
    client = _api(_commissioner(world))
    client.get(SPEND_API)
    # The two every API request makes, the budgets, and one for each spend source.
    with django_assert_num_queries(5) as few:
        client.get(SPEND_API)
    _packages(world, "alpha", 6)
    _budget(world, "alpha", 2025, "50000")
    _budget(world, "alpha", 2024, "40000")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(SPEND_API).status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.COUNCIL_ADMIN])
def test_the_spend_api_refuses_roles_without_the_spend_page(world, role):
    assert _api(world["alpha"]["people"][role]).get(SPEND_API).status_code == 403


def test_the_spend_page_charts_24_months_with_the_table(world, client_for):
    _packages(world, "alpha", 5)
    page = client_for(_commissioner(world)).get(reverse("contracts:spend")).content.decode()
    assert "Spend each month against the budget profile</h2>" in page
    assert "Spend each month against the budget profile: the figures</caption>" in page
    chart = page.split('id="spend-by-month"', 1)[1].split("</table>", 1)[0]
    assert chart.count('<th scope="row" class="govuk-table__header">') == 24
    assert "June 2026" in chart or "Jun 2026" in chart


def test_a_child_with_support_in_two_runs_counts_once_a_month_and_not_between_them(world):
    """Each line counts for the months it touches and the days it ran in them; a child with two
    lines at once counts once, and a month between two runs of support counts nothing."""
    from referrals.models import PackageLine

    [package] = _packages(world, "alpha", 1)  # 5 hours a week at £28.50: £142.50 a week
    line = package.lines.get()
    PackageLine.objects.filter(pk=line.pk).update(end_on=date(2025, 4, 10))
    for start, end in ((date(2025, 6, 20), None), (date(2025, 7, 1), date(2025, 9, 30))):
        line.pk, line.start_on, line.end_on = None, start, end
        line.save()
    commissioner = _commissioner(world)
    children = trends.children_by_tier(actor=commissioner)
    assert sum(children[date(2025, 4, 1)].values()) == 1
    assert children[date(2025, 5, 1)] == {}
    assert sum(children[date(2025, 7, 1)].values()) == 1  # two lines, one child
    cost = trends.package_cost_by_month(
        council=commissioner.active_council, first=date(2024, 7, 1), last=date(2026, 6, 1)
    )
    assert cost[date(2025, 3, 1)]["amount"] == Decimal("590.36")  # 29 days
    assert cost[date(2025, 4, 1)]["amount"] == Decimal("203.57")  # 10 days
    assert date(2025, 5, 1) not in cost
    assert cost[date(2025, 6, 1)]["amount"] == Decimal("223.93")  # 11 days
    assert cost[date(2025, 7, 1)] == {"amount": Decimal("1262.14"), "children": 1}  # 2 x 31 days
    assert cost[date(2025, 10, 1)]["amount"] == Decimal("631.07")  # 31 days, one line again
