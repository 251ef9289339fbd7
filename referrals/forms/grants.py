"""Forms for targeted grants and allowances: a scheme, an application, a decision, a payment.

They check the shape of the answers only; whether an application may be made, decided or paid is
the services' to say. The application and decision forms go through "check your answers", so
their answers make a round trip through the session as plain strings.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from referrals.models import (
    GrantApplication,
    GrantScheme,
    GrantStatus,
    PaymentStatus,
)
from shortbreaks import states
from shortbreaks.filter_forms import FilterForm
from shortbreaks.forms import FinancialYearField, GovDateField, PoundsField, SessionFormMixin

TEXT = 10_000
YES_NO = [("yes", "Yes"), ("no", "No")]

# The questions every targeted scheme asks the family. The application keeps each answer under
# the question's own words, so the record reads the same if the wording here changes later.
QUESTIONS: dict[str, str] = {
    "lives_in_area": "Does the child live in the council's area?",
    "needs": "What is the child's disability or additional need?",
    "other_support": "What other short breaks or support does the family get?",
    "use_of_grant": "What would the family use the grant or allowance for?",
}
YES_NO_QUESTIONS = ("lives_in_area",)
OPTIONAL_QUESTIONS = ("other_support",)


def _helper(*fields, button: str = "Continue") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class GrantSchemeForm(forms.Form):
    name = forms.CharField(
        label="Name of the scheme",
        help_text="For example, Short break grant, or Targeted short breaks allowance",
        max_length=200,
        error_messages={"required": "Enter the name of the scheme"},
    )
    year = FinancialYearField(
        error_messages={"required": "Enter the financial year the scheme runs, like 2025/26"}
    )
    eligibility_criteria = forms.CharField(
        label="Who is eligible?",
        help_text="The criteria families must meet, as the council publishes them.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT,
        error_messages={"required": "Enter who is eligible"},
    )
    max_amount = PoundsField(
        what="most the scheme awards",
        label="Most the scheme awards, in pounds (optional)",
        help_text="Leave blank if the scheme has no upper limit.",
        required=False,
        min_value=0,
        max_digits=9,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        amount_messages = self.fields["max_amount"].error_messages
        amount_messages["min_value"] = "The most it awards must be £0 or more"
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("year", field_width=Fixed.TEN),
            Field.textarea("eligibility_criteria"),
            Field.text("max_amount", field_width=Fixed.TEN),
            button="Save the scheme",
        )


class GrantApplicationForm(SessionFormMixin, forms.Form):
    """The scheme, the date the application came in, and the family's answers."""

    yes_no = YES_NO_QUESTIONS

    scheme = forms.ChoiceField(
        label="Which scheme is the family applying to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the scheme", "invalid_choice": "Choose the scheme"},
    )
    received_on = GovDateField(
        what="the date the application was received",
        label="Date the application was received",
        help_text="For example, 6 1 2025",
    )
    lives_in_area = forms.ChoiceField(
        label=QUESTIONS["lives_in_area"],
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the child lives in the council's area"},
    )
    needs = forms.CharField(
        label=QUESTIONS["needs"],
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT,
        error_messages={"required": "Enter the child's disability or additional need"},
    )
    other_support = forms.CharField(
        label=f"{QUESTIONS['other_support']} (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        required=False,
    )
    use_of_grant = forms.CharField(
        label=QUESTIONS["use_of_grant"],
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT,
        error_messages={"required": "Enter what the family would use the grant for"},
    )

    def __init__(self, *args, schemes: list[GrantScheme], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [
            Choice(str(scheme.pk), str(scheme), hint=scheme.eligibility_criteria)
            for scheme in schemes
        ]
        self.helper = _helper(
            Field.radios("scheme", legend_size=Size.SMALL),
            Field("received_on", legend_size=Size.SMALL),
            Field.radios("lives_in_area", legend_size=Size.SMALL, inline=True),
            Field.textarea("needs"),
            Field.textarea("other_support"),
            Field.textarea("use_of_grant"),
        )

    @classmethod
    def family_answers(cls, answers: dict[str, str]) -> dict[str, str]:
        """The answers as the application holds them: each under its question's words."""
        out = {}
        for name, question in QUESTIONS.items():
            raw = (answers.get(name) or "").strip()
            if name in YES_NO_QUESTIONS:
                raw = dict(YES_NO).get(raw, raw)
            if raw:
                out[question] = raw
        return out


class GrantDecisionForm(SessionFormMixin, forms.Form):
    """Approve with an amount, or decline with a reason; and when to review it."""

    decision = forms.ChoiceField(
        label="What was decided?",
        choices=[
            (GrantStatus.APPROVED, "Approve"),
            (GrantStatus.DECLINED, "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )
    amount = PoundsField(
        what="amount awarded",
        label="Amount awarded, in pounds",
        help_text="Needed when approving. For example, 450",
        required=False,
        max_digits=9,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why was it declined?",
        help_text="Needed when declining. The family is told this reason.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT,
        required=False,
    )
    decided_on = GovDateField(
        what="the date of the decision",
        label="Date of the decision",
        help_text="For example, 3 3 2025",
    )
    review_on = GovDateField(
        what="the review date",
        label="Review date (optional)",
        help_text="When to look at the award again. For example, 3 3 2026",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.text("amount", field_width=Fixed.TEN),
            Field.textarea("reason"),
            Field("decided_on", legend_size=Size.SMALL),
            Field("review_on", legend_size=Size.SMALL),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == GrantStatus.APPROVED:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount awarded, in pounds")
            elif data.get("amount") is not None and data["amount"] <= 0:
                self.add_error("amount", "The amount awarded must be more than £0")
            data["reason"] = ""
        elif data.get("decision") == GrantStatus.DECLINED:
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Enter why the application was declined")
            data["amount"] = None
        return data


class GrantPaymentForm(forms.Form):
    """The next step for an award's payment; only the steps its current status allows."""

    payment_status = forms.ChoiceField(
        label="What has happened to the payment?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what has happened to the payment",
            "invalid_choice": "Choose what has happened to the payment",
        },
    )

    def __init__(self, *args, application: GrantApplication, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # The payment's declared status changes that this person may make now.
        allowed = {
            target
            for target, step in states.declared_steps(GrantApplication, "payment_status").items()
            if states.may(application, step, actor)
        }
        self.fields["payment_status"].choices = [
            (value, label) for value, label in PaymentStatus.choices if value in allowed
        ]
        self.helper = _helper(
            Field.radios("payment_status", legend_size=Size.SMALL),
            button="Save the payment status",
        )


class GrantWaitingFilterForm(FilterForm):
    """The waiting list's filter, from the query string."""

    filter_checkbox_heading = "Only applications"

    long_waits = forms.BooleanField(required=False)

    def __init__(self, *args, long_wait_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["long_waits"].label = f"Waiting longer than {long_wait_days} days"
