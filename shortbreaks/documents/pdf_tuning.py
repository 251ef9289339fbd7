"""Three adjustments to pydyf, the PDF writer under WeasyPrint, for long tagged documents.

Every PDF the app makes is tagged (PDF/UA-1): WeasyPrint walks each box of each page and makes a
structure element for it, a pydyf dictionary that points at its page. For a statement of a
hundred pages that is some fifty thousand dictionaries, and two things in pydyf then cost more
than laying the pages out warrants:

- `PDF.page_references` rebuilds the tuple of every page's reference on each call, and tagging
  asks for it once per structure element: elements x pages (three million references for the
  big council's statement, about a twentieth of the whole build). The pages are all added
  before tagging starts; here the tuple is kept on the PDF and made again only when a page has
  been added since.
- `Object.__init__` gives every PDF object four attributes of its own (number, offset,
  generation, free), a dictionary per object even for the many that never leave their parent.
  Here they are class defaults that an object overrides only when pydyf sets them (numbering
  an indirect object, writing it): about 17 MB less at the peak of the big statement.
- `_to_bytes`, called for every operator of every page and every key and value of every
  dictionary (a million times for the big statement), asks `isinstance` three times before it
  reaches the commonest cases, a name or an integer. Here the exact type is looked at first and
  anything else goes to pydyf's own function.

The bytes written are the same (tests/shortbreaks/test_pdf_tuning.py compares them with pydyf's
own code).
Both depend on pydyf's internals, so they are made only for the versions checked here; another
version is left as it is (and that test says so).
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf

CHECKED_VERSIONS = {"0.13.0"}

_CACHE = "_page_references_by_count"
_ORIGINAL = {
    "page_references": pydyf.PDF.page_references,
    "object_init": pydyf.Object.__init__,
    "to_bytes": pydyf._to_bytes,
}
_DEFAULTS = {"number": None, "offset": 0, "generation": 0, "free": "n"}


def _page_references(pdf) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    count, references = getattr(pdf, _CACHE, (None, ()))
    if count != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        setattr(pdf, _CACHE, (len(kids), references))
    return references


def _object_init(self) -> None:
    """Nothing of its own: number, offset, generation and free are read from the class."""


def _to_bytes(item, _original=_ORIGINAL["to_bytes"]) -> bytes:
    """pydyf's `_to_bytes`, the exact types it meets most answered first (the same bytes)."""
    kind = type(item)
    if kind is bytes:
        return item
    if kind is str or kind is int:
        return str(item).encode("ascii")
    return _original(item)


def applies() -> bool:
    return pydyf.__version__ in CHECKED_VERSIONS


def install() -> None:
    """Adjust pydyf (idempotent; nothing for a version not checked here)."""
    if not applies():
        return
    for name, value in _DEFAULTS.items():
        setattr(pydyf.Object, name, value)
    pydyf.Object.__init__ = _object_init
    pydyf.PDF.page_references = property(_page_references)
    pydyf._to_bytes = _to_bytes


def _uninstall() -> None:
    pydyf.PDF.page_references = _ORIGINAL["page_references"]
    pydyf.Object.__init__ = _ORIGINAL["object_init"]
    pydyf._to_bytes = _ORIGINAL["to_bytes"]
    for name in _DEFAULTS:
        if name in vars(pydyf.Object):
            delattr(pydyf.Object, name)


@contextmanager
def pydyf_as_released():
    """pydyf's own code for the duration (to compare the bytes it writes)."""
    _uninstall()
    try:
        yield
    finally:
        install()
