"""Children's records as CSV and Excel: each list's columns, declared once for the page and the
API (shortbreaks.exports). A child's name shows only to people who may read children's records
(`referrals.view_child`); no NHS number, address or postcode is exported."""

from shortbreaks.exports import Column, Export

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
