"""Forms for a child's record, their carers, the children list's filters and the caseload.

Forms check the shape of the answers; the services decide what may be saved (a unique NHS number,
a keyworker of the council, a date of birth in the past). A child's tier is never a field here:
only services move it.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals.census_codes import Ethnicity, Sex, UPNUnknown
from referrals.models import ChildTier, Disability
from referrals.nhs import validate_nhs_number
from referrals.validators import clean_postcode, clean_upn
from shortbreaks.filter_forms import FilterForm
from shortbreaks.forms import GovDateField

CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "council_child_id",
    "nhs_number",
    "upn",
    "address",
    "postcode",
    "disabilities",
    "communication_needs",
    "school",
    # The children in need census items
    "former_upn",
    "upn_unknown_reason",
    "sex",
    "ethnicity",
    "expected_date_of_birth",
    "date_of_death",
)


EDIT_ONLY_FIELDS = ("expected_date_of_birth", "date_of_death")


class DateOfBirthField(GovDateField):
    """A child's date of birth."""

    def __init__(self, **kwargs):
        super().__init__(what="the date of birth", subject="Date of birth", **kwargs)


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _text(label: str, max_length: int, *, required: bool = False, **kwargs) -> forms.CharField:
    messages = {
        "max_length": f"{label.removesuffix(' (optional)')} must be {max_length} "
        "characters or fewer"
    }
    if required:
        messages["required"] = f"Enter the {label.lower()}"
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


