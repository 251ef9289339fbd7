"""Forms for the children in need census: the year of the return, closing a children in need
episode, and an assessment's factors. They check the shape of the answers; the services decide."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from referrals.census import CensusYear
from referrals.census_codes import AssessmentFactor, ClosureReason
from shortbreaks.forms import GovDateField


class CensusYearForm(forms.Form):
    """The year of the return, in the query string (it names no one)."""

    year = forms.ChoiceField(
        label="Census year",
        error_messages={"invalid_choice": "Choose a census year from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year.label, f"{year.label} (reference date {year.reference_date:%-d %B %Y})")
            for year in CensusYear.choices()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("year"),
            Button("submit", "Check this year", css_class="govuk-button--secondary"),
        )


class ReferralCloseForm(forms.Form):
    closed_on = GovDateField(
        what="the date the episode closed",
        label="Date the children in need episode closed",
        help_text="For example, 31 1 2026",
    )
    reason = forms.ChoiceField(
        label="Reason for closure",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for closure"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("closed_on", legend_size=Size.SMALL),
            Field.radios("reason", legend_size=Size.SMALL, small=True),
            Button("submit", "Close the episode"),
        )


class AssessmentFactorsForm(forms.Form):
    factors = forms.MultipleChoiceField(
        label="Factors identified at the assessment",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[Choice(code, label) for code, label in AssessmentFactor.choices],
        help_text="Select all that apply, as the children in need census records them. "
        "Choose 21 alone when no factors were identified.",
        error_messages={"invalid_choice": "Choose from the DfE assessment factor codes"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("factors", legend_size=Size.LARGE, legend_tag="h1", small=True),
            Button("submit", "Save the factors"),
        )
