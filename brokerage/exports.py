"""Brokerage requests as CSV and Excel: the columns, declared once for the page and the API
(shortbreaks.exports). A request carries nothing that identifies the child, so neither does
its export."""

from shortbreaks.exports import Column, Export

BROKERAGE_REQUESTS = Export(
    name="brokerage-requests",
    object_type="brokerage.brokeragerequest",
    columns=(
        Column("Request", "pk"),
        Column("DPS", "dps.title"),
        Column("Lot", "lot.name"),
        Column("Status", "get_status_display"),
        Column("Age band", "get_age_band_display"),
        Column("Ratio", "get_ratio_display"),
        Column("Amount", "amount_display"),
        Column("Area", "area"),
        Column("Start", "start_date"),
        Column("Answers by", "deadline"),
        Column("Sent", "sent_at"),
        Column("Closed on", "closed_on"),
        Column("Call-off contract", "contract.reference"),
        Column("Spot unit rate", "spot_unit_rate"),
    ),
)
