"""The adjustments to pydyf for long tagged documents write the very bytes pydyf writes alone."""

from __future__ import annotations

import pydyf

from shortbreaks.documents import pdf_tuning
from shortbreaks.documents.rendering import html_to_pdf
from tests.pdfs import assert_tagged

ROWS = "".join(
    f"<tr><th scope='row'>Service {n}</th><td>Provider {n % 7}</td><td>Ages 5 to 18.</td>"
    f"<td><a href='#top'>Ask the provider</a></td></tr>"
    for n in range(180)
)
# Several pages of headings, lists, links and a table with header cells: every kind of
# structure element the statement's PDF has, each pointing at its own page.
DOCUMENT = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Short breaks services statement: Alpha</title></head><body>
<h1 id="top">Short breaks services statement</h1>
<p>Every service the council offers, by kind of short break.</p>
<ol><li><a href="#range">The short breaks on offer</a></li><li>Who can get them</li></ol>
<h2 id="range">The short breaks on offer</h2>
<table><caption>Daytime care (180 services)</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Provider</th><th scope="col">Who</th>
<th scope="col">How</th></tr></thead><tbody>{ROWS}</tbody></table>
<dl><dt>Who can get it</dt><dd>Disabled children.</dd></dl>
</body></html>"""


def test_the_tuning_is_made_for_the_pydyf_this_app_runs():
    """An upgrade of pydyf must be checked against the adjustments before they apply to it."""
    assert pydyf.__version__ in pdf_tuning.CHECKED_VERSIONS
    assert pdf_tuning.applies()
    assert pydyf.PDF.page_references.fget is pdf_tuning._page_references
    assert pydyf._to_bytes is pdf_tuning._to_bytes


def test_values_are_written_as_pydyf_writes_them():
    values = [b"BT", "/P", 0, -12, 2**40, True, 1.0, 0.25, -3.5, pydyf.Array([1, "/Span"])]
    values += [pydyf.Dictionary({"S": "/P", "K": pydyf.Array([7])}), pydyf.String("a")]
    with pdf_tuning.pydyf_as_released():
        assert pydyf._to_bytes is not pdf_tuning._to_bytes
        released = [pydyf._to_bytes(value) for value in values]
    assert [pdf_tuning._to_bytes(value) for value in values] == released


def test_a_tagged_pdf_is_the_same_bytes_with_and_without_the_tuning():
    tuned = html_to_pdf(DOCUMENT)
    with pdf_tuning.pydyf_as_released():
        assert pydyf.PDF.page_references.fget is not pdf_tuning._page_references
        released = html_to_pdf(DOCUMENT)
    assert pydyf.PDF.page_references.fget is pdf_tuning._page_references
    structure = assert_tagged(tuned, title="Short breaks services statement: Alpha")
    assert structure.page_count >= 3
    assert {"H1", "H2", "L", "LI", "Table", "TH", "TD", "Link"} <= set(structure.tags)
    assert tuned == released


def test_page_references_follow_pages_added_after_they_were_read():
    pdf = pydyf.PDF()
    for _ in range(2):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
    assert pdf.page_references is first
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 3
    assert pdf.page_references[:2] == first


def test_a_new_object_reads_its_defaults_until_pydyf_sets_them():
    kept, loose = pydyf.Dictionary({"S": "/P"}), pydyf.Array([1, 2])
    assert (loose.number, loose.offset, loose.generation, loose.free) == (None, 0, 0, "n")
    pdf = pydyf.PDF()
    pdf.add_object(kept)
    assert kept.number == len(pdf.objects) - 1 and loose.number is None
    assert kept.reference == f"{kept.number} 0 R".encode()
