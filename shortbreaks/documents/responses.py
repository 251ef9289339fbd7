"""Serving a stored document: always as an attachment, with the type found at upload."""

from __future__ import annotations

from django.http import FileResponse, Http404

from shortbreaks.documents.uploads import display_name


def attachment_response(document, *, field: str = "file") -> FileResponse:
    """The document's file as a download. The browser never renders it in the page (a file that
    claims to be an image cannot run as HTML here), and the name shown is the display name.
    A row whose file is gone answers not-found, as a missing row would."""
    stored = getattr(document, field)
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404("No such document.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=display_name(document.original_name),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
