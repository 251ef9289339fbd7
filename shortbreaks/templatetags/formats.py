"""How pages show money: `{{ amount|money }}` gives "£1,019.38" (pounds with thousands
separated by commas and always two places of pence), as the GOV.UK style guide writes money.

    {% load formats %}
    {{ package.cost_per_week|money }}

None or an empty value shows as nothing, so a template keeps its own words for "Not recorded".
Dates are written with Django's `date` filter as "j F Y" ("5 December 2026").
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

_PENNY = Decimal("0.01")


@register.filter
def money(value) -> str:
    """An amount in pounds as "£1,019.38" (negative amounts as "-£5.00")."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(_PENNY, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
