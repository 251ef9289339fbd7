"""Forms for logging a referral, moving it on, and attaching its documents.

They check the shape of the answers only; whether the referral may be made or moved, and whether a
file is accepted, is the services' to say (a file's type is found from its bytes there).
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from referrals.models import PrimaryNeed, Referral, ReferralSource, ReferralStatus
from shortbreaks import states
from shortbreaks.documents.uploads import ALLOWED_DESCRIPTION
from shortbreaks.filter_forms import FilterForm, choice_filter
from shortbreaks.forms import GovDateField, SessionFormMixin

TEXT = 10_000


class ReferralForm(SessionFormMixin, forms.Form):
    received_on = GovDateField(
        what="the date the referral was received",
        label="Date the referral was received",
        help_text="For example, 6 1 2025",
    )
    source = forms.ChoiceField(
        label="Where did the referral come from?",
        choices=[("", "Choose a source"), *ReferralSource.choices],
        error_messages={"required": "Choose where the referral came from"},
    )
    referrer = forms.CharField(
        label="Who referred (optional)",
        help_text="Their name, role and organisation, for example, Head teacher, Meole Brace "
        "School",
        max_length=200,
        required=False,
    )
    request = forms.CharField(
        label="What does the referral ask for?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT,
        error_messages={"required": "Enter what the referral asks for"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        help_text="The children in need census code, N0 to N9.",
        choices=PrimaryNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the primary need, N0 to N9"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("received_on", legend_size=Size.SMALL),
            Field.select("source"),
            Field.text("referrer", field_width=Fluid.TWO_THIRDS),
            Field.textarea("request"),
            Field.radios("primary_need", legend_size=Size.SMALL, small=True),
            Button("submit", "Continue"),
        )


class TransitionForm(forms.Form):
    """One status change. The status is fixed by the form's prefix, never typed."""

    on = GovDateField(
        what="the date of the change", label="Date", help_text="For example, 7 1 2025"
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        required=False,
    )

    def __init__(self, *args, status: str, **kwargs):
        kwargs.setdefault("prefix", status)
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.status = status
        # What the form's button says: the declared status change's label.
        self.label = states.label(Referral(), states.declared_steps(Referral)[status])
        if status != ReferralStatus.SCREENING:
            self.fields["reason"].help_text = "Needed for this decision."
        else:
            self.fields["reason"].label = "Reason (optional)"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("on", legend_size=Size.SMALL),
            Field.textarea("reason"),
            Button("submit", self.label, css_id=f"{status}-submit"),
        )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"The file must be {ALLOWED_DESCRIPTION}, smaller than 10 MB.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty.",
            "invalid": "Select a file",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        help_text="For example, referral form from the school",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"),
            Field.text("description", field_width=Fixed.TWENTY),
            Button.secondary("upload", "Upload the file", css_id="upload-submit"),
        )


class ReferralFilterForm(FilterForm):
    """The referrals list's filter, from the query string."""

    status = choice_filter("Status", ReferralStatus.choices, any_label="Any status")
