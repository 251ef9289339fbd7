"""The home page's work tray: each role's counts on the demo councils, worked out here the long
way and compared; each count's link answers and lists what it counts; the page's queries stay the
same whatever the data; and nothing of another council is counted.

The seed writes dates counted back from today and the counts compare them with today, so the
module, its seed included, runs on FROZEN_TODAY.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Recommendation, RecommendationStatus
from contracts.models import (
    ContractStatus,
    DPSMembership,
    Extension,
    ExtensionStatus,
    MembershipStatus,
    MonitoringKind,
    MonitoringRecord,
    SpendLine,
)
from contracts.selectors import monitoring as monitoring_selectors
from contracts.selectors import overrun as overrun_selectors
from contracts.selectors import register as register_selectors
from contracts.selectors import visibility as visibility_selectors
from referrals.models import (
    Assessment,
    AssessmentStatus,
    GrantApplication,
    GrantStatus,
    OvernightStay,
    Package,
    PackageStatus,
)
from referrals.overnights import window_start
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import common as common_selectors
from shortbreaks.accesslog.models import AccessLogEntry, Outcome
from shortbreaks.councils.models import Membership, Role, User
from tests.clock import frozen_today_module  # noqa: F401
from tests.conftest import MARKER_B
from worktray import trays as worktray

pytestmark = pytest.mark.usefixtures("frozen_today_module")

LOGINS = {
    Role.SOCIAL_WORKER: "social-worker",
    Role.TEAM_MANAGER: "team-manager",
    Role.COMMISSIONER: "commissioner",
    Role.CONTRACT_MANAGER: "contract-manager",
    Role.FINANCE_OFFICER: "finance-officer",
    Role.AUDITOR: "auditor",
    Role.COUNCIL_ADMIN: "council-admin",
}
COUNCILS = ("shropshire", "warwickshire", "medway")

# The home page's queries for each role, whatever the council holds: the same number for an
# empty council as for a demo council (session, person, roles, the other panels, the tray).
HOME_QUERIES = {
    Role.SOCIAL_WORKER: 17,
    Role.TEAM_MANAGER: 16,  # the team's workers, read before their overdue count
    Role.COMMISSIONER: 18,
    Role.CONTRACT_MANAGER: 16,
    Role.FINANCE_OFFICER: 12,
    Role.AUDITOR: 12,
    Role.COUNCIL_ADMIN: 12,
}


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def _person(role: str, slug: str) -> User:
    return User.objects.get(username=f"{LOGINS[role]}@{slug}.example")


def _home(person: User):
    client = Client()
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response


def _tray_counts(response) -> dict[str, int]:
    """The tray's counts as the page shows them: label -> number, read from the HTML."""
    html = response.content.decode()
    cards = re.findall(
        r'<span class="sb-tray__count">(\d+)</span>\s*<span class="sb-tray__label">([^<]+)</span>',
        html,
    )
    return {label.replace("&#x27;", "'"): int(count) for count, label in cards}


def _tray_links(response) -> dict[str, str]:
    html = response.content.decode()
    links = re.findall(
        r'href="([^"]+)">\s*<span class="sb-tray__count">\d+</span>\s*'
        r'<span class="sb-tray__label">([^<]+)</span>',
        html,
    )
    return {label: url.replace("&amp;", "&") for url, label in links}


# ---------------------------------------------------------------------------------------------
# Each role's counts, worked out the long way


