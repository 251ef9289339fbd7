"""Writing a long laid-out document as tagged PDF without holding every page's layout to the end.

WeasyPrint writes a tagged PDF in two passes over the pages: it paints them all, then builds the
structure tree from each page's boxes. Every page's layout (its boxes, their styles, the text laid
out) is therefore kept until the last page is tagged, while the structure tree grows beside it:
for an evidence pack of two hundred pages, both at once, well over the memory one build may use.

`released_once_tagged(document)` gives the same document whose pages let go of their layout as
soon as the structure tree has been built from it: the tree grows as the layouts go, and the PDF
written is the same, byte for byte. The document's layout is spent by writing it: such a document
is written once.

Each page's content stream is also packed as soon as the page is painted. pydyf keeps a stream as
a list of its operators (a small bytes object each, and a dictionary for each tagged run of
text) until the whole PDF is written, and a page of a long table has thousands; nothing is added
to a page's stream after it is painted, so it is joined and deflated there, as pydyf would at the
end (the same zlib level), and held as the one compressed string pydyf would have written.
"""

from __future__ import annotations

import zlib

import pydyf
from weasyprint import Document


def _packed(stream) -> None:
    """Join a painted page's content stream, and deflate it when pydyf would: the same bytes
    written, held in a fraction of the memory."""
    content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    if stream.compress and not stream.extra:
        compressor = zlib.compressobj(level=9)
        content = compressor.compress(content) + compressor.flush()
        # What pydyf's Stream.data writes for a compressed stream: the filter, then the length.
        stream.extra = {"Filter": "/FlateDecode"}
        stream.compress = False
    stream.stream = [content]


class _PageReleasedOnceTagged:
    """A laid-out page as WeasyPrint's writer reads it, whose boxes are handed over once: to the
    tagging pass, the only reader of a page's boxes from outside the page (the page paints
    itself from its own)."""

    def __init__(self, page):
        self._page = page

    def __getattr__(self, name):
        return getattr(self._page, name)

    def paint(self, stream, scale=1):
        if self._page._page_box is None:
            raise RuntimeError("This page's layout was released: a document is written once.")
        self._page.paint(stream, scale)
        _packed(stream)

    @property
    def _page_box(self):
        page_box, self._page._page_box = self._page._page_box, None
        if page_box is None:
            raise RuntimeError("This page's layout was released: a document is written once.")
        return page_box


def released_once_tagged(document: Document) -> Document:
    """The document, its pages releasing their layout once tagged (see the module)."""
    return document.copy([_PageReleasedOnceTagged(page) for page in document.pages])
