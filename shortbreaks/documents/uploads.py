"""Checks on uploaded documents, made from the bytes and never from the name or the browser.

Only PDF, DOCX, PNG and JPEG are accepted, up to 10 MB. The file is kept under a name the server
makes, so the name a person's computer gave it (`../../etc/passwd.png`) is only ever shown.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", PNG: "png", JPEG: "jpg"}
ALLOWED_DESCRIPTION = "a PDF, a Word document (DOCX), a PNG or a JPEG"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed: its bytes, the type found in them and what to store it as."""

    content: bytes
    content_type: str
    size: int
    sha256: str
    display_name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def read_limited(upload, *, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """Read at most `limit` bytes; one more means the file is too big (never read it all)."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    if hasattr(upload, "chunks"):
        data = bytearray()
        for chunk in upload.chunks(_CHUNK):
            data.extend(chunk)
            if len(data) > limit:
                break
        body = bytes(data)
    elif isinstance(upload, bytes | bytearray):
        body = bytes(upload[: limit + 1])
    else:
        body = upload.read(limit + 1)
    if len(body) > limit:
        raise ValidationError(
            {"file": f"The file must be smaller than {limit // (1024 * 1024)} MB."},
            code="too_big",
        )
    return body


def _is_png(data: bytes) -> bool:
    # The signature, then the IHDR chunk that must come first.
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"


def _is_jpeg(data: bytes) -> bool:
    # Start of image, then another marker.
    return len(data) > 4 and data[:3] == b"\xff\xd8\xff"


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _is_docx(data: bytes) -> bool:
    """A zip holding the parts of a Word document. Only the directory is read, nothing inflated."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def sniff_content_type(data: bytes) -> str | None:
    """The accepted type these bytes are, or None."""
    for content_type, test in ((PDF, _is_pdf), (PNG, _is_png), (JPEG, _is_jpeg), (DOCX, _is_docx)):
        if test(data):
            return content_type
    return None


def display_name(name: str) -> str:
    """The last part of the name a person's computer gave, for showing only: no folders, no
    control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:200] or "document"


def check_upload(upload, *, name: str = "") -> CheckedUpload:
    """Refuse anything too big, empty or not one of the accepted types (by its bytes)."""
    data = read_limited(upload)
    if not data:
        raise ValidationError({"file": "The selected file is empty."}, code="empty")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            {"file": f"The selected file must be {ALLOWED_DESCRIPTION}."}, code="file_type"
        )
    return CheckedUpload(
        content=data,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=display_name(name or getattr(upload, "name", "") or ""),
    )


def server_file_name(*, council_id: int, extension: str, folder: str = "referrals") -> str:
    """Where a document is stored: a random name the server made, under the council's folder."""
    return f"{folder}/{council_id}/{uuid.uuid4().hex}.{extension}"


def save_with_file(document, checked: CheckedUpload, *, field: str = "file") -> None:
    """Store the checked bytes under the server's name, then the row; if the row cannot be
    saved, the file is removed again so nothing is left on disk that no record points at."""
    stored = getattr(document, field)
    # The name given here is ignored by the field's upload_to, which makes its own.
    stored.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        document.save()
    except Exception:
        stored.delete(save=False)
        raise
