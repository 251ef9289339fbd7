"""Joint contracts by consent: the lead council invites, the invited council answers.

Only the lead council changes a contract (`require_lead`); participating councils read it. Each
change of a council's part is a step declared on `ContractParticipation`
(`shortbreaks.states.step`), refused with the declared sentence naming the councils and the day.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts import events
from contracts.models import (
    Contract,
    ContractParticipation,
    ParticipationStatus,
)
from shortbreaks import rls
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step
from shortbreaks.unique import save_unique

MANAGE = "contracts.manage_contract"
ANSWER_INVITATION = "contracts.answer_invitation"


# ----------------------------------------------------------------------------------------------
# Joint contracts by consent. The lead council invites; the invited council's commissioner
# accepts or declines; the lead may withdraw an invitation or a council's part. Accepted, the
# invited council reads the contract (contracts.selectors.contracts_visible_to).
#
# An invitation is the invited council's row, which row-level security lets the lead council
# make, change and withdraw too (its `lead` policy, shortbreaks.rls.WRITE_POLICIES). An answer goes
# on the lead council's timeline, a row the invited council cannot write in its own scope: once the
# service has checked who is answering, that one event is written in the lead council's scope
# (`_on_lead_timeline`), and the request's scope is put back straight after.


def _on_lead_timeline(participation: ContractParticipation):
    return rls.council_scope(participation.lead_council_id)


def participants_set(*, actor, contract: Contract, councils) -> None:
    """Make the councils the lead names on the contract exactly `councils` (the lead itself
    left out): invite each new one (again, if it had declined or was withdrawn) and withdraw
    each one no longer named, whether it was still invited or had accepted."""
    wanted = {c.pk: c for c in councils if c.pk != contract.council_id}
    # One change of a contract's councils at a time.
    Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk").first()
    named = {
        p.council_id: p
        for p in ContractParticipation.objects.filter(
            contract=contract, lead_council_id=contract.council_id
        ).select_related("council")
        if p.is_named
    }
    for council_id, participation in named.items():
        if council_id not in wanted:
            contract_participation_withdraw(actor=actor, participation=participation)
    for council_id, council in sorted(wanted.items(), key=lambda item: item[1].name):
        if council_id not in named:
            contract_participation_invite(actor=actor, contract=contract, council=council)


def invitations_describe(contract: Contract) -> None:
    """Keep what the waiting invitations say of the contract as it is now."""
    waiting = ContractParticipation.objects.filter(
        contract=contract, lead_council_id=contract.council_id, status=ParticipationStatus.INVITED
    )
    waiting.update(contract_reference=contract.reference, contract_title=contract.title)


@transaction.atomic
def contract_participation_invite(*, actor, contract: Contract, council: Council):
    """Invite `council` to take part in the lead council's contract. It sees nothing of the
    contract until its commissioner accepts. A council that declined, or whose invitation or
    part was withdrawn, may be invited again."""
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    if council.pk == contract.council_id:
        raise ValidationError(
            {"participating_councils": "The lead council cannot be invited to its own contract."}
        )
    now = timezone.now()
    already = TransitionNotAllowed(f"{council.name} is already invited to this contract.")
    participation = (
        ContractParticipation.objects.select_for_update()
        .filter(contract=contract, council=council)
        .first()
    )
    if participation is None:
        participation = ContractParticipation(
            contract=contract, council=council, status=ParticipationStatus.INVITED
        )
    else:
        participation.council = council
        step(participation, "invite_again", actor)
    participation.lead_council_id = contract.council_id
    participation.contract_reference = contract.reference
    participation.contract_title = contract.title
    participation.invited_by, participation.invited_at = actor, now
    participation.responded_by = participation.responded_at = None
    participation.withdrawn_by = participation.withdrawn_at = None
    save_unique(participation, {"contract_participation_unique": already})
    events.participants(
        contract.pk, council_id=contract.council_id, actor=actor, step="invited", council=council
    )
    return participation


@transaction.atomic
def contract_participation_withdraw(*, actor, participation: ContractParticipation):
    """The lead council withdraws an invitation not yet answered, or a council's part in the
    contract: from now on that council sees nothing of it."""
    require_perm(actor, MANAGE)
    if participation.lead_council_id != actor.active_council_id:
        raise TransitionNotAllowed(
            "Only the lead council can change a joint contract; participating councils read it."
        )
    council = participation.council
    participation = ContractParticipation.objects.select_for_update().get(pk=participation.pk)
    participation.council = council
    was_accepted = participation.status == ParticipationStatus.ACCEPTED
    step(participation, "withdraw", actor)
    participation.withdrawn_by, participation.withdrawn_at = actor, timezone.now()
    participation.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    events.participants(
        participation.contract_id,
        council_id=participation.lead_council_id,
        actor=actor,
        step="withdrew_member" if was_accepted else "withdrew_invitation",
        council=council,
    )
    return participation


def _answer(*, actor, participation: ContractParticipation, name: str, verb: str):
    require_perm(actor, ANSWER_INVITATION)
    if participation.council_id != actor.active_council_id:
        raise RecordNotFound(
            object_type=ContractParticipation._meta.label_lower, object_id=participation.pk
        )
    participation = (
        ContractParticipation.objects.select_for_update(of=("self",))
        .select_related("council", "lead_council")
        .get(pk=participation.pk)
    )
    step(participation, name, actor)
    participation.responded_by, participation.responded_at = actor, timezone.now()
    participation.save(update_fields=["status", "responded_by", "responded_at"])
    with _on_lead_timeline(participation):
        events.participants(
            participation.contract_id,
            council_id=participation.lead_council_id,
            actor=actor,
            step=verb,
            council=participation.council,
        )
    return participation


@transaction.atomic
def contract_participation_accept(*, actor, participation: ContractParticipation):
    """The invited council's commissioner accepts: from now on the council reads the contract
    as a participant (and never changes it)."""
    return _answer(
        actor=actor,
        participation=participation,
        name="accept",
        verb="accepted",
    )


@transaction.atomic
def contract_participation_decline(*, actor, participation: ContractParticipation):
    """The invited council's commissioner declines: the council sees nothing of the contract,
    and the lead council sees that it declined."""
    return _answer(
        actor=actor,
        participation=participation,
        name="decline",
        verb="declined",
    )


def require_lead(actor, contract: Contract) -> None:
    if contract.council_id != actor.active_council_id:
        raise TransitionNotAllowed(
            "Only the lead council can change a joint contract; participating councils read it."
        )
