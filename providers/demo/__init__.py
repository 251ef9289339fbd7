"""Demo providers and the services they offer in each of the five seed councils. Safe to run again.

Names come from the council reports where a report names the provider (Herefordshire's DPS
providers, Shropshire's overnight provider, Medway's Rivermead Inclusive Trust and Medway Go);
where a report is silent the provider is made up, with modest prices and capacity. Every council
gets universal, targeted and specialist services, and at least one universal service from a
provider that holds no contract (a youth club, a leisure centre). Everything is written through
`providers.services`, by the council's demo commissioner, so it passes the same checks as real
records; a record that exists already (council + provider name, provider + service title) is left
as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from providers import services
from providers.demo import directory
from providers.models import Provider, ProviderStatus, Service
from shortbreaks.councils.demo import login_for
from shortbreaks.councils.models import Council, Role, User

DAY = "daytime_care"
NIGHT = "overnight_care"
LEISURE = "educational_leisure"
EWH = "evenings_weekends_holidays"

ASSESSED = (
    "After a social care assessment of the child's and carer's needs by the children with "
    "disabilities team."
)
NO_ASSESSMENT = "Open to all: no assessment or referral needed. Contact the club to book."


def demo_actor(slug: str, role: str = Role.COMMISSIONER) -> User:
    """The council's demo person in `role`, working in that council."""
    user = User.objects.get(username=login_for(role, slug))
    council = Council.objects.get(slug=slug)
    if user.active_council_id != council.pk:
        user.active_council = council
        user.save(update_fields=["active_council"])
    user.forget_roles()
    return user


def _service(
    title: str,
    tier: str,
    categories: list[str],
    setting: str,
    ratios: list[str],
    ages: tuple[int, int],
    when: list[str],
    *,
    price: str | None = None,
    unit: str = "",
    capacity: tuple[int, int, str] | None = None,
    **extra: str,
) -> dict:
    fields = {
        "title": title,
        "tier": tier,
        "categories": categories,
        "setting": setting,
        "ratios": ratios,
        "age_from": ages[0],
        "age_to": ages[1],
        "when": when,
        "price": Decimal(price) if price is not None else None,
        "price_unit": unit,
        **extra,
    }
    if capacity:
        available, maximum, capacity_unit = capacity
        fields |= {
            "capacity_available": available,
            "capacity_maximum": maximum,
            "capacity_unit": capacity_unit,
        }
    fields.setdefault("how_to_access", ASSESSED if tier == "specialist" else NO_ASSESSMENT)
    return fields


