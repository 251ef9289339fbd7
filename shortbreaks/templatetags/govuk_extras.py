"""Small template helpers for GOV.UK Frontend markup."""

from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms, template

register = template.Library()

# crispy-forms-gds numbers radios and checkboxes from 1 (id_<name>_1, id_<name>_2, ...).
_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary link should point at: the field, or its first radio or checkbox,
    so that following the link moves focus to something that exists on the page (the day box
    of a date)."""
    if isinstance(bound_field.field.widget, _CHOICE_WIDGETS):
        return f"{bound_field.auto_id}_1"
    if isinstance(bound_field.field.widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def summary_errors(bound_field) -> list[tuple[str, list[str]]]:
    """A field's errors for the error summary, each linked to the box at fault (a date's day,
    month or year) and listed once, though it may mark more than one box."""
    listed: set[str] = set()
    out = []
    for field_id, errors in field_errors(bound_field):
        fresh = [str(error) for error in errors if str(error) not in listed]
        listed.update(fresh)
        if fresh:
            out.append((field_id, fresh))
    return out
