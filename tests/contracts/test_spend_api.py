"""spend/: readers list the council's budget and outturn lines; finance officers set them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import SpendLine
from contracts.services import spend as services
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_B
from tests.roles import SPEND_EDITORS, SPEND_READERS

URL = "/api/v1/spend/"


def _line(actor, year, package_type, budget, outturn=None) -> SpendLine:
    return services.spend_line_set(
        actor=actor,
        financial_year=year,
        package_type=package_type,
        budget=Decimal(budget),
        outturn=None if outturn is None else Decimal(outturn),
    )


@pytest.fixture
def finance(two_councils):
    alpha = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    _line(alpha, 2024, "commissioned", "1930000")
    _line(alpha, 2023, "direct_payments", "800000", "760000.50")
    _line(two_councils["bravo"]["people"][Role.FINANCE_OFFICER], 2023, "home_care", "987654321")
    return alpha


def test_the_url():
    assert reverse("api-spend") == URL


@pytest.mark.parametrize("role", Role.values)
def test_the_list_per_role(finance, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).get(URL)
    if role not in SPEND_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": response.json()["results"][0]["id"],
            "financial_year": "2023/24",
            "package_type": "direct_payments",
            "budget": "800000.00",
            "outturn": "760000.50",
        },
        {
            "id": response.json()["results"][1]["id"],
            "financial_year": "2024/25",
            "package_type": "commissioned",
            "budget": "1930000.00",
            "outturn": None,
        },
    ]
    assert "987654321" not in response.content.decode()
    assert MARKER_B not in response.content.decode()


def test_sign_in_is_needed(db, client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_finance_officer_sets_a_line(finance, client_for, method):
    response = getattr(client_for(finance), method)(
        URL,
        {
            "financial_year": "2024/25",
            "package_type": "commissioned",
            "budget": "1930000",
            "outturn": 1875000.25,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["outturn"] == "1875000.25"
    assert response.json()["financial_year"] == "2024/25"
    line = SpendLine.objects.get(
        council=finance.active_council, financial_year=2024, package_type="commissioned"
    )
    assert line.outturn == Decimal("1875000.25")
    assert SpendLine.objects.filter(council=finance.active_council).count() == 2


def test_a_new_line_needs_only_year_and_type(finance, client_for):
    response = client_for(finance).post(
        URL,
        {"financial_year": "2025/26", "package_type": "home_care"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["budget"] is None


@pytest.mark.parametrize("role", sorted(set(Role.values) - SPEND_EDITORS))
@pytest.mark.parametrize("method", ["post", "put"])
def test_other_roles_cannot_set_a_line(finance, two_councils, client_for, role, method):
    response = getattr(client_for(two_councils["alpha"]["people"][role]), method)(
        URL,
        {"financial_year": "2030/31", "package_type": "home_care", "budget": "5"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not SpendLine.objects.filter(financial_year=2030).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": "-1"}, "budget"),
        ({"outturn": -0.5}, "outturn"),
        ({"budget": "123456789012"}, "budget"),
        ({"financial_year": "2024/26"}, "financial_year"),
        ({"financial_year": "2024"}, "financial_year"),
        ({"financial_year": "1999/00"}, "financial_year"),
        ({"financial_year": 2024}, "financial_year"),
        ({"package_type": "respite"}, "package_type"),
    ],
)
def test_bad_input_is_a_400_with_the_field(finance, client_for, changes, field):
    before = list(SpendLine.objects.values_list("pk", "budget", "outturn").order_by("pk"))
    body = {"financial_year": "2024/25", "package_type": "commissioned", "budget": "10"}
    response = client_for(finance).post(URL, {**body, **changes}, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert list(SpendLine.objects.values_list("pk", "budget", "outturn").order_by("pk")) == before


def test_the_list_query_count_does_not_grow(finance, client_for, django_assert_num_queries):
    client = client_for(finance)
    client.get(URL)  # the first request starts the session's clock: one write, once
    with django_assert_num_queries(QUERIES):
        assert len(client.get(URL).json()["results"]) == 2
    for year in range(2005, 2020):
        _line(finance, year, "spot_purchased", "100")
    with django_assert_num_queries(QUERIES):
        assert len(client.get(URL).json()["results"]) == 17


# Session, user, roles, council, the page of lines; and the request's savepoint and its release.
QUERIES = 6
