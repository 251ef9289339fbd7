"""The review form. It checks the shape of the answers, and what a reduction or cessation needs
from them (asking the service's own rule, before the check page); whether a review may be
recorded is `review_record`'s to say.

Answers go through the session as plain strings (the "check your answers" step) and back.
"""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from referrals.models import Assessment, PackageLine, ReviewOutcome
from referrals.services.reviews import review_reduction_errors
from shortbreaks.forms import GovDateField


def assessment_label(assessment: Assessment) -> str:
    found = assessment.get_outcome_display() or "No outcome recorded"
    on = assessment.authorised_on or assessment.completed_on or assessment.started_on
    return f"Assessment authorised {on.day} {on:%B %Y}: {found}"


def line_label(line: PackageLine) -> str:
    amount = (
        f"{line.hours_per_week.normalize():f} hours a week"
        if line.hours_per_week is not None
        else f"{line.nights_per_year} nights a year"
    )
    return f"{line.service.title} from {line.provider.name}, {amount} at {line.ratio}"


class ReviewForm(forms.Form):
    held_on = GovDateField(label="Date of the review", what="the date of the review")
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose continue, increase, reduce or cease"},
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="Needed to reduce or stop support. The family reads these in the letter.",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    family_views = forms.CharField(
        label="The family's views",
        help_text="Needed to reduce or stop support.",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    family_told_on = GovDateField(
        label="Date the family was told of the decision",
        what="the date the family was told",
        required=False,
    )
    reassessment = forms.ChoiceField(
        label="Reassessment",
        help_text="Support is reduced or stopped only after an authorised reassessment.",
        required=False,
        widget=forms.RadioSelect,
    )
    end_lines = forms.MultipleChoiceField(
        label="Which services stop?",
        help_text="Only for a reduction. Leave all unticked to change nothing now.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lines_end_on = GovDateField(
        label="Date those services stop", what="the date the services stop", required=False
    )

    def __init__(self, *args, reassessments=(), lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassessment"].choices = [("", "No reassessment")] + [
            (str(a.pk), assessment_label(a)) for a in reassessments
        ]
        self.fields["end_lines"].choices = [(str(x.pk), line_label(x)) for x in lines]
        layout = [
            Field("held_on", legend_size=Size.SMALL),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("reasons"),
            Field.textarea("family_views"),
            Field("family_told_on", legend_size=Size.SMALL),
            Field.radios("reassessment", legend_size=Size.MEDIUM),
        ]
        if lines:
            layout.append(
                Fieldset(
                    Field.checkboxes("end_lines", legend_size=Size.SMALL),
                    Field("lines_end_on", legend_size=Size.SMALL),
                    legend="Services that stop",
                    legend_size=Size.MEDIUM,
                )
            )
        else:
            del self.fields["end_lines"], self.fields["lines_end_on"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, Button("submit", "Continue"))

    def clean(self):
        """A reduction or cessation needs its reasons, the family's views, the date they were
        told and a reassessment: asked here, so the check page never shows "None given"."""
        data = super().clean()
        if "outcome" in data:
            errors = review_reduction_errors(
                outcome=data["outcome"],
                held_on=data.get("held_on"),
                reasons=data.get("reasons", ""),
                family_views=data.get("family_views", ""),
                family_told_on=data.get("family_told_on"),
                has_reassessment=bool(data.get("reassessment")),
            )
            for name, message in errors.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    def answers(self) -> dict:
        """The cleaned answers as strings and lists of strings, for the session."""
        out: dict = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                out[name] = value.isoformat()
            elif isinstance(value, list):
                out[name] = [str(v) for v in value]
            else:
                out[name] = "" if value is None else str(value)
        return out

    @classmethod
    def data_from(cls, answers: dict) -> dict:
        """The answers as posted data, to show the form again with the service's errors: a date
        in its day, month and year boxes."""
        data: dict = {}
        for name, value in answers.items():
            if value in ("", None):
                continue
            if isinstance(cls.base_fields.get(name), GovDateField):
                day = date.fromisoformat(value)
                data.update(
                    {
                        f"{name}_0": str(day.day),
                        f"{name}_1": str(day.month),
                        f"{name}_2": str(day.year),
                    }
                )
            else:
                data[name] = value
        return data


def values_from(answers: dict) -> dict:
    """The answers as Python values: dates parsed, ids as integers or None."""

    def day(name: str) -> date | None:
        raw = answers.get(name) or ""
        return date.fromisoformat(raw) if raw else None

    return {
        "held_on": day("held_on"),
        "outcome": answers.get("outcome", ""),
        "reasons": answers.get("reasons", ""),
        "family_views": answers.get("family_views", ""),
        "family_told_on": day("family_told_on"),
        "reassessment_id": int(answers["reassessment"]) if answers.get("reassessment") else None,
        "end_line_ids": [int(x) for x in answers.get("end_lines", [])],
        "lines_end_on": day("lines_end_on"),
    }
