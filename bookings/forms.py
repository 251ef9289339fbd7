"""Forms for block places, bookings and the waiting list. They check the shape of the answers
only; the services say whether the booking may be made."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from bookings.models import MAX_DAYS, MAX_PLACES, BookingStatus, PlaceUnit
from shortbreaks.filter_forms import FilterForm, choice_filter
from shortbreaks.filters import MAX_ID
from shortbreaks.forms import GovDateField


class BlockPlacesForm(forms.Form):
    award = forms.ModelChoiceField(
        label="Which award holds the places?",
        queryset=None,
        empty_label="Choose an award",
        error_messages={
            "required": "Choose the award",
            "invalid_choice": "Choose one of the awards listed",
        },
    )
    unit = forms.ChoiceField(
        label="What are the places?",
        choices=PlaceUnit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose beds a night or places a session"},
    )
    places = forms.IntegerField(
        label="How many?",
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "required": "Enter how many places the award holds",
            "invalid": "Enter the number of places as a whole number, like 4",
            "min_value": "Enter at least 1 place",
            "max_value": f"Enter at most {MAX_PLACES} places",
        },
    )
    hours_per_session = forms.DecimalField(
        label="How long is a session, in hours? (for places a session)",
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=2,
        error_messages={"invalid": "Enter the hours as a number, like 3.5"},
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards
        self.fields["award"].label_from_instance = lambda award: (
            f"{award.lot.contract.reference} lot {award.lot.number}: {award.provider.name}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("award"),
            Field.radios("unit", legend_size=Size.SMALL),
            Field.text("places", field_width=Fixed.FIVE),
            Field.text("hours_per_session", field_width=Fixed.FIVE),
            Button("submit", "Save the places"),
        )


class BookingForm(forms.Form):
    line = forms.ModelChoiceField(
        label="Which child?",
        help_text="Children with an active package line on this lot.",
        queryset=None,
        empty_label="Choose a child",
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose one of the children listed",
        },
    )
    first_day = GovDateField(
        what="the first day",
        label="First night or session",
        help_text="For a night, the date it begins. For example, 14 6 2026",
    )
    days = forms.IntegerField(
        label="How many nights or sessions in a row?",
        min_value=1,
        max_value=MAX_DAYS,
        initial=1,
        error_messages={
            "required": "Enter how many nights or sessions",
            "invalid": "Enter the number as a whole number, like 2",
            "min_value": "Enter at least 1",
            "max_value": f"Enter at most {MAX_DAYS}",
        },
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.package.child.first_name} {line.package.child.last_name} "
            f"({line.package.child.council_child_id}), {line.service.title}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("line"),
            Field("first_day", legend_size=Size.SMALL),
            Field.text("days", field_width=Fixed.FIVE),
            Button("submit", "Book"),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, button: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason"), Button("submit", button))


class DeliverForm(forms.Form):
    acknowledge_threshold = forms.BooleanField(
        label="I know these nights pass 17 in a row or 75 in 12 months, so the child becomes "
        "looked after under the full regime",
        required=False,
    )

    def __init__(self, *args, nights: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        parts = [Field.checkbox("acknowledge_threshold")] if nights else []
        if not nights:
            del self.fields["acknowledge_threshold"]
        self.helper.layout = Layout(*parts, Button("submit", "Record as delivered"))


class BookingFilterForm(FilterForm):
    """The bookings list's filter, from the query string; `places` (one block's bookings, from its
    page) is kept as it is."""

    status = choice_filter("Status", BookingStatus.choices, any_label="Any")
    places = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
