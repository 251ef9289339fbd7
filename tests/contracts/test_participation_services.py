"""Joint contracts by consent, in the services and selectors: the lead council invites, the
invited council's commissioner accepts or declines, the lead withdraws; the invited council
reads the contract only while it has accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from contracts.models import ContractEvent, ContractParticipation, ParticipationStatus
from contracts.selectors import participation as participation_selectors
from contracts.selectors import register as register_selectors
from contracts.selectors import visibility as visibility_selectors
from contracts.services.participation import (
    contract_participation_accept,
    contract_participation_decline,
    contract_participation_invite,
    contract_participation_withdraw,
)
from contracts.services.register import contract_update
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.clock import frozen_today  # noqa: F401
from tests.factories import CouncilFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def lead(two_councils):
    return two_councils["bravo"]["people"]


@pytest.fixture
def invited(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def joint(two_councils, lead):
    """Bravo's contract, with alpha invited and not yet answering."""
    commissioner = lead[Role.COMMISSIONER]
    contract = make_contract(
        commissioner,
        reference="JOINT-1",
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )
    make_awarded_lot(commissioner, contract, make_provider(commissioner), rates="£210 a night")
    return contract


@pytest.fixture
def invitation(joint):
    return ContractParticipation.objects.get(contract=joint)


def _refs(actor) -> list[str]:
    return [c.reference for c in register_selectors.contract_list(actor=actor)]


# ----------------------------------------------------------------------------------------------
# Refusals


def test_another_councils_commissioner_cannot_answer(invitation, lead):
    """Bravo's own commissioner cannot accept for alpha: as if there were no such invitation."""
    with pytest.raises(Http404):
        contract_participation_accept(actor=lead[Role.COMMISSIONER], participation=invitation)
    with pytest.raises(Http404):
        participation_selectors.access_invitation_by_id(
            actor=lead[Role.COMMISSIONER], invitation_id=invitation.pk
        )
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.COMMISSIONER}))
def test_only_a_commissioner_answers(invitation, invited, role):
    for answer in (contract_participation_accept, contract_participation_decline):
        with pytest.raises(PermissionDenied):
            answer(actor=invited[role], participation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


def test_a_missing_invitation_is_not_found(invitation, invited):
    with pytest.raises(Http404):
        participation_selectors.access_invitation_by_id(
            actor=invited[Role.COMMISSIONER], invitation_id=invitation.pk + 10_000
        )


def test_accepting_twice_is_refused_with_the_reason(invitation, invited, two_councils):
    commissioner = invited[Role.COMMISSIONER]
    contract_participation_accept(actor=commissioner, participation=invitation)
    with pytest.raises(TransitionNotAllowed) as refused:
        contract_participation_accept(actor=commissioner, participation=invitation)
    alpha = two_councils["alpha"]["council"].name
    assert refused.value.reason == f"{alpha} already accepted this invitation on 15/06/2026."
    with pytest.raises(TransitionNotAllowed):
        contract_participation_decline(actor=commissioner, participation=invitation)
    answers = [e.summary for e in ContractEvent.objects.filter(kind="participants")]
    assert sum("accepted the invitation" in summary for summary in answers) == 1


def test_a_declined_invitation_cannot_then_be_accepted(invitation, invited, two_councils):
    commissioner = invited[Role.COMMISSIONER]
    contract_participation_decline(actor=commissioner, participation=invitation)
    with pytest.raises(TransitionNotAllowed) as refused:
        contract_participation_accept(actor=commissioner, participation=invitation)
    assert "already declined this invitation on 15/06/2026" in refused.value.reason
    assert "can invite the council again" in refused.value.reason
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.DECLINED


def test_a_withdrawn_invitation_cannot_be_answered(invitation, invited, lead, two_councils):
    contract_participation_withdraw(actor=lead[Role.CONTRACT_MANAGER], participation=invitation)
    for answer in (contract_participation_accept, contract_participation_decline):
        with pytest.raises(TransitionNotAllowed) as refused:
            answer(actor=invited[Role.COMMISSIONER], participation=invitation)
        bravo = two_councils["bravo"]["council"].name
        assert refused.value.reason == (
            f"{bravo} withdrew this invitation on 15/06/2026, so it can no longer be answered."
        )
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.WITHDRAWN


def test_only_the_lead_council_withdraws_and_only_once(invitation, invited, lead):
    with pytest.raises(TransitionNotAllowed):
        contract_participation_withdraw(actor=invited[Role.COMMISSIONER], participation=invitation)
    with pytest.raises(PermissionDenied):
        contract_participation_withdraw(actor=lead[Role.FINANCE_OFFICER], participation=invitation)
    contract_participation_withdraw(actor=lead[Role.COMMISSIONER], participation=invitation)
    with pytest.raises(TransitionNotAllowed) as refused:
        contract_participation_withdraw(actor=lead[Role.COMMISSIONER], participation=invitation)
    assert "was already withdrawn on 15/06/2026" in refused.value.reason


def test_nothing_to_withdraw_once_declined(invitation, invited, lead):
    contract_participation_decline(actor=invited[Role.COMMISSIONER], participation=invitation)
    with pytest.raises(TransitionNotAllowed) as refused:
        contract_participation_withdraw(actor=lead[Role.COMMISSIONER], participation=invitation)
    assert "there is nothing to withdraw" in refused.value.reason


def test_the_lead_cannot_invite_itself_or_a_council_twice(joint, lead, two_councils):
    commissioner = lead[Role.COMMISSIONER]
    with pytest.raises(ValidationError):
        contract_participation_invite(
            actor=commissioner, contract=joint, council=two_councils["bravo"]["council"]
        )
    with pytest.raises(TransitionNotAllowed):
        contract_participation_invite(
            actor=commissioner, contract=joint, council=two_councils["alpha"]["council"]
        )
    assert ContractParticipation.objects.filter(contract=joint).count() == 1


def test_a_participant_cannot_invite_to_the_lead_councils_contract(joint, invitation, invited):
    contract_participation_accept(actor=invited[Role.COMMISSIONER], participation=invitation)
    charlie = CouncilFactory(slug="charlie", name="Charlie Council")
    with pytest.raises(TransitionNotAllowed):
        contract_participation_invite(
            actor=invited[Role.COMMISSIONER], contract=joint, council=charlie
        )


# ----------------------------------------------------------------------------------------------
# What the invited council sees, before and after


def test_invited_sees_nothing_until_it_accepts(joint, invitation, invited):
    reader = invited[Role.AUDITOR]
    assert "JOINT-1" not in _refs(reader)
    with pytest.raises(Http404):
        register_selectors.access_contract_by_id(actor=reader, contract_id=joint.pk)
    visible = visibility_selectors.contracts_visible_to(council=invitation.council)
    assert not visible.filter(pk=joint.pk).exists()

    contract_participation_accept(actor=invited[Role.COMMISSIONER], participation=invitation)
    assert "JOINT-1" in _refs(reader)
    assert register_selectors.access_contract_by_id(actor=reader, contract_id=joint.pk) == joint
    with pytest.raises(Http404):
        register_selectors.access_contract_for_change(actor=reader, contract_id=joint.pk)


@pytest.mark.parametrize("how", ["declined", "withdrawn after accepting"])
def test_declining_or_withdrawing_removes_it_again(joint, invitation, invited, lead, how):
    reader = invited[Role.COMMISSIONER]
    if how == "declined":
        contract_participation_decline(actor=reader, participation=invitation)
    else:
        contract_participation_accept(actor=reader, participation=invitation)
        assert "JOINT-1" in _refs(reader)
        contract_participation_withdraw(actor=lead[Role.COMMISSIONER], participation=invitation)
    assert "JOINT-1" not in _refs(reader)
    with pytest.raises(Http404):
        register_selectors.access_contract_by_id(actor=reader, contract_id=joint.pk)


def test_each_answer_is_on_the_contracts_history(joint, invitation, invited, lead, two_councils):
    alpha = two_councils["alpha"]["council"].name
    contract_participation_decline(actor=invited[Role.COMMISSIONER], participation=invitation)
    contract_participation_invite(
        actor=lead[Role.COMMISSIONER], contract=joint, council=two_councils["alpha"]["council"]
    )
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED
    assert invitation.responded_at is None
    contract_participation_accept(actor=invited[Role.COMMISSIONER], participation=invitation)
    history = [
        (e.summary, e.actor_id, e.council_id)
        for e in ContractEvent.objects.filter(contract=joint, kind="participants").order_by("id")
    ]
    bravo = two_councils["bravo"]["council"]
    assert history == [
        (f"Invited {alpha} to take part.", lead[Role.COMMISSIONER].pk, bravo.pk),
        (f"{alpha} declined the invitation to take part.", invited[Role.COMMISSIONER].pk, bravo.pk),
        (f"Invited {alpha} to take part.", lead[Role.COMMISSIONER].pk, bravo.pk),
        (f"{alpha} accepted the invitation to take part.", invited[Role.COMMISSIONER].pk, bravo.pk),
    ]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_by) == (
        ParticipationStatus.ACCEPTED,
        invited[Role.COMMISSIONER],
    )


