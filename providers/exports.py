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

LOCATIONS = Export(
    name="locations",
    object_type="providers.location",
    columns=(
        Column("Location", "pk"),
        Column("Provider", "provider.name"),
        Column("Name", "name"),
        Column("Address line 1", "address_1"),
        Column("Address line 2", "address_2"),
        Column("Town", "town"),
        Column("County", "county"),
        Column("Postcode", "postcode"),
        Column("Latitude", "latitude"),
        Column("Longitude", "longitude"),
        Column("Access to the building", "accessibility"),
        Column("Getting there", "transport"),
    ),
)

SCHEDULES = Export(
    name="service-times",
    object_type="providers.serviceschedule",
    columns=(
        Column("Times", "pk"),
        Column("Service", "service.title"),
        Column("Days", "get_days_display"),
        Column("Hours", "get_hours_display"),
        Column("Notes", "notes"),
    ),
)

# Provider staff's own services with their vacancies (the provider's API).
VACANCIES = Export(
    name="vacancies",
    object_type="providers.service",
    columns=(
        Column("Service", "pk"),
        Column("Title", "title"),
        Column("Places free", "capacity_available"),
        Column("Places in all", "capacity_maximum"),
        Column("Unit", "capacity_unit"),
        Column("Updated at", "capacity_updated_at"),
    ),
)