class ChildFilterForm(FilterForm):
    """The children list's search and tier filter: posted (a search is never in the address),
    or the tier alone from the query string. Its ids are the list's own (`id_search`)."""

    # The search is kept in the session under an opaque id, `?q=<id>`: removing it drops `q`.
    filter_params = {"search": ("q",)}

    search = forms.CharField(
        label="Name, child id, NHS number or postcode",
        required=False,
        max_length=100,
    )
    tier = forms.ChoiceField(
        label="Tier",
        required=False,
        choices=[("", "Any tier"), *ChildTier.choices],
        error_messages={"invalid_choice": "Choose a tier from the list"},
    )
    overnights = forms.ChoiceField(
        label="Overnight stays",
        required=False,
        choices=[
            ("", "Any"),
            ("near", "Near 17 nights in a stay or 75 nights in 12 months"),
        ],
        error_messages={"invalid_choice": "Choose from the list"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("search", field_width=Fluid.TWO_THIRDS),
            Field.select("tier"),
            Field.select("overnights"),
        )

    def filters(self) -> dict:
        """The valid filters as `child_list` keywords; a field with an error is left out."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name] for name in ("search", "tier", "overnights") if cleaned.get(name)
        }


class ChildForm(forms.Form):
    """A child's details, for adding (then checking the answers) or changing them."""

    first_name = _text("First name", 100, required=True)
    last_name = _text("Last name", 100, required=True)
    date_of_birth = DateOfBirthField(label="Date of birth", help_text="For example, 27 3 2014")
    council_child_id = _text(
        "Council's child id (optional)",
        40,
        help_text="The council's own case number. Leave it empty and one is made when you save.",
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=14,
        validators=[validate_nhs_number],
        help_text="10 digits, like 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"max_length": "Enter a valid NHS number: 10 digits, like 943 476 5919."},
    )
    upn = _text(
        "Unique pupil number (optional)",
        13,
        help_text="13 characters: a letter, then 11 digits, then a digit or letter",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    address = forms.CharField(
        label="Address (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = _text(
        "Postcode (optional)", 10, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            Choice(code, label, hint=f"DfE code {code}") for code, label in Disability.choices
        ],
        help_text="Select all that apply, as the children in need census records them",
        error_messages={"invalid_choice": "Choose from the DfE disability codes"},
    )
    communication_needs = forms.CharField(
        label="Communication needs (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, uses Makaton or a communication board",
    )
    school = _text("School (optional)", 200)
    # The children in need census items (referrals/census.py)
    former_upn = _text(
        "Former unique pupil number (optional)",
        13,
        help_text="A UPN the child had before, if it changed",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    upn_unknown_reason = forms.ChoiceField(
        label="Why there is no unique pupil number (optional)",
        required=False,
        choices=[("", "Not given"), *UPNUnknown.choices],
        help_text="Only for a child with no UPN",
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        required=False,
        choices=[(code, label) for code, label in Sex.choices],
        widget=forms.RadioSelect,
        help_text="As the children in need census records it",
        error_messages={"invalid_choice": "Choose male, female or not known"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity (optional)",
        required=False,
        choices=[("", "Not given"), *Ethnicity.choices],
        error_messages={"invalid_choice": "Choose the ethnicity from the list"},
    )
    expected_date_of_birth = GovDateField(
        what="the expected date of birth",
        label="Expected date of birth (optional)",
        required=False,
        help_text="For a child referred before they were born. For example, 27 3 2026",
    )
    date_of_death = GovDateField(
        what="the date of death",
        label="Date of death (optional)",
        required=False,
        help_text="For example, 27 3 2026",
    )
    keyworker = forms.TypedChoiceField(
        label="Keyworker",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The social worker whose caseload the child is on",
        error_messages={"invalid_choice": "Choose one of the council's social workers"},
    )

    def __init__(self, *args, workers=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {worker.pk: worker for worker in workers}
        self.fields["keyworker"].choices = [("", "No keyworker yet")] + [
            (worker.pk, worker.get_full_name() or worker.get_username())
            for worker in self.workers.values()
        ]
        if not editing:
            # Dates that come after a child is first recorded: changed on the edit page only.
            for name in EDIT_ONLY_FIELDS:
                del self.fields[name]
        if editing:
            field = self.fields["council_child_id"]
            field.label = "Council's child id"
            field.required = True
            field.help_text = "The council's own case number."
            field.error_messages["required"] = "Enter the council's child id"
        self.helper = _helper(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field("date_of_birth", legend_size=Size.SMALL),
            Field.text("council_child_id", field_width=Fixed.TEN),
            Field.text("nhs_number", field_width=Fixed.TEN),
            Field.text("upn", field_width=Fixed.TWENTY),
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN),
            Field.checkboxes("disabilities", legend_size=Size.SMALL, small=True),
            Field.textarea("communication_needs"),
            Field.text("school", field_width=Fluid.TWO_THIRDS),
            Field.text("former_upn", field_width=Fixed.TWENTY),
            Field.select("upn_unknown_reason"),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field.select("ethnicity"),
            *(
                Field(name, legend_size=Size.SMALL)
                for name in EDIT_ONLY_FIELDS
                if name in self.fields
            ),
            Field.select("keyworker"),
            submit="Save changes" if editing else "Continue",
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise ValidationError("Date of birth must be in the past")
        return born

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_upn(self):
        return clean_upn(self.cleaned_data["upn"])

    def clean_former_upn(self):
        return clean_upn(self.cleaned_data["former_upn"])

    def child_fields(self) -> dict:
        """The cleaned values as `child_create` and `child_update` take them."""
        return {name: self.cleaned_data[name] for name in CHILD_FIELDS if name in self.fields}

    def chosen_keyworker(self):
        return self.workers.get(self.cleaned_data.get("keyworker"))

    @classmethod
    def initial_for(cls, child) -> dict:
        initial = {name: getattr(child, name) for name in CHILD_FIELDS}
        initial["keyworker"] = child.keyworker_id
        return initial


class CarerForm(forms.Form):
    name = _text("Name", 200, required=True)
    relationship = _text(
        "Relationship to the child", 100, required=True, help_text="For example, mother"
    )
    contact = forms.CharField(
        label="Contact details (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Telephone, email or address",
    )
    own_needs = forms.CharField(
        label="The carer's own needs (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, their health, work, or other children they care for",
    )

    def __init__(self, *args, submit: str = "Save carer", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].error_messages["required"] = (
            "Enter the carer's relationship to the child"
        )
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("relationship", field_width=Fluid.ONE_HALF),
            Field.textarea("contact"),
            Field.textarea("own_needs"),
            submit=submit,
        )


class WorkerForm(forms.Form):
    """A team manager picks whose caseload to see."""

    worker = forms.TypedChoiceField(
        label="Whose caseload",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a social worker in your team"},
    )

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {worker.pk: worker for worker in workers}
        self.fields["worker"].choices = [
            (worker.pk, worker.get_full_name() or worker.get_username())
            for worker in self.workers.values()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("worker"))

    def chosen(self):
        cleaned = getattr(self, "cleaned_data", {})
        return self.workers.get(cleaned.get("worker"))
