"""The contracts register as CSV and Excel: its columns, declared once for the page and the API
(shortbreaks.exports)."""

from shortbreaks.exports import Column, Export

CONTRACTS = Export(
    name="contracts",
    object_type="contracts.contract",
    columns=(
        Column("Reference", "reference"),
        Column("Title", "title"),
        Column("Kind", "get_kind_display"),
        Column("Status", "get_current_status_display"),
        Column("Start date", "start_date"),
        Column("End date", "end_date"),
        Column("Furthest end date", "max_extent_date"),
        Column("Annual value (£)", "annual_value"),
        Column("Total value (£)", "total_value"),
        Column("Contract manager", "contract_manager"),
        Column("Lead council", "council.name"),
    ),
)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _applied_on(membership):
    """The day the provider applied: its first event (prefetched with the membership)."""
    events = sorted(membership.events.all(), key=lambda event: (event.on, event.pk))
    return events[0].on if events else None


DPS_SYSTEMS = Export(
    name="dynamic-purchasing-systems",
    object_type="contracts.dps",
    columns=(
        Column("DPS", "pk"),
        Column("Title", "title"),
        Column("Status", "get_status_display"),
        Column("Start date", "start_date"),
        Column("End date", "end_date"),
        Column("Open to applications", "open_to_applications"),
        Column(
            "Categories",
            lambda dps: "; ".join(filter(None, map(str.strip, dps.categories.splitlines()))),
        ),
        Column("Applied", "count_applied"),
        Column("Under assessment", "count_under_assessment"),
        Column("Approved", "count_approved"),
        Column("Suspended", "count_suspended"),
        Column("Exited", "count_exited"),
    ),
)

DPS_MEMBERSHIPS = Export(
    name="dps-memberships",
    object_type="contracts.dpsmembership",
    columns=(
        Column("Membership", "pk"),
        Column("DPS", "dps.title"),
        Column("Provider", "provider.name"),
        Column("Status", "get_status_display"),
        Column("Since", "status_date"),
        Column("Applied on", _applied_on),
        Column("Registration checked", "check_registration"),
        Column("Insurance checked", "check_insurance"),
        Column("Safeguarding policy checked", "check_safeguarding_policy"),
        Column("DBS checked", "check_dbs"),
        Column("Financial standing checked", "check_financial_standing"),
    ),
)

EXTENSIONS = Export(
    name="contract-extensions",
    object_type="contracts.extension",
    columns=(
        Column("Extension", "pk"),
        Column("Contract", "contract.reference"),
        Column("Status", "get_status_display"),
        Column("Previous end date", "previous_end_date"),
        Column("New end date", "new_end_date"),
        Column("Added value (£)", "added_value"),
        Column("Legal basis", "get_legal_basis_display"),
        Column("Rationale", "rationale"),
        Column("Requested by", lambda extension: _person(extension.requested_by)),
        Column("Submitted at", "submitted_at"),
        Column("Decision", "get_decision_display"),
        Column("Decision maker", "decision_maker"),
        Column("Decided on", "decided_on"),
        Column("Key decision", "key_decision"),
        Column("Approvals recorded", lambda extension: len(extension.approvals.all())),
    ),
)

EXTENSION_APPROVALS = Export(
    name="extension-approvals",
    object_type="contracts.extensionapproval",
    columns=(
        Column("Approval", "pk"),
        Column("Extension", "extension_id"),
        Column("Role", "get_role_display"),
        Column("Name", "name"),
        Column("Decision", "get_decision_display"),
        Column("Decided on", "decided_on"),
        Column("Comment", "comment"),
        Column("Recorded at", "recorded_at"),
    ),
)

# A contract's monitoring records, KPI returns among them; provider staff export the KPI returns
# asked of their provider with the columns they are shown (never the council's own notes).
KPI_RETURNS = Export(
    name="kpi-returns",
    object_type="contracts.monitoringrecord",
    columns=(
        Column("Record", "pk"),
        Column("Contract", "contract.reference"),
        Column("Kind", "get_kind_display"),
        Column("Held on", "held_on"),
        Column("Period", "period"),
        Column("Provider", "provider.name"),
        Column("KPI return status", "get_kpi_status_display"),
        Column("Due on", "due_on"),
        Column("Submitted at", "submitted_at"),
        Column("Sessions delivered", "sessions_delivered"),
        Column("Sessions target", "sessions_target"),
        Column("Hours not delivered", "hours_not_delivered"),
        Column("Reason not delivered", "reason_not_delivered"),
        Column("Query reason", "query_reason"),
        Column("Decided at", "decided_at"),
        Column("Summary", "summary"),
    ),
)

MONITORING = Export(
    name="contract-monitoring",
    object_type="contracts.monitoringrecord",
    columns=(
        *KPI_RETURNS.columns,
        Column("Provider's response", "provider_response"),
        Column("Sanction considered", "sanction_considered"),
        Column("Sanction outcome", "sanction_outcome"),
        Column("Recorded by", lambda record: _person(record.recorded_by)),
    ),
)

# Invitations to other councils' joint contracts: what the invitation says, never the contract.
INVITATIONS = Export(
    name="joint-contract-invitations",
    object_type="contracts.contractparticipation",
    columns=(
        Column("Invitation", "pk"),
        Column("Contract reference", "contract_reference"),
        Column("Contract title", "contract_title"),
        Column("Lead council", "lead_council.name"),
        Column("Status", "get_status_display"),
        Column("Invited by", lambda invitation: _person(invitation.invited_by)),
        Column("Invited at", "invited_at"),
        Column("Answered at", "responded_at"),
        Column("Withdrawn at", "withdrawn_at"),
    ),
)

CONTRACT_DOCUMENTS = Export(
    name="contract-documents",
    object_type="contracts.contractdocument",
    columns=(
        Column("Document", "pk"),
        Column("Contract", "contract.reference"),
        Column("Title", "title"),
        Column("File name", "original_name"),
        Column("Type", "content_type"),
        Column("Size (bytes)", "size"),
        Column("SHA-256", "sha256"),
        Column("Uploaded by", lambda document: _person(document.uploaded_by)),
        Column("Uploaded at", "uploaded_at"),
    ),
)

SPEND_LINES = Export(
    name="spend",
    object_type="contracts.spendline",
    columns=(
        Column("Line", "pk"),
        Column(
            "Financial year",
            lambda line: f"{line.financial_year}/{(line.financial_year + 1) % 100:02d}",
        ),
        Column("Package type", "get_package_type_display"),
        Column("Budget (£)", "budget"),
        Column("Outturn (£)", "outturn"),
    ),
)

# Provider staff's own contracts: the terms, and only the lots awarded to their provider.
PROVIDER_CONTRACTS = Export(
    name="contracts",
    object_type="contracts.contract",
    columns=(
        Column("Contract", "pk"),
        Column("Reference", "reference"),
        Column("Title", "title"),
        Column("Kind", "get_kind_display"),
        Column("Status", "get_current_status_display"),
        Column("Start date", "start_date"),
        Column("End date", "end_date"),
        Column(
            "Lots awarded",
            lambda contract: [f"{lot.number} {lot.name}" for lot in contract.provider_lots],
        ),
    ),
)
