"""Forms for dynamic purchasing systems and their memberships.

They only check the shape of the input; the services decide what the record's state allows.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from contracts.models import PRE_APPROVAL_CHECKS, DPSMembership
from shortbreaks import states
from shortbreaks.forms import date_field


def _helper(*fields, submit: str, name: str = "submit") -> FormHelper:
    """A GOV.UK form body; the button's name tells the view which form of a page was sent."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button(name, submit))
    return helper


class DPSForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the title of the DPS."},
    )
    categories = forms.CharField(
        label="Categories or lots (optional)",
        help_text="One a line, for example: Overnight short breaks.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = date_field("Start date", what="the start date")
    end_date = date_field("End date (optional)", required=False, what="the end date")
    open_to_applications = forms.TypedChoiceField(
        label="Is it open to applications from providers?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Choose whether providers may apply."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("categories"),
            Field("start_date", legend_size=Size.SMALL),
            Field("end_date", legend_size=Size.SMALL),
            Field.radios("open_to_applications", legend_size=Size.SMALL, inline=True),
            submit="Create DPS",
        )


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class DPSApplyForm(forms.Form):
    """A provider applies to join. `providers` is the council's providers not yet on the DPS."""

    provider = ProviderChoiceField(
        label="Provider",
        queryset=None,
        empty_label="Choose a provider",
        error_messages={
            "required": "Choose the provider that is applying.",
            "invalid_choice": "Choose one of the council's providers that is not on this DPS.",
        },
    )
    on = date_field("Date of application", what="the date of application")
    reason = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.helper = _helper(
            Field.select("provider"),
            Field("on", legend_size=Size.SMALL),
            Field.textarea("reason"),
            submit="Record application",
        )


class MembershipChecksForm(forms.Form):
    """The pre-approval checklist: ticked boxes are the checks done."""

    done = forms.MultipleChoiceField(
        label="Pre-approval checks done",
        help_text="All five must be done before the provider can be approved.",
        choices=list(PRE_APPROVAL_CHECKS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, membership=None, **kwargs):
        kwargs.setdefault("prefix", "checks")
        if membership is not None:
            kwargs.setdefault(
                "initial", {"done": [name for name, _, done in membership.checks if done]}
            )
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.checkboxes("done", legend_size=Size.MEDIUM, legend_tag="h2", small=True),
            submit="Save checks",
            name="save_checks",
        )

    def checks(self) -> dict[str, bool]:
        done = set(self.cleaned_data["done"])
        return {name: name in done for name in PRE_APPROVAL_CHECKS}


class MembershipTransitionForm(forms.Form):
    """Date and reason for one transition; prefixed by the action so several share a page."""

    on = date_field("Date", what="the date")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason."},
    )

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.label = states.label(DPSMembership(), action)  # as the model declares it
        self.helper = _helper(
            Field("on", legend_size=Size.SMALL),
            Field.textarea("reason"),
            submit=self.label,
            name=f"do_{action}",
        )
