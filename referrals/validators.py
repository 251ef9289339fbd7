"""A child's postcode and unique pupil number, checked once.

The services (`referrals.services.children`) and every form that asks for them (staff's child
form, a parent's online application) clean them with these, so a value one accepts the other
accepts too, with the same words when it is refused.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from referrals.census_codes import validate_upn

# A UK postcode's shape: an outward code (area, district) and an inward code (sector, unit).
POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
POSTCODE_MESSAGE = "Enter a real postcode, like SY1 1AA"


def clean_postcode(value: str | None) -> str:
    """The postcode in capitals with one space before its inward code, or "" when none is given.
    Raises ValidationError when it does not have a postcode's shape."""
    postcode = " ".join((value or "").upper().split())
    if not postcode:
        return ""
    if not POSTCODE_SHAPE.match(postcode):
        raise ValidationError(POSTCODE_MESSAGE, code="invalid_postcode")
    if " " not in postcode:
        postcode = f"{postcode[:-3]} {postcode[-3:]}"
    return postcode


def clean_upn(value: str | None) -> str:
    """The unique pupil number in capitals, or "" when none is given. Raises ValidationError when
    it is not one: its shape, and for a permanent UPN its check letter (the DfE's rules)."""
    upn = (value or "").strip().upper()
    if upn:
        validate_upn(upn)
    return upn