# council slug -> providers: (provider fields, registrations, status change or None, services)
DEMO_PROVIDERS: dict[str, list[dict]] = {
    "herefordshire": [
        {
            "provider": {"name": "Our Place Schools"},
            "services": [
                _service(
                    "Specialist daytime buddying",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:1", "2:1"],
                    (8, 17),
                    ["after_school", "weekends", "school_holidays"],
                    price="27.50",
                    unit="hour",
                    capacity=(2, 10, "children"),
                    areas="All of Herefordshire",
                    description="A trained buddy supports the child to take part in activities "
                    "in the community: walking, bike riding, swimming, the cinema.",
                ),
                _service(
                    "School holiday activity days",
                    "specialist",
                    [LEISURE, EWH],
                    "community",
                    ["1:1"],
                    (8, 17),
                    ["school_holidays"],
                    price="145.00",
                    unit="session",
                    capacity=(3, 6, "places a day"),
                    areas="Hereford and Leominster",
                ),
            ],
        },
        {
            "provider": {"name": "Newcross Healthcare Solutions Ltd"},
            "services": [
                _service(
                    "Domiciliary care short breaks",
                    "specialist",
                    [DAY, EWH],
                    "home",
                    ["1:1", "2:1"],
                    (8, 17),
                    ["after_school", "evenings", "weekends", "school_holidays"],
                    price="29.00",
                    unit="hour",
                    capacity=(0, 12, "children"),
                    areas="All of Herefordshire",
                    description="Care and support at home from a CQC registered provider, "
                    "including personal care.",
                ),
                _service(
                    "Daytime buddying in the community",
                    "specialist",
                    [DAY, LEISURE],
                    "community",
                    ["1:1", "2:1"],
                    (8, 17),
                    ["weekends", "school_holidays"],
                    price="28.00",
                    unit="hour",
                    areas="Hereford, Ross-on-Wye",
                ),
            ],
        },
        {
            "provider": {"name": "Aspire Living"},
            "services": [
                _service(
                    "Overnight support in the home",
                    "specialist",
                    [NIGHT],
                    "home",
                    ["1:1"],
                    (8, 17),
                    ["overnight"],
                    price="230.00",
                    unit="night",
                    capacity=(1, 4, "nights a week"),
                    areas="All of Herefordshire",
                    description="A waking night carer in the child's own home so that parents "
                    "can sleep.",
                ),
                _service(
                    "Community buddying",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:1"],
                    (8, 17),
                    ["after_school", "weekends"],
                    price="27.00",
                    unit="hour",
                    areas="Leominster, Kington, Bromyard",
                ),
            ],
        },
        {
            "provider": {"name": "Crossroads Care"},
            "status": (
                ProviderStatus.EXITED,
                date(2020, 6, 30),
                "Left the Tier 3 DPS, citing recruitment, the geographical spread of children "
                "needing support and the small demand for buddying in Herefordshire.",
            ),
            "services": [],
        },
        {
            "provider": {
                "name": "Wye Valley Inclusive Clubs",
                "address": "Community Hall, Hereford",
                "postcode": "HR1 2AA",
                "contact_name": "Club coordinator",
                "contact_email": "hello@wyevalleyclubs.example",
            },
            "services": [
                _service(
                    "Saturday club for disabled children",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3", "1:2"],
                    (5, 17),
                    ["weekends"],
                    price="10.00",
                    unit="session",
                    capacity=(6, 20, "places"),
                    areas="Hereford",
                    accessibility="Step-free hall, changing places toilet, quiet room.",
                    how_to_access="No social care assessment needed: families book a place "
                    "with the club.",
                ),
                _service(
                    "Craft and creative holiday sessions",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 17),
                    ["school_holidays"],
                    price="12.00",
                    unit="session",
                    areas="Hereford, Leominster",
                    how_to_access="No social care assessment needed: book through the club.",
                ),
            ],
        },
        {
            "provider": {"name": "Leominster Youth Club", "postcode": "HR6 8AA"},
            "services": [
                _service(
                    "Youth club evenings",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (11, 18),
                    ["evenings"],
                    price="1.00",
                    unit="session",
                    areas="Leominster",
                    accessibility="Ground floor, accessible toilet.",
                ),
            ],
        },
    ],
    "shropshire": [
        {
            "provider": {"name": "Action for Children"},
            "services": [
                _service(
                    "Specialised overnight stays",
                    "specialist",
                    [NIGHT, EWH],
                    "residential",
                    ["1:1", "2:1"],
                    (8, 18),
                    ["overnight", "weekends", "school_holidays"],
                    price="850.00",
                    unit="night",
                    capacity=(1, 6, "beds"),
                    areas="All of Shropshire",
                    description="Planned overnight stays in a registered children's home for "
                    "children with complex needs.",
                ),
                _service(
                    "Community short breaks",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:1", "2:1"],
                    (5, 18),
                    ["after_school", "weekends", "school_holidays"],
                    price="26.00",
                    unit="hour",
                    areas="All of Shropshire",
                ),
            ],
        },
        {
            "provider": {
                "name": "Severn Inclusive Play",
                "contact_email": "allin@severnplay.example",
                "postcode": "SY1 1AA",
            },
            "services": [
                _service(
                    "All In activity clubs",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 18),
                    ["after_school", "weekends"],
                    areas="Shrewsbury, Oswestry, Ludlow, Telford borders",
                    description="Drama, sport and clubs open to every child, with staff "
                    "trained to include disabled children.",
                ),
                _service(
                    "All In holiday activities",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 18),
                    ["school_holidays"],
                    areas="All of Shropshire",
                ),
                _service(
                    "Supported group activities",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:2", "1:1"],
                    (5, 18),
                    ["weekends", "school_holidays"],
                    price="8.00",
                    unit="session",
                    capacity=(4, 12, "places"),
                    areas="Shrewsbury, Oswestry",
                    how_to_access="For children who need extra help to join in; no social care "
                    "assessment needed.",
                ),
            ],
        },
        {
            "provider": {"name": "Oswestry Youth Club"},
            "services": [
                _service(
                    "Inclusive youth club night",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (11, 18),
                    ["evenings"],
                    areas="Oswestry",
                ),
            ],
        },
    ],
    "warwickshire": [
        {
            "provider": {
                "name": "Heartwood Care and Support",
                "postcode": "CV11 4AA",
                "contact_email": "referrals@heartwoodcare.example",
            },
            "registrations": [("cqc", "1-000100001", "Domiciliary care service", "Good")],
            "services": [
                _service(
                    "Community activity clubs (North and Rugby)",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3", "1:2"],
                    (5, 18),
                    ["weekends", "school_holidays"],
                    price="38.00",
                    unit="session",
                    capacity=(5, 24, "places"),
                    areas="North Warwickshire, Nuneaton and Bedworth, Rugby",
                    how_to_access="No social care assessment needed: ask the club for a place.",
                ),
                _service(
                    "Day support at home",
                    "specialist",
                    [DAY, EWH],
                    "home",
                    ["1:1", "2:1"],
                    (5, 18),
                    ["after_school", "weekends", "school_holidays"],
                    price="28.00",
                    unit="hour",
                    areas="North Warwickshire, Nuneaton and Bedworth, Rugby",
                ),
                _service(
                    "Night support at home",
                    "specialist",
                    [NIGHT],
                    "home",
                    ["1:1"],
                    (5, 18),
                    ["overnight"],
                    price="210.00",
                    unit="night",
                    capacity=(1, 3, "nights a week"),
                    areas="North Warwickshire, Rugby",
                ),
            ],
        },
        {
            "provider": {"name": "Avon Valley Short Breaks", "postcode": "CV37 6AA"},
            "services": [
                _service(
                    "Supported exploring",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:1", "2:1"],
                    (8, 18),
                    ["after_school", "weekends", "school_holidays"],
                    price="26.50",
                    unit="hour",
                    areas="Stratford-on-Avon, Warwick district",
                    description="Out and about in public and community spaces, one to one.",
                ),
                _service(
                    "Saturday activity club (South)",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 18),
                    ["weekends"],
                    price="35.00",
                    unit="session",
                    capacity=(2, 16, "places"),
                    areas="Stratford-upon-Avon, Leamington Spa",
                    how_to_access="No social care assessment needed: ask the club for a place.",
                ),
            ],
        },
        {
            "provider": {"name": "Arden Children's Services", "postcode": "CV34 4AA"},
            "registrations": [("ofsted", "SC000101", "Children's home", "Good")],
            "services": [
                _service(
                    "Residential overnight short breaks",
                    "specialist",
                    [NIGHT, EWH],
                    "residential",
                    ["1:1", "2:1"],
                    (8, 18),
                    ["overnight", "weekends", "school_holidays"],
                    price="490.00",
                    unit="night",
                    capacity=(1, 4, "beds"),
                    areas="Countywide",
                    description="Four overnight respite beds in a small children's home.",
                ),
            ],
        },
        {
            "provider": {"name": "Nuneaton Youth and Community Centre"},
            "services": [
                _service(
                    "Youth club evenings",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (11, 18),
                    ["evenings"],
                    areas="Nuneaton",
                ),
            ],
        },
    ],
    "medway": [
        {
            "provider": {
                "name": "Rivermead Inclusive Trust",
                "address": "Rivermead School, Gillingham",
            },
            "services": [
                _service(
                    "ROCC respite sessions",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:2", "1:1"],
                    (5, 18),
                    ["weekends", "school_holidays"],
                    price="85.00",
                    unit="session",
                    capacity=(3, 12, "places a session"),
                    areas="All of Medway",
                    description="Short breaks at ROCC, including respite on alternate "
                    "Saturdays. A priority pathway from the Access to Resources Panel for the "
                    "most complex children.",
                    how_to_access="Referral through the Access to Resources Panel after a social "
                    "care assessment.",
                ),
                _service(
                    "ROCC after-school club",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:2", "1:1"],
                    (5, 18),
                    ["after_school"],
                    price="60.00",
                    unit="session",
                    capacity=(2, 10, "places a session"),
                    areas="All of Medway",
                ),
                _service(
                    "ROCC satellite provision in Hoo",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:2", "1:1"],
                    (5, 18),
                    ["weekends", "school_holidays"],
                    price="85.00",
                    unit="session",
                    areas="Hoo Peninsula",
                    description="From February 2025.",
                ),
            ],
        },
        {
            "provider": {"name": "Chatham Inclusive Sports Club", "postcode": "ME4 4AA"},
            "services": [
                _service(
                    "Inclusive multi-sports sessions",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3", "1:2"],
                    (5, 18),
                    ["after_school", "weekends"],
                    price="6.00",
                    unit="session",
                    capacity=(8, 20, "places"),
                    areas="Chatham, Gillingham",
                    how_to_access="No social care assessment needed: book with the club.",
                ),
            ],
        },
        {
            "provider": {"name": "Medway Go"},
            "services": [
                _service(
                    "Holiday activities and food",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 16),
                    ["school_holidays"],
                    areas="All of Medway",
                ),
            ],
        },
        {
            "provider": {"name": "Medway Youth Service"},
            "services": [
                _service(
                    "Youth club sessions",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (11, 19),
                    ["evenings"],
                    areas="Strood, Chatham, Rainham",
                ),
            ],
        },
    ],
    "birmingham": [
        {
            "provider": {"name": "Harborne Children's Respite", "postcode": "B17 9AA"},
            "registrations": [("ofsted", "SC000202", "Children's home", "Requires improvement")],
            "services": [
                _service(
                    "Overnight short breaks",
                    "specialist",
                    [NIGHT, EWH],
                    "residential",
                    ["1:1", "2:1"],
                    (8, 18),
                    ["overnight", "weekends", "school_holidays"],
                    price="520.00",
                    unit="night",
                    capacity=(2, 6, "beds"),
                    areas="Citywide",
                ),
            ],
        },
        {
            "provider": {"name": "Saltley Family Support", "postcode": "B8 1AA"},
            "registrations": [("cqc", "1-000200002", "Domiciliary care service", "Good")],
            "services": [
                _service(
                    "Specialist community support",
                    "specialist",
                    [DAY, LEISURE, EWH],
                    "community",
                    ["1:1", "2:1"],
                    (5, 18),
                    ["after_school", "weekends", "school_holidays"],
                    price="25.00",
                    unit="hour",
                    areas="East and North Birmingham",
                ),
                _service(
                    "Support at home",
                    "specialist",
                    [DAY],
                    "home",
                    ["1:1"],
                    (5, 18),
                    ["after_school", "weekends"],
                    price="26.00",
                    unit="hour",
                    areas="Citywide",
                ),
            ],
        },
        {
            "provider": {"name": "Brum Inclusive Play", "postcode": "B12 9AA"},
            "services": [
                _service(
                    "Inclusive holiday play schemes",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3", "1:2"],
                    (5, 17),
                    ["school_holidays"],
                    price="15.00",
                    unit="session",
                    capacity=(10, 40, "places a day"),
                    areas="Citywide",
                    how_to_access="No social care assessment needed: book through the local "
                    "offer website.",
                ),
                _service(
                    "After-school clubs for disabled children",
                    "targeted",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (5, 17),
                    ["after_school"],
                    price="8.00",
                    unit="session",
                    areas="Sparkhill, Erdington, Northfield",
                    how_to_access="No social care assessment needed: book through the local "
                    "offer website.",
                ),
                _service(
                    "Family fun days",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (0, 18),
                    ["weekends"],
                    areas="Citywide",
                ),
            ],
        },
        {
            "provider": {"name": "Northfield Youth Club"},
            "services": [
                _service(
                    "Youth club evenings",
                    "universal",
                    [LEISURE, EWH],
                    "community",
                    ["1:3"],
                    (11, 18),
                    ["evenings"],
                    areas="Northfield",
                ),
            ],
        },
    ],
}


