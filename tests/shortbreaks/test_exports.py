"""Lists as CSV and Excel (shortbreaks.exports): every filtered row of the actor's council only,
formula cells neutralised, the export in the access log with its filters and ids, a child's name
only for those who may read children's records, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import ContractKind
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import listing
from shortbreaks.councils.models import Role
from shortbreaks.exports import Column, Export, _cell, neutralise
from tests.builders import make_contract
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B

pytestmark = pytest.mark.usefixtures("frozen_today")

FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def registers(two_councils):
    made = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        made[slug] = [
            make_contract(commissioner, reference=f"{slug}-1", title=f"Overnight {marker}"),
            make_contract(
                commissioner,
                reference=f"{slug}-2",
                title=f"Buddying {marker}",
                kind=ContractKind.FRAMEWORK,
            ),
        ]
    made["formula"] = make_contract(
        two_councils["alpha"]["people"][Role.COMMISSIONER], reference="alpha-3", title=FORMULA
    )
    return made


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_be_a_formula_is_made_text(cell):
    assert neutralise(cell) == "'" + cell
    assert _cell(cell, for_csv=True) == "'" + cell


def test_plain_cells_numbers_and_dates_are_kept():
    assert neutralise("Overnight breaks") == "Overnight breaks"
    assert _cell(-5, for_csv=True) == -5
    assert _cell(date(2027, 3, 31), for_csv=True) == "31/03/2027"
    assert _cell(date(2027, 3, 31), for_csv=False) == date(2027, 3, 31)
    assert _cell(None, for_csv=True) == ""
    assert _cell(True, for_csv=True) == "Yes"


def test_the_register_page_exports_only_its_own_councils_rows_as_csv(
    registers, two_councils, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    response = client_for(commissioner).get(reverse("contracts:list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:2] == ["Reference", "Title"]
    assert sorted(r[0] for r in rows[1:]) == ["alpha-1", "alpha-2", "alpha-3"]
    text = str(rows)
    assert MARKER_A in text
    assert MARKER_B not in text
    (formula_row,) = [r for r in rows if r[0] == "alpha-3"]
    assert formula_row[1] == "'" + FORMULA


def test_the_export_keeps_the_filters_and_is_logged_with_them_and_the_ids(
    registers, two_councils, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    response = client_for(commissioner).get(
        reverse("contracts:list"), {"kind": ContractKind.FRAMEWORK, "format": "xlsx"}
    )
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert [r[0] for r in rows[1:]] == ["alpha-2"]
    assert rows[1][5] is not None  # the end date, a real date in Excel
    entry = AccessLogEntry.objects.get(action="export")
    assert entry.user == commissioner
    assert entry.object_type == "contracts.contract"
    assert entry.council == two_councils["alpha"]["council"]
    listed = listing(entry)
    assert listed.label == "Exported"
    assert listed.ids == [registers["alpha"][1].pk]
    assert ("kind", ContractKind.FRAMEWORK) in listed.filters
    assert ("format", "xlsx") in listed.filters


def test_the_register_page_offers_the_downloads_with_its_filters(
    registers, two_councils, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    page = client_for(commissioner).get(reverse("contracts:list"), {"kind": "framework"})
    body = page.content.decode()
    assert "?kind=framework&amp;format=csv" in body
    assert "?kind=framework&amp;format=xlsx" in body


def test_the_api_exports_every_filtered_row_not_a_page(registers, two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    response = client.get(reverse("api-contracts"), {"format": "csv", "page_size": 1})
    assert response.status_code == 200
    assert sorted(r[0] for r in _csv_rows(response)[1:]) == ["alpha-1", "alpha-2", "alpha-3"]
    response = client.get(reverse("api-contracts"), {"format": "xlsx", "search": "buddying"})
    assert [r[0] for r in _xlsx_rows(response)[1:]] == ["alpha-2"]
    assert AccessLogEntry.objects.filter(action="export").count() == 2


def test_the_api_export_refuses_the_wrong_role_and_bad_filters(two_councils, client_for):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    assert (
        client_for(social_worker).get(reverse("api-contracts"), {"format": "csv"}).status_code
        == 403
    )
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bad = client_for(commissioner).get(reverse("api-contracts"), {"format": "csv", "kind": "x"})
    assert bad.status_code == 400
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_page_export_refuses_the_wrong_role(two_councils, client_for):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    answer = client_for(social_worker).get(reverse("contracts:list"), {"format": "csv"})
    assert answer.status_code == 403


def _export_queries(client, url, fmt) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"format": fmt})
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["contracts:list", "api-contracts"])
def test_an_export_takes_the_same_queries_for_more_rows(two_councils, client_for, fmt, name):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    url = reverse(name)
    make_contract(commissioner, reference="Q-1")
    _export_queries(client, url, fmt)  # the session's own first reads, once
    few = _export_queries(client, url, fmt)
    for n in range(2, 12):
        make_contract(commissioner, reference=f"Q-{n}")
    assert _export_queries(client, url, fmt) == few == EXPORT_QUERIES[name]


# The session and person, the ids, the access log row, then one query a chunk of 1,000 rows
# with the register's prefetches: the page and the API's download read the same (a page of the
# API reads its lots after paging, which a download does not show).
EXPORT_QUERIES = {"contracts:list": 9, "api-contracts": 9}


# ----------------------------------------------------------------------------------------------
# A child's name only for those who may read children's records

CHILDREN = Export(
    name="children",
    object_type="referrals.child",
    columns=(
        Column("Record", "pk"),
        Column("Name", "full_name", permission="referrals.view_child"),
        Column("Tier", "tier"),
    ),
)


def test_a_commissioners_export_never_carries_a_childs_name(two_councils):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    assert [c.header for c in CHILDREN.columns_for(commissioner)] == ["Record", "Tier"]
    assert [c.header for c in CHILDREN.columns_for(social_worker)] == ["Record", "Name", "Tier"]
    child = SimpleNamespace(pk=4, full_name="Sam Jones", tier="targeted")
    assert [c.read(child) for c in CHILDREN.columns_for(commissioner)] == [4, "targeted"]


# ----------------------------------------------------------------------------------------------
# Children: the list's filters are posted, so the download is posted too


@pytest.fixture
def children(two_councils):
    from tests.referrals.builders import make_child

    made = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        worker = two_councils[slug]["people"][Role.SOCIAL_WORKER]
        made[slug] = [
            make_child(worker, first_name="Sam", last_name=f"Jones {marker}"),
            make_child(worker, first_name="=Ali", last_name=f"Khan {marker}"),
        ]
    return made


def test_the_children_page_exports_by_a_post_keeping_the_saved_search(
    children, two_councils, client_for
):
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(worker)
    url = reverse("referrals:children")
    found = client.post(url, {"search": "Jones"})
    token = found["Location"].split("q=")[1]
    page = client.get(found["Location"]).content.decode()
    assert f'name="q" value="{token}"' in page
    assert 'name="format" value="csv"' in page
    response = client.post(url, {"q": token, "format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [r[2] for r in rows[1:]] == [f"Sam Jones {MARKER_A}"]
    assert MARKER_B not in str(rows)
    entry = AccessLogEntry.objects.filter(action="export").get()
    assert listing(entry).ids == [children["alpha"][0].pk]
    assert ("search", "Jones") in listing(entry).filters
    # Nothing personal in the address.
    assert "Jones" not in entry.path.split("?")[0]


def test_the_children_export_without_a_search_has_every_child_of_the_council(
    children, two_councils, client_for
):
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    response = client_for(worker).post(reverse("referrals:children"), {"format": "xlsx"})
    rows = _xlsx_rows(response)
    assert sorted(r[2] for r in rows[1:]) == [f"'=Ali Khan {MARKER_A}", f"Sam Jones {MARKER_A}"]


def test_the_children_export_is_refused_to_a_commissioner(children, two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    assert client.post(reverse("referrals:children"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("api-children"), {"format": "csv"}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_children_api_exports_the_councils_children_by_tier(children, two_councils, client_for):
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(worker)
    response = client.get(reverse("api-children"), {"format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert len(rows) == 3
    assert MARKER_B not in str(rows)
    response = client.get(reverse("api-children"), {"format": "csv", "tier": "specialist"})
    assert len(_csv_rows(response)) == 1
    assert client.get(reverse("api-children"), {"format": "csv", "tier": "x"}).status_code == 400


# ----------------------------------------------------------------------------------------------
# Providers and services


def test_the_provider_and_service_lists_export_their_own_councils_rows(two_councils, client_for):
    from tests.builders import make_provider, make_service

    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        provider = make_provider(commissioner, name=f"@Care {marker}")
        make_service(commissioner, provider, title=f"Buddying {marker}")
    client = client_for(two_councils["alpha"]["people"][Role.SOCIAL_WORKER])
    for name in ("providers:list", "providers:services", "api-providers", "api-services"):
        response = client.get(reverse(name), {"format": "csv"})
        assert response.status_code == 200, name
        text = str(_csv_rows(response))
        assert MARKER_A in text, name
        assert MARKER_B not in text, name
    providers = _csv_rows(client.get(reverse("providers:list"), {"format": "csv"}))
    assert providers[1][0] == f"'@Care {MARKER_A}"
    page = client.get(reverse("providers:list"), {"status": "active"}).content.decode()
    assert "?status=active&amp;format=csv" in page


def test_the_referral_list_and_api_export_the_councils_referrals_by_status(
    children, two_councils, client_for
):
    from tests.referrals.builders import make_referral

    for slug in ("alpha", "bravo"):
        worker = two_councils[slug]["people"][Role.SOCIAL_WORKER]
        make_referral(worker, children[slug][0])
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(worker)
    for name in ("referrals:referral-list", "api-referrals"):
        rows = _csv_rows(client.get(reverse(name), {"format": "csv"}))
        assert [r[2] for r in rows[1:]] == [f"Sam Jones {MARKER_A}"], name
        assert MARKER_B not in str(rows), name
        none = _csv_rows(
            client.get(reverse(name), {"format": "csv", "status": "no_further_action"})
        )
        assert none[1:] == [], name
    page = client.get(reverse("referrals:referral-list"), {"status": "received"})
    assert "?status=received&amp;format=xlsx" in page.content.decode()
    assert AccessLogEntry.objects.filter(action="export").count() == 4


def test_an_accept_header_asking_for_csv_downloads_the_list_too(
    registers, two_councils, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    response = client_for(commissioner).get(reverse("api-contracts"), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert sorted(r[0] for r in _csv_rows(response)[1:]) == ["alpha-1", "alpha-2", "alpha-3"]
