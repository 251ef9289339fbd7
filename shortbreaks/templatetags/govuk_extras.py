"""Small template helpers for GOV.UK Frontend markup."""

from django import forms, template

register = template.Library()

# crispy-forms-gds numbers radios and checkboxes from 1 (id_<name>_1, id_<name>_2, ...).
_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary link should point at: the field, or its first radio or checkbox,
    so that following the link moves focus to something that exists on the page."""
    if isinstance(bound_field.field.widget, _CHOICE_WIDGETS):
        return f"{bound_field.auto_id}_1"
    return bound_field.auto_id