def test_the_lead_sees_every_status_and_a_participant_only_who_accepted(
    joint, invitation, invited, lead, two_councils
):
    charlie = CouncilFactory(slug="charlie", name="Charlie Council")
    contract_participation_invite(actor=lead[Role.COMMISSIONER], contract=joint, council=charlie)
    contract_participation_accept(actor=invited[Role.COMMISSIONER], participation=invitation)

    def seen(actor):
        return [
            (p.council.slug, p.status)
            for p in participation_selectors.contract_participation_list(
                actor=actor, contract=joint
            )
        ]

    assert seen(lead[Role.AUDITOR]) == [("alpha", "accepted"), ("charlie", "invited")]
    assert seen(invited[Role.AUDITOR]) == [("alpha", "accepted")]


def test_a_waiting_invitation_follows_the_contracts_new_title(joint, invitation, lead):
    contract_update(
        actor=lead[Role.COMMISSIONER], contract=joint, title="Sub-regional overnight breaks"
    )
    invitation.refresh_from_db()
    assert (invitation.contract_reference, invitation.contract_title) == (
        "JOINT-1",
        "Sub-regional overnight breaks",
    )


def test_the_invitations_list_shows_the_councils_own_only(invitation, invited, lead):
    mine = participation_selectors.invitation_list(actor=invited[Role.COMMISSIONER])
    assert list(mine) == [invitation]
    assert participation_selectors.invitation_waiting_count(actor=invited[Role.COMMISSIONER]) == 1
    assert not participation_selectors.invitation_list(actor=lead[Role.COMMISSIONER]).exists()
    contract_participation_accept(actor=invited[Role.COMMISSIONER], participation=invitation)
    assert participation_selectors.invitation_waiting_count(actor=invited[Role.COMMISSIONER]) == 0
    waiting = participation_selectors.invitation_list(
        actor=invited[Role.COMMISSIONER], status="invited"
    )
    assert not waiting.exists()
