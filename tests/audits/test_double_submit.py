"""A recommendation or an evidence link recorded twice at once (a double click, a retry): the
later is refused as a second submit is, with the field's message, never a 500.

The race on one thread: the check finds nothing, as the later request's does while the other
has not committed, so only the database's constraint stops the duplicate; the service turns that
into the check's refusal.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audits import services
from audits.models import EvidenceLink, Recommendation
from shortbreaks.councils.models import Role
from tests.audits.builders import build_world, make_recommendation
from tests.per_module import world_per_module
from tests.racing import unseen

_both_built, both = world_per_module(build_world, name="both", media=True)


@pytest.fixture
def world(both):
    """Alpha's records, built once for the module; each test rolls back its own writes."""
    return both["alpha"]


def test_a_reference_taken_after_the_check_is_refused_as_the_check_refuses(world, monkeypatch):
    auditor = world["people"][Role.AUDITOR]
    unseen(monkeypatch, Recommendation)

    with pytest.raises(ValidationError) as refused:
        make_recommendation(auditor, world["report"], reference="1")

    assert refused.value.message_dict == {
        "reference": ["This report already has a recommendation 1."]
    }
    # Only the savepoint was rolled back: the transaction goes on.
    assert Recommendation.objects.filter(report=world["report"], reference="1").count() == 1


def test_a_record_linked_after_the_check_is_refused_as_the_check_refuses(world, monkeypatch):
    auditor = world["people"][Role.AUDITOR]
    link = {
        "actor": auditor,
        "recommendation": world["recommendation"],
        "kind": "contract",
        "record_id": world["contract"].pk,
    }
    services.evidence_link_add(**link)
    unseen(monkeypatch, EvidenceLink)

    with pytest.raises(ValidationError) as refused:
        services.evidence_link_add(**link)

    assert refused.value.message_dict == {"record": ["That record is already linked as evidence."]}
    assert EvidenceLink.objects.filter(recommendation=world["recommendation"]).count() == 1
