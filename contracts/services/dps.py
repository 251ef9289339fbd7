"""Writes to dynamic purchasing systems and the providers' memberships of them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts import events
from contracts.models import (
    CHECKS_DONE,
    DPS,
    MEMBERSHIP_STEPS,
    PRE_APPROVAL_CHECKS,
    DPSMembership,
    MembershipStatus,
)
from contracts.services.participation import MANAGE
from providers.models import Provider
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.unique import refuse_duplicates

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
    events.membership_applied(membership, actor=actor, on=on, reason=reason)
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
    """Make one of the membership's declared changes (`DPSMembership`: applied -> under
    assessment -> approved <-> suspended; exited from any), with its date and reason."""
    require_perm(actor, MANAGE)
    if action not in MEMBERSHIP_STEPS:
        raise ValidationError({"action": "Not a membership action."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason."})
    membership = DPSMembership.objects.select_for_update().get(pk=membership.pk)
    from_status = membership.status
    if states.refusal(membership, action) == CHECKS_DONE.reason:  # name the checks not done
        raise TransitionNotAllowed(
            f"{CHECKS_DONE.reason[:-1]}: {', '.join(membership.checks_missing)}."
        )
    states.step(membership, action, actor)
    if on < membership.status_date:
        raise ValidationError({"on": "The date cannot be before the last change."})
    membership.status_date = on
    membership.save(update_fields=["status", "status_date"])
    events.membership_changed(
        membership, actor=actor, step=action, from_status=from_status, on=on, reason=reason
    )
    return membership
