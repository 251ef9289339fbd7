"""Every list in the API downloads as CSV and Excel (shortbreaks.exports).

The lists are found in the API description itself: every GET under /api/v1/ whose answer is a
JSON array, or a page of `results`. Each must describe `?format=csv|xlsx` and, on the demo's
councils, answer `?format=csv` with a CSV file for someone allowed to read it. A new list API
without a download fails here, unless it joins NOT_EXPORTS below with the reason it is not one.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from datetime import date
from unittest import mock

import pytest
from django.apps import apps
from django.db.models import Case, When
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from audits.packs import services as pack_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.demo import login_for
from shortbreaks.councils.models import Council, Role, User
from shortbreaks.documents import jobs
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")

API = "/api/v1/"

# GETs that answer several records but are not exports by nature, each with why. Everything
# else the description shows as a list must download.
NOT_EXPORTS = {
    # Published data in formats of their own, for other systems: the Open Contracting Data
    # Standard release and record packages, and the Department for Education's children in need
    # census return (XML, checked and downloaded on its own page).
    "/api/v1/contracts/ocds/": "OCDS release package: a published format of its own",
    "/api/v1/contracts/ocds/records/": "OCDS record package: a published format of its own",
    "/api/v1/census/cin/": "the CIN census return: the DfE's XML format",
    # One child's record, not a list of records: its history as one timeline, and the records
    # that may be the same child, shown before adding or merging one (never a download of
    # other children's names).
    "/api/v1/children/{child_id}/timeline/": "one child's history, read as part of the record",
    "/api/v1/children/{child_id}/possible-matches/": "a duplicate check, not a list of records",
    # Figures for one block of places or one contract, worked out from the bookings (which
    # download in full from /api/v1/bookings/): places free each day, and use by month.
    "/api/v1/bookings/places/{places_id}/calendar/": "places free each day: figures, not records",
    "/api/v1/bookings/contracts/{contract_id}/utilisation/": "use by month: figures, not records",
}

# Who may read a list, tried in this order until one may; provider staff for their own API.
ROLES = (
    Role.TEAM_MANAGER,
    Role.AUDITOR,
    Role.CONTRACT_MANAGER,
    Role.COMMISSIONER,
    Role.FINANCE_OFFICER,
    Role.COUNCIL_ADMIN,
    Role.SOCIAL_WORKER,
    "provider",
)

# The record a path's `{name}` names, from the demo's councils.
PATH_RECORDS = {
    "child_id": "referrals.Child",
    "contract_id": "contracts.Contract",
    "dps_id": "contracts.DPS",
    "extension_id": "contracts.Extension",
    "recommendation_id": "audits.Recommendation",
    "pack_id": "audits.EvidencePack",
    "statement_id": "statements.StatementVersion",
    "provider_id": "providers.Provider",
    "service_id": "providers.Service",
    "survey_id": "outcomes.Survey",
    "agreement_id": "directpayments.Agreement",
    "package_id": "referrals.Package",
    "referral_id": "referrals.Referral",
    "request_id": "brokerage.BrokerageRequest",
    "places_id": "bookings.BlockPlaces",
}
FIRST = "shropshire"
CANDIDATES = 5  # records of a kind tried in each council, for a path with an id in it

PARAMETER = re.compile(r"\{(\w+)\}")


@functools.cache
def _document() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_list(document: dict, operation: dict) -> bool:
    answer = operation.get("responses", {}).get("200", {}).get("content", {})
    if "application/json" not in answer:
        return False
    schema = _resolve(document, answer["application/json"].get("schema", {}))
    return schema.get("type") == "array" or "results" in schema.get("properties", {})


def _list_paths() -> list[str]:
    document = _document()
    return sorted(
        path
        for path, item in document["paths"].items()
        if path.startswith(API) and "get" in item and _is_list(document, item["get"])
    )


def _exported_paths() -> list[str]:
    return [path for path in _list_paths() if path not in NOT_EXPORTS]


def _describes_export(operation: dict) -> bool:
    formats = [p for p in operation.get("parameters", []) if p.get("name") == "format"]
    return bool(formats) and {"csv", "xlsx"} <= set(formats[0].get("schema", {}).get("enum", []))


# ----------------------------------------------------------------------------------------------
# The description: every list offers the download


def test_the_walk_finds_the_lists():
    found = _list_paths()
    assert len(found) > 40
    for path in ("/api/v1/contracts/", "/api/v1/access-log/", "/api/v1/statements/"):
        assert path in found


def test_every_list_in_the_api_description_offers_csv_and_excel():
    document = _document()
    missing = [
        path
        for path in _exported_paths()
        if not _describes_export(document["paths"][path]["get"])
        or "text/csv" not in document["paths"][path]["get"]["responses"]["200"]["content"]
    ]
    assert missing == [], "List APIs without ?format=csv|xlsx (shortbreaks.exports)"


def test_the_exceptions_name_real_endpoints():
    assert set(NOT_EXPORTS) <= set(_document()["paths"])


# ----------------------------------------------------------------------------------------------
# The answers: on the demo's councils, each list downloads for someone who may read it


@pytest.fixture(scope="module")
def demo(demo_seeded):
    return demo_seeded


def _person(role: str, council: Council) -> User | None:
    login = (
        f"provider@{council.slug}.example" if role == "provider" else login_for(role, council.slug)
    )
    return User.objects.filter(username=login).first()


def _an_evidence_pack(council: Council) -> None:
    """The demo builds no evidence packs (a worker does): ask for one, its build not queued."""
    auditor = _person(Role.AUDITOR, council)
    auditor.active_council = council
    with mock.patch.object(jobs, "job_queue"):
        pack_services.evidence_pack_request(
            actor=auditor,
            kind="contract_compliance",
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            as_at=date(2025, 3, 31),
        )


# Records the demo does not have, made in the test's own transaction when a path needs one.
MAKE = {"pack_id": _an_evidence_pack}


def _addresses(path: str, council: Council) -> list[str]:
    names = PARAMETER.findall(path)
    if not names:
        return [path]
    assert len(names) == 1, f"{path}: teach this test to fill more than one id"
    (name,) = names
    assert name in PATH_RECORDS, f"{path}: add {name} to PATH_RECORDS"
    model = apps.get_model(PATH_RECORDS[name])
    ids = model._base_manager.filter(council=council).order_by("pk")
    if not ids.exists() and name in MAKE:
        MAKE[name](council)
    return [path.replace(f"{{{name}}}", str(pk)) for pk in ids.values_list("pk", flat=True)[:50]]


def _readable(path: str) -> tuple[Client, User, str] | None:
    """A signed-in client, its person and an address of `path` that person may read as JSON."""
    # The demo's fullest council first.
    for council in Council.objects.order_by(Case(When(slug=FIRST, then=0), default=1), "slug"):
        people = [p for role in ROLES if (p := _person(role, council)) is not None]
        for address in _addresses(path, council)[:CANDIDATES]:
            for person in people:
                client = Client()
                client.force_login(person)
                if client.get(address, HTTP_ACCEPT="application/json").status_code == 200:
                    return client, person, address
    return None


@pytest.mark.parametrize("path", _exported_paths())
def test_every_list_api_answers_format_csv_with_a_csv_file(demo, db, path):
    found = _readable(path)
    assert found is not None, f"No demo person may read {path}: seed a record it lists"
    client, person, address = found
    response = client.get(address, {"format": "csv"})
    assert response.status_code == 200, (address, response.status_code)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    assert header and all(header)
    assert AccessLogEntry.objects.filter(user=person, action="export").exists()
