"""Writes to children: recording a child, correcting the record and moving the child between tiers.

A child's tier changes only through `child_tier_change`, which other services call (a grant
award, an authorised assessment, a ceased package, a referral signposted to universal services)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals.census_codes import (
    CHILD_ID_SHAPE,
    Ethnicity,
    Sex,
    UPNUnknown,
    census_child_id,
)
from referrals.models import Child, ChildTier, Disability, TierChange
from referrals.nhs import normalise_nhs_number
from referrals.services.common import MANAGE, _locked, _own
from referrals.validators import clean_postcode, clean_upn
from shortbreaks.councils.models import Membership, Role
from shortbreaks.permissions import require_perm
from shortbreaks.unique import save_unique


@transaction.atomic
def child_tier_change(
    *, actor, child: Child, to_tier: str, on: date, reason: str
) -> TierChange | None:
    """Move a child to another tier, with the dated reason. Nothing happens if already there.

    Called by the services that decide a tier, never from a form.
    """
    _own(actor, child)
    if to_tier not in ChildTier.values:
        raise ValidationError({"to_tier": "Choose a tier."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the change of tier."})
    child = _locked(Child, child)
    if child.tier == to_tier:
        return None
    change = TierChange.objects.create(
        council=child.council,
        child=child,
        from_tier=child.tier,
        to_tier=to_tier,
        on=on,
        reason=reason,
        decided_by=actor,
    )
    child.tier = to_tier
    child.save(update_fields=["tier", "updated_at"])
    return change


# ----------------------------------------------------------------------------------------------
# Children and carers

CENSUS_CHILD_FIELDS = (
    "former_upn",
    "upn_unknown_reason",
    "expected_date_of_birth",
    "sex",
    "ethnicity",
    "date_of_death",
)
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "council_child_id",
    "nhs_number",
    "upn",
    "address",
    "postcode",
    "disabilities",
    "communication_needs",
    "school",
    *CENSUS_CHILD_FIELDS,
)


def _clean_child_fields(fields: dict) -> dict:
    unknown = set(fields) - set(CHILD_FIELDS) - {"keyworker"}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    errors = {}
    for name in ("first_name", "last_name", "council_child_id", "school"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "nhs_number" in cleaned:
        cleaned["nhs_number"] = normalise_nhs_number(cleaned["nhs_number"])
    for name, clean in (
        ("postcode", clean_postcode),
        ("upn", clean_upn),
        ("former_upn", clean_upn),
    ):
        if name in cleaned:
            try:
                cleaned[name] = clean(cleaned[name])
            except ValidationError as error:
                errors[name] = error.messages[0]
    _clean_census_fields(cleaned, errors)
    if "disabilities" in cleaned:
        codes = list(dict.fromkeys(cleaned["disabilities"] or []))
        if not isinstance(cleaned["disabilities"], list | tuple) or any(
            code not in Disability.values for code in codes
        ):
            errors["disabilities"] = "Choose from the DfE disability codes."
        cleaned["disabilities"] = codes
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_census_fields(cleaned: dict, errors: dict) -> None:
    """The children in need census items: codes from their DfE lists, a child id the census can
    carry, and dates that can be true (UPNs, with their check letter, are cleaned above)."""
    child_id = cleaned.get("council_child_id")
    if child_id and (
        not all(ch.isalnum() or ch == "-" for ch in child_id)
        or not CHILD_ID_SHAPE.match(census_child_id(child_id))
    ):
        errors["council_child_id"] = (
            "Enter a child id of letters and digits (hyphens allowed), at most 20 letters "
            "and digits: the children in need census carries it."
        )
    codes = {
        "sex": (Sex, "Choose the child's sex: male, female or not known."),
        "ethnicity": (Ethnicity, "Choose the child's ethnicity from the DfE codes."),
        "upn_unknown_reason": (UPNUnknown, "Choose why there is no UPN, UN1 to UN7."),
    }
    for name, (choices, message) in codes.items():
        if name in cleaned:
            cleaned[name] = cleaned[name] or ""
            if cleaned[name] and cleaned[name] not in choices.values:
                errors[name] = message
    born, died = cleaned.get("date_of_birth"), cleaned.get("date_of_death")
    if born and died and died < born:
        errors["date_of_death"] = "The date of death cannot be before the date of birth."
    if died and died > timezone.localdate():
        errors["date_of_death"] = "The date of death cannot be in the future."


def _check_keyworker(child: Child, keyworker) -> None:
    if keyworker is None:
        return
    if not Membership.objects.filter(
        user=keyworker,
        council_id=child.council_id,
        role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
    ).exists():
        raise ValidationError({"keyworker": "Choose one of the council's social workers."})


NHS_NUMBER_TAKEN = {"nhs_number": "A child with this NHS number is already recorded."}
CHILD_ID_TAKEN = {"council_child_id": "A child with this id is already recorded."}
# The same refusals when a request at the same moment took the value after the check.
CHILD_REFUSALS = {
    "child_unique_nhs_number": NHS_NUMBER_TAKEN,
    "child_unique_council_id": CHILD_ID_TAKEN,
}


def _check_unique(child: Child) -> None:
    others = Child.objects.filter(council_id=child.council_id).exclude(pk=child.pk)
    errors = {}
    if child.nhs_number and others.filter(nhs_number=child.nhs_number).exists():
        errors.update(NHS_NUMBER_TAKEN)
    if child.council_child_id and others.filter(council_child_id=child.council_child_id).exists():
        errors.update(CHILD_ID_TAKEN)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def child_create(*, actor, keyworker=None, today: date | None = None, **fields) -> Child:
    """Record a child in the actor's council, at no tier until a service places them."""
    require_perm(actor, MANAGE)
    cleaned = _clean_child_fields(fields)
    child = Child(council=actor.active_council, keyworker=keyworker, **cleaned)
    if child.date_of_birth and child.date_of_birth > (today or timezone.localdate()):
        raise ValidationError({"date_of_birth": "The date of birth must be in the past."})
    _check_keyworker(child, keyworker)
    _check_unique(child)
    child.full_clean(exclude=["council_child_id"] if not child.council_child_id else [])
    save_unique(child, CHILD_REFUSALS)
    if not child.council_child_id:
        child.council_child_id = f"CH{child.pk:07d}"
        child.save(update_fields=["council_child_id"])
    return child


@transaction.atomic
def child_update(*, actor, child: Child, **fields) -> Child:
    """Change a child's details. The tier is not among them: only services move it."""
    require_perm(actor, MANAGE)
    _own(actor, child)
    if "tier" in fields:
        raise TypeError("A child's tier changes only through child_tier_change.")
    cleaned = _clean_child_fields(fields)
    if "council_child_id" in cleaned and not cleaned["council_child_id"]:
        raise ValidationError({"council_child_id": "Enter the council's child id."})
    child = _locked(Child, child)
    for name, value in cleaned.items():
        setattr(child, name, value)
    if "keyworker" in cleaned:
        _check_keyworker(child, cleaned["keyworker"])
    _check_unique(child)
    child.full_clean()
    save_unique(child, CHILD_REFUSALS)
    return child
