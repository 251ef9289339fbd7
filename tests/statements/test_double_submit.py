"""A new draft asked for twice at once (a double click, a client's retry): one draft is started
and the other is refused as a second click is, a 409 naming the open version, never a 500 nor a
second open draft.

Without the lock on the council's row, both requests found no open version: with no version yet
both took number 1 and the constraint (statement_version_unique_number) made the second a 500;
after an earlier version, the second took the next number and two drafts were open at once.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shortbreaks.councils.models import Role
from statements.models import StatementStatus, StatementVersion
from tests.racing import at_once, statuses

TRIES = 3


@pytest.mark.parametrize("earlier", [False, True], ids=["first draft", "after a version"])
@pytest.mark.django_db(transaction=True)
def test_a_draft_asked_for_twice_at_once_is_started_once(two_councils, earlier):
    council = two_councils["alpha"]["council"]
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    if earlier:
        StatementVersion.objects.create(
            council=council, number=1, author=commissioner, status=StatementStatus.SUPERSEDED
        )
    number = 2 if earlier else 1

    def post():
        client = APIClient()
        client.force_authenticate(commissioner)
        return client.post(reverse("api-statements"))

    for _ in range(TRIES):
        responses = at_once(post, post)

        assert statuses(responses) == [201, 409]
        assert next(r for r in responses if r.status_code == 409).json() == {
            "detail": f"Version {number} is still draft: finish or publish it first."
        }
        drafts = StatementVersion.objects.filter(council=council, status=StatementStatus.DRAFT)
        assert list(drafts.values_list("number", flat=True)) == [number]
        drafts.delete()
