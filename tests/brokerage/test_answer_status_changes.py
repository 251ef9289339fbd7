"""Every declared outcome of a provider's answer, from every outcome: the services move an answer
exactly when `states.may` says the step is allowed, refuse the award with the declared reason,
and the page and the API offer the award only when the server makes it; the wrong role never."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from brokerage.models import BrokerageRequest, BrokerageResponse, RequestStatus, ResponseOutcome
from brokerage.services.awards import brokerage_request_award
from brokerage.services.requests import brokerage_request_withdraw
from providers import services as provider_services
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.factories import UserFactory
from tests.per_module import world_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)

ANSWER_FROM = {
    "award": ([ResponseOutcome.PENDING], ResponseOutcome.AWARDED),
    "pass_over": ([ResponseOutcome.PENDING], ResponseOutcome.NOT_CHOSEN),
    "close": ([ResponseOutcome.PENDING], ResponseOutcome.CLOSED),
}


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


def _build_world(two_councils) -> dict:
    world = brokerage_world(two_councils["alpha"]["people"], "A")
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    world["request"] = request
    world["first"] = answer(world, request, world["providers"][0], "26.00", today=TODAY)
    world["second"] = answer(world, request, world["providers"][1], "24.00", today=TODAY)
    return world


# Every case starts from the same request and its two answers: built once for the module.
_world_built, world = world_per_module(_build_world)


def _with(response: BrokerageResponse, **values) -> BrokerageResponse:
    BrokerageResponse.objects.filter(pk=response.pk).update(**values)
    return BrokerageResponse.objects.select_related("provider").get(pk=response.pk)


def _award(world, actor, chosen):
    return brokerage_request_award(
        actor=actor, request=world["request"], response=chosen, today=TODAY
    )


# Each step made through the service that makes it: the answer is `world["first"]`.
STEPS = {
    "award": lambda world, actor: _award(world, actor, world["first"]),
    "pass_over": lambda world, actor: _award(world, actor, world["second"]),
    "close": lambda world, actor: brokerage_request_withdraw(
        actor=actor, request=world["request"], reason="The family moved.", today=TODAY
    ),
}


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


def test_the_answer_steps_are_the_declared_ones():
    declared = BrokerageResponse._meta.get_field("outcome").get_all_transitions(BrokerageResponse)
    assert {t.name for t in declared} == set(ANSWER_FROM)


@pytest.mark.parametrize("name", ANSWER_FROM)
@pytest.mark.parametrize("outcome", ResponseOutcome.values)
def test_each_answer_step_from_each_outcome(world, people, outcome, name):
    actor = people[Role.COMMISSIONER]
    world["first"] = _with(world["first"], outcome=outcome)
    allowed = states.may(world["first"], name, actor)
    sources, target = ANSWER_FROM[name]
    assert allowed == (outcome in sources)
    if not allowed:
        assert "already" in states.refusal(world["first"], name)
    if name == "award":
        assert_refused_exactly_when_not_allowed(allowed, lambda: STEPS[name](world, actor))
    else:
        # Closing the request decides the answers still waiting; one decided keeps its outcome.
        STEPS[name](world, actor)
    after = BrokerageResponse.objects.get(pk=world["first"].pk)
    assert after.outcome == (target if allowed else outcome)
    assert (after.outcome_on == TODAY) == allowed


def test_an_answer_that_cannot_meet_the_need_is_never_offered_the_award(world, people, client_for):
    commissioner = people[Role.COMMISSIONER]
    cannot = answer(
        world, world["request"], world["providers"][2], None, today=TODAY, can_meet=False
    )
    reason = f"{cannot.provider} said it cannot meet the need."
    assert not states.may(cannot, "award", commissioner)
    assert states.refusal(cannot, "award") == reason
    with pytest.raises(TransitionNotAllowed) as refused:
        _award(world, commissioner, cannot)
    assert refused.value.reason == reason
    cannot.refresh_from_db()
    assert cannot.outcome == ResponseOutcome.PENDING
    client = client_for(commissioner)
    award_url = reverse("brokerage:award", args=[world["request"].pk, cannot.pk])
    detail = client.get(reverse("brokerage:detail", args=[world["request"].pk])).content.decode()
    assert award_url not in detail
    assert reverse("brokerage:award", args=[world["request"].pk, world["first"].pk]) in detail
    page = client.get(award_url).content.decode()
    assert escape(reason) in page and "Award the call-off contract</button>" not in page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR])
@pytest.mark.parametrize("name", ["award", "pass_over"])
def test_only_those_who_award_are_offered_an_answers_outcome(world, people, role, name):
    assert states.may(world["first"], name, people[Role.COMMISSIONER])
    assert states.may(world["first"], name, people[Role.CONTRACT_MANAGER])
    assert not states.may(world["first"], name, people[role])
    with pytest.raises(PermissionDenied):
        STEPS[name](world, people[role])
    assert BrokerageResponse.objects.get(pk=world["first"].pk).outcome == ResponseOutcome.PENDING


def test_those_who_manage_the_request_close_its_answers_and_no_one_else(world, people):
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.COMMISSIONER):
        assert states.may(world["first"], "close", people[role])
    assert not states.may(world["first"], "close", people[Role.AUDITOR])
    with pytest.raises(PermissionDenied):
        STEPS["close"](world, people[Role.AUDITOR])
    STEPS["close"](world, people[Role.SOCIAL_WORKER])
    for response in (world["first"], world["second"]):
        assert BrokerageResponse.objects.get(pk=response.pk).outcome == ResponseOutcome.CLOSED


def test_provider_staff_are_never_offered_an_outcome(world):
    staff = UserFactory()
    provider_services.provider_account_open(user=staff, provider=world["providers"][0])
    staff.refresh_from_db()
    for name in ANSWER_FROM:
        assert not states.may(world["first"], name, staff)
    with pytest.raises(PermissionDenied):
        STEPS["award"](world, staff)


def test_the_api_offers_the_award_exactly_when_the_server_makes_it(world, people, client_for):
    request = world["request"]
    url = reverse("api-brokerage-request-responses", kwargs={"request_id": request.pk})
    cannot = answer(world, request, world["providers"][2], None, today=TODAY, can_meet=False)
    rows = client_for(people[Role.COMMISSIONER]).get(url).json()
    offered = {row["id"]: row["can_award"] for row in rows}
    assert offered == {world["first"].pk: True, world["second"].pk: True, cannot.pk: False}
    rows = client_for(people[Role.SOCIAL_WORKER]).get(url).json()
    assert not any(row["can_award"] for row in rows)
    _award(world, people[Role.COMMISSIONER], world["first"])
    rows = client_for(people[Role.COMMISSIONER]).get(url).json()
    assert not any(row["can_award"] for row in rows)
    assert {row["outcome"] for row in rows} == {"awarded", "not_chosen"}
    assert BrokerageRequest.objects.get(pk=request.pk).status == RequestStatus.AWARDED
