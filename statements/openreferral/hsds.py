"""A council's published services as Human Services Data Specification 3.0 records (the data
model Open Referral UK profiles): pure functions from our records to HSDS objects.

The shapes are those of the HSDS 3.0 compiled schemas: `service_list.json`,
`service.json`, `organization_list.json`, `organization.json`, `service_at_location_list.json`,
`service_at_location.json`, `taxonomy.json` and `taxonomy_term.json`. Optional fields without a
value are left out, never sent empty (the UK profile asks for that).

Identifiers. HSDS identifiers are UUIDs. Each is derived with uuid5 from the council's slug, the
kind of record and our own id, so it is stable across calls and distinct across councils. The
vocabularies (taxonomies and their terms) are the same for every council, so theirs are derived
from the vocabulary alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from providers.models import (
    Location,
    Need,
    Provider,
    Regulation4Category,
    Service,
    ServiceLocation,
    ServiceSchedule,
    Setting,
    When,
)
from shortbreaks.councils.models import Council, Tier

# Fixed namespace for every identifier this feed derives; never change it (ids would all move).
NAMESPACE = uuid.UUID("6f1c4b52-3a7e-5c8d-9b0e-2d4f6a8c0e11")

COUNTRY = "GB"  # ISO 3166-1 alpha-2, as HSDS addresses ask


def hsds_id(council: Council, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join([council.slug, *map(str, parts)])))


def service_uuid(council: Council, service_id: int) -> str:
    return hsds_id(council, "service", service_id)


def organization_uuid(council: Council, provider_id: int) -> str:
    return hsds_id(council, "organization", provider_id)


def location_uuid(council: Council, location_id: int) -> str:
    return hsds_id(council, "location", location_id)


def service_at_location_uuid(council: Council, service_location_id: int) -> str:
    return hsds_id(council, "service_at_location", service_location_id)


def timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as HSDS asks for last_modified."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out the optional fields that have no value."""
    return {key: value for key, value in data.items() if value not in ("", None, [])}


# ---------------------------------------------------------------------------------------------
# Vocabularies: each is a field of the service whose values are the terms.


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    field: str  # the Service field holding the code(s)
    many: bool  # a list of codes, or one
    terms: tuple[Term, ...]
    uri: str = ""
    version: str = ""

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy/{self.key}"))

    def term_id(self, code: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy/{self.key}/{code}"))

    def codes_of(self, service: Service) -> list[str]:
        value = getattr(service, self.field)
        return list(value) if self.many else [value]


def _terms(choices, descriptions: dict[str, str]) -> tuple[Term, ...]:
    return tuple(Term(code, name, descriptions[code]) for code, name in choices)


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        key="regulation-4",
        name="Short breaks: the range of services (Regulation 4)",
        description="The range of short breaks a council must provide under regulation 4 of "
        "the Breaks for Carers of Disabled Children Regulations 2011.",
        uri="https://www.legislation.gov.uk/uksi/2011/707/regulation/4",
        version="2011",
        field="categories",
        many=True,
        terms=_terms(
            Regulation4Category.choices,
            {
                Regulation4Category.DAYTIME_CARE: "Day-time care in the homes of disabled "
                "children or elsewhere.",
                Regulation4Category.OVERNIGHT_CARE: "Overnight care in the homes of disabled "
                "children or elsewhere.",
                Regulation4Category.EDUCATIONAL_LEISURE: "Educational or leisure activities "
                "for disabled children outside their homes.",
                Regulation4Category.EVENINGS_WEEKENDS_HOLIDAYS: "Services that help carers in "
                "the evenings, at weekends and during the school holidays.",
            },
        ),
    ),
    Taxonomy(
        key="short-breaks-tier",
        name="Short breaks: tiers",
        description="How a family reaches a short break: open to all, for disabled children "
        "without an assessment, or after a social care assessment.",
        field="tier",
        many=False,
        terms=_terms(
            Tier.choices,
            {
                Tier.UNIVERSAL: "Open to all children and young people, disabled children "
                "included, with no assessment or referral.",
                Tier.TARGETED: "For disabled children and young people, without a social care "
                "assessment.",
                Tier.SPECIALIST: "For disabled children and young people after a social care "
                "assessment of the child's and their carers' needs.",
            },
        ),
    ),
    Taxonomy(
        key="short-breaks-setting",
        name="Short breaks: settings",
        description="Where a short break takes place.",
        field="setting",
        many=False,
        terms=_terms(
            Setting.choices,
            {
                Setting.COMMUNITY: "In the community: clubs, activities and outings.",
                Setting.HOME: "In the child's own home.",
                Setting.RESIDENTIAL: "In a residential setting, such as a children's home with "
                "short break beds.",
                Setting.FAMILY_BASED: "With the family of an approved short break carer.",
            },
        ),
    ),
    Taxonomy(
        key="send-areas-of-need",
        name="SEND Code of Practice: broad areas of need",
        description="The four broad areas of special educational needs and disability in the "
        "SEND Code of Practice: 0 to 25 years (paragraphs 6.28 to 6.35).",
        uri="https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
        version="2015",
        field="needs",
        many=True,
        terms=_terms(
            Need.choices,
            {
                Need.COMMUNICATION_INTERACTION: "Speech, language and communication needs, "
                "and autism.",
                Need.COGNITION_LEARNING: "Learning difficulties, from moderate to profound and "
                "multiple, and specific learning difficulties.",
                Need.SOCIAL_EMOTIONAL_MENTAL_HEALTH: "Social, emotional and mental health "
                "difficulties.",
                Need.SENSORY_PHYSICAL: "Vision, hearing or multi-sensory impairment, and "
                "physical disability.",
            },
        ),
    ),
)

