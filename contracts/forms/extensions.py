"""Forms for requesting an extension by variation, recording approvals and the decision.

They check the shape of the answers only; whether the extension may be made, approved or decided
is the services' to say. Each form turns its answers into plain strings for the session (the
"check your answers" step) and back.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from contracts.models import ApprovalRole, Decision, LegalBasis
from shortbreaks.forms import GovDateField, SessionFormMixin


class PoundsField(forms.DecimalField):
    """An amount in pounds; "£420,000" and "420000.00" both work."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", "Continue"))
    return helper


class ExtensionRequestForm(SessionFormMixin, forms.Form):
    new_end_date = GovDateField(
        what="the new end date",
        label="New end date",
        help_text="For example, 31 3 2026",
    )
    added_value = PoundsField(
        label="Value the extension adds, in pounds",
        help_text="For example, 420000",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the value the extension adds, in pounds",
            "invalid": "Enter the added value as an amount in pounds, like 420000",
            "min_value": "The added value must be £0 or more",
            "max_digits": "The added value must be less than £10,000,000,000",
            "max_decimal_places": "Enter the added value in pounds and pence, like 420000.50",
            "max_whole_digits": "The added value must be less than £10,000,000,000",
        },
    )
    rationale = forms.CharField(
        label="Why should the contract be extended?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": "Enter why the contract should be extended"},
    )
    alternatives_considered = forms.CharField(
        label="Alternative options considered (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )
    risks = forms.CharField(
        label="Risks (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )
    legal_basis = forms.ChoiceField(
        label="Legal basis",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis for the extension"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("new_end_date", legend_size=Size.SMALL),
            Field.text("added_value", field_width=Fixed.TEN),
            Field.textarea("rationale"),
            Field.textarea("alternatives_considered"),
            Field.textarea("risks"),
            Field.radios("legal_basis", legend_size=Size.SMALL),
        )


class ApprovalForm(SessionFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="Whose approval is it?",
        choices=ApprovalRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose governance, finance, legal or procurement"},
    )
    name = forms.CharField(
        label="Name of the officer who decided",
        max_length=200,
        error_messages={"required": "Enter the name of the officer who decided"},
    )
    decision = forms.ChoiceField(
        label="What did they decide?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or refuse"},
    )
    decided_on = GovDateField(
        what="the date they decided",
        label="Date of their decision",
        help_text="For example, 4 3 2025",
    )
    comment = forms.CharField(
        label="Comment (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("role", legend_size=Size.SMALL),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field("decided_on", legend_size=Size.SMALL),
            Field.textarea("comment"),
        )


YES_NO = [("yes", "Yes"), ("no", "No")]


class DecisionForm(SessionFormMixin, forms.Form):
    yes_no = ("key_decision", "decided_despite_refusal")

    decision_maker = forms.CharField(
        label="Who made the decision?",
        help_text="For example, Cabinet member children and families, or Executive Management Team",
        max_length=200,
        error_messages={"required": "Enter who made the decision"},
    )
    decided_on = GovDateField(
        what="the decision date", label="Decision date", help_text="For example, 16 3 2022"
    )
    key_decision = forms.ChoiceField(
        label="Was it a key decision?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it was a key decision"},
    )
    decision = forms.ChoiceField(
        label="What was decided?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or refuse"},
    )
    decided_despite_refusal = forms.ChoiceField(
        label="Did the decision maker decide despite a refused CPR exemption?",
        help_text="Only where the exemption from the Contract Procedure Rules was refused and "
        "escalated to the decision maker.",
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they decided despite a refused exemption"},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="Needed when deciding despite a refused exemption: record why.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("decision_maker", field_width=Fluid.TWO_THIRDS),
            Field("decided_on", legend_size=Size.SMALL),
            Field.radios("key_decision", legend_size=Size.SMALL, inline=True),
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.radios("decided_despite_refusal", legend_size=Size.SMALL, inline=True),
            Field.textarea("note"),
        )
