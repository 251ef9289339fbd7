"""What the providers' forms share: the GOV.UK layout helper and the limits of their numbers."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout

MAX_AGE = 25
MAX_CAPACITY = 100_000
TIME_FORMATS = ["%H:%M", "%H.%M"]


def form_helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout
    return helper
