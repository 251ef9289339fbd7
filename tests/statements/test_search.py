"""The public directory's search and list filters on PostgreSQL: the words of a service's title or
its provider's name by trigram word similarity, part of the description, the closest first, one
council's services only; categories and times matched by JSON containment, never as text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shortbreaks.councils.models import Role
from statements.selectors import public_service_list
from tests.builders import make_provider, make_service
from tests.conftest import MARKER_B


@pytest.fixture
def offer(two_councils):
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    smyth = make_provider(alpha, name="Smyth Family Support")
    oak = make_provider(alpha, name="Oak Tree Trust")
    services = {
        "holiday": make_service(
            alpha,
            oak,
            title="Holiday playscheme",
            description="Swimming and crafts in the summer.",
            categories=["educational_leisure", "evenings_weekends_holidays"],
            when=["weekends", "school_holidays"],
        ),
        "overnight": make_service(
            alpha, smyth, title="Overnight stays", categories=["overnight_care"]
        ),
        "holidays": make_service(
            alpha,
            smyth,
            title="Holidays away",
            categories=["evenings_weekends_holidays"],
            when=["school_holidays"],
        ),
    }
    make_service(
        bravo,
        make_provider(bravo, name=f"Smyth Family Support {MARKER_B}"),
        title=f"Holiday playscheme {MARKER_B}",
        categories=["educational_leisure"],
    )
    return {"council": two_councils["alpha"]["council"], "alpha": alpha, **services}


def _titles(services) -> list[str]:
    return [service.title for service in services]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("holliday playskeme", ["Holiday playscheme"]),
        ("smith", ["Overnight stays", "Holidays away"]),
        ("smyth overnite", ["Overnight stays"]),
        ("swimming", ["Holiday playscheme"]),
        ("in the summer", ["Holiday playscheme"]),
        ("zebra", []),
    ],
)
def test_search_finds_sound_alikes_and_parts_of_the_description(offer, search, expected):
    found = _titles(public_service_list(council=offer["council"], search=search))
    assert sorted(found) == sorted(expected)
    assert MARKER_B not in str(found)


def test_the_closest_titles_come_first(offer):
    found = public_service_list(council=offer["council"], search="holiday")
    assert _titles(found) == ["Holiday playscheme", "Holidays away"]
    found = public_service_list(council=offer["council"], search="holidays")
    assert _titles(found) == ["Holidays away", "Holiday playscheme"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "educational_leisure"}, ["Holiday playscheme"]),
        ({"category": "overnight_care"}, ["Overnight stays"]),
        ({"category": "evenings_weekends_holidays"}, ["Holiday playscheme", "Holidays away"]),
        ({"when": "school_holidays"}, ["Holiday playscheme", "Holidays away"]),
        ({"when": "weekends"}, ["Holiday playscheme"]),
        ({"when": "school"}, []),
        ({"category": "overnight"}, []),
    ],
)
def test_categories_and_times_match_whole_values_of_the_lists(offer, filters, expected):
    found = public_service_list(council=offer["council"], **filters)
    assert _titles(found) == expected
    assert "@>" in str(found.query)


def test_the_directory_page_searches_in_a_constant_number_of_queries(
    offer, django_assert_num_queries
):
    client = Client()
    url = reverse("statements:directory", args=["alpha"])
    client.get(url)
    # The council, a page of services and their count, in the request's savepoint pair: as many
    # as the directory without a search.
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(5):
        body = client.get(url, {"search": "holliday"}).content.decode()
    assert "Holiday playscheme" in body and "Holidays away" in body
    assert MARKER_B not in body
    for index in range(5):
        make_service(offer["alpha"], offer["holiday"].provider, title=f"Holiday club {index}")
    with django_assert_num_queries(5):
        body = client.get(url, {"search": "holliday"}).content.decode()
    assert all(f"Holiday club {index}" in body for index in range(5))
