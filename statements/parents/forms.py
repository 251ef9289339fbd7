"""Forms for parent carers: signing up, signing in, and the targeted grant self-assessment.

They check the shape of the answers; the services in `referrals.services` decide what may be
saved (an email address not in use, a password Django's validators accept, a real postcode).
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals.forms.children import DateOfBirthField
from referrals.models import Disability
from referrals.services.parents import SELF_ASSESSMENT_QUESTIONS
from referrals.validators import clean_postcode

TEXT = 5000


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _text(label: str, max_length: int, *, required: bool = True, missing: str = "", **kwargs):
    messages = {
        "max_length": f"{label.removesuffix(' (optional)')} must be {max_length} "
        "characters or fewer"
    }
    if required:
        messages["required"] = missing or f"Enter {label.lower()}"
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


class SignUpForm(forms.Form):
    """A parent carer's account for one council's pages."""

    first_name = _text("First name", 150, missing="Enter your first name")
    last_name = _text("Last name", 150, missing="Enter your last name")
    email = forms.EmailField(
        label="Email address",
        max_length=150,
        help_text="You sign in with this. The council does not share it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and your name.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = _helper(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Field.text("password_again", field_width=Fluid.TWO_THIRDS),
            submit="Create account",
        )

    def clean(self):
        cleaned = super().clean()
        first, again = cleaned.get("password"), cleaned.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", "The passwords do not match")
        return cleaned


class ConfirmSignUpForm(forms.Form):
    """Following the emailed link: the password chosen at sign-up finishes the account."""

    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="The password you chose when you created the account.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("password", field_width=Fluid.TWO_THIRDS), submit="Confirm and sign in"
        )


class ParentSignInForm(AuthenticationForm):
    """A parent carer signs in to one council's pages. Only a parent account of that council may;
    anyone else gets the same message as a wrong password."""

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

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = _helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            submit="Sign in",
        )

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        account = getattr(user, "parent_account", None)  # None for staff: no such row
        if account is None or self.council is None or account.council_id != self.council.pk:
            raise self.get_invalid_login_error()


class SelfAssessmentForm(forms.Form):
    """The targeted grant self-assessment: about the child (unless the council already holds
    their record and it is linked to the account), then about the caring."""

    child = forms.TypedChoiceField(
        label="Which child is this application for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child this application is for",
            "invalid_choice": "Choose the child this application is for",
        },
    )
    first_name = _text("Child's first name", 100, missing="Enter the child's first name")
    last_name = _text("Child's last name", 100, missing="Enter the child's last name")
    date_of_birth = DateOfBirthField(
        label="Child's date of birth", help_text="For example, 27 3 2014"
    )
    postcode = _text(
        "Child's home postcode",
        10,
        missing="Enter the child's home postcode",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    disabilities = forms.MultipleChoiceField(
        label="What are the child's disabilities or additional needs?",
        widget=forms.CheckboxSelectMultiple,
        choices=[Choice(code, label) for code, label in Disability.choices],
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one of the child's disabilities or needs",
            "invalid_choice": "Choose from the list of disabilities and needs",
        },
    )
    relationship = _text(
        SELF_ASSESSMENT_QUESTIONS["relationship"],
        100,
        missing="Enter your relationship to the child",
        help_text="For example, mother, father, grandparent or foster carer",
    )
    breaks_would_let_you = _text(
        SELF_ASSESSMENT_QUESTIONS["breaks_would_let_you"],
        TEXT,
        missing="Enter what breaks from caring would let you do",
        help_text="For example, work, study, rest, or spend time with your other children",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    others_cared_for = _text(
        f"{SELF_ASSESSMENT_QUESTIONS['others_cared_for']} (optional)",
        TEXT,
        required=False,
        help_text="For example, other children, a partner or a parent",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    use_of_grant = _text(
        SELF_ASSESSMENT_QUESTIONS["use_of_grant"],
        TEXT,
        missing="Enter what you would use the grant for",
        help_text="For example, holiday activities, a club, or a carer for a few hours",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    CHILD_DETAILS = ("first_name", "last_name", "date_of_birth", "postcode", "disabilities")
    CARING = tuple(SELF_ASSESSMENT_QUESTIONS)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        layout = []
        if self.children:
            for name in self.CHILD_DETAILS:
                del self.fields[name]
            self.fields["child"].choices = [
                (child.pk, child.full_name) for child in self.children.values()
            ]
            layout.append(Field.radios("child", legend_size=Size.MEDIUM))
        else:
            del self.fields["child"]
            layout += [
                Field.text("first_name", field_width=Fluid.ONE_HALF),
                Field.text("last_name", field_width=Fluid.ONE_HALF),
                Field("date_of_birth", legend_size=Size.SMALL),
                Field.text("postcode", field_width=Fixed.TEN),
                Field.checkboxes("disabilities", legend_size=Size.SMALL, small=True),
            ]
        layout += [
            Field.text("relationship", field_width=Fluid.ONE_HALF),
            Field.textarea("breaks_would_let_you"),
            Field.textarea("others_cared_for"),
            Field.textarea("use_of_grant"),
        ]
        self.helper = _helper(*layout, submit="Continue")

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise ValidationError("Date of birth must be in the past")
        return born

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data["postcode"])

    def chosen_child(self):
        return self.children.get(self.cleaned_data.get("child"))

    def child_fields(self) -> dict | None:
        if self.children:
            return None
        return {name: self.cleaned_data[name] for name in self.CHILD_DETAILS}

    def caring(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.CARING}

    def first_field_id(self, name: str) -> str:
        """The id of the input a "Change" link jumps to."""
        if name == "date_of_birth":
            return "id_date_of_birth_0"
        if name in ("disabilities", "child"):
            return f"id_{name}_1"
        return f"id_{name}"