def _provider(actor: User, entry: dict) -> Provider:
    fields = entry["provider"]
    provider = Provider.objects.filter(council=actor.active_council, name=fields["name"]).first()
    if provider is None:
        provider = services.provider_create(actor=actor, **fields)
    for regulator, number, service_type, rating in entry.get("registrations", ()):
        if not provider.registrations.filter(regulator=regulator, number=number).exists():
            services.registration_record(
                actor=actor,
                provider=provider,
                regulator=regulator,
                number=number,
                service_type=service_type,
                latest_rating=rating,
                rating_date=date(2024, 3, 1),
            )
    status = entry.get("status")
    if status and provider.status != status[0]:
        services.provider_set_status(
            actor=actor, provider=provider, status=status[0], on=status[1], reason=status[2]
        )
    for fields in entry["services"]:
        if not Service.objects.filter(provider=provider, title=fields["title"]).exists():
            services.service_create(actor=actor, provider=provider, **fields)
    return provider


def seed(*, password: str) -> list[tuple[str, str]]:
    """Create the demo providers and services that do not exist yet, and fill in what families
    and directories need to find them (providers.demo.directory). No new logins."""
    for slug, entries in DEMO_PROVIDERS.items():
        actor = demo_actor(slug)
        listings = directory.DIRECTORY.get(slug, {})
        for entry in entries:
            provider = _provider(actor, entry)
            if provider.name in listings:
                directory.fill(actor, provider, listings[provider.name])
    return []
