"""A postcode and a unique pupil number are checked once (referrals.validators): the service and
the child's form accept and refuse the same values, with the same words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from referrals.forms.children import ChildForm
from referrals.services import children as child_services
from referrals.validators import POSTCODE_MESSAGE, clean_postcode, clean_upn
from tests.referrals.builders import build_world, make_child

# A permanent UPN whose first letter is its check letter, and the same with a wrong one.
GOOD_UPN = "H801200001001"
BAD_CHECK_LETTER = "A801200001001"


def test_a_postcode_is_put_in_capitals_with_one_space_before_its_inward_code():
    assert clean_postcode(" sy1   1aa ") == "SY1 1AA"
    assert clean_postcode("sy11aa") == "SY1 1AA"
    assert clean_postcode("") == "" and clean_postcode(None) == ""


@pytest.mark.parametrize("value", ["NOT A CODE", "SY1", "12345"])
def test_what_is_not_a_postcode_is_refused_with_one_message(value):
    with pytest.raises(ValidationError) as refused:
        clean_postcode(value)
    assert refused.value.messages == [POSTCODE_MESSAGE]


def test_a_upn_is_checked_for_its_shape_and_check_letter():
    assert clean_upn(GOOD_UPN.lower()) == GOOD_UPN
    assert clean_upn("  ") == ""
    for bad in ("123", BAD_CHECK_LETTER):
        with pytest.raises(ValidationError):
            clean_upn(bad)


def _form_errors(**data) -> dict[str, list[str]]:
    form = ChildForm(data={"first_name": "Ada", "last_name": "Jones", **data})
    form.is_valid()
    return {
        name: [message for error in errors for message in error.messages]
        for name, errors in form.errors.as_data().items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("postcode", "NOT A CODE"), ("upn", "123"), ("upn", BAD_CHECK_LETTER)],
)
def test_the_service_and_the_form_refuse_the_same_value_with_the_same_words(
    two_councils, field, value
):
    world = build_world(two_councils)
    child = make_child(world["alpha"]["sw"])
    with pytest.raises(ValidationError) as refused:
        child_services.child_update(actor=world["alpha"]["sw"], child=child, **{field: value})
    assert _form_errors(**{field: value})[field] == refused.value.message_dict[field]


@pytest.mark.django_db
def test_the_service_and_the_form_keep_the_same_cleaned_postcode(two_councils):
    world = build_world(two_councils)
    child = make_child(world["alpha"]["sw"])
    child = child_services.child_update(actor=world["alpha"]["sw"], child=child, postcode="sy11aa")
    form = ChildForm(data={"postcode": "sy11aa"})
    form.is_valid()
    assert child.postcode == form.cleaned_data["postcode"] == "SY1 1AA"
