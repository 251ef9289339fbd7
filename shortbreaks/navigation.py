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
        "Block places",
        "bookings:places",
        "bookings.view_places",
        "Beds a night and places a session that block contracts pay for: what is free each day, "
        "bookings, the waiting list and how full each contract ran.",
    ),
    NavItem(
        "Brokerage",
        "brokerage:list",
        "brokerage.view_request",
        "Requests for support sent to DPS members without the child's identifiers, their "
        "answers ranked on price and quality, and the call-off contracts awarded.",
    ),
    NavItem(
        "Spend",
        "contracts:spend",
        "contracts.view_spend",
        "Budget and outturn by financial year and package type, as a chart with the table beside.",
    ),
    NavItem(
        "Direct payments",
        "directpayments:list",
        "directpayments.view_agreement",
        "Direct payment agreements, their schedules, payments made, unspent money recovered and "
        "balances.",
    ),
    NavItem(
        "Outcomes",
        "outcomes:surveys",
        "outcomes.view_report",
        "Surveys of families after their short breaks, and satisfaction by service, provider and "
        "lot. No child is named.",
    ),
    NavItem(
        "Support in numbers",
        "referrals:aggregates",
        "referrals.view_aggregates",
        "Children by tier and the support running: hours and cost by service, contract lot and "
        "funding route. No child is named.",
    ),
    NavItem(
        "CIN census",
        "referrals:census-cin",
        "referrals.make_census_return",
        "The children in need census return to the DfE for a year: its XML, and the DfE's "
        "validation rules each child's record fails, each with the page that fixes it.",
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
    NavItem(
        "Your emails",
        "notifications:preferences",
        "notifications.choose_emails",
        "Which emails you get when something needs you, and the ones sent to you lately.",
    ),
    # Provider staff's own pages (providers.portal): they see these and nothing above.
    NavItem(
        "Home",
        "provider:home",
        "providers.act_for_provider",
        "What your provider has to do for the council, and what it may see.",
    ),
    NavItem(
        "Contracts",
        "provider:contracts",
        "providers.act_for_provider",
        "Your provider's contracts with the council and the lots awarded to it.",
    ),
    NavItem(
        "KPI returns",
        "provider:kpi-returns",
        "providers.act_for_provider",
        "The figures the council asks of you for each period: submit them, and answer queries.",
    ),
    NavItem(
        "Children",
        "provider:children",
        "providers.act_for_provider",
        "The children whose support the council awarded to you, with what delivering it needs.",
    ),
    NavItem(
        "Vacancies",
        "provider:vacancies",
        "providers.act_for_provider",
        "The places free on each of your services, which you keep up to date.",
    ),
    NavItem(
        "Brokerage requests",
        "brokerage:list",
        "brokerage.answer_request",
        "What the council asks your provider to meet, without the child's identifiers: answer "
        "each by its deadline.",
    ),
    NavItem(
        "Survey results",
        "outcomes:provider-reports",
        "providers.act_for_provider",
        "What families said about your services in the council's outcome surveys, in numbers.",
    ),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAVIGATION if user.has_perm(item.permission)]
