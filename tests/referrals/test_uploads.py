"""Referral documents: the type comes from the bytes, the stored name from the server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from referrals.models import ReferralDocument
from referrals.services import documents as document_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.documents.uploads import (
    DOCX,
    JPEG,
    MAX_UPLOAD_BYTES,
    PDF,
    PNG,
    check_upload,
    display_name,
)
from tests.referrals.builders import make_referral
from tests.upload_files import docx_bytes, jpeg_bytes, pdf_bytes, pdf_of_exact_size, png_bytes

# Real files: the upload checks open each one (tests/upload_files.py makes them).
PDF_BYTES = pdf_bytes()
PNG_BYTES = png_bytes()
JPEG_BYTES = jpeg_bytes()
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

__all__ = ["HTML_BYTES", "PDF_BYTES", "PNG_BYTES", "docx_bytes", "upload"]


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF_BYTES, PDF), (PNG_BYTES, PNG), (JPEG_BYTES, JPEG), (docx_bytes(), DOCX)],
)
def test_each_accepted_type_is_found_from_its_bytes_whatever_the_name(content, expected):
    checked = check_upload(upload("scan.txt", content, "text/plain"))
    assert checked.content_type == expected
    # Images are saved again (tests/test_bad_input.py); documents are kept as they came.
    assert checked.size == len(checked.content)
    if expected in (PDF, DOCX):
        assert checked.content == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.png", HTML_BYTES),
        ("form.pdf", b"MZ\x90\x00 an executable"),
        ("form.docx", docx_bytes(with_document=False)),
        ("form.docx", b"PK\x03\x04 not really a zip"),
        ("form.gif", b"GIF89a\x01\x00\x01\x00"),
        ("form.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("form.png", b"\x89PNG\r\n\x1a\n<html>no header chunk</html>"),
    ],
)
def test_unknown_or_disguised_content_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content, "image/png"))
    assert "PDF" in caught.value.message_dict["file"][0]


def test_empty_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("form.pdf", b""))
    assert caught.value.message_dict["file"] == ["The selected file is empty."]


def test_the_limit_is_10_mb_exactly():
    at_limit = pdf_of_exact_size(MAX_UPLOAD_BYTES)
    assert check_upload(upload("big.pdf", at_limit)).size == MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("big.pdf", at_limit + b"0"))
    assert caught.value.message_dict["file"] == ["The file must be smaller than 10 MB."]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("C:\\Users\\me\\Referral form.pdf", "Referral form.pdf"),
        (".htaccess", "htaccess"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("", "document"),
        ("../", "document"),
    ],
)
def test_display_name_keeps_only_the_last_part(given, shown):
    assert display_name(given) == shown


STORED = re.compile(r"^referrals/\d+/[0-9a-f]{32}\.(pdf|png|jpg|docx)$")


def test_a_name_with_dots_is_harmless_the_server_names_the_file(world, settings):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    document = document_services.referral_document_add(
        actor=alpha["sw"],
        referral=referral,
        upload=upload("../../../../etc/cron.d/evil.pdf", PDF_BYTES, "application/pdf"),
    )
    assert STORED.match(document.file.name), document.file.name
    assert document.file.name.startswith(f"referrals/{alpha['council'].pk}/")
    assert document.original_name == "evil.pdf"
    assert document.content_type == PDF
    media = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(media)
    assert stored.read_bytes() == PDF_BYTES
    # Nothing was written anywhere else under the media root.
    written = [Path(root) / f for root, _, files in os.walk(media) for f in files]
    assert written == [stored]


def test_two_uploads_of_the_same_name_never_share_a_stored_file(world):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    first, second = (
        document_services.referral_document_add(
            actor=alpha["sw"], referral=referral, upload=upload("form.png", PNG_BYTES)
        )
        for _ in range(2)
    )
    assert first.file.name != second.file.name
    assert first.sha256 == second.sha256


def test_a_refused_upload_stores_nothing(world, settings):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    with pytest.raises(ValidationError):
        document_services.referral_document_add(
            actor=alpha["sw"], referral=referral, upload=upload("form.png", HTML_BYTES, PNG)
        )
    with pytest.raises(ValidationError):
        document_services.referral_document_add(
            actor=alpha["sw"],
            referral=referral,
            upload=upload("big.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES),
        )
    assert not ReferralDocument.objects.exists()
    assert not any(files for _, _, files in os.walk(settings.MEDIA_ROOT))


def test_only_people_who_keep_children_upload_and_only_to_their_own_councils(world):
    alpha, bravo = world["alpha"], world["bravo"]
    referral = make_referral(alpha["sw"], alpha["child"])
    for role in (Role.AUDITOR, Role.COMMISSIONER):
        with pytest.raises(PermissionDenied):
            document_services.referral_document_add(
                actor=alpha["people"][role], referral=referral, upload=upload("f.pdf", PDF_BYTES)
            )
    with pytest.raises(RecordNotFound):
        document_services.referral_document_add(
            actor=bravo["sw"], referral=referral, upload=upload("f.pdf", PDF_BYTES)
        )
    assert not ReferralDocument.objects.exists()
