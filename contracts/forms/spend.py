"""Forms for budget and outturn by financial year and package type, and a contract's yearly spend.

Financial years run April to March and are written as people write them ("2024/25"); the database
keeps the year they start (2024). The forms check the shape of the answers only; the services
refuse a negative amount or a year out of range.
"""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from contracts.models import PackageType

_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")
FINANCIAL_YEAR_HELP = "For example, 2024/25 (April 2024 to March 2025)"
FINANCIAL_YEAR_ERROR = "Enter the financial year like 2024/25"


def parse_financial_year(text: str) -> int:
    """The year a financial year starts: "2024/25", "2024-25" and "2024/2025" all give 2024."""
    match = _FINANCIAL_YEAR.match(text or "")
    if not match:
        raise ValidationError(FINANCIAL_YEAR_ERROR, code="invalid")
    start, end = int(match.group(1)), match.group(2)
    expected_end = start + 1
    if int(end) != (expected_end if len(end) == 4 else expected_end % 100):
        raise ValidationError(
            "The financial year must run from one April to the next March, like 2024/25",
            code="invalid",
        )
    return start


def financial_year_label(start: int) -> str:
    """2024 -> "2024/25"."""
    return f"{start}/{(start + 1) % 100:02d}"


class FinancialYearField(forms.CharField):
    """A financial year written "2024/25"; cleans to the year it starts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Financial year")
        kwargs.setdefault("help_text", FINANCIAL_YEAR_HELP)
        kwargs.setdefault("max_length", 9)
        kwargs.setdefault("error_messages", {"required": "Enter the financial year, like 2024/25"})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return financial_year_label(value) if isinstance(value, int) else value

    def clean(self, value):
        text = super().clean(value)
        return parse_financial_year(text) if text else None


class PoundsField(forms.DecimalField):
    """An amount in pounds; "£1,930,000" and "1930000.00" both work."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {what} in pounds",
                "invalid": f"Enter the {what} as an amount in pounds, like 1930000",
                "max_digits": f"The {what} must be less than £10,000,000,000",
                "max_whole_digits": f"The {what} must be less than £10,000,000,000",
                "max_decimal_places": f"Enter the {what} in pounds and pence, like 1930000.50",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)


def _helper(*fields, button: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class SpendLineForm(forms.Form):
    financial_year = FinancialYearField()
    package_type = forms.ChoiceField(
        label="Package type",
        choices=PackageType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the package type"},
    )
    budget = PoundsField(
        what="budget", label="Budget, in pounds (optional)", required=False, help_text=""
    )
    outturn = PoundsField(
        what="outturn",
        label="Outturn, in pounds (optional)",
        required=False,
        help_text="What was spent. Leave it empty until the year's figures are known.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("financial_year", field_width=Fixed.TEN),
            Field.radios("package_type", legend_size=Size.SMALL),
            Field.text("budget", field_width=Fixed.TEN),
            Field.text("outturn", field_width=Fixed.TEN),
        )


class ContractSpendForm(forms.Form):
    financial_year = FinancialYearField()
    amount = PoundsField(what="amount spent", label="Amount spent in the year, in pounds")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("financial_year", field_width=Fixed.TEN),
            Field.text("amount", field_width=Fixed.TEN),
        )
