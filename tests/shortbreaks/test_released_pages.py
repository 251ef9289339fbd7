"""A laid-out document whose pages let go of their layout once tagged writes the same PDF."""

from __future__ import annotations

import pytest

from shortbreaks.documents.released_pages import released_once_tagged
from shortbreaks.documents.rendering import html_document, write_tagged_pdf

PARTS = "".join(
    f"<h2>Part {number}</h2><table><thead><tr><th scope='col'>Record</th></tr></thead>"
    f"<tbody><tr><td>{number}</td></tr></tbody></table><p style='break-after: page'>End</p>"
    for number in range(3)
)
HTML = (
    "<!DOCTYPE html><html lang='en-GB'><head><title>Parts</title></head>"
    f"<body>{PARTS}</body></html>"
)


def test_the_pdf_is_the_same_byte_for_byte_and_the_layout_is_let_go():
    expected = write_tagged_pdf(html_document(HTML))
    document = html_document(HTML)
    assert len(document.pages) == 3

    assert write_tagged_pdf(released_once_tagged(document)) == expected
    assert all(page._page_box is None for page in document.pages)


def test_a_document_released_once_tagged_is_written_once():
    released = released_once_tagged(html_document(HTML))
    write_tagged_pdf(released)

    with pytest.raises(RuntimeError, match="written once"):
        write_tagged_pdf(released)
