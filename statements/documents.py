"""The statement's PDF: built by the document job worker (settings.DOCUMENT_BUILDERS["statement"]).

The PDF is rendered from the frozen content of the published version (`build_content`), with the
same body template as the public page, so it never changes when services do. Council text is
escaped by the template; the renderer fetches nothing but the app's own static files.
"""

from __future__ import annotations

from shortbreaks.documents.rendering import render_pdf
from statements.content import build_content
from statements.models import StatementVersion

TEMPLATE = "statements/pdf/statement.html"


def build(*, job, progress) -> bytes:
    version = StatementVersion.objects.select_related("council").get(
        pdf_job=job, council=job.council
    )
    progress(10, "Reading the statement")
    content = build_content(version)
    progress(40, "Laying out the pages")
    data = render_pdf(TEMPLATE, {"content": content, "version": version, "for_pdf": True})
    progress(95, "Storing the file")
    return data


def pdf_response(job):
    """A built statement PDF as a download (404 while it is not built yet)."""
    from types import SimpleNamespace

    from django.http import Http404

    from shortbreaks.documents.models import JobStatus
    from shortbreaks.documents.responses import attachment_response

    if job is None or job.status != JobStatus.DONE or not job.file:
        raise Http404("The PDF is being prepared.")
    return attachment_response(
        SimpleNamespace(
            file=job.file, original_name=job.download_name, content_type="application/pdf"
        )
    )