def _expected_social_worker(person: User, today) -> dict[str, int]:
    council = person.active_council
    mine = {"council": council, "child__keyworker": person}
    overdue_reviews = Package.objects.filter(
        **mine, status=PackageStatus.ACTIVE, next_review_due__lt=today
    ).count()
    overdue_assessments = 0
    for assessment in Assessment.objects.filter(
        **mine, status=AssessmentStatus.IN_PROGRESS
    ).select_related("referral"):
        start = assessment.referral.received_on if assessment.referral_id else assessment.started_on
        due = common_selectors.add_working_days(start, common_selectors.ASSESSMENT_WORKING_DAYS)
        overdue_assessments += due < today
    nights: dict[int, list] = {}
    for child_id, night in OvernightStay.objects.filter(
        council=council, night__gte=window_start(today), night__lte=today
    ).values_list("child_id", "night"):
        nights.setdefault(child_id, []).append(night)
    last_14 = {today - timedelta(days=n) for n in range(14)}
    near = sum(
        1
        for child_nights in nights.values()
        if len(child_nights) >= 65 or last_14 <= set(child_nights)
    )
    return {
        "Your overdue reviews": overdue_reviews,
        "Your overdue assessments": overdue_assessments,
        "Your assessments waiting for authorisation": Assessment.objects.filter(
            **mine, status=AssessmentStatus.COMPLETED
        ).count(),
        "Children near 17 nights in a stay or 75 nights in 12 months": near,
        "Grant applications waiting for a decision": GrantApplication.objects.filter(
            council=council, status=GrantStatus.RECEIVED
        ).count(),
        "Places offered to your children's families and not yet taken up": _expected_offered(
            council, keyworker=person
        ),
        **_expected_brokerage(council, today),
        **_expected_checks_due(council, today),
    }


def _expected_offered(council, keyworker=None) -> int:
    from bookings.models import WaitingListEntry, WaitingStatus

    return sum(
        1
        for entry in WaitingListEntry.objects.filter(council=council).select_related("child")
        if entry.status == WaitingStatus.OFFERED
        and (keyworker is None or entry.child.keyworker_id == keyworker.pk)
    )


def _expected_brokerage(council, today) -> dict[str, int]:
    from brokerage.models import BrokerageRequest, RequestStatus, ResponseOutcome

    sent = list(
        BrokerageRequest.objects.filter(
            council=council, status=RequestStatus.SENT
        ).prefetch_related("responses")
    )
    return {
        "Brokerage requests past their deadline with no award": sum(
            1 for r in sent if r.deadline and r.deadline < today
        ),
        "Brokerage requests with answers waiting to be scored": sum(
            1 for r in sent if any(a.outcome == ResponseOutcome.PENDING for a in r.responses.all())
        ),
    }


def _expected_checks_due(council, today) -> dict[str, int]:
    from directpayments.models import Agreement

    return {
        "Direct payment account checks due": sum(
            1
            for agreement in Agreement.objects.filter(council=council)
            if agreement.ended_on is None and agreement.next_check_due <= today
        )
    }


def _expected_team_manager(person: User, today) -> dict[str, int]:
    council = person.active_council
    workers = {
        m.user_id
        for m in Membership.objects.filter(
            council=council, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
        )
    }
    own_teams = set(
        Membership.objects.filter(user=person, council=council, team__isnull=False).values_list(
            "team", flat=True
        )
    )
    if own_teams:
        workers = {
            m.user_id
            for m in Membership.objects.filter(
                council=council,
                role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
                team__in=own_teams,
            )
        } | {person.pk}
    team_overdue = sum(
        caseload_selectors.caseload_overdue_count(
            actor=person, worker=User.objects.get(pk=pk), today=today
        )
        for pk in workers
    )
    return {
        "Assessments waiting for your authorisation": Assessment.objects.filter(
            council=council, status=AssessmentStatus.COMPLETED
        )
        .exclude(completed_by=person)
        .count(),
        "Packages waiting for the resource panel": Package.objects.filter(
            council=council, status=PackageStatus.PROPOSED
        ).count(),
        "Overdue work in your team": team_overdue,
        "Places offered from waiting lists and not yet taken up": _expected_offered(council),
    }


