"""The evidence pack builder, called by the document job (`DOCUMENT_BUILDERS["evidence_pack"]`).

A pack is laid out section by section, never whole: each section (and each part of a long one)
is its own WeasyPrint render, with `progress(percent, note)` between them, so a pack of hundreds
of pages never holds one huge layout in memory and the person who asked sees how far it got.
The sections come first, then the manifest; then the cover and the contents, which can list
each section's starting page because the sections' page counts are known by then.

The laid-out pages of every part are then written as one tagged PDF (PDF/UA-1), so the pack has
one structure tree, its language and title, as a screen reader needs; merging separately written
PDFs would drop their structure. Each section's heading is its bookmark. The PDF's dates are the
"as at" date and nothing in it depends on the clock, so the same pack built twice gives the same
bytes. The manifest is stored on the pack.
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from weasyprint import Document

from audits.models import EvidencePack
from audits.packs.content import Section, manifest_for, sections_for
from shortbreaks.documents.released_pages import released_once_tagged
from shortbreaks.documents.rendering import layouts_kept, render_document, write_tagged_pdf

# The manifest lists its records three columns to a page, about 170 a page: a part of a thousand
# records is about six pages, laid out on its own between two reports of progress.
MANIFEST_ROWS_PER_PART = 1000
PRODUCER = "Short breaks case management"


def css_string(value: str) -> str:
    """A quoted CSS string for the page footers: safe inside <style> whatever the text (a
    council's name, a section title), since nothing in it can close the string or the element."""
    escaped = []
    for char in str(value):
        if char.isalnum() or char in " ,.:;()/-":
            escaped.append(char)
        else:
            escaped.append(f"\\{ord(char):x} ")
    return mark_safe('"' + "".join(escaped) + '"')  # noqa: S308 - every other character escaped


def _base_context(pack: EvidencePack) -> dict:
    return {
        "pack": pack,
        "council": pack.council,
        "kind_label": pack.get_kind_display(),
        "created": f"{pack.as_at.isoformat()}T00:00:00Z",
        "footer_left": css_string(
            f"{pack.council.name}: {pack.get_kind_display()} evidence pack as at "
            f"{pack.as_at:%d/%m/%Y}"
        ),
    }


def _manifest_sections(manifest: dict) -> list[Section]:
    rows = [("Record", r) for r in manifest["records"]]
    documents = manifest["documents"]
    parts = [
        rows[i : i + MANIFEST_ROWS_PER_PART] for i in range(0, len(rows), MANIFEST_ROWS_PER_PART)
    ]
    parts = parts or [[]]
    sections = []
    for number, part in enumerate(parts, 1):
        title = "Manifest" if len(parts) == 1 else f"Manifest (part {number} of {len(parts)})"
        sections.append(
            Section(
                key=f"manifest-{number}",
                title=title,
                template="audits/packs/pdf/manifest.html",
                context={
                    "records": [r for _, r in part],
                    "documents": documents if number == 1 else [],
                    "first": number == 1,
                    "record_count": len(manifest["records"]),
                    "document_count": len(documents),
                },
            )
        )
    return sections


def build(*, job, progress) -> bytes:
    # The sections' layouts are kept until the pack is written: out of the collector's way.
    with layouts_kept() as keep:
        return _build(job, progress, keep)


def _build(job, progress, keep) -> bytes:
    pack = EvidencePack.objects.select_related("council").get(job=job)
    base = _base_context(pack)
    progress(2, "Reading the records")
    sections = sections_for(pack)
    manifest = manifest_for(pack, sections)
    parts = sections + _manifest_sections(manifest)
    steps = len(parts) + 2
    rendered: list[tuple[Section, Document]] = []
    for number, section in enumerate(parts):
        progress(5 + 85 * number // steps, f"Laying out {section.title}")
        context = {
            **base,
            **section.context,
            "section": section,
            "footer_right": css_string(section.title),
        }
        document = keep(render_document(section.template, context))
        rendered.append((section, document))

    progress(5 + 85 * len(parts) // steps, "Laying out the cover and contents")
    cover = keep(
        render_document(
            "audits/packs/pdf/cover.html",
            {**base, "manifest": manifest, "footer_right": css_string("Cover")},
        )
    )
    contents_pages = 1
    for _ in range(3):  # the contents' own length moves every start page; it settles at once
        entries, page = [], len(cover.pages) + contents_pages + 1
        for section, document in rendered:
            entries.append({"title": section.title, "page": page, "pages": len(document.pages)})
            page += len(document.pages)
        contents = render_document(
            "audits/packs/pdf/contents.html",
            {**base, "entries": entries, "footer_right": css_string("Contents")},
        )
        if len(contents.pages) == contents_pages:
            break
        contents_pages = len(contents.pages)

    progress(95, "Putting the pack together")
    documents = [cover, contents, *(document for _, document in rendered)]
    # Each page lets go of its layout once tagged, so the layouts go as the structure tree grows.
    pack_document = released_once_tagged(
        cover.copy([page for document in documents for page in document.pages])
    )
    # The cover's metadata, made the pack's: its title, author, subject and the "as at" dates.
    metadata = pack_document.metadata
    metadata.title = f"{pack.get_kind_display()} evidence pack as at {pack.as_at:%d/%m/%Y}"
    metadata.authors = [pack.council.name]
    metadata.description = (
        f"{pack.council.name}: {pack.get_kind_display().lower()}, "
        f"{pack.period_start:%d/%m/%Y} to {pack.period_end:%d/%m/%Y}"
    )
    metadata.generator = PRODUCER
    metadata.created = metadata.modified = base["created"]
    data = write_tagged_pdf(pack_document)
    EvidencePack.objects.filter(pk=pack.pk).update(manifest=manifest)
    return data
