"""LongSelect renders the HTML Django's own select makes, byte for byte."""

from __future__ import annotations

import pytest
from django import forms

from shortbreaks.widgets import LongSelect

CHOICES = [
    ("", "Any provider"),
    (1, "O'Brien & Sons <Care>"),
    ("2", "Smyth Breaks"),
    ("Groups", [(3, 'Play "Time"'), (4, "Respite")]),
    # Only the first option of a value is selected; a group with no name is not a group.
    ("1", "One again"),
    ("", [(5, "Unnamed group's"), (None, "No value")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", 4, 5, "None", "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"class": "govuk-select", "aria-describedby": "a b"}, {"required": True}]
)
def test_it_renders_what_djangos_select_renders(value, attrs):
    expected = forms.Select(choices=CHOICES).render("provider", value, attrs=attrs)
    rendered = LongSelect(choices=CHOICES).render("provider", value, attrs=attrs)
    assert rendered == expected
    assert "O&#x27;Brien &amp; Sons &lt;Care&gt;" in rendered


def test_a_form_field_renders_the_same_with_it():
    class Plain(forms.Form):
        provider = forms.TypedChoiceField(choices=CHOICES, required=False, coerce=int)

    class Long(forms.Form):
        provider = forms.TypedChoiceField(
            choices=CHOICES, required=False, coerce=int, widget=LongSelect
        )

    data = {"provider": "3"}
    assert str(Long(data)["provider"]) == str(Plain(data)["provider"])
    assert 'value="3" selected' in str(Long(data)["provider"])
