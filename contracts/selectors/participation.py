"""Joint contracts: the councils invited to take part and their answers."""

from __future__ import annotations

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from contracts.models import (
    Contract,
    ContractParticipation,
    ParticipationStatus,
)
from contracts.selectors.visibility import actor_council_id
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped


def participations_seen_by(*, actor) -> QuerySet[ContractParticipation]:
    """The participation rows the actor may see of a contract they read: the lead council sees
    every council it invited, with its status; a participant sees the councils that accepted."""
    return ContractParticipation.objects.filter(
        Q(status=ParticipationStatus.ACCEPTED) | Q(lead_council_id=actor_council_id(actor))
    )


def contract_participation_list(*, actor, contract: Contract) -> QuerySet[ContractParticipation]:
    """The councils of a joint contract (one the actor already reads), by name."""
    return (
        participations_seen_by(actor=actor)
        .filter(contract=contract)
        .select_related("council")
        .order_by("council__name")
    )


def participations_prefetch(*, actor) -> Prefetch:
    """`contract.participation_list`: the contract's participations as the actor may see them,
    for a list of contracts."""
    return Prefetch(
        "participations",
        queryset=participations_seen_by(actor=actor)
        .select_related("council")
        .order_by("council__name"),
        to_attr="participation_list",
    )


def invitation_list(*, actor, status: str | None = None) -> QuerySet[ContractParticipation]:
    """The invitations to the actor's council, longest waiting first; all of them, or those in
    one status. They show what the invitation says (the lead council, the contract's reference
    and title), never the contract itself, which the council reads only once it accepts."""
    invitations = scoped(
        ContractParticipation.objects.select_related("council", "lead_council", "invited_by"),
        actor=actor,
    )
    if status:
        invitations = invitations.filter(status=status)
    return invitations.order_by("invited_at", "id")


def invitation_waiting_count(*, actor) -> int:
    """How many invitations wait for the actor's council's answer (a handful at most)."""
    return invitation_list(actor=actor, status=ParticipationStatus.INVITED).count()


def access_invitation_by_id(*, actor, invitation_id) -> ContractParticipation:
    """One of the invitations to the actor's council, whatever its status; anyone else's is
    not found."""
    return access_by_id(
        ContractParticipation.objects.select_related(
            "council", "lead_council", "invited_by", "responded_by"
        ),
        actor=actor,
        pk=invitation_id,
    )


def access_participation_for_change(
    *, actor, contract: Contract, participation_id
) -> ContractParticipation:
    """A council the lead invited to `contract` (one the actor may change); else not-found."""
    return get_or_not_found(
        ContractParticipation.objects.filter(
            contract=contract, lead_council_id=actor_council_id(actor)
        ).select_related("council", "lead_council"),
        pk=participation_id,
    )
