"""What brokerage adds to the home page (listed in settings.HOME_PANELS): requests waiting for
the council, each count linking to the list. One query, whatever the rows."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from brokerage.models import RequestStatus
from brokerage.selectors import request_list

TEMPLATE = "brokerage/_home_panel.html"


def brokerage_waiting(request) -> dict | None:
    """Drafts to check and send, and sent requests whose deadline has passed (to award, send
    again, widen or spot purchase), for the people who do those."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("brokerage.manage_request"):
        return None
    today = timezone.localdate()
    counts = request_list(actor=user).aggregate(
        drafts=Count("pk", filter=Q(status=RequestStatus.DRAFT)),
        past_deadline=Count("pk", filter=Q(status=RequestStatus.SENT, deadline__lt=today)),
    )
    if not counts["drafts"] and not counts["past_deadline"]:
        return None
    return {"template": TEMPLATE, **counts}
