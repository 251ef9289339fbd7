"""Where services run and when: providers' locations with their addresses in parts and map
positions, which services run at each, their weekly times, and how families get in touch. In the
pages and the API alike, refusals first."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from providers import services
from providers.models import Location, ServiceLocation, ServiceSchedule
from shortbreaks.councils import services as council_services
from shortbreaks.councils.models import STAFF_ROLES, Role
from tests.builders import make_location, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.roles import CONTRACT_MANAGERS


@pytest.fixture
def world(two_councils):
    """In each council: a provider with a location and a service that runs there on Saturdays."""
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        provider = make_provider(commissioner, name=f"Provider {marker}")
        location = make_location(commissioner, provider, name=f"Hall {marker}")
        service = make_service(
            commissioner, provider, title=f"Service {marker}", locations=[location]
        )
        schedule = services.schedule_add(
            actor=commissioner,
            service=service,
            days=["SA"],
            opens_at=time(10),
            closes_at=time(15),
        )
        two_councils[slug].update(
            provider=provider, location=location, service=service, schedule=schedule
        )
    return two_councils


def _person(world, role, council="alpha"):
    return world[council]["people"][role]


def _api(world, role, council="alpha") -> APIClient:
    client = APIClient()
    token = council_services.api_token_issue(user=_person(world, role, council))[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


LOCATION_POST = {
    "name": "Town library",
    "address_1": "2 Broad Street",
    "address_2": "",
    "town": "Hereford",
    "county": "Herefordshire",
    "postcode": "hr4 9au",
    "latitude": "52.057000",
    "longitude": "-2.717000",
    "accessibility": "Lift to every floor.",
    "transport": "Next to the bus station.",
}


# ---------------------------------------------------------------------------------------------
# Refusals: another council's record, the wrong role, bad input.


def test_another_councils_records_are_not_found(world, client_for):
    client = client_for(_person(world, Role.COMMISSIONER))
    bravo = world["bravo"]
    gets = [
        reverse("providers:location-create", args=[bravo["provider"].pk]),
        reverse("providers:location-edit", args=[bravo["location"].pk]),
        reverse("providers:schedule-create", args=[bravo["service"].pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert MARKER_B not in response.content.decode()
    remove = reverse("providers:schedule-remove", args=[bravo["service"].pk, bravo["schedule"].pk])
    assert client.post(remove).status_code == 404
    # Our own service with their schedule's id: not found either.
    mixed = reverse(
        "providers:schedule-remove", args=[world["alpha"]["service"].pk, bravo["schedule"].pk]
    )
    assert client.post(mixed).status_code == 404
    assert ServiceSchedule.objects.filter(pk=bravo["schedule"].pk).exists()

    api = _api(world, Role.COMMISSIONER)
    for url in (
        reverse("api-provider-locations", args=[bravo["provider"].pk]),
        reverse("api-location", args=[bravo["location"].pk]),
        reverse("api-service-schedules", args=[bravo["service"].pk]),
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert MARKER_B not in response.content.decode()
    url = reverse("api-service-schedule", args=[bravo["service"].pk, bravo["schedule"].pk])
    assert api.delete(url).status_code == 404


def test_a_service_cannot_run_at_another_providers_or_councils_location(world):
    alpha = _person(world, Role.COMMISSIONER)
    other = make_location(alpha, make_provider(alpha), name="Someone else's hall")
    for location in (other, world["bravo"]["location"]):
        with pytest.raises(ValidationError) as refused:
            services.service_update(
                actor=alpha, service=world["alpha"]["service"], locations=[location.pk]
            )
        assert "locations" in refused.value.message_dict
    assert list(world["alpha"]["service"].locations.all()) == [world["alpha"]["location"]]


@pytest.mark.parametrize("role", sorted(set(Role.values) - CONTRACT_MANAGERS))
def test_only_commissioners_and_contract_managers_change_them(world, client_for, role):
    alpha = world["alpha"]
    client = client_for(_person(world, role))
    pages = [
        reverse("providers:location-create", args=[alpha["provider"].pk]),
        reverse("providers:location-edit", args=[alpha["location"].pk]),
        reverse("providers:schedule-create", args=[alpha["service"].pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert client.post(url, LOCATION_POST).status_code == 403, url
    remove = reverse("providers:schedule-remove", args=[alpha["service"].pk, alpha["schedule"].pk])
    assert client.post(remove).status_code == 403

    api = _api(world, role)
    readable = 200 if role in STAFF_ROLES else 403
    assert api.get(reverse("api-location", args=[alpha["location"].pk])).status_code == readable
    refused = [
        api.post(reverse("api-provider-locations", args=[alpha["provider"].pk]), LOCATION_POST),
        api.patch(reverse("api-location", args=[alpha["location"].pk]), {"name": "X"}),
        api.post(
            reverse("api-service-schedules", args=[alpha["service"].pk]),
            {"days": ["MO"], "opens_at": "09:00", "closes_at": "10:00"},
            format="json",
        ),
        api.delete(
            reverse("api-service-schedule", args=[alpha["service"].pk, alpha["schedule"].pk])
        ),
    ]
    assert [response.status_code for response in refused] == [403] * 4
    assert Location.objects.count() == 2
    assert ServiceSchedule.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.location_create(actor=_person(world, role), provider=alpha["provider"], name="X")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"address_1": ""}, "address_1"),
        ({"town": ""}, "town"),
        ({"postcode": ""}, "postcode"),
        ({"latitude": "91"}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"longitude": ""}, "longitude"),  # a latitude without a longitude
    ],
)
def test_a_bad_location_is_refused_with_the_field(world, client_for, changes, field):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:location-create", args=[provider.pk]), {**LOCATION_POST, **changes}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()
    api = _api(world, Role.COMMISSIONER)
    response = api.post(
        reverse("api-provider-locations", args=[provider.pk]),
        {**LOCATION_POST, **{k: (v or None) if k != "name" else v for k, v in changes.items()}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Location.objects.filter(name="Town library").exists()


def test_a_location_name_is_used_once_by_a_provider(world):
    alpha = _person(world, Role.COMMISSIONER)
    with pytest.raises(ValidationError) as refused:
        services.location_create(
            actor=alpha,
            provider=world["alpha"]["provider"],
            name=f"hall {MARKER_A.lower()}",
            address_1="1 Road",
            town="Town",
            county="County",
            postcode="AB1 2CD",
        )
    assert refused.value.message_dict["name"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens_at": "10:00", "closes_at": "12:00"}, "days"),
        ({"days": ["XX"], "opens_at": "10:00", "closes_at": "12:00"}, "days"),
        ({"days": ["MO"], "opens_at": "25:00", "closes_at": "12:00"}, "opens_at"),
        ({"days": ["MO"], "opens_at": "10:00", "closes_at": "10:00"}, "closes_at"),
        ({"days": ["MO"], "opens_at": "10:00"}, "closes_at"),
    ],
)
def test_bad_times_are_refused_with_the_field(world, client_for, data, field):
    service = world["alpha"]["service"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(reverse("providers:schedule-create", args=[service.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = _api(world, Role.COMMISSIONER).post(
        reverse("api-service-schedules", args=[service.pk]), data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert ServiceSchedule.objects.filter(service=service).count() == 1


# ---------------------------------------------------------------------------------------------
# Pages.


def test_a_commissioner_adds_a_location_runs_a_service_there_and_sets_its_times(world, client_for):
    alpha = world["alpha"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:location-create", args=[alpha["provider"].pk]), LOCATION_POST
    )
    assert response.status_code == 302
    library = Location.objects.get(name="Town library")
    assert (library.postcode, library.latitude) == ("HR4 9AU", Decimal("52.057000"))
    detail = client.get(reverse("providers:detail", args=[alpha["provider"].pk]))
    assert "2 Broad Street, Hereford, Herefordshire, HR4 9AU" in detail.content.decode()

    form = client.get(reverse("providers:service-edit", args=[alpha["service"].pk]))
    assert "Town library" in form.content.decode()
    post = {
        "title": alpha["service"].title,
        "tier": "specialist",
        "categories": ["overnight_care"],
        "setting": "residential",
        "age_from": "0",
        "age_to": "18",
        "locations": [str(alpha["location"].pk), str(library.pk)],
        "needs": ["sensory_physical"],
        "url": "https://example.org/service",
        "email": "service@example.org",
        "phone": "01632 960999",
    }
    response = client.post(reverse("providers:service-edit", args=[alpha["service"].pk]), post)
    assert response.status_code == 302, response.content.decode()
    service = alpha["service"]
    service.refresh_from_db()
    assert set(service.locations.all()) == {alpha["location"], library}
    assert (service.needs, service.phone) == (["sensory_physical"], "01632 960999")

    response = client.post(
        reverse("providers:schedule-create", args=[service.pk]),
        {"days": ["FR", "MO"], "opens_at": "17:00", "closes_at": "09:00", "notes": "Overnight"},
    )
    assert response.status_code == 302
    overnight = ServiceSchedule.objects.get(service=service, notes="Overnight")
    assert overnight.days == ["MO", "FR"]
    page = client.get(reverse("providers:service", args=[service.pk])).content.decode()
    assert "Monday, Friday" in page
    assert "17:00 to 09:00 the next day" in page
    assert "Sensory and/or physical needs" in page

    client.post(reverse("providers:schedule-remove", args=[service.pk, alpha["schedule"].pk]))
    assert list(ServiceSchedule.objects.filter(service=service)) == [overnight]


def test_buttons_show_only_to_those_who_may_use_them(world, client_for):
    alpha = world["alpha"]
    for role in Role.values:
        client = client_for(_person(world, role))
        detail = client.get(reverse("providers:detail", args=[alpha["provider"].pk]))
        service = client.get(reverse("providers:service", args=[alpha["service"].pk]))
        shown = {
            reverse("providers:location-create", args=[alpha["provider"].pk])
            in detail.content.decode(),
            reverse("providers:location-edit", args=[alpha["location"].pk])
            in detail.content.decode(),
            reverse("providers:schedule-create", args=[alpha["service"].pk])
            in service.content.decode(),
        }
        assert shown == {role in CONTRACT_MANAGERS}, role


# ---------------------------------------------------------------------------------------------
# The API.


def test_the_api_keeps_locations_and_times(world):
    alpha = world["alpha"]
    api = _api(world, Role.CONTRACT_MANAGER)
    created = api.post(
        reverse("api-provider-locations", args=[alpha["provider"].pk]),
        LOCATION_POST,
        format="json",
    )
    assert created.status_code == 201, created.json()
    location = created.json()
    assert (location["postcode"], location["latitude"]) == ("HR4 9AU", "52.057000")
    changed = api.patch(
        reverse("api-location", args=[location["id"]]), {"town": "Leominster"}, format="json"
    )
    assert changed.json()["town"] == "Leominster"
    listing = api.get(reverse("api-provider-locations", args=[alpha["provider"].pk])).json()
    assert [row["name"] for row in listing["results"]] == [f"Hall {MARKER_A}", "Town library"]

    service_url = reverse("api-service", args=[alpha["service"].pk])
    response = api.patch(
        service_url,
        {"locations": [location["id"]], "needs": ["cognition_learning"], "phone": "01632 960998"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["locations"], body["needs"]) == ([location["id"]], ["cognition_learning"])
    assert body["schedules"] == [
        {
            "id": alpha["schedule"].pk,
            "days": ["SA"],
            "opens_at": "10:00",
            "closes_at": "15:00",
            "notes": "",
        }
    ]
    refused = api.patch(service_url, {"locations": [world["bravo"]["location"].pk]}, format="json")
    assert refused.status_code == 400
    assert "locations" in refused.json()

    times_url = reverse("api-service-schedules", args=[alpha["service"].pk])
    added = api.post(
        times_url, {"days": ["TU", "TH"], "opens_at": "18:00", "closes_at": "20:30"}, format="json"
    )
    assert added.status_code == 201
    assert len(api.get(times_url).json()["results"]) == 2
    removed = api.delete(
        reverse("api-service-schedule", args=[alpha["service"].pk, added.json()["id"]])
    )
    assert removed.status_code == 204
    assert ServiceLocation.objects.filter(service=alpha["service"]).count() == 1


def test_changing_a_location_or_times_marks_the_service_changed(world):
    alpha = _person(world, Role.COMMISSIONER)
    service = world["alpha"]["service"]
    before = service.updated_at
    services.location_update(actor=alpha, location=world["alpha"]["location"], town="Ross")
    service.refresh_from_db()
    assert service.updated_at > before
    before = service.updated_at
    services.schedule_remove(actor=alpha, schedule=world["alpha"]["schedule"])
    service.refresh_from_db()
    assert service.updated_at > before
