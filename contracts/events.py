"""The contracts' history rows, one writer per kind of event (docs/decisions/0026)."""

from __future__ import annotations

from contracts.models import ContractEvent, DPSMembership, DPSMembershipEvent, MembershipStatus


def contract_event(*, contract, actor, kind: str, summary: str) -> None:
    ContractEvent.objects.create(
        council=contract.council, contract=contract, actor=actor, kind=kind, summary=summary
    )


def membership_applied(membership: DPSMembership, *, actor, on, reason: str = ""):
    return DPSMembershipEvent.objects.create(
        council_id=membership.council_id,
        membership=membership,
        to_status=MembershipStatus.APPLIED,
        on=on,
        reason=reason or "Applied to join.",
        actor=actor,
    )


def membership_changed(membership: DPSMembership, *, actor, from_status: str, on, reason: str):
    """The membership moved from `from_status` to its status now."""
    return DPSMembershipEvent.objects.create(
        council_id=membership.council_id,
        membership=membership,
        from_status=from_status,
        to_status=membership.status,
        on=on,
        reason=reason,
        actor=actor,
    )
