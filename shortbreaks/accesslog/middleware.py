"""Logs refused requests.

A refused request's own transaction is rolled back (ATOMIC_REQUESTS), so its refusal row is
written here, after the view has returned, where it commits on its own.
"""

from django.core.exceptions import PermissionDenied

from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound


def note_refusal(request, exception) -> None:
    """Remember what a refused request asked for; the middleware writes it after the view."""
    request = getattr(request, "_request", request)
    if isinstance(exception, RecordNotFound):
        request._access_refusal = (exception.object_type, exception.object_id)
    else:
        request._access_refusal = ("page", "")


class RefusalLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, "_access_refusal", None)
        if refusal is not None:
            object_type, object_id = refusal
            access_log_record(
                actor=request.user,
                request=request,
                action="denied",
                outcome="refused",
                object_type=object_type,
                object_id=object_id,
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (RecordNotFound, PermissionDenied)):
            note_refusal(request, exception)
        return None
