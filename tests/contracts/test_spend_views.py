"""Spend against budget in the browser: the chart with the table beside it, the finance officers'
forms, a contract's yearly spend, and nothing of another council."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from contracts.models import ContractSpend, SpendLine
from contracts.services import spend as services
from contracts.views.spend import YearSpend, spend_by_year, spend_chart
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.conftest import MARKER_B
from tests.roles import SPEND_EDITORS, SPEND_READERS

SPEND = reverse("contracts:spend")
EDIT = reverse("contracts:spend-edit")


def _line(actor, year, package_type, budget, outturn) -> SpendLine:
    return services.spend_line_set(
        actor=actor,
        financial_year=year,
        package_type=package_type,
        budget=None if budget is None else Decimal(budget),
        outturn=None if outturn is None else Decimal(outturn),
    )


@pytest.fixture
def spend(two_councils):
    """Warwickshire's shape: 2023/24 with an outturn, 2024/25 with a budget only. Bravo's
    figures carry a number that must never show in Alpha's pages."""
    finance = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    _line(finance, 2023, "commissioned", "1200000", "1250000")
    _line(finance, 2023, "direct_payments", "800000", "760000")
    _line(finance, 2024, "commissioned", "1930000", None)
    _line(finance, 2024, "home_care", "300000.50", None)
    bravo = two_councils["bravo"]["people"][Role.FINANCE_OFFICER]
    _line(bravo, 2023, "commissioned", "987654321", "987654321")
    return finance


def test_urls():
    assert SPEND == "/contracts/spend/"
    assert EDIT == "/contracts/spend/edit/"
    assert reverse("contracts:contract-spend-edit", args=[3]) == "/contracts/3/spend/"


@pytest.mark.parametrize("role", Role.values)
def test_the_spend_page_per_role(spend, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).get(SPEND)
    if role not in SPEND_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Spend against budget</h1>' in html
    assert ("Set a budget or outturn" in html) == (role in SPEND_EDITORS)
    assert ("Change<span" in html) == (role in SPEND_EDITORS)
    assert "987,654,321" not in html
    assert MARKER_B not in html


def test_the_chart_and_the_table_beside_it(spend, client_for):
    html = client_for(spend).get(SPEND).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="spend-chart-title spend-chart-summary"' in svg
    assert "<title>Budget and outturn by financial year</title>" in svg
    assert "2023/24: budget £2,000,000, outturn £2,010,000" in svg
    assert "2024/25: budget £2,230,000.50, outturn not recorded" in svg
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    # Three bars: two for 2023/24, the budget only for 2024/25.
    assert svg.count("<rect") == 2 + 3  # two legend keys, three bars

    summary = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert "<caption" in summary
    assert '<th scope="row" class="govuk-table__header">2023/24</th>' in summary
    assert "£2,000,000" in summary
    assert "£2,010,000" in summary
    assert "£10,000 over" in summary
    assert "Not recorded" in summary

    assert "Budget and outturn by financial year and package type" in html
    assert "Direct payments" in html
    assert "£300,000.50" in html
    assert f"{EDIT}?year=2024&amp;type=home_care" in html


def test_the_page_says_when_there_is_nothing(two_councils, client_for):
    response = client_for(two_councils["alpha"]["people"][Role.AUDITOR]).get(SPEND)
    assert "No budget or outturn has been recorded yet." in response.content.decode()
    assert "<svg" not in response.content.decode()


def test_the_spend_page_query_count_does_not_grow(
    spend, two_councils, client_for, django_assert_num_queries
):
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    client.get(SPEND)  # the first request starts the session's clock: one write, once
    with django_assert_num_queries(QUERIES):
        client.get(SPEND)
    for year in range(2010, 2020):
        for package_type in ("commissioned", "spot_purchased", "home_care", "direct_payments"):
            _line(spend, year, package_type, "1000", "900")
    with django_assert_num_queries(QUERIES):
        html = client.get(SPEND).content.decode()
    assert "2010/11" in html


# Session, user, roles, council, the spend lines; the header's "change council" check (model
# permissions of the person and their groups, and their councils); and the request's savepoint
# and its release; and the direct payments recorded, by month (shortbreaks.spend_sources); and
# the chart by month: one query for each source of spend by month (package lines, direct payments).
QUERIES = 10


