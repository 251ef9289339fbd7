"""PDF rendering with WeasyPrint, fenced in.

Documents are rendered only from the app's own templates. The URL fetcher refuses `file://`, every
outside host and every scheme but `data:`; the only other thing it serves is the app's own built
stylesheet, read from disk by name. Text a council wrote therefore cannot pull in a local file or
remote content. Slow renders are stopped by the Celery task's time limit.

Every PDF is tagged PDF in WeasyPrint's PDF/UA-1 variant: a structure tree (headings, paragraphs,
lists, tables with their header cells) that screen readers follow, the document's language from
`<html lang>` and its title from `<title>`, shown in place of the file name. Parent carers read
statements and decision letters, so an untagged PDF would shut some of them out.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from shortbreaks.documents import pdf_tuning
from shortbreaks.documents.released_pages import released_once_tagged

# The base URL documents are rendered under. It resolves to nothing on any network.
INTERNAL_BASE_URL = "https://documents.shortbreaks.invalid/"
STATIC_PREFIX = INTERNAL_BASE_URL + "static/"
SERVABLE_SUFFIXES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
# Tagged PDF for accessibility (ISO 14289-1): structure tree, language, title shown.
PDF_VARIANT = "pdf/ua-1"

# Long tagged documents: pydyf's page references kept, its objects lighter (same bytes).
pdf_tuning.install()


class RefusedResource(ValueError):
    """A document asked for something outside the app's own static files."""


class SafeURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(timeout=2, allowed_protocols={"data", "https"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_PREFIX):
            raise RefusedResource(f"Refused to fetch {url!r}: documents use only the app's files.")
        return self._static(url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0])

    def _static(self, name: str) -> URLFetcherResponse:
        for directory in settings.STATICFILES_DIRS:
            root = Path(directory).resolve()
            path = (root / name).resolve()
            if not path.is_relative_to(root):
                raise RefusedResource(f"Refused to fetch {name!r}: outside the static files.")
            suffix = path.suffix.lower()
            if path.is_file() and suffix in SERVABLE_SUFFIXES:
                return URLFetcherResponse(
                    url=STATIC_PREFIX + name,
                    body=path.read_bytes(),
                    headers={"Content-Type": SERVABLE_SUFFIXES[suffix]},
                )
        raise RefusedResource(f"No static file {name!r}.")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render one of the app's templates to tagged PDF bytes. Written once, its pages let go of
    their layout as they are tagged (shortbreaks/documents/released_pages.py)."""
    return write_tagged_pdf(released_once_tagged(render_document(template_name, context)))


def render_document(template_name: str, context: dict) -> Document:
    """Lay out one of the app's templates without writing it: its pages can join other
    documents' pages in one tagged PDF (`write_tagged_pdf(first.copy(pages))`)."""
    html = render_to_string(template_name, {**context, "static_base": STATIC_PREFIX})
    return html_document(html)


def html_document(html: str) -> Document:
    """Lay out HTML the app rendered, fetching nothing but its own static files."""
    return HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=SafeURLFetcher()).render()


@contextmanager
def layouts_kept() -> Iterator[Callable[[Document], Document]]:
    """For a build that lays out many documents and writes them at the end as one (an evidence
    pack's sections): `with layouts_kept() as keep: document = keep(render_document(...))`.

    Each kept layout (millions of objects for a long pack) is set out of the garbage collector's
    reach once its own garbage is collected (`gc.collect()`, then `gc.freeze()`), and handed
    back at the end (`gc.unfreeze()`) with what the process held before the build, frozen at its
    start. Otherwise every full collection while the next sections are laid out and the whole is
    written walks every layout kept so far: the referral records pack (136 pages in 26 layouts)
    took 25 s, 18 s with its layouts kept apart, peaking 22 MB higher (419 MB); a pack of 4 pages
    0.27 s, 0.22 s. In a process that keeps objects frozen already (a web worker after its first
    request, shortbreaks/gunicorn_config.py) nothing is frozen or thawed."""
    ours = gc.get_freeze_count() == 0
    if ours:
        # What the process held before the build (Django, the app) is set apart too, so that
        # each layout's collection walks that layout's objects alone.
        gc.freeze()

    def keep(document: Document) -> Document:
        if ours:
            gc.collect()
            gc.freeze()
        return document

    try:
        yield keep
    finally:
        if ours:
            gc.unfreeze()


def html_to_pdf(html: str) -> bytes:
    return write_tagged_pdf(released_once_tagged(html_document(html)))


def write_tagged_pdf(document: Document) -> bytes:
    """The PDF of a laid-out document, tagged (PDF/UA-1). Nothing in it depends on the clock or
    chance: its dates come from the document's own metadata, and it has no random identifier."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
