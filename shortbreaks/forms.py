"""What every app's forms share."""

from __future__ import annotations

from django import forms

from shortbreaks.errors import TransitionNotAllowed


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
