"""The public service directory: no sign-in, one council's services, filters, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.builders import make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B


def _directory(slug="alpha"):
    return reverse("statements:directory", args=[slug])


def _detail(service, slug="alpha"):
    return reverse("statements:directory-service", args=[slug, service.pk])


@pytest.fixture
def offer(two_councils):
    """Alpha's services, different in each thing the directory filters on, and one of bravo's."""
    alpha = two_councils["alpha"]["people"]["commissioner"]
    bravo = two_councils["bravo"]["people"]["commissioner"]
    provider = make_provider(alpha, name="Sunrise Play")
    services = {
        "club": make_service(
            alpha,
            provider,
            title="After school club",
            description="Play and crafts.",
            tier="universal",
            categories=["educational_leisure"],
            setting="community",
            age_from=5,
            age_to=11,
            areas="Northtown",
            when=["after_school"],
            price=Decimal("12.50"),
            price_unit="session",
            capacity_available=3,
            capacity_maximum=10,
            capacity_unit="places",
            accessibility="Step-free access.",
            how_to_access="Book with the provider.",
        ),
        "overnight": make_service(
            alpha,
            provider,
            title="Overnight stays",
            tier="specialist",
            categories=["overnight_care"],
            age_from=8,
            age_to=18,
            areas="Southville",
            when=["overnight"],
        ),
        "holiday": make_service(
            alpha,
            provider,
            title="Holiday scheme",
            tier="targeted",
            categories=["evenings_weekends_holidays"],
            setting="community",
            age_from=12,
            age_to=18,
            areas="Northtown, Eastham",
            when=["school_holidays", "weekends"],
        ),
    }
    other = make_provider(bravo, name=f"Provider {MARKER_B}")
    services["bravo"] = make_service(bravo, other, title=f"Service {MARKER_B}")
    return services


def _titles(response):
    return [service.title for service in response.context["services"]]


def test_an_anonymous_visitor_sees_the_directory_without_a_session(offer):
    client = Client()
    response = client.get(_directory())
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert f"Short breaks services in Alpha {MARKER_A} Council" in html
    assert html.count("<h1") == 1
    assert "3 services" in html
    for text in (
        "After school club",
        "Sunrise Play",
        "Play and crafts.",
        "Universal",
        "Educational or leisure activities",
        "5 to 11",
        "Northtown",
        "After school",
        "£12.50 per session",
        "3 places",
        "Step-free access.",
        "Book with the provider.",
        "Apply filters",
        "Clear filters",
    ):
        assert text in html, text
    # The staff header and navigation are not there.
    assert "Sign out" not in html
    assert 'id="navigation"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["After school club", "Holiday scheme", "Overnight stays"]),
        ({"search": "holiday"}, ["Holiday scheme"]),
        ({"search": "sunrise"}, ["After school club", "Holiday scheme", "Overnight stays"]),
        ({"tier": "specialist"}, ["Overnight stays"]),
        ({"category": "educational_leisure"}, ["After school club"]),
        ({"age": "9"}, ["After school club", "Overnight stays"]),
        ({"age": "15"}, ["Holiday scheme", "Overnight stays"]),
        ({"area": "northtown"}, ["After school club", "Holiday scheme"]),
        ({"when": "weekends"}, ["Holiday scheme"]),
        ({"tier": "specialist", "age": "9"}, ["Overnight stays"]),
        ({"tier": "universal", "when": "overnight"}, []),
    ],
)
def test_each_filter_narrows_the_list(offer, client, query, expected):
    response = client.get(_directory(), query)
    assert response.status_code == 200
    assert _titles(response) == expected
    assert f"{len(expected)} service" in response.content.decode()


def test_filters_are_kept_in_the_form(offer, client):
    html = client.get(_directory(), {"tier": "targeted", "age": "12"}).content.decode()
    assert 'value="targeted" checked' in html
    assert 'value="12"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"age": "abc"}, "Enter the child&#x27;s age as a number"),
        ({"age": "-1"}, "Age must be 0 or more"),
        ({"age": "400"}, "Age must be 25 or less"),
        ({"tier": "gold"}, "Select a tier from the list"),
        ({"when": "never"}, "Select when from the list"),
    ],
)
def test_a_bad_filter_value_shows_the_error_summary(offer, client, query, message):
    response = client.get(_directory(), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error:" in html
    # The bad value is not used; the services are still listed.
    assert len(_titles(response)) == 3


def test_a_bad_age_links_to_the_age_field(offer, client):
    html = client.get(_directory(), {"age": "abc", "tier": "specialist"}).content.decode()
    assert 'href="#age"' in html
    assert 'id="age"' in html
    assert 'aria-describedby="age-hint age-error"' in html


def test_nothing_of_another_council_on_this_directory(offer, client):
    html = client.get(_directory()).content.decode()
    assert MARKER_B not in html
    response = client.get(_directory(), {"search": MARKER_B})
    assert _titles(response) == []
    assert f"Service {MARKER_B}" not in response.content.decode()


def test_bravo_sees_only_its_own(offer, client):
    response = client.get(_directory("bravo"))
    assert _titles(response) == [f"Service {MARKER_B}"]
    assert MARKER_A not in response.content.decode()


def test_unknown_council_is_404(db, client):
    assert client.get(_directory("nowhere")).status_code == 404


def test_the_service_page_shows_the_service(offer, client):
    response = client.get(_detail(offer["club"]))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "After school club" in html
    assert "£12.50 per session" in html
    assert "Book with the provider." in html
    assert f"Alpha {MARKER_A} Council" in html
    assert "Sign out" not in html


def test_another_councils_service_under_this_slug_is_404(offer, client):
    assert client.get(_detail(offer["bravo"], slug="alpha")).status_code == 404
    assert client.get(_detail(offer["club"], slug="bravo")).status_code == 404


def test_unknown_service_and_unknown_council_are_404(offer, client):
    assert (
        client.get(reverse("statements:directory-service", args=["alpha", 999999])).status_code
        == 404
    )
    assert client.get(_detail(offer["club"], slug="nowhere")).status_code == 404


def test_post_is_not_allowed(offer, client):
    assert client.post(_directory()).status_code == 405


def test_the_directory_query_count_does_not_grow_with_services(
    offer, two_councils, client, django_assert_num_queries
):
    alpha = two_councils["alpha"]["people"]["commissioner"]
    for number in range(5):
        provider = make_provider(alpha, name=f"More {number}")
        make_service(alpha, provider, title=f"More service {number}")
    # The council, the page of services with their providers, and their count (each request is
    # also wrapped in a transaction, ATOMIC_REQUESTS: a savepoint and its release under the
    # test's transaction).
    with django_assert_num_queries(5):
        response = client.get(_directory())
    assert len(_titles(response)) == 8
    # A service's page: the council, the service, its weekly times and where it runs.
    with django_assert_num_queries(6):
        client.get(_detail(offer["club"]))


def test_the_directory_pages_50_services_at_a_time_keeping_the_filters(
    offer, two_councils, client, django_assert_num_queries
):
    alpha = two_councils["alpha"]["people"]["commissioner"]
    provider = make_provider(alpha, name="Many Breaks")
    for number in range(55):
        make_service(alpha, provider, title=f"Club {number:02d}", tier="universal")
    first = client.get(_directory(), {"tier": "universal"})
    html = first.content.decode()
    # The club of the fixture ("After school club") and the 55 here: 56 universal services.
    assert "56 services match your filters" in html
    assert _titles(first)[:2] == ["After school club", "Club 00"]
    assert len(_titles(first)) == 50
    assert 'href="?tier=universal&amp;page=2#results" rel="next"' in html
    with django_assert_num_queries(5):  # as many as the first page
        second = client.get(_directory(), {"tier": "universal", "page": "2"})
    assert _titles(second) == [f"Club {number:02d}" for number in range(49, 55)]
    html = second.content.decode()
    assert 'href="?tier=universal&amp;page=1#results" rel="prev"' in html
    assert 'rel="next"' not in html
    assert "sessionid" not in second.cookies and "csrftoken" not in second.cookies
    past_the_end = client.get(_directory(), {"tier": "universal", "page": "7"})
    assert _titles(past_the_end) == []
    assert "There are no more services." in past_the_end.content.decode()
    # A page that is not a number is the first page, not an error.
    assert _titles(client.get(_directory(), {"page": "two"}))[0] == "After school club"
