"""One GOV.UK tag for every status, with one colour for each status value wherever it is shown.

    {% load status_tags %}
    {% status_tag referral %}                         the referral's status and its label
    {% status_tag contract field="current_status" %}  another status field of the record
    {% status_tag "cancelled_late" "Cancelled late" %} a value and the words to show

A status value has the same colour on every page and for every kind of record ("Screening" is
yellow wherever it appears). `STATUS_COLOURS` names every value of every model's status choices;
tests/shortbreaks/test_status_tags.py checks that none is missing.
"""

from django import template
from django.db import models
from django.utils.html import format_html

register = template.Library()

# GOV.UK Frontend tag colours: grey, green, turquoise, blue, light-blue, purple, pink, red,
# orange, yellow. Waiting on someone: yellow; under way: blue; done well: green; stopped or
# refused: red; finished or not started: grey.
STATUS_COLOURS: dict[str, str] = {
    # referrals
    "received": "blue",
    "screening": "yellow",
    "accepted_for_assessment": "green",
    "signposted_universal": "turquoise",
    "referred_targeted": "purple",
    "no_further_action": "grey",
    # assessments and audit recommendations
    "in_progress": "blue",
    "completed": "yellow",
    "authorised": "green",
    "open": "light-blue",
    "complete": "green",
    # packages, grants, extensions, DPS memberships
    "proposed": "blue",
    "approved": "green",
    "active": "green",
    "ceased": "grey",
    "declined": "red",
    "applied": "blue",
    "under_assessment": "yellow",
    # grant payments
    "not_due": "grey",
    "awaiting_payment": "yellow",
    "paid": "green",
    "stopped": "red",
    # providers, DPS, surveys, direct payments
    "suspended": "orange",
    "exited": "grey",
    "closed": "grey",
    "ended": "grey",
    # contracts, extensions, participation
    "draft": "grey",
    "extended": "turquoise",
    "expired": "orange",
    "terminated": "red",
    "submitted": "blue",
    "refused": "red",
    "invited": "blue",
    "accepted": "green",
    "withdrawn": "grey",
    # KPI returns
    "due": "yellow",
    "queried": "orange",
    # documents, evidence packs and notifications
    "queued": "grey",
    "building": "blue",
    "done": "green",
    "failed": "red",
    "sending": "blue",
    "sent": "green",
    # bookings and waiting lists
    "booked": "blue",
    "delivered": "green",
    "cancelled": "grey",
    "cancelled_late": "red",
    "waiting": "yellow",
    "offered": "turquoise",
    # brokerage
    "awarded": "green",
    "spot_purchased": "turquoise",
    "pending": "blue",
    "not_chosen": "grey",
    # marks beside a status
    "overdue": "red",
    # services statements
    "consultation": "blue",
    "published": "green",
    "superseded": "yellow",
}


def status_colour(status) -> str:
    """The tag colour for a status value (grey for one this map does not know)."""
    return STATUS_COLOURS.get(str(status), "grey")


def status_tag_class(status) -> str:
    """The CSS classes of a tag for a status value, for code that builds its own tag markup."""
    return f"govuk-tag--{status_colour(status)}"


@register.simple_tag
def status_tag(value, label=None, field: str = "status"):
    """A GOV.UK tag for a record's status (its `field`) or for a status value."""
    if isinstance(value, models.Model):
        status = getattr(value, field)
        if label is None:
            display = getattr(value, f"get_{field}_display", None)
            label = display() if display else status
    else:
        status = value
        if label is None:
            label = str(value).replace("_", " ").capitalize()
    return format_html('<strong class="govuk-tag {}">{}</strong>', status_tag_class(status), label)
