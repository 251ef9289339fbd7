"""What every app's API shares: the exception handler, and the answer to OPTIONS."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shortbreaks.accesslog.middleware import note_refusal
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed, too_big_message

REFUSALS = (
    RecordNotFound,
    DjangoPermissionDenied,
    exceptions.PermissionDenied,
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
)


TOO_MANY_PARTS = "The request has too many fields or files."


def exception_handler(exc, context):
    """DRF's handler, plus: refusals are logged, a service's ValidationError is a 400 with field
    messages, a transition the record's state forbids is a 409 with the reason, and a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 (Django would answer an HTML 400)."""
    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": too_big_message()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": TOO_MANY_PARTS}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionNotAllowed):
        from rest_framework.views import set_rollback

        set_rollback()
        return Response({"detail": exc.reason}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, REFUSALS) and request is not None:
        note_refusal(request, exc)
    return drf_exception_handler(exc, context)


class Metadata(SimpleMetadata):
    """DRF's answer to OPTIONS, for views whose PUT names no object in its URL as well.

    DRF describes a PUT by first reading the object the URL names (`get_object`), which fails
    with a 500 where the URL names none: the spend lines' PUT sets a line by its year and package
    type. There, PUT is described as POST is, from the view's serializer."""

    def determine_actions(self, request, view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        if hasattr(view, "get_object") and lookup not in getattr(view, "kwargs", {}):
            view.get_object = lambda: None  # this request's view only
        return super().determine_actions(request, view)
