"""The form staff use to link a child's carer to the parent account they sign in with."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms


class CarerAccountForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the parent's account",
        max_length=150,
        help_text="The address the parent signed up with on the council's short breaks pages",
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of the parent's account",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS), Button("submit", "Link account")
        )
