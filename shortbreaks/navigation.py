"""The service navigation: each item shows only to people whose role may use it.

Each entry names the same permission its view checks, so a link never leads to a refusal.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    description: str


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(
        "Home",
        "home",
        "councils.use_service",
        "What you can do here, in your active council.",
    ),
    NavItem(
        "Children",
        "referrals:children",
        "referrals.view_child",
        "The council's children, their tiers, carers and journey through referrals, assessments, "
        "packages and reviews.",
    ),
    NavItem(
        "Caseload",
        "referrals:caseload",
        "referrals.manage_child",
        "Your children and what is due for them, overdue first; team managers also see "
        "assessments to authorise.",
    ),
    NavItem(
        "Referrals",
        "referrals:referral-list",
        "referrals.view_child",
        "Referrals received by the council, by status, newest first, with their documents.",
    ),
    NavItem(
        "Grants",
        "referrals:grants",
        "referrals.view_child",
        "Applications for targeted grants and allowances waiting for a decision, oldest first, "
        "and the backlog by month.",
    ),
    NavItem(
        "Providers",
        "providers:list",
        "providers.view_provider",
        "The organisations that deliver short breaks, their status, registrations and services.",
    ),
    NavItem(
        "Services",
        "providers:services",
        "providers.view_provider",
        "Every service providers offer in the council, by tier, with places available.",
    ),
    NavItem(
        "Contracts",
        "contracts:list",
        "contracts.view_contract",
        "The council's contracts, lots and awards, the joint contracts it takes part in, and what "
        "ends when.",
    ),
    NavItem(
        "DPS",
        "contracts:dps-list",
        "contracts.view_contract",
        "Dynamic purchasing systems, the providers on each and their pre-approval checks.",
    ),
    NavItem(
        "Spend",
        "contracts:spend",
        "contracts.view_spend",
        "Budget and outturn by financial year and package type, as a chart with the table beside.",
    ),
    NavItem(
        "Support in numbers",
        "referrals:aggregates",
        "referrals.view_aggregates",
        "Children by tier and the support running: hours and cost by service, contract lot and "
        "funding route. No child is named.",
    ),
    NavItem(
        "Statement",
        "statements:manage-list",
        "statements.view_statement",
        "The short breaks services statement: its versions, the check against Regulation 5, "
        "consultation, publishing and what carers said.",
    ),
    NavItem(
        "People and teams",
        "councils:people",
        "councils.view_team",
        "The council's organisations, teams and who holds which role.",
    ),
    NavItem(
        "Access log",
        "accesslog:list",
        "accesslog.view_accesslog",
        "Who viewed, changed, downloaded or was refused which record, and when.",
    ),
    NavItem(
        "Council settings",
        "councils:settings",
        "councils.manage_settings",
        "The council's accessibility contact and how soon it answers, as its accessibility "
        "statement shows them.",
    ),
    NavItem(
        "Audit",
        "audits:list",
        "audits.view_audit",
        "Internal audit reports, their recommendations and management actions, what is "
        "overdue, and the records that evidence each one.",
    ),
    NavItem(
        "Evidence packs",
        "packs:list",
        "audits.request_evidence_pack",
        "PDF packs of the council's records as at a date, for auditors, with a manifest of every "
        "record and document and their SHA-256 checksums.",
    ),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAVIGATION if user.has_perm(item.permission)]
