"""Demo councils, organisations, teams and one login per role in each. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from shortbreaks.councils import services
from shortbreaks.councils.models import Council, Role, Tier, User

ROLE_LOGINS = {
    Role.COMMISSIONER: "commissioner",
    Role.CONTRACT_MANAGER: "contract-manager",
    Role.SOCIAL_WORKER: "social-worker",
    Role.TEAM_MANAGER: "team-manager",
    Role.FINANCE_OFFICER: "finance-officer",
    Role.AUDITOR: "auditor",
    Role.COUNCIL_ADMIN: "council-admin",
}

ALL_TIERS = [Tier.UNIVERSAL, Tier.TARGETED, Tier.SPECIALIST]


@dataclass(frozen=True)
class DemoCouncil:
    slug: str
    name: str
    # (organisation name, tiers it is responsible for)
    organisations: tuple[tuple[str, tuple[str, ...]], ...]
    # (team name, organisation name)
    teams: tuple[tuple[str, str], ...]


DEMO_COUNCILS = (
    DemoCouncil(
        "shropshire",
        "Shropshire Council",
        (("Shropshire Council", tuple(ALL_TIERS)),),
        (
            ("Disabled Children's Team", "Shropshire Council"),
            ("Commissioning and Contracts Team", "Shropshire Council"),
        ),
    ),
    DemoCouncil(
        "warwickshire",
        "Warwickshire County Council",
        (("Warwickshire County Council", tuple(ALL_TIERS)),),
        (
            ("Children with Disabilities Team", "Warwickshire County Council"),
            ("Commissioning Team", "Warwickshire County Council"),
        ),
    ),
    DemoCouncil(
        "medway",
        "Medway Council",
        (("Medway Council", tuple(ALL_TIERS)),),
        (
            ("Children's Short Breaks Team", "Medway Council"),
            ("Children's Services Commissioning Team", "Medway Council"),
        ),
    ),
    DemoCouncil(
        "herefordshire",
        "Herefordshire Council",
        (("Herefordshire Council", tuple(ALL_TIERS)),),
        (
            ("Children with Disabilities Team", "Herefordshire Council"),
            ("Children's Commissioning Team", "Herefordshire Council"),
        ),
    ),
    DemoCouncil(
        "birmingham",
        "Birmingham City Council",
        (
            ("Birmingham City Council", (Tier.UNIVERSAL, Tier.TARGETED)),
            ("Birmingham Children's Trust", (Tier.SPECIALIST,)),
        ),
        (
            ("Short Breaks Commissioning Team", "Birmingham City Council"),
            ("Children with Disabilities Social Work Team", "Birmingham Children's Trust"),
        ),
    ),
)

# Each council's code in the register of local authorities in England: its organisation
# identifier is GB-LAE-<code> (org-id.guide), as the OCDS export names it.
LOCAL_AUTHORITY_CODES = {
    "shropshire": "SHR",
    "warwickshire": "WAR",
    "medway": "MDW",
    "herefordshire": "HEF",
    "birmingham": "BIR",
}
# The DfE's numbers for them: the children in need census's source and their UPNs' characters 2-4.
DFE_LA_NUMBERS = {
    "shropshire": "893",
    "warwickshire": "937",
    "medway": "887",
    "herefordshire": "884",
    "birmingham": "330",
}

# People who work for more than one council: a commissioner in a joint commission, and an
# internal auditor who audits three councils.
SHARED_PEOPLE = (
    (
        "commissioner@joint.example",
        "Jo",
        "Marsh",
        Role.COMMISSIONER,
        ("shropshire", "herefordshire"),
    ),
    (
        "auditor@audit-partnership.example",
        "Sam",
        "Okafor",
        Role.AUDITOR,
        ("shropshire", "herefordshire", "warwickshire"),
    ),
)

ROLE_TEAM = {
    Role.SOCIAL_WORKER: 0,
    Role.TEAM_MANAGER: 0,
    Role.COMMISSIONER: 1,
    Role.CONTRACT_MANAGER: 1,
}


def login_for(role: str, slug: str) -> str:
    return f"{ROLE_LOGINS[role]}@{slug}.example"


def _person(username: str, first: str, last: str, password: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": username, "first_name": first, "last_name": last}
    )
    user.email, user.first_name, user.last_name = username, first, last
    user.set_password(password)
    user.save()
    return user


# Each council's accessibility contact (made up: `.example` addresses, Ofcom's drama numbers),
# as its council administrator would keep it; set only while the council has none.
ACCESSIBILITY_CONTACTS = {
    "shropshire": ("accessibility@shropshire.example", "01632 960010", 10),
    "warwickshire": ("accessibility@warwickshire.example", "01632 960020", 10),
    "medway": ("accessibility@medway.example", "01632 960030", 5),
    "herefordshire": ("accessibility@herefordshire.example", "01632 960040", 10),
    "birmingham": ("accessibility@birmingham.example", "0121 496 0010", 15),
}


def _accessibility_contact(council: Council) -> None:
    if council.accessibility_email or council.slug not in ACCESSIBILITY_CONTACTS:
        return
    admin = User.objects.get(username=login_for(Role.COUNCIL_ADMIN, council.slug))
    admin.active_council = council
    admin.save(update_fields=["active_council"])
    admin.forget_roles()
    email, phone, days = ACCESSIBILITY_CONTACTS[council.slug]
    services.council_accessibility_update(actor=admin, email=email, phone=phone, response_days=days)


def seed(*, password: str) -> list[tuple[str, str]]:
    """Create or refresh the demo councils and people. Returns (login, what it is) pairs."""
    logins: list[tuple[str, str]] = []
    councils: dict[str, Council] = {}
    for demo in DEMO_COUNCILS:
        council, _ = Council.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "local_authority_code": LOCAL_AUTHORITY_CODES[demo.slug],
                "dfe_la_number": DFE_LA_NUMBERS[demo.slug],
            },
        )
        councils[demo.slug] = council
        organisations = {
            name: services.organisation_create(council=council, name=name, tiers=list(tiers))
            for name, tiers in demo.organisations
        }
        teams = [
            services.team_create(council=council, name=name, organisation=organisations[org])
            for name, org in demo.teams
        ]
        specialist_body = next(
            (o for o in organisations.values() if Tier.SPECIALIST in o.tiers), None
        )
        for role in Role:
            if role not in ROLE_LOGINS:
                continue  # provider staff: one per council, for a provider (referrals.portal.demo)
            username = login_for(role, demo.slug)
            first = ROLE_LOGINS[role].replace("-", " ").capitalize()
            user = _person(username, first, demo.name.split()[0], password)
            team_index = ROLE_TEAM.get(role)
            team = teams[team_index] if team_index is not None else None
            organisation = team.organisation if team else None
            if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
                organisation = specialist_body
            services.membership_grant(
                user=user, council=council, role=role, organisation=organisation, team=team
            )
            logins.append((username, f"{role.label}, {demo.name}"))
        _accessibility_contact(council)
    for username, first, last, role, slugs in SHARED_PEOPLE:
        user = _person(username, first, last, password)
        for slug in slugs:
            services.membership_grant(user=user, council=councils[slug], role=role)
        names = ", ".join(councils[s].name for s in slugs)
        logins.append((username, f"{role.label} in {names}"))
    return logins
