"""Checks on uploaded documents, made from the bytes and never from the name or the browser.

Only PDF, DOCX, PNG and JPEG are accepted, up to 10 MB. The file is kept under a name the server
makes, so the name a person's computer gave it (`../../etc/passwd.png`) is only ever shown.

The first bytes only say which type to try; then each file is opened as that type:
- a PDF must be read by pypdf, have a page, and carry no JavaScript or automatic actions (/JS,
  /JavaScript, /AA, an /OpenAction or any action that runs a script or a program) and no files
  inside it (/EmbeddedFiles, /EF);
- a DOCX is opened as a zip and refused for macros (vbaProject.bin, macro-enabled content types),
  a part named like a path (absolute, `..`, backslashes), more than MAX_DOCX_ENTRIES parts, or
  unpacking to more than MAX_DOCX_UNPACKED_BYTES or one part unpacking MAX_DOCX_RATIO times its
  packed size; every part is unpacked (within that budget) to prove it is whole;
- a PNG or JPEG is decoded with Pillow (at most MAX_IMAGE_PIXELS) and saved again, which keeps
  the picture (turned the right way up) and drops everything else, EXIF included.
Each refusal is a ValidationError on `file` that says why in plain words.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
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

# Limits on what a file may hold once opened.
MAX_PDF_OBJECTS = 100_000
MAX_DOCX_ENTRIES = 1_000
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
# A part smaller than this unpacked is never refused for its ratio (a short XML part packs well).
DOCX_RATIO_FLOOR = 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

# What each refusal says.
PDF_UNREADABLE = "The selected file is not a PDF that can be opened. It may be damaged."
PDF_NO_PAGES = "The selected PDF has no pages."
PDF_PROTECTED = "The selected PDF is protected with a password. Upload a copy without a password."
PDF_SCRIPTS = (
    "The selected PDF contains JavaScript or actions that run by themselves, which are not "
    "accepted. Print it to a new PDF and upload that."
)
PDF_LAUNCH = (
    "The selected PDF contains an action that starts another program, which is not accepted."
)
PDF_ATTACHMENTS = (
    "The selected PDF has other files attached inside it, which are not accepted. Upload each "
    "file on its own."
)
PDF_TOO_COMPLEX = "The selected PDF has too many parts to check."
DOCX_UNREADABLE = "The selected Word document cannot be opened. It may be damaged."
DOCX_MACROS = (
    "The selected Word document contains macros, which are not accepted. Save it as a Word "
    "document without macros (.docx) and upload that."
)
DOCX_PATHS = (
    "The selected Word document contains a part named like a folder path (such as ../ or C:\\), "
    "which is not accepted."
)
DOCX_TOO_MANY_PARTS = (
    f"The selected Word document has more than {MAX_DOCX_ENTRIES:,} parts inside it, which is "
    "not accepted."
)
DOCX_TOO_BIG_UNPACKED = (
    f"The selected Word document unpacks to more than {MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)} "
    "MB, which is not accepted."
)
DOCX_RATIO = (
    f"The selected Word document has a part that unpacks to more than {MAX_DOCX_RATIO} times its "
    "packed size, which is not accepted."
)
IMAGE_UNREADABLE = "The selected image cannot be opened. It may be damaged."
IMAGE_TOO_MANY_PIXELS = (
    f"The selected image has more than {MAX_IMAGE_PIXELS // 1_000_000} million pixels. Make it "
    "smaller and upload it again."
)


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


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": message}, code=code)


# ----------------------------------------------------------------------------------------------
# PDF

_SCRIPT_KEYS = {"/JS", "/JavaScript", "/AA"}
_ATTACHMENT_KEYS = {"/EmbeddedFiles", "/EF"}


def _pdf_refusal(reader) -> tuple[str, str] | None:
    """Walk every object reachable from the trailer (each indirect object once) and find what
    is not accepted: scripts and automatic actions, a program launch, files inside."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    def resolved(value):
        return value.get_object() if isinstance(value, IndirectObject) else value

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return PDF_TOO_COMPLEX, "pdf_too_complex"
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _SCRIPT_KEYS:
                    return PDF_SCRIPTS, "pdf_javascript"
                if key in _ATTACHMENT_KEYS:
                    return PDF_ATTACHMENTS, "pdf_attachments"
                if key == "/S" and resolved(value) == "/JavaScript":
                    return PDF_SCRIPTS, "pdf_javascript"
                if key == "/S" and resolved(value) == "/Launch":
                    return PDF_LAUNCH, "pdf_launch"
                if key == "/Type" and resolved(value) == "/EmbeddedFile":
                    return PDF_ATTACHMENTS, "pdf_attachments"
                if key != "/Encrypt":
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _check_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # only an owner password: it opens
            except Exception:  # an encryption pypdf cannot undo is as good as a password
                opened = False
            if not opened:
                raise _refuse(PDF_PROTECTED, "pdf_password")
        if len(reader.pages) == 0:
            raise _refuse(PDF_NO_PAGES, "pdf_no_pages")
        refusal = _pdf_refusal(reader)
    except ValidationError:
        raise
    except Exception as error:  # any failure to read hostile bytes: "cannot be opened"
        raise _refuse(PDF_UNREADABLE, "pdf_unreadable") from error
    if refusal is not None:
        raise _refuse(*refusal)
    return data