def _expected_contracts(person: User, today) -> dict[str, int]:
    council = person.active_council
    visible = list(visibility_selectors.contracts_visible_to(council=council))
    expected = {
        "Contracts overrunning": sum(
            1
            for contract in visible
            if overrun_selectors.contract_overrunning_lines(contract=contract, today=today)
        )
    }
    for months in (3, 6, 12):
        expected[f"Ending within {months} months with nothing under way"] = len(
            list(
                register_selectors.contract_list(
                    actor=person, ends_within_months=months, nothing_under_way=True, today=today
                )
            )
        )
    ids = {contract.pk for contract in visible}
    expected["Extensions waiting for approvals or a decision"] = len(
        set(
            Extension.objects.filter(
                contract_id__in=ids, status=ExtensionStatus.SUBMITTED
            ).values_list("contract_id", flat=True)
        )
    )
    expected["DPS applications to assess"] = DPSMembership.objects.filter(
        council=council,
        status__in=[MembershipStatus.APPLIED, MembershipStatus.UNDER_ASSESSMENT],
    ).count()
    quarter_ago = today - monitoring_selectors.KPI_RETURN_EVERY
    kpi_overdue = 0
    for contract in visible:
        running = contract.status in (ContractStatus.ACTIVE, ContractStatus.EXTENDED)
        if not running or contract.end_date < today or contract.start_date > quarter_ago:
            continue
        recent = MonitoringRecord.objects.filter(
            contract=contract, kind=MonitoringKind.KPI_RETURN, held_on__gt=quarter_ago
        ).exclude(kpi_status="due")  # asked of the provider, not yet returned
        kpi_overdue += not recent.exists()
    expected["Contracts with a KPI return overdue"] = kpi_overdue
    expected["Contracts with a provider's KPI return to accept or query"] = sum(
        1
        for contract in visible
        if contract.council_id == council.pk
        and MonitoringRecord.objects.filter(
            contract=contract, kind=MonitoringKind.KPI_RETURN, kpi_status="submitted"
        ).exists()
    )
    expected["Audit actions overdue"] = _overdue_recommendations(council, today)
    expected.update(_expected_brokerage(council, today))
    return expected


def _overdue_recommendations(council, today) -> int:
    return sum(
        1
        for recommendation in Recommendation.objects.filter(council=council)
        if recommendation.review_date
        and recommendation.review_date < today
        and recommendation.status != RecommendationStatus.COMPLETE
    )


def _expected_finance_officer(person: User, today) -> dict[str, int]:
    year = today.year if today.month >= 4 else today.year - 1
    missing = sum(
        1
        for line in SpendLine.objects.filter(council=person.active_council)
        if line.financial_year < year and line.outturn is None
    )
    return {
        "Budget lines of past years with no outturn recorded": missing,
        **_expected_checks_due(person.active_council, today),
    }


def _expected_auditor(person: User, today) -> dict[str, int]:
    from audits.models import EvidencePack
    from shortbreaks.documents.models import JobStatus

    return {
        "Recommendations past their review date": _overdue_recommendations(
            person.active_council, today
        ),
        "Evidence packs ready to download": EvidencePack.objects.filter(
            council=person.active_council, job__status=JobStatus.DONE
        ).count(),
    }


def _expected_council_admin(person: User, today) -> dict[str, int]:
    monday = today - timedelta(days=today.weekday())
    refused = [
        entry
        for entry in AccessLogEntry.objects.filter(
            council=person.active_council, outcome=Outcome.REFUSED
        )
        if timezone.localdate(entry.at) >= monday
    ]
    return {
        "Refused requests in the access log this week": len(refused),
        "People's roles in the council": Membership.objects.filter(
            council=person.active_council
        ).count(),
    }


EXPECTED = {
    Role.SOCIAL_WORKER: _expected_social_worker,
    Role.TEAM_MANAGER: _expected_team_manager,
    Role.COMMISSIONER: _expected_contracts,
    Role.CONTRACT_MANAGER: _expected_contracts,
    Role.FINANCE_OFFICER: _expected_finance_officer,
    Role.AUDITOR: _expected_auditor,
    Role.COUNCIL_ADMIN: _expected_council_admin,
}


@pytest.mark.parametrize("slug", COUNCILS)
@pytest.mark.parametrize("role", list(LOGINS))
def test_each_roles_counts_on_the_demo_councils(seeded, role, slug):
    person = _person(role, slug)
    today = timezone.localdate()
    _client, response = _home(person)
    shown = _tray_counts(response)
    expected = EXPECTED[role](person, today)
    assert shown == expected


def test_the_demo_has_something_in_every_tray(seeded):
    """Counts of nothing would prove little: the demo gives every tray something to show."""
    for role in LOGINS:
        totals = [sum(_tray_counts(_home(_person(role, slug))[1]).values()) for slug in COUNCILS]
        assert any(totals), role


