"""Which contracts a council may read: those it leads, and the joint contracts it accepted."""

from __future__ import annotations

from django.db.models import (
    Q,
    QuerySet,
)

from contracts.models import (
    Contract,
    ContractParticipation,
    ParticipationStatus,
)


def contracts_visible_to(*, council) -> QuerySet[Contract]:
    """The contracts a council may read: those it leads, and the joint contracts whose lead
    invited it and whose invitation its commissioner accepted. Invited, declined or withdrawn:
    nothing. Every read of contracts, and of what hangs off them, starts here."""
    if council is None:
        return Contract.objects.none()
    accepted = ContractParticipation.objects.filter(
        council=council, status=ParticipationStatus.ACCEPTED
    ).values("contract_id")
    return Contract.objects.filter(Q(council=council) | Q(pk__in=accepted))


def readable_contracts(actor) -> QuerySet[Contract]:
    return contracts_visible_to(council=actor.active_council if actor.is_authenticated else None)


# ----------------------------------------------------------------------------------------------
# Joint contracts: invitations and participation


def actor_council_id(actor) -> int | None:
    return actor.active_council_id if actor.is_authenticated else None
