from __future__ import annotations

from django.test import Client
from django.urls import reverse

from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from tests.conftest import PASSWORD


def test_token_then_me(two_councils):
    person = two_councils["alpha"]["people"][Role.COMMISSIONER]
    client = Client()
    response = client.post(
        reverse("api-token"),
        {"username": person.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    data = me.json()
    assert data["username"] == person.username
    assert data["council"] == "alpha"
    assert data["roles"] == ["commissioner"]
    assert [m["council"] for m in data["memberships"]] == ["alpha"]


def test_token_request_with_missing_fields_is_a_400_with_field_messages(db):
    response = Client().post(reverse("api-token"), {}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_bad_token_is_a_401(db):
    response = Client().get(reverse("api-me"), HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_switching_council_through_the_api(council_a, council_b, make_person, client_for):
    person = make_person(council_a, Role.AUDITOR)
    services.membership_grant(user=person, council=council_b, role=Role.FINANCE_OFFICER)
    client = client_for(person)
    response = client.post(
        reverse("api-switch-council"), {"council": "bravo"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["council"] == "bravo"
    assert response.json()["roles"] == ["finance_officer"]
    refused = client.post(
        reverse("api-switch-council"), {"council": "charlie"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"council": ["Choose one of your councils."]}


def test_teams_list_is_the_active_councils(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    data = client_for(person).get(reverse("api-teams")).json()
    assert [t["name"] for t in data["results"]] == ["Team MARKERALPHA"]


def test_openapi_schema_and_docs(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(person)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    # Served from the package, never a CDN.
    assert b"cdn" not in docs.content.lower()


def test_an_over_long_username_is_a_400_not_a_500(db):
    response = Client().post(
        reverse("api-token"),
        {"username": "a" * 300, "password": "whatever"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "username" in response.json()
