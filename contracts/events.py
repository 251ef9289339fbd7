"""The contracts' history rows, one writer per kind of event (docs/decisions/0026)."""

from __future__ import annotations

from contracts.models import (
    ContractEvent,
    ContractEventKind,
    Decision,
    DPSMembership,
    DPSMembershipEvent,
    DPSMembershipEventKind,
    MembershipStatus,
)


def _write(contract, *, actor, kind: str, step: str = "", **params) -> ContractEvent:
    if step:
        params["step"] = step
    return ContractEvent.objects.create(
        council_id=contract.council_id, contract=contract, actor=actor, kind=kind, params=params
    )


def recorded(contract, *, actor) -> ContractEvent:
    return _write(contract, actor=actor, kind=ContractEventKind.CREATED)


def details_changed(contract, *, actor) -> ContractEvent:
    return _write(contract, actor=actor, kind=ContractEventKind.CHANGED)


def made_active(contract, *, actor) -> ContractEvent:
    return _write(
        contract, actor=actor, kind=ContractEventKind.STATUS, step="active", status="active"
    )


def terminated(contract, *, actor, on, reason: str) -> ContractEvent:
    return _write(
        contract,
        actor=actor,
        kind=ContractEventKind.STATUS,
        step="terminated",
        status="terminated",
        on=on,
        reason=reason,
    )


def expired(contract) -> ContractEvent:
    """The end date passed: the daily job's doing, so no one acted."""
    return _write(
        contract,
        actor=None,
        kind=ContractEventKind.STATUS,
        step="expired",
        status="expired",
        end_date=contract.end_date,
    )


def manager_set(contract, *, actor, manager) -> ContractEvent:
    return _write(
        contract,
        actor=actor,
        kind=ContractEventKind.MANAGER,
        manager=manager.get_full_name() if manager else "none",
        manager_id=manager.pk if manager else None,
    )


def lot_added(lot, *, actor) -> ContractEvent:
    return _write(
        lot.contract, actor=actor, kind=ContractEventKind.LOT, lot=str(lot), lot_id=lot.pk
    )


def lot_awarded(award, *, actor) -> ContractEvent:
    return _write(
        award.lot.contract,
        actor=actor,
        kind=ContractEventKind.AWARD,
        lot=str(award.lot),
        provider=str(award.provider),
        award_id=award.pk,
    )


def document_added(document, *, actor) -> ContractEvent:
    return _write(
        document.contract,
        actor=actor,
        kind=ContractEventKind.DOCUMENT,
        document=str(document),
        document_id=document.pk,
    )


def extension_drafted(extension, *, actor) -> ContractEvent:
    return _write(
        extension.contract,
        actor=actor,
        kind=ContractEventKind.EXTENSION,
        step="drafted",
        new_end_date=extension.new_end_date,
        added_value=float(extension.added_value),
    )


def extension_submitted(extension, *, actor) -> ContractEvent:
    return _write(
        extension.contract, actor=actor, kind=ContractEventKind.EXTENSION, step="submitted"
    )


def extension_approval(extension, *, actor, role: str, name: str, approved: bool, decided_on):
    """One approver's answer: `role` as the page names it."""
    return _write(
        extension.contract,
        actor=actor,
        kind=ContractEventKind.APPROVAL,
        role=role,
        name=name,
        decision="approved" if approved else "refused",
        decided_on=decided_on,
    )


def extension_decided(extension, *, actor) -> ContractEvent:
    """The decision maker's decision; once approved, the contract already carries the new end."""
    params = {"decision_maker": extension.decision_maker, "decided_on": extension.decided_on}
    if extension.decision == Decision.APPROVE:
        step = "approved_despite_refusal" if extension.decided_despite_refusal else "approved"
        params |= {
            "previous_end_date": extension.previous_end_date,
            "end_date": extension.contract.end_date,
            "added_value": float(extension.added_value),
        }
    else:
        step = "refused"
    return _write(
        extension.contract, actor=actor, kind=ContractEventKind.DECISION, step=step, **params
    )


def monitoring_recorded(record, *, actor) -> ContractEvent:
    return _write(
        record.contract,
        actor=actor,
        kind=ContractEventKind.MONITORING,
        record=record.get_kind_display(),
        held_on=record.held_on,
        record_id=record.pk,
    )


def kpi_return(record, *, actor, step: str, **params) -> ContractEvent:
    """A KPI return's step: requested, submitted, submitted_again, accepted or queried."""
    label = f"KPI return for {record.period}" if record.period else "KPI return"
    return _write(
        record.contract,
        actor=actor,
        kind=ContractEventKind.KPI_RETURN,
        step=step,
        label=label,
        record_id=record.pk,
        **params,
    )


def participants(contract_id, *, council_id, actor, step: str, council) -> ContractEvent:
    """A participating council invited, withdrawn, or answering: on the lead council's
    timeline."""
    return ContractEvent.objects.create(
        council_id=council_id,
        contract_id=contract_id,
        actor=actor,
        kind=ContractEventKind.PARTICIPANTS,
        params={"step": step, "council": council.name, "council_id": council.pk},
    )


def block_places_set(row, *, actor, before) -> ContractEvent:
    """Block places for an award, set for the first time (`before` None) or changed."""
    params = {
        "provider": str(row.provider),
        "lot": str(row.lot),
        "capacity": row.capacity_text,
    }
    if before is not None:
        params["before"] = str(before)
    return _write(
        row.contract,
        actor=actor,
        kind=ContractEventKind.BLOCK_PLACES,
        step="set" if before is None else "changed",
        **params,
    )


def membership_applied(membership: DPSMembership, *, actor, on, reason: str = ""):
    return DPSMembershipEvent.objects.create(
        council_id=membership.council_id,
        membership=membership,
        kind=DPSMembershipEventKind.APPLIED,
        to_status=MembershipStatus.APPLIED,
        on=on,
        reason=reason or "Applied to join.",
        actor=actor,
    )


def membership_changed(
    membership: DPSMembership, *, actor, step: str, from_status: str, on, reason: str
):
    """The declared change `step` moved the membership from `from_status` to its status now."""
    return DPSMembershipEvent.objects.create(
        council_id=membership.council_id,
        membership=membership,
        kind=step,
        from_status=from_status,
        to_status=membership.status,
        on=on,
        reason=reason,
        actor=actor,
    )
