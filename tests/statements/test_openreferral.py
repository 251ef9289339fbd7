"""Open Referral UK (HSDS 3.0 with the UK profile): public, per council, every endpoint's answer
validated against the standard's own schemas.

The schemas are copies kept beside these tests (tests/statements/schemas/hsds-3.0/, see its
README), with every $ref resolved locally: no network.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from providers import services as provider_services
from providers.models import Service
from shortbreaks.councils.models import Role
from statements.openreferral import hsds
from statements.openreferral.hsds import service_uuid
from tests.builders import make_location, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B

SCHEMAS = Path(__file__).parent / "schemas" / "hsds-3.0"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
COMPILED = BASE + "compiled/"
OPENAPI = "urn:hsds-3.0:openapi.json"
COMPILED_FILES = (
    "service.json",
    "service_list.json",
    "organization.json",
    "organization_list.json",
    "service_at_location.json",
    "service_at_location_list.json",
)
PLAIN_FILES = ("taxonomy.json", "taxonomy_term.json", "metadata.json")


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


LOADED = {name: _load(name) for name in (*COMPILED_FILES, *PLAIN_FILES, "openapi.json")}


def _resource(name: str) -> Resource:
    return Resource.from_contents(LOADED[name], default_specification=DRAFT202012)


REGISTRY = Registry().with_resources(
    [
        (OPENAPI, _resource("openapi.json")),
        *((COMPILED + name, _resource(name)) for name in COMPILED_FILES),
        *((BASE + name, _resource(name)) for name in PLAIN_FILES),
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


def _validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=FORMATS)


def _response_of(path: str) -> Draft202012Validator:
    """The schema the standard's OpenAPI document gives a path's 200 answer."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return _validator(
        f"{OPENAPI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    )


ROOT = _response_of("/")
SERVICE_LIST = _response_of("/services")
SERVICE = _response_of("/services/{id}")
SAL_LIST = _response_of("/service_at_locations")
# The standard's OpenAPI names the compiled service schema for one service at location, which
# no service at location can meet (a service's name and status are required); its own example
# of that answer validates against the compiled service_at_location schema, as ours does.
SAL = _validator(COMPILED + "service_at_location.json")
ORGANIZATION_LIST = _response_of("/organizations")
ORGANIZATION = _response_of("/organizations/{id}")
TAXONOMY_LIST = _response_of("/taxonomies")
TAXONOMY = _response_of("/taxonomies/{id}")
TERM_LIST = _response_of("/taxonomy_terms")
TERM = _response_of("/taxonomy_terms/{id}")

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


def _resolved(schema: dict) -> dict:
    ref = schema.get("$ref")
    return LOADED[ref] if ref else schema


def _only_known_fields(data, schema, where="") -> None:
    """The schemas do not forbid extra properties; we hold ourselves to the listed ones."""
    schema = _resolved(schema)
    if isinstance(data, dict):
        known = schema.get("properties", {})
        unknown = set(data) - set(known)
        assert not unknown, f"{where or 'top'}: fields not in the schema: {unknown}"
        for key, value in data.items():
            _only_known_fields(value, known[key], f"{where}.{key}")
    elif isinstance(data, list):
        for item in data:
            _only_known_fields(item, schema.get("items", {}), f"{where}[]")


