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
