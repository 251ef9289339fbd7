"""The public directory's filter form: read from the query string, never saved."""

from __future__ import annotations

from django import forms

from providers.models import Regulation4Category, When
from shortbreaks.councils.models import Tier

MAX_AGE = 25


class DirectoryFilterForm(forms.Form):
    """Every field is optional; a value that is not valid is reported, not used."""

    search = forms.CharField(label="Search", required=False, max_length=100, strip=True)
    age = forms.IntegerField(
        label="Child's age",
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        error_messages={
            "invalid": "Enter the child's age as a number, like 8",
            "min_value": "Age must be 0 or more",
            "max_value": f"Age must be {MAX_AGE} or less",
        },
    )
    tier = forms.ChoiceField(
        label="Tier",
        required=False,
        choices=[("", "Any tier"), *Tier.choices],
        error_messages={"invalid_choice": "Select a tier from the list"},
    )
    category = forms.ChoiceField(
        label="Type of short break",
        required=False,
        choices=[("", "Any type"), *Regulation4Category.choices],
        error_messages={"invalid_choice": "Select a type of short break from the list"},
    )
    area = forms.CharField(label="Area", required=False, max_length=100, strip=True)
    when = forms.ChoiceField(
        label="When",
        required=False,
        choices=[("", "Any time"), *When.choices],
        error_messages={"invalid_choice": "Select when from the list"},
    )

    def __init__(self, *args, **kwargs):
        # Plain ids ("age", not "id_age"), so the error summary links reach the fields.
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    # Field names in the order the page shows them, for the error summary's links.
    ORDER = ("search", "age", "tier", "category", "area", "when")

    def filters(self) -> dict:
        """The selector's keyword arguments from the values that are valid."""
        data = getattr(self, "cleaned_data", {}) or {}
        return {
            "search": data.get("search") or "",
            "tier": data.get("tier") or "",
            "category": data.get("category") or "",
            "age": data.get("age"),
            "area": data.get("area") or "",
            "when": data.get("when") or "",
        }

    def is_filtered(self) -> bool:
        return any(value not in ("", None) for value in self.filters().values())