# ----------------------------------------------------------------------------------------------
# DOCX

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")


def _path_like(name: str) -> bool:
    return (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or bool(_WINDOWS_DRIVE.match(name))
        or ".." in name.split("/")
    )


def _check_docx(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_DOCX_ENTRIES:
                raise _refuse(DOCX_TOO_MANY_PARTS, "docx_too_many_parts")
            if any(_path_like(entry.filename) for entry in entries):
                raise _refuse(DOCX_PATHS, "docx_paths")
            if any(entry.filename.lower().endswith(_MACRO_PARTS) for entry in entries):
                raise _refuse(DOCX_MACROS, "docx_macros")
            if sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED_BYTES:
                raise _refuse(DOCX_TOO_BIG_UNPACKED, "docx_too_big")
            for entry in entries:
                if entry.file_size > max(DOCX_RATIO_FLOOR, MAX_DOCX_RATIO * entry.compress_size):
                    raise _refuse(DOCX_RATIO, "docx_ratio")
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(1024 * 1024).lower()
            if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
                raise _refuse(DOCX_MACROS, "docx_macros")
            # The sizes above are what the zip says; unpacking proves them (a part that unpacks
            # to more than it says fails its CRC), never past the budget.
            budget = MAX_DOCX_UNPACKED_BYTES
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _refuse(DOCX_TOO_BIG_UNPACKED, "docx_too_big")
    except ValidationError:
        raise
    except Exception as error:  # any failure to read hostile bytes: "cannot be opened"
        raise _refuse(DOCX_UNREADABLE, "docx_unreadable") from error
    return data


# ----------------------------------------------------------------------------------------------
# PNG and JPEG


_KEPT_IMAGE_INFO = ("icc_profile", "dpi", "transparency")
_TRUNCATED_LOCK = threading.Lock()


@contextlib.contextmanager
def _whole_images_only():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported (it
    draws what it can of a broken image). An upload must decode whole, so that is off while one
    is decoded, and put back after."""
    from PIL import ImageFile

    with _TRUNCATED_LOCK:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _reencode_image(data: bytes, image_format: str) -> bytes:
    """Decode the picture and save it again: only the pixels (and their colour profile, DPI and
    transparency) survive; EXIF, text and XMP do not. EXIF's orientation is applied first, so the
    picture stays the right way up once the tag is gone."""
    from PIL import Image, ImageOps

    try:
        image = Image.open(io.BytesIO(data), formats=[image_format])
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise _refuse(IMAGE_TOO_MANY_PIXELS, "image_too_many_pixels")
        with _whole_images_only():
            image.load()
        kept = {key: image.info[key] for key in _KEPT_IMAGE_INFO if key in image.info}
        # Broken EXIF cannot turn the picture: it is kept as it was stored.
        with contextlib.suppress(Exception):
            image = ImageOps.exif_transpose(image) or image
        image.info = {}
        out = io.BytesIO()
        if image_format == "JPEG":
            kept.pop("transparency", None)
            image.save(out, "JPEG", quality=90, **kept)
        else:
            image.save(out, "PNG", **kept)
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise _refuse(IMAGE_TOO_MANY_PIXELS, "image_too_many_pixels") from error
    except Exception as error:  # any failure to decode hostile bytes: "cannot be opened"
        raise _refuse(IMAGE_UNREADABLE, "image_unreadable") from error
    return out.getvalue()


_CHECKS = {
    PDF: _check_pdf,
    DOCX: _check_docx,
    PNG: lambda data: _reencode_image(data, "PNG"),
    JPEG: lambda data: _reencode_image(data, "JPEG"),
}


def check_upload(upload, *, name: str = "") -> CheckedUpload:
    """Refuse anything too big, empty, not one of the accepted types (by its bytes) or not safe
    once opened as that type; images come back saved again, without their metadata."""
    data = read_limited(upload)
    if not data:
        raise ValidationError({"file": "The selected file is empty."}, code="empty")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            {"file": f"The selected file must be {ALLOWED_DESCRIPTION}."}, code="file_type"
        )
    content = _CHECKS[content_type](data)
    return CheckedUpload(
        content=content,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
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
