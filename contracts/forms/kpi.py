"""Forms for KPI returns a provider submits: asking for one, submitting it, querying it.

They check the shape of the answers only; `contracts.services.kpi` says whether the step may be
taken.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from contracts.forms.monitoring import MAX_SESSIONS
from shortbreaks.forms import GovDateField


def _count(label: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_SESSIONS,
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a whole number, like 120",
            "min_value": f"The {what} must be 0 or more",
            "max_value": f"The {what} is too large",
        },
    )


class KPIReturnSubmitForm(forms.Form):
    sessions_delivered = _count("Sessions delivered in the period", "sessions delivered")
    sessions_target = _count("Sessions you were asked to deliver", "sessions target")
    hours_not_delivered = forms.DecimalField(
        label="Hours not delivered (optional)",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the hours not delivered as a number, like 12.5",
            "min_value": "The hours not delivered must be 0 or more",
            "max_digits": "The hours not delivered must be less than 10,000,000",
            "max_whole_digits": "The hours not delivered must be less than 10,000,000",
            "max_decimal_places": "Enter the hours not delivered to 2 decimal places at most",
        },
    )
    reason_not_delivered = forms.CharField(
        label="Why were those hours not delivered? (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label="How did the service go in the period?",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say how the service went in the period"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("sessions_delivered", field_width=Fixed.TEN, inputmode="numeric"),
            Field.text("sessions_target", field_width=Fixed.TEN, inputmode="numeric"),
            Field.text("hours_not_delivered", field_width=Fixed.TEN),
            Field.textarea("reason_not_delivered"),
            Field.textarea("summary"),
            Button("submit", "Submit KPI return"),
        )


class KPIReturnQueryForm(forms.Form):
    reason = forms.CharField(
        label="What does the provider need to check or explain?",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the provider needs to check or explain"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL),
            Button.secondary("submit", "Query the return"),
        )


class KPIReturnRequestForm(forms.Form):
    provider = forms.ChoiceField(
        label="Which provider?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose the provider"},
    )
    period = forms.CharField(
        label="Period the figures are for",
        help_text="For example, Quarter 2 2025/26",
        max_length=100,
        error_messages={
            "required": "Enter the period the figures are for",
            "max_length": "The period must be 100 characters or fewer",
        },
    )
    due_on = GovDateField(
        what="the date the return is due",
        label="When is it due?",
        help_text="For example, 31 1 2026",
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(str(p.pk), p.name) for p in providers]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("provider", legend_size=Size.SMALL),
            Field.text("period", field_width=Fluid.ONE_HALF),
            Field("due_on", legend_size=Size.SMALL),
            Button("submit", "Ask for the return"),
        )
