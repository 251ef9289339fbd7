"""Provider staff download their own lists from their pages (contracts, vacancies, the children
they support) as the API gives them: only their provider's rows, each download in the access
log, a child by first name only and never a surname."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.providers.test_portal import world  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today")

PAGES = ("provider:contracts", "provider:vacancies", "provider:children")


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("name", PAGES)
def test_each_page_offers_its_download(world, client_for, name):  # noqa: F811
    page = client_for(world["alpha"]["staff"]).get(reverse(name)).content.decode()
    assert "?format=csv" in page and "?format=xlsx" in page


@pytest.mark.parametrize("name", PAGES)
def test_a_download_holds_only_the_providers_own_rows_and_is_logged(
    world,  # noqa: F811
    client_for,
    name,
):
    alpha = world["alpha"]
    response = client_for(alpha["staff"]).get(reverse(name) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = "\n".join(",".join(row) for row in _rows(response))
    assert MARKER_A in text  # the provider's own
    assert f"{MARKER_A}OTHER" not in text  # another provider of the same council
    assert MARKER_B not in text  # another council
    entry = AccessLogEntry.objects.filter(user=alpha["staff"], action="export").latest("id")
    assert entry.outcome == "allowed"


def test_the_children_download_names_a_child_by_first_name_only(world, client_for):  # noqa: F811
    alpha = world["alpha"]
    rows = _rows(client_for(alpha["staff"]).get(reverse("provider:children") + "?format=csv"))
    text = "\n".join(",".join(row) for row in rows)
    assert rows[0][:2] == ["Child record", "First name"]
    assert f"Ours{MARKER_A}" in text
    assert f"Surname{MARKER_A}" not in text
    assert f"Theirs{MARKER_A}" not in text and f"Nobody{MARKER_A}" not in text
    entry = AccessLogEntry.objects.filter(user=alpha["staff"], action="export").latest("id")
    assert entry.object_type == "referrals.child"


@pytest.mark.parametrize("name", PAGES)
def test_council_staff_cannot_download_a_providers_lists(world, client_for, name):  # noqa: F811
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    response = client_for(commissioner).get(reverse(name) + "?format=csv")
    assert response.status_code in (403, 404)


def test_the_xlsx_download_is_a_workbook(world, client_for):  # noqa: F811
    response = client_for(world["alpha"]["staff"]).get(
        reverse("provider:vacancies") + "?format=xlsx"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
