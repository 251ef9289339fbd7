"""Forms for evidence packs: ask for one, share one with an invited external auditor, and confirm
your password before a download. They check the shape of the answers; `audits/packs/services.py`
decides, and its refusals come back on the form for the error summary."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from audits.models import PackKind
from audits.packs.services import date_errors
from shortbreaks.forms import GovDateField

KIND_HINTS = {
    PackKind.CONTRACT_COMPLIANCE: "Contracts in force, with lots, awards and procurement route; "
    "extensions with legal basis, approvals and decision; contracts that ran past their end date.",
    PackKind.DPS: "Providers on each dynamic purchasing system, their history and pre-approval "
    "checks.",
    PackKind.REFERRAL_RECORDS: "For each referral, whether its forms are held on the child's "
    "record, as counts and a list by record id.",
    PackKind.MONITORING: "Quality assurance visits, performance meetings and KPI returns per "
    "contract.",
    PackKind.RECOMMENDATIONS: "The progress table of each audit report: recommendation, "
    "management action, owner, review date and status.",
}


class PackRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which evidence pack do you need?",
        choices=PackKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which evidence pack you need",
            "invalid_choice": "Choose which evidence pack you need",
        },
    )
    period_start = GovDateField(
        label="Start of the period",
        what="the start of the period",
        help_text="For example, 1 4 2024",
    )
    period_end = GovDateField(
        label="End of the period", what="the end of the period", help_text="For example, 31 3 2025"
    )
    as_at = GovDateField(
        label="Records as at",
        what="the 'as at' date",
        help_text="The pack shows the records as they stood at the end of this day. For example, "
        "30 6 2025",
    )
    include_names = forms.BooleanField(
        label="Show children's names (referral records pack only)",
        required=False,
        help_text="Without this, children appear by record id.",
    )

    def __init__(self, *args, names_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("period_start"),
            Field("period_end"),
            Field("as_at"),
        ]
        if names_allowed:
            fields.append(Field.checkbox("include_names"))
        else:
            del self.fields["include_names"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", "Request the pack"))

    def clean(self):
        """The service's rules for the dates, shown with any other error at once (the service
        checks them again when the pack is requested)."""
        data = super().clean()
        errors = date_errors(
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            as_at=data.get("as_at"),
            today=timezone.localdate(),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "as_at": data["as_at"],
            "include_names": bool(data.get("include_names")),
        }


class PackGrantForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the external auditor",
        max_length=254,
        help_text="Someone this council invited as an external auditor, who has set their "
        "password. They will see this pack only.",
        error_messages={
            "required": "Enter the email address of the person to share the pack with",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    expires_on = GovDateField(
        label="Last day they may see the pack",
        what="the last day they may see the pack",
        help_text="For example, 31 12 2025",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                Field.text("email"),
                Field("expires_on"),
                legend="Share this pack with an external auditor",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Share the pack", css_class="govuk-button--secondary"),
        )


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("password"), Button("submit", "Confirm and download"))
