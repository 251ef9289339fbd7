"""The form for keeping a document with a contract."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from shortbreaks.documents.uploads import ALLOWED_DESCRIPTION, MAX_UPLOAD_BYTES


class ContractDocumentForm(forms.Form):
    title = forms.CharField(
        label="What is the document?",
        max_length=200,
        help_text="For example, the signed contract, a variation notice or a decision record",
        error_messages={"required": "Enter what the document is"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"It must be {ALLOWED_DESCRIPTION}, smaller than "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"), Field("file"), Button("submit", "Upload document")
        )
