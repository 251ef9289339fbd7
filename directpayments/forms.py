"""Forms for direct payments. They check the shape of the answers only; the services say
whether an amount, a date or a recovery is allowed."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from directpayments.models import PaymentMethod, PaymentPeriod, ReviewOutcome
from shortbreaks.forms import GovDateField


class PoundsField(forms.DecimalField):
    """An amount in pounds; "£1,200" and "1200.00" both work."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {what} in pounds",
                "invalid": f"Enter the {what} as an amount in pounds, like 120.50",
                "max_digits": f"The {what} must be less than £100,000,000",
                "max_whole_digits": f"The {what} must be less than £100,000,000",
                "max_decimal_places": f"Enter the {what} in pounds and pence, like 120.50",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class AgreementForm(forms.Form):
    recipient_name = forms.CharField(
        label="Who receives the payments",
        max_length=200,
        error_messages={"required": "Enter who receives the payments"},
    )
    recipient_relationship = forms.CharField(
        label="Their relationship to the child",
        help_text="For example, mother",
        max_length=100,
        error_messages={"required": "Enter their relationship to the child"},
    )
    purpose = forms.CharField(
        label="What the direct payment pays for",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the direct payment pays for"},
    )
    period = forms.ChoiceField(
        label="How often it is paid",
        choices=PaymentPeriod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often it is paid"},
    )
    start_on = GovDateField(what="the start date", label="Start date")
    end_on = GovDateField(what="the end date", label="End date")
    method = forms.ChoiceField(
        label="How the money is held",
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a managed account or a prepaid card"},
    )
    check_interval_months = forms.IntegerField(
        label="Check the account every how many months",
        min_value=1,
        max_value=24,
        initial=3,
        error_messages={
            "required": "Enter how often the account is checked, in months",
            "invalid": "Enter a whole number of months, like 3",
            "min_value": "Check the account every 1 to 24 months",
            "max_value": "Check the account every 1 to 24 months",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("recipient_name"),
            Field.text("recipient_relationship", field_width=Fixed.TWENTY),
            Field.textarea("purpose"),
            Field.radios("period", legend_size=Size.SMALL),
            Field("start_on", legend_size=Size.SMALL),
            Field("end_on", legend_size=Size.SMALL),
            Field.radios("method", legend_size=Size.SMALL),
            Field.text("check_interval_months", field_width=Fixed.TWO),
            button="Set up the direct payment",
        )


class PaymentForm(forms.Form):
    paid_on = GovDateField(what="the date it was paid", label="Date paid")
    amount = PoundsField(what="amount paid", label="Amount paid, in pounds")
    reference = forms.CharField(label="Finance reference (optional)", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("paid_on", legend_size=Size.SMALL),
            Field.text("amount", field_width=Fixed.TEN),
            Field.text("reference", field_width=Fixed.TWENTY),
            button="Record the payment",
        )


class RecoveryForm(forms.Form):
    recovered_on = GovDateField(what="the date it was recovered", label="Date recovered")
    amount = PoundsField(what="amount recovered", label="Amount recovered, in pounds")
    reason = forms.CharField(
        label="Why it is recovered",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the money is recovered"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("recovered_on", legend_size=Size.SMALL),
            Field.text("amount", field_width=Fixed.TEN),
            Field.textarea("reason"),
            button="Record the recovery",
        )


class ReviewForm(forms.Form):
    held_on = GovDateField(what="the date of the review", label="Date of the review")
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the review decided"},
    )
    notes = forms.CharField(
        label="Notes",
        help_text="Needed to end the direct payment.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("held_on", legend_size=Size.SMALL),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("notes"),
            button="Record the review",
        )
