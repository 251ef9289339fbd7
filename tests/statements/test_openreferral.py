"""The Open Referral UK (HSDS 3.0) feed: public, per council, in the shape the schemas require.

Responses are validated against copies of the HSDS 3.0 schemas kept beside these tests
(tests/statements/schemas/hsds-3.0/), with every $ref resolved locally: no network.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from providers import services as provider_services
from providers.models import Service
from shortbreaks.councils.models import Role
from statements.openreferral import service_uuid
from tests.builders import make_provider, make_service

SCHEMAS = Path(__file__).parent / "schemas" / "hsds-3.0"
COMPILED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"
OPENAPI = "urn:hsds-3.0:openapi.json"


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


SERVICE_SCHEMA = _load("service.json")
SERVICE_LIST_SCHEMA = _load("service_list.json")

REGISTRY = Registry().with_resources(
    [
        (OPENAPI, Resource.from_contents(_load("openapi.json"), default_specification=DRAFT202012)),
        (
            COMPILED + "service.json",
            Resource.from_contents(SERVICE_SCHEMA, default_specification=DRAFT202012),
        ),
        (
            COMPILED + "service_list.json",
            Resource.from_contents(SERVICE_LIST_SCHEMA, default_specification=DRAFT202012),
        ),
    ]
)

# jsonschema checks "uuid" and "email" itself; "date-time" and "uri" need optional packages
# we do not install, so check them here.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(urlparse(value).scheme and urlparse(value).netloc)


def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{OPENAPI}#{pointer}"}, registry=REGISTRY, format_checker=FORMATS
    )


# The OpenAPI responses: the list is a Page whose contents are service_list items; one service
# is the compiled service schema.
LIST_RESPONSE = _validator("/paths/~1services/get/responses/200/content/application~1json/schema")
DETAIL_RESPONSE = _validator(
    "/paths/~1services~1{id}/get/responses/200/content/application~1json/schema"
)
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _only_known_fields(data, schema, where="") -> None:
    """The schemas do not forbid extra properties; we hold ourselves to the listed ones."""
    if isinstance(data, dict):
        known = schema.get("properties", {})
        unknown = set(data) - set(known)
        assert not unknown, f"{where or 'top'}: fields not in the schema: {unknown}"
        for key, value in data.items():
            _only_known_fields(value, known[key], f"{where}.{key}")
    elif isinstance(data, list):
        for item in data:
            _only_known_fields(item, schema.get("items", {}), f"{where}[]")


def _assert_valid_list(body: dict) -> None:
    LIST_RESPONSE.validate(body)
    assert set(body) == PAGE_KEYS
    for item in body["contents"]:
        _only_known_fields(item, SERVICE_LIST_SCHEMA)


def _assert_valid_service(body: dict) -> None:
    DETAIL_RESPONSE.validate(body)
    _only_known_fields(body, SERVICE_SCHEMA)


def _list_url(slug: str = "alpha") -> str:
    return reverse("openreferral:services", kwargs={"council_slug": slug})


def _detail_url(service_id, slug: str = "alpha") -> str:
    return reverse("openreferral:service", kwargs={"council_slug": slug, "service_id": service_id})


def _names(response) -> list[str]:
    return [item["name"] for item in response.json()["contents"]]


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"][Role.COMMISSIONER]


@pytest.fixture
def bravo(two_councils):
    return two_councils["bravo"]["people"][Role.COMMISSIONER]


@pytest.fixture
def club(alpha):
    return make_provider(
        alpha,
        name="Youth club",
        contact_name="Sam Smith",
        contact_email="hello@youthclub.example",
        contact_phone="01432 123456",
        website="https://youthclub.example",
        address="1 High Street\nHereford",
        postcode="HR1 2AB",
    )


@pytest.fixture
def saturday_club(alpha, club):
    return make_service(
        alpha,
        club,
        title="Saturday club",
        description="Games, crafts and outings.",
        tier="universal",
        categories=["educational_leisure"],
        setting="community",
        when=["weekends", "school_holidays"],
        age_from=8,
        age_to=14,
        areas="Hereford, Leominster",
        price=Decimal("12.50"),
        price_unit="session",
        how_to_access="Ring the club.",
    )


# ---------------------------------------------------------------------------------------------
# Shape.


@pytest.mark.django_db
def test_the_list_is_a_valid_hsds_page_without_sign_in(client, alpha, club, saturday_club):
    make_service(alpha, make_provider(alpha, name="Bare provider"), title="Bare service")

    response = client.get(_list_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    body = response.json()
    _assert_valid_list(body)
    assert body["total_items"] == 2
    assert body["total_pages"] == 1
    assert (body["page_number"], body["size"]) == (1, 2)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    bare, saturday = body["contents"]
    assert saturday == {
        "id": service_uuid(saturday_club.council, saturday_club.pk),
        "organization_id": saturday["organization"]["id"],
        "name": "Saturday club",
        "description": "Games, crafts and outings.",
        "url": "https://youthclub.example",
        "email": "hello@youthclub.example",
        "status": "active",
        "application_process": "Ring the club.",
        "fees_description": "£12.50 per session",
        "eligibility_description": "Disabled children and young people aged 8 to 14.",
        "minimum_age": 8,
        "maximum_age": 14,
        "last_modified": saturday["last_modified"],
        "organization": {
            "id": saturday["organization_id"],
            "name": "Youth club",
            "description": "",
            "email": "hello@youthclub.example",
            "website": "https://youthclub.example",
        },
    }
    assert uuid.UUID(saturday["id"]).version == 5
    assert saturday["last_modified"].endswith("Z")
    assert bare["name"] == "Bare service"
    assert "url" not in bare and "email" not in bare


@pytest.mark.django_db
def test_one_service_is_a_valid_fully_nested_hsds_service(client, saturday_club):
    sid = service_uuid(saturday_club.council, saturday_club.pk)

    response = client.get(_detail_url(sid))

    assert response.status_code == 200
    assert not response.cookies
    body = response.json()
    _assert_valid_service(body)
    assert body["id"] == sid
    assert (body["name"], body["status"]) == ("Saturday club", "active")
    assert (body["minimum_age"], body["maximum_age"]) == (8, 14)
    assert body["cost_options"] == [
        {
            "id": body["cost_options"][0]["id"],
            "service_id": sid,
            "currency": "GBP",
            "amount": 12.5,
            "amount_description": "per session",
        }
    ]
    assert [a["name"] for a in body["service_areas"]] == ["Hereford", "Leominster"]
    assert [p["number"] for p in body["phones"]] == ["01432 123456"]
    assert body["contacts"][0]["name"] == "Sam Smith"
    weekends, holidays = body["schedules"]
    assert (weekends["freq"], weekends["byday"]) == ("WEEKLY", "SA,SU")
    assert holidays["description"] == "School holidays" and "freq" not in holidays
    organization = body["organization"]
    assert organization["id"] == body["organization_id"]
    assert organization["locations"][0]["description"] == "1 High Street\nHereford, HR1 2AB"
    # Every derived identifier is distinct.
    ids = [body["id"], organization["id"], organization["locations"][0]["id"]]
    ids += [
        x["id"]
        for key in ("cost_options", "service_areas", "phones", "contacts", "schedules")
        for x in body[key]
    ]
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_one_service_by_our_own_numeric_id_is_the_same(client, saturday_club):
    by_number = client.get(_detail_url(saturday_club.pk)).json()
    by_uuid = client.get(_detail_url(service_uuid(saturday_club.council, saturday_club.pk)))
    assert by_number == by_uuid.json()


@pytest.mark.django_db
def test_a_minimal_service_is_valid(client, alpha):
    service = make_service(alpha, make_provider(alpha), description="", areas="", when=[])
    body = client.get(_detail_url(service.pk)).json()
    _assert_valid_service(body)
    for absent in ("cost_options", "service_areas", "phones", "contacts", "schedules"):
        assert absent not in body


@pytest.mark.django_db
def test_ids_are_stable_and_differ_between_councils(client, alpha, bravo, saturday_club):
    first = client.get(_list_url()).json()["contents"][0]["id"]
    assert client.get(_list_url()).json()["contents"][0]["id"] == first
    theirs = make_service(bravo, make_provider(bravo))
    assert service_uuid(theirs.council, theirs.pk) != service_uuid(saturday_club.council, theirs.pk)


# ---------------------------------------------------------------------------------------------
# Not found.


@pytest.mark.django_db
def test_another_councils_service_is_not_found_under_this_council(client, bravo, saturday_club):
    theirs = make_service(bravo, make_provider(bravo), title="Bravo's service")
    for service_id in (theirs.pk, service_uuid(theirs.council, theirs.pk)):
        response = client.get(_detail_url(service_id, slug="alpha"))
        assert response.status_code == 404
        assert response.json() == {"detail": "No such service."}
    # The other council's own id does not work here either, nor ours there.
    ours = service_uuid(saturday_club.council, saturday_club.pk)
    assert client.get(_detail_url(ours, slug="bravo")).status_code == 404
    assert "Bravo's service" not in _names(client.get(_list_url("alpha")))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "service_id", ["999999", "not-a-uuid", "0b7e2a56-3c1d-4f0e-9a52-6d1f0c8e4b19"]
)
def test_unknown_service_is_404_json(client, saturday_club, service_id):
    response = client.get(_detail_url(service_id))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_unknown_council_is_404_json(client, two_councils):
    for url in (_list_url("nowhere"), _detail_url(1, slug="nowhere")):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No council with that name."}


@pytest.mark.django_db
def test_only_get(client, saturday_club):
    response = client.post(_list_url())
    assert response.status_code == 405
    assert response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Filters and pages.


@pytest.mark.django_db
def test_search(client, alpha, saturday_club):
    make_service(alpha, make_provider(alpha, name="Hill farm"), title="Overnight stays")
    assert _names(client.get(_list_url(), {"search": "saturday"})) == ["Saturday club"]
    assert _names(client.get(_list_url(), {"search": "hill farm"})) == ["Overnight stays"]
    empty = client.get(_list_url(), {"search": "nothing like it"}).json()
    _assert_valid_list(empty)
    assert (empty["total_items"], empty["total_pages"], empty["empty"]) == (0, 0, True)


@pytest.mark.django_db
def test_pagination(client, alpha):
    provider = make_provider(alpha)
    for n in range(5):
        make_service(alpha, provider, title=f"Service {n}")

    second = client.get(_list_url(), {"page": 2, "per_page": 2}).json()
    _assert_valid_list(second)
    assert _names_of(second) == ["Service 2", "Service 3"]
    assert (second["total_items"], second["total_pages"]) == (5, 3)
    assert (second["page_number"], second["size"]) == (2, 2)
    assert (second["first_page"], second["last_page"], second["empty"]) == (False, False, False)

    last = client.get(_list_url(), {"page": 3, "per_page": 2}).json()
    assert _names_of(last) == ["Service 4"]
    assert (last["last_page"], last["size"]) == (True, 1)

    beyond = client.get(_list_url(), {"page": 9, "per_page": 2}).json()
    _assert_valid_list(beyond)
    assert (beyond["contents"], beyond["empty"], beyond["last_page"]) == ([], True, True)

    default = client.get(_list_url()).json()
    assert (default["size"], default["total_pages"]) == (5, 1)
    assert client.get(_list_url(), {"per_page": 100}).status_code == 200


def _names_of(body: dict) -> list[str]:
    return [item["name"] for item in body["contents"]]


@pytest.mark.django_db
def test_modified_after(client, alpha, saturday_club):
    old = make_service(alpha, saturday_club.provider, title="Old service")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Service.objects.filter(pk=old.pk).update(updated_at=long_ago)

    since = "2021-06-01T00:00:00Z"
    assert _names(client.get(_list_url(), {"modified_after": since})) == ["Saturday club"]
    assert _names(client.get(_list_url(), {"modified_after": "2019-12-31T23:00:00+00:00"})) == [
        "Old service",
        "Saturday club",
    ]
    # Naive datetimes are read as UTC; an unencoded "+" (a space) still parses.
    assert _names(client.get(_list_url(), {"modified_after": "2021-06-01T00:00:00"})) == [
        "Saturday club"
    ]
    response = client.get(_list_url() + "?modified_after=2019-12-31T23:00:00+00:00")
    assert response.status_code == 200
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert _names(client.get(_list_url(), {"modified_after": future})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"per_page": "0"},
        {"per_page": "101"},
        {"per_page": "-5"},
        {"per_page": "ten"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "1.5"},
        {"modified_after": "yesterday"},
        {"modified_after": "2024-13-45T00:00:00"},
    ],
)
def test_bad_parameters_are_400_json(client, saturday_club, params):
    response = client.get(_list_url(), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.django_db
def test_a_suspended_providers_services_are_absent(client, alpha, club, saturday_club):
    other = make_service(alpha, make_provider(alpha, name="Still open"), title="Still open")
    provider_services.provider_set_status(
        actor=alpha, provider=club, status="suspended", on=date(2025, 1, 1), reason="x"
    )
    assert _names(client.get(_list_url())) == ["Still open"]
    assert client.get(_detail_url(saturday_club.pk)).status_code == 404
    sid = service_uuid(saturday_club.council, saturday_club.pk)
    assert client.get(_detail_url(sid)).status_code == 404
    assert client.get(_detail_url(other.pk)).status_code == 200


@pytest.mark.django_db
def test_the_list_takes_a_fixed_number_of_queries(client, alpha, django_assert_num_queries):
    for n in range(6):
        make_service(alpha, make_provider(alpha), title=f"Service {n}")
    # The council, the count, the page (services with their providers), inside the request's
    # transaction (a savepoint and its release under the test's own transaction).
    with django_assert_num_queries(5):
        response = client.get(_list_url(), {"per_page": 4})
    assert response.json()["size"] == 4
    with django_assert_num_queries(5):
        response = client.get(_list_url())
    assert response.json()["size"] == 6
