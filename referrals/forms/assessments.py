"""Forms for the assessment's task list, returning an assessment, and the panel's decision.

They check the shape of the answers only; whether a step may be taken is the services' to say.
Each section form reads its answers from the assessment and hands them back as the service takes
them, so a page saves exactly the fields of its own section.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from referrals.models import REGULATION_3_QUESTIONS, Assessment, AssessmentOutcome, PanelOutcome
from shortbreaks.forms import GovDateField, SessionFormMixin

TEXT = 10_000
YES_NO = [("yes", "Yes"), ("no", "No")]
NOT_FROM_A_REFERRAL = "none"


def _helper(*fields, button: str = "Save and continue") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


# ----------------------------------------------------------------------------------------------
# Starting an assessment


class AssessmentStartForm(forms.Form):
    referral = forms.ChoiceField(
        label="Which referral is this assessment for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the referral, or that it is not from a referral"},
    )
    started_on = GovDateField(
        what="the date the assessment started",
        label="Date the assessment started",
        help_text="For example, 13 1 2025",
    )

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = {str(r.pk): r for r in referrals}
        self.fields["referral"].choices = [
            (pk, f"Referral received {r.received_on.day} {r.received_on:%B %Y}: {r.request[:80]}")
            for pk, r in self.referrals.items()
        ] + [(NOT_FROM_A_REFERRAL, "It is not from a referral")]
        self.helper = _helper(
            Field.radios("referral", legend_size=Size.SMALL),
            Field("started_on", legend_size=Size.SMALL),
            button="Start the assessment",
        )

    def values(self) -> dict:
        """The answers as `assessment_start` takes them."""
        return {
            "referral": self.referrals.get(self.cleaned_data["referral"]),
            "started_on": self.cleaned_data["started_on"],
        }


# ----------------------------------------------------------------------------------------------
# The sections of the task list


class SectionForm(forms.Form):
    """One section of the assessment: its fields, read from and saved to the assessment."""

    @classmethod
    def initial_for(cls, assessment: Assessment) -> dict:
        initial = {}
        for name in cls.base_fields:
            value = getattr(assessment, name)
            initial[name] = _yes_no(value) if name in REGULATION_3_QUESTIONS else value
        return initial

    def values(self) -> dict:
        """The answers as `assessment_update` takes them."""
        out = {}
        for name, value in self.cleaned_data.items():
            if name in REGULATION_3_QUESTIONS:
                out[name] = {"yes": True, "no": False}.get(value)
            else:
                out[name] = value
        return out


class ChildNeedsForm(SectionForm):
    child_needs = forms.CharField(
        label="The child's needs",
        help_text="What the child needs, day and night: care, communication, health, behaviour, "
        "and what they enjoy.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=TEXT,
        error_messages={"required": "Enter the child's needs"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("child_needs", label_size=Size.LARGE, label_tag="h1"))


class CarerNeedsForm(SectionForm):
    carer_needs = forms.CharField(
        label="The carer's needs",
        help_text="What caring asks of the parent carers, and what they need themselves.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=TEXT,
        error_messages={"required": "Enter the carer's needs"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("carer_needs", label_size=Size.LARGE, label_tag="h1"))


def _question(name: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=REGULATION_3_QUESTIONS[name], choices=YES_NO, widget=forms.RadioSelect, required=False
    )


class Regulation3Form(SectionForm):
    """The Breaks for Carers of Disabled Children Regulations 2011, regulation 3. A question left
    unanswered keeps the section in progress."""

    carer_could_continue_without_breaks = _question("carer_could_continue_without_breaks")
    breaks_enable_work = _question("breaks_enable_work")
    breaks_enable_study = _question("breaks_enable_study")
    breaks_enable_other_children = _question("breaks_enable_other_children")
    breaks_enable_household = _question("breaks_enable_household")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            *(Field.radios(name, legend_size=Size.SMALL, inline=True) for name in self.fields)
        )


class OutcomeForm(SectionForm):
    outcome = forms.ChoiceField(
        label="What did the assessment find?",
        choices=AssessmentOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommended_support = forms.CharField(
        label="Recommended support",
        help_text="The short breaks recommended, how often, and at what ratio.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("recommended_support", label_size=Size.SMALL),
        )


# ----------------------------------------------------------------------------------------------
# Returning an assessment for changes


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        help_text="The social worker sees this on the assessment.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT,
        error_messages={"required": "Enter what needs to change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), button="Return for changes")


# ----------------------------------------------------------------------------------------------
# The resource panel's decision


class PanelDecisionForm(SessionFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="What did the panel decide?",
        choices=PanelOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approved, declined or deferred"},
    )
    reasons = forms.CharField(
        label="The panel's reasons",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT,
        error_messages={"required": "Enter the panel's reasons"},
    )
    decided_on = GovDateField(
        what="the date of the panel", label="Date of the panel", help_text="For example, 20 2 2025"
    )
    members = forms.CharField(
        label="Members of the panel",
        help_text="One name and role a line, for example: Head of Service",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT,
        error_messages={"required": "Enter the members of the panel"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("reasons"),
            Field("decided_on", legend_size=Size.SMALL),
            Field.textarea("members", rows=5),
            button="Continue",
        )

    @staticmethod
    def member_names(members: str) -> list[str]:
        return [line.strip() for line in (members or "").splitlines() if line.strip()]
