"""The public form for carers' views on the short breaks services statement (Regulation 5(4)).

It checks the shape of the answers and says what is missing in plain words;
`statements.services.feedback_submit` decides what is saved (and says the same things again, so a
caller that skips this form cannot save anything it would refuse).
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from statements.services import FEEDBACK_MAX


class FeedbackForm(forms.Form):
    views = forms.CharField(
        label="Your views on the statement",
        help_text="For example, which short breaks work well for your family, what is missing, "
        "or what is hard to understand. Do not include your child's name or medical details.",
        max_length=FEEDBACK_MAX["views"],
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter your views on the statement",
            "max_length": f"Your views must be {FEEDBACK_MAX['views']:,} characters or fewer",
        },
    )
    relationship = forms.CharField(
        label="How are you connected to a disabled child or young person? (optional)",
        help_text="For example, parent, grandparent, foster carer, or a young person yourself",
        required=False,
        max_length=FEEDBACK_MAX["relationship"],
        error_messages={
            "max_length": f"This must be {FEEDBACK_MAX['relationship']} characters or fewer"
        },
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=FEEDBACK_MAX["name"],
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "max_length": f"Your name must be {FEEDBACK_MAX['name']} characters or fewer"
        },
    )
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="Only if you would like a reply. The council uses it for nothing else.",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    wants_reply = forms.BooleanField(
        label="I would like the council to reply to me",
        required=False,
    )

    # Field names in the order the page shows them.
    ORDER = ("views", "relationship", "name", "email", "wants_reply")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("views", label_size=Size.MEDIUM),
            Field.text("relationship", field_width=Fluid.TWO_THIRDS),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("wants_reply"),
            Button("submit", "Send your views"),
        )

    def clean(self):
        data = super().clean()
        if data.get("wants_reply") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address so that the council can reply")
        return data

    def submission(self) -> dict:
        """The service's keyword arguments from a valid form."""
        return {name: self.cleaned_data[name] for name in self.ORDER}
