"""The council's settings, kept by its council administrator: its accessibility contact and how
soon it answers, which its accessibility statement shows. Page and API, refusals first."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from shortbreaks.councils import services
from shortbreaks.councils.models import Council, Role

ADMIN = Role.COUNCIL_ADMIN


def _person(world, role, council="alpha"):
    return world[council]["people"][role]


def _api(world, role, council="alpha") -> APIClient:
    client = APIClient()
    token = services.api_token_issue(user=_person(world, role, council))[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("role", sorted(set(Role.values) - {ADMIN}))
def test_only_the_council_administrator_keeps_the_settings(two_councils, client_for, role):
    person = _person(two_councils, role)
    client = client_for(person)
    url = reverse("councils:settings")
    assert client.get(url).status_code == 403
    post = {"email": "sneaky@example.org", "phone": "", "response_days": "5"}
    assert client.post(url, post).status_code == 403
    api = _api(two_councils, role)
    assert api.get(reverse("api-council-settings")).status_code == 403
    patch = {"accessibility_email": "sneaky@example.org"}
    assert api.patch(reverse("api-council-settings"), patch, format="json").status_code == 403
    with pytest.raises(PermissionDenied):
        services.council_accessibility_update(
            actor=person, email="sneaky@example.org", response_days=5
        )
    assert not Council.objects.filter(accessibility_email="sneaky@example.org").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, two_councils):
    response = client.get(reverse("councils:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))
    assert APIClient().get(reverse("api-council-settings")).status_code == 401


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"email": "", "response_days": "10"}, "email"),
        ({"email": "not an address", "response_days": "10"}, "email"),
        ({"email": "a@example.org", "response_days": "0"}, "response_days"),
        ({"email": "a@example.org", "response_days": "61"}, "response_days"),
        ({"email": "a@example.org", "response_days": "ten"}, "response_days"),
    ],
)
def test_bad_settings_are_refused_with_the_field(two_councils, client_for, post, field):
    client = client_for(_person(two_councils, ADMIN))
    response = client.post(reverse("councils:settings"), post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'href="#id_{field}"' in body
    api_field = f"accessibility_{field}"
    response = _api(two_councils, ADMIN).patch(
        reverse("api-council-settings"), {api_field: post[field]}, format="json"
    )
    assert response.status_code == 400
    assert api_field in response.json()
    council = two_councils["alpha"]["council"]
    council.refresh_from_db()
    assert (council.accessibility_email, council.accessibility_response_days) == ("", 10)
    with pytest.raises(ValidationError):
        services.council_accessibility_update(
            actor=_person(two_councils, ADMIN), email=" ", response_days=10
        )


def test_the_administrator_sets_the_contact_and_the_statement_shows_it(two_councils, client_for):
    admin = _person(two_councils, ADMIN)
    client = client_for(admin)
    assert "Council settings" in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("councils:settings"),
        {"email": "access@alpha.example", "phone": "01632 960000", "response_days": "7"},
    )
    assert response.status_code == 302
    council = two_councils["alpha"]["council"]
    council.refresh_from_db()
    assert (council.accessibility_email, council.accessibility_phone) == (
        "access@alpha.example",
        "01632 960000",
    )
    other = two_councils["bravo"]["council"]
    other.refresh_from_db()
    assert other.accessibility_email == ""

    statement = client.get(reverse("accessibility-council", args=[council.slug]))
    body = statement.content.decode()
    assert "access@alpha.example" in body and "01632 960000" in body
    assert "get back to you in 7 working days" in body

    api = _api(two_councils, ADMIN)
    assert api.get(reverse("api-council-settings")).json() == {
        "council": council.slug,
        "name": council.name,
        "accessibility_email": "access@alpha.example",
        "accessibility_phone": "01632 960000",
        "accessibility_response_days": 7,
    }
    changed = api.patch(
        reverse("api-council-settings"), {"accessibility_response_days": 3}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["accessibility_response_days"] == 3
    assert changed.json()["accessibility_email"] == "access@alpha.example"
