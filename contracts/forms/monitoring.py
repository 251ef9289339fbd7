"""The form for recording a quality assurance visit, a performance meeting or a KPI return.

It checks the shape of the answers only (numbers are whole and not negative, dates are real);
`monitoring_record_create` says whether the record may be made.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms

from contracts.models import MonitoringKind
from shortbreaks.forms import GovDateField

MAX_SESSIONS = 2_147_483_647  # the largest whole number the column holds


class HeldOnField(GovDateField):
    """The day the visit, meeting or return took place."""

    def __init__(self, **kwargs):
        super().__init__(what="the date it took place", **kwargs)


def _count(label: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_SESSIONS,
        error_messages={
            "invalid": f"Enter the {what} as a whole number, like 455",
            "min_value": f"The {what} must be 0 or more",
            "max_value": f"The {what} is too large",
        },
    )


def _text(label: str, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MonitoringRecordForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of monitoring was it?",
        choices=MonitoringKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a visit, a meeting or a KPI return"},
    )
    held_on = HeldOnField(label="When did it take place?", help_text="For example, 14 10 2024")
    period = forms.CharField(
        label="Period covered (optional)",
        help_text="For example, Quarter 2 2024/25",
        required=False,
        max_length=100,
        error_messages={"max_length": "The period must be 100 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What was looked at and what was found.",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a summary of what was found"},
    )
    sessions_delivered = _count("Sessions delivered (optional)", "sessions delivered")
    sessions_target = _count("Sessions target (optional)", "sessions target")
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
    reason_not_delivered = _text("Why were those hours not delivered? (optional)")
    provider_response = _text("The provider's response (optional)")
    sanction_considered = _text(
        "Sanction considered (optional)", help_text="For example, withholding payment"
    )
    sanction_outcome = _text(
        "Outcome of the sanction (optional)", help_text="For example, considered and set aside"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("held_on", legend_size=Size.SMALL),
            Field.text("period", field_width=Fluid.ONE_HALF),
            Field.textarea("summary"),
            Fieldset(
                Field.text("sessions_delivered", field_width=Fixed.TEN),
                Field.text("sessions_target", field_width=Fixed.TEN),
                Field.text("hours_not_delivered", field_width=Fixed.TEN),
                Field.textarea("reason_not_delivered"),
                legend="Delivery",
                legend_tag="h2",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("provider_response"),
                Field.textarea("sanction_considered"),
                Field.textarea("sanction_outcome"),
                legend="Response and sanctions",
                legend_tag="h2",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save monitoring record"),
        )
