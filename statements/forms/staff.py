"""Forms for the council's staff pages on the statement: one section a page.

They check the shape of the answers only; whether the statement may be changed is the services'
to say. `SECTIONS` names each written section, its page title and its fields.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms

from providers.models import Regulation4Category
from shortbreaks.forms import GovDateField


def _text(label: str, *, help_text: str = "", rows: int = 6, max_length: int = 20000):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SectionForm(forms.Form):
    submit_label = "Save and return to the check"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))

    def values(self) -> dict:
        return dict(self.cleaned_data)


class IntroductionForm(SectionForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title"},
    )
    introduction = _text(
        "Introduction", help_text="What short breaks are for, in the council's own words."
    )


class EligibilityForm(SectionForm):
    universal_eligibility = _text(
        "Universal short breaks (tier 1)", help_text="Usually: open to all, no assessment."
    )
    targeted_eligibility = _text(
        "Targeted short breaks (tier 2)",
        help_text="Who can get targeted short breaks without a social care assessment. You may "
        "leave this empty if the short break grant scheme's criteria say it.",
    )
    specialist_eligibility = _text(
        "Specialist short breaks (tier 3)",
        help_text="Who gets specialist short breaks after a social care assessment.",
    )


class MeetingNeedsForm(SectionForm):
    meeting_needs = _text(
        "How the range of services is designed to meet carers' needs",
        help_text="Regulation 5(1)(c): how the breaks help carers to care, to work or study, "
        "to look after their other children and to run their household.",
        rows=10,
    )


class CategoriesForm(SectionForm):
    """One explanation a Regulation 4 category: needed only for a category with no service."""

    def __init__(self, *args, missing: list[str] | None = None, **kwargs):
        self.base_fields = {
            category: _text(
                label,
                help_text="No service offers this now: explain why, and what families can do."
                if missing is not None and category in missing
                else "A service offers this now; an explanation is optional.",
                rows=3,
                max_length=5000,
            )
            for category, label in Regulation4Category.choices
        }
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        return {"category_explanations": {k: v for k, v in self.cleaned_data.items() if v}}


class HowToApplyForm(SectionForm):
    how_to_apply = _text("How to apply for short breaks")


class ViewsAndComplaintsForm(SectionForm):
    views_and_complaints = _text("How to give views on short breaks or complain")


class ChangesForm(SectionForm):
    changes_since_last = _text("What has changed since the last statement")


class ViewsSummaryForm(SectionForm):
    views_summary = _text(
        "Summary of carers' views and the council's response",
        help_text="Regulation 5(4): what parent carers said about the last statement or in the "
        "consultation, and what the council did about it.",
        rows=10,
    )


class LeadOfficerForm(SectionForm):
    lead_officer_name = forms.CharField(label="Lead officer's name", required=False, max_length=200)
    lead_officer_contact = forms.CharField(
        label="How to contact them",
        help_text="An email address or telephone number for questions about short breaks.",
        required=False,
        max_length=300,
    )


# key -> (page title, form class). The keys are the `section` each compliance check names.
SECTIONS: dict[str, tuple[str, type[SectionForm]]] = {
    "introduction": ("Title and introduction", IntroductionForm),
    "eligibility": ("Eligibility criteria", EligibilityForm),
    "meeting_needs": ("How the range meets carers' needs", MeetingNeedsForm),
    "categories": ("Kinds of short break with no service", CategoriesForm),
    "how_to_apply": ("How to apply", HowToApplyForm),
    "views_and_complaints": ("Giving views and complaints", ViewsAndComplaintsForm),
    "changes_since_last": ("Changes since the last statement", ChangesForm),
    "views_summary": ("Carers' views and the council's response", ViewsSummaryForm),
    "lead_officer": ("Lead officer", LeadOfficerForm),
}


class DateForm(SectionForm):
    def __init__(self, *args, field: str, what: str, label: str, button: str, **kwargs):
        self.base_fields = {
            field: GovDateField(what=what, label=label, help_text="For example, 31 3 2026")
        }
        self.submit_label = button
        super().__init__(*args, **kwargs)


def consultation_form(*args, **kwargs) -> DateForm:
    return DateForm(
        *args,
        field="closes_on",
        what="the closing date",
        label="When does the consultation close?",
        button="Start the consultation",
        **kwargs,
    )


def review_form(*args, **kwargs) -> DateForm:
    return DateForm(
        *args,
        field="review_on",
        what="the review date",
        label="Review date",
        button="Save the review date",
        **kwargs,
    )


class FeedbackSummaryForm(SectionForm):
    submit_label = "Save to the draft"
    views_summary = forms.CharField(
        label="Summary of carers' views and the council's response",
        help_text="This is saved into the open draft, where carers will read it once published.",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the summary of carers' views"},
    )
