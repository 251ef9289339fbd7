"""PDF rendering with WeasyPrint, fenced in.

Documents are rendered only from the app's own templates. The URL fetcher refuses `file://`, every
outside host and every scheme but `data:`; the only other thing it serves is the app's own built
stylesheet, read from disk by name. Text a council wrote therefore cannot pull in a local file or
remote content. Slow renders are stopped by the Celery task's time limit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL documents are rendered under. It resolves to nothing on any network.
INTERNAL_BASE_URL = "https://documents.shortbreaks.invalid/"
STATIC_PREFIX = INTERNAL_BASE_URL + "static/"
SERVABLE_SUFFIXES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


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
    """Render one of the app's templates to PDF bytes."""
    html = render_to_string(template_name, {**context, "static_base": STATIC_PREFIX})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML the app rendered, fetching nothing but its own static files."""
    return HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
