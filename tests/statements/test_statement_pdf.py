"""The statement's PDF: built from the frozen content, stored with its hash, fenced in."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from providers import services as provider_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.documents import rendering
from shortbreaks.documents.models import JobStatus
from statements import documents, services
from tests.builders import make_provider, make_service
from tests.pdfs import assert_tagged
from tests.statements.statement_builders import TODAY, complete_draft, offer_every_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


@pytest.fixture
def commissioner(two_councils):
    return two_councils["alpha"]["people"][Role.COMMISSIONER]


@pytest.fixture
def offer(commissioner):
    return offer_every_category(commissioner, "Alpha")


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the PDF renderer was asked for."""
    urls: list[str] = []
    original = rendering.SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(rendering.SafeURLFetcher, "fetch", spy)
    return urls


def publish_and_build(commissioner, capture, **text):
    version = complete_draft(commissioner, **text)
    with capture(execute=True):
        version = services.statement_publish(actor=commissioner, version=version, today=TODAY)
    version.refresh_from_db()
    version.pdf_job.refresh_from_db()
    return version


def pdf_text(job) -> str:
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_tagged_with_its_language_and_title(
    eager, commissioner, offer, django_capture_on_commit_callbacks
):
    """Parent carers read the statement: a screen reader gets its headings, lists and tables,
    in English, under the statement's own title rather than a file name."""
    version = publish_and_build(commissioner, django_capture_on_commit_callbacks)
    with version.pdf_job.file.open("rb") as handle:
        data = handle.read()
    title = f"{version.title}: {version.council.name}"
    structure = assert_tagged(data, title=title)
    assert {"H2", "Table", "TH", "L", "LI"} <= set(structure.tags)


def test_the_pdf_is_built_from_the_frozen_content_and_stored_with_its_hash(
    eager, commissioner, offer, django_capture_on_commit_callbacks
):
    version = publish_and_build(commissioner, django_capture_on_commit_callbacks)
    job = version.pdf_job
    assert job.status == JobStatus.DONE
    with job.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.size == len(data)
    # The range is laid out in table cells, whose lines wrap where the column ends.
    text = " ".join(pdf_text(job).split())
    assert "Community buddying Alpha" in text
    assert "£12.50 per hour" in text
    assert "Lead Officer Statementson" in text
    assert AccessLogEntry.objects.filter(
        object_type="documents.documentjob", object_id=str(job.pk), action="create"
    ).exists()

    # Services change after publishing: building again gives the same words.
    provider_services.service_update(
        actor=commissioner, service=offer[1], price=Decimal("99.00"), title="Renamed MARKERALPHA"
    )
    rebuilt = documents.build(job=job, progress=lambda *a: None)
    reader = PdfReader(io.BytesIO(rebuilt))
    again = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Renamed MARKERALPHA" not in again
    assert "£99" not in again
    assert "£12.50 per hour" in again


def test_a_failing_render_marks_the_job_failed_after_its_retries(
    eager, commissioner, offer, django_capture_on_commit_callbacks, monkeypatch, client_for
):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("the layout engine fell over")

    monkeypatch.setattr(documents, "render_pdf", broken)
    version = publish_and_build(commissioner, django_capture_on_commit_callbacks)
    job = version.pdf_job
    assert job.status == JobStatus.FAILED
    assert len(calls) == 3
    assert "fell over" in job.error
    # The statement is still published, and its pages still work.
    assert version.status == "published"
    from django.urls import NoReverseMatch, reverse

    page = client_for(commissioner).get(reverse("statements:manage-version", args=[version.pk]))
    assert page.status_code == 200
    assert "Failed" in page.content.decode()
    try:
        public = reverse("statements:statement", args=[version.council.slug])
    except NoReverseMatch:
        return
    from django.test import Client

    assert Client().get(public).status_code == 200


HOSTILE = {
    "introduction": 'Welcome <img src="file:///etc/passwd" alt="HOSTILEIMG"> to short breaks.',
    "meeting_needs": 'Read <a href="https://evil.example/x">HOSTILELINK</a> for more.',
    "how_to_apply": "<link rel=stylesheet href=https://evil.example/s.css> Apply online.",
    "views_summary": "<script>document.write('HOSTILESCRIPT')</script> Carers asked for more.",
}


def test_hostile_council_text_cannot_reach_files_or_other_hosts(
    eager, commissioner, offer, django_capture_on_commit_callbacks, fetched
):
    version = publish_and_build(commissioner, django_capture_on_commit_callbacks, **HOSTILE)
    job = version.pdf_job
    assert job.status == JobStatus.DONE, job.error
    assert fetched, "the renderer fetched the app's own stylesheet at least"
    assert not [u for u in fetched if u.startswith("file:") or "evil.example" in u]
    assert all(u.startswith(rendering.STATIC_PREFIX) or u.startswith("data:") for u in fetched)
    text = pdf_text(job)
    # The markup is shown as the text the council typed, never acted on.
    assert "Apply online." in text
    with job.file.open("rb") as handle:
        data = handle.read()
    assert b"/URI (https://evil.example" not in data
    assert b"evil.example/x)" not in data


def test_council_text_is_escaped_in_the_rendered_html(commissioner, offer):
    from django.template.loader import render_to_string

    from statements.content import build_content

    version = complete_draft(commissioner, **HOSTILE)
    html = render_to_string(
        "statements/pdf/statement.html", {"content": build_content(version), "version": version}
    )
    assert '<img src="file:///etc/passwd"' not in html
    assert '<a href="https://evil.example/x">' not in html
    assert "<link rel=stylesheet href=https://evil.example" not in html
    assert "<script>" not in html
    assert "&lt;img src=" in html


def test_a_long_range_of_services_is_laid_out_compactly(
    eager, commissioner, offer, django_capture_on_commit_callbacks
):
    """A row a service in a table a kind of short break, the header row repeated where a table
    runs onto the next page: 60 services take a handful of pages, where a card each took one
    page for every two or three."""
    provider = make_provider(commissioner, name="Many Breaks Provider")
    for n in range(60):
        make_service(
            commissioner,
            provider,
            title=f"Club {n:02d}",
            tier="targeted",
            categories=["educational_leisure"],
            description="Games, crafts and outings for disabled children with trained staff.",
            areas="Northtown, Southville",
            how_to_access="Book with the provider by phone or email.",
        )
    version = publish_and_build(commissioner, django_capture_on_commit_callbacks)
    with version.pdf_job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) <= 12
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Club 00" in text and "Club 59" in text
    # Each page the clubs' table runs onto starts with its column headers again.
    pages_with_clubs = [
        page.extract_text() for page in reader.pages if "Club " in page.extract_text()
    ]
    assert len(pages_with_clubs) > 1
    assert all("Who it is for" in page for page in pages_with_clubs)
