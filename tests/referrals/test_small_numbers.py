"""Small numbers in "support in numbers": a cell counting 1 to 4 children says "fewer than 5" and
shows no hours or cost, in the page, the API and the CSV export alike; 0 stays 0; 5 is shown.
One function (`shortbreaks.small_numbers.suppress_small_numbers`) decides for all three."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.selectors import aggregates as aggregate_selectors
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.small_numbers import FEWER_THAN, is_small, suppress_small_numbers
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A
from tests.referrals.builders import make_child, make_package

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

PAGE = "/aggregates/"
API = "/api/v1/aggregates/"
EXPORT = "/aggregates/export.csv"
SERVICE = f"Community buddying {MARKER_A} (Buddying {MARKER_A})"
# One child's support, priced so its figures could not come from anything else on the page.
ODD_RATE = Decimal("47.37")
ODD_HOURS = Decimal("3")
ODD_WEEK = "142.11"  # 3 h x 47.37
ODD_YEAR = "7389.72"  # x 52
SUPPORT_TABLES = ("by_service", "by_lot", "by_funding_route")


def _supported(world, count: int, **line) -> None:
    alpha = world["alpha"]
    for n in range(count):
        child = make_child(alpha["sw"], first_name=f"Kit{n}")
        make_package(alpha["sw"], alpha["tm"], child, alpha["offer"], lines=[line])


def _commissioner(world):
    return world["alpha"]["people"][Role.COMMISSIONER]


def _api(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(API)
    assert response.status_code == 200
    return response.json()


def _export(client) -> list[dict]:
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="support-in-numbers-')
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _row(rows: list[dict], table: str, label: str) -> dict:
    [row] = [r for r in rows if r["table"] == table and r["label"] == label]
    return row


def _page_row(page: str, label: str) -> str:
    """The table row headed `label` (the first table that has one: by service)."""
    start = page.index(f'<th scope="row" class="govuk-table__header">{label}</th>')
    return page[start : page.index("</tr>", start)]


def test_the_export_is_named_beside_the_page():
    assert reverse("referrals:aggregates-export") == EXPORT


# ----------------------------------------------------------------------------------------------
# The one function


@pytest.mark.parametrize(("count", "small"), [(0, False), (1, True), (4, True), (5, False)])
def test_one_to_four_is_small_and_zero_and_five_are_not(count, small):
    assert is_small(count) is small


def test_a_small_row_keeps_its_label_and_loses_every_figure():
    row = {"label": "Overnight care", "children": 3, "packages": 3, "cost_per_week": Decimal(9)}
    published = suppress_small_numbers(
        row, children="children", withhold=("packages", "cost_per_week")
    )
    assert published == {
        "label": "Overnight care",
        "children": None,
        "packages": None,
        "cost_per_week": None,
        "suppressed": FEWER_THAN,
    }
    assert row["children"] == 3  # the exact numbers are left as they were


@pytest.mark.parametrize("count", [0, 5, 120])
def test_zero_and_five_or_more_are_published_as_they_are(count):
    row = {"label": "Overnight care", "children": count, "cost_per_week": Decimal(9)}
    published = suppress_small_numbers(row, children="children", withhold=("cost_per_week",))
    assert published == {**row, "suppressed": ""}


# ----------------------------------------------------------------------------------------------
# One child: "fewer than 5", and no hours or cost anywhere


def test_a_service_with_one_child_shows_fewer_than_5_and_no_cost_in_the_api(world):
    _supported(world, 1, hours_per_week=ODD_HOURS, unit_rate=ODD_RATE)
    # The exact figures exist (so what follows can fail): they are only never published.
    [exact] = aggregate_selectors.aggregates(actor=_commissioner(world))["by_service"]
    assert (exact["children"], str(exact["cost_per_week"])) == (1, ODD_WEEK)
    assert str(exact["cost_per_year"]) == ODD_YEAR
    data = _api(_commissioner(world))
    for table in SUPPORT_TABLES:
        [row] = data[table]
        assert row["suppressed"] == "fewer than 5", table
        for field in ("children", "packages", "lines", "hours_per_week", "cost_per_week"):
            assert row[field] is None, (table, field)
    assert data["totals"]["suppressed"] == "fewer than 5"
    assert data["totals"]["cost_per_year"] is None
    tiers = {row["tier"]: (row["children"], row["suppressed"]) for row in data["children_by_tier"]}
    # Sam Jones at no tier and Kit0 specialist: 1 each; nobody universal or targeted: 0 is 0.
    assert tiers == {
        "none": (None, "fewer than 5"),
        "universal": (0, ""),
        "targeted": (0, ""),
        "specialist": (None, "fewer than 5"),
    }
    statuses = {row["status"]: row["packages"] for row in data["packages_by_status"]}
    assert statuses == {"proposed": 0, "approved": 0, "active": None, "ceased": 0}
    text = str(data)
    for figure in (ODD_WEEK, ODD_YEAR, "47.37"):
        assert figure not in text


def test_a_service_with_one_child_shows_fewer_than_5_and_no_cost_on_the_page(world, client_for):
    _supported(world, 1, hours_per_week=ODD_HOURS, unit_rate=ODD_RATE)
    page = client_for(_commissioner(world)).get(PAGE).content.decode()
    row = _page_row(page, SERVICE)
    assert row.count("Fewer than 5") == 2  # children and packages
    assert "£" not in row
    assert "Not shown" in row
    assert "Fewer than 5 children have support running" in page
    for figure in ("142.11", "7,389.72", "47.37"):
        assert figure not in page


def test_a_service_with_one_child_shows_fewer_than_5_and_no_cost_in_the_export(world, client_for):
    _supported(world, 1, hours_per_week=ODD_HOURS, unit_rate=ODD_RATE)
    response = client_for(_commissioner(world)).get(EXPORT)
    assert ODD_WEEK not in response.content.decode()
    rows = _export(client_for(_commissioner(world)))
    row = _row(rows, "By service", SERVICE)
    assert row["children"] == row["packages"] == "fewer than 5"
    for field in ("lines", "hours_per_week", "nights_per_year", "cost_per_week", "cost_per_year"):
        assert row[field] == "not shown", field
    assert _row(rows, "All support running", "All")["cost_per_week"] == "not shown"
    assert _row(rows, "Children by tier", "Universal")["children"] == "0"
    assert _row(rows, "Children by tier", "Specialist")["children"] == "fewer than 5"


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.CONTRACT_MANAGER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN],
)
def test_the_export_refuses_whoever_may_not_see_the_numbers(world, client_for, role):
    response = client_for(world["alpha"]["people"][role]).get(EXPORT)
    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(action="download").exists()


# ----------------------------------------------------------------------------------------------
# Five children: the numbers


def test_a_service_with_five_children_shows_the_numbers_everywhere(world, client_for):
    _supported(world, 5, hours_per_week=ODD_HOURS, unit_rate=ODD_RATE)
    commissioner = _commissioner(world)
    data = _api(commissioner)
    [service] = data["by_service"]
    assert service["suppressed"] == ""
    assert (service["children"], service["packages"]) == (5, 5)
    assert Decimal(service["hours_per_week"]) == Decimal("15")
    assert Decimal(service["cost_per_week"]) == Decimal("710.55")  # 5 x 142.11
    assert data["totals"]["children"] == 5
    assert {row["tier"]: row["children"] for row in data["children_by_tier"]}["specialist"] == 5

    page = client_for(commissioner).get(PAGE).content.decode()
    row = _page_row(page, SERVICE)
    assert "Fewer than 5" not in row
    assert "£710.55" in row
    assert "Children with support running: 5." in page

    rows = _export(client_for(commissioner))
    exported = _row(rows, "By service", SERVICE)
    assert exported["children"] == "5"
    assert exported["cost_per_week"] == "710.55"
    assert AccessLogEntry.objects.filter(
        action="download", object_type="referrals.aggregates", user=commissioner
    ).exists()


def test_a_label_a_spreadsheet_would_run_is_exported_as_text(world, client_for):
    from providers.models import Service

    Service.objects.filter(pk=world["alpha"]["offer"]["service"].pk).update(
        title='=HYPERLINK("http://x")'
    )
    _supported(world, 5)
    rows = _export(client_for(_commissioner(world)))
    [row] = [r for r in rows if r["table"] == "By service"]
    assert row["label"].startswith("'=HYPERLINK")
