"""Writes to a child's carers: adding and correcting them, and linking a carer to (or unlinking
it from) a parent's online account."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals import events
from referrals.models import Carer, Child, ParentAccount
from referrals.services.common import MANAGE, _locked, _own
from referrals.services.parents import _email
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm


@transaction.atomic
def carer_add(
    *, actor, child: Child, name: str, relationship: str, contact: str = "", own_needs: str = ""
) -> Carer:
    require_perm(actor, MANAGE)
    _own(actor, child)
    carer = Carer(
        council=child.council,
        child=child,
        name=name.strip(),
        relationship=relationship.strip(),
        contact=contact,
        own_needs=own_needs,
    )
    carer.full_clean()
    carer.save()
    return carer


@transaction.atomic
def carer_update(*, actor, carer: Carer, **fields) -> Carer:
    require_perm(actor, MANAGE)
    _own(actor, carer)
    unknown = set(fields) - {"name", "relationship", "contact", "own_needs"}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(carer, name, value)
    carer.full_clean()
    carer.save()
    return carer


@transaction.atomic
def carer_account_link(*, actor, carer: Carer, email: str, on: date | None = None) -> Carer:
    """Link a carer to a parent account of the same council, found by its email address, so the
    parent sees the child's applications and package. An account of another council is answered
    exactly as one that does not exist."""
    require_perm(actor, MANAGE)
    _own(actor, carer)
    carer = _locked(Carer, carer)
    if carer.account_id is not None:
        raise TransitionNotAllowed(
            "This carer is already linked to a parent account. Unlink it first."
        )
    email = _email(email)
    if not email:
        raise ValidationError({"email": "Enter the email address of the parent's account."})
    account = (
        ParentAccount.objects.filter(council_id=carer.council_id, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if account is None or not account.user.is_active:
        raise ValidationError({"email": "No parent account of the council has this email address."})
    if Carer.objects.filter(child_id=carer.child_id, account=account.user).exists():
        raise ValidationError({"email": "This account is already linked to a carer of the child."})
    carer.account = account.user
    carer.save(update_fields=["account"])
    events.carer_account_linked(
        carer, email=account.user.email, on=on or timezone.localdate(), actor=actor
    )
    return carer


@transaction.atomic
def carer_account_unlink(*, actor, carer: Carer, on: date | None = None) -> Carer:
    """Unlink a carer from their parent account: the parent no longer sees this child."""
    require_perm(actor, MANAGE)
    _own(actor, carer)
    carer = _locked(Carer, carer)
    if carer.account_id is None:
        raise TransitionNotAllowed("This carer is not linked to a parent account.")
    email = carer.account.email
    carer.account = None
    carer.save(update_fields=["account"])
    events.carer_account_unlinked(carer, email=email, on=on or timezone.localdate(), actor=actor)
    return carer
