"""The home page's work tray: for each role a person holds, what is due, overdue or waiting for
them, each a count that links to the filtered list behind it.

It sits above every domain app (the top layer of the import contracts in pyproject.toml): it
reads each app through its selectors, and no app imports it. Each count is one query, whatever
the rows (the register's counts are one query together), so the home page costs the same for a
council of ten children as for one of a hundred thousand. It is listed in settings.HOME_PANELS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from shortbreaks.councils.models import Role

TEMPLATE = "_worktray.html"


@dataclass(frozen=True)
class TrayCount:
    label: str
    count: int
    url: str
    # Shown in red when above zero: something is overdue, not just waiting.
    urgent: bool = False


@dataclass(frozen=True)
class Tray:
    key: str
    heading: str
    counts: list[TrayCount] = field(default_factory=list)


def _once(shared: dict, key: str, count):
    """A count that more than one of a person's trays shows (brokerage for social workers and
    contracts, account checks for social workers and finance, overdue recommendations for
    contracts and audit), asked of the database once for the page."""
    if key not in shared:
        shared[key] = count()
    return shared[key]


def _url(name: str, args=(), **query) -> str:
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _social_worker(actor, today: date, shared: dict) -> Tray:
    from referrals.selectors import caseload as caseload_selectors
    from referrals.selectors import children as child_selectors
    from referrals.selectors import grants as grant_selectors
    from referrals.selectors import overnights as overnight_selectors

    counts = caseload_selectors.caseload_counts(actor=actor, today=today)
    near = overnight_selectors.near_overnight_limits(
        child_selectors.child_list(actor=actor), actor=actor, today=today
    ).count()
    waiting = grant_selectors.grant_waiting_counts(actor=actor, longer_than_days=0, today=today)
    return Tray(
        "social_worker",
        "Your casework",
        [
            TrayCount(
                "Your overdue reviews",
                counts["review"]["overdue"],
                _url("referrals:caseload", kind="review", overdue="on"),
                urgent=True,
            ),
            TrayCount(
                "Your overdue assessments",
                counts["assessment"]["overdue"],
                _url("referrals:caseload", kind="assessment", overdue="on"),
                urgent=True,
            ),
            TrayCount(
                "Your assessments waiting for authorisation",
                counts["authorisation"]["due"],
                _url("referrals:caseload", kind="authorisation"),
            ),
            TrayCount(
                "Children near 17 nights in a stay or 75 nights in 12 months",
                near,
                _url("referrals:children", overnights="near"),
                urgent=True,
            ),
            TrayCount(
                "Grant applications waiting for a decision",
                waiting["waiting"],
                _url("referrals:grants"),
            ),
            _offered_count(actor, mine=True),
            *_brokerage_counts(actor, today, shared),
            _check_due_count(actor, today, shared),
        ],
    )


def _offered_count(actor, *, mine: bool) -> TrayCount:
    from bookings.selectors import waiting_offered_count

    label = (
        "Places offered to your children's families and not yet taken up"
        if mine
        else "Places offered from waiting lists and not yet taken up"
    )
    return TrayCount(
        label,
        waiting_offered_count(actor=actor, mine=mine),
        _url("bookings:waiting-all", status="offered", mine="on" if mine else None),
    )


def _brokerage_counts(actor, today: date, shared: dict) -> list[TrayCount]:
    from brokerage.selectors import brokerage_tray_counts

    counts = _once(shared, "brokerage", lambda: brokerage_tray_counts(actor=actor, today=today))
    return [
        TrayCount(
            "Brokerage requests past their deadline with no award",
            counts["overdue"],
            _url("brokerage:list", overdue="on"),
            urgent=True,
        ),
        TrayCount(
            "Brokerage requests with answers waiting to be scored",
            counts["to_score"],
            _url("brokerage:list", to_score="on"),
        ),
    ]


def _check_due_count(actor, today: date, shared: dict) -> TrayCount:
    from directpayments.selectors import check_due_count

    return TrayCount(
        "Direct payment account checks due",
        _once(shared, "check_due", lambda: check_due_count(actor=actor, today=today)),
        _url("directpayments:list", check_due="on"),
        urgent=True,
    )


def _team_manager(actor, today: date, shared: dict) -> Tray:
    from referrals.selectors import caseload as caseload_selectors
    from referrals.selectors import packages as package_selectors

    # Only the team's overdue items are shown, so only they are counted (a team's due items
    # are many more: every child of every worker).
    team_overdue = caseload_selectors.caseload_overdue_count(
        actor=actor, worker=caseload_selectors.team_worker_ids(actor=actor), today=today
    )
    return Tray(
        "team_manager",
        "Your team",
        [
            TrayCount(
                "Assessments waiting for your authorisation",
                caseload_selectors.authorisation_queue(actor=actor).count(),
                _url("referrals:authorisations"),
            ),
            TrayCount(
                "Packages waiting for the resource panel",
                package_selectors.panel_queue(actor=actor).count(),
                _url("referrals:panel-queue"),
            ),
            TrayCount(
                "Overdue work in your team",
                team_overdue,
                _url("referrals:caseload", team="on", overdue="on"),
                urgent=True,
            ),
            _offered_count(actor, mine=False),
        ],
    )


def _contracts(actor, today: date, shared: dict) -> Tray:
    from audits.selectors import recommendation_overdue_count
    from contracts.selectors.dps import dps_applications_to_assess_count
    from contracts.selectors.register import register_tray_counts

    register = register_tray_counts(actor=actor, today=today)
    counts = [
        TrayCount(
            "Contracts overrunning",
            register["overrunning"],
            _url("contracts:list", overrunning="on"),
            urgent=True,
        )
    ]
    for months in (3, 6, 12):
        counts.append(
            TrayCount(
                f"Ending within {months} months with nothing under way",
                register[f"ending_{months}"],
                _url("contracts:list", ends_within=months, nothing_under_way="on"),
                urgent=months == 3,
            )
        )
    counts += [
        TrayCount(
            "Extensions waiting for approvals or a decision",
            register["extension_waiting"],
            _url("contracts:list", extension_waiting="on"),
        ),
        TrayCount(
            "DPS applications to assess",
            dps_applications_to_assess_count(actor=actor),
            _url("contracts:dps-list", to_assess="1"),
        ),
        TrayCount(
            "Contracts with a KPI return overdue",
            register["kpi_return_overdue"],
            _url("contracts:list", kpi_return_overdue="on"),
            urgent=True,
        ),
        TrayCount(
            "Contracts with a provider's KPI return to accept or query",
            register["kpi_return_submitted"],
            _url("contracts:list", kpi_return_submitted="on"),
        ),
        TrayCount(
            "Audit actions overdue",
            _once(
                shared,
                "recommendations_overdue",
                lambda: recommendation_overdue_count(actor=actor, today=today),
            ),
            _url("audits:list", overdue="on"),
            urgent=True,
        ),
        *_brokerage_counts(actor, today, shared),
    ]
    return Tray("contracts", "Contracts", counts)


def _finance_officer(actor, today: date, shared: dict) -> Tray:
    from contracts.selectors.monitoring import outturn_missing_count

    return Tray(
        "finance_officer",
        "Spend",
        [
            TrayCount(
                "Budget lines of past years with no outturn recorded",
                outturn_missing_count(actor=actor, today=today),
                _url("contracts:spend", outturn_missing="on"),
                urgent=True,
            ),
            _check_due_count(actor, today, shared),
        ],
    )


def _auditor(actor, today: date, shared: dict) -> Tray:
    from audits.packs.selectors import evidence_pack_ready_count
    from audits.selectors import recommendation_overdue_count

    return Tray(
        "auditor",
        "Audit",
        [
            TrayCount(
                "Recommendations past their review date",
                _once(
                    shared,
                    "recommendations_overdue",
                    lambda: recommendation_overdue_count(actor=actor, today=today),
                ),
                _url("audits:list", overdue="on"),
                urgent=True,
            ),
            TrayCount(
                "Evidence packs ready to download",
                evidence_pack_ready_count(actor=actor),
                _url("packs:list", status="done"),
            ),
        ],
    )


def _council_admin(actor, today: date, shared: dict) -> Tray:
    from shortbreaks.accesslog.selectors import access_log_refusals_since
    from shortbreaks.councils.selectors import colleagues_list

    monday = today - timedelta(days=today.weekday())
    return Tray(
        "council_admin",
        "Your council",
        [
            TrayCount(
                "Refused requests in the access log this week",
                access_log_refusals_since(actor=actor, day=monday),
                _url("accesslog:list", outcome="refused", since=monday.isoformat()),
                urgent=True,
            ),
            TrayCount(
                "People's roles in the council",
                colleagues_list(actor=actor).count(),
                _url("councils:people"),
            ),
        ],
    )


# Each role's tray, in the order the home page shows them. A commissioner who is also a contract
# manager gets the contracts tray once.
TRAYS = (
    (Role.SOCIAL_WORKER, _social_worker),
    (Role.TEAM_MANAGER, _team_manager),
    (Role.COMMISSIONER, _contracts),
    (Role.CONTRACT_MANAGER, _contracts),
    (Role.FINANCE_OFFICER, _finance_officer),
    (Role.AUDITOR, _auditor),
    (Role.COUNCIL_ADMIN, _council_admin),
)


def trays_for(actor, *, today: date | None = None) -> list[Tray]:
    """The trays of every role the person holds in their active council."""
    if not actor.is_authenticated or actor.active_council_id is None:
        return []
    today = today or timezone.localdate()
    roles = actor.active_roles
    made, trays, shared = set(), [], {}
    for role, make in TRAYS:
        if role in roles and make not in made:
            made.add(make)
            trays.append(make(actor, today, shared))
    return trays


def work_tray(request) -> dict | None:
    """The home page's panel (settings.HOME_PANELS)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    trays = trays_for(user)
    if not trays:
        return None
    return {"template": TEMPLATE, "trays": trays}
