"""Showing the statement's ISO dates ("2025-06-02") as people write them ("2 June 2025").

The statement's content is plain JSON-able data (see statements/content.py), so its dates are ISO
strings; the body template turns them back into words here, the same on the page and in the PDF.
"""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def isodate(value, fmt: str = "j F Y") -> str:
    """An ISO date in words; "" for an empty or unreadable value (never an error in a page)."""
    if isinstance(value, date):
        return date_format(value, fmt)
    try:
        return date_format(date.fromisoformat(str(value or "")), fmt)
    except ValueError:
        return ""
