"""Audit reports, their recommendations and management actions, evidence packs, who a pack is
shared with, and the invitations to external auditors, as CSV and Excel: the columns, declared
once for the pages and the API (shortbreaks.exports). None of them holds a child's name."""

from django.utils import timezone

from audits.models import InvitationState
from shortbreaks.exports import Column, Export


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


AUDIT_REPORTS = Export(
    name="audit-reports",
    object_type="audits.auditreport",
    columns=(
        Column("Report", "pk"),
        Column("Title", "title"),
        Column("Auditor", "auditor"),
        Column("Report date", "report_date"),
        Column("Period start", "period_start"),
        Column("Period end", "period_end"),
        Column("Rating", "get_rating_display"),
        Column("Follow-up of", "follow_up_of.title"),
        Column("Recommendations", "recommendation_count"),
        Column("Outstanding", "outstanding_count"),
        Column("Overdue", "overdue_count"),
        Column("Summary", "summary"),
    ),
)

RECOMMENDATIONS = Export(
    name="audit-recommendations",
    object_type="audits.recommendation",
    columns=(
        Column("Recommendation", "pk"),
        Column("Reference", "reference"),
        Column("Report", "report.title"),
        Column("Report date", "report.report_date"),
        Column("Priority", "get_priority_display"),
        Column("Recommendation text", "text"),
        Column("Management action", "management_action"),
        Column("Owner", "owner_display"),
        Column("Review date", "review_date"),
        Column("Review note", "review_note"),
        Column("Overdue", "overdue"),
        Column("Status", "get_status_display"),
        Column("Status date", "status_date"),
        Column("Evidence links", "evidence_count"),
    ),
)

EVIDENCE_LINKS = Export(
    name="audit-evidence",
    object_type="audits.evidencelink",
    columns=(
        Column("Link", "pk"),
        Column("Recommendation", "recommendation_id"),
        Column("Kind", "get_kind_display"),
        Column("Record", "record_id"),
        Column("Note", "note"),
        Column("Added by", lambda link: _person(link.added_by)),
        Column("Added at", "added_at"),
    ),
)

EVIDENCE_PACKS = Export(
    name="evidence-packs",
    object_type="audits.evidencepack",
    columns=(
        Column("Pack", "pk"),
        Column("Kind", "get_kind_display"),
        Column("Period start", "period_start"),
        Column("Period end", "period_end"),
        Column("As at", "as_at"),
        Column("Children's names included", "include_names"),
        Column("Requested by", lambda pack: _person(pack.requested_by)),
        Column("Requested at", "requested_at"),
        Column("Status", "job.get_status_display"),
    ),
)

PACK_GRANTS = Export(
    name="evidence-pack-access",
    object_type="audits.evidencepackgrant",
    columns=(
        Column("Grant", "pk"),
        Column("Pack", "pack_id"),
        Column("Person", lambda grant: _person(grant.user)),
        Column("Email", "user.email"),
        Column("Last day", "expires_on"),
        Column("Shared by", lambda grant: _person(grant.granted_by)),
        Column("Shared at", "granted_at"),
    ),
)

AUDITOR_INVITATIONS = Export(
    name="external-auditor-invitations",
    object_type="audits.externalauditorinvitation",
    columns=(
        Column("Invitation", "pk"),
        Column("Email", "email"),
        Column("First name", "auditor.user.first_name"),
        Column("Last name", "auditor.user.last_name"),
        Column("Organisation", "auditor.organisation"),
        Column("State", lambda invitation: InvitationState(invitation.state(timezone.now())).label),
        Column("Sent at", "created_at"),
        Column("Expires at", "expires_at"),
        Column("Accepted at", "accepted_at"),
        Column("Invited by", lambda invitation: _person(invitation.invited_by)),
    ),
)
