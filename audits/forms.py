"""Forms for audit reports, recommendations, their status, management action and evidence.

They check the shape of the answers only; `audits/services.py` says whether the change may be
made, and its refusals come back on the form (`add_service_error`) for the error summary.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from audits.models import AssuranceRating, EvidenceKind, Priority, RecommendationStatus
from shortbreaks.forms import GovDateField

TEXT = 10_000
NONE = ""


def _text(label: str, *, required: bool = True, what: str = "", help_text: str = "", rows=4):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {what or label.lower()}",
            "max_length": f"{(what or label).capitalize()} must be 10,000 characters or fewer",
        },
    )


def _line(label: str, *, max_length: int, required: bool = True, what: str = "", help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": f"Enter {what or label.lower()}",
            "max_length": f"{(what or label).capitalize()} must be {max_length} characters or "
            "fewer",
        },
    )


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


# ----------------------------------------------------------------------------------------------
# Reports


class ReportForm(forms.Form):
    title = _line("Title of the report", max_length=300, what="the title of the report")
    auditor = _line(
        "Who carried out the audit?",
        max_length=200,
        what="who carried out the audit",
        help_text="The audit body or person, for example Internal Audit",
    )
    period_start = GovDateField(
        label="Start of the period audited",
        what="the start of the period audited",
        help_text="For example, 1 4 2023",
    )
    period_end = GovDateField(
        label="End of the period audited",
        what="the end of the period audited",
        help_text="For example, 31 3 2024",
    )
    report_date = GovDateField(
        label="Date of the report", what="the date of the report", help_text="For example, 6 8 2024"
    )
    rating = forms.ChoiceField(
        label="Assurance rating",
        choices=AssuranceRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the assurance rating"},
    )
    follow_up_of = forms.ChoiceField(
        label="Does it follow up an earlier report? (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose one of the council's earlier reports"},
    )
    summary = _text("Summary (optional)", required=False, what="the summary")

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(r.pk): r for r in reports}
        self.fields["follow_up_of"].choices = [(NONE, "No, it is a new audit")] + [
            (pk, f"{r.title} ({r.report_date:%d/%m/%Y})") for pk, r in self.reports.items()
        ]
        self.helper = _helper(
            Field.text("title"),
            Field.text("auditor", field_width=Fluid.TWO_THIRDS),
            Field("period_start", legend_size=Size.SMALL),
            Field("period_end", legend_size=Size.SMALL),
            Field("report_date", legend_size=Size.SMALL),
            Field.radios("rating", legend_size=Size.SMALL),
            Field.select("follow_up_of"),
            Field.textarea("summary"),
            submit="Save the report",
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["follow_up_of"] = self.reports.get(data.get("follow_up_of") or "")
        return data


# ----------------------------------------------------------------------------------------------
# Recommendations


class OwnerMixin:
    def _set_owners(self, people) -> None:
        self.people = {str(p.pk): p for p in people}
        self.fields["owner"].choices = [(NONE, "Nobody named")] + [
            (pk, _person(p)) for pk, p in self.people.items()
        ]

    def chosen_owner(self):
        return self.people.get(self.cleaned_data.get("owner") or "")


def _owner_fields():
    return (
        _line(
            "Who owns the action? (optional)",
            max_length=200,
            required=False,
            what="the owner",
            help_text="Name and role, for example Commissioning Manager Start Well",
        ),
        forms.ChoiceField(
            label="The person who owns it, if they use this service (optional)",
            required=False,
            error_messages={"invalid_choice": "Choose someone who works for the council"},
        ),
    )


class RecommendationForm(OwnerMixin, forms.Form):
    reference = _line(
        "Number",
        max_length=20,
        what="the recommendation's number in the report",
        help_text="As the report numbers it, for example 1 or 2.3",
    )
    text = _text("Recommendation", what="the recommendation", rows=5)
    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the priority"},
    )
    management_action = _text(
        "Management action (optional)", required=False, what="the management action", rows=5
    )
    owner_name, owner = _owner_fields()
    review_date = GovDateField(
        label="Review date (optional)",
        what="the review date",
        required=False,
        require_all_fields=False,
        help_text="When the action is due to be reviewed, for example 9 6 2025",
    )
    review_note = _line(
        "About the review (optional)",
        max_length=300,
        required=False,
        what="what is said about the review",
        help_text="For example, ongoing oversight through monthly QPG meetings",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owners(people)
        self.helper = _helper(
            Field.text("reference", field_width=Fixed.FIVE),
            Field.textarea("text"),
            Field.radios("priority", legend_size=Size.SMALL),
            Field.textarea("management_action"),
            Field.text("owner_name"),
            Field.select("owner"),
            Field("review_date", legend_size=Size.SMALL),
            Field.text("review_note"),
            submit="Save the recommendation",
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = self.chosen_owner()
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose open, in progress or complete",
            "invalid_choice": "Choose open, in progress or complete",
        },
    )
    on = GovDateField(
        label="Date of the change", what="the date of the change", help_text="For example, 9 6 2025"
    )
    note = _text(
        "What was done or found",
        what="what was done or found",
        help_text="This is kept in the recommendation's history.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field("on", legend_size=Size.SMALL),
            Field.textarea("note"),
            submit="Change the status",
        )


class ActionForm(OwnerMixin, forms.Form):
    management_action = _text(
        "Management action", required=False, what="the management action", rows=6
    )
    owner_name, owner = _owner_fields()
    review_date = GovDateField(
        label="Review date (optional)",
        what="the review date",
        required=False,
        require_all_fields=False,
        help_text="Only auditors move the review date. For example, 9 6 2025",
    )
    review_note = RecommendationForm.base_fields["review_note"]
    note = _text("Why it changed (optional)", required=False, what="why it changed", rows=3)

    def __init__(self, *args, people=(), with_review: bool = False, **kwargs):
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        self._set_owners(people)
        self.with_review = with_review
        fields = [
            Field.textarea("management_action"),
            Field.text("owner_name"),
            Field.select("owner"),
        ]
        if with_review:
            fields += [Field("review_date", legend_size=Size.SMALL), Field.text("review_note")]
        else:
            del self.fields["review_date"], self.fields["review_note"]
        fields.append(Field.textarea("note"))
        self.helper = _helper(*fields, submit="Save the management action")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = self.chosen_owner()
        return data


# ----------------------------------------------------------------------------------------------
# Evidence


class EvidenceKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of record evidences it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of record evidences it",
            "invalid_choice": "Choose what kind of record evidences it",
        },
    )

    def __init__(self, *args, kinds=EvidenceKind.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.helper = _helper(Field.radios("kind", legend_size=Size.MEDIUM), submit="Continue")


class EvidenceRecordForm(forms.Form):
    record = forms.ChoiceField(
        label="Which record?",
        error_messages={"required": "Choose the record", "invalid_choice": "Choose the record"},
    )
    note = _line("What it shows (optional)", max_length=500, required=False, what="what it shows")

    def __init__(self, *args, records=(), record_label=str, kind_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].label = f"Which {kind_label.lower() or 'record'}?"
        self.fields["record"].choices = [(NONE, "Choose a record")] + [
            (str(r.pk), record_label(r)) for r in records
        ]
        self.helper = _helper(
            Field.select("record"), Field.text("note"), submit="Link the evidence"
        )
