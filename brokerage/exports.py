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

VIEW_REQUEST = "brokerage.view_request"

# A request's answers, ranked: each row is a `brokerage.selectors.Ranked`. The scores are the
# council's (provider staff export only their own answer, without them).
BROKERAGE_RESPONSES = Export(
    name="brokerage-answers",
    object_type="brokerage.brokerageresponse",
    columns=(
        Column("Answer", "response.pk"),
        Column("Request", "response.request_id"),
        Column("Provider", "response.provider.name"),
        Column("Can meet the need", "response.can_meet"),
        Column("Price a unit (£)", "response.price_per_unit"),
        Column("Can start", "response.start_date"),
        Column("Comments", "response.comments"),
        Column("Recorded on the provider's behalf", "response.on_behalf"),
        Column("Received at", "response.received_at"),
        Column("Outcome", "response.get_outcome_display"),
        Column("Outcome on", "response.outcome_on"),
        Column("Rank", "rank", permission=VIEW_REQUEST),
        Column("Rating", "rating", permission=VIEW_REQUEST),
        Column("Price score", "price_score", permission=VIEW_REQUEST),
        Column("Quality score", "quality_score", permission=VIEW_REQUEST),
        Column("Total score", "total", permission=VIEW_REQUEST),
    ),
)
