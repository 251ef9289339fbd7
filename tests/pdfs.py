"""Reading a PDF's accessibility: its language, title, whether it is tagged, and its structure
tree (the tags a screen reader follows), with pypdf."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFUA_ID = "http://www.aiim.org/pdfua/ns/id/"


@dataclass
class Structure:
    lang: str
    title: str
    marked: bool
    display_title: bool
    pdfua_part: str
    tags: list[str] = field(default_factory=list)  # every structure element, depth first
    pages_with_content: set[int] = field(default_factory=set)  # pages that tags point into
    page_count: int = 0


def _kids(element: DictionaryObject) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def pdf_structure(data: bytes) -> Structure:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    pdfua_part = ""
    if "/Metadata" in root:
        xmp = ElementTree.fromstring(  # noqa: S314 - our own PDF
            root["/Metadata"].get_object().get_data().split(b"?>", 1)[1]
        )
        for description in xmp.iter(f"{{{RDF}}}Description"):
            pdfua_part = description.get(f"{{{PDFUA_ID}}}part", pdfua_part)
    structure = Structure(
        lang=str(root.get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        pdfua_part=pdfua_part,
        page_count=len(reader.pages),
    )
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return structure
    stack = list(reversed(_kids(tree.get_object())))
    while stack:
        item = stack.pop()
        element = item.get_object() if isinstance(item, IndirectObject) else item
        if not isinstance(element, DictionaryObject):
            continue  # a marked-content id on the element's page
        if element.get("/Type") in ("/MCR", "/OBJR"):
            continue
        structure.tags.append(str(element["/S"])[1:])
        page = element.get("/Pg")
        if page is not None and page.idnum in pages:
            structure.pages_with_content.add(pages[page.idnum])
        stack.extend(reversed(_kids(element)))
    return structure


def assert_tagged(data: bytes, *, title: str, lang: str = "en-GB") -> Structure:
    """A tagged PDF/UA-1 document in `lang`, titled `title`, showing its title, whose structure
    has headings, paragraphs and reaches every page."""
    structure = pdf_structure(data)
    assert structure.lang == lang
    assert structure.title == title
    assert structure.marked and structure.display_title
    assert structure.pdfua_part == "1"
    assert structure.tags[0] == "Document"
    assert "H1" in structure.tags and "P" in structure.tags
    assert structure.pages_with_content == set(range(structure.page_count))
    return structure
