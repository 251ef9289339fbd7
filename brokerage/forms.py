"""Forms for brokerage. They check the shape of the input; the services decide the rest."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from brokerage.models import AgeBand, RequestStatus
from providers.models import Ratio
from shortbreaks.filter_forms import FilterForm, choice_filter
from shortbreaks.forms import date_field

PROVIDER_ERRORS = {"required": "Choose the provider.", "invalid_choice": "Choose the provider."}


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class RaiseForm(forms.Form):
    lot = NamedChoiceField(
        label="DPS lot",
        queryset=None,
        empty_label=None,
        help_text="The lot of the DPS whose approved members the request goes to.",
        error_messages={"required": "Choose the DPS lot.", "invalid_choice": "Choose the DPS lot."},
    )

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        from contracts.models import Lot

        self.fields["lot"].queryset = Lot.objects.filter(pk__in=[lot.pk for lot in lots])
        self.fields["lot"].label_from_instance = lambda lot: f"{lot.contract.dps}: {lot}"
        self.helper = _helper(Field.select("lot"), submit="Draft the request")


class RequirementForm(forms.Form):
    age_band = forms.ChoiceField(
        label="Age band",
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the age band."},
    )
    needs_summary = forms.CharField(
        label="Summary of needs",
        help_text="What the child needs, without their name or anything else that identifies "
        "them. Names, NHS numbers, dates of birth, full postcodes and addresses are taken out "
        "when you save.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter a summary of the child's needs."},
    )
    ratio = forms.ChoiceField(
        label="Staff to child ratio",
        choices=Ratio.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the staff to child ratio."},
    )
    area = forms.CharField(
        label="Area",
        help_text="The postcode district only, for example HR4.",
        max_length=8,
        error_messages={"required": "Enter the postcode district."},
    )
    start_date = date_field("Start date", what="the date the support should start")
    outcomes = forms.CharField(
        label="Outcomes sought",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the outcomes the support should achieve."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("age_band", legend_size=Size.SMALL, inline=True),
            Field.textarea("needs_summary"),
            Field.radios("ratio", legend_size=Size.SMALL, inline=True),
            Field.text("area", field_width=Fixed.FIVE),
            Field("start_date", legend_size=Size.SMALL),
            Field.textarea("outcomes"),
            submit="Save the requirement",
        )


class SendForm(forms.Form):
    deadline = date_field("Answers by", what="the deadline for answers")
    providers = forms.ModelMultipleChoiceField(
        label="Approved members to send to",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Those already sent it are not listed.",
    )

    def __init__(self, *args, members, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        from providers.models import Provider

        self.fields["providers"].queryset = Provider.objects.filter(pk__in=[m.pk for m in members])
        self.fields["providers"].label_from_instance = lambda provider: provider.name
        self.helper = _helper(
            Field("deadline", legend_size=Size.SMALL),
            Field.checkboxes("providers", legend_size=Size.SMALL),
            submit=submit,
        )


class AnswerForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the provider.",
            "invalid_choice": "Choose the provider.",
        },
    )
    can_meet = forms.TypedChoiceField(
        label="Can the provider meet the need?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the provider can meet the need."},
    )
    price_per_unit = forms.CharField(
        label="Price per unit, in pounds",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    start_date = date_field(
        "Could start on", required=False, what="the date the support could start"
    )
    comments = forms.CharField(
        label="Comments (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, providers, unit_label: str, fixed_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from providers.models import Provider

        self.fields["provider"].queryset = Provider.objects.filter(pk__in=[p.pk for p in providers])
        self.fields["provider"].label_from_instance = lambda provider: provider.name
        self.fields["price_per_unit"].help_text = f"The price {unit_label}, for example 27.50."
        fields = [
            Field.radios("can_meet", legend_size=Size.SMALL, inline=True),
            Field.text("price_per_unit", field_width=Fixed.TEN),
            Field("start_date", legend_size=Size.SMALL),
            Field.textarea("comments"),
        ]
        if fixed_provider:
            del self.fields["provider"]
        else:
            fields.insert(0, Field.select("provider"))
        self.helper = _helper(*fields, submit="Send the answer")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason."},
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), submit=submit)


class SpotPurchaseForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=None,
        error_messages={
            "required": "Choose the provider.",
            "invalid_choice": "Choose the provider.",
        },
    )
    unit_rate = forms.CharField(
        label="Unit rate, in pounds",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the unit rate."},
    )
    reason = forms.CharField(
        label="Why is it spot purchased?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the support is spot purchased."},
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].label_from_instance = lambda provider: provider.name
        self.helper = _helper(
            Field.select("provider"),
            Field.text("unit_rate", field_width=Fixed.TEN),
            Field.textarea("reason"),
            submit="Record the spot purchase",
        )


class WeightsForm(forms.Form):
    price_weight = forms.IntegerField(
        label="Price weight, in percent",
        min_value=0,
        max_value=100,
        error_messages={"required": "Enter the price weight."},
    )
    quality_weight = forms.IntegerField(
        label="Quality weight, in percent",
        min_value=0,
        max_value=100,
        error_messages={"required": "Enter the quality weight."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("price_weight", field_width=Fixed.FIVE),
            Field.text("quality_weight", field_width=Fixed.FIVE),
            submit="Save the weights",
        )


class RequestFilterForm(FilterForm):
    """The brokerage requests' filters, from the query string. Provider staff filter by status
    only."""

    filter_checkbox_heading = "Only requests"

    status = choice_filter("Status", RequestStatus.choices, any_label="Any status")
    overdue = forms.BooleanField(label="Past their deadline with no award", required=False)
    to_score = forms.BooleanField(label="With answers waiting to be scored", required=False)

    def __init__(self, *args, for_provider: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_provider:
            del self.fields["overdue"], self.fields["to_score"]
            self.helper.layout = Layout(Field.select("status"))
