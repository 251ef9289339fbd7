"""Children's records as CSV and Excel: each list's columns, declared once for the page and the
API (shortbreaks.exports). A child's name shows only to people who may read children's records
(`referrals.view_child`); no NHS number, address or postcode is exported."""

from referrals.portal import selectors as portal_selectors
from referrals.selectors import caseload as caseload_selectors
from shortbreaks.exports import Column, Export, export_rows_response

VIEW_CHILD = "referrals.view_child"

CHILDREN = Export(
    name="children",
    object_type="referrals.child",
    columns=(
        Column("Record", "pk"),
        Column("Council's child id", "council_child_id"),
        Column("Name", "full_name", permission=VIEW_CHILD),
        Column("Date of birth", "date_of_birth", permission=VIEW_CHILD),
        Column("Tier", "get_tier_display"),
        Column("Keyworker", "keyworker"),
    ),
)

REFERRALS = Export(
    name="referrals",
    object_type="referrals.referral",
    columns=(
        Column("Referral", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Received", "received_on"),
        Column("Source", "get_source_display"),
        Column("Primary need", "get_primary_need_display"),
        Column("Status", "get_status_display"),
        Column("Status since", "status_date"),
    ),
)

GRANT_APPLICATIONS = Export(
    name="grant-applications",
    object_type="referrals.grantapplication",
    columns=(
        Column("Application", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Scheme", "scheme.name"),
        Column("Received", "received_on"),
        Column("Status", "get_status_display"),
        Column("Amount", "amount"),
        Column("Decided on", "decided_on"),
        Column("Payment", "get_payment_status_display"),
        Column("Review on", "review_on"),
    ),
)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# One row per item due: the children's ids are what the access log names.
CASELOAD = Export(
    name="caseload",
    object_type="referrals.child",
    columns=(
        Column("Child record", "child.pk"),
        Column("Council's child id", "child.council_child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("What", "what"),
        Column("Record", "record_id"),
        Column("Due", "due_on"),
        Column("Overdue", "overdue"),
    ),
)


def caseload_export(request, *, fmt: str, worker, kind: str = "", overdue: bool = False):
    """Every item of a caseload (a worker's, or a list of workers'), as the page and the API
    download it; the access log names the children, as the page does."""
    rows = caseload_selectors.caseload_all(
        actor=request.user, worker=worker, kind=kind, overdue=overdue
    )
    many = isinstance(worker, list | tuple)
    return export_rows_response(
        request=request,
        actor=request.user,
        export=CASELOAD,
        ids=[row[3] for row in rows],
        rows=lambda: caseload_selectors.caseload_items(rows),
        fmt=fmt,
        filters={
            "worker": None if many else worker.pk,
            "team": "on" if many else None,
            "kind": kind or None,
            "overdue": "on" if overdue else None,
        },
    )


# `assessment_list` and `authorisation_queue`, with the people who took each step.
ASSESSMENT_RELATED = ("child", "started_by", "completed_by", "authorised_by")

ASSESSMENTS = Export(
    name="assessments",
    object_type="referrals.assessment",
    columns=(
        Column("Assessment", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Referral", "referral_id"),
        Column("Status", "get_status_display"),
        Column("Outcome", "get_outcome_display"),
        Column("Started", "started_on"),
        Column("Started by", lambda a: _person(a.started_by)),
        Column("Completed", "completed_on"),
        Column("Completed by", lambda a: _person(a.completed_by)),
        Column("Authorised", "authorised_on"),
        Column("Authorised by", lambda a: _person(a.authorised_by)),
    ),
)


def _lines(package) -> list:
    return list(package.lines.all())


# The lines, with their services, read a chunk of packages at a time.
PACKAGE_PREFETCH = ("lines__service",)

PACKAGES = Export(
    name="packages",
    object_type="referrals.package",
    columns=(
        Column("Package", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Assessment", "assessment_id"),
        Column("Status", "get_status_display"),
        Column("Starts", "start_on"),
        Column("Ends", "end_on"),
        Column("Review every (months)", "review_interval_months"),
        Column("Next review due", "next_review_due"),
        Column("Services", lambda p: sorted({line.service.title for line in _lines(p)})),
        Column("Lines", lambda p: len(_lines(p))),
        Column("Cost per week", lambda p: sum(line.cost_per_week for line in _lines(p))),
        Column("Cost per year", lambda p: sum(line.cost_per_year for line in _lines(p))),
    ),
)

REVIEW_RELATED = ("package__child", "reassessment", "recorded_by")

REVIEWS = Export(
    name="reviews",
    object_type="referrals.review",
    columns=(
        Column("Review", "pk"),
        Column("Package", "package_id"),
        Column("Child record", "package.child_id"),
        Column("Child", "package.child.full_name", permission=VIEW_CHILD),
        Column("Due", "due_on"),
        Column("Held", "held_on"),
        Column("Outcome", "get_outcome_display"),
        Column("Reasons", "reasons"),
        Column("Family's views", "family_views"),
        Column("Family told", "family_told_on"),
        Column("Reassessment", "reassessment_id"),
        Column("Recorded by", lambda r: _person(r.recorded_by)),
    ),
)

# Case notes: the whole export needs `referrals.view_casenote` (social workers and team
# managers); the attachment itself is never in it, only its name.
CASE_NOTES = Export(
    name="case-notes",
    object_type="referrals.casenote",
    columns=(
        Column("Note", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Date", "on"),
        Column("Kind", "get_kind_display"),
        Column("Note text", "text"),
        Column("Corrects note", "corrects_id"),
        Column("Written by", lambda n: _person(n.author)),
        Column("Written at", "created_at"),
        Column("Corrected at", "corrected_at"),
        Column("Attachment", "original_name"),
    ),
)

GRANT_SCHEMES = Export(
    name="grant-schemes",
    object_type="referrals.grantscheme",
    columns=(
        Column("Scheme", "pk"),
        Column("Name", "name"),
        Column("Year", lambda scheme: f"{scheme.year}/{(scheme.year + 1) % 100:02d}"),
        Column("Most a family may get (£)", "max_amount"),
        Column("Who may apply", "eligibility_criteria"),
    ),
)

# A referral's documents: what each is, never its content (downloaded one at a time, logged).
REFERRAL_DOCUMENTS = Export(
    name="referral-documents",
    object_type="referrals.referraldocument",
    columns=(
        Column("Document", "pk"),
        Column("Referral", "referral_id"),
        Column("File name", "original_name"),
        Column("Description", "description"),
        Column("Type", "content_type"),
        Column("Size (bytes)", "size"),
        Column("SHA-256", "sha256"),
        Column(
            "Uploaded by",
            lambda document: (
                (document.uploaded_by.get_full_name() or document.uploaded_by.get_username())
                if document.uploaded_by
                else ""
            ),
        ),
        Column("Uploaded at", "uploaded_at"),
    ),
)

# The children a provider supports, as its staff read them (referrals.portal.selectors): each
# row a `SupportedChild`, first name only.
SUPPORTED_CHILDREN = Export(
    name="children-supported",
    object_type="referrals.child",
    columns=(
        Column("Child record", "id"),
        Column("First name", "first_name"),
        Column("Age", "age"),
        Column("Needs", "needs_summary"),
        Column("Communication needs", "communication_needs"),
        Column("Emergency contact", "emergency_contact"),
    ),
)


def supported_children_export(request, *, fmt: str):
    """Every child the provider supports, as its page and its API download them. A provider
    supports a few hundred children at most: read once, logged, then sent."""
    children = portal_selectors.supported_children(actor=request.user)
    rows = [portal_selectors.supported_child(child) for child in children]
    return export_rows_response(
        request=request,
        actor=request.user,
        export=SUPPORTED_CHILDREN,
        ids=[row.id for row in rows],
        rows=lambda: rows,
        fmt=fmt,
    )


def _lot(line) -> str:
    lot = line.lot
    return f"{lot.contract.reference} lot {lot.number}" if lot is not None else ""


# A package's lines (`package_lines`, with their service, provider and lot).
PACKAGE_LINES = Export(
    name="package-lines",
    object_type="referrals.packageline",
    columns=(
        Column("Line", "pk"),
        Column("Package", "package_id"),
        Column("Service", "service.title"),
        Column("Provider", "provider.name"),
        Column("Lot", _lot),
        Column("Funding route", "get_funding_route_display"),
        Column("Ratio", "get_ratio_display"),
        Column("Hours a week", "hours_per_week"),
        Column("Nights a year", "nights_per_year"),
        Column("Unit rate", "unit_rate"),
        Column("Cost per week", "cost_per_week"),
        Column("Cost per year", "cost_per_year"),
        Column("Starts", "start_on"),
        Column("Ends", "end_on"),
    ),
)

DELIVERY_RELATED = ("line__service", "recorded_by")

DELIVERY = Export(
    name="delivery",
    object_type="referrals.deliveryrecord",
    columns=(
        Column("Record", "pk"),
        Column("Line", "line_id"),
        Column("Service", "line.service.title"),
        Column("From", "period_start"),
        Column("To", "period_end"),
        Column("Hours delivered", "hours_delivered"),
        Column("Hours not delivered", "hours_not_delivered"),
        Column("Why not delivered", "get_reason_display"),
        Column("Notes", "notes"),
        Column("Recorded by", lambda d: _person(d.recorded_by)),
    ),
)

PANEL_DECISION_RELATED = ("package__child", "recorded_by")

PANEL_DECISIONS = Export(
    name="panel-decisions",
    object_type="referrals.paneldecision",
    columns=(
        Column("Decision", "pk"),
        Column("Package", "package_id"),
        Column("Child record", "package.child_id"),
        Column("Child", "package.child.full_name", permission=VIEW_CHILD),
        Column("Outcome", "get_decision_display"),
        Column("Decided", "decided_on"),
        Column("Reasons", "reasons"),
        Column("Members", "members"),
        Column("Recorded by", lambda d: _person(d.recorded_by)),
    ),
)
