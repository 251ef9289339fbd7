"""What every app's forms share."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from shortbreaks.errors import TransitionNotAllowed


class GovDateField(DateInputField):
    """Day, month and year boxes (GOV.UK date input), with messages that say which date is wrong:
    `what` is how the error names it ("the date of the visit")."""

    def __init__(self, *, what: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what} as a day, month and year"
        self.what = what

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if any(
                m.startswith(("day is out", "month must", "year ", "Enter a valid"))
                for m in error.messages
            ):
                raise ValidationError(f"{self.what.capitalize()} must be a real date") from error
            raise


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal on the form: each field's messages beside that field, anything
    else (a state that forbids the step, a message about the whole record) at the top."""
    if isinstance(error, TransitionNotAllowed):
        form.add_error(None, error.reason)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    for message in getattr(error, "messages", [str(error)]):
        form.add_error(None, message)
