"""Bad input gets a clear message and changes nothing; never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortbreaks.councils import services
from shortbreaks.councils.models import Role

text = st.text(max_size=200)
slow = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@slow
@given(username=text, password=text)
def test_token_endpoint_never_errors(db, username, password):
    response = Client().post(
        reverse("api-token"),
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code in (400, 429)
    assert response.json()


@slow
@given(slug=text)
def test_switching_to_any_string_is_refused_cleanly(council_a, make_person, slug):
    person = make_person(council_a, Role.AUDITOR)
    if slug == council_a.slug:
        return
    with pytest.raises(ValidationError):
        services.user_switch_council(actor=person, council_slug=slug)
    person.refresh_from_db()
    assert person.active_council == council_a


@slow
@given(since=text, action=text, object_id=text)
def test_access_log_filters_never_error(two_councils, client_for, since, action, object_id):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    params = {"since": since, "action": action, "object_id": object_id}
    assert client.get(reverse("accesslog:list"), params).status_code == 200
    assert client.get(reverse("api-access-log"), params).status_code in (200, 400)


@pytest.mark.parametrize("body", ["not json", "[]", '{"council": []}', '{"council": null}'])
def test_malformed_api_bodies_are_400s(two_councils, client_for, body):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()
