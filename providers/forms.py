"""GOV.UK forms for providers, registrations and services. They parse input; services decide."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms

from providers.models import (
    PriceUnit,
    ProviderStatus,
    Ratio,
    Regulation4Category,
    Regulator,
    Setting,
    When,
)
from shortbreaks.councils.models import Tier

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATE_HINT = "For example, 31/3/2025"
MAX_AGE = 25
MAX_CAPACITY = 100_000


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout
    return helper


def _date_field(label: str, *, required_message: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=bool(required_message),
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={
            "invalid": "Enter a real date, for example 31/3/2025.",
            "required": required_message,
        },
    )


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
        self.helper = _helper(
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
    on = _date_field("From which date?", required_message="Enter the date of the change.")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the change."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Field.radios("status", legend_size=Size.MEDIUM),
                Field.text("on", field_width=Fixed.TEN),
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
    rating_date = _date_field("Date of the rating (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Field.radios("regulator", legend_size=Size.MEDIUM),
                Field.text("number", field_width=Fixed.TWENTY),
                Field.text("service_type", field_width=Fluid.TWO_THIRDS),
                Field.text("latest_rating", field_width=Fixed.TWENTY),
                Field.text("rating_date", field_width=Fixed.TEN),
                Button("submit", "Save registration"),
            )
        )


def _checkboxes(label: str, choices, required_message: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=bool(required_message),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": required_message} if required_message else None,
    )


class ServiceForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the service's title."}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    tier = forms.ChoiceField(
        label="Tier",
        choices=Tier.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose universal, targeted or specialist.",
            "invalid_choice": "Choose universal, targeted or specialist.",
        },
    )
    categories = _checkboxes(
        "Regulation 4 categories",
        Regulation4Category.choices,
        "Choose at least one Regulation 4 category.",
    )
    setting = forms.ChoiceField(
        label="Setting",
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the service takes place."},
    )
    ratios = _checkboxes("Staff to child ratios offered (optional)", Ratio.choices)
    age_from = forms.IntegerField(
        label="Youngest age",
        min_value=0,
        max_value=MAX_AGE,
        initial=0,
        error_messages={
            "required": "Enter the youngest age.",
            "invalid": "Enter the youngest age as a whole number, like 5.",
        },
    )
    age_to = forms.IntegerField(
        label="Oldest age",
        min_value=0,
        max_value=MAX_AGE,
        initial=18,
        error_messages={
            "required": "Enter the oldest age.",
            "invalid": "Enter the oldest age as a whole number, like 18.",
        },
    )
    areas = forms.CharField(
        label="Areas served (optional)",
        max_length=300,
        required=False,
        help_text="For example, North Shropshire, Oswestry",
    )
    when = _checkboxes("When (optional)", When.choices)
    price_unit = forms.ChoiceField(
        label="Price unit",
        choices=[("", "Not priced"), *PriceUnit.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    price = forms.DecimalField(
        label="Price in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"invalid": "Enter the price in pounds, like 18.50."},
    )
    capacity_available = forms.IntegerField(
        label="Available (optional)",
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={"invalid": "Enter the available capacity as a whole number."},
    )
    capacity_maximum = forms.IntegerField(
        label="Maximum (optional)",
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={"invalid": "Enter the maximum capacity as a whole number."},
    )
    capacity_unit = forms.CharField(
        label="Unit (optional)",
        max_length=60,
        required=False,
        help_text="For example, places, beds or hours a week",
    )
    accessibility = forms.CharField(
        label="Accessibility (optional)", required=False, widget=forms.Textarea
    )
    how_to_access = forms.CharField(
        label="How to access the service (optional)", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, submit_label: str = "Save service", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Field.text("title", field_width=Fluid.TWO_THIRDS),
                Field.textarea("description", rows=4),
                Field.radios("tier", legend_size=Size.SMALL),
                Field.checkboxes("categories", legend_size=Size.SMALL),
                Field.radios("setting", legend_size=Size.SMALL),
                Field.checkboxes("ratios", legend_size=Size.SMALL),
                Fieldset(
                    Field.text("age_from", field_width=Fixed.THREE, inputmode="numeric"),
                    Field.text("age_to", field_width=Fixed.THREE, inputmode="numeric"),
                    legend="Age range",
                    legend_size=Size.SMALL,
                ),
                Field.text("areas", field_width=Fluid.TWO_THIRDS),
                Field.checkboxes("when", legend_size=Size.SMALL),
                Field.radios("price_unit", legend_size=Size.SMALL, small=True),
                Field.text("price", field_width=Fixed.TEN, inputmode="decimal"),
                Fieldset(
                    Field.text("capacity_available", field_width=Fixed.FIVE, inputmode="numeric"),
                    Field.text("capacity_maximum", field_width=Fixed.FIVE, inputmode="numeric"),
                    Field.text("capacity_unit", field_width=Fixed.TWENTY),
                    legend="Capacity",
                    legend_size=Size.SMALL,
                ),
                Field.textarea("accessibility", rows=3),
                Field.textarea("how_to_access", rows=3),
                Button("submit", submit_label),
            )
        )
