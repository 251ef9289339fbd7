"""The base of a list's filter form, read from the query string and shown in the list's filter
panel (`{% filter_layout %}`): every field optional, each laid out the GOV.UK way by its kind,
ids as the parameters' own names (`status`, not `id_status`)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms


def choice_filter(label: str, choices, *, any_label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", any_label), *choices],
        error_messages={"invalid_choice": f"Choose a {label.lower()} from the list."},
    )


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Hidden fields (a list narrowed from another page) are kept by the filter panel itself.
        self.helper.layout = Layout(
            *(
                self._layout(name, form_field)
                for name, form_field in self.fields.items()
                if not form_field.widget.is_hidden
            )
        )

    @staticmethod
    def _layout(name: str, form_field):
        if isinstance(form_field, forms.BooleanField):
            return Field.checkbox(name, small=True)
        if isinstance(form_field, forms.ChoiceField):
            return Field.select(name)
        return Field.text(name, field_width=Fluid.FULL)
