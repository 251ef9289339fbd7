"""Writes to DPS, contracts, extensions, monitoring and spend.

Every status change is a named function that checks the current state (raising
`TransitionNotAllowed` with the reason), writes an event for the timeline, then makes one change.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from contracts.models import (
    DPS,
    PRE_APPROVAL_CHECKS,
    REQUIRED_APPROVALS,
    ApprovalRole,
    Award,
    Contract,
    ContractDocument,
    ContractEvent,
    ContractKind,
    ContractParticipation,
    ContractSpend,
    ContractStatus,
    Decision,
    DPSMembership,
    DPSMembershipEvent,
    ExpiryReminder,
    Extension,
    ExtensionApproval,
    ExtensionStatus,
    LegalBasis,
    Lot,
    MembershipStatus,
    MonitoringKind,
    MonitoringRecord,
    PackageType,
    ParticipationStatus,
    SpendLine,
)
from providers.models import Provider, Service
from shortbreaks import rls
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council, Membership, Role
from shortbreaks.documents.uploads import check_upload, save_with_file
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send
from shortbreaks.permissions import require_perm
from shortbreaks.unique import refuse_duplicates, save_unique

logger = logging.getLogger(__name__)

MANAGE = "contracts.manage_contract"
ANSWER_INVITATION = "contracts.answer_invitation"

# ----------------------------------------------------------------------------------------------
# DPS


@transaction.atomic
def dps_create(
    *,
    actor,
    title: str,
    start_date: date,
    end_date: date | None = None,
    categories: str = "",
    open_to_applications: bool = True,
) -> DPS:
    require_perm(actor, MANAGE)
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be after the start date."})
    dps = DPS(
        council=actor.active_council,
        title=title,
        start_date=start_date,
        end_date=end_date,
        categories=categories,
        open_to_applications=open_to_applications,
    )
    dps.full_clean()
    dps.save()
    return dps


# Which status each transition starts from, and where it goes.
MEMBERSHIP_TRANSITIONS = {
    "start_assessment": ({MembershipStatus.APPLIED}, MembershipStatus.UNDER_ASSESSMENT),
    "approve": ({MembershipStatus.UNDER_ASSESSMENT}, MembershipStatus.APPROVED),
    "suspend": ({MembershipStatus.APPROVED}, MembershipStatus.SUSPENDED),
    "reinstate": ({MembershipStatus.SUSPENDED}, MembershipStatus.APPROVED),
    "exit": (
        {
            MembershipStatus.APPLIED,
            MembershipStatus.UNDER_ASSESSMENT,
            MembershipStatus.APPROVED,
            MembershipStatus.SUSPENDED,
        },
        MembershipStatus.EXITED,
    ),
}


@transaction.atomic
def dps_membership_apply(
    *, actor, dps: DPS, provider: Provider, on: date, reason: str = ""
) -> DPSMembership:
    require_perm(actor, MANAGE)
    if provider.council_id != dps.council_id:
        raise ValidationError({"provider": "Choose one of the council's providers."})
    if not dps.open_to_applications:
        raise TransitionNotAllowed("This DPS is not open to applications.")
    already = f"{provider} has already applied to this DPS."
    if DPSMembership.objects.filter(dps=dps, provider=provider).exists():
        raise TransitionNotAllowed(already)
    with refuse_duplicates({"dps_membership_unique": TransitionNotAllowed(already)}):
        membership = DPSMembership.objects.create(
            council=dps.council,
            dps=dps,
            provider=provider,
            status=MembershipStatus.APPLIED,
            status_date=on,
        )
    DPSMembershipEvent.objects.create(
        council=dps.council,
        membership=membership,
        to_status=MembershipStatus.APPLIED,
        on=on,
        reason=reason or "Applied to join.",
        actor=actor,
    )
    return membership


@transaction.atomic
def dps_membership_record_checks(*, actor, membership: DPSMembership, **checks: bool):
    require_perm(actor, MANAGE)
    unknown = set(checks) - set(PRE_APPROVAL_CHECKS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Not a pre-approval check."))
    for name, done in checks.items():
        setattr(membership, name, bool(done))
    membership.save(update_fields=list(checks))
    return membership


@transaction.atomic
def dps_membership_transition(
    *, actor, membership: DPSMembership, action: str, on: date, reason: str
) -> DPSMembership:
    """Move a membership along applied -> under assessment -> approved -> suspended -> exited."""
    require_perm(actor, MANAGE)
    if action not in MEMBERSHIP_TRANSITIONS:
        raise ValidationError({"action": "Not a membership action."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason."})
    membership = DPSMembership.objects.select_for_update().get(pk=membership.pk)
    allowed_from, to_status = MEMBERSHIP_TRANSITIONS[action]
    if membership.status not in allowed_from:
        raise TransitionNotAllowed(
            f"A membership that is {membership.get_status_display().lower()} cannot be "
            f"moved to {MembershipStatus(to_status).label.lower()}."
        )
    if action == "approve" and not membership.checks_complete:
        missing = [label for _, label, done in membership.checks if not done]
        raise TransitionNotAllowed(
            "The pre-approval checks are not complete: " + ", ".join(missing) + "."
        )
    if on < membership.status_date:
        raise ValidationError({"on": "The date cannot be before the last change."})
    DPSMembershipEvent.objects.create(
        council=membership.council,
        membership=membership,
        from_status=membership.status,
        to_status=to_status,
        on=on,
        reason=reason,
        actor=actor,
    )
    membership.status, membership.status_date = to_status, on
    membership.save(update_fields=["status", "status_date"])
    return membership


# ----------------------------------------------------------------------------------------------
# Contracts, lots and awards


def _contract_event(*, contract: Contract, actor, kind: str, summary: str) -> None:
    ContractEvent.objects.create(
        council=contract.council, contract=contract, actor=actor, kind=kind, summary=summary
    )


def _validate_contract(contract: Contract) -> None:
    errors = {}
    if contract.kind not in ContractKind.values:
        errors["kind"] = "Choose the kind of contract."
    if contract.end_date and contract.start_date and contract.end_date < contract.start_date:
        errors["end_date"] = "The end date must be after the start date."
    if (
        contract.max_extent_date
        and contract.end_date
        and contract.max_extent_date < contract.end_date
    ):
        errors["max_extent_date"] = "The maximum extent cannot be before the end date."
    for name in ("annual_value", "total_value"):
        value = getattr(contract, name)
        if value is not None and value < 0:
            errors[name] = "The value cannot be negative."
    if errors:
        raise ValidationError(errors)
    contract.full_clean()


CONTRACT_FIELDS = (
    "reference",
    "title",
    "kind",
    "procurement_route",
    "procurement_method",
    "date_signed",
    "start_date",
    "end_date",
    "max_extent_date",
    "annual_value",
    "total_value",
    "recommissioning_started_on",
)

REFERENCE_TAKEN = {"reference": "The council already has a contract with this reference."}
# The same refusal when a request at the same moment took the reference after the check.
CONTRACT_REFUSALS = {"contract_unique_ref": REFERENCE_TAKEN}


def _require_free_reference(contract: Contract) -> None:
    others = Contract.objects.filter(council_id=contract.council_id).exclude(pk=contract.pk)
    if others.filter(reference=contract.reference).exists():
        raise ValidationError(REFERENCE_TAKEN)


@transaction.atomic
def contract_create(
    *,
    actor,
    participating_councils: list[Council] = (),
    dps: DPS | None = None,
    call_off_lot: Lot | None = None,
    **fields,
) -> Contract:
    require_perm(actor, MANAGE)
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    council = actor.active_council
    if dps is not None and dps.council_id != council.pk:
        raise ValidationError({"dps": "Choose one of the council's DPS."})
    if call_off_lot is not None and (
        dps is None
        or call_off_lot.council_id != council.pk
        or call_off_lot.contract.dps_id != dps.pk
    ):
        raise ValidationError({"call_off_lot": "Choose a lot of this DPS's own contract."})
    contract = Contract(
        council=council, dps=dps, call_off_lot=call_off_lot, status=ContractStatus.DRAFT, **fields
    )
    _require_free_reference(contract)
    _validate_contract(contract)
    save_unique(contract, CONTRACT_REFUSALS)
    _contract_event(contract=contract, actor=actor, kind="created", summary="Contract recorded.")
    _participants_set(actor=actor, contract=contract, councils=participating_councils)
    return contract


@transaction.atomic
def contract_update(
    *, actor, contract: Contract, participating_councils: list[Council] | None = None, **fields
) -> Contract:
    """Change a contract's details. `participating_councils`, when given, is every council the
    lead names (never itself): a new one is invited, one left out has its invitation or its part
    withdrawn (see `_participants_set`)."""
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    moved = {
        name
        for name in ("end_date", "total_value")
        if name in fields and fields[name] != getattr(contract, name)
    }
    if moved and contract.status != ContractStatus.DRAFT:
        raise TransitionNotAllowed(
            "Once a contract is active, its end date and total value change only through an "
            "approved extension."
        )
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(contract, name, value)
    _require_free_reference(contract)
    _validate_contract(contract)
    save_unique(contract, CONTRACT_REFUSALS)
    _contract_event(contract=contract, actor=actor, kind="changed", summary="Details changed.")
    if {"reference", "title"} & set(fields):
        _invitations_describe(contract)
    if participating_councils is not None:
        _participants_set(actor=actor, contract=contract, councils=participating_councils)
    return contract


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

PARTICIPANTS_EVENT = "participants"


def _on_lead_timeline(participation: ContractParticipation):
    return rls.council_scope(participation.lead_council_id)


def _on(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def _participants_set(*, actor, contract: Contract, councils) -> None:
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


def _invitations_describe(contract: Contract) -> None:
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
    _require_lead(actor, contract)
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
        participation = ContractParticipation(contract=contract, council=council)
    elif participation.is_named:
        raise TransitionNotAllowed(
            f"{council.name} already takes part in this contract."
            if participation.status == ParticipationStatus.ACCEPTED
            else already.reason
        )
    participation.lead_council_id = contract.council_id
    participation.contract_reference = contract.reference
    participation.contract_title = contract.title
    participation.status = ParticipationStatus.INVITED
    participation.invited_by, participation.invited_at = actor, now
    participation.responded_by = participation.responded_at = None
    participation.withdrawn_by = participation.withdrawn_at = None
    save_unique(participation, {"contract_participation_unique": already})
    _contract_event(
        contract=contract,
        actor=actor,
        kind=PARTICIPANTS_EVENT,
        summary=f"Invited {council.name} to take part.",
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
    if participation.status == ParticipationStatus.WITHDRAWN:
        raise TransitionNotAllowed(
            f"The invitation to {council.name} was already withdrawn on "
            f"{_on(participation.withdrawn_at)}."
        )
    if participation.status == ParticipationStatus.DECLINED:
        raise TransitionNotAllowed(
            f"{council.name} declined the invitation on {_on(participation.responded_at)}: "
            "there is nothing to withdraw."
        )
    was_accepted = participation.status == ParticipationStatus.ACCEPTED
    participation.status = ParticipationStatus.WITHDRAWN
    participation.withdrawn_by, participation.withdrawn_at = actor, timezone.now()
    participation.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    participation.council = council
    ContractEvent.objects.create(
        council_id=participation.lead_council_id,
        contract_id=participation.contract_id,
        actor=actor,
        kind=PARTICIPANTS_EVENT,
        summary=(
            f"Withdrew {council.name} from the contract."
            if was_accepted
            else f"Withdrew the invitation to {council.name}."
        ),
    )
    return participation


def invitation_closed_reason(participation: ContractParticipation) -> str | None:
    """Why an invitation can no longer be answered (None while it waits): it is answered once,
    and only while the lead council still stands by it."""
    status = participation.status
    council, lead = participation.council.name, participation.lead_council.name
    if status == ParticipationStatus.ACCEPTED:
        return f"{council} already accepted this invitation on {_on(participation.responded_at)}."
    if status == ParticipationStatus.DECLINED:
        return (
            f"{council} already declined this invitation on {_on(participation.responded_at)}. "
            f"{lead} can invite the council again."
        )
    if status == ParticipationStatus.WITHDRAWN:
        return (
            f"{lead} withdrew this invitation on {_on(participation.withdrawn_at)}, so it can no "
            "longer be answered."
        )
    return None


def _answer(*, actor, participation: ContractParticipation, status: str, verb: str):
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
    closed = invitation_closed_reason(participation)
    if closed:
        raise TransitionNotAllowed(closed)
    participation.status = status
    participation.responded_by, participation.responded_at = actor, timezone.now()
    participation.save(update_fields=["status", "responded_by", "responded_at"])
    with _on_lead_timeline(participation):
        ContractEvent.objects.create(
            council_id=participation.lead_council_id,
            contract_id=participation.contract_id,
            actor=actor,
            kind=PARTICIPANTS_EVENT,
            summary=f"{participation.council.name} {verb} the invitation to take part.",
        )
    return participation


@transaction.atomic
def contract_participation_accept(*, actor, participation: ContractParticipation):
    """The invited council's commissioner accepts: from now on the council reads the contract
    as a participant (and never changes it)."""
    return _answer(
        actor=actor,
        participation=participation,
        status=ParticipationStatus.ACCEPTED,
        verb="accepted",
    )


@transaction.atomic
def contract_participation_decline(*, actor, participation: ContractParticipation):
    """The invited council's commissioner declines: the council sees nothing of the contract,
    and the lead council sees that it declined."""
    return _answer(
        actor=actor,
        participation=participation,
        status=ParticipationStatus.DECLINED,
        verb="declined",
    )


def _require_lead(actor, contract: Contract) -> None:
    if contract.council_id != actor.active_council_id:
        raise TransitionNotAllowed(
            "Only the lead council can change a joint contract; participating councils read it."
        )


@transaction.atomic
def contract_activate(*, actor, contract: Contract) -> Contract:
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    if contract.status != ContractStatus.DRAFT:
        raise TransitionNotAllowed("Only a draft contract can be made active.")
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status", "updated_at"])
    _contract_event(contract=contract, actor=actor, kind="status", summary="Made active.")
    return contract


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, on: date, reason: str) -> Contract:
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    if contract.status not in (ContractStatus.ACTIVE, ContractStatus.EXTENDED):
        raise TransitionNotAllowed("Only an active or extended contract can be terminated.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for terminating the contract."})
    contract.status = ContractStatus.TERMINATED
    contract.save(update_fields=["status", "updated_at"])
    _contract_event(
        contract=contract,
        actor=actor,
        kind="status",
        summary=f"Terminated on {on:%d/%m/%Y}: {reason}",
    )
    return contract


@transaction.atomic
def contracts_expire(*, today: date) -> int:
    """Mark active and extended contracts whose end date has passed as expired (from the day
    after the end date, in the council's time zone: `today` is the local date). An approved
    extension has moved the end date to its new end date, so the contract runs, extended, until
    then; an extension not (yet) approved does not keep it running. Safe to run again."""
    count = 0
    for contract in Contract.objects.filter(
        status__in=[ContractStatus.ACTIVE, ContractStatus.EXTENDED], end_date__lt=today
    ).select_for_update():
        contract.status = ContractStatus.EXPIRED
        contract.save(update_fields=["status", "updated_at"])
        _contract_event(
            contract=contract,
            actor=None,
            kind="status",
            summary=f"Expired: the end date {contract.end_date:%d/%m/%Y} passed.",
        )
        count += 1
    return count


@transaction.atomic
def contract_set_manager(*, actor, contract: Contract, manager) -> Contract:
    """Name the contract manager: an object grant on this one contract."""
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    if (
        manager is not None
        and not Membership.objects.filter(
            user=manager, council=contract.council, role=Role.CONTRACT_MANAGER
        ).exists()
    ):
        raise ValidationError(
            {"contract_manager": "Choose one of the council's contract managers."}
        )
    if contract.contract_manager_id:
        remove_perm("contracts.change_contract", contract.contract_manager, contract)
    contract.contract_manager = manager
    contract.save(update_fields=["contract_manager", "updated_at"])
    if manager is not None:
        assign_perm("contracts.change_contract", manager, contract)
    _contract_event(
        contract=contract,
        actor=actor,
        kind="manager",
        summary=f"Contract manager: {manager.get_full_name() if manager else 'none'}.",
    )
    return contract


@transaction.atomic
def lot_create(
    *,
    actor,
    contract: Contract,
    number: int,
    name: str,
    description: str = "",
    services: list[Service] = (),
) -> Lot:
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    taken = f"The contract already has a lot {number}."
    if Lot.objects.filter(contract=contract, number=number).exists():
        raise ValidationError({"number": taken})
    if any(s.council_id != contract.council_id for s in services):
        raise ValidationError({"services": "Choose the council's own services."})
    lot = Lot(
        council=contract.council,
        contract=contract,
        number=number,
        name=name,
        description=description,
    )
    lot.full_clean()
    save_unique(lot, {"lot_unique_number": {"number": taken}})
    lot.services.set(services)
    _contract_event(contract=contract, actor=actor, kind="lot", summary=f"{lot} added.")
    return lot


@transaction.atomic
def award_create(
    *,
    actor,
    lot: Lot,
    provider: Provider,
    rates: str = "",
    capacity: str = "",
    value: Decimal | None = None,
    awarded_on: date | None = None,
) -> Award:
    """Award a lot to a provider. `value` is what the award is worth over the contract's whole
    term: the awards of a contract add up to no more than its total value, so that what the
    council publishes (each lot's award and contract) reconciles with the contract."""
    require_perm(actor, MANAGE)
    _require_lead(actor, lot.contract)
    if provider.council_id != lot.council_id:
        raise ValidationError({"provider": "Choose one of the council's providers."})
    if value is not None and value < 0:
        raise ValidationError({"value": "The value cannot be negative."})
    contract = Contract.objects.select_for_update().get(pk=lot.contract_id)
    if value and contract.total_value is not None:
        awarded = Award.objects.filter(lot__contract=contract, value__isnull=False).aggregate(
            total=Sum("value")
        )["total"] or Decimal(0)
        if awarded + value > contract.total_value:
            raise ValidationError(
                {
                    "value": f"The contract's awards would add up to £{awarded + value:,.2f}, "
                    f"more than its total value of £{contract.total_value:,.2f}. Enter the "
                    "value over the contract's whole term, at most "
                    f"£{max(contract.total_value - awarded, Decimal(0)):,.2f}."
                }
            )
    award = Award.objects.create(
        council=lot.council,
        lot=lot,
        provider=provider,
        rates=rates,
        capacity=capacity,
        value=value,
        awarded_on=awarded_on,
    )
    _contract_event(
        contract=lot.contract,
        actor=actor,
        kind="award",
        summary=f"{lot} awarded to {provider}.",
    )
    return award


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
    _require_lead(actor, contract)
    if contract.status not in (
        ContractStatus.ACTIVE,
        ContractStatus.EXTENDED,
        ContractStatus.EXPIRED,
    ):
        raise TransitionNotAllowed(
            f"A {contract.get_status_display().lower()} contract cannot be extended."
        )
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
    _contract_event(
        contract=contract,
        actor=actor,
        kind="extension",
        summary=f"Extension to {new_end_date:%d/%m/%Y} (£{added_value:,.2f}) drafted.",
    )
    return extension


def _locked(extension: Extension) -> Extension:
    return Extension.objects.select_for_update().select_related("contract").get(pk=extension.pk)


@transaction.atomic
def extension_submit(*, actor, extension: Extension) -> Extension:
    require_perm(actor, MANAGE)
    extension = _locked(extension)
    _require_lead(actor, extension.contract)
    if extension.status != ExtensionStatus.DRAFT:
        raise TransitionNotAllowed(
            f"This extension is {extension.get_status_display().lower()}; only a draft can be "
            "submitted."
        )
    from django.utils import timezone

    extension.status, extension.submitted_at = ExtensionStatus.SUBMITTED, timezone.now()
    extension.save(update_fields=["status", "submitted_at"])
    _contract_event(
        contract=extension.contract,
        actor=actor,
        kind="extension",
        summary="Extension submitted for approval.",
    )
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
    _require_lead(actor, extension.contract)
    if extension.status != ExtensionStatus.SUBMITTED:
        raise TransitionNotAllowed("Approvals are recorded once the extension is submitted.")
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
    _contract_event(
        contract=extension.contract,
        actor=actor,
        kind="approval",
        summary=f"{ApprovalRole(role).label}: {name} "
        f"{'approved' if decision == Decision.APPROVE else 'refused'} on {decided_on:%d/%m/%Y}.",
    )
    return approval


def extension_current_approvals(extension: Extension) -> dict[str, ExtensionApproval]:
    """The latest answer from each role."""
    latest: dict[str, ExtensionApproval] = {}
    for approval in sorted(extension.approvals.all(), key=lambda a: (a.decided_on, a.pk)):
        latest[approval.role] = approval
    return latest


def extension_blockers(extension: Extension) -> list[str]:
    """Why the decision maker cannot yet approve, in words; empty when they can."""
    latest = extension_current_approvals(extension)
    return [
        f"{ApprovalRole(role).label} has not approved" + (" (refused)" if role in latest else "")
        for role in REQUIRED_APPROVALS
        if role not in latest or latest[role].decision != Decision.APPROVE
    ]


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
    _require_lead(actor, contract)
    if extension.status != ExtensionStatus.SUBMITTED:
        raise TransitionNotAllowed(
            f"This extension is {extension.get_status_display().lower()}; only a submitted "
            "extension can be decided."
        )
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose approve or refuse."
    if not decision_maker.strip():
        errors["decision_maker"] = "Enter who made the decision."
    if errors:
        raise ValidationError(errors)
    if decision == Decision.APPROVE:
        blockers = extension_blockers(extension)
        escalated = (
            decided_despite_refusal
            and extension.legal_basis == LegalBasis.CPR_EXEMPTION
            and _cpr_exemption_refused(extension)
        )
        if decided_despite_refusal and not escalated:
            raise TransitionNotAllowed(
                "Deciding despite a refusal applies only to a CPR exemption that was refused."
            )
        if blockers and not escalated:
            raise TransitionNotAllowed(
                "The extension cannot be approved yet: " + "; ".join(blockers) + "."
            )
        if escalated and not note.strip():
            raise ValidationError(
                {"note": "Record why the decision maker decided despite the refused exemption."}
            )
    extension.decision = decision
    extension.decision_maker = decision_maker
    extension.decided_on = decided_on
    extension.key_decision = key_decision
    extension.decided_despite_refusal = decision == Decision.APPROVE and decided_despite_refusal
    extension.decision_note = note
    if decision == Decision.APPROVE:
        extension.status = ExtensionStatus.APPROVED
        extension.previous_end_date = contract.end_date
        extension.previous_total_value = contract.total_value
        contract.end_date = extension.new_end_date
        contract.total_value = (contract.total_value or Decimal(0)) + extension.added_value
        contract.status = ContractStatus.EXTENDED
        contract.save(update_fields=["end_date", "total_value", "status", "updated_at"])
        summary = (
            f"Extension approved by {decision_maker} on {decided_on:%d/%m/%Y}: end date "
            f"{extension.previous_end_date:%d/%m/%Y} → {contract.end_date:%d/%m/%Y}, value "
            f"+£{extension.added_value:,.2f}."
        )
        if extension.decided_despite_refusal:
            summary += " Decided despite the refused CPR exemption."
    else:
        extension.status = ExtensionStatus.REFUSED
        summary = f"Extension refused by {decision_maker} on {decided_on:%d/%m/%Y}."
    extension.save()
    _contract_event(contract=contract, actor=actor, kind="decision", summary=summary)
    return extension


def _cpr_exemption_refused(extension: Extension) -> bool:
    latest = extension_current_approvals(extension)
    return any(a.decision == Decision.REFUSE for a in latest.values())


# ----------------------------------------------------------------------------------------------
# Expiry reminders

REMINDER_MONTHS = (12, 6, 3)


def _reminder_threshold(*, end_date: date, today: date) -> int | None:
    """The nearest threshold (12, 6 or 3 months before `end_date`) reached by `today`, or None.

    A threshold is reached on the day exactly that many calendar months before the end, counted
    back from the end date (for an end on 31 March: 31 March, 30 September and 31 December the
    year before), and stays reached until the end date itself.
    """
    if today > end_date:
        return None
    reached = [m for m in REMINDER_MONTHS if end_date - relativedelta(months=m) <= today]
    return min(reached, default=None)


def contract_expiry_reminders_send(*, today: date) -> int:
    """Remind each contract manager at 12, 6 and 3 months before the end, once each.

    The reminder row is written first, under a unique key (contract, threshold, end date): a
    second run, or two workers at once, find it there and send nothing. The email is a
    notification written with it (shortbreaks.notifications), sent after commit and tried again
    by its own task if sending fails.
    """
    sent = 0
    # A month wider than the furthest threshold: counting back from an end on 29 February or a
    # 31st can reach a day that counting forward from today misses; the threshold decides.
    contracts = Contract.objects.filter(
        status__in=[ContractStatus.ACTIVE, ContractStatus.EXTENDED],
        end_date__gte=today,
        end_date__lte=today + relativedelta(months=max(REMINDER_MONTHS) + 1),
        contract_manager__isnull=False,
    ).select_related("contract_manager", "council")
    for contract in contracts:
        # Only the nearest threshold passed: a contract first seen 2 months out gets one
        # reminder (3 months), not three at once.
        months = _reminder_threshold(end_date=contract.end_date, today=today)
        if months is None:
            continue
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(
                    council=contract.council,
                    contract=contract,
                    months_before=months,
                    end_date=contract.end_date,
                    recipient=contract.contract_manager,
                )
                # The email is a notification: sent once this commits, tried again if it
                # fails, and left out if the manager turned contract emails off.
                notification_send(
                    council=contract.council,
                    kind=NotificationKind.CONTRACT_ENDING,
                    recipients=[contract.contract_manager],
                    params={
                        "reference": contract.reference,
                        "title": contract.title,
                        "end_date": f"{contract.end_date:%d/%m/%Y}",
                        "months": months,
                        "path": reverse("contracts:detail", args=[contract.pk]),
                    },
                )
        except IntegrityError:
            continue  # already reminded at this threshold for this end date
        sent += 1
    return sent


@transaction.atomic
def reminder_dismiss(*, actor, reminder: ExpiryReminder) -> None:
    from django.utils import timezone

    if reminder.recipient_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    reminder.dismissed_at = timezone.now()
    reminder.save(update_fields=["dismissed_at"])


# ----------------------------------------------------------------------------------------------
# Monitoring and spend

MONITORING_FIELDS = (
    "period",
    "sessions_delivered",
    "sessions_target",
    "hours_not_delivered",
    "reason_not_delivered",
    "provider_response",
    "sanction_considered",
    "sanction_outcome",
)


@transaction.atomic
def contract_document_add(
    *, actor, contract: Contract, upload, title: str, name: str = ""
) -> ContractDocument:
    """Keep a document with the contract (lead council only). The type is found from the
    bytes; the stored name is the server's own; the name the file came with is only shown."""
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    if not title.strip():
        raise ValidationError(
            {"title": "Enter what the document is, for example the signed contract."}
        )
    checked = check_upload(upload, name=name)
    document = ContractDocument(
        council=contract.council,
        contract=contract,
        title=title.strip()[:200],
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    save_with_file(document, checked)
    _contract_event(
        contract=contract, actor=actor, kind="document", summary=f"Document “{document}” added."
    )
    return document


@transaction.atomic
def monitoring_record_create(
    *, actor, contract: Contract, kind: str, held_on: date, summary: str, **fields
) -> MonitoringRecord:
    require_perm(actor, MANAGE)
    _require_lead(actor, contract)
    unknown = set(fields) - set(MONITORING_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    if kind not in MonitoringKind.values:
        raise ValidationError({"kind": "Choose a visit, a meeting or a KPI return."})
    record = MonitoringRecord(
        council=contract.council,
        contract=contract,
        kind=kind,
        held_on=held_on,
        summary=summary,
        recorded_by=actor,
        **fields,
    )
    record.full_clean()
    record.save()
    _contract_event(
        contract=contract,
        actor=actor,
        kind="monitoring",
        summary=f"{record.get_kind_display()} on {held_on:%d/%m/%Y} recorded.",
    )
    return record


@transaction.atomic
def spend_line_set(
    *,
    actor,
    financial_year: int,
    package_type: str,
    budget: Decimal | None,
    outturn: Decimal | None,
) -> SpendLine:
    require_perm(actor, "contracts.edit_spend")
    errors = {}
    if package_type not in PackageType.values:
        errors["package_type"] = "Choose the package type."
    if not 2000 <= financial_year <= 2100:
        errors["financial_year"] = "Enter the year the financial year starts, like 2024."
    for name, value in (("budget", budget), ("outturn", outturn)):
        if value is not None and value < 0:
            errors[name] = "Enter an amount of zero or more."
    if errors:
        raise ValidationError(errors)
    line, _ = SpendLine.objects.update_or_create(
        council=actor.active_council,
        financial_year=financial_year,
        package_type=package_type,
        defaults={"budget": budget, "outturn": outturn},
    )
    return line


@transaction.atomic
def contract_spend_set(
    *, actor, contract: Contract, financial_year: int, amount: Decimal
) -> ContractSpend:
    require_perm(actor, "contracts.edit_spend")
    _require_lead(actor, contract)
    if amount < 0:
        raise ValidationError({"amount": "Enter an amount of zero or more."})
    spend, _ = ContractSpend.objects.update_or_create(
        council=contract.council,
        contract=contract,
        financial_year=financial_year,
        defaults={"amount": amount},
    )
    return spend
