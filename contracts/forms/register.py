"""Forms for the contracts register: filters, contracts, lots, awards and the contract manager.

Forms only collect and check the shape of input; the services decide what is allowed. A
service's refusal is put back on the form (`add_service_error`) so it shows in the error summary.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from contracts.models import ContractKind, ContractStatus, ProcurementMethod
from shortbreaks.filter_forms import FilterForm
from shortbreaks.forms import DATE_HINT, date_field
from shortbreaks.widgets import LongSelect


def money_field(label: str, *, required: bool = False, help_text: str = "In pounds, like 250000"):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as an amount in pounds, like 250000.",
            "min_value": f"The {label.lower()} cannot be negative.",
            "max_digits": f"The {label.lower()} is too large.",
            "max_whole_digits": f"The {label.lower()} is too large.",
            "max_decimal_places": f"Enter the {label.lower()} to the nearest penny.",
        },
    )


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


# ----------------------------------------------------------------------------------------------
# The register's filters


class ContractFilterForm(FilterForm):
    """The register's filters, read from the query string. Every field is optional; its ids are
    the register's own (`id_search`), and its layout is its own."""

    WITHIN_CHOICES = [("", "Any time"), ("3", "3 months"), ("6", "6 months"), ("12", "12 months")]

    search = forms.CharField(label="Reference or title", required=False, max_length=200, strip=True)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *ContractKind.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ContractStatus.choices]
    )
    lot = forms.CharField(label="Lot name", required=False, max_length=200)
    provider = forms.TypedChoiceField(
        label="Provider", required=False, coerce=int, empty_value=None, widget=LongSelect
    )
    ends_before = date_field(
        "Ends before", required=False, what="the date the contracts end before"
    )
    ends_within = forms.TypedChoiceField(
        label="Ends within",
        required=False,
        choices=WITHIN_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose 3, 6 or 12 months."},
    )
    nothing_under_way = forms.BooleanField(
        label="Only contracts with no extension or recommissioning under way", required=False
    )
    overrunning = forms.BooleanField(
        label="Only overrunning contracts: expired, with support still running on them",
        required=False,
    )
    extension_waiting = forms.BooleanField(
        label="Only contracts with an extension waiting for approvals or a decision",
        required=False,
    )
    kpi_return_overdue = forms.BooleanField(
        label="Only running contracts with no KPI return for a quarter", required=False
    )
    kpi_return_submitted = forms.BooleanField(
        label="Only contracts with a provider's KPI return waiting to be accepted or queried",
        required=False,
    )

    def __init__(self, *args, providers=(), **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Any provider")] + [
            (str(p.pk), p.name) for p in providers
        ]
        self.fields["provider"].error_messages["invalid_choice"] = "Choose one of the providers."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("search"),
            Field.select("kind"),
            Field.select("status"),
            Field.text("lot"),
            Field.select("provider"),
            Field("ends_before", legend_size=Size.SMALL),
            Field.select("ends_within"),
            Field.checkbox("nothing_under_way", small=True),
            Field.checkbox("overrunning", small=True),
            Field.checkbox("extension_waiting", small=True),
            Field.checkbox("kpi_return_overdue", small=True),
            Field.checkbox("kpi_return_submitted", small=True),
        )


# ----------------------------------------------------------------------------------------------
# Contracts


