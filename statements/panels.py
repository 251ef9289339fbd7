"""What the statement adds to the home page (listed in settings.HOME_PANELS)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from statements.selectors import public_statement

PANEL_TEMPLATE = "statements/staff/_review_panel.html"
DUE_SOON_DAYS = 30


def statement_review_notices(request, *, today=None) -> dict | None:
    """Tells the people who write the statement when it is past its review date, due for review
    within 30 days, or when the council has published none at all."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not user.has_perm("statements.manage_statement")
    ):
        return None
    council = user.active_council
    if council is None:
        return None
    today = today or timezone.localdate()
    current = public_statement(council)
    if current is None:
        state = "missing"
    elif current.review_on and current.review_on < today:
        state = "overdue"
    elif current.review_on and current.review_on <= today + timedelta(days=DUE_SOON_DAYS):
        state = "due"
    else:
        return None
    return {"template": PANEL_TEMPLATE, "statement_state": state, "statement": current}