@pytest.mark.parametrize("role", list(LOGINS))
def test_each_count_links_to_a_list_the_person_may_open(seeded, role):
    person = _person(role, "shropshire")
    client, response = _home(person)
    links = _tray_links(response)
    assert links and len(links) == len(_tray_counts(response))
    for label, url in links.items():
        assert client.get(url).status_code == 200, (label, url)


def test_the_lists_behind_the_register_counts_show_the_same_number(seeded):
    person = _person(Role.COMMISSIONER, "shropshire")
    client, response = _home(person)
    shown = _tray_counts(response)
    links = _tray_links(response)
    for label in (
        "Contracts overrunning",
        "Ending within 12 months with nothing under way",
        "Extensions waiting for approvals or a decision",
        "Contracts with a KPI return overdue",
        "Contracts with a provider&#x27;s KPI return to accept or query",
    ):
        page = client.get(links[label]).content.decode()
        rows = re.findall(r'href="/contracts/\d+/"', page)
        assert len(set(rows)) == shown[label.replace("&#x27;", "'")], label


def test_the_caseload_behind_the_social_workers_counts_shows_the_same_number(seeded):
    person = _person(Role.SOCIAL_WORKER, "warwickshire")
    client, response = _home(person)
    shown = _tray_counts(response)
    links = _tray_links(response)
    for label in ("Your overdue reviews", "Your assessments waiting for authorisation"):
        page = client.get(links[label]).content.decode()
        body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
        rows = body.count('<tr class="govuk-table__row">') - ("Nothing is due" in body)
        assert rows == shown[label], label


# ---------------------------------------------------------------------------------------------
# Queries: the same for an empty council and a demo one


def _home_queries(person: User) -> int:
    client = Client()
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", list(LOGINS))
def test_the_home_page_queries_are_pinned_for_a_demo_council(seeded, role):
    assert _home_queries(_person(role, "warwickshire")) == HOME_QUERIES[role]


@pytest.mark.parametrize("role", list(LOGINS))
def test_the_home_page_queries_are_pinned_for_an_empty_council(two_councils, role):
    person = two_councils["alpha"]["people"][role]
    assert _home_queries(person) == HOME_QUERIES[role]


# A person holding every role: the counts two trays share (brokerage for social workers and
# contracts, account checks for social workers and finance, overdue recommendations for contracts
# and audit) are each asked once, three queries fewer than asking each tray's own.
EVERY_ROLE_QUERIES = 32


def test_a_count_two_trays_share_is_asked_once(two_councils, make_person):
    person = make_person(two_councils["alpha"]["council"], *LOGINS)
    assert _home_queries(person) == EVERY_ROLE_QUERIES
    counts = _tray_counts(_home(person)[1])
    for role in (Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.AUDITOR):
        one_role = _tray_counts(_home(two_councils["alpha"]["people"][role])[1])
        assert {label: counts[label] for label in one_role} == one_role


# ---------------------------------------------------------------------------------------------
# Tenancy, and who gets which tray


def test_a_person_gets_a_tray_per_role_and_none_outside_a_council(two_councils, make_person):
    council = two_councils["alpha"]["council"]
    both = make_person(council, Role.COMMISSIONER, Role.CONTRACT_MANAGER, Role.AUDITOR)
    assert [tray.key for tray in worktray.trays_for(both)] == ["contracts", "auditor"]
    nobody = User.objects.create_user(username="nobody@example.org", password="x")  # noqa: S106
    assert worktray.trays_for(nobody) == []


def test_nothing_of_another_council_is_counted(two_councils):
    from tests.audits.builders import make_recommendation, make_report

    alpha, bravo = two_councils["alpha"], two_councils["bravo"]
    auditor_b = bravo["people"][Role.AUDITOR]
    report = make_report(auditor_b)
    make_recommendation(auditor_b, report, review_date=timezone.localdate() - timedelta(days=5))
    counts_b = _tray_counts(_home(auditor_b)[1])
    counts_a = _tray_counts(_home(alpha["people"][Role.AUDITOR])[1])
    assert counts_b["Recommendations past their review date"] == 1
    assert counts_a["Recommendations past their review date"] == 0


