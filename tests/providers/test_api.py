"""The providers API: per role, per council, bad input and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from providers.models import Provider, Service
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import STAFF_ROLES, Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.roles import ALL_ROLES, CONTRACT_MANAGERS, refused


def _api(world, role, council="alpha") -> APIClient:
    client = APIClient()
    client.force_authenticate(world[council]["people"][role])
    return client


def _service_json(**overrides) -> dict:
    data = {
        "title": "Saturday club",
        "tier": "universal",
        "categories": ["educational_leisure", "evenings_weekends_holidays"],
        "setting": "community",
        "ratios": ["1:3"],
        "age_from": 8,
        "age_to": 17,
        "when": ["weekends"],
        "price_unit": "session",
        "price": "5.00",
        "capacity_available": 10,
        "capacity_maximum": 20,
        "capacity_unit": "places",
    }
    data.update(overrides)
    return data


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# ---------------------------------------------------------------------------------------------
# Who may call what.

ENDPOINTS = [
    ("get", lambda w: reverse("api-providers"), None),
    ("post", lambda w: reverse("api-providers"), {"name": "New Ltd"}),
    ("get", lambda w: reverse("api-provider", args=[w["alpha"]["provider"].pk]), None),
    (
        "patch",
        lambda w: reverse("api-provider", args=[w["alpha"]["provider"].pk]),
        {"postcode": "X"},
    ),
    (
        "post",
        lambda w: reverse("api-provider-status", args=[w["alpha"]["provider"].pk]),
        {"status": "suspended", "on": "2025-04-01", "reason": "Safeguarding concern"},
    ),
    ("get", lambda w: reverse("api-provider-services", args=[w["alpha"]["provider"].pk]), None),
    (
        "post",
        lambda w: reverse("api-provider-services", args=[w["alpha"]["provider"].pk]),
        _service_json(),
    ),
    ("get", lambda w: reverse("api-services"), None),
    ("get", lambda w: reverse("api-service", args=[w["alpha"]["service"].pk]), None),
    ("patch", lambda w: reverse("api-service", args=[w["alpha"]["service"].pk]), {"areas": "All"}),
]
ENDPOINT_IDS = [f"{method} {index}" for index, (method, _, _) in enumerate(ENDPOINTS)]


@pytest.mark.parametrize(("method", "url_for", "data"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_without_credentials_every_endpoint_answers_401(world, method, url_for, data):
    response = getattr(APIClient(), method)(url_for(world), data, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("method", "url_for", "data"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_role_matrix(world, role, method, url_for, data):
    response = getattr(_api(world, role), method)(url_for(world), data, format="json")
    if method == "get":
        expected = 200 if role in STAFF_ROLES else 403
    elif role in CONTRACT_MANAGERS:
        expected = (
            201 if response.request["PATH_INFO"].endswith(("providers/", "services/")) else 200
        )
    else:
        expected = 403
    assert response.status_code == expected, (role, method, response.json())
    assert MARKER_B not in response.content.decode()


@pytest.mark.parametrize("role", refused(CONTRACT_MANAGERS, among=ALL_ROLES))
def test_a_refused_role_changes_nothing(world, role):
    client = _api(world, role)
    provider, service = world["alpha"]["provider"], world["alpha"]["service"]
    client.post(reverse("api-providers"), {"name": "Sneaky Ltd"}, format="json")
    client.patch(reverse("api-provider", args=[provider.pk]), {"name": "X"}, format="json")
    client.patch(reverse("api-service", args=[service.pk]), {"title": "X"}, format="json")
    client.post(
        reverse("api-provider-services", args=[provider.pk]), _service_json(), format="json"
    )
    assert not Provider.objects.filter(name__in=["Sneaky Ltd", "X"]).exists()
    assert not Service.objects.filter(title__in=["X", "Saturday club"]).exists()
    assert AccessLogEntry.objects.filter(outcome="refused", action="denied").count() == 4


# ---------------------------------------------------------------------------------------------
# Another council's id: 404, exactly as a missing one.

ID_ENDPOINTS = [
    ("get", "api-provider", "provider", Role.SOCIAL_WORKER, None),
    ("patch", "api-provider", "provider", Role.COMMISSIONER, {"name": "Taken over"}),
    (
        "post",
        "api-provider-status",
        "provider",
        Role.CONTRACT_MANAGER,
        {"status": "exited", "on": "2025-04-01", "reason": "x"},
    ),
    ("get", "api-provider-services", "provider", Role.AUDITOR, None),
    ("post", "api-provider-services", "provider", Role.COMMISSIONER, _service_json()),
    ("get", "api-service", "service", Role.TEAM_MANAGER, None),
    ("patch", "api-service", "service", Role.COMMISSIONER, {"title": "Taken over"}),
]


@pytest.mark.parametrize(
    ("method", "url_name", "thing", "role", "data"),
    ID_ENDPOINTS,
    ids=[f"{e[0]} {e[1]}" for e in ID_ENDPOINTS],
)
def test_another_councils_id_is_not_found_as_a_missing_one(
    world, method, url_name, thing, role, data
):
    client = _api(world, role)
    theirs = world["bravo"][thing].pk
    other = getattr(client, method)(reverse(url_name, args=[theirs]), data, format="json")
    missing = getattr(client, method)(
        reverse(url_name, args=[theirs + 10_000]), data, format="json"
    )
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert MARKER_B not in other.content.decode()
    world["bravo"][thing].refresh_from_db()
    assert "Taken over" not in str(world["bravo"][thing])
    assert world["bravo"]["provider"].status == "active"


def test_a_council_in_a_joint_contract_cannot_reach_the_lead_councils_providers(world):
    lead = world["alpha"]["people"][Role.COMMISSIONER]
    contract = make_contract(lead, participating_councils=[world["bravo"]["council"]])
    make_awarded_lot(lead, contract, world["alpha"]["provider"])
    participant = _api(world, Role.COMMISSIONER, "bravo")
    provider, service = world["alpha"]["provider"], world["alpha"]["service"]
    assert participant.get(reverse("api-provider", args=[provider.pk])).status_code == 404
    assert participant.get(reverse("api-service", args=[service.pk])).status_code == 404
    listed = participant.get(reverse("api-providers"))
    assert _ids(listed) == [world["bravo"]["provider"].pk]
    assert _ids(participant.get(reverse("api-services"))) == [world["bravo"]["service"].pk]


# ---------------------------------------------------------------------------------------------
# Providers.


def test_list_filters_by_search_and_status(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    holly = make_provider(commissioner, name="Holly Lodge Care")
    oak = make_provider(commissioner, name="Oak Tree Trust")
    from providers.services import provider_set_status

    provider_set_status(
        actor=commissioner, provider=holly, status="suspended", on=date(2025, 1, 6), reason="CQC"
    )
    client = _api(world, Role.SOCIAL_WORKER)
    assert _ids(client.get(reverse("api-providers"), {"search": "lodge"})) == [holly.pk]
    assert _ids(client.get(reverse("api-providers"), {"status": "suspended"})) == [holly.pk]
    everyone = client.get(reverse("api-providers")).json()["results"]
    assert [row["name"] for row in everyone] == [
        "Holly Lodge Care",
        "Oak Tree Trust",
        f"Provider {MARKER_A}",
    ]
    assert {row["id"]: row["service_count"] for row in everyone}[oak.pk] == 0
    assert everyone[2]["service_count"] == 1
    refused = client.get(reverse("api-providers"), {"status": "closed"})
    assert refused.status_code == 400
    assert "status" in refused.json()


def test_commissioner_creates_reads_and_changes_a_provider(world):
    client = _api(world, Role.COMMISSIONER)
    created = client.post(
        reverse("api-providers"),
        {
            "name": "Rivermead Inclusive Trust",
            "charity_number": "1150000",
            "contact_email": "office@example.org",
            "website": "https://www.example.org",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "active"
    assert body["service_count"] == 0
    assert body["registrations"] == []
    provider = Provider.objects.get(pk=body["id"])
    assert provider.council == world["alpha"]["council"]

    read = client.get(reverse("api-provider", args=[provider.pk]))
    assert read.json()["charity_number"] == "1150000"
    assert AccessLogEntry.objects.filter(
        action="view", object_type="providers.provider", object_id=str(provider.pk)
    ).exists()

    changed = client.patch(
        reverse("api-provider", args=[provider.pk]), {"postcode": "ME4 4AA"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["postcode"] == "ME4 4AA"
    assert changed.json()["name"] == "Rivermead Inclusive Trust"
    provider.refresh_from_db()
    assert provider.postcode == "ME4 4AA"


def test_status_cannot_be_set_through_patch_only_through_its_own_endpoint(world):
    provider = world["alpha"]["provider"]
    client = _api(world, Role.COMMISSIONER)
    client.patch(reverse("api-provider", args=[provider.pk]), {"status": "exited"}, format="json")
    provider.refresh_from_db()
    assert provider.status == "active"
    response = client.post(
        reverse("api-provider-status", args=[provider.pk]),
        {"status": "exited", "on": "2020-03-31", "reason": "Left the DPS"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_date"]) == ("exited", "2020-03-31")
    assert response.json()["status_reason"] == "Left the DPS"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "active", "on": "2025-04-01", "reason": "x"}, "status"),
        ({"status": "paused", "on": "2025-04-01", "reason": "x"}, "status"),
        ({"status": "suspended", "on": "31/31/2025", "reason": "x"}, "on"),
        ({"status": "suspended", "on": "2025-04-01", "reason": "   "}, "reason"),
        ({"status": "suspended", "reason": "x"}, "on"),
    ],
)
def test_bad_status_change_is_400_with_the_field(world, data, field):
    provider = world["alpha"]["provider"]
    response = _api(world, Role.COMMISSIONER).post(
        reverse("api-provider-status", args=[provider.pk]), data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    provider.refresh_from_db()
    assert provider.status == "active"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "X", "contact_email": "nobody"}, "contact_email"),
        ({"name": "X", "website": "ftp:/nowhere"}, "website"),
        ({"name": "X", "postcode": "123456789"}, "postcode"),
        ({"name": "X\x00"}, "name"),
    ],
)
def test_bad_provider_input_is_400_with_the_field(world, data, field):
    response = _api(world, Role.COMMISSIONER).post(reverse("api-providers"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Provider.objects.count() == 2


def test_a_name_already_held_is_400_and_nothing_is_added(world):
    client = _api(world, Role.COMMISSIONER)
    response = client.post(reverse("api-providers"), {"name": f"Provider {MARKER_A}"})
    assert response.status_code == 400
    assert "already has a provider with this name" in str(response.json())
    assert Provider.objects.filter(council=world["alpha"]["council"]).count() == 1
    # Council B holds its own record of a provider of the same name.
    other = _api(world, Role.COMMISSIONER, "bravo")
    assert other.post(reverse("api-providers"), {"name": f"Provider {MARKER_A}"}).status_code == 201


# ---------------------------------------------------------------------------------------------
# Services.


def test_commissioner_adds_a_service_to_a_provider_and_reads_it_back(world):
    provider = world["alpha"]["provider"]
    client = _api(world, Role.COMMISSIONER)
    created = client.post(
        reverse("api-provider-services", args=[provider.pk]), _service_json(), format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["provider"] == provider.pk
    assert body["provider_name"] == f"Provider {MARKER_A}"
    assert body["categories"] == ["educational_leisure", "evenings_weekends_holidays"]
    assert body["price"] == "5.00"
    assert body["capacity_updated_at"] is not None
    listed = client.get(reverse("api-provider-services", args=[provider.pk]))
    assert [row["title"] for row in listed.json()["results"]] == [
        "Saturday club",
        f"Service {MARKER_A}",
    ]
    read = client.get(reverse("api-service", args=[body["id"]]))
    assert read.json() == body
    assert AccessLogEntry.objects.filter(
        action="view", object_type="providers.service", object_id=str(body["id"])
    ).exists()


def test_services_list_filters_by_tier(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    club = make_service(commissioner, world["alpha"]["provider"], title="Club", tier="universal")
    client = _api(world, Role.SOCIAL_WORKER)
    assert _ids(client.get(reverse("api-services"), {"tier": "universal"})) == [club.pk]
    assert _ids(client.get(reverse("api-services"), {"tier": "specialist"})) == [
        world["alpha"]["service"].pk
    ]
    assert client.get(reverse("api-services"), {"tier": "premium"}).status_code == 400


def test_patching_capacity_stamps_when_it_changed(world):
    service = world["alpha"]["service"]
    assert service.capacity_updated_at is None
    client = _api(world, Role.CONTRACT_MANAGER)
    response = client.patch(
        reverse("api-service", args=[service.pk]),
        {"capacity_available": 2, "capacity_maximum": 4, "capacity_unit": "beds"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["capacity_available"], body["capacity_maximum"]) == (2, 4)
    assert body["capacity_updated_at"] is not None
    assert body["title"] == f"Service {MARKER_A}"
    assert body["categories"] == ["overnight_care"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["swimming"]}, "categories"),
        ({"categories": "overnight_care"}, "categories"),
        ({"ratios": ["3:1"]}, "ratios"),
        ({"when": ["mornings"]}, "when"),
        ({"tier": "premium"}, "tier"),
        ({"age_from": 16, "age_to": 5}, "age_to"),
        ({"age_to": 99}, "age_to"),
        ({"capacity_available": 9, "capacity_maximum": 4}, "capacity_available"),
        ({"capacity_maximum": 10**12}, "capacity_maximum"),
        ({"price": "-1.00"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": "10.00", "price_unit": ""}, "price_unit"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_service_input_is_400_with_the_field(world, data, field):
    service = world["alpha"]["service"]
    response = _api(world, Role.COMMISSIONER).patch(
        reverse("api-service", args=[service.pk]), data, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    before = Service.objects.get(pk=service.pk)
    assert (before.title, before.categories, before.age_to) == (
        f"Service {MARKER_A}",
        ["overnight_care"],
        18,
    )


def test_creating_a_service_without_its_required_fields_is_400(world):
    provider = world["alpha"]["provider"]
    response = _api(world, Role.COMMISSIONER).post(
        reverse("api-provider-services", args=[provider.pk]), {}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "tier", "categories", "setting"} <= set(response.json())


# ---------------------------------------------------------------------------------------------
# Query counts do not grow with rows.


def _add_rows(world, count: int) -> None:
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for index in range(count):
        provider = make_provider(commissioner, name=f"Extra provider {index}")
        make_service(commissioner, provider, tier="universal")
        make_service(commissioner, provider, tier="targeted")


LIST_APIS = [
    ("api-providers", lambda w: [], 1),
    ("api-services", lambda w: [], 2),
    ("api-provider-services", lambda w: [w["alpha"]["provider"].pk], 0),
]


@pytest.mark.parametrize("rows", [3, 12])
@pytest.mark.parametrize(("url_name", "args", "per_row"), LIST_APIS, ids=[a[0] for a in LIST_APIS])
def test_list_queries_do_not_grow_with_rows(
    world, django_assert_num_queries, rows, url_name, args, per_row
):
    _add_rows(world, rows)
    make_service(world["alpha"]["people"][Role.COMMISSIONER], world["alpha"]["provider"])
    client = _api(world, Role.SOCIAL_WORKER)
    # A service carries where and when it runs: one query each for the whole page.
    expected = {"api-providers": 4, "api-services": 6, "api-provider-services": 7}[url_name]
    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name, args=args(world)))
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1 + rows * per_row + (1 if url_name != "api-providers" else 0)
