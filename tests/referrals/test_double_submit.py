"""The same child sent twice at once (a double click, a client's retry): one is recorded and the
other is refused as a second submit is, with the NHS number's message, never a 500.

Both requests pass the uniqueness check before either inserts, so the database's constraint
(child_unique_nhs_number) is what stops the second; the service turns that into the check's
refusal.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Child, GrantScheme
from referrals.services import children as child_services
from referrals.services import grants as grant_services
from shortbreaks.councils.models import Role
from tests.racing import at_once, meet_before, statuses, unseen
from tests.referrals.builders import make_child, nhs_number

NHS = nhs_number("943476591")
NHS_TAKEN = {"nhs_number": ["A child with this NHS number is already recorded."]}
ID_TAKEN = {"council_child_id": ["A child with this id is already recorded."]}
NEW_CHILD = {
    "first_name": "Priya",
    "last_name": "Shah",
    "date_of_birth": "2014-03-27",
    "nhs_number": NHS,
    "postcode": "SY1 1AA",
}


@pytest.fixture
def social_worker(two_councils):
    return two_councils["alpha"]["people"][Role.SOCIAL_WORKER]


def _send(user, method: str, url: str, body: dict):
    def send():
        client = APIClient()
        client.force_authenticate(user)
        return getattr(client, method)(url, body, format="json")

    return send


@pytest.mark.django_db(transaction=True)
def test_the_same_child_sent_twice_at_once_is_recorded_once(social_worker, monkeypatch):
    meet_before(monkeypatch, child_services, "save_unique")  # both have passed every check
    post = _send(social_worker, "post", reverse("api-children"), NEW_CHILD)

    responses = at_once(post, post)

    assert statuses(responses) == [201, 400]
    assert next(r for r in responses if r.status_code == 400).json() == NHS_TAKEN
    assert Child.objects.filter(nhs_number=NHS).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_children_given_one_nhs_number_at_once_are_refused_once(social_worker, monkeypatch):
    first, second = make_child(social_worker), make_child(social_worker)
    meet_before(monkeypatch, child_services, "save_unique")

    responses = at_once(
        *(
            _send(social_worker, "patch", reverse("api-child", args=[c.pk]), {"nhs_number": NHS})
            for c in (first, second)
        )
    )

    assert statuses(responses) == [200, 400]
    assert next(r for r in responses if r.status_code == 400).json() == NHS_TAKEN
    assert Child.objects.filter(nhs_number=NHS).count() == 1


# The race on one thread: the check finds nothing, as the later request's does while the other
# has not committed, so only the constraint stops the duplicate.


def test_an_nhs_number_taken_after_the_check_is_refused_as_the_check_refuses(
    social_worker, monkeypatch
):
    make_child(social_worker, nhs_number=NHS)
    unseen(monkeypatch, Child)

    with pytest.raises(ValidationError) as refused:
        make_child(social_worker, nhs_number=NHS)

    assert refused.value.message_dict == NHS_TAKEN
    # Only the savepoint was rolled back: the transaction goes on.
    assert Child.objects.filter(nhs_number=NHS).count() == 1


def test_a_child_id_taken_after_the_check_is_refused_as_the_check_refuses(
    social_worker, monkeypatch
):
    make_child(social_worker, council_child_id="LA-1")
    other = make_child(social_worker)
    unseen(monkeypatch, Child)

    with pytest.raises(ValidationError) as created:
        make_child(social_worker, council_child_id="LA-1")
    with pytest.raises(ValidationError) as changed:
        child_services.child_update(actor=social_worker, child=other, council_child_id="LA-1")

    assert created.value.message_dict == changed.value.message_dict == ID_TAKEN
    assert Child.objects.filter(council_child_id="LA-1").count() == 1


def test_the_api_answers_the_loser_400(social_worker, monkeypatch):
    make_child(social_worker, nhs_number=NHS)
    unseen(monkeypatch, Child)

    response = _send(social_worker, "post", reverse("api-children"), NEW_CHILD)()

    assert response.status_code == 400
    assert response.json() == NHS_TAKEN


def test_a_grant_scheme_taken_after_the_check_is_refused_as_the_check_refuses(
    social_worker, monkeypatch
):
    scheme = {"name": "Holiday grant", "year": 2025, "eligibility_criteria": "Any child."}
    grant_services.grant_scheme_create(actor=social_worker, **scheme)
    unseen(monkeypatch, GrantScheme)

    with pytest.raises(ValidationError) as refused:
        grant_services.grant_scheme_create(actor=social_worker, **scheme)

    assert refused.value.message_dict == {
        "name": ["The council already has this scheme for that year."]
    }
    assert GrantScheme.objects.filter(name="Holiday grant").count() == 1
