"""NHS numbers: ten digits, the last a modulus 11 check digit over the first nine."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s-]")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the remainder makes the number unusable.

    Each digit is weighted 10 down to 2; the check digit is 11 minus the remainder of the sum
    divided by 11, with 11 meaning 0 and 10 meaning no valid number.
    """
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Spaces and hyphens as people type them ("943 476 5919") removed."""
    return _SEPARATORS.sub("", value or "")


def is_valid_nhs_number(value: str) -> bool:
    number = normalise_nhs_number(value)
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    check = nhs_check_digit(number[:9])
    return check is not None and check == int(number[9])


def validate_nhs_number(value: str) -> None:
    """Model and form validator: an empty value is left to `blank`."""
    if value and not is_valid_nhs_number(value):
        raise ValidationError(
            "Enter a valid NHS number: 10 digits, like 943 476 5919.", code="invalid_nhs_number"
        )
