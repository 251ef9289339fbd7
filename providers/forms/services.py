"""GOV.UK forms for providers' services: a service, its places and times, its vacancies, and
every service's filter. They parse input; services decide."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms

from providers.forms.common import MAX_AGE, MAX_CAPACITY, TIME_FORMATS, form_helper
from providers.models import (
    Need,
    PriceUnit,
    Ratio,
    Regulation4Category,
    Setting,
    Weekday,
    When,
)
from shortbreaks.councils.models import Tier
from shortbreaks.filter_forms import FilterForm, choice_filter


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
    needs = _checkboxes("Areas of need it is set up for (optional)", Need.choices)
    locations = forms.MultipleChoiceField(
        label="Where it runs (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The provider's locations. For a service in the child's home, choose the "
        "base the team works from.",
        error_messages={"invalid_choice": "Choose from the provider's locations."},
    )
    url = forms.URLField(
        label="Web page (optional)",
        required=False,
        assume_scheme="https",
        help_text="Leave blank to use the provider's website.",
        error_messages={"invalid": "Enter a web address like https://www.example.org."},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Leave blank to use the provider's contact email address.",
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    phone = forms.CharField(
        label="Telephone number (optional)",
        max_length=30,
        required=False,
        help_text="Leave blank to use the provider's contact telephone number.",
    )

    def __init__(self, *args, submit_label: str = "Save service", locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].choices = [(str(loc.pk), loc.name) for loc in locations]
        where = []
        if locations:
            where = [Field.checkboxes("locations", legend_size=Size.SMALL)]
        else:
            del self.fields["locations"]
        self.helper = form_helper(
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
                Field.checkboxes("needs", legend_size=Size.SMALL),
                Field.text("areas", field_width=Fluid.TWO_THIRDS),
                *where,
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
                Fieldset(
                    Field.text("url", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
                    Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
                    Field.text("phone", field_width=Fixed.TWENTY, type="tel"),
                    legend="How families get in touch",
                    legend_size=Size.SMALL,
                ),
                Button("submit", submit_label),
            )
        )


class LocationForm(forms.Form):
    name = forms.CharField(
        label="Name of the place",
        max_length=200,
        help_text="For example, Riverside Community Hall",
        error_messages={"required": "Enter the name of the place."},
    )
    address_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the first line of the address."},
    )
    address_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages={"required": "Enter the town or city."},
    )
    county = forms.CharField(
        label="County",
        max_length=100,
        error_messages={"required": "Enter the county."},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        error_messages={"required": "Enter the postcode."},
    )
    latitude = forms.DecimalField(
        label="Latitude (optional)",
        required=False,
        max_digits=8,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text="For example, 52.056500",
        error_messages={"invalid": "Enter the latitude as a number, like 52.0565."},
    )
    longitude = forms.DecimalField(
        label="Longitude (optional)",
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text="For example, -2.716000",
        error_messages={"invalid": "Enter the longitude as a number, like -2.716."},
    )
    accessibility = forms.CharField(
        label="Access to the building (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, step-free entrance, accessible toilet, hearing loop",
    )
    transport = forms.CharField(
        label="Getting there (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Buses, parking, drop-off",
    )

    def __init__(self, *args, submit_label: str = "Save location", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Field.text("name", field_width=Fluid.TWO_THIRDS),
                Fieldset(
                    Field.text("address_1", field_width=Fluid.TWO_THIRDS),
                    Field.text("address_2", field_width=Fluid.TWO_THIRDS),
                    Field.text("town", field_width=Fluid.TWO_THIRDS),
                    Field.text("county", field_width=Fluid.TWO_THIRDS),
                    Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
                    legend="Address",
                    legend_size=Size.MEDIUM,
                ),
                Fieldset(
                    Field.text("latitude", field_width=Fixed.TEN, inputmode="decimal"),
                    Field.text("longitude", field_width=Fixed.TEN, inputmode="decimal"),
                    legend="Map position",
                    legend_size=Size.MEDIUM,
                ),
                Field.textarea("accessibility", rows=3),
                Field.textarea("transport", rows=3),
                Button("submit", submit_label),
            )
        )


class ScheduleForm(forms.Form):
    days = _checkboxes("Days", Weekday.choices, "Choose at least one day.")
    opens_at = forms.TimeField(
        label="Starts at",
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 15:30",
        error_messages={
            "required": "Enter the time it starts.",
            "invalid": "Enter the time it starts like 15:30.",
        },
    )
    closes_at = forms.TimeField(
        label="Ends at",
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 18:00. For an overnight stay, the time "
        "it ends the next morning",
        error_messages={
            "required": "Enter the time it ends.",
            "invalid": "Enter the time it ends like 18:00.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=200,
        required=False,
        help_text="For example, term time only",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Field.checkboxes("days", legend_size=Size.MEDIUM),
                Field.text("opens_at", field_width=Fixed.FIVE),
                Field.text("closes_at", field_width=Fixed.FIVE),
                Field.text("notes", field_width=Fluid.TWO_THIRDS),
                Button("submit", "Add these times"),
            )
        )


class VacancyForm(forms.Form):
    """Provider staff say how many places one of their services has free now."""

    capacity_available = forms.IntegerField(
        label="Places available now",
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text="Leave empty if you cannot say.",
        error_messages={
            "invalid": "Enter the places available as a whole number, like 2",
            "min_value": "The places available must be 0 or more",
            "max_value": "The places available is too large",
        },
    )
    capacity_maximum = forms.IntegerField(
        label="Places in all (optional)",
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={
            "invalid": "Enter the places in all as a whole number, like 4",
            "min_value": "The places in all must be 0 or more",
            "max_value": "The places in all is too large",
        },
    )
    capacity_unit = forms.CharField(
        label="What a place is (optional)",
        max_length=60,
        required=False,
        help_text="For example, places, beds or hours a week",
        error_messages={"max_length": "Say what a place is in 60 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("capacity_available", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.text("capacity_maximum", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.text("capacity_unit", field_width=Fixed.TWENTY),
            Button("submit", "Save vacancies"),
        )


class ServiceFilterForm(FilterForm):
    """Every service's search and filter, from the query string."""

    search = forms.CharField(
        label="Service or provider name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    tier = choice_filter("Tier", Tier.choices, any_label="Every tier")
