"""The same provider sent twice at once (a double click, a client's retry): one is added and the
other is refused as a second submit is, with the name's message, never a 500.

Both requests pass the name check before either inserts, so the database's constraint
(provider_unique_name) is what stops the second; the service turns that into the check's refusal.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from providers import services
from providers.models import Provider
from shortbreaks.councils.models import Role
from tests.builders import make_provider
from tests.racing import at_once, meet_before, statuses, unseen

TAKEN = {"name": ["The council already has a provider with this name."]}


def _send(user, method: str, url: str, body: dict):
    def send():
        client = APIClient()
        client.force_authenticate(user)
        return getattr(client, method)(url, body, format="json")

    return send


@pytest.mark.django_db(transaction=True)
def test_the_same_provider_sent_twice_at_once_is_added_once(two_councils, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    meet_before(monkeypatch, services, "save_unique")  # both have passed every check
    post = _send(commissioner, "post", reverse("api-providers"), {"name": "Oak House"})

    responses = at_once(post, post)

    assert statuses(responses) == [201, 400]
    assert next(r for r in responses if r.status_code == 400).json() == TAKEN
    assert Provider.objects.filter(name="Oak House").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_providers_renamed_to_one_name_at_once_are_refused_once(two_councils, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    first, second = make_provider(commissioner), make_provider(commissioner)
    meet_before(monkeypatch, services, "save_unique")

    responses = at_once(
        *(
            _send(commissioner, "patch", reverse("api-provider", args=[p.pk]), {"name": "Elm"})
            for p in (first, second)
        )
    )

    assert statuses(responses) == [200, 400]
    assert next(r for r in responses if r.status_code == 400).json() == TAKEN
    assert Provider.objects.filter(name="Elm").count() == 1


# The race on one thread: the check finds nothing, as the later request's does while the other
# has not committed, so only the constraint stops the duplicate.


def test_a_name_taken_after_the_check_is_refused_as_the_check_refuses(two_councils, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_provider(commissioner, name="Oak House")
    unseen(monkeypatch, Provider)

    with pytest.raises(ValidationError) as refused:
        services.provider_create(actor=commissioner, name="Oak House")

    assert refused.value.message_dict == TAKEN
    # Only the savepoint was rolled back: the transaction goes on.
    assert Provider.objects.filter(name="Oak House").count() == 1


def test_a_rename_to_a_name_taken_after_the_check_is_refused(two_councils, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_provider(commissioner, name="Oak House")
    other = make_provider(commissioner, name="Elm")
    unseen(monkeypatch, Provider)

    with pytest.raises(ValidationError) as refused:
        services.provider_update(actor=commissioner, provider=other, name="Oak House")

    assert refused.value.message_dict == TAKEN
    other.refresh_from_db()
    assert other.name == "Elm"


def test_the_page_shows_the_loser_the_names_message(two_councils, client_for, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_provider(commissioner, name="Oak House")
    unseen(monkeypatch, Provider)

    response = client_for(commissioner).post(reverse("providers:create"), {"name": "Oak House"})

    assert response.status_code == 200
    assert "The council already has a provider with this name." in response.content.decode()
    assert Provider.objects.filter(name="Oak House").count() == 1


def test_the_api_answers_the_loser_400(two_councils, monkeypatch):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_provider(commissioner, name="Oak House")
    unseen(monkeypatch, Provider)

    response = _send(commissioner, "post", reverse("api-providers"), {"name": "Oak House"})()

    assert response.status_code == 400
    assert response.json() == TAKEN
