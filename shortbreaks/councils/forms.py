from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
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
