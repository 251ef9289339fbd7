"""Writes to the contracts register: contracts, their status, their manager and expiry reminders.

A contract's status changes are declared on `Contract` (shortbreaks.states); each service makes
one with `states.step`, which refuses with the declared reason (`TransitionNotAllowed`), then
saves it and writes an event for the timeline.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from contracts import events
from contracts.models import (
    DPS,
    Contract,
    ContractKind,
    ContractStatus,
    ExpiryReminder,
    Lot,
)
from contracts.services.participation import (
    MANAGE,
    invitations_describe,
    participants_set,
    require_lead,
)
from shortbreaks import states
from shortbreaks.councils.models import Council, Membership, Role
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send
from shortbreaks.permissions import require_perm
from shortbreaks.unique import save_unique

# ----------------------------------------------------------------------------------------------
# Contracts


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
    events.recorded(contract, actor=actor)
    participants_set(actor=actor, contract=contract, councils=participating_councils)
    return contract


@transaction.atomic
def contract_update(
    *, actor, contract: Contract, participating_councils: list[Council] | None = None, **fields
) -> Contract:
    """Change a contract's details. `participating_councils`, when given, is every council the
    lead names (never itself): a new one is invited, one left out has its invitation or its part
    withdrawn (see `participants_set`)."""
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
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
    events.details_changed(contract, actor=actor)
    if {"reference", "title"} & set(fields):
        invitations_describe(contract)
    if participating_councils is not None:
        participants_set(actor=actor, contract=contract, councils=participating_councils)
    return contract


@transaction.atomic
def contract_activate(*, actor, contract: Contract) -> Contract:
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    states.step(contract, "activate", actor)
    contract.save(update_fields=["status", "updated_at"])
    events.made_active(contract, actor=actor)
    return contract


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, on: date, reason: str) -> Contract:
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    states.step(contract, "terminate", actor)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for terminating the contract."})
    contract.save(update_fields=["status", "updated_at"])
    events.terminated(contract, actor=actor, on=on, reason=reason)
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
        states.step(contract, "expire", None)
        contract.save(update_fields=["status", "updated_at"])
        events.expired(contract)
        count += 1
    return count


@transaction.atomic
def contract_set_manager(*, actor, contract: Contract, manager) -> Contract:
    """Name the contract manager: an object grant on this one contract."""
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
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
    events.manager_set(contract, actor=actor, manager=manager)
    return contract


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
