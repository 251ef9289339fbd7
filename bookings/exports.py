"""Bookings as CSV and Excel: the columns, declared once for the page and the API
(shortbreaks.exports). A child's name shows only to people who may read children's records
(`referrals.view_child`); provider staff get the booking without it."""

from shortbreaks.exports import Column, Export

VIEW_CHILD = "referrals.view_child"

BOOKINGS = Export(
    name="bookings",
    object_type="bookings.booking",
    columns=(
        Column("Booking", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Provider", "places.provider.name"),
        Column("Lot", "places.lot.number"),
        Column("First day", "first_day"),
        Column("Last day", "last_day"),
        Column("Days", "days"),
        Column("Status", "get_status_display"),
        Column("Cancelled on", "cancelled_on"),
        Column("Cancelled late", "cancelled_late"),
        Column("Delivered on", "delivered_on"),
    ),
)

WAITING_LIST = Export(
    name="waiting-list",
    object_type="bookings.waitinglistentry",
    columns=(
        Column("Entry", "pk"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name", permission=VIEW_CHILD),
        Column("Provider", "places.provider.name"),
        Column("Lot", "places.lot.number"),
        Column("First day", "first_day"),
        Column("Last day", "last_day"),
        Column("Status", "get_status_display"),
        Column("Added at", "added_at"),
        Column("Offered at", "offered_at"),
        Column("Booking", "booking_id"),
        Column("Reason withdrawn", "withdrawn_reason"),
    ),
)

BLOCK_PLACES = Export(
    name="block-places",
    object_type="bookings.blockplaces",
    columns=(
        Column("Places", "pk"),
        Column("Award", "award_id"),
        Column("Contract", "contract.reference"),
        Column("Lot", "lot.number"),
        Column("Provider", "provider.name"),
        Column("Unit", "get_unit_display"),
        Column("Places held", "places"),
        Column("Hours a session", "hours_per_session"),
    ),
)
