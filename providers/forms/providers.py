"""GOV.UK forms for providers and their registrations, and the providers list's filter. They
parse input; services decide."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms

from providers.forms.common import form_helper
from providers.models import ProviderStatus, Regulator
from shortbreaks.filter_forms import FilterForm, choice_filter
from shortbreaks.forms import GovDateField


class ProviderForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the provider's name."},
    )
    companies_house_number = forms.CharField(
        label="Companies House number (optional)", max_length=8, required=False
    )
    charity_number = forms.CharField(
        label="Charity number (optional)", max_length=8, required=False
    )
    address = forms.CharField(label="Address (optional)", required=False, widget=forms.Textarea)
    postcode = forms.CharField(label="Postcode (optional)", max_length=8, required=False)
    contact_name = forms.CharField(label="Contact name (optional)", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    contact_phone = forms.CharField(
        label="Contact telephone number (optional)", max_length=30, required=False
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address like https://www.example.org."},
    )

    def __init__(self, *args, submit_label: str = "Save provider", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Field.text("name", field_width=Fluid.TWO_THIRDS),
                Field.text("companies_house_number", field_width=Fixed.TEN),
                Field.text("charity_number", field_width=Fixed.TEN),
                Field.textarea("address", rows=3),
                Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
                Fieldset(
                    Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
                    Field.text("contact_email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
                    Field.text("contact_phone", field_width=Fixed.TWENTY, type="tel"),
                    legend="Contact",
                    legend_size=Size.MEDIUM,
                ),
                Field.text("website", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
                Button("submit", submit_label),
            )
        )


class ProviderStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What is the provider's status with the council?",
        choices=ProviderStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose active, suspended or exited.",
            "invalid_choice": "Choose active, suspended or exited.",
        },
    )
    on = GovDateField(label="From which date?", what="the date of the change")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the change."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Field.radios("status", legend_size=Size.MEDIUM),
                Field("on", legend_size=Size.SMALL),
                Field.textarea("reason", rows=4),
                Button("submit", "Save status"),
            )
        )


class RegistrationForm(forms.Form):
    regulator = forms.ChoiceField(
        label="Regulator",
        choices=Regulator.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose CQC or Ofsted.",
            "invalid_choice": "Choose CQC or Ofsted.",
        },
    )
    number = forms.CharField(
        label="Registration number",
        max_length=40,
        error_messages={"required": "Enter the registration number."},
    )
    service_type = forms.CharField(
        label="Service type (optional)",
        max_length=200,
        required=False,
        help_text="As the regulator names it, for example Domiciliary care service",
    )
    latest_rating = forms.CharField(
        label="Latest rating (optional)",
        max_length=60,
        required=False,
        help_text="For example, Good",
    )
    rating_date = GovDateField(
        label="Date of the rating (optional)", required=False, what="the date of the rating"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Field.radios("regulator", legend_size=Size.MEDIUM),
                Field.text("number", field_width=Fixed.TWENTY),
                Field.text("service_type", field_width=Fluid.TWO_THIRDS),
                Field.text("latest_rating", field_width=Fixed.TWENTY),
                Field("rating_date", legend_size=Size.SMALL),
                Button("submit", "Save registration"),
            )
        )


class ProviderFilterForm(FilterForm):
    """The providers list's search and filter, from the query string."""

    search = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    status = choice_filter("Status", ProviderStatus.choices, any_label="Any status")
