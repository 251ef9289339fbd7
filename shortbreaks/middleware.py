"""Request-wide rules: session limits, no caching for signed-in people, and the council scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import patch_cache_control

from shortbreaks import rls

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


class CouncilScopeMiddleware:
    """Sets the council whose rows the database shows this request (shortbreaks.rls), and puts
    back what was there before once the response is made.

    Signed-in staff see their active council; an external auditor, the council they audit; a
    page whose address names a council (the public pages and parents' pages) sees that one, and
    the public pages that only read (statement, directory, Open Referral) see its published
    records only. The API's token sign-in sets it again once it knows who is asking
    (shortbreaks.councils.authentication). Anyone else sees no council's rows. A connection
    from the web processes' pool is reset as it goes back to it (shortbreaks/db_pool.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        previous = rls.set_scope(rls.for_person(request.user))
        try:
            return self.get_response(request)
        finally:
            # A pooled connection is reset as it goes back, at the request's end: putting the
            # scope back first would be a second round trip to the same end.
            if not rls.reset_by_pool():
                rls.restore(previous)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.app_name == "admin" and request.user.is_superuser:
            # The platform's own administrators: every council's rows, in the Django admin only.
            rls.set_scope(rls.scope_values(everything=True, user_id=request.user.pk))
            return None
        slug = view_kwargs.get("council_slug")
        if slug is None:
            return None
        council_id = rls.council_id_for_slug(slug)
        if council_id is None:
            return None  # the view answers its own 404
        public = match.namespace == "openreferral" or match.view_name in PUBLIC_READ_URL_NAMES
        rls.set_scope(rls.for_person(request.user, council_id=council_id, public=public))
        return None


# The public pages that only read a council's published records.
PUBLIC_READ_URL_NAMES = {
    "statements:directory",
    "statements:directory-service",
    "statements:statement",
    "statements:statement-pdf",
    "statements:statement-version",
    "statements:statement-version-pdf",
    "statements:statement-consultation",
}
