"""Extensions by variation: requested, submitted, approved by each role, then decided."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts import events
from contracts.models import (
    ApprovalRole,
    Contract,
    Decision,
    Extension,
    ExtensionApproval,
    ExtensionStatus,
    LegalBasis,
)
from contracts.services.participation import MANAGE, require_lead
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

# ----------------------------------------------------------------------------------------------
# Extensions by variation


@transaction.atomic
def extension_create(
    *,
    actor,
    contract: Contract,
    new_end_date: date,
    added_value: Decimal,
    rationale: str,
    legal_basis: str,
    alternatives_considered: str = "",
    risks: str = "",
) -> Extension:
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    # The contract's state allows the extension it would make (the decision maker makes it).
    refused = states.refusal(contract, "extend")
    if refused:
        raise TransitionNotAllowed(refused)
    if contract.extensions.filter(
        status__in=[ExtensionStatus.DRAFT, ExtensionStatus.SUBMITTED]
    ).exists():
        raise TransitionNotAllowed("An extension of this contract is already under way.")
    errors = {}
    if new_end_date <= contract.end_date:
        errors["new_end_date"] = "The new end date must be after the current end date."
    if contract.max_extent_date and new_end_date > contract.max_extent_date:
        errors["new_end_date"] = (
            f"The new end date cannot be after the maximum extent, "
            f"{contract.max_extent_date:%d/%m/%Y}."
        )
    if added_value is None or added_value < 0:
        errors["added_value"] = "Enter the value the extension adds, in pounds."
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = "Choose the legal basis."
    if not rationale.strip():
        errors["rationale"] = "Enter why the contract should be extended."
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        council=contract.council,
        contract=contract,
        new_end_date=new_end_date,
        added_value=added_value,
        rationale=rationale,
        alternatives_considered=alternatives_considered,
        risks=risks,
        legal_basis=legal_basis,
        requested_by=actor,
    )
    events.extension_drafted(extension, actor=actor)
    return extension


def _locked(extension: Extension) -> Extension:
    return Extension.objects.select_for_update().select_related("contract").get(pk=extension.pk)


@transaction.atomic
def extension_submit(*, actor, extension: Extension) -> Extension:
    require_perm(actor, MANAGE)
    extension = _locked(extension)
    require_lead(actor, extension.contract)
    states.step(extension, "submit", actor)
    extension.submitted_at = timezone.now()
    extension.save(update_fields=["status", "submitted_at"])
    events.extension_submitted(extension, actor=actor)
    return extension


@transaction.atomic
def extension_record_approval(
    *,
    actor,
    extension: Extension,
    role: str,
    name: str,
    decision: str,
    decided_on: date,
    comment: str = "",
) -> ExtensionApproval:
    """Record what governance, finance, legal or procurement said. A later answer from the same
    role is recorded too (the history stays) and is the one that counts."""
    require_perm(actor, MANAGE)
    extension = _locked(extension)
    require_lead(actor, extension.contract)
    states.step(extension, "record_approval", actor)
    errors = {}
    if role not in ApprovalRole.values:
        errors["role"] = "Choose governance, finance, legal or procurement."
    if decision not in Decision.values:
        errors["decision"] = "Choose approve or refuse."
    if not name.strip():
        errors["name"] = "Enter the name of the officer who decided."
    if errors:
        raise ValidationError(errors)
    approval = ExtensionApproval.objects.create(
        council=extension.council,
        extension=extension,
        role=role,
        name=name,
        decision=decision,
        decided_on=decided_on,
        comment=comment,
        recorded_by=actor,
    )
    events.extension_approval(
        extension,
        actor=actor,
        role=ApprovalRole(role).label,
        name=name,
        approved=decision == Decision.APPROVE,
        decided_on=decided_on,
    )
    return approval


def extension_current_approvals(extension: Extension) -> dict[str, ExtensionApproval]:
    """The latest answer from each role."""
    return extension.current_approvals()


def extension_blockers(extension: Extension) -> list[str]:
    """Why the decision maker cannot yet approve, in words; empty when they can."""
    return extension.blockers()


@transaction.atomic
def extension_decide(
    *,
    actor,
    extension: Extension,
    decision: str,
    decision_maker: str,
    decided_on: date,
    key_decision: bool = False,
    decided_despite_refusal: bool = False,
    note: str = "",
) -> Extension:
    """The decision maker's decision. Only an approval moves the contract's end date and value.

    Approval is refused while finance, legal or procurement has not approved, unless the legal
    basis is a CPR exemption that was refused and escalated, and the decision maker records that
    they decide despite it (Shropshire, March 2025).
    """
    require_perm(actor, "contracts.decide_extension")
    extension = _locked(extension)
    contract = Contract.objects.select_for_update().get(pk=extension.contract_id)
    require_lead(actor, contract)
    # Whether the extension waits for a decision comes first, whatever was sent.
    refused = states.refusal(extension, "refuse")
    if refused:
        raise TransitionNotAllowed(refused)
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose approve or refuse."
    if not decision_maker.strip():
        errors["decision_maker"] = "Enter who made the decision."
    if errors:
        raise ValidationError(errors)
    approve = decision == Decision.APPROVE
    if approve:
        escalated = decided_despite_refusal and extension.escalatable
        if decided_despite_refusal and not escalated:
            raise TransitionNotAllowed(
                "Deciding despite a refusal applies only to a CPR exemption that was refused."
            )
        # Finance, legal and procurement approve first (the extension's declared condition),
        # unless a refused CPR exemption is decided despite the refusal: say who has not.
        blockers = extension.blockers()
        if blockers and not escalated:
            raise TransitionNotAllowed(
                "The extension cannot be approved yet: " + "; ".join(blockers) + "."
            )
        if escalated and not note.strip():
            raise ValidationError(
                {"note": "Record why the decision maker decided despite the refused exemption."}
            )
    states.step(extension, "approve" if approve else "refuse", actor)
    extension.decision = decision
    extension.decision_maker = decision_maker
    extension.decided_on = decided_on
    extension.key_decision = key_decision
    extension.decided_despite_refusal = decision == Decision.APPROVE and decided_despite_refusal
    extension.decision_note = note
    if approve:
        extension.previous_end_date = contract.end_date
        extension.previous_total_value = contract.total_value
        contract.end_date = extension.new_end_date
        contract.total_value = (contract.total_value or Decimal(0)) + extension.added_value
        states.step(contract, "extend", actor)
        contract.save(update_fields=["end_date", "total_value", "status", "updated_at"])
    extension.save()
    events.extension_decided(extension, actor=actor)
    return extension
