"""Each PDF as the app builds it, against raw WeasyPrint on the same HTML, each in a process of
its own so that its peak memory is its own.

    python -m bench.pdfs serve     (in the served app's environment: production settings)

reads one request a line on stdin and answers one JSON line on stdout for each:

    {"mode": "app", "what": "job", "id": <document job>, "folder": <html folder>}
    {"mode": "app", "what": "letter", "id": <review>, "folder": ...}   the decision letter's page
    {"mode": "raw", "folder": ...}          WeasyPrint alone on what the app's build captured
    {"mode": "raw_tagged", "folder": ...}   the same, written as tagged PDF (PDF/UA-1) as the app
                                            writes every PDF

The serving process loads Django, WeasyPrint and the URL configuration (each view module) once, as
a worker has them loaded, and forks a child for each request, so each build starts from the same
warm process and its peak memory (the child's high-water mark) is its own. What a worker holds
from one build to the next is made ready before the clock starts: its database connection
(CONN_MAX_AGE) and, for the letter's page, the middleware a web worker loads at its start.
`app` records every HTML string the app hands WeasyPrint (shortbreaks.documents.rendering lays
everything out through `HTML`) and builds as the worker does (the job kind's builder) or as the
letter's page does; `raw` lays each captured string out with WeasyPrint's defaults and writes it
(`HTML(string).write_pdf()`), fetching the same stylesheet from disk; `raw_tagged` writes it as
tagged PDF, which is what the app asks of WeasyPrint, so that what the app adds to WeasyPrint's
own work shows apart from what tagging costs. Each answer gives seconds,
CPU seconds, pages, bytes, the memory it started from and its peak.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

INTERNAL_STATIC = "https://documents.shortbreaks.invalid/static/"
# shortbreaks.documents.rendering.PDF_VARIANT (tests/bench checks they agree).
TAGGED_VARIANT = "pdf/ua-1"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pages(data: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def _capture(folder: Path) -> None:
    """Keep every HTML string the app lays out, in order, in `folder`."""
    from weasyprint import HTML

    from shortbreaks.documents import rendering

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    count = [0]

    class RecordingHTML(HTML):
        def __init__(self, *args, string=None, **kwargs):
            if string is not None:
                count[0] += 1
                (folder / f"{count[0]:04d}.html").write_text(string, encoding="utf-8")
            super().__init__(*args, string=string, **kwargs)

    rendering.HTML = RecordingHTML


def build_job(job_id: int) -> bytes:
    """What the worker does with a document job, minus storing it: its kind's builder."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from shortbreaks import rls
    from shortbreaks.documents.models import DocumentJob

    with rls.all_councils():
        council_id = DocumentJob.objects.values_list("council_id", flat=True).get(pk=job_id)
    with rls.council_scope(council_id):
        job = DocumentJob.objects.select_related("council").get(pk=job_id)
        builder = import_string(settings.DOCUMENT_BUILDERS[job.kind])
        return builder(job=job, progress=lambda percent, note="": None)


def letter_request(review_id: int):
    """The decision letter's PDF page, asked by the bench person who can read it: signed in
    first, so that only the request is timed."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from referrals.models import Review
    from shortbreaks import rls

    with rls.all_councils():
        council_id = Review.objects.values_list("council_id", flat=True).get(pk=review_id)
        user = get_user_model().objects.get(
            username__startswith="bench@", active_council_id=council_id
        )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    # The middleware loaded, as a web worker has it from its start (loading it lists every
    # static file for WhiteNoise): here, untimed, rather than in the letter's request.
    client.handler.load_middleware()
    client.force_login(user)

    def build() -> bytes:
        response = client.get(f"/reviews/{review_id}/letter.pdf", secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"the letter answered {response.status_code}")
        return b"".join(response.streaming_content) if response.streaming else response.content

    return build


def run_app(what: str, record_id: int, folder: Path) -> dict:
    _capture(folder)
    build = letter_request(record_id) if what == "letter" else (lambda: build_job(record_id))
    from django.db import connection

    # A worker keeps its database connection between builds (CONN_MAX_AGE): opened untimed.
    connection.ensure_connection()
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    data = build()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    from django.conf import settings

    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "pages": _pages(data),
        "bytes": len(data),
        "html_parts": len(list(folder.glob("*.html"))),
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
        "time_limit": getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None),
    }


def run_raw(folder: Path, static_dir: Path, *, tagged: bool = False) -> dict:
    from weasyprint import HTML

    parts = sorted(folder.glob("*.html"))
    sources = [p.read_text(encoding="utf-8") for p in parts]
    static = static_dir.resolve().as_uri() + "/"
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    pages = size = 0
    for source in sources:
        document = HTML(string=source.replace(INTERNAL_STATIC, static), base_url=static).render()
        pages += len(document.pages)
        size += len(document.write_pdf(pdf_variant=TAGGED_VARIANT if tagged else None))
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "pages": pages,
        "bytes": size,
        "html_parts": len(parts),
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
    }


def _handle(request: dict) -> dict:
    if request["mode"] == "app":
        return run_app(request["what"], int(request["id"]), Path(request["folder"]))
    from bench.config import ROOT

    tagged = request["mode"] == "raw_tagged"
    return run_raw(Path(request["folder"]), ROOT / "static" / "dist", tagged=tagged)


def serve() -> None:
    import logging

    import django

    django.setup()
    # WeasyPrint's notes on CSS it ignores (GOV.UK Frontend's screen-only rules) are not results.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import pypdf  # noqa: F401 - loaded once, before the children fork
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils.module_loading import import_string

    for builder in settings.DOCUMENT_BUILDERS.values():
        import_string(builder)
    # The URL configuration (every view module) as a web worker has it after its first request:
    # importing it is the worker's once, not each letter's.
    _ = get_resolver().reverse_dict
    connections.close_all()  # each child opens its own
    for line in sys.stdin:
        request = json.loads(line)
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            try:
                result = _handle(request)
            except BaseException as failure:  # reported to the parent, never raised
                result = {"error": f"{type(failure).__name__}: {failure}"}
            with os.fdopen(write_end, "w") as answer:
                answer.write(json.dumps(result))
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as answer:
            result = answer.read()
        os.waitpid(child, 0)
        print(result or json.dumps({"error": "the build process died"}), flush=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