class ContractForm(forms.Form):
    """Create or edit a contract. Once it is active, the end date and total value move only
    through an approved extension, so they are shown but cannot be changed here."""

    reference = forms.CharField(
        label="Reference",
        max_length=60,
        error_messages={"required": "Enter the contract reference."},
    )
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the contract title."}
    )
    kind = forms.ChoiceField(
        label="Kind of contract",
        choices=ContractKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of contract."},
    )
    procurement_route = forms.CharField(
        label="Procurement route (optional)",
        required=False,
        max_length=200,
        help_text="For example, open tender or call-off from the DPS",
    )
    procurement_method = forms.ChoiceField(
        label="How was the provider chosen? (optional)",
        required=False,
        choices=[("", "Not known yet")] + ProcurementMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how the provider was chosen."},
    )
    date_signed = date_field("Date signed (optional)", required=False)
    start_date = date_field("Start date")
    end_date = date_field("End date")
    max_extent_date = date_field(
        "Maximum extent date (optional)",
        required=False,
        help_text="The latest end date that extensions may reach. " + DATE_HINT,
    )
    annual_value = money_field("Annual value (optional)")
    total_value = money_field("Total value (optional)")
    participating_councils = forms.MultipleChoiceField(
        label="Participating councils (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Councils in a joint or sub-regional commission. Each is invited, and sees "
        "this contract once its commissioner accepts; they can read it but not change it. "
        "Leaving a council out withdraws its invitation or its part.",
    )

    def __init__(self, *args, councils=(), locked: bool = False, with_participants=True, **kw):
        super().__init__(*args, **kw)
        self.councils = {c.slug: c for c in councils}
        self.fields["participating_councils"].choices = [
            (c.slug, c.name) for c in self.councils.values()
        ]
        self.fields["participating_councils"].error_messages["invalid_choice"] = (
            "Choose councils from the list."
        )
        if locked:
            for name in ("end_date", "total_value"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = (
                    "This changes only through an approved extension once the contract is active."
                )
        fields = [
            Field.text("reference", field_width=10),
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("procurement_route", field_width=Fluid.TWO_THIRDS),
            Field.radios("procurement_method", legend_size=Size.SMALL),
            Field("date_signed", legend_size=Size.SMALL),
            Field("start_date", legend_size=Size.SMALL),
            Field("end_date", legend_size=Size.SMALL),
            Field("max_extent_date", legend_size=Size.SMALL),
            Field.text("annual_value", field_width=10),
            Field.text("total_value", field_width=10),
        ]
        if with_participants:
            fields.append(Field.checkboxes("participating_councils", legend_size=Size.SMALL))
        else:
            del self.fields["participating_councils"]
        self.helper = _helper(*fields, submit="Save contract")

    def contract_fields(self) -> dict:
        """The cleaned values the contract services take."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "participating_councils"
        }
        for name in ("procurement_route", "procurement_method"):
            data[name] = data.get(name) or ""
        return data

    def chosen_councils(self) -> list:
        return [self.councils[slug] for slug in self.cleaned_data.get("participating_councils", [])]


class TerminateForm(forms.Form):
    on = date_field("Date the contract ends", help_text="The date it was terminated. " + DATE_HINT)
    reason = forms.CharField(
        label="Why is the contract being terminated?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reason for terminating the contract."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("on", legend_size=Size.SMALL),
            Field.textarea("reason", rows=4),
            submit="Terminate contract",
        )


class RecommissioningForm(forms.Form):
    started_on = date_field("Date recommissioning started")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("started_on", legend_size=Size.SMALL), submit="Save")


class ManagerForm(forms.Form):
    NONE = "none"

    manager = forms.ChoiceField(
        label="Who manages this contract?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the contract manager.",
            "invalid_choice": "Choose one of the council's contract managers.",
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["manager"].choices = [
            (pk, person.get_full_name() or person.username) for pk, person in self.people.items()
        ] + [(self.NONE, "No contract manager")]
        self.helper = _helper(Field.radios("manager", legend_size=Size.MEDIUM), submit="Save")

    def chosen(self):
        return self.people.get(self.cleaned_data["manager"])


# ----------------------------------------------------------------------------------------------
# Lots and awards


class LotForm(forms.Form):
    number = forms.IntegerField(
        label="Lot number",
        min_value=1,
        max_value=999,
        error_messages={
            "required": "Enter the lot number.",
            "invalid": "Enter the lot number as a whole number, like 1.",
            "min_value": "Enter a lot number of 1 or more.",
            "max_value": "Enter a lot number of 999 or less.",
        },
    )
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name of the lot."}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea, max_length=5000
    )
    services = forms.MultipleChoiceField(
        label="Services in this lot (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose services from the list."},
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(s.pk): s for s in services}
        self.fields["services"].choices = [
            (pk, f"{s.title} ({s.provider.name})") for pk, s in self.services.items()
        ]
        self.helper = _helper(
            Field.text("number", field_width=4),
            Field.text("name"),
            Field.textarea("description", rows=3),
            Field.checkboxes("services", legend_size=Size.SMALL, small=True),
            submit="Add lot",
        )

    def chosen_services(self) -> list:
        return [self.services[pk] for pk in self.cleaned_data.get("services", [])]


class AwardForm(forms.Form):
    lot = forms.ChoiceField(
        label="Lot",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lot.", "invalid_choice": "Choose one of the lots."},
    )
    provider = forms.ChoiceField(
        label="Provider",
        error_messages={
            "required": "Choose the provider.",
            "invalid_choice": "Choose one of the council's providers.",
        },
    )
    rates = forms.CharField(
        label="Rates (optional)",
        required=False,
        max_length=300,
        help_text="For example, £28.50 an hour",
    )
    capacity = forms.CharField(
        label="Capacity (optional)",
        required=False,
        max_length=200,
        help_text="For example, 4 overnight beds",
    )
    value = money_field(
        "Value (optional)",
        help_text="Over the contract's whole term, before any extension: in pounds, like 250000",
    )
    awarded_on = date_field("Date of the award (optional)", required=False)

    def __init__(self, *args, lots=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = {str(lot.pk): lot for lot in lots}
        self.providers = {str(p.pk): p for p in providers}
        self.fields["lot"].choices = [(pk, str(lot)) for pk, lot in self.lots.items()]
        self.fields["provider"].choices = [("", "Choose a provider")] + [
            (pk, p.name) for pk, p in self.providers.items()
        ]
        self.helper = _helper(
            Field.radios("lot", legend_size=Size.SMALL),
            Field.select("provider"),
            Field.text("rates", field_width=Fluid.TWO_THIRDS),
            Field.text("capacity", field_width=Fluid.TWO_THIRDS),
            Field.text("value", field_width=10),
            Field("awarded_on", legend_size=Size.SMALL),
            submit="Add award",
        )

    def chosen_lot(self):
        return self.lots[self.cleaned_data["lot"]]

    def chosen_provider(self):
        return self.providers[self.cleaned_data["provider"]]
