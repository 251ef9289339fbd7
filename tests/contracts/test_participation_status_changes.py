"""Every declared change of a council's part in a joint contract (invite again, accept, decline,
withdraw), from every status: the service refuses exactly when `states.may` says the step is not
allowed, with the declared sentence that names the councils and the day; the wrong role is never
offered a step; and the pages offer only the steps the server makes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contracts.models import PARTICIPATION_STEPS, ContractParticipation, ParticipationStatus
from contracts.services import participation as services
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_contract
from tests.clock import frozen_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

ON = "15/06/2026"
INVITED, ACCEPTED = ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED
DECLINED, WITHDRAWN = ParticipationStatus.DECLINED, ParticipationStatus.WITHDRAWN

PARTICIPATION_FROM = {
    "invite_again": ([DECLINED, WITHDRAWN], INVITED),
    "accept": ([INVITED], ACCEPTED),
    "decline": ([INVITED], DECLINED),
    "withdraw": ([INVITED, ACCEPTED], WITHDRAWN),
}

# Why each step is refused from each status, naming the councils ({council}: the invited one,
# {lead}: the lead) and the day it happened.
REFUSALS = {
    ("invite_again", INVITED): "{council} is already invited to this contract.",
    ("invite_again", ACCEPTED): "{council} already takes part in this contract.",
    ("accept", ACCEPTED): "{council} already accepted this invitation on " + ON + ".",
    ("accept", DECLINED): (
        "{council} already declined this invitation on " + ON + ". {lead} can invite the "
        "council again."
    ),
    ("accept", WITHDRAWN): (
        "{lead} withdrew this invitation on " + ON + ", so it can no longer be answered."
    ),
    ("withdraw", WITHDRAWN): "The invitation to {council} was already withdrawn on " + ON + ".",
    ("withdraw", DECLINED): (
        "{council} declined the invitation on " + ON + ": there is nothing to withdraw."
    ),
}
for _status in (ACCEPTED, DECLINED, WITHDRAWN):
    REFUSALS["decline", _status] = REFUSALS["accept", _status]


@pytest.fixture
def lead(two_councils):
    return two_councils["bravo"]["people"]


@pytest.fixture
def invited(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def joint(two_councils, lead):
    return make_contract(
        lead[Role.COMMISSIONER],
        reference="JOINT-1",
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )


@pytest.fixture
def invitation(joint):
    return ContractParticipation.objects.get(contract=joint)


def _with(participation, status: str) -> ContractParticipation:
    now = timezone.now()
    ContractParticipation.objects.filter(pk=participation.pk).update(
        status=status, responded_at=now, withdrawn_at=now
    )
    return ContractParticipation.objects.select_related("council", "lead_council").get(
        pk=participation.pk
    )


def _steps(joint, lead, invited):
    """Each step through the service that makes it, by the role that makes it."""
    return {
        "invite_again": (
            lead[Role.COMMISSIONER],
            lambda actor, p: services.contract_participation_invite(
                actor=actor, contract=joint, council=p.council
            ),
        ),
        "accept": (
            invited[Role.COMMISSIONER],
            lambda actor, p: services.contract_participation_accept(actor=actor, participation=p),
        ),
        "decline": (
            invited[Role.COMMISSIONER],
            lambda actor, p: services.contract_participation_decline(actor=actor, participation=p),
        ),
        "withdraw": (
            lead[Role.CONTRACT_MANAGER],
            lambda actor, p: services.contract_participation_withdraw(actor=actor, participation=p),
        ),
    }


def assert_refused_with(expected: str | None, make_step) -> None:
    try:
        make_step()
    except PermissionDenied:
        raise AssertionError("the role that makes the step was refused") from None
    except TransitionNotAllowed as refused:
        assert expected is not None, "the service refused a step the page offers"
        assert refused.reason == expected
    else:
        assert expected is None, "the service made a step the page does not offer"


def test_the_participation_steps_are_the_declared_ones():
    assert PARTICIPATION_STEPS == tuple(PARTICIPATION_FROM)


@pytest.mark.parametrize("name", PARTICIPATION_STEPS)
@pytest.mark.parametrize("status", ParticipationStatus.values)
def test_each_participation_step_from_each_status(joint, invitation, lead, invited, status, name):
    actor, make = _steps(joint, lead, invited)[name]
    participation = _with(invitation, status)
    allowed = states.may(participation, name, actor)
    sources, target = PARTICIPATION_FROM[name]
    assert allowed == (status in sources)
    expected = None
    if not allowed:
        expected = REFUSALS[name, status].format(
            council=participation.council.name, lead=participation.lead_council.name
        )
        assert states.refusal(participation, name) == expected
    assert_refused_with(expected, lambda: make(actor, participation))
    after = ContractParticipation.objects.get(pk=participation.pk)
    assert after.status == (target if allowed else status)


WRONG_ROLES = {
    "invite_again": ("lead", Role.FINANCE_OFFICER),
    "accept": ("invited", Role.CONTRACT_MANAGER),
    "decline": ("invited", Role.SOCIAL_WORKER),
    "withdraw": ("lead", Role.FINANCE_OFFICER),
}


@pytest.mark.parametrize("name", PARTICIPATION_STEPS)
def test_a_role_without_the_permission_is_never_offered_a_step(
    joint, invitation, lead, invited, name
):
    right, make = _steps(joint, lead, invited)[name]
    participation = _with(invitation, PARTICIPATION_FROM[name][0][0])
    side, role = WRONG_ROLES[name]
    wrong = {"lead": lead, "invited": invited}[side][role]
    assert states.may(participation, name, right)
    assert not states.may(participation, name, wrong)
    with pytest.raises(PermissionDenied):
        make(wrong, participation)
    assert ContractParticipation.objects.get(pk=participation.pk).status == participation.status


def test_the_invitation_pages_offer_an_answer_only_while_it_waits(invitation, invited, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    accept_url = reverse("contracts:invitation-accept", args=[invitation.pk])
    decline_url = reverse("contracts:invitation-decline", args=[invitation.pk])
    listed = client.get(reverse("contracts:invitations")).content.decode()
    assert accept_url in listed and decline_url in listed
    assert "Accept the invitation</button>" in client.get(accept_url).content.decode()
    assert "Decline the invitation</button>" in client.get(decline_url).content.decode()
    declined = _with(invitation, DECLINED)
    reason = REFUSALS["accept", DECLINED].format(
        council=declined.council.name, lead=declined.lead_council.name
    )
    for url, button in ((accept_url, "Accept"), (decline_url, "Decline")):
        page = client.get(url).content.decode()
        assert f"{button} the invitation</button>" not in page
        assert escape(reason) in page
    api = client.get(reverse("api-contract-invitation", args=[invitation.pk])).json()
    assert api["closed"] == reason


def test_the_lead_is_offered_the_withdrawal_only_of_a_named_council(
    joint, invitation, lead, client_for
):
    client = client_for(lead[Role.CONTRACT_MANAGER])
    url = reverse("contracts:participation-withdraw", args=[joint.pk, invitation.pk])
    detail_url = reverse("contracts:detail", args=[joint.pk])
    assert url in client.get(detail_url).content.decode()
    assert "Withdraw the invitation</button>" in client.get(url).content.decode()
    _with(invitation, DECLINED)
    assert url not in client.get(detail_url).content.decode()
    page = client.get(url).content.decode()
    assert "Withdraw the invitation</button>" not in page
    refused = client.post(url).content.decode()
    assert "there is nothing to withdraw" in refused
