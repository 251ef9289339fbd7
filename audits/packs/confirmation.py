"""Recent authentication before an evidence pack is downloaded.

A pack holds a council's records in bulk, so downloading one needs a person who proved who they
are in the last 15 minutes. For the pages that is the later of the sign-in (the session's start,
recorded by `SessionLimitsMiddleware` on the first signed-in request) and the last time they
confirmed their password (recorded here). For the API it is the token's issue time, or the same
session times when the API is used from a signed-in browser; an API client may also confirm by
posting its password to the download endpoint. The download itself is `audits.packs.download`.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils import timezone

from shortbreaks.middleware import STARTED

CONFIRMED = "_password_confirmed_at"
RECENT = timedelta(minutes=15)


def _now() -> float:
    return timezone.now().timestamp()


def session_recently_authenticated(session) -> bool:
    times = [t for t in (session.get(STARTED), session.get(CONFIRMED)) if t is not None]
    return bool(times) and _now() - max(times) <= RECENT.total_seconds()


def token_recently_issued(token) -> bool:
    return token is not None and timezone.now() - token.created <= RECENT


def record_confirmation(session) -> None:
    session[CONFIRMED] = _now()


def password_confirms(request, user, password: str) -> bool:
    """Check the password through the same backends (and lockout) as the sign-in page."""
    if not password:
        return False
    confirmed = authenticate(request, username=user.get_username(), password=password)
    return confirmed is not None and confirmed.pk == user.pk
