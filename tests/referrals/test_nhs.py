"""NHS numbers: the modulus 11 check digit, as a property of every number."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from referrals.nhs import is_valid_nhs_number, nhs_check_digit, validate_nhs_number

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@st.composite
def valid_numbers(draw) -> str:
    first_nine = draw(nine_digits)
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    return f"{first_nine}{check}"


@given(valid_numbers())
def test_a_number_with_its_computed_check_digit_is_valid(number):
    assert is_valid_nhs_number(number)
    validate_nhs_number(number)
    # As people write it, in groups of 3, 3 and 4.
    assert is_valid_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}")


@given(valid_numbers(), st.integers(min_value=0, max_value=9), st.integers(1, 9))
def test_any_single_digit_changed_fails(number, position, shift):
    digit = (int(number[position]) + shift) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert changed != number
    assert not is_valid_nhs_number(changed)
    with pytest.raises(ValidationError):
        validate_nhs_number(changed)


@given(nine_digits)
def test_nine_digits_have_one_valid_check_digit_or_none_when_it_would_be_10(first_nine):
    valid = [d for d in "0123456789" if is_valid_nhs_number(f"{first_nine}{d}")]
    check = nhs_check_digit(first_nine)
    assert valid == ([] if check is None else [str(check)])


@pytest.mark.parametrize(
    "value",
    ["943 476 5919", "9434765919", "943-476-5919", "4010232137"],
)
def test_known_good_numbers(value):
    assert is_valid_nhs_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",
        "943476591",
        "94347659190",
        "943476591X",
        "",
        "abcdefghij",
        "９４３４７６５９１９",
    ],
)
def test_bad_numbers(value):
    assert not is_valid_nhs_number(value)


def test_blank_is_left_to_the_field():
    # The number is optional: the validator passes a blank value and the field's `blank` rules.
    assert validate_nhs_number("") is None
    with pytest.raises(ValidationError):
        validate_nhs_number("9434765918")