def _no_empty_values(data, where="") -> None:
    """Optional fields without a value are left out, never sent empty (the UK profile)."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert value not in ("", None, []), f"{where}.{key} is empty"
            _no_empty_values(value, f"{where}.{key}")
    elif isinstance(data, list):
        for item in data:
            _no_empty_values(item, f"{where}[]")


def _assert_page(body: dict, validator, item_schema: str) -> None:
    validator.validate(body)
    assert set(body) == PAGE_KEYS
    for item in body["contents"]:
        _only_known_fields(item, LOADED[item_schema])
        _no_empty_values(item)


def _assert_record(body: dict, validator, schema: str) -> None:
    validator.validate(body)
    _only_known_fields(body, LOADED[schema])
    _no_empty_values(body)


def _url(name: str, slug: str = "alpha", **kwargs) -> str:
    return reverse(f"openreferral:{name}", kwargs={"council_slug": slug, **kwargs})


def _names(response) -> list[str]:
    return [item["name"] for item in response.json()["contents"]]


@pytest.fixture
def club(alpha):
    return make_provider(
        alpha,
        name=f"Youth club {MARKER_A}",
        contact_name="Sam Smith",
        contact_email="hello@youthclub.example",
        contact_phone="01432 123456",
        website="https://youthclub.example",
        companies_house_number="01234567",
        charity_number="1100001",
    )


@pytest.fixture
def hall(alpha, club):
    return make_location(
        alpha,
        club,
        name="Riverside Hall",
        address_1="1 High Street",
        address_2="Bartonsham",
        town="Hereford",
        county="Herefordshire",
        postcode="hr1 2ab",
        latitude=Decimal("52.056500"),
        longitude=Decimal("-2.716000"),
        accessibility="Step-free entrance and a changing places toilet.",
        transport="Bus 71 stops outside.",
    )


@pytest.fixture
def saturday_club(alpha, club, hall):
    service = make_service(
        alpha,
        club,
        title="Saturday club",
        description="Games, crafts and outings.",
        tier="targeted",
        categories=["educational_leisure", "evenings_weekends_holidays"],
        setting="community",
        when=["weekends"],
        age_from=8,
        age_to=14,
        areas="Hereford, Leominster",
        price=Decimal("12.50"),
        price_unit="session",
        how_to_access="Ring the club.",
        needs=["communication_interaction", "sensory_physical"],
        url="https://youthclub.example/saturdays",
        locations=[hall.pk],
    )
    provider_services.schedule_add(
        actor=alpha,
        service=service,
        days=["SA"],
        opens_at=time(10, 0),
        closes_at=time(15, 0),
        notes="Term time only",
    )
    service.refresh_from_db()
    return service


def _term_id(taxonomy_key: str, code: str) -> str:
    taxonomy = next(t for t in hsds.TAXONOMIES if t.key == taxonomy_key)
    return taxonomy.term_id(code)


# ---------------------------------------------------------------------------------------------
# Refusals first: unknown councils and records, unsupported parameters, bad values, methods.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("root", {}),
        ("openapi", {}),
        ("services", {}),
        ("service", {"id": "1"}),
        ("service-at-locations", {}),
        ("service-at-location", {"id": str(uuid.uuid4())}),
        ("organizations", {}),
        ("organization", {"id": str(uuid.uuid4())}),
        ("taxonomies", {}),
        ("taxonomy", {"id": hsds.TAXONOMIES[0].id}),
        ("taxonomy-terms", {}),
        ("taxonomy-term", {"id": hsds.all_terms()[0][0].term_id(hsds.all_terms()[0][1].code)}),
    ],
)
def test_an_unknown_council_is_a_json_404_on_every_endpoint(client, two_councils, name, kwargs):
    response = client.get(_url(name, slug="nowhere", **kwargs))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"detail": "No council with that name."}


@pytest.mark.django_db
def test_another_councils_records_are_not_found_here(client, alpha, bravo, saturday_club, hall):
    theirs_provider = make_provider(bravo, name=f"Provider {MARKER_B}")
    theirs_location = make_location(bravo, theirs_provider, name=f"Hall {MARKER_B}")
    theirs = make_service(
        bravo, theirs_provider, title=f"Service {MARKER_B}", locations=[theirs_location]
    )
    council_b = theirs.council
    row = theirs_location.services.through.objects.get(service=theirs)
    cases = [
        ("service", theirs.pk, "No such service."),
        ("service", service_uuid(council_b, theirs.pk), "No such service."),
        (
            "service-at-location",
            hsds.service_at_location_uuid(council_b, row.pk),
            "No such service at location.",
        ),
        (
            "organization",
            hsds.organization_uuid(council_b, theirs_provider.pk),
            "No such organization.",
        ),
    ]
    for name, record_id, detail in cases:
        response = client.get(_url(name, id=record_id))
        assert response.status_code == 404, name
        assert response.json() == {"detail": detail}
    # Our own ids mean nothing under the other council either.
    ours = service_uuid(saturday_club.council, saturday_club.pk)
    assert client.get(_url("service", slug="bravo", id=ours)).status_code == 404
    for name in ("services", "service-at-locations", "organizations"):
        assert MARKER_B not in client.get(_url(name)).content.decode()
        assert MARKER_A not in client.get(_url(name, slug="bravo")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "record_id"),
    [
        ("service", "999999"),
        ("service", "not-a-uuid"),
        ("service", "0b7e2a56-3c1d-4f0e-9a52-6d1f0c8e4b19"),
        ("service-at-location", "0b7e2a56-3c1d-4f0e-9a52-6d1f0c8e4b19"),
        ("service-at-location", "12"),
        ("organization", "not-a-uuid"),
        ("taxonomy", "0b7e2a56-3c1d-4f0e-9a52-6d1f0c8e4b19"),
        ("taxonomy-term", "x"),
    ],
)
def test_an_unknown_record_is_a_json_404(client, saturday_club, name, record_id):
    response = client.get(_url(name, id=record_id))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("No such")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/openreferral/", "/openreferral/alpha/services/", "/openreferral/alpha/locations"],
)
def test_any_other_address_under_the_api_is_a_json_404(client, two_councils, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "params", "named"),
    [
        ("services", {"postcode": "HR1 2AB"}, ["postcode"]),
        ("services", {"postcode": "HR1 2AB", "proximity": "1000"}, ["postcode", "proximity"]),
        ("services", {"full": "true"}, ["full"]),
        ("services", {"format": "ndjson"}, ["format"]),
        ("services", {"age": "8"}, ["age"]),
        ("service-at-locations", {"proximity": "500"}, ["proximity"]),
        ("organizations", {"full_service": "true"}, ["full_service"]),
        ("organizations", {"taxonomy_term_id": str(uuid.uuid4())}, ["taxonomy_term_id"]),
        ("taxonomies", {"modified_after": "2024-01-01T00:00:00Z"}, ["modified_after"]),
        ("root", {"page": "1"}, ["page"]),
    ],
)
def test_an_unsupported_parameter_is_a_json_400_naming_it(
    client, saturday_club, name, params, named
):
    response = client.get(_url(name), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["unsupported"] == named
    for parameter in named:
        assert parameter in body["detail"]


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
        {"page": "²"},
        {"modified_after": "yesterday"},
        {"modified_after": "2024-13-45T00:00:00"},
        {"taxonomy_term_id": "leisure"},
        {"taxonomy_id": "1"},
        {"organization_id": "youth-club"},
        {"minimum_age": "-1"},
        {"minimum_age": "eight"},
        {"maximum_age": "nan"},
        {"maximum_age": "1000"},
        {"day": "funday"},
        {"start_time": "25:00"},
        {"end_time": "teatime"},
    ],
)
def test_a_bad_value_is_a_json_400(client, saturday_club, params):
    for name in ("services", "service-at-locations"):
        response = client.get(_url(name), params)
        assert response.status_code == 400, (name, params)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


@pytest.mark.django_db
def test_only_reads(client, saturday_club):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(_url("services"))
        assert response.status_code == 405, method
        assert response.json()["detail"]
        assert response["Access-Control-Allow-Origin"] == "*"


# ---------------------------------------------------------------------------------------------
# Openness: no sign-in, any origin, no cookies.


@pytest.mark.django_db
def test_a_browser_on_another_site_may_read(client, saturday_club):
    response = client.get(_url("services"), HTTP_ORIGIN="https://directory.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies

    preflight = client.options(
        _url("services"),
        HTTP_ORIGIN="https://directory.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, x-requested-with",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "accept, x-requested-with"


# ---------------------------------------------------------------------------------------------
# The root and the OpenAPI description.


@pytest.mark.django_db
def test_the_root_gives_version_profile_and_openapi_url(client, saturday_club):
    response = client.get(_url("root"))
    assert response.status_code == 200
    body = response.json()
    ROOT.validate(body)
    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"] == "http://testserver/openreferral/alpha/openapi.json"

    document = client.get(urlparse(body["openapi_url"]).path)
    assert document.status_code == 200
    spec = document.json()
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["servers"][0]["url"] == "http://testserver/openreferral/alpha"
    assert set(spec["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/organizations",
        "/organizations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }
    services = spec["paths"]["/services"]["get"]
    assert services["summary"]
    assert {"400", "404"} <= set(services["responses"])
    assert {p["name"] for p in services["parameters"]} >= {
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "modified_after",
        "minimum_age",
        "maximum_age",
        "day",
    }


@pytest.mark.django_db
def test_the_staff_api_description_documents_the_open_referral_operations(two_councils, client_for):
    admin = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    spec = client_for(admin).get(reverse("api-schema"), {"format": "json"}).json()
    operation = spec["paths"]["/openreferral/{council_slug}/services"]["get"]
    assert operation["summary"] == "List the council's published services"
    assert {"200", "400", "404"} <= set(operation["responses"])


# ---------------------------------------------------------------------------------------------
# Services.


@pytest.mark.django_db
def test_the_services_list_is_a_valid_hsds_page(client, alpha, club, saturday_club):
    make_service(alpha, make_provider(alpha, name="Bare provider"), title="Bare service")

    response = client.get(_url("services"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    _assert_page(body, SERVICE_LIST, "service_list.json")
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        2,
        1,
        1,
        2,
    )
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    bare, saturday = body["contents"]
    council = saturday_club.council
    assert saturday == {
        "id": service_uuid(council, saturday_club.pk),
        "organization_id": hsds.organization_uuid(council, club.pk),
        "name": "Saturday club",
        "description": "Games, crafts and outings.",
        "url": "https://youthclub.example/saturdays",
        "email": "hello@youthclub.example",
        "status": "active",
        "application_process": "Ring the club.",
        "fees_description": "£12.50 per session",
        "eligibility_description": (
            "Disabled children and young people aged 8 to 14. No social care assessment needed."
        ),
        "minimum_age": 8,
        "maximum_age": 14,
        "last_modified": saturday["last_modified"],
        "organization": {
            "id": hsds.organization_uuid(council, club.pk),
            "name": club.name,
            "description": "Provides short breaks for disabled children and their families in "
            f"{council.name}.",
            "email": "hello@youthclub.example",
            "website": "https://youthclub.example",
        },
    }
    assert uuid.UUID(saturday["id"]).version == 5
    assert saturday["last_modified"].endswith("Z")
    assert bare["name"] == "Bare service"
    assert "url" not in bare and "email" not in bare


@pytest.mark.django_db
def test_one_service_is_fully_nested(client, club, hall, saturday_club):
    council = saturday_club.council
    sid = service_uuid(council, saturday_club.pk)

    response = client.get(_url("service", id=sid))

    assert response.status_code == 200
    body = response.json()
    _assert_record(body, SERVICE, "service.json")
    assert body["id"] == sid
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
    (contact,) = body["contacts"]
    assert (contact["name"], contact["email"]) == ("Sam Smith", "hello@youthclub.example")
    assert contact["phones"][0]["number"] == "01432 123456"

    (saturdays,) = body["schedules"]
    assert {key: saturdays[key] for key in ("freq", "byday", "opens_at", "closes_at")} == {
        "freq": "WEEKLY",
        "byday": "SA",
        "opens_at": "10:00",
        "closes_at": "15:00",
    }
    assert saturdays["description"] == "Saturday, 10:00 to 15:00 (Term time only)"

    (at_hall,) = body["service_at_locations"]
    assert at_hall["id"] == hsds.service_at_location_uuid(
        council, hall.services.through.objects.get().pk
    )
    assert at_hall["location_id"] == hsds.location_uuid(council, hall.pk)
    location = at_hall["location"]
    assert (location["latitude"], location["longitude"]) == (52.0565, -2.716)
    assert location["transportation"] == "Bus 71 stops outside."
    assert location["accessibility"][0]["description"].startswith("Step-free")
    assert location["addresses"] == [
        {
            "id": location["addresses"][0]["id"],
            "location_id": location["id"],
            "address_1": "1 High Street",
            "address_2": "Bartonsham",
            "city": "Hereford",
            "state_province": "Herefordshire",
            "postal_code": "HR1 2AB",
            "country": "GB",
            "address_type": "physical",
        }
    ]
    assert at_hall["schedules"][0]["service_at_location_id"] == at_hall["id"]

    organization = body["organization"]
    assert organization["id"] == body["organization_id"]
    assert [loc["name"] for loc in organization["locations"]] == ["Riverside Hall"]
    assert {
        (i["identifier_scheme"], i["identifier"]) for i in organization["organization_identifiers"]
    } == {("GB-COH", "01234567"), ("GB-CHC", "1100001")}

    terms = {
        (a["taxonomy_term"]["taxonomy_detail"]["name"], a["taxonomy_term"]["code"])
        for a in body["attributes"]
    }
    assert terms == {
        ("Short breaks: the range of services (Regulation 4)", "educational_leisure"),
        ("Short breaks: the range of services (Regulation 4)", "evenings_weekends_holidays"),
        ("Short breaks: tiers", "targeted"),
        ("Short breaks: settings", "community"),
        ("SEND Code of Practice: broad areas of need", "communication_interaction"),
        ("SEND Code of Practice: broad areas of need", "sensory_physical"),
    }
    for attribute in body["attributes"]:
        assert attribute["link_id"] == sid
        assert attribute["taxonomy_term_id"] == attribute["taxonomy_term"]["id"]

    # Every derived identifier is distinct.
    ids = []

    def collect(data):
        if isinstance(data, dict):
            if "id" in data and "taxonomy_term" not in data.get("id", ""):
                ids.append((data["id"], json.dumps(data, sort_keys=True)))
            for value in data.values():
                collect(value)
        elif isinstance(data, list):
            for item in data:
                collect(item)

    collect(body)
    distinct = {}
    for record_id, record in ids:
        distinct.setdefault(record_id, set()).add(record)
    assert all(len(records) == 1 for records in distinct.values()), [
        record_id for record_id, records in distinct.items() if len(records) > 1
    ]


@pytest.mark.django_db
def test_one_service_by_our_own_number_is_the_same(client, saturday_club):
    by_number = client.get(_url("service", id=saturday_club.pk)).json()
    by_uuid = client.get(_url("service", id=service_uuid(saturday_club.council, saturday_club.pk)))
    assert by_number == by_uuid.json()


@pytest.mark.django_db
def test_a_minimal_service_is_valid_and_says_when_in_words(client, alpha):
    service = make_service(
        alpha, make_provider(alpha), description="", areas="", when=["weekends", "overnight"]
    )
    body = client.get(_url("service", id=service.pk)).json()
    _assert_record(body, SERVICE, "service.json")
    for absent in ("cost_options", "service_areas", "phones", "contacts", "service_at_locations"):
        assert absent not in body
    assert [s["description"] for s in body["schedules"]] == ["Weekends", "Overnight"]
    assert "freq" not in body["schedules"][0]


@pytest.mark.django_db
def test_a_free_service_costs_nothing(client, alpha):
    service = make_service(alpha, make_provider(alpha), price=Decimal("0"), price_unit="session")
    body = client.get(_url("service", id=service.pk)).json()
    _assert_record(body, SERVICE, "service.json")
    assert body["fees_description"] == "Free"
    assert body["cost_options"][0]["amount"] == 0
    assert body["cost_options"][0]["amount_description"] == "Free"


@pytest.mark.django_db
def test_ids_are_stable_and_differ_between_councils(client, alpha, bravo, saturday_club):
    first = client.get(_url("services")).json()["contents"][0]["id"]
    assert client.get(_url("services")).json()["contents"][0]["id"] == first
    theirs = make_service(bravo, make_provider(bravo))
    assert service_uuid(theirs.council, theirs.pk) != service_uuid(saturday_club.council, theirs.pk)


@pytest.mark.django_db
def test_a_suspended_providers_records_are_absent(client, alpha, club, hall, saturday_club):
    other = make_service(alpha, make_provider(alpha, name="Still open"), title="Still open")
    provider_services.provider_set_status(
        actor=alpha, provider=club, status="suspended", on=date(2025, 1, 1), reason="x"
    )
    council = club.council
    assert _names(client.get(_url("services"))) == ["Still open"]
    assert client.get(_url("service", id=saturday_club.pk)).status_code == 404
    assert client.get(_url("service-at-locations")).json()["contents"] == []
    assert _names(client.get(_url("organizations"))) == ["Still open"]
    org_id = hsds.organization_uuid(council, club.pk)
    assert client.get(_url("organization", id=org_id)).status_code == 404
    assert client.get(_url("service", id=other.pk)).status_code == 200


# ---------------------------------------------------------------------------------------------
# Filters and pages.


@pytest.mark.django_db
def test_search(client, alpha, saturday_club):
    make_service(alpha, make_provider(alpha, name="Hill farm"), title="Overnight stays")
    assert _names(client.get(_url("services"), {"search": "saturday"})) == ["Saturday club"]
    assert _names(client.get(_url("services"), {"search": "hill farm"})) == ["Overnight stays"]
    empty = client.get(_url("services"), {"search": "nothing like it"}).json()
    _assert_page(empty, SERVICE_LIST, "service_list.json")
    assert (empty["total_items"], empty["total_pages"], empty["empty"]) == (0, 0, True)


@pytest.mark.django_db
def test_pagination(client, alpha):
    provider = make_provider(alpha)
    for n in range(5):
        make_service(alpha, provider, title=f"Service {n}")

    second = client.get(_url("services"), {"page": 2, "per_page": 2}).json()
    _assert_page(second, SERVICE_LIST, "service_list.json")
    assert [s["name"] for s in second["contents"]] == ["Service 2", "Service 3"]
    assert (second["total_items"], second["total_pages"]) == (5, 3)
    assert (second["page_number"], second["size"]) == (2, 2)
    assert (second["first_page"], second["last_page"], second["empty"]) == (False, False, False)

    last = client.get(_url("services"), {"page": 3, "per_page": 2}).json()
    assert [s["name"] for s in last["contents"]] == ["Service 4"]
    assert (last["last_page"], last["size"]) == (True, 1)

    beyond = client.get(_url("services"), {"page": 9, "per_page": 2}).json()
    _assert_page(beyond, SERVICE_LIST, "service_list.json")
    assert (beyond["contents"], beyond["empty"], beyond["last_page"]) == ([], True, True)
    assert client.get(_url("services"), {"per_page": 100}).status_code == 200


@pytest.mark.django_db
def test_modified_after(client, alpha, saturday_club):
    old = make_service(alpha, saturday_club.provider, title="Old service")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Service.objects.filter(pk=old.pk).update(updated_at=long_ago)

    since = "2021-06-01T00:00:00Z"
    assert _names(client.get(_url("services"), {"modified_after": since})) == ["Saturday club"]
    assert _names(
        client.get(_url("services"), {"modified_after": "2019-12-31T23:00:00+00:00"})
    ) == [
        "Old service",
        "Saturday club",
    ]
    # Naive datetimes are read as UTC; an unencoded "+" (a space) still parses.
    response = client.get(_url("services") + "?modified_after=2019-12-31T23:00:00+00:00")
    assert response.status_code == 200
    # Adding times to a service changes it, for those who read changes.
    provider_services.schedule_add(
        actor=alpha, service=old, days=["MO"], opens_at=time(9), closes_at=time(12)
    )
    assert "Old service" in _names(client.get(_url("services"), {"modified_after": since}))


@pytest.mark.django_db
def test_taxonomy_filters(client, alpha, saturday_club):
    make_service(
        alpha,
        make_provider(alpha, name="Hill farm"),
        title="Overnight stays",
        categories=["overnight_care"],
        tier="specialist",
    )
    by_term = lambda key, code: _names(  # noqa: E731
        client.get(_url("services"), {"taxonomy_term_id": _term_id(key, code)})
    )
    assert by_term("regulation-4", "educational_leisure") == ["Saturday club"]
    assert by_term("regulation-4", "overnight_care") == ["Overnight stays"]
    assert by_term("short-breaks-tier", "specialist") == ["Overnight stays"]
    assert by_term("short-breaks-setting", "community") == ["Saturday club"]
    assert by_term("send-areas-of-need", "sensory_physical") == ["Saturday club"]
    assert by_term("send-areas-of-need", "cognition_learning") == []
    unknown = client.get(_url("services"), {"taxonomy_term_id": str(uuid.uuid4())})
    assert unknown.status_code == 200 and unknown.json()["contents"] == []

    needs = next(t for t in hsds.TAXONOMIES if t.key == "send-areas-of-need")
    tiers = next(t for t in hsds.TAXONOMIES if t.key == "short-breaks-tier")
    assert _names(client.get(_url("services"), {"taxonomy_id": needs.id})) == ["Saturday club"]
    assert _names(client.get(_url("services"), {"taxonomy_id": tiers.id})) == [
        "Overnight stays",
        "Saturday club",
    ]
    sal = client.get(_url("service-at-locations"), {"taxonomy_id": needs.id}).json()
    _assert_page(sal, SAL_LIST, "service_at_location_list.json")
    assert [row["service"]["name"] for row in sal["contents"]] == ["Saturday club"]


@pytest.mark.django_db
def test_organization_filter(client, alpha, club, saturday_club):
    make_service(alpha, make_provider(alpha, name="Hill farm"), title="Overnight stays")
    org_id = hsds.organization_uuid(club.council, club.pk)
    assert _names(client.get(_url("services"), {"organization_id": org_id})) == ["Saturday club"]
    nobody = client.get(_url("services"), {"organization_id": str(uuid.uuid4())})
    assert nobody.json()["contents"] == []


@pytest.mark.django_db
def test_the_uk_profiles_age_filters_bound_the_services_own_ages(client, alpha, saturday_club):
    provider = make_provider(alpha)
    make_service(alpha, provider, title="Toddlers", age_from=0, age_to=5)
    make_service(alpha, provider, title="Teenagers", age_from=13, age_to=18)

    def names(**params):
        return _names(client.get(_url("services"), params))

    # minimum_age: the service's youngest age is at least this; maximum_age: its oldest at most.
    assert names(minimum_age=8) == ["Saturday club", "Teenagers"]
    assert names(minimum_age=8.5) == ["Teenagers"]
    assert names(maximum_age=14) == ["Saturday club", "Toddlers"]
    assert names(minimum_age=5, maximum_age=15) == ["Saturday club"]


@pytest.mark.django_db
def test_the_uk_profiles_day_and_time_filters(client, alpha, saturday_club):
    evenings = make_service(alpha, make_provider(alpha), title="Evening club")
    provider_services.schedule_add(
        actor=alpha,
        service=evenings,
        days=["TU", "TH"],
        opens_at=time(18, 0),
        closes_at=time(20, 30),
    )
    make_service(alpha, make_provider(alpha), title="No times yet")

    def names(**params):
        return _names(client.get(_url("services"), params))

    assert names(day="SA") == ["Saturday club"]
    assert names(day="thursday") == ["Evening club"]
    assert names(day="MO") == []
    assert names(start_time="17:00") == ["Evening club"]
    assert names(end_time="16:00") == ["Saturday club"]
    # One set of times must meet them all: Saturdays end by 16:00, Thursdays do not.
    assert names(day="TH", end_time="16:00") == []
    assert names(day="TH", start_time="18:00", end_time="21:00") == ["Evening club"]
    sal = client.get(_url("service-at-locations"), {"day": "SA"}).json()
    assert [row["service"]["name"] for row in sal["contents"]] == ["Saturday club"]


# ---------------------------------------------------------------------------------------------
# Service at locations.


@pytest.mark.django_db
def test_service_at_locations(client, alpha, club, hall, saturday_club):
    second = make_location(alpha, club, name="Town library", postcode="HR4 9AB")
    provider_services.service_update(
        actor=alpha, service=saturday_club, locations=[hall.pk, second.pk]
    )
    make_service(alpha, make_provider(alpha), title="Nowhere in particular")
    council = club.council

    listing = client.get(_url("service-at-locations")).json()
    _assert_page(listing, SAL_LIST, "service_at_location_list.json")
    assert listing["total_items"] == 2
    assert [row["location"]["name"] for row in listing["contents"]] == [
        "Riverside Hall",
        "Town library",
    ]
    first = listing["contents"][0]
    assert first["service"]["name"] == "Saturday club"
    assert first["service_id"] == service_uuid(council, saturday_club.pk)
    assert first["location"]["latitude"] == 52.0565

    response = client.get(_url("service-at-location", id=first["id"]))
    assert response.status_code == 200
    body = response.json()
    _assert_record(body, SAL, "service_at_location.json")
    assert body["location"]["addresses"][0]["postal_code"] == "HR1 2AB"
    assert body["service"]["name"] == "Saturday club"
    assert body["service"]["attributes"]
    assert body["schedules"][0]["service_at_location_id"] == body["id"]


# ---------------------------------------------------------------------------------------------
# Organizations.


@pytest.mark.django_db
def test_organizations(client, alpha, club, hall, saturday_club):
    make_provider(alpha, name="Provider with nothing published")
    council = club.council

    listing = client.get(_url("organizations")).json()
    _assert_page(listing, ORGANIZATION_LIST, "organization_list.json")
    assert _names_of(listing) == [club.name]
    assert _names(client.get(_url("organizations"), {"search": "youth"})) == [club.name]
    assert _names(client.get(_url("organizations"), {"search": "zzzz"})) == []

    org_id = hsds.organization_uuid(council, club.pk)
    body = client.get(_url("organization", id=org_id)).json()
    _assert_record(body, ORGANIZATION, "organization.json")
    assert [s["name"] for s in body["services"]] == ["Saturday club"]
    assert body["locations"][0]["addresses"][0]["city"] == "Hereford"
    assert body["phones"][0]["number"] == "01432 123456"
    assert body["contacts"][0]["name"] == "Sam Smith"


def _names_of(body: dict) -> list[str]:
    return [item["name"] for item in body["contents"]]


# ---------------------------------------------------------------------------------------------
# Taxonomies, published with their vocabulary.


@pytest.mark.django_db
def test_taxonomies_and_their_terms(client, saturday_club):
    listing = client.get(_url("taxonomies")).json()
    _assert_page(listing, TAXONOMY_LIST, "taxonomy.json")
    assert listing["total_items"] == len(hsds.TAXONOMIES)
    regulation = next(t for t in listing["contents"] if t["uri"].startswith("https://www.leg"))
    one = client.get(_url("taxonomy", id=regulation["id"])).json()
    _assert_record(one, TAXONOMY, "taxonomy.json")
    assert one == regulation

    terms = client.get(_url("taxonomy-terms"), {"per_page": 100}).json()
    _assert_page(terms, TERM_LIST, "taxonomy_term.json")
    assert terms["total_items"] == len(hsds.all_terms())
    for term in terms["contents"]:
        assert term["taxonomy_detail"]["id"] == term["taxonomy_id"]
        assert term["description"]

    of_regulation = client.get(_url("taxonomy-terms"), {"taxonomy_id": regulation["id"]}).json()
    assert [t["code"] for t in of_regulation["contents"]] == [
        "daytime_care",
        "overnight_care",
        "educational_leisure",
        "evenings_weekends_holidays",
    ]
    assert client.get(_url("taxonomy-terms"), {"top_only": "true"}).json()["total_items"] == len(
        hsds.all_terms()
    )
    children = client.get(_url("taxonomy-terms"), {"parent_id": str(uuid.uuid4())}).json()
    assert children["contents"] == []
    assert client.get(_url("taxonomy-terms"), {"top_only": "maybe"}).status_code == 400

    term_id = _term_id("send-areas-of-need", "sensory_physical")
    term = client.get(_url("taxonomy-term", id=term_id)).json()
    _assert_record(term, TERM, "taxonomy_term.json")
    assert term["name"] == "Sensory and/or physical needs"
    # The service's attribute carries the same term.
    service = client.get(_url("service", id=saturday_club.pk)).json()
    assert term in [a["taxonomy_term"] for a in service["attributes"]]


# ---------------------------------------------------------------------------------------------
# Queries: fixed, whatever the number of rows.


def _busy(alpha, count: int) -> None:
    for _ in range(count):
        provider = make_provider(alpha)
        location = make_location(alpha, provider)
        service = make_service(alpha, provider, locations=[location])
        provider_services.schedule_add(
            actor=alpha, service=service, days=["SA"], opens_at=time(10), closes_at=time(12)
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [("services", 5), ("service-at-locations", 5), ("organizations", 5)],
)
def test_lists_take_a_fixed_number_of_queries(
    client, alpha, django_assert_num_queries, name, expected
):
    _busy(alpha, 3)
    # The council, the count and the page, inside the request's transaction (a savepoint and
    # its release under the test's own transaction).
    with django_assert_num_queries(expected):
        response = client.get(_url(name), {"per_page": 2})
    assert response.json()["size"] == 2
    _busy(alpha, 4)
    with django_assert_num_queries(expected):
        response = client.get(_url(name))
    assert response.json()["size"] == 7


@pytest.mark.django_db
def test_one_service_takes_a_fixed_number_of_queries(
    client, alpha, club, hall, saturday_club, django_assert_num_queries
):
    # The council, the service with its provider, its times, where it runs, and its provider's
    # locations, inside the request's savepoint.
    with django_assert_num_queries(7):
        client.get(_url("service", id=saturday_club.pk))
    for n in range(4):
        location = make_location(alpha, club, name=f"More {n}")
        provider_services.service_update(
            actor=alpha,
            service=saturday_club,
            locations=[*saturday_club.locations.all(), location],
        )
        provider_services.schedule_add(
            actor=alpha, service=saturday_club, days=["SU"], opens_at=time(9), closes_at=time(10)
        )
    with django_assert_num_queries(7):
        response = client.get(_url("service", id=saturday_club.pk))
    assert len(response.json()["service_at_locations"]) == 5
