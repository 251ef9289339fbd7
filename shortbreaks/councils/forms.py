from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Staff sign-in. The username is the person's work email address."""

    username = forms.CharField(
        label="Email address",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been closed.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )


class SwitchCouncilForm(forms.Form):
    council = forms.ChoiceField(
        label="Which council are you working in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the council you are working in."},
    )

    def __init__(self, *args, councils, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.slug, c.name) for c in councils]
        if current is not None:
            self.fields["council"].initial = current.slug
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("council", legend_size=Size.MEDIUM, legend_tag="h1"),
            Button("submit", "Continue"),
        )


class AccessibilityContactForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Where people ask for another format or report a problem",
        error_messages={
            "required": "Enter the email address people write to about accessibility.",
            "invalid": "Enter an email address like accessibility@council.gov.uk.",
        },
    )
    phone = forms.CharField(label="Telephone number (optional)", max_length=30, required=False)
    response_days = forms.IntegerField(
        label="Working days to answer",
        min_value=1,
        max_value=60,
        help_text="The accessibility statement promises an answer within this many working days",
        error_messages={
            "required": "Enter the number of working days to answer.",
            "invalid": "Enter the number of working days as a whole number, like 10.",
            "min_value": "Enter a number of working days from 1 to 60.",
            "max_value": "Enter a number of working days from 1 to 60.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("phone", field_width=Fixed.TWENTY, type="tel"),
            Field.text("response_days", field_width=Fixed.TWO, inputmode="numeric"),
            Button("submit", "Save"),
        )
