"""Request-wide rules for signed-in people: session limits and no caching."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import patch_cache_control

STARTED = "_session_started_at"
LAST_SEEN = "_session_last_seen_at"
# Writing the session on every request would cost a write per page; a minute's slack is enough.
LAST_SEEN_RESOLUTION = 60
# Set on the request when a session ends for being idle or too old, not because the person
# signed out: their API tokens keep their own clocks (shortbreaks.councils.signals).
SESSION_TIMED_OUT = "session_timed_out"


class SessionLimitsMiddleware:
    """Ends a signed-in session after 30 minutes idle or 10 hours in all, on the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request) -> None:
        now = timezone.now().timestamp()
        session = request.session
        started = session.get(STARTED)
        last_seen = session.get(LAST_SEEN)
        if started is None:
            session[STARTED] = session[LAST_SEEN] = now
            return
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - started > absolute or now - (last_seen or started) > idle:
            setattr(request, SESSION_TIMED_OUT, True)
            logout(request)  # flushes the session row on the server
            messages.info(request, "You have been signed out. Sign in again to continue.")
            return
        if now - (last_seen or 0) > LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
