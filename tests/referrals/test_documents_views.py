"""Referral documents in the browser: uploads and their refusals, downloads, roles, tenancy."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import ReferralDocument
from referrals.services import documents as document_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.documents.uploads import DOCX, MAX_UPLOAD_BYTES, PDF, PNG
from tests.conftest import MARKER_B
from tests.referrals.builders import make_referral
from tests.referrals.test_uploads import HTML_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes
from tests.roles import NOT_CHILD_READERS
from tests.upload_files import pdf_of_exact_size

STORED_NAME = re.compile(r"^referrals/\d+/[0-9a-f]{32}\.(pdf|png|jpg|docx)$")


@pytest.fixture
def sw(world, client_for):
    return client_for(world["alpha"]["sw"])


@pytest.fixture
def referral(world):
    return make_referral(world["alpha"]["sw"], world["alpha"]["child"])


def text(response) -> str:
    return response.content.decode()


def comparable(response, pk) -> str:
    page = text(response).replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def add_url(referral) -> str:
    return reverse("referrals:referral-document-add", args=[referral.pk])


def download_url(document) -> str:
    return reverse("referrals:document-download", args=[document.pk])


def file(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def add_document(world, referral, name="form.pdf", content=PDF_BYTES) -> ReferralDocument:
    return document_services.referral_document_add(
        actor=world["alpha"]["sw"], referral=referral, upload=file(name, content), name=name
    )


# ---------------------------------------------------------------------------------------------
# Uploading


@pytest.mark.parametrize(
    ("name", "content", "content_type", "label"),
    [
        ("Referral form.pdf", PDF_BYTES, PDF, "PDF"),
        ("scan.png", PNG_BYTES, PNG, "PNG image"),
        ("letter.docx", docx_bytes(), DOCX, "Word document"),
    ],
)
def test_an_accepted_file_is_uploaded_and_listed(
    world, sw, referral, name, content, content_type, label
):
    response = sw.post(
        add_url(referral), {"file": file(name, content), "description": "From the school"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/referrals/{referral.pk}/#documents")
    document = ReferralDocument.objects.get()
    assert document.content_type == content_type
    assert document.original_name == name
    assert document.size == len(content)
    assert document.uploaded_by == world["alpha"]["sw"]
    assert STORED_NAME.match(document.file.name)
    page = text(sw.get(reverse("referrals:referral", args=[referral.pk])))
    assert f"{name} uploaded." in page
    assert download_url(document) in page
    assert f'<span class="govuk-visually-hidden">Download </span>{name}</a>' in page
    assert "From the school" in page and label in page


def refused(response) -> str:
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: Referral received" in page
    assert "There is a problem" in page
    assert not ReferralDocument.objects.exists()
    return page


def test_a_file_over_10_mb_is_refused(sw, referral):
    too_big = PDF_BYTES + b"\0" * (MAX_UPLOAD_BYTES + 1 - len(PDF_BYTES))
    page = refused(sw.post(add_url(referral), {"file": file("big.pdf", too_big)}))
    assert "The file must be smaller than 10 MB." in page
    assert 'href="#id_file"' in page


def test_a_file_of_exactly_10_mb_is_accepted(sw, referral):
    limit = pdf_of_exact_size(MAX_UPLOAD_BYTES)  # a real PDF: uploads are opened
    assert sw.post(add_url(referral), {"file": file("limit.pdf", limit)}).status_code == 302
    assert ReferralDocument.objects.get().size == MAX_UPLOAD_BYTES


def test_a_png_that_is_really_html_is_refused(sw, referral):
    page = refused(sw.post(add_url(referral), {"file": file("photo.png", HTML_BYTES, PNG)}))
    assert "The selected file must be a PDF, a Word document (DOCX), a PNG or a JPEG." in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"Plain text notes about the family."),
        ("sheet.docx", docx_bytes(with_document=False)),
        ("form.pdf", b"PDF-1.7 but not the signature"),
    ],
)
def test_an_unknown_type_is_refused_whatever_its_name(sw, referral, name, content):
    page = refused(sw.post(add_url(referral), {"file": file(name, content)}))
    assert "The selected file must be a PDF" in page


def test_no_file_and_an_empty_file_are_refused(sw, referral):
    assert "Select a file" in refused(sw.post(add_url(referral), {}))
    assert "The selected file is empty." in refused(
        sw.post(add_url(referral), {"file": file("empty.pdf", b"")})
    )


def test_a_name_with_folders_is_stored_under_a_server_name(world, referral, tmp_path, settings):
    document = add_document(world, referral, name="../../etc/passwd.pdf")
    assert document.original_name == "passwd.pdf"
    assert STORED_NAME.match(document.file.name)
    assert ".." not in document.file.name
    # The file sits inside the media folder, under the council's own folder.
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))
    assert f"/referrals/{referral.council_id}/" in document.file.path


def test_a_name_with_folders_uploaded_through_the_page(sw, referral):
    response = sw.post(add_url(referral), {"file": file("..\\..\\secret/../evil.pdf", PDF_BYTES)})
    assert response.status_code == 302
    document = ReferralDocument.objects.get()
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert not document.original_name.startswith(".")
    assert STORED_NAME.match(document.file.name)


# ---------------------------------------------------------------------------------------------
# Downloading


def test_a_download_is_an_attachment_of_the_checked_type_and_is_logged(world, sw, referral):
    document = add_document(world, referral, name="Referral form.pdf")
    response = sw.get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Referral form.pdf"'
    assert body(response) == PDF_BYTES
    entry = AccessLogEntry.objects.get(action="download")
    assert entry.object_type == "referrals.referraldocument"
    assert entry.object_id == str(document.pk)
    assert entry.user == world["alpha"]["sw"]
    assert entry.outcome == "allowed"


def test_a_download_is_typed_from_the_bytes_not_the_name(world, sw, referral):
    document = add_document(world, referral, name="scan.pdf", content=PNG_BYTES)
    response = sw.get(download_url(document))
    assert response["Content-Type"] == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PNG_BYTES


def test_another_councils_document_is_exactly_as_missing(world, sw):
    bravo = world["bravo"]
    referral = make_referral(bravo["sw"], bravo["child"])
    document = document_services.referral_document_add(
        actor=bravo["sw"], referral=referral, upload=file(f"{MARKER_B}.pdf", PDF_BYTES)
    )
    foreign = sw.get(download_url(document))
    missing = sw.get(reverse("referrals:document-download", args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    assert comparable(foreign, document.pk) == comparable(missing, 999_999)
    assert MARKER_B not in text(foreign)
    assert not AccessLogEntry.objects.filter(action="download").exists()
    # Nor may a file be attached to another council's referral.
    assert sw.post(add_url(referral), {"file": file("x.pdf", PDF_BYTES)}).status_code == 404
    assert ReferralDocument.objects.filter(referral=referral).count() == 1


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_childrens_records_cannot_download_or_upload(
    world, client_for, referral, role
):
    document = add_document(world, referral)
    client = client_for(world["alpha"]["people"][role])
    assert client.get(download_url(document)).status_code == 403
    assert client.post(add_url(referral), {"file": file("x.pdf", PDF_BYTES)}).status_code == 403
    assert ReferralDocument.objects.count() == 1
    assert not AccessLogEntry.objects.filter(action="download").exists()


def test_an_auditor_downloads_but_cannot_upload(world, client_for, referral):
    document = add_document(world, referral)
    auditor = client_for(world["alpha"]["people"]["auditor"])
    response = auditor.get(download_url(document))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert AccessLogEntry.objects.filter(action="download", user__isnull=False).count() == 1
    assert auditor.post(add_url(referral), {"file": file("x.pdf", PDF_BYTES)}).status_code == 403
    assert ReferralDocument.objects.count() == 1


def test_downloading_needs_signing_in(world, client, referral):
    document = add_document(world, referral)
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))
