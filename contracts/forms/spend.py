"""Forms for budget and outturn by financial year and package type, and a contract's yearly spend.

Financial years run April to March and are written as people write them ("2024/25"); the database
keeps the year they start (2024). The forms check the shape of the answers only; the services
refuse a negative amount or a year out of range.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from contracts.models import PackageType
from shortbreaks.forms import FinancialYearField, PoundsField


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
