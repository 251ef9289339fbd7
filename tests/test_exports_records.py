"""CSV and Excel downloads of the audit, access log, evidence pack, statement, DPS, extension,
monitoring and waiting lists, on the pages and the API: the filters kept, only the actor's
council's rows, formulas made text, the export in the access log with its ids, the same number
of queries whatever the number of rows, and refusals for the wrong role or another council."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audits.packs import services as pack_services
from bookings import services as booking_services
from contracts.services import kpi as kpi_services
from contracts.services.dps import dps_create, dps_membership_apply
from contracts.services.extensions import extension_create
from contracts.services.monitoring import monitoring_record_create
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import access_log_record, listing
from shortbreaks.councils.models import Role
from shortbreaks.documents import jobs
from statements import services as statement_services
from tests.audits.builders import make_recommendation, make_report
from tests.bookings.builders import book, booking_world
from tests.builders import make_contract, make_provider
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import two_councils_per_module
from tests.statements.statement_builders import complete_draft, offer_every_category

pytestmark = pytest.mark.usefixtures("frozen_today")

# The two councils and their people are built once for the module (tests/per_module.py).
_two_councils_built, two_councils = two_councils_per_module()

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _exported(user, object_type) -> AccessLogEntry:
    return AccessLogEntry.objects.get(action="export", user=user, object_type=object_type)


def _download(client, url, params) -> None:
    response = client.get(url, params)
    assert response.status_code == 200
    b"".join(response.streaming_content)


def _queries(client, url, params) -> int:
    """The queries a download makes, its streamed rows read to the end (after one download
    first, so what the first request of a session caches is not counted)."""
    _download(client, url, params)
    with CaptureQueriesContext(connection) as queries:
        _download(client, url, params)
    return len(queries)


def _people(two_councils, slug="alpha"):
    return two_councils[slug]["people"]


# ----------------------------------------------------------------------------------------------
# Audit reports and their recommendations (management actions)


@pytest.fixture
def audits(two_councils):
    made = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = _people(two_councils, slug)
        auditor = people[Role.AUDITOR]
        report = make_report(auditor, title=f"Audit {marker}")
        high = make_recommendation(
            auditor, report, reference="1", text=f"Recommendation {marker}", priority="fundamental"
        )
        low = make_recommendation(
            auditor,
            report,
            reference="2",
            text=FORMULA,
            priority="merits_attention",
            management_action=f"@SUM(A1) action {marker}",
        )
        made[slug] = {"people": people, "report": report, "high": high, "low": low}
    return made


def test_the_audit_reports_page_and_api_export_the_councils_reports(audits, client_for):
    alpha = audits["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    page = client.get(reverse("audits:list")).content.decode()
    assert "format=csv" in page and "format=xlsx" in page

    rows = _csv_rows(client.get(reverse("audits:list"), {"format": "csv"}))
    assert rows[0][:2] == ["Report", "Title"]
    assert [int(r[0]) for r in rows[1:]] == [alpha["report"].pk]
    assert rows[1][rows[0].index("Recommendations")] == "2"
    assert MARKER_B not in str(rows)
    assert listing(_exported(commissioner, "audits.auditreport")).ids == [alpha["report"].pk]

    api = _xlsx_rows(client.get("/api/v1/audit-reports/", {"format": "xlsx"}))
    assert [r[0] for r in api[1:]] == [alpha["report"].pk]
    assert MARKER_B not in str(api)


def test_the_overdue_filter_is_kept_in_the_reports_download(audits, client_for):
    auditor = audits["alpha"]["people"][Role.AUDITOR]
    overdue = _csv_rows(
        client_for(auditor).get(reverse("audits:list"), {"overdue": "on", "format": "csv"})
    )
    # Review dates of June 2025 are past on the frozen day, and neither is complete.
    assert [int(r[0]) for r in overdue[1:]] == [audits["alpha"]["report"].pk]
    listed = listing(_exported(auditor, "audits.auditreport"))
    assert ("overdue", "on") in listed.filters


def test_recommendations_export_with_their_filters_and_formulas_made_text(audits, client_for):
    alpha = audits["alpha"]
    auditor = alpha["people"][Role.AUDITOR]
    client = client_for(auditor)
    rows = _csv_rows(
        client.get("/api/v1/recommendations/", {"priority": "merits_attention", "format": "csv"})
    )
    header = rows[0]
    assert [int(r[0]) for r in rows[1:]] == [alpha["low"].pk]
    assert rows[1][header.index("Recommendation text")] == "'" + FORMULA
    assert rows[1][header.index("Management action")].startswith("'@SUM")
    assert MARKER_B not in str(rows)
    listed = listing(_exported(auditor, "audits.recommendation"))
    assert listed.ids == [alpha["low"].pk]
    assert ("priority", "merits_attention") in listed.filters

    excel = _xlsx_rows(client.get("/api/v1/recommendations/", {"format": "xlsx"}))
    assert sorted(r[0] for r in excel[1:]) == sorted([alpha["high"].pk, alpha["low"].pk])
    assert excel[1:][[r[0] for r in excel[1:]].index(alpha["low"].pk)][5] == "'" + FORMULA

    bad = client.get("/api/v1/recommendations/", {"priority": "nope", "format": "csv"})
    assert bad.status_code == 400


def test_a_reports_progress_table_downloads_from_its_page(audits, client_for):
    alpha, bravo = audits["alpha"], audits["bravo"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    url = reverse("audits:report", args=[alpha["report"].pk])
    assert "format=csv" in client.get(url).content.decode()
    rows = _csv_rows(client.get(url, {"format": "csv"}))
    assert [r[1] for r in rows[1:]] == ["1", "2"]
    assert "Management action" in rows[0]
    other = client.get(reverse("audits:report", args=[bravo["report"].pk]), {"format": "csv"})
    assert other.status_code == 404
    assert not AccessLogEntry.objects.filter(
        action="export", user=commissioner, object_type="audits.recommendation"
    ).exclude(path__contains=f"report={alpha['report'].pk}")


def test_audit_exports_are_refused_to_a_social_worker(audits, client_for):
    social_worker = audits["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(social_worker)
    assert client.get(reverse("audits:list"), {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/recommendations/", {"format": "csv"}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="export", user=social_worker).exists()


def test_the_recommendations_download_reads_the_same_queries_for_more_rows(audits, client_for):
    alpha = audits["alpha"]
    auditor = alpha["people"][Role.AUDITOR]
    client = client_for(auditor)
    few = _queries(client, "/api/v1/recommendations/", {"format": "csv"})
    for n in range(12):
        make_recommendation(auditor, alpha["report"], reference=f"x{n}")
    assert _queries(client, "/api/v1/recommendations/", {"format": "csv"}) == few


# ----------------------------------------------------------------------------------------------
# Evidence packs


def _pack(auditor, kind="contract_compliance"):
    with mock.patch.object(jobs, "job_queue"):
        return pack_services.evidence_pack_request(
            actor=auditor,
            kind=kind,
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            as_at=date(2025, 3, 31),
        )


def test_the_evidence_packs_list_downloads_on_the_page_and_the_api(two_councils, client_for):
    alpha_auditor = _people(two_councils)[Role.AUDITOR]
    mine = [_pack(alpha_auditor), _pack(alpha_auditor, kind="dps")]
    _pack(_people(two_councils, "bravo")[Role.AUDITOR])
    client = client_for(alpha_auditor)
    assert "format=csv" in client.get(reverse("packs:list")).content.decode()
    rows = _csv_rows(client.get(reverse("packs:list"), {"format": "csv"}))
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(p.pk for p in mine)
    assert listing(_exported(alpha_auditor, "audits.evidencepack")).ids == sorted(
        (p.pk for p in mine), reverse=True
    )
    # The ready filter of the work tray's link is kept: none is built yet.
    ready = _csv_rows(client.get(reverse("packs:list"), {"status": "done", "format": "csv"}))
    assert ready[1:] == []
    api = _xlsx_rows(client.get("/api/v1/evidence-packs/", {"format": "xlsx"}))
    assert sorted(r[0] for r in api[1:]) == sorted(p.pk for p in mine)

    admin = client_for(_people(two_councils)[Role.COUNCIL_ADMIN])
    assert admin.get("/api/v1/evidence-packs/", {"format": "csv"}).status_code == 200
    commissioner = client_for(_people(two_councils)[Role.COMMISSIONER])
    assert commissioner.get(reverse("packs:list"), {"format": "csv"}).status_code == 403


# ----------------------------------------------------------------------------------------------
# The access log: its download is itself logged


def test_the_access_log_downloads_with_its_filters_and_logs_the_download(two_councils, client_for):
    people, others = _people(two_councils), _people(two_councils, "bravo")
    admin = people[Role.COUNCIL_ADMIN]
    access_log_record(actor=people[Role.SOCIAL_WORKER], action="view", object_type="x.y")
    access_log_record(actor=people[Role.COMMISSIONER], action="change", object_type=FORMULA)
    access_log_record(actor=others[Role.SOCIAL_WORKER], action="view", object_type=MARKER_B)
    client = client_for(admin)
    assert "format=csv" in client.get(reverse("accesslog:list")).content.decode()

    rows = _csv_rows(client.get(reverse("accesslog:list"), {"action": "change", "format": "csv"}))
    header = rows[0]
    assert [r[header.index("Record type")] for r in rows[1:]] == ["'" + FORMULA]
    assert MARKER_B not in str(rows)
    first = _exported(admin, "accesslog.accesslogentry")
    assert ("action", "change") in listing(first).filters
    assert len(listing(first).ids) == 1

    # The next download shows the first one: exporting the log is in the log.
    again = _csv_rows(client.get("/api/v1/access-log/", {"action": "export", "format": "csv"}))
    assert [int(r[0]) for r in again[1:]] == [first.pk]
    assert again[1][header.index("Action")] == "Exported"
    assert again[1][header.index("Hash")] == AccessLogEntry.objects.get(pk=first.pk).hash
    assert AccessLogEntry.objects.filter(action="export", user=admin).count() == 2

    bad = client.get("/api/v1/access-log/", {"since": "not a day", "format": "csv"})
    assert bad.status_code == 400
    page = client.get(reverse("accesslog:list"), {"since": "not a day", "format": "csv"})
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert AccessLogEntry.objects.filter(action="export", user=admin).count() == 2


def test_the_access_log_download_is_refused_to_a_social_worker(two_councils, client_for):
    client = client_for(_people(two_councils)[Role.SOCIAL_WORKER])
    assert client.get(reverse("accesslog:list"), {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/access-log/", {"format": "csv"}).status_code == 403


def test_the_access_log_download_reads_the_same_queries_for_more_rows(two_councils, client_for):
    people = _people(two_councils)
    client = client_for(people[Role.TEAM_MANAGER])
    few = _queries(client, "/api/v1/access-log/", {"format": "csv"})
    for n in range(15):
        access_log_record(actor=people[Role.SOCIAL_WORKER], action="view", object_id=n)
    assert _queries(client, "/api/v1/access-log/", {"format": "csv"}) == few


# ----------------------------------------------------------------------------------------------
# The statement's versions and carers' views


def test_statement_versions_and_carers_views_download(two_councils, client_for):
    commissioner = _people(two_councils)[Role.COMMISSIONER]
    offer_every_category(commissioner)
    version = complete_draft(commissioner, title=FORMULA)
    version = statement_services.statement_publish(actor=commissioner, version=version)
    statement_services.feedback_submit(
        version=version, name="-Carer", relationship="parent", views=f"More holidays {MARKER_A}"
    )
    complete_draft(_people(two_councils, "bravo")[Role.COMMISSIONER], title=MARKER_B)
    client = client_for(_people(two_councils)[Role.AUDITOR])

    assert "format=csv" in client.get(reverse("statements:manage-list")).content.decode()
    rows = _csv_rows(client.get(reverse("statements:manage-list"), {"format": "csv"}))
    assert [r[:2] for r in rows[1:]] == [[str(version.number), "'" + FORMULA]]
    assert rows[1][rows[0].index("Carers' views")] == "1"
    assert MARKER_B not in str(rows)
    api = _xlsx_rows(client.get("/api/v1/statements/", {"format": "xlsx"}))
    assert [r[0] for r in api[1:]] == [version.number]

    url = reverse("statements:manage-feedback", args=[version.pk])
    views = _csv_rows(client.get(url, {"format": "csv"}))
    assert views[1][views[0].index("Name")] == "'-Carer"
    assert f"More holidays {MARKER_A}" in str(views)
    feedback_api = client.get(f"/api/v1/statements/{version.pk}/feedback/", {"format": "csv"})
    assert len(_csv_rows(feedback_api)) == 2
    assert (
        AccessLogEntry.objects.filter(
            action="export", object_type="statements.carerfeedback"
        ).count()
        == 2
    )

    bravo_version = _people(two_councils, "bravo")[Role.COMMISSIONER]
    other = client.get(f"/api/v1/statements/{version.pk + 1}/feedback/", {"format": "csv"})
    assert other.status_code == 404, bravo_version
    social_worker = client_for(_people(two_councils)[Role.SOCIAL_WORKER])
    refused = social_worker.get(reverse("statements:manage-list"), {"format": "csv"})
    assert refused.status_code == 403


# ----------------------------------------------------------------------------------------------
# Dynamic purchasing systems and their memberships


@pytest.fixture
def systems(two_councils):
    made = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = _people(two_councils, slug)[Role.COMMISSIONER]
        dps = dps_create(
            actor=commissioner,
            title=f"DPS {marker}",
            start_date=date(2024, 4, 1),
            categories="Overnight care\nDay activities",
        )
        providers = [make_provider(commissioner, name=f"+Provider {n} {marker}") for n in range(2)]
        members = [
            dps_membership_apply(actor=commissioner, dps=dps, provider=p, on=date(2024, 5, 1))
            for p in providers
        ]
        made[slug] = {"commissioner": commissioner, "dps": dps, "members": members}
    return made


def test_the_dps_list_and_memberships_download(systems, client_for):
    alpha, bravo = systems["alpha"], systems["bravo"]
    client = client_for(alpha["commissioner"])
    assert "format=csv" in client.get(reverse("contracts:dps-list")).content.decode()
    rows = _csv_rows(client.get(reverse("contracts:dps-list"), {"format": "csv"}))
    assert [int(r[0]) for r in rows[1:]] == [alpha["dps"].pk]
    assert rows[1][rows[0].index("Applied")] == "2"
    assert rows[1][rows[0].index("Categories")] == "Overnight care; Day activities"
    assert MARKER_B not in str(rows)
    api = _xlsx_rows(client.get("/api/v1/dps/", {"format": "xlsx"}))
    assert [r[0] for r in api[1:]] == [alpha["dps"].pk]

    detail = reverse("contracts:dps-detail", args=[alpha["dps"].pk])
    assert "format=csv" in client.get(detail).content.decode()
    members = _csv_rows(client.get(detail, {"format": "csv"}))
    assert sorted(int(r[0]) for r in members[1:]) == sorted(m.pk for m in alpha["members"])
    assert all(r[2].startswith("'+Provider") for r in members[1:])
    assert members[1][members[0].index("Applied on")] == "01/05/2024"
    listed = listing(_exported(alpha["commissioner"], "contracts.dpsmembership"))
    assert ("dps", str(alpha["dps"].pk)) in listed.filters

    member_api = f"/api/v1/dps/{alpha['dps'].pk}/memberships/"
    assert len(_csv_rows(client.get(member_api, {"format": "csv"}))) == 3
    other = f"/api/v1/dps/{bravo['dps'].pk}/memberships/"
    assert client.get(other, {"format": "csv"}).status_code == 404
    assert (
        client.get(
            reverse("contracts:dps-detail", args=[bravo["dps"].pk]), {"format": "csv"}
        ).status_code
        == 404
    )


def test_the_memberships_download_reads_the_same_queries_for_more_rows(systems, client_for):
    alpha = systems["alpha"]
    client = client_for(alpha["commissioner"])
    url = f"/api/v1/dps/{alpha['dps'].pk}/memberships/"
    few = _queries(client, url, {"format": "csv"})
    for n in range(6):
        provider = make_provider(alpha["commissioner"], name=f"More {n}")
        dps_membership_apply(
            actor=alpha["commissioner"], dps=alpha["dps"], provider=provider, on=date(2024, 6, 1)
        )
    assert _queries(client, url, {"format": "csv"}) == few


# ----------------------------------------------------------------------------------------------
# A contract's extensions and monitoring, KPI returns among them


def test_a_contracts_extensions_and_monitoring_download(two_councils, client_for):
    commissioner = _people(two_councils)[Role.COMMISSIONER]
    contract = make_contract(commissioner, title=f"Contract {MARKER_A}")
    extension = extension_create(
        actor=commissioner,
        contract=contract,
        new_end_date=date(2028, 3, 31),
        added_value=Decimal("1000.00"),
        rationale="=cmd|' /C calc'!A0",
        legal_basis="pcr_modification",
    )
    visit = monitoring_record_create(
        actor=commissioner,
        contract=contract,
        kind="qa_visit",
        held_on=date(2025, 5, 13),
        summary="Visit went well",
    )
    bravo_contract = make_contract(_people(two_councils, "bravo")[Role.COMMISSIONER])
    client = client_for(_people(two_councils)[Role.CONTRACT_MANAGER])

    page = reverse("contracts:extension-list", args=[contract.pk])
    assert "format=csv" in client.get(page).content.decode()
    rows = _csv_rows(client.get(page, {"format": "csv"}))
    assert [int(r[0]) for r in rows[1:]] == [extension.pk]
    assert rows[1][rows[0].index("Rationale")].startswith("'=cmd")
    api = _xlsx_rows(client.get(f"/api/v1/contracts/{contract.pk}/extensions/", {"format": "xlsx"}))
    assert [r[0] for r in api[1:]] == [extension.pk]
    approvals = client.get(f"/api/v1/extensions/{extension.pk}/approvals/", {"format": "csv"})
    assert _csv_rows(approvals)[0][0] == "Approval"

    monitoring = _csv_rows(
        client.get(f"/api/v1/contracts/{contract.pk}/monitoring/", {"format": "csv"})
    )
    assert [int(r[0]) for r in monitoring[1:]] == [visit.pk]
    assert _exported(_people(two_councils)[Role.CONTRACT_MANAGER], "contracts.monitoringrecord")

    for url in (
        reverse("contracts:extension-list", args=[bravo_contract.pk]),
        f"/api/v1/contracts/{bravo_contract.pk}/extensions/",
        f"/api/v1/contracts/{bravo_contract.pk}/monitoring/",
    ):
        assert client.get(url, {"format": "csv"}).status_code == 404, url


def test_kpi_returns_download_for_the_council_with_its_notes(two_councils, client_for):
    commissioner = _people(two_councils)[Role.COMMISSIONER]
    provider = make_provider(commissioner, name="KPI Provider")
    contract = make_contract(commissioner)
    from tests.builders import make_awarded_lot

    make_awarded_lot(commissioner, contract, provider)
    record = kpi_services.kpi_return_request(
        actor=commissioner,
        contract=contract,
        provider=provider,
        period="Quarter 1 2025/26",
        due_on=FROZEN_TODAY + timedelta(days=14),
    )
    rows = _csv_rows(
        client_for(commissioner).get(
            f"/api/v1/contracts/{contract.pk}/monitoring/", {"format": "csv"}
        )
    )
    header = rows[0]
    assert [int(r[0]) for r in rows[1:]] == [record.pk]
    assert rows[1][header.index("Provider")] == "KPI Provider"
    assert rows[1][header.index("KPI return status")] == "Due"
    assert "Sanction considered" in header


# ----------------------------------------------------------------------------------------------
# The waiting list of a block of places


@pytest.fixture
def waiting(two_councils):
    world = booking_world(two_councils)
    night = FROZEN_TODAY + timedelta(days=10)
    entries = {}
    for slug in ("alpha", "bravo"):
        council = world[slug]
        book(council, 0, night)
        book(council, 1, night)
        entries[slug] = booking_services.waiting_list_join(
            actor=council["sw"],
            places=council["places"],
            line=council["children"][2]["line"],
            first_day=night,
        )
    return {"world": world, "entries": entries}


def test_the_waiting_list_downloads_on_the_page_and_the_api(waiting, client_for):
    alpha = waiting["world"]["alpha"]
    entry = waiting["entries"]["alpha"]
    client = client_for(alpha["sw"])
    page = reverse("bookings:waiting", args=[alpha["places"].pk])
    assert "format=csv" in client.get(page).content.decode()
    rows = _csv_rows(client.get(page, {"format": "csv"}))
    assert rows[0][:3] == ["Entry", "Child record", "Child"]
    assert [int(r[0]) for r in rows[1:]] == [entry.pk]
    assert f"Booked {MARKER_A}" in rows[1][2]
    assert MARKER_B not in str(rows)
    listed = listing(_exported(alpha["sw"], "bookings.waitinglistentry"))
    assert listed.ids == [entry.pk]
    assert ("places", str(alpha["places"].pk)) in listed.filters

    api = _xlsx_rows(
        client.get(
            "/api/v1/bookings/waiting-list/", {"places": alpha["places"].pk, "format": "xlsx"}
        )
    )
    assert [r[0] for r in api[1:]] == [entry.pk]
    bravo_places = waiting["world"]["bravo"]["places"]
    other = client.get(reverse("bookings:waiting", args=[bravo_places.pk]), {"format": "csv"})
    assert other.status_code == 404
    bad = client.get("/api/v1/bookings/waiting-list/", {"places": "x", "format": "csv"})
    assert bad.status_code == 400


def test_the_waiting_list_download_is_refused_to_a_commissioner(waiting, client_for):
    alpha = waiting["world"]["alpha"]
    client = client_for(alpha["commissioner"])
    assert client.get("/api/v1/bookings/waiting-list/", {"format": "csv"}).status_code == 403
    page = reverse("bookings:waiting", args=[alpha["places"].pk])
    assert client.get(page, {"format": "csv"}).status_code == 403


def test_every_waiting_list_together_downloads_with_its_filters(waiting, client_for):
    alpha = waiting["world"]["alpha"]
    entry = waiting["entries"]["alpha"]
    client = client_for(alpha["tm"])
    url = reverse("bookings:waiting-all")
    assert "format=csv" in client.get(url).content.decode()
    rows = _csv_rows(client.get(url, {"status": "waiting", "format": "csv"}))
    assert [int(r[0]) for r in rows[1:]] == [entry.pk]
    assert MARKER_B not in str(rows)
    assert ("status", "waiting") in listing(
        _exported(alpha["tm"], "bookings.waitinglistentry")
    ).filters
    offered = _csv_rows(client.get(url, {"status": "offered", "format": "csv"}))
    assert offered[1:] == []
