"""What the accessibility statement says about the service as a whole, kept as data so that the
dates and the known problems are changed in one place when the service is tested again.

The statement follows GOV.UK's model accessibility statement (the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018): compliance status, the content
that is not accessible and what is being done about it, how to ask for another format or report
a problem (each council's own contact and response time: `Council.accessibility_*`, kept by its
council administrator), the enforcement procedure, and how and when it was tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STANDARD = "Web Content Accessibility Guidelines version 2.2 AA standard"
STANDARD_URL = "https://www.w3.org/TR/WCAG22/"
COMPLIANCE = "partially compliant"

PREPARED_ON = date(2026, 12, 6)
REVIEWED_ON = date(2026, 12, 6)
TESTED_ON = date(2026, 12, 6)
# The date from which the service's PDFs are tagged (PDF/UA), with their language and title.
TAGGED_PDFS_FROM = date(2026, 12, 6)


@dataclass(frozen=True)
class KnownIssue:
    problem: str
    criteria: tuple[str, ...]  # WCAG 2.2 success criteria it fails
    plan: str


KNOWN_ISSUES: tuple[KnownIssue, ...] = (
    KnownIssue(
        problem=(
            "PDF documents made before "
            f"{TAGGED_PDFS_FROM:%-d %B %Y} (published short breaks services statements, "
            "decision letters and evidence packs) are not tagged: they have no headings, lists "
            "or table structure for a screen reader to follow, no language and no title."
        ),
        criteria=(
            "1.3.1 Info and Relationships",
            "2.4.2 Page Titled",
            "3.1.1 Language of Page",
        ),
        plan=(
            f"Every PDF made from {TAGGED_PDFS_FROM:%-d %B %Y} is a tagged PDF (PDF/UA) with "
            "its language and title set. A statement's web page always has the same content as "
            "its PDF. A council publishing its next statement, or sending a new letter, makes a "
            "tagged PDF; until then, ask the council for an earlier document in another format."
        ),
    ),
)

OUT_OF_SCOPE = (
    "Documents staff upload to a child's record, such as referral forms from schools or health "
    "services, are made by other organisations. They are not published and we cannot change "
    "them; ask the council that holds them if you need one in another format."
)

HOW_TESTED = (
    "Each time the service changes, automated tests drive the pages in a real Chromium browser "
    "and check every page they visit with axe-core against WCAG 2.2 A and AA: staff sign-in, "
    "home pages, lists, searches and forms, children's records, contracts, audits and evidence "
    "packs, and the public statement, directory and parent carer pages. Some of them use the "
    "pages with JavaScript switched off. PDFs are checked for their structure tree, language "
    "and title.",
    "The tests were carried out by the team that builds the service. The service has not yet "
    "been audited by an independent accessibility specialist or tested with disabled users; "
    "this statement will be reviewed when it is.",
)
