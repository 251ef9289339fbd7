"""Files for upload tests, good and malicious, made here from code: nothing binary is committed.

Every builder gives bytes. The good ones are real files the upload checks open (a one-page PDF,
a Word document, a PNG and a JPEG); the bad ones are each one trick: a "PDF" that is HTML after
its header, JavaScript and attachments in a PDF, a zip bomb, macros and path names in a DOCX, an
image with a header claiming billions of pixels.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

# ----------------------------------------------------------------------------------------------
# PDF


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _js_action(script: str = "app.alert('hello');") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def pdf_bytes(*, padding: int = 0) -> bytes:
    """A good one-page PDF; `padding` bytes of an unused stream make it bigger."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        stream = StreamObject()
        stream.set_data(b"0" * padding)
        writer._add_object(stream)
    return _pdf(writer)


def pdf_of_exact_size(size: int) -> bytes:
    """A good PDF of exactly `size` bytes (padded with an unused stream)."""
    padding = max(0, size - len(pdf_bytes()))
    for _ in range(5):
        data = pdf_bytes(padding=padding)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError("could not make a PDF of that size")


def pdf_html_after_header() -> bytes:
    return b"%PDF-1.7\n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n%%EOF\n"


def pdf_with_document_javascript() -> bytes:
    """JavaScript in the document's name tree (/Names /JavaScript): it runs when it opens."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scripts = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("hello"), writer._add_object(_js_action())]
            )
        }
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )
    return _pdf(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js_action())
    return _pdf(writer)


def pdf_with_page_additional_action() -> bytes:
    """/AA on a page: an action run when the page opens (here a harmless-looking GoTo)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action()})
    return _pdf(writer)


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("evil.sh", b"#!/bin/sh\nrm -rf ~\n")
    return _pdf(writer)


def pdf_with_launch_action() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    return _pdf(writer)


def pdf_without_pages() -> bytes:
    return _pdf(PdfWriter())


# ----------------------------------------------------------------------------------------------
# DOCX

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "vnd.ms-word.document.macroEnabled.main+xml",
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Referral letter</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


def docx_bytes(
    *,
    content_types: str = CONTENT_TYPES,
    extra: dict[str, bytes] | None = None,
    with_document: bool = True,
) -> bytes:
    """A Word document: its content types and body, and any `extra` parts (name: bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        if with_document:
            archive.writestr("word/document.xml", DOCUMENT)
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_bomb(*, unpacked: int, name: str = "word/media/image1.bin") -> bytes:
    """A Word document with one part of `unpacked` zero bytes: it packs about 1,000 to 1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        with archive.open(name, "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
            part.write(b"\0" * (unpacked % len(chunk)))
    return buffer.getvalue()


def docx_lying_about_size(*, real: int, claimed: int) -> bytes:
    """A part whose directory entry claims `claimed` bytes unpacked but holds `real`."""
    data = docx_bytes(extra={"word/media/image1.bin": b"A" * real})
    # Rewrite the claimed size in both the local header and the central directory.
    before, after = struct.pack("<I", real), struct.pack("<I", claimed)
    return data.replace(before, after)


# ----------------------------------------------------------------------------------------------
# PNG and JPEG

EXIF_MARKER = "MARKEREXIFSECRET"


def _exif():
    exif = Image.Exif()
    exif[0x010E] = f"Home address {EXIF_MARKER}"  # ImageDescription
    exif[0x0112] = 1  # Orientation: as stored
    return exif


def png_bytes(*, exif: bool = False, size: tuple[int, int] = (8, 6)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG", **({"exif": _exif()} if exif else {}))
    return out.getvalue()


def jpeg_bytes(*, exif: bool = False, size: tuple[int, int] = (8, 6)) -> bytes:
    image = Image.new("RGB", size, (30, 30, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", **({"exif": _exif()} if exif else {}))
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, with a few bytes of picture."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _chunk(b"IEND", b"")
    )


def jpeg_truncated() -> bytes:
    """A photo cut off part way through its picture data (WeasyPrint makes Pillow forgive that
    for the whole process; an upload must not be forgiven)."""
    image = Image.effect_noise((128, 128), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    data = out.getvalue()
    return data[: len(data) * 3 // 4]


def png_truncated() -> bytes:
    """A good PNG's header and the first half of its picture: it does not decode."""
    image = Image.effect_noise((128, 128), 64)
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    return data[: len(data) // 2]
