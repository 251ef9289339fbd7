"""Forms for packages of support, their lines, delivery against plan and overnight stays.

Forms collect and check the shape of input; the services in `referrals.services` decide what is
allowed, and their refusals are put back on the form (`add_service_error`) for the error summary.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from providers.models import Ratio
from referrals.models import FundingRoute, NotDeliveredReason
from shortbreaks.forms import DATE_HINT, add_service_error, date_field

__all__ = [
    "DeliveryForm",
    "LineEndForm",
    "OvernightStayForm",
    "PackageActivateForm",
    "PackageForm",
    "PackageLineForm",
    "PackageWithdrawForm",
    "add_service_error",
]

# The lot message the service gives for a lot that is not the council's own, used also for an id
# that matches nothing, so the two cannot be told apart.
NOT_OUR_LOT = "Choose a lot on one of the council's own contracts."


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _amount_field(label: str, *, required: bool = False, help_text: str = "", **limits):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=limits.get("max_digits", 7),
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.split(' (')[0].lower()}.",
            "invalid": f"Enter the {label.split(' (')[0].lower()} as a number, like 5 or 7.5.",
            "min_value": f"The {label.split(' (')[0].lower()} cannot be negative.",
            "max_digits": f"The {label.split(' (')[0].lower()} is too large.",
            "max_whole_digits": f"The {label.split(' (')[0].lower()} is too large.",
            "max_decimal_places": "Enter no more than 2 decimal places.",
        },
    )


class _ChoiceOfRecords(forms.Form):
    """Choices built from records the view fetched for the actor; `chosen(name)` gives them back."""

    record_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        records = {name: kwargs.pop(name, ()) for name in self.record_fields}
        super().__init__(*args, **kwargs)
        self.records = {
            name: {str(record.pk): record for record in values} for name, values in records.items()
        }

    def chosen(self, name: str):
        return self.records[name].get(self.cleaned_data.get(name) or "")


# ----------------------------------------------------------------------------------------------
# Packages


class PackageForm(_ChoiceOfRecords):
    record_fields = {"assessment": "assessments"}

    assessment = forms.ChoiceField(
        label="Which assessment is this package based on?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the assessment the package is based on.",
            "invalid_choice": "Choose one of this child's assessments.",
        },
    )
    start_on = date_field("Start date")
    end_on = date_field("End date (optional)", required=False)
    review_interval_months = forms.IntegerField(
        label="Review every (months)",
        min_value=1,
        max_value=24,
        initial=6,
        help_text="Packages are reviewed every 6 months unless the council sets otherwise.",
        error_messages={
            "required": "Enter how often the package is reviewed, in months.",
            "invalid": "Enter the review interval as a whole number of months, like 6.",
            "min_value": "Enter a review interval from 1 to 24 months.",
            "max_value": "Enter a review interval from 1 to 24 months.",
        },
    )

    def __init__(self, *args, assessments=(), **kwargs):
        super().__init__(*args, assessment=assessments, **kwargs)
        self.fields["assessment"].choices = [
            (
                pk,
                f"{assessment} ({assessment.get_status_display().lower()}"
                + (f": {assessment.get_outcome_display().lower()}" if assessment.outcome else "")
                + ")",
            )
            for pk, assessment in self.records["assessment"].items()
        ]
        self.helper = _helper(
            Field.radios("assessment", legend_size=Size.SMALL),
            Field("start_on", legend_size=Size.SMALL),
            Field("end_on", legend_size=Size.SMALL),
            Field.text("review_interval_months", field_width=4),
            submit="Propose package",
        )


class PackageActivateForm(forms.Form):
    on = date_field("Date support starts")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("on", legend_size=Size.SMALL), submit="Start the package")


class PackageWithdrawForm(forms.Form):
    on = date_field("Date withdrawn")
    reason = forms.CharField(
        label="Why is the package withdrawn?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter why the package is withdrawn."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("on", legend_size=Size.SMALL),
            Field.textarea("reason", rows=4),
            submit="Withdraw the package",
        )


# ----------------------------------------------------------------------------------------------
# Lines


class PackageLineForm(_ChoiceOfRecords):
    """One service in a package. `lots` are every lot of the council, for lookup; `lot_choices`
    only those worth offering (lots of active or extended contracts that have awards)."""

    record_fields = {"service": "services", "provider": "providers", "lot": "lots"}

    service = forms.ChoiceField(
        label="Service",
        error_messages={
            "required": "Choose the service.",
            "invalid_choice": "Choose one of the council's services.",
        },
    )
    provider = forms.ChoiceField(
        label="Provider",
        error_messages={
            "required": "Choose the provider.",
            "invalid_choice": "Choose one of the council's providers.",
        },
    )
    funding_route = forms.ChoiceField(
        label="Funding route",
        choices=FundingRoute.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the service is funded.",
            "invalid_choice": "Choose commissioned, spot purchase or direct payment.",
        },
    )
    lot = forms.CharField(
        label="Contract lot (commissioned services only)",
        required=False,
        widget=forms.Select,
        help_text="The lot of the council's contract that this provider was awarded.",
    )
    ratio = forms.ChoiceField(
        label="Staff to child ratio",
        choices=Ratio.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the staff to child ratio.",
            "invalid_choice": "Choose the staff to child ratio.",
        },
    )
    hours_per_week = _amount_field(
        "Hours a week (optional)", help_text="Enter hours a week or nights a year, not both."
    )
    nights_per_year = forms.IntegerField(
        label="Nights a year (optional)",
        required=False,
        min_value=1,
        max_value=366,
        error_messages={
            "invalid": "Enter the nights a year as a whole number, like 24.",
            "min_value": "Enter at least 1 night a year.",
            "max_value": "Enter no more than 366 nights a year.",
        },
    )
    unit_rate = _amount_field(
        "Unit rate",
        required=True,
        max_digits=8,
        help_text="In pounds, for one hour or one night at this ratio, like 28.50",
    )
    start_on = date_field("Start date")
    end_on = date_field("End date (optional)", required=False)

    def __init__(self, *args, services=(), providers=(), lots=(), lot_choices=(), **kwargs):
        super().__init__(*args, service=services, provider=providers, lot=lots, **kwargs)
        self.fields["service"].choices = [("", "Choose a service")] + [
            (pk, f"{s.title} ({s.provider.name})") for pk, s in self.records["service"].items()
        ]
        self.fields["provider"].choices = [("", "Choose a provider")] + [
            (pk, p.name) for pk, p in self.records["provider"].items()
        ]
        self.fields["lot"].widget.choices = [("", "No contract lot")] + [
            (
                str(lot.pk),
                f"{lot.contract.reference} {lot}, awarded to "
                + ", ".join(award.provider.name for award in lot.awards.all()),
            )
            for lot in lot_choices
        ]
        self.helper = _helper(
            Field.select("service"),
            Field.select("provider"),
            Field.radios("funding_route", legend_size=Size.SMALL, inline=False),
            Field.select("lot"),
            Field.radios("ratio", legend_size=Size.SMALL, inline=True),
            Field.text("hours_per_week", field_width=5),
            Field.text("nights_per_year", field_width=5),
            Field.text("unit_rate", field_width=10),
            Field("start_on", legend_size=Size.SMALL),
            Field("end_on", legend_size=Size.SMALL),
            submit="Add line",
        )

    def clean_lot(self) -> str:
        value = (self.cleaned_data.get("lot") or "").strip()
        if value and value not in self.records["lot"]:
            raise forms.ValidationError(NOT_OUR_LOT)
        return value

    def line_fields(self) -> dict:
        """The keywords `package_line_add` takes."""
        data = self.cleaned_data
        return {
            "service": self.chosen("service"),
            "provider": self.chosen("provider"),
            "lot": self.chosen("lot"),
            "funding_route": data["funding_route"],
            "ratio": data["ratio"],
            "hours_per_week": data.get("hours_per_week"),
            "nights_per_year": data.get("nights_per_year"),
            "unit_rate": data["unit_rate"],
            "start_on": data["start_on"],
            "end_on": data.get("end_on"),
        }


class LineEndForm(forms.Form):
    end_on = date_field("Date the line ends")
    reason = forms.CharField(
        label="Why does this line end?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reason."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("end_on", legend_size=Size.SMALL),
            Field.textarea("reason", rows=4),
            submit="End the line",
        )


# ----------------------------------------------------------------------------------------------
# Delivery against plan


class DeliveryForm(_ChoiceOfRecords):
    record_fields = {"line": "lines"}

    line = forms.ChoiceField(
        label="Which line of the package?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the line of the package.",
            "invalid_choice": "Choose one of the package's lines.",
        },
    )
    period_start = date_field("Start of the period")
    period_end = date_field("End of the period")
    hours_delivered = _amount_field("Hours delivered", required=True)
    hours_not_delivered = _amount_field(
        "Hours not delivered (optional)", help_text="Hours planned but not delivered."
    )
    reason = forms.ChoiceField(
        label="Why were hours not delivered?",
        required=False,
        choices=NotDeliveredReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose why hours were not delivered."},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea, max_length=5000
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, line=lines, **kwargs)
        self.fields["line"].choices = [
            (pk, f"{line.service.title} from {line.provider.name}, {line.ratio}")
            for pk, line in self.records["line"].items()
        ]
        self.helper = _helper(
            Field.radios("line", legend_size=Size.SMALL),
            Field("period_start", legend_size=Size.SMALL),
            Field("period_end", legend_size=Size.SMALL),
            Field.text("hours_delivered", field_width=5),
            Field.text("hours_not_delivered", field_width=5),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.textarea("notes", rows=3),
            submit="Record delivery",
        )

    def delivery_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "line": self.chosen("line"),
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "hours_delivered": data["hours_delivered"],
            "reason": data.get("reason") or "",
            "notes": data.get("notes") or "",
        }
        if data.get("hours_not_delivered") is not None:
            fields["hours_not_delivered"] = data["hours_not_delivered"]
        return fields


# ----------------------------------------------------------------------------------------------
# Overnight stays


class OvernightStayForm(_ChoiceOfRecords):
    """A night, or a stay of several nights from the first to the last."""

    record_fields = {"line": "lines"}

    first_night = date_field("First night", help_text="The date the night begins. " + DATE_HINT)
    last_night = date_field(
        "Last night (optional)",
        required=False,
        help_text="Leave empty for a single night. " + DATE_HINT,
    )
    line = forms.ChoiceField(
        label="Line of the package (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose a line of this child's package."},
    )
    acknowledge_threshold = forms.BooleanField(
        label="I understand the child would become looked after, and want to record this stay",
        required=False,
    )

    def __init__(self, *args, lines=(), show_acknowledge: bool = False, **kwargs):
        super().__init__(*args, line=lines, **kwargs)
        self.fields["line"].choices = [("", "Not part of a package line")] + [
            (pk, f"{line.service.title} from {line.provider.name}")
            for pk, line in self.records["line"].items()
        ]
        fields = [
            Field("first_night", legend_size=Size.SMALL),
            Field("last_night", legend_size=Size.SMALL),
            Field.select("line"),
        ]
        if show_acknowledge:
            fields.append(Field.checkbox("acknowledge_threshold", small=True))
        self.helper = _helper(*fields, submit="Record nights")

    def clean(self):
        data = super().clean()
        first, last = data.get("first_night"), data.get("last_night")
        if first and last:
            if last < first:
                self.add_error("last_night", "The last night must be on or after the first.")
            elif (last - first).days >= 366:
                self.add_error("last_night", "Record a stay of at most 366 nights at a time.")
        return data

    def nights(self) -> int:
        first, last = self.cleaned_data["first_night"], self.cleaned_data.get("last_night")
        return (last - first).days + 1 if last else 1