# ---------------------------------------------------------------------------------------------
# Setting a line.


def test_a_finance_officer_sets_a_line(spend, client_for):
    client = client_for(spend)
    assert client.get(EDIT).status_code == 200
    response = client.post(
        EDIT,
        {
            "financial_year": "2025/26",
            "package_type": "spot_purchased",
            "budget": "£1,930,000",
            "outturn": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == SPEND
    line = SpendLine.objects.get(council=spend.active_council, financial_year=2025)
    assert (line.package_type, line.budget, line.outturn) == (
        "spot_purchased",
        Decimal("1930000.00"),
        None,
    )
    assert "Spot purchased spend for 2025/26 saved" in response.content.decode()


def test_setting_a_line_again_replaces_it(spend, client_for):
    client_for(spend).post(
        EDIT,
        {
            "financial_year": "2024-25",
            "package_type": "commissioned",
            "budget": "1",
            "outturn": "2",
        },
    )
    line = SpendLine.objects.get(
        council=spend.active_council, financial_year=2024, package_type="commissioned"
    )
    assert (line.budget, line.outturn) == (Decimal("1"), Decimal("2"))


def test_change_prefills_the_form(spend, client_for):
    html = client_for(spend).get(f"{EDIT}?year=2024&type=home_care").content.decode()
    assert 'value="2024/25"' in html
    assert 'value="300000.50"' in html
    assert re.search(r'value="home_care"[^>]*checked', html)


@pytest.mark.parametrize("query", ["?year=abc&type=home_care", "?year=2024&type=nope", "?type=x"])
def test_a_bad_prefill_is_ignored(spend, client_for, query):
    assert client_for(spend).get(EDIT + query).status_code == 200


@pytest.mark.parametrize("role", sorted(set(Role.values) - SPEND_EDITORS))
def test_other_roles_cannot_set_a_line(spend, two_councils, client_for, role):
    client = client_for(two_councils["alpha"]["people"][role])
    assert client.get(EDIT).status_code == 403
    form = {"financial_year": "2030/31", "package_type": "home_care", "budget": "5"}
    assert client.post(EDIT, form).status_code == 403
    assert not SpendLine.objects.filter(financial_year=2030).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"financial_year": "2024/26"}, "The financial year must run from one April to the next"),
        ({"financial_year": "24/25"}, "Enter the financial year like 2024/25"),
        ({"financial_year": "1999/00"}, "Enter the year the financial year starts, like 2024."),
        ({"financial_year": ""}, "Enter the financial year, like 2024/25"),
        ({"budget": "-5"}, "Enter an amount of zero or more."),
        ({"outturn": "-0.01"}, "Enter an amount of zero or more."),
        ({"budget": "lots"}, "Enter the budget as an amount in pounds"),
        ({"budget": "12345678901"}, "The budget must be less than £10,000,000,000"),
        ({"package_type": "respite"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_and_nothing_changes(spend, client_for, changes, message):
    before = list(SpendLine.objects.values_list("pk", "budget", "outturn").order_by("pk"))
    form = {"financial_year": "2026/27", "package_type": "home_care", "budget": "10", "outturn": ""}
    response = client_for(spend).post(EDIT, {**form, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert list(SpendLine.objects.values_list("pk", "budget", "outturn").order_by("pk")) == before


# ---------------------------------------------------------------------------------------------
# A contract's yearly spend.


@pytest.fixture
def contracts(two_councils):
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    return {
        "ours": make_contract(alpha, reference="W-BLOCK"),
        "theirs": make_contract(bravo, reference="B-1", title=f"Bravo {MARKER_B}"),
        "joint": make_contract(
            bravo, reference="J-1", participating_councils=[two_councils["alpha"]["council"]]
        ),
    }


def _contract_url(contract) -> str:
    return reverse("contracts:contract-spend-edit", args=[contract.pk])


def test_a_finance_officer_sets_a_contracts_yearly_spend(contracts, two_councils, client_for):
    finance = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    client = client_for(finance)
    ours = contracts["ours"]
    page = client.get(_contract_url(ours))
    assert "No spend has been recorded on this contract." in page.content.decode()

    response = client.post(
        _contract_url(ours), {"financial_year": "2023/24", "amount": "612,500"}, follow=True
    )
    assert response.redirect_chain[-1][0] == _contract_url(ours)
    html = response.content.decode()
    assert "Spend for 2023/24 saved" in html
    assert "£612,500" in html
    assert ContractSpend.objects.get(contract=ours).amount == Decimal("612500")


@pytest.mark.parametrize("role", sorted(set(Role.values) - SPEND_EDITORS))
def test_other_roles_cannot_set_a_contracts_spend(contracts, two_councils, client_for, role):
    client = client_for(two_councils["alpha"]["people"][role])
    url = _contract_url(contracts["ours"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"financial_year": "2023/24", "amount": "1"}).status_code == 403
    assert not ContractSpend.objects.exists()


def test_another_councils_and_a_joint_contract_are_not_found(contracts, two_councils, client_for):
    client = client_for(two_councils["alpha"]["people"][Role.FINANCE_OFFICER])
    form = {"financial_year": "2023/24", "amount": "1"}
    for contract in (contracts["theirs"], contracts["joint"]):
        response = client.post(_contract_url(contract), form)
        assert response.status_code == 404
        assert MARKER_B not in response.content.decode()
    missing = client.post(f"/contracts/{contracts['theirs'].pk + 10_000}/spend/", form)
    assert missing.status_code == 404
    assert not ContractSpend.objects.exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"financial_year": "2023/24", "amount": "-1"}, "Enter an amount of zero or more."),
        ({"financial_year": "2023/25", "amount": "1"}, "The financial year must run from"),
        ({"financial_year": "2023/24", "amount": ""}, "Enter the amount spent in pounds"),
    ],
)
def test_bad_contract_spend_is_shown(contracts, two_councils, client_for, form, message):
    client = client_for(two_councils["alpha"]["people"][Role.FINANCE_OFFICER])
    response = client.post(_contract_url(contracts["ours"]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContractSpend.objects.exists()


def _section(user, contract, *, is_lead: bool) -> str:
    return render_to_string(
        "contracts/spend/_contract_spend.html",
        {
            "user": user,
            "contract": contract,
            "is_lead": is_lead,
            "spend": list(contract.spend.order_by("financial_year")),
        },
    )


def test_the_contract_page_section(contracts, two_councils):
    people = two_councils["alpha"]["people"]
    ours = contracts["ours"]
    for year, amount in ((2022, "600000"), (2023, "612500.25")):
        services.contract_spend_set(
            actor=people[Role.FINANCE_OFFICER],
            contract=ours,
            financial_year=year,
            amount=Decimal(amount),
        )
    html = _section(people[Role.FINANCE_OFFICER], ours, is_lead=True)
    assert html.index("2022/23") < html.index("2023/24")
    assert "£612,500.25" in html
    assert "<caption" in html
    assert _contract_url(ours) in html
    assert _contract_url(ours) not in _section(people[Role.COMMISSIONER], ours, is_lead=True)
    joint = contracts["joint"]
    assert _contract_url(joint) not in _section(people[Role.FINANCE_OFFICER], joint, is_lead=False)


# ---------------------------------------------------------------------------------------------
# The chart's arithmetic.


def test_the_chart_scales_bars_to_a_round_top():
    years = spend_by_year(
        [
            SpendLine(
                financial_year=2023,
                package_type="commissioned",
                budget=Decimal("1000000"),
                outturn=Decimal("500000"),
            ),
        ]
    )
    chart = spend_chart(years)
    budget, outturn = chart.bars
    assert budget["height"] == pytest.approx(2 * outturn["height"], abs=0.2)
    assert budget["y"] + budget["height"] == pytest.approx(chart.plot["bottom"])
    assert [t["label"] for t in chart.ticks] == ["£0", "£200k", "£400k", "£600k", "£800k", "£1m"]


def test_no_chart_without_amounts():
    assert spend_chart([]) is None
    assert spend_chart([YearSpend(2024)]) is None
