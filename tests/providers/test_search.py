"""Searching providers and services: the words of a name by trigram word similarity ("smith"
finds "Smyth Family Support", "holliday" finds "Holiday playscheme"), in the actor's council only,
the closest first, in the same number of queries however many match."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from providers import selectors
from shortbreaks.councils.models import Role
from tests.builders import make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B


@pytest.fixture
def world(two_councils):
    """In each council a Smyth provider with a holiday playscheme, and one other provider."""
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        smyth = make_provider(commissioner, name=f"Smyth Family Support {marker}")
        scheme = make_service(commissioner, smyth, title=f"Holiday playscheme {marker}")
        other = make_provider(commissioner, name=f"Oak Tree Trust {marker}")
        make_service(commissioner, other, title=f"Overnight stays {marker}")
        two_councils[slug].update(smyth=smyth, scheme=scheme, other=other)
    return two_councils


def _reader(world, council="alpha"):
    return world[council]["people"][Role.SOCIAL_WORKER]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(rows) -> list[int]:
    return [row.pk for row in rows]


# ---------------------------------------------------------------------------------------------
# Providers


@pytest.mark.parametrize("search", ["smith", "Smyth", "smyth famly", "family support", "SUPORT"])
def test_a_sound_alike_name_finds_the_councils_provider_only(world, search):
    assert _ids(selectors.provider_list(actor=_reader(world), search=search)) == [
        world["alpha"]["smyth"].pk
    ]
    assert _ids(selectors.provider_list(actor=_reader(world, "bravo"), search=search)) == [
        world["bravo"]["smyth"].pk
    ]


@pytest.mark.parametrize("search", ["zebra", "smith oak", "trussed oaks hall"])
def test_a_name_like_none_finds_nothing(world, search):
    assert _ids(selectors.provider_list(actor=_reader(world), search=search)) == []


def test_the_closest_names_come_first(world):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    smith = make_provider(commissioner, name="Smith and Daughters")
    found = selectors.provider_list(actor=_reader(world), search="smith")
    assert _ids(found) == [smith.pk, world["alpha"]["smyth"].pk]


def test_the_list_page_finds_smyth_for_smith_in_a_constant_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(_reader(world))
    url = reverse("providers:list")
    client.get(url)  # the first page of a session also writes the session
    with django_assert_num_queries(8):  # as many as the list without a search
        client.get(url)
    with django_assert_num_queries(8):
        body = client.get(url, {"search": "smith"}).content.decode()
    assert f"Smyth Family Support {MARKER_A}" in body
    assert "Oak Tree Trust" not in body
    assert MARKER_B not in body
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for index in range(5):
        make_provider(commissioner, name=f"Smythe Homes {index}")
    with django_assert_num_queries(8):
        body = client.get(url, {"search": "smith"}).content.decode()
    assert body.count("Smythe Homes") == 5


def test_the_api_finds_smyth_for_smith_in_a_constant_number_of_queries(
    world, django_assert_num_queries
):
    client = _api(_reader(world))
    url = reverse("api-providers")
    client.get(url)  # the first request also reads the actor's roles and council
    with django_assert_num_queries(3):
        results = client.get(url, {"search": "smith"}).json()["results"]
    assert [row["id"] for row in results] == [world["alpha"]["smyth"].pk]
    assert results[0]["service_count"] == 1
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for index in range(5):
        make_provider(commissioner, name=f"Smythe Homes {index}")
    with django_assert_num_queries(3):
        results = client.get(url, {"search": "smith"}).json()["results"]
    assert len(results) == 6
    assert MARKER_B not in str(results)


# ---------------------------------------------------------------------------------------------
# Services


@pytest.mark.parametrize("search", ["holliday", "play scheme", "playskeme", "smith", "smyth"])
def test_a_sound_alike_title_or_provider_name_finds_the_councils_service_only(world, search):
    assert _ids(selectors.service_list(actor=_reader(world), search=search)) == [
        world["alpha"]["scheme"].pk
    ]
    assert _ids(selectors.service_list(actor=_reader(world, "bravo"), search=search)) == [
        world["bravo"]["scheme"].pk
    ]


def test_the_services_page_searches_in_a_constant_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(_reader(world))
    url = reverse("providers:services")
    client.get(url)  # the first page of a session also writes the session
    with django_assert_num_queries(8):  # as many as the list without a search
        client.get(url)
    with django_assert_num_queries(8):
        body = client.get(url, {"search": "holliday"}).content.decode()
    assert f"Holiday playscheme {MARKER_A}" in body
    assert "Overnight stays" not in body
    assert MARKER_B not in body
    assert 'value="holliday"' in body
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for index in range(5):
        make_service(commissioner, world["alpha"]["other"], title=f"Holiday club {index}")
    with django_assert_num_queries(8):
        body = client.get(url, {"search": "holliday"}).content.decode()
    assert body.count("Holiday club") == 5


def test_the_services_api_searches_in_a_constant_number_of_queries(
    world, django_assert_num_queries
):
    client = _api(_reader(world))
    url = reverse("api-services")
    client.get(url)  # the first request also reads the actor's roles and council
    # The page, then where and when its services run (one query each for the whole page).
    with django_assert_num_queries(5):
        results = client.get(url, {"search": "holliday"}).json()["results"]
    assert [row["id"] for row in results] == [world["alpha"]["scheme"].pk]
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    for index in range(5):
        make_service(commissioner, world["alpha"]["other"], title=f"Holiday club {index}")
    with django_assert_num_queries(5):
        results = client.get(url, {"search": "holliday", "tier": "specialist"}).json()["results"]
    assert len(results) == 6
    assert MARKER_B not in str(results)
