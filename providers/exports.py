"""Providers and their services as CSV and Excel: each list's columns, declared once for the page
and the API (shortbreaks.exports)."""

from shortbreaks.exports import Column, Export

PROVIDERS = Export(
    name="providers",
    object_type="providers.provider",
    columns=(
        Column("Name", "name"),
        Column("Status", "get_status_display"),
        Column("Status since", "status_date"),
        Column("Companies House number", "companies_house_number"),
        Column("Charity number", "charity_number"),
        Column("Contact", "contact_name"),
        Column("Email", "contact_email"),
        Column("Telephone", "contact_phone"),
        Column("Website", "website"),
    ),
)

SERVICES = Export(
    name="services",
    object_type="providers.service",
    columns=(
        Column("Service", "title"),
        Column("Provider", "provider.name"),
        Column("Tier", "get_tier_display"),
        Column("Setting", "get_setting_display"),
        Column("Ages from", "age_from"),
        Column("Ages to", "age_to"),
        Column("Areas", "areas"),
        Column("Price (£)", "price"),
        Column("Per", "get_price_unit_display"),
        Column("Places available", "capacity_available"),
        Column("Places at most", "capacity_maximum"),
    ),
)
