"""Writes to referrals: receiving one, moving it through screening to an outcome, and closing the
children in need episode it began."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals import events
from referrals.census_codes import ClosureReason
from referrals.models import (
    Child,
    ChildTier,
    PrimaryNeed,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from referrals.services.children import child_tier_change
from referrals.services.common import MANAGE, _locked, _own, _require_text
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

REFERRAL_OUTCOMES = {
    ReferralStatus.ACCEPTED_FOR_ASSESSMENT,
    ReferralStatus.SIGNPOSTED_UNIVERSAL,
    ReferralStatus.REFERRED_TARGETED,
    ReferralStatus.NO_FURTHER_ACTION,
}


@transaction.atomic
def referral_create(
    *,
    actor,
    child: Child,
    received_on: date,
    source: str,
    primary_need: str,
    request: str,
    referrer: str = "",
    today: date | None = None,
) -> Referral:
    require_perm(actor, MANAGE)
    _own(actor, child)
    errors = {}
    if source not in ReferralSource.values:
        errors["source"] = "Choose where the referral came from."
    if primary_need not in PrimaryNeed.values:
        errors["primary_need"] = "Choose the primary need, N0 to N9."
    if not (request or "").strip():
        errors["request"] = "Enter what the referral asks for."
    if received_on and received_on > (today or timezone.localdate()):
        errors["received_on"] = "The date received cannot be in the future."
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        council=child.council,
        child=child,
        received_on=received_on,
        source=source,
        primary_need=primary_need,
        request=request,
        referrer=referrer,
        status=ReferralStatus.RECEIVED,
        status_date=received_on,
        created_by=actor,
    )
    events.referral_received(referral, actor=actor)
    return referral


@transaction.atomic
def referral_transition(
    *, actor, referral: Referral, status: str, on: date, reason: str = ""
) -> Referral:
    """received -> screening -> one outcome. An outcome needs its reason."""
    require_perm(actor, MANAGE)
    _own(actor, referral)
    if status not in ReferralStatus.values:
        raise ValidationError({"status": "Choose a referral status."})
    referral = _locked(Referral, referral)
    step = states.declared_steps(Referral).get(status)
    if step is None:
        raise TransitionNotAllowed("A referral is received once; it cannot be moved back.")
    from_status = referral.status
    states.step(referral, step, actor)
    errors = {}
    if status in REFERRAL_OUTCOMES:
        _require_text(errors, reason=reason)
    if on < referral.status_date:
        errors["on"] = "The date cannot be before the referral's last change."
    if errors:
        raise ValidationError(errors)
    events.referral_moved(
        referral, actor=actor, step=step, from_status=from_status, on=on, reason=reason
    )
    referral.status_date = on
    referral.save(update_fields=["status", "status_date"])
    if status == ReferralStatus.SIGNPOSTED_UNIVERSAL and referral.child.tier == ChildTier.NONE:
        child_tier_change(
            actor=actor,
            child=referral.child,
            to_tier=ChildTier.UNIVERSAL,
            on=on,
            reason=f"Referral signposted to universal services: {reason}",
        )
    return referral


@transaction.atomic
def referral_close(
    *, actor, referral: Referral, closed_on: date, reason: str, today: date | None = None
) -> Referral:
    """Close the children in need episode the referral began, on a date with its DfE reason
    (RC1 to RC9). The referral's own status is left as it was."""
    require_perm(actor, MANAGE)
    _own(actor, referral)
    referral = _locked(Referral, referral)
    if referral.closed_on is not None:
        raise TransitionNotAllowed(
            f"This children in need episode was closed on {referral.closed_on:%d/%m/%Y}."
        )
    errors = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Choose the reason for closure, RC1 to RC9."
    if closed_on is None:
        errors["closed_on"] = "Enter the date the episode closed."
    elif closed_on < referral.received_on:
        errors["closed_on"] = "The episode cannot close before the referral was received."
    elif closed_on > (today or timezone.localdate()):
        errors["closed_on"] = "The closure date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    referral.closed_on, referral.closure_reason = closed_on, reason
    referral.save(update_fields=["closed_on", "closure_reason"])
    events.referral_episode_closed(referral, actor=actor)
    return referral
