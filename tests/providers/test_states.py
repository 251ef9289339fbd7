"""Every declared status change of a provider, from every status: the service refuses exactly
when `states.may` says the step is not allowed, and the timeline reads as it did."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from providers.models import STEP_TO, Provider, ProviderStatus
from providers.services import provider_set_status
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_provider

pytestmark = pytest.mark.django_db

ALLOWED_FROM = {
    "suspend": {ProviderStatus.ACTIVE, ProviderStatus.EXITED},
    "reinstate": {ProviderStatus.SUSPENDED, ProviderStatus.EXITED},
    "exit": {ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED},
}
TARGET = {name: status for status, name in STEP_TO.items()}


@pytest.mark.parametrize("name", ALLOWED_FROM)
@pytest.mark.parametrize("status", ProviderStatus.values)
def test_each_step_from_each_status(two_councils, status, name):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Holly Lodge Care")
    Provider.objects.filter(pk=provider.pk).update(status=status)
    provider = Provider.objects.get(pk=provider.pk)
    allowed = states.may(provider, name, commissioner)
    assert allowed == (status in ALLOWED_FROM[name])
    try:
        provider_set_status(
            actor=commissioner,
            provider=provider,
            status=TARGET[name],
            on=date(2025, 1, 6),
            reason="Inspection",
        )
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as refused:
        assert not allowed, "the service refused a step the page offers"
        # Asking for the status it already has stays a form error, as it always was.
        assert isinstance(refused, ValidationError)
        assert "already" in str(refused)
    else:
        assert allowed, "the service made a step the page does not offer"
        assert Provider.objects.get(pk=provider.pk).status == TARGET[name]


def test_a_social_worker_may_not_suspend_a_provider(two_councils):
    people = two_councils["alpha"]["people"]
    provider = make_provider(people[Role.COMMISSIONER], name="Holly Lodge Care")
    assert not states.may(provider, "suspend", people[Role.SOCIAL_WORKER])
    with pytest.raises(PermissionDenied):
        provider_set_status(
            actor=people[Role.SOCIAL_WORKER],
            provider=provider,
            status=ProviderStatus.SUSPENDED,
            on=date(2025, 1, 6),
            reason="Inspection",
        )


def test_the_timeline_reads_as_it_did(two_councils):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Holly Lodge Care")
    provider_set_status(
        actor=commissioner,
        provider=provider,
        status=ProviderStatus.SUSPENDED,
        on=date(2025, 1, 6),
        reason="CQC inspection",
    )
    summaries = [event.summary for event in provider.events.order_by("at", "id")]
    assert summaries == [
        "Provider record created.",
        "Active → Suspended on 06/01/2025: CQC inspection",
    ]