TAXONOMY_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
TERM_BY_ID = {
    taxonomy.term_id(term.code): (taxonomy, term)
    for taxonomy in TAXONOMIES
    for term in taxonomy.terms
}


def taxonomy_record(taxonomy: Taxonomy) -> dict[str, Any]:
    return _present(
        {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )


def term_record(taxonomy: Taxonomy, term: Term) -> dict[str, Any]:
    """A term with its vocabulary, so a reader needs no second call to know what it means."""
    return {
        "id": taxonomy.term_id(term.code),
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "taxonomy": taxonomy.uri or taxonomy.name,
        "taxonomy_detail": taxonomy_record(taxonomy),
        "language": "en",
        "taxonomy_id": taxonomy.id,
    }


def all_terms() -> list[tuple[Taxonomy, Term]]:
    return [(taxonomy, term) for taxonomy in TAXONOMIES for term in taxonomy.terms]


def _attributes(council: Council, service: Service) -> list[dict[str, Any]]:
    sid = service_uuid(council, service.pk)
    attributes = []
    for taxonomy in TAXONOMIES:
        terms = {term.code: term for term in taxonomy.terms}
        for code in taxonomy.codes_of(service):
            if code not in terms:
                continue
            attributes.append(
                {
                    "id": hsds_id(council, "service", service.pk, "attribute", taxonomy.key, code),
                    "link_id": sid,
                    "taxonomy_term_id": taxonomy.term_id(code),
                    "link_entity": "service",
                    "taxonomy_term": term_record(taxonomy, terms[code]),
                }
            )
    return attributes


# ---------------------------------------------------------------------------------------------
# Words for people, shared with the public directory.


def price_words(service: Service) -> str:
    if service.price is None:
        return ""
    if service.price == 0:
        return "Free"
    unit = f" {service.get_price_unit_display()}" if service.price_unit else ""
    return f"£{service.price:,.2f}{unit}"


def eligibility_words(service: Service) -> str:
    ages = f"aged {service.age_from} to {service.age_to}"
    if service.tier == Tier.UNIVERSAL:
        return f"Open to all children and young people {ages}, disabled children included."
    if service.tier == Tier.TARGETED:
        return f"Disabled children and young people {ages}. No social care assessment needed."
    return (
        f"Disabled children and young people {ages}, after a social care assessment of the "
        "child's and their carers' needs."
    )


def schedule_words(schedule: ServiceSchedule) -> str:
    words = str(schedule)
    return f"{words} ({schedule.notes})" if schedule.notes else words


# ---------------------------------------------------------------------------------------------
# Organizations and locations.


def organization_description(council: Council, provider: Provider) -> str:
    return f"Provides short breaks for disabled children and their families in {council.name}."


def organization_summary(council: Council, provider: Provider) -> dict[str, Any]:
    """The one-to-one fields (organization_list.json)."""
    return _present(
        {
            "id": organization_uuid(council, provider.pk),
            "name": provider.name,
            "description": organization_description(council, provider),
            "email": provider.contact_email,
            "website": provider.website,
        }
    )


def _phone(council: Council, number: str, *parts: object, **links: str) -> dict[str, Any]:
    return {"id": hsds_id(council, *parts, "phone"), **links, "number": number, "type": "voice"}


def address_record(council: Council, location: Location) -> dict[str, Any]:
    return _present(
        {
            "id": hsds_id(council, "location", location.pk, "address"),
            "location_id": location_uuid(council, location.pk),
            "address_1": location.address_1,
            "address_2": location.address_2,
            "city": location.town,
            "state_province": location.county,
            "postal_code": location.postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    )


def location_summary(council: Council, location: Location) -> dict[str, Any]:
    """The one-to-one fields of a location."""
    return _present(
        {
            "id": location_uuid(council, location.pk),
            "location_type": "physical",
            "organization_id": organization_uuid(council, location.provider_id),
            "name": location.name,
            "transportation": location.transport,
            "latitude": float(location.latitude) if location.latitude is not None else None,
            "longitude": float(location.longitude) if location.longitude is not None else None,
        }
    )


def location_full(council: Council, location: Location) -> dict[str, Any]:
    data = location_summary(council, location)
    data["addresses"] = [address_record(council, location)]
    if location.accessibility:
        data["accessibility"] = [
            {
                "id": hsds_id(council, "location", location.pk, "accessibility"),
                "location_id": data["id"],
                "description": location.accessibility,
            }
        ]
    return data


def _identifiers(council: Council, provider: Provider) -> list[dict[str, Any]]:
    """Companies House and Charity Commission numbers, with their org-id.guide schemes."""
    org_id = organization_uuid(council, provider.pk)
    found = []
    for scheme, kind, number in (
        ("GB-COH", "Company number", provider.companies_house_number),
        ("GB-CHC", "Charity number", provider.charity_number),
    ):
        if number:
            found.append(
                {
                    "id": hsds_id(council, "organization", provider.pk, "identifier", scheme),
                    "organization_id": org_id,
                    "identifier_scheme": scheme,
                    "identifier_type": kind,
                    "identifier": number,
                }
            )
    return found


def organization_nested(
    council: Council, provider: Provider, locations: list[Location]
) -> dict[str, Any]:
    """An organization with its contacts, phones, locations and identifiers."""
    data = organization_summary(council, provider)
    org_id = data["id"]
    if provider.contact_phone:
        data["phones"] = [
            _phone(
                council, provider.contact_phone, "organization", provider.pk, organization_id=org_id
            )
        ]
    if provider.contact_name or provider.contact_email:
        data["contacts"] = [
            _present(
                {
                    "id": hsds_id(council, "organization", provider.pk, "contact"),
                    "organization_id": org_id,
                    "name": provider.contact_name,
                    "email": provider.contact_email,
                }
            )
        ]
    if locations:
        data["locations"] = [location_full(council, location) for location in locations]
    identifiers = _identifiers(council, provider)
    if identifiers:
        data["organization_identifiers"] = identifiers
    return data


def organization_full(
    council: Council, provider: Provider, locations: list[Location], services: list[Service]
) -> dict[str, Any]:
    """organization.json: nested, with its published services' one-to-one fields."""
    data = organization_nested(council, provider, locations)
    data["services"] = [_service_one_to_one(council, service) for service in services]
    return data


# ---------------------------------------------------------------------------------------------
# Services.


def _service_one_to_one(council: Council, service: Service) -> dict[str, Any]:
    """The fields a service_list.json item allows (no nested lists)."""
    return _present(
        {
            "id": service_uuid(council, service.pk),
            "organization_id": organization_uuid(council, service.provider_id),
            "name": service.title,
            "description": service.description,
            "url": service.contact_url,
            "email": service.contact_email,
            "status": "active",
            "application_process": service.how_to_access,
            "fees_description": price_words(service),
            "eligibility_description": eligibility_words(service),
            "minimum_age": service.age_from,
            "maximum_age": service.age_to,
            "last_modified": timestamp(service.updated_at),
        }
    )


def service_summary(council: Council, service: Service) -> dict[str, Any]:
    """A service_list.json item: one-to-one fields and its organization's."""
    data = _service_one_to_one(council, service)
    data["organization"] = organization_summary(council, service.provider)
    return data


def _schedule_record(council: Council, schedule: ServiceSchedule, **links: str) -> dict[str, Any]:
    at = [links["service_at_location_id"]] if "service_at_location_id" in links else []
    return _present(
        {
            "id": hsds_id(council, "schedule", schedule.pk, *at),
            **links,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(schedule.days),
            "opens_at": f"{schedule.opens_at:%H:%M}",
            "closes_at": f"{schedule.closes_at:%H:%M}",
            "description": schedule_words(schedule),
            "notes": schedule.notes,
        }
    )


def _schedules(
    council: Council, service: Service, schedules: list[ServiceSchedule], **links: str
) -> list[dict[str, Any]]:
    """The weekly times; a service with none says in words when it runs (`when`)."""
    if schedules:
        return [_schedule_record(council, schedule, **links) for schedule in schedules]
    labels = dict(When.choices)
    return [
        {
            "id": hsds_id(council, "service", service.pk, "schedule", value),
            **links,
            "description": labels.get(value, value),
        }
        for value in service.when
    ]


def _service_nested(
    council: Council,
    service: Service,
    *,
    schedules: list[ServiceSchedule],
    provider_locations: list[Location],
) -> dict[str, Any]:
    """A service with everything but its service-at-locations."""
    data = _service_one_to_one(council, service)
    sid = data["id"]
    if service.contact_phone:
        data["phones"] = [
            _phone(council, service.contact_phone, "service", service.pk, service_id=sid)
        ]
    timetable = _schedules(council, service, schedules, service_id=sid)
    if timetable:
        data["schedules"] = timetable
    areas = [area.strip() for area in service.areas.split(",") if area.strip()]
    if areas:
        data["service_areas"] = [
            {
                "id": hsds_id(council, "service", service.pk, "area", area.lower()),
                "service_id": sid,
                "name": area,
            }
            for area in areas
        ]
    data["organization"] = organization_nested(council, service.provider, provider_locations)
    if service.price is not None:
        data["cost_options"] = [
            _present(
                {
                    "id": hsds_id(council, "service", service.pk, "cost"),
                    "service_id": sid,
                    "currency": "GBP",
                    "amount": float(service.price),
                    "amount_description": (
                        "Free" if service.price == 0 else service.get_price_unit_display()
                    ),
                }
            )
        ]
    if service.provider.contact_name or service.contact_email or service.contact_phone:
        contact_id = hsds_id(council, "service", service.pk, "contact")
        phones = []
        if service.contact_phone:
            phones = [
                _phone(
                    council,
                    service.contact_phone,
                    "service",
                    service.pk,
                    "contact",
                    contact_id=contact_id,
                )
            ]
        data["contacts"] = [
            _present(
                {
                    "id": contact_id,
                    "service_id": sid,
                    "name": service.provider.contact_name,
                    "email": service.contact_email,
                    "phones": phones,
                }
            )
        ]
    attributes = _attributes(council, service)
    if attributes:
        data["attributes"] = attributes
    return data


def _service_at_location_nested(
    council: Council, service_location: ServiceLocation, schedules: list[ServiceSchedule]
) -> dict[str, Any]:
    sal_id = service_at_location_uuid(council, service_location.pk)
    data = {
        "id": sal_id,
        "service_id": service_uuid(council, service_location.service_id),
        "location_id": location_uuid(council, service_location.location_id),
    }
    timetable = [
        _schedule_record(council, schedule, service_at_location_id=sal_id) for schedule in schedules
    ]
    if timetable:
        data["schedules"] = timetable
    data["location"] = location_full(council, service_location.location)
    return data


def service_full(
    council: Council,
    service: Service,
    *,
    schedules: list[ServiceSchedule],
    service_locations: list[ServiceLocation],
    provider_locations: list[Location],
) -> dict[str, Any]:
    """service.json: fully nested, where it runs with each location's address included."""
    data = _service_nested(
        council, service, schedules=schedules, provider_locations=provider_locations
    )
    if service_locations:
        data["service_at_locations"] = [
            _service_at_location_nested(council, service_location, schedules)
            for service_location in service_locations
        ]
    return data


def service_at_location_summary(
    council: Council, service_location: ServiceLocation
) -> dict[str, Any]:
    """A service_at_location_list.json item: its location's and service's one-to-one fields."""
    return {
        "id": service_at_location_uuid(council, service_location.pk),
        "service_id": service_uuid(council, service_location.service_id),
        "location_id": location_uuid(council, service_location.location_id),
        "location": location_summary(council, service_location.location),
        "service": service_summary(council, service_location.service),
    }


def service_at_location_full(
    council: Council,
    service_location: ServiceLocation,
    *,
    schedules: list[ServiceSchedule],
    provider_locations: list[Location],
) -> dict[str, Any]:
    """service_at_location.json: the location and the service, both fully nested."""
    data = _service_at_location_nested(council, service_location, schedules)
    data["service"] = _service_nested(
        council,
        service_location.service,
        schedules=schedules,
        provider_locations=provider_locations,
    )
    return data
