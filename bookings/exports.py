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