def test_no_domain_app_imports_the_work_tray():
    root = Path(__file__).resolve().parents[2]
    for app in ("providers", "contracts", "referrals", "statements", "audits"):
        for source in (root / app).rglob("*.py"):
            assert "worktray" not in source.read_text(), source


def test_the_audit_lists_behind_the_auditors_counts_keep_only_what_is_counted(
    two_councils, client_for
):
    from unittest import mock

    from audits.packs import services as pack_services
    from shortbreaks.documents import jobs
    from shortbreaks.documents.models import DocumentJob, JobStatus
    from tests.audits.builders import make_recommendation, make_report

    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    today = timezone.localdate()
    late = make_report(auditor, title="Late report")
    make_recommendation(auditor, late, review_date=today - timedelta(days=3))
    on_time = make_report(auditor, title="On time report")
    make_recommendation(auditor, on_time, review_date=today + timedelta(days=30))
    with mock.patch.object(jobs, "job_queue"):
        packs = [
            pack_services.evidence_pack_request(
                actor=auditor,
                kind=kind,
                period_start=today - timedelta(days=300),
                period_end=today - timedelta(days=10),
                as_at=today - timedelta(days=1),
            )
            for kind in ("dps", "contract_compliance")
        ]
    DocumentJob.objects.filter(pk=packs[0].job_id).update(status=JobStatus.DONE)
    client = client_for(auditor)
    counts = _tray_counts(_home(auditor)[1])
    assert counts["Recommendations past their review date"] == 1
    assert counts["Evidence packs ready to download"] == 1
    reports = client.get(reverse("audits:list"), {"overdue": "on"}).content.decode()
    assert "Late report" in reports and "On time report" not in reports
    listed = client.get(reverse("packs:list"), {"status": "done"}).content.decode()
    assert reverse("packs:detail", args=[packs[0].pk]) in listed
    assert reverse("packs:detail", args=[packs[1].pk]) not in listed
    everything = client.get(reverse("packs:list")).content.decode()
    assert reverse("packs:detail", args=[packs[1].pk]) in everything


# ---------------------------------------------------------------------------------------------
# Places offered from a waiting list, and providers' KPI returns waiting for the council


def _offered_world(two_councils, make_person):
    """Alpha's two beds on one night are booked, then freed: the first two children waiting are
    offered them (one of them keyworked by another social worker), a third still waits. Bravo
    has an offer of its own."""
    from bookings import services as booking_services
    from referrals.models import Child
    from tests.bookings.builders import book, booking_world, child_on_lot

    world = booking_world(two_councils)
    night = timezone.localdate() + timedelta(days=10)
    for side in world.values():
        first = book(side, 0, night)
        second = book(side, 1, night)
        extra = [
            child_on_lot(side["people"], side["offer"], first_name=name, last_name="Waiting")
            for name in ("Dee", "Eli")
        ]
        side["children"] += extra
        side["entries"] = [
            booking_services.waiting_list_join(
                actor=side["sw"], places=side["places"], line=child["line"], first_day=night
            )
            for child in side["children"][2:]
        ]
        booking_services.booking_cancel(actor=side["sw"], booking=first, reason="Family away.")
        if side is world["alpha"]:
            booking_services.booking_cancel(actor=side["sw"], booking=second, reason="Unwell.")
    alpha = world["alpha"]
    other = make_person(alpha["council"], Role.SOCIAL_WORKER)
    Child.objects.filter(pk=alpha["children"][3]["child"].pk).update(keyworker=other)
    return world


