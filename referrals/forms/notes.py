"""The case note form: adding a note, and correcting one. It checks the shape of the answers
only; whether a note may be written or corrected in place, and whether a file is accepted, is the
services' to say."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from referrals.models import CaseNoteKind
from shortbreaks.documents.uploads import ALLOWED_DESCRIPTION
from shortbreaks.forms import GovDateField

TEXT = 20_000


class CaseNoteForm(forms.Form):
    on = GovDateField(what="the date", label="Date", help_text="For example, 14 6 2026")
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=CaseNoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose visit, phone call, email, meeting or observation"},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT,
        error_messages={"required": "Enter the note"},
    )
    file = forms.FileField(
        label="Attach a file (optional)",
        help_text=f"The file must be {ALLOWED_DESCRIPTION}, smaller than 10 MB.",
        required=False,
        error_messages={"empty": "The selected file is empty.", "invalid": "Select a file"},
    )

    def __init__(self, *args, attachment: bool = True, button: str = "Save the note", **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        layout = [
            Field("on", legend_size=Size.SMALL),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.textarea("text"),
        ]
        if attachment:
            layout.append(Field("file"))
        else:
            del self.fields["file"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, Button("submit", button))
