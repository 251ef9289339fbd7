"""Every declared status change of a brokerage request, from every status: the service refuses
exactly when `states.may` says the step is not allowed (what the page asks before offering it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from brokerage.models import BrokerageRequest, RequestStatus
from brokerage.services.answers import brokerage_response_record
from brokerage.services.awards import brokerage_request_award, brokerage_request_spot_purchase
from brokerage.services.requests import (
    brokerage_request_send,
    brokerage_request_update,
    brokerage_request_withdraw,
)
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)


class _Undo(Exception):
    """Raised to roll each try back, so every status starts from the same request."""


STEPS = {
    "change": lambda w, r, chosen: brokerage_request_update(
        actor=w["commissioner"], request=r, outcomes="Going out safely.", today=TODAY
    ),
    "send": lambda w, r, chosen: brokerage_request_send(
        actor=w["commissioner"],
        request=r,
        deadline=DEADLINE + timedelta(days=7),
        providers=[w["outsider"]],
        today=TODAY,
    ),
    "answer": lambda w, r, chosen: brokerage_response_record(
        actor=w["commissioner"],
        request=r,
        provider=w["providers"][1],
        can_meet=False,
        today=TODAY,
    ),
    "award": lambda w, r, chosen: brokerage_request_award(
        actor=w["commissioner"], request=r, response=chosen, today=TODAY
    ),
    "spot_purchase": lambda w, r, chosen: brokerage_request_spot_purchase(
        actor=w["commissioner"],
        request=r,
        provider=w["providers"][0],
        unit_rate="20.00",
        reason="No member can start in time.",
        today=TODAY,
    ),
    "withdraw": lambda w, r, chosen: brokerage_request_withdraw(
        actor=w["commissioner"], request=r, reason="The family moved.", today=TODAY
    ),
}

ALLOWED_FROM = {
    "change": {RequestStatus.DRAFT},
    "send": {RequestStatus.DRAFT, RequestStatus.SENT},
    "answer": {RequestStatus.SENT},
    "award": {RequestStatus.SENT},
    "spot_purchase": {RequestStatus.SENT},
    "withdraw": {RequestStatus.DRAFT, RequestStatus.SENT},
}


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


@pytest.mark.django_db(transaction=False)
def test_each_step_from_each_status(two_councils):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    chosen = answer(world, request, world["providers"][0], "26.00", today=TODAY)
    actor = world["commissioner"]
    for status in RequestStatus.values:
        for name, make in STEPS.items():
            try:
                with transaction.atomic():
                    BrokerageRequest.objects.filter(pk=request.pk).update(status=status)
                    found = BrokerageRequest.objects.get(pk=request.pk)
                    allowed = states.may(found, name, actor)
                    assert allowed == (status in ALLOWED_FROM[name]), (status, name)
                    assert_refused_exactly_when_not_allowed(
                        allowed, lambda m=make, f=found: m(world, f, chosen)
                    )
                    raise _Undo
            except _Undo:
                pass


def test_a_provider_never_may_award_and_a_social_worker_never_may_spot_purchase(two_councils):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    assert states.may(request, "award", world["commissioner"])
    assert not states.may(request, "spot_purchase", world["sw"])
    with pytest.raises(PermissionDenied):
        STEPS["spot_purchase"]({**world, "commissioner": world["sw"]}, request, None)


def test_award_twice_is_refused_with_the_declared_reason(two_councils):
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    chosen = answer(world, request, world["providers"][0], "26.00", today=TODAY)
    brokerage_request_award(
        actor=world["commissioner"], request=request, response=chosen, today=TODAY
    )
    request.refresh_from_db()
    assert "already awarded" in states.refusal(request, "award")
    assert [event.summary for event in request.events.all()][-1].startswith(
        "Awarded to Member 1 A at £26.00 an hour under call-off contract"
    )
