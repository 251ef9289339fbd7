from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from shortbreaks.notifications.models import kinds_for


class NotificationPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Which emails do you want?",
        help_text="Select all that apply. Whatever you choose, everything is on your pages here.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.value, kind.label) for kind in kinds_for(audience)]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("kinds", legend_size=Size.MEDIUM, legend_tag="h2"),
            Button("submit", "Save choices"),
        )
