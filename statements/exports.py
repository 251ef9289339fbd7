"""The council's statement versions and the carers' views on each, as CSV and Excel: the columns,
declared once for the staff pages and the API (shortbreaks.exports)."""

from shortbreaks.exports import Column, Export


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


STATEMENTS = Export(
    name="statement-versions",
    object_type="statements.statementversion",
    columns=(
        Column("Version", "number"),
        Column("Title", "title"),
        Column("Status", "get_status_display"),
        Column("Written by", lambda version: _person(version.author)),
        Column("Lead officer", "lead_officer_name"),
        Column("Consultation closes", "consultation_closes_on"),
        Column("Published on", "published_on"),
        Column("Published by", lambda version: _person(version.published_by)),
        Column("Review by", "review_on"),
        Column("Superseded on", "superseded_on"),
        Column("Carers' views", "feedback_count"),
        Column("Started", "created_at"),
        Column("Last changed", "updated_at"),
    ),
)

CARER_FEEDBACK = Export(
    name="statement-carers-views",
    object_type="statements.carerfeedback",
    columns=(
        Column("View", "pk"),
        Column("Version", "version.number"),
        Column("Received", "received_at"),
        Column("Name", "name"),
        Column("Email", "email"),
        Column("Relationship", "relationship"),
        Column("Views", "views"),
        Column("Wants a reply", "wants_reply"),
    ),
)