def _listed_children(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(\w+) ', body)


def test_places_offered_and_not_taken_up_are_counted_and_listed(two_councils, make_person):
    from bookings.models import WaitingStatus

    world = _offered_world(two_councils, make_person)
    alpha = world["alpha"]
    statuses = [entry.__class__.objects.get(pk=entry.pk).status for entry in alpha["entries"]]
    assert statuses == [WaitingStatus.OFFERED, WaitingStatus.OFFERED, WaitingStatus.WAITING]

    client, response = _home(alpha["sw"])
    label = "Places offered to your children's families and not yet taken up"
    assert _tray_counts(response)[label] == 1
    link = _tray_links(response)[label.replace("'", "&#x27;")]
    assert link == "/bookings/waiting-list/?status=offered&mine=on"
    assert _listed_children(client.get(link).content.decode()) == ["Cal"]

    client, response = _home(alpha["tm"])
    label = "Places offered from waiting lists and not yet taken up"
    assert _tray_counts(response)[label] == 2
    page = client.get(_tray_links(response)[label]).content.decode()
    assert _listed_children(page) == ["Cal", "Dee"]
    assert MARKER_B not in page

    everyone = client.get(reverse("bookings:waiting-all")).content.decode()
    assert _listed_children(everyone) == ["Cal", "Dee", "Eli"]
    assert _home_queries(alpha["sw"]) == HOME_QUERIES[Role.SOCIAL_WORKER]
    assert _home_queries(alpha["tm"]) == HOME_QUERIES[Role.TEAM_MANAGER]


def test_the_waiting_lists_are_refused_to_those_who_do_not_book(two_councils, client_for):
    for role in (Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN):
        person = two_councils["alpha"]["people"][role]
        assert client_for(person).get(reverse("bookings:waiting-all")).status_code == 403


def test_kpi_returns_submitted_and_waiting_are_counted_and_listed(two_councils):
    from contracts.models import KPIReturnStatus
    from contracts.services import kpi as kpi_services
    from tests.bookings.builders import booking_world, overnight_offer

    world = booking_world(two_councils)
    today = timezone.localdate()
    returns = {}
    for slug, side in world.items():
        for key, offer in (
            ("submitted", side["offer"]),
            ("due", overnight_offer(side["commissioner"], f"DUE-{slug}")),
        ):
            returns[slug, key] = kpi_services.kpi_return_request(
                actor=side["commissioner"],
                contract=offer["contract"],
                provider=offer["provider"],
                period="Quarter 1",
                due_on=today + timedelta(days=14),
            )
        MonitoringRecord.objects.filter(pk=returns[slug, "submitted"].pk).update(
            kpi_status=KPIReturnStatus.SUBMITTED
        )
    alpha = world["alpha"]
    label = "Contracts with a provider's KPI return to accept or query"
    for role in (Role.COMMISSIONER, Role.CONTRACT_MANAGER):
        person = alpha["people"][role]
        client, response = _home(person)
        assert _tray_counts(response)[label] == 1
        link = _tray_links(response)[label.replace("'", "&#x27;")]
        page = client.get(link).content.decode()
        listed = set(re.findall(r'href="/contracts/(\d+)/"', page))
        assert listed == {str(alpha["offer"]["contract"].pk)}
        assert _home_queries(person) == HOME_QUERIES[role]


def test_budget_lines_with_no_outturn_are_counted_and_listed(two_councils):
    from decimal import Decimal

    from contracts.services import spend as contract_services

    today = timezone.localdate()
    current = today.year if today.month >= 4 else today.year - 1
    lines = [
        (current - 2, "commissioned", None),
        (current - 1, "home_care", None),
        (current - 1, "commissioned", Decimal("900")),
        (current, "spot_purchased", None),
    ]
    for slug in ("alpha", "bravo"):
        finance = two_councils[slug]["people"][Role.FINANCE_OFFICER]
        for year, package_type, outturn in lines if slug == "alpha" else lines[:1]:
            contract_services.spend_line_set(
                actor=finance,
                financial_year=year,
                package_type=package_type,
                budget=Decimal("1000"),
                outturn=outturn,
            )
    finance = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    client, response = _home(finance)
    label = "Budget lines of past years with no outturn recorded"
    assert _tray_counts(response)[label] == 2
    link = _tray_links(response)[label]
    assert link == "/contracts/spend/?outturn_missing=on"
    page = client.get(link).content.decode()
    table = page.split('id="by-package-type"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r'<td class="govuk-table__cell">([^<]+)</td>',
        table,
    )
    assert [kind for _year, kind in rows] == ["Commissioned", "Home care"]
    everything = client.get("/contracts/spend/").content.decode()
    table = everything.split('id="by-package-type"', 1)[1].split("</table>", 1)[0]
    assert table.count('<tr class="govuk-table__row">') == 5  # the header and four lines
    assert _home_queries(finance) == HOME_QUERIES[Role.FINANCE_OFFICER]
