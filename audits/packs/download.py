"""An evidence pack's download: the same stored PDF, with the same headers, for the pages and the
API (each checks recent authentication first, `audits.packs.confirmation`)."""

from __future__ import annotations

from django.http import FileResponse, Http404


def pack_file_response(pack) -> FileResponse:
    stored = pack.job.file
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404("No such document.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=pack.job.download_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Checksum-SHA256"] = pack.job.sha256
    return response
