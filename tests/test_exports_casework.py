"""CSV and Excel downloads of casework lists, on the pages and the API: the caseload, the
assessments waiting for authorisation and the council's assessments, the packages waiting for
the panel and the council's packages, reviews, the children's search, a child's case notes, and
outcome surveys and their answers; a package's lines and delivery and the panel's decisions.

Each: every row the filters keep (not a page), the actor's council's only, formula-like cells
made text, the export in the access log with its ids, no child's name for those who may not
read children's records (or the export refused them), and the same number of queries for 3 rows
as for 30."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from outcomes import services as outcome_services
from outcomes.models import Answer, Channel, Question, QuestionKind
from referrals.models import AssessmentStatus, CaseNoteKind, PackageStatus, ReviewOutcome
from referrals.services import assessments as assessment_services
from referrals.services import notes as note_services
from referrals.services import packages as package_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import listing
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.outcomes.builders import invitation_of, make_survey, outcomes_world
from tests.per_module import two_councils_per_module
from tests.referrals.builders import (
    TODAY,
    authorised_assessment,
    build_world,
    completed_assessment,
    line_kwargs,
    make_child,
    make_package,
    make_referral,
)

pytestmark = pytest.mark.usefixtures("frozen_today")

# The two councils and their people are built once for the module (tests/per_module.py).
_two_councils_built, two_councils = two_councils_per_module()

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _column(rows: list[list], header: str) -> list:
    at = rows[0].index(header)
    return [row[at] for row in rows[1:]]


def _exports(user) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action="export", user=user).order_by("id"))


def _last_export(user, object_type: str):
    entry = (
        AccessLogEntry.objects.filter(action="export", user=user, object_type=object_type)
        .order_by("-id")
        .first()
    )
    assert entry is not None, f"no export of {object_type} logged"
    return listing(entry)


def _download(client, method: str, url: str, data=None, **extra) -> tuple[int, int]:
    """The queries one download takes, its streamed rows included, and the file's size."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data, **extra)
        assert response.status_code == 200, response.content[:300]
        body = b"".join(response.streaming_content)
    return len(queries), len(body)


def assert_same_queries_for_more_rows(client, requests: list[tuple], add_rows) -> None:
    """Each request takes as many queries after `add_rows()` (3 rows to 30) as before, and its
    file grows, so the rows were read and sent."""
    for method, url, data, extra in requests:
        _download(client, method, url, data, **extra)  # the session's own first reads, once
    few = [_download(client, method, url, data, **extra) for method, url, data, extra in requests]
    add_rows()
    many = [_download(client, method, url, data, **extra) for method, url, data, extra in requests]
    assert [queries for queries, _ in many] == [queries for queries, _ in few]
    for (url, *_), (_, small), (_, big) in zip(requests, few, many, strict=True):
        assert big > small, f"{url}: the download did not grow with the rows"


def _people(two_councils, slug="alpha"):
    return two_councils[slug]["people"]


# ----------------------------------------------------------------------------------------------
# The caseload


@pytest.fixture
def caseloads(two_councils):
    made = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        worker = _people(two_councils, slug)[Role.SOCIAL_WORKER]
        sam = make_child(worker, first_name="Sam", last_name=f"Jones {marker}")
        ali = make_child(worker, first_name="=Ali", last_name=f"Khan {marker}")
        made[slug] = {"sam": sam, "ali": ali, "referrals": [make_referral(worker, sam)]}
        made[slug]["referrals"].append(make_referral(worker, ali))
    return made


def test_the_caseload_page_exports_every_item_due_with_its_filters(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    client = client_for(worker)
    rows = _csv_rows(client.get(reverse("referrals:caseload"), {"format": "csv"}))
    assert rows[0][:3] == ["Child record", "Council's child id", "Child"]
    names = _column(rows, "Child")
    assert sorted(names) == sorted([f"Sam Jones {MARKER_A}", f"'=Ali Khan {MARKER_A}"])
    assert MARKER_B not in str(rows)
    assert set(_column(rows, "What")) == {"Decide on the referral"}
    logged = _last_export(worker, "referrals.child")
    assert sorted(logged.ids) == sorted(
        [caseloads["alpha"]["sam"].pk, caseloads["alpha"]["ali"].pk]
    )
    assert ("worker", str(worker.pk)) in logged.filters

    grants = client.get(reverse("referrals:caseload"), {"kind": "grant", "format": "xlsx"})
    assert _xlsx_rows(grants)[1:] == []
    assert ("kind", "grant") in _last_export(worker, "referrals.child").filters
    overdue = _xlsx_rows(
        client.get(
            reverse("referrals:caseload"), {"kind": "referral", "overdue": "on", "format": "xlsx"}
        )
    )
    assert len(overdue) == 3  # both referrals were received long ago


def test_the_caseload_page_offers_the_downloads_with_its_filters(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    page = client_for(worker).get(reverse("referrals:caseload"), {"kind": "referral"})
    body = page.content.decode()
    assert "?kind=referral&amp;format=csv" in body
    assert "?kind=referral&amp;format=xlsx" in body


def test_a_team_manager_exports_a_team_members_caseload(caseloads, two_councils, client_for):
    manager = _people(two_councils)[Role.TEAM_MANAGER]
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    client = client_for(manager)
    rows = _csv_rows(
        client.get(reverse("referrals:caseload"), {"worker": worker.pk, "format": "csv"})
    )
    assert len(rows) == 3
    api = _xlsx_rows(client.get(reverse("api-caseload"), {"worker": worker.pk, "format": "xlsx"}))
    assert len(api) == 3
    assert MARKER_B not in str(api)
    bravo = _people(two_councils, "bravo")[Role.SOCIAL_WORKER]
    refused = client.get(reverse("api-caseload"), {"worker": bravo.pk, "format": "csv"})
    assert refused.status_code == 400


def test_the_caseload_api_exports_the_whole_caseload_not_a_page(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    response = client_for(worker).get(reverse("api-caseload"), {"format": "csv", "page_size": 1})
    rows = _csv_rows(response)
    assert len(rows) == 3
    assert f"'=Ali Khan {MARKER_A}" in _column(rows, "Child")
    assert MARKER_B not in str(rows)
    assert _last_export(worker, "referrals.child").ids


def test_the_caseload_export_is_refused_to_a_commissioner(caseloads, two_councils, client_for):
    client = client_for(_people(two_councils)[Role.COMMISSIONER])
    assert client.get(reverse("referrals:caseload"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("api-caseload"), {"format": "csv"}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_caseload_export_takes_the_same_queries_for_more_rows(two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]

    def add(n):
        for _ in range(n):
            make_referral(worker, make_child(worker))

    add(3)
    requests = [
        ("get", reverse(name), {"format": fmt}, {})
        for name in ("referrals:caseload", "api-caseload")
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(worker), requests, lambda: add(27))


# ----------------------------------------------------------------------------------------------
# Assessments


@pytest.fixture
def world(two_councils):
    world = build_world(two_councils)
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        council = world[slug]
        council["ali"] = make_child(council["sw"], first_name="=Ali", last_name=f"Khan {marker}")
    return world


def test_the_authorisation_queue_exports_the_assessments_waiting(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    waiting = completed_assessment(alpha["sw"], alpha["ali"])
    completed_assessment(bravo["sw"], bravo["ali"])
    assessment_services.assessment_start(actor=alpha["sw"], child=alpha["child"], started_on=TODAY)
    client = client_for(alpha["tm"])
    rows = _csv_rows(client.get(reverse("referrals:authorisations"), {"format": "csv"}))
    assert _column(rows, "Assessment") == [str(waiting.pk)]
    assert _column(rows, "Child") == [f"'=Ali Khan {MARKER_A}"]
    assert _column(rows, "Status") == ["Completed"]
    assert _column(rows, "Completed by") == [str(alpha["sw"])]
    assert MARKER_B not in str(rows)
    assert _last_export(alpha["tm"], "referrals.assessment").ids == [waiting.pk]
    excel = _xlsx_rows(client.get(reverse("referrals:authorisations"), {"format": "xlsx"}))
    assert [r[0] for r in excel[1:]] == [waiting.pk]
    page = client.get(reverse("referrals:authorisations")).content.decode()
    assert "?format=csv" in page and "?format=xlsx" in page
    refused = client_for(alpha["sw"]).get(reverse("referrals:authorisations"), {"format": "csv"})
    assert refused.status_code == 403


def test_the_assessments_api_exports_every_assessment_the_filters_keep(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    done = completed_assessment(alpha["sw"], alpha["ali"])
    started = assessment_services.assessment_start(
        actor=alpha["sw"], child=alpha["child"], started_on=TODAY
    )
    completed_assessment(bravo["sw"], bravo["ali"])
    client = client_for(alpha["sw"])
    url = reverse("api-assessments")
    rows = _csv_rows(client.get(url, {"format": "csv", "page_size": 1}))
    assert sorted(int(pk) for pk in _column(rows, "Assessment")) == sorted([done.pk, started.pk])
    assert MARKER_B not in str(rows)
    completed = _xlsx_rows(
        client.get(url, {"format": "xlsx", "status": AssessmentStatus.COMPLETED})
    )
    assert [r[0] for r in completed[1:]] == [done.pk]
    logged = _last_export(alpha["sw"], "referrals.assessment")
    assert logged.ids == [done.pk]
    assert ("status", AssessmentStatus.COMPLETED) in logged.filters
    for_child = _csv_rows(client.get(url, {"format": "csv", "child": alpha["child"].pk}))
    assert _column(for_child, "Assessment") == [str(started.pk)]
    assert client.get(url, {"format": "csv", "status": "nope"}).status_code == 400
    commissioner = alpha["people"][Role.COMMISSIONER]
    assert client_for(commissioner).get(url, {"format": "csv"}).status_code == 403
    assert not _exports(commissioner)


def test_the_assessment_exports_take_the_same_queries_for_more_rows(world, client_for):
    alpha = world["alpha"]

    def add(n):
        for _ in range(n):
            completed_assessment(alpha["sw"], make_child(alpha["sw"]))

    add(3)
    requests = [
        ("get", reverse(name), {"format": fmt}, {})
        for name in ("referrals:authorisations", "api-assessments")
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(alpha["tm"]), requests, lambda: add(27))


# ----------------------------------------------------------------------------------------------
# Packages


def test_the_panel_queue_exports_the_packages_waiting_with_their_costs(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    waiting = make_package(
        alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"], status="proposed"
    )
    make_package(bravo["sw"], bravo["tm"], bravo["ali"], bravo["offer"], status="proposed")
    make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])  # active
    client = client_for(alpha["tm"])
    rows = _csv_rows(client.get(reverse("referrals:panel-queue"), {"format": "csv"}))
    assert _column(rows, "Package") == [str(waiting.pk)]
    assert _column(rows, "Child") == [f"'=Ali Khan {MARKER_A}"]
    assert _column(rows, "Services") == [f"Community buddying {MARKER_A}"]
    assert _column(rows, "Cost per week") == ["142.50"]  # 5 hours at £28.50
    assert MARKER_B not in str(rows)
    assert _last_export(alpha["tm"], "referrals.package").ids == [waiting.pk]
    excel = _xlsx_rows(client.get(reverse("referrals:panel-queue"), {"format": "xlsx"}))
    assert [r[0] for r in excel[1:]] == [waiting.pk]
    page = client.get(reverse("referrals:panel-queue")).content.decode()
    assert "?format=csv" in page


def test_the_packages_api_exports_every_package_the_filters_keep(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    proposed = make_package(
        alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"], status="proposed"
    )
    active = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    make_package(bravo["sw"], bravo["tm"], bravo["ali"], bravo["offer"])
    client = client_for(alpha["sw"])
    url = reverse("api-packages")
    rows = _csv_rows(client.get(url, {"format": "csv", "page_size": 1}))
    assert sorted(int(pk) for pk in _column(rows, "Package")) == sorted([proposed.pk, active.pk])
    assert MARKER_B not in str(rows)
    only = _xlsx_rows(client.get(url, {"format": "xlsx", "status": PackageStatus.ACTIVE}))
    assert [r[0] for r in only[1:]] == [active.pk]
    assert _column(only, "Status") == ["Active"]
    logged = _last_export(alpha["sw"], "referrals.package")
    assert logged.ids == [active.pk]
    assert ("status", PackageStatus.ACTIVE) in logged.filters
    assert client.get(url, {"format": "csv", "status": "nope"}).status_code == 400
    commissioner = alpha["people"][Role.COMMISSIONER]
    assert client_for(commissioner).get(url, {"format": "csv"}).status_code == 403


def test_the_package_exports_take_the_same_queries_for_more_rows(world, client_for):
    alpha = world["alpha"]
    assessment = authorised_assessment(alpha["sw"], alpha["tm"], alpha["child"])

    def add(n):
        for _ in range(n):
            package = package_services.package_propose(
                actor=alpha["sw"], child=alpha["child"], assessment=assessment, start_on=TODAY
            )
            package_services.package_line_add(
                actor=alpha["sw"], package=package, **line_kwargs(alpha["offer"])
            )

    add(3)
    requests = [
        ("get", reverse(name), {"format": fmt}, {})
        for name in ("referrals:panel-queue", "api-packages")
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(alpha["tm"]), requests, lambda: add(27))


def test_a_packages_lines_and_delivery_export_through_the_api(world, client_for):
    from decimal import Decimal

    alpha, bravo = world["alpha"], world["bravo"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"])
    line = package.lines.get()
    records = [
        package_services.delivery_record_add(
            actor=alpha["sw"],
            line=line,
            period_start=date(2025, 3, 3) + timedelta(weeks=n),
            period_end=date(2025, 3, 9) + timedelta(weeks=n),
            hours_delivered=Decimal("5"),
            notes=FORMULA if n == 0 else "All delivered.",
        )
        for n in range(2)
    ]
    other = make_package(bravo["sw"], bravo["tm"], bravo["ali"], bravo["offer"])
    client = client_for(alpha["sw"])
    lines = _csv_rows(
        client.get(reverse("api-package-lines", args=[package.pk]), {"format": "csv"})
    )
    assert _column(lines, "Line") == [str(line.pk)]
    assert _column(lines, "Cost per week") == ["142.50"]
    assert _column(lines, "Service") == [f"Community buddying {MARKER_A}"]
    assert _last_export(alpha["sw"], "referrals.packageline").ids == [line.pk]
    delivery = _xlsx_rows(
        client.get(reverse("api-package-delivery", args=[package.pk]), {"format": "xlsx"})
    )
    assert [r[0] for r in delivery[1:]] == [r.pk for r in records]
    assert _column(delivery, "Notes")[0] == "'" + FORMULA
    assert _last_export(alpha["sw"], "referrals.deliveryrecord").ids == [r.pk for r in records]
    for name in ("api-package-lines", "api-package-delivery"):
        assert client.get(reverse(name, args=[other.pk]), {"format": "csv"}).status_code == 404
        commissioner = client_for(alpha["people"][Role.COMMISSIONER])
        refused = commissioner.get(reverse(name, args=[package.pk]), {"format": "csv"})
        assert refused.status_code == 403


def test_the_panel_decisions_api_exports_the_councils_decisions(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    approved = make_package(
        alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"], status="approved"
    )
    make_package(bravo["sw"], bravo["tm"], bravo["ali"], bravo["offer"], status="approved")
    decision = approved.panel_decisions.get()
    client = client_for(alpha["tm"])
    url = reverse("api-panel-decisions")
    rows = _csv_rows(client.get(url, {"format": "csv", "package": approved.pk}))
    assert _column(rows, "Decision") == [str(decision.pk)]
    assert _column(rows, "Child") == [f"'=Ali Khan {MARKER_A}"]
    assert _column(rows, "Outcome") == ["Approved"]
    assert MARKER_B not in str(rows)
    assert _last_export(alpha["tm"], "referrals.paneldecision").ids == [decision.pk]
    every = _xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert [r[0] for r in every[1:]] == [decision.pk]
    commissioner = client_for(alpha["people"][Role.COMMISSIONER])
    assert commissioner.get(url, {"format": "csv"}).status_code == 403


def test_the_line_delivery_and_decision_exports_take_the_same_queries_for_more_rows(
    world, client_for
):
    from decimal import Decimal

    alpha = world["alpha"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    line = package.lines.get()
    proposed = make_package(
        alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"], status="proposed"
    )

    def add(first, n):
        for i in range(first, first + n):
            package_services.package_line_add(
                actor=alpha["sw"], package=proposed, **line_kwargs(alpha["offer"])
            )
            package_services.delivery_record_add(
                actor=alpha["sw"],
                line=line,
                period_start=date(2025, 3, 3) + timedelta(weeks=i),
                period_end=date(2025, 3, 9) + timedelta(weeks=i),
                hours_delivered=Decimal("5"),
            )
            declined = package_services.package_propose(
                actor=alpha["sw"],
                child=alpha["child"],
                assessment=package.assessment,
                start_on=TODAY,
            )
            package_services.panel_decision_record(
                actor=alpha["tm"],
                package=declined,
                decision="declined",
                reasons="Needs met elsewhere.",
                decided_on=date(2025, 2, 20) + timedelta(days=i),
                members=["Head of Service"],
            )

    add(0, 2)  # with the package's own line and the first panel's approval: 3 of each
    requests = [
        ("get", url, {"format": fmt}, {})
        for url in (
            reverse("api-package-lines", args=[proposed.pk]),
            reverse("api-package-delivery", args=[package.pk]),
            reverse("api-panel-decisions"),
        )
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(alpha["tm"]), requests, lambda: add(3, 27))


# ----------------------------------------------------------------------------------------------
# Reviews


def _review(council, package, n: int = 0, **fields):
    return review_services.review_record(
        actor=council["sw"],
        package=package,
        held_on=date(2025, 9, 1) + timedelta(days=n),
        outcome=ReviewOutcome.CONTINUE,
        **fields,
    )


def test_the_reviews_api_exports_the_councils_reviews(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["ali"], alpha["offer"])
    other = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    review = _review(alpha, package, reasons=FORMULA)
    second = _review(alpha, other, 1)
    _review(bravo, make_package(bravo["sw"], bravo["tm"], bravo["ali"], bravo["offer"]))
    client = client_for(alpha["sw"])
    url = reverse("api-reviews")
    rows = _csv_rows(client.get(url, {"format": "csv", "page_size": 1}))
    assert sorted(int(pk) for pk in _column(rows, "Review")) == sorted([review.pk, second.pk])
    assert MARKER_B not in str(rows)
    one = _xlsx_rows(client.get(url, {"format": "xlsx", "package": package.pk}))
    assert [r[0] for r in one[1:]] == [review.pk]
    assert _column(one, "Reasons") == ["'" + FORMULA]
    assert _column(one, "Child") == [f"'=Ali Khan {MARKER_A}"]
    assert _column(one, "Outcome") == ["Continue"]
    logged = _last_export(alpha["sw"], "referrals.review")
    assert logged.ids == [review.pk]
    assert ("package", str(package.pk)) in logged.filters
    commissioner = alpha["people"][Role.COMMISSIONER]
    assert client_for(commissioner).get(url, {"format": "csv"}).status_code == 403


def test_the_reviews_export_takes_the_same_queries_for_more_rows(world, client_for):
    alpha = world["alpha"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])

    def add(first, n):
        for i in range(first, first + n):
            _review(alpha, package, i, reasons="Going well.")

    add(0, 3)
    requests = [("get", reverse("api-reviews"), {"format": fmt}, {}) for fmt in ("csv", "xlsx")]
    assert_same_queries_for_more_rows(client_for(alpha["sw"]), requests, lambda: add(3, 27))


# ----------------------------------------------------------------------------------------------
# Searching the children through the API


def _search(client, body: dict, query: str = ""):
    url = reverse("api-children-search") + query
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_search_api_exports_every_child_found_with_format_in_the_body(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    client = client_for(worker)
    rows = _csv_rows(_search(client, {"search": "Khan", "format": "csv", "page_size": 1}))
    assert _column(rows, "Name") == [f"'=Ali Khan {MARKER_A}"]
    assert MARKER_B not in str(rows)
    logged = _last_export(worker, "referrals.child")
    assert logged.ids == [caseloads["alpha"]["ali"].pk]
    assert ("search", "Khan") in logged.filters
    entry = AccessLogEntry.objects.filter(action="export", user=worker).get()
    assert "Khan" not in entry.path.split("?")[0]  # the address asked for held no name


def test_the_search_api_exports_with_format_in_the_address_and_keeps_the_tier(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    client = client_for(worker)
    rows = _xlsx_rows(_search(client, {"search": MARKER_A}, "?format=xlsx"))
    assert sorted(_column(rows, "Name")) == sorted(
        [f"'=Ali Khan {MARKER_A}", f"Sam Jones {MARKER_A}"]
    )
    none = _csv_rows(_search(client, {"search": MARKER_A, "tier": "specialist", "format": "csv"}))
    assert none[1:] == []
    page = _search(client, {"search": MARKER_A})
    assert page.status_code == 200 and page["Content-Type"].startswith("application/json")
    assert _search(client, {"search": MARKER_A, "format": "pdf"}).status_code == 400
    assert _search(client, {"format": "csv"}).status_code == 400
    assert len(_exports(worker)) == 2


def test_the_search_export_is_refused_to_a_commissioner(caseloads, two_councils, client_for):
    commissioner = _people(two_councils)[Role.COMMISSIONER]
    answer = _search(client_for(commissioner), {"search": "Khan", "format": "csv"})
    assert answer.status_code == 403
    assert not _exports(commissioner)


def test_the_search_export_takes_the_same_queries_for_more_rows(two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]

    def add(n):
        for _ in range(n):
            make_child(worker, first_name="Robin", last_name="Hartley")

    add(3)
    url = reverse("api-children-search")
    requests = [
        (
            "post",
            url,
            json.dumps({"search": "Hartley", "format": fmt}),
            {"content_type": "application/json"},
        )
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(worker), requests, lambda: add(27))


# ----------------------------------------------------------------------------------------------
# Case notes


def _note(worker, child, text: str = "Visited at home; all well.", **fields):
    fields.setdefault("on", TODAY)
    fields.setdefault("kind", CaseNoteKind.VISIT)
    return note_services.case_note_add(actor=worker, child=child, text=text, **fields)


def test_a_childs_case_notes_export_on_the_page_and_the_api(caseloads, two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    sam, ali = caseloads["alpha"]["sam"], caseloads["alpha"]["ali"]
    notes = [_note(worker, sam, FORMULA), _note(worker, sam, on=TODAY - timedelta(days=1))]
    _note(worker, ali, "Not this child's note.")
    client = client_for(worker)
    page_url = reverse("referrals:case-notes", args=[sam.pk])
    rows = _csv_rows(client.get(page_url, {"format": "csv"}))
    assert [int(pk) for pk in _column(rows, "Note")] == [n.pk for n in notes]
    assert _column(rows, "Note text")[0] == "'" + FORMULA
    assert set(_column(rows, "Child")) == {f"Sam Jones {MARKER_A}"}
    assert "Not this child" not in str(rows)
    logged = _last_export(worker, "referrals.casenote")
    assert logged.ids == [n.pk for n in notes]
    assert ("child", str(sam.pk)) in logged.filters
    assert "?format=csv" in client.get(page_url).content.decode()

    api = _xlsx_rows(client.get(reverse("api-case-notes", args=[sam.pk]), {"format": "xlsx"}))
    assert [r[0] for r in api[1:]] == [n.pk for n in notes]
    assert api[1][api[0].index("Note text")] == "'" + FORMULA
    assert len(_exports(worker)) == 2


def test_case_notes_export_only_to_those_who_may_read_notes(caseloads, two_councils, client_for):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    sam = caseloads["alpha"]["sam"]
    _note(worker, sam)
    for role in (Role.AUDITOR, Role.COMMISSIONER):
        client = client_for(_people(two_councils)[role])
        page = client.get(reverse("referrals:case-notes", args=[sam.pk]), {"format": "csv"})
        api = client.get(reverse("api-case-notes", args=[sam.pk]), {"format": "csv"})
        assert (page.status_code, api.status_code) == (403, 403), role
    bravo_child = caseloads["bravo"]["sam"]
    client = client_for(worker)
    other = client.get(reverse("referrals:case-notes", args=[bravo_child.pk]), {"format": "csv"})
    assert other.status_code == 404
    other_api = client.get(reverse("api-case-notes", args=[bravo_child.pk]), {"format": "csv"})
    assert other_api.status_code == 404
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_case_notes_export_takes_the_same_queries_for_more_rows(
    caseloads, two_councils, client_for
):
    worker = _people(two_councils)[Role.SOCIAL_WORKER]
    sam = caseloads["alpha"]["sam"]

    def add(n):
        for _ in range(n):
            _note(worker, sam)

    add(3)
    requests = [
        ("get", reverse(name, args=[sam.pk]), {"format": fmt}, {})
        for name in ("referrals:case-notes", "api-case-notes")
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(worker), requests, lambda: add(27))


# ----------------------------------------------------------------------------------------------
# Outcome surveys and their answers


@pytest.fixture
def surveys(two_councils):
    world = outcomes_world(two_councils)
    for slug in ("alpha", "bravo"):
        council = world[slug]
        council["survey"] = make_survey(council)
        questions = {q.kind: q for q in Question.objects.filter(survey=council["survey"])}
        council["response"] = outcome_services.response_submit(
            actor=council["sw"],
            invitation=invitation_of(council["survey"], council["child"]),
            channel=Channel.STAFF,
            answers={
                questions[QuestionKind.SATISFACTION].pk: {council["offer"]["service"].pk: 5},
                questions[QuestionKind.REGULATION_3].pk: ["work", "rest"],
                questions[QuestionKind.IMPROVEMENT].pk: f"{FORMULA} {slug}",
            },
        )
    return world


def test_the_survey_list_exports_the_councils_surveys_without_a_child(surveys, client_for):
    alpha = surveys["alpha"]
    outcome_services.survey_create(
        actor=alpha["admin"],
        title="=Winter survey",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        closes_on=date(2026, 7, 1),
    )
    commissioner = alpha["commissioner"]
    client = client_for(commissioner)
    rows = _csv_rows(client.get(reverse("outcomes:surveys"), {"format": "csv"}))
    assert sorted(_column(rows, "Title")) == ["'=Winter survey", "Summer survey"]
    assert _column(rows, "Answered")[_column(rows, "Title").index("Summer survey")] == "1"
    assert "Sam" not in str(rows) and "Child" not in rows[0]
    assert str(surveys["bravo"]["survey"].pk) not in _column(rows, "Survey")
    assert _last_export(commissioner, "outcomes.survey").ids
    api = _xlsx_rows(client.get(reverse("api-outcome-surveys"), {"format": "xlsx", "page_size": 1}))
    assert len(api) == 3
    assert "?format=csv" in client.get(reverse("outcomes:surveys")).content.decode()
    worker = alpha["sw"]
    assert (
        client_for(worker).get(reverse("api-outcome-surveys"), {"format": "csv"}).status_code == 403
    )


def test_a_team_manager_exports_every_answer_with_the_child(surveys, client_for):
    alpha = surveys["alpha"]
    manager = alpha["tm"]
    client = client_for(manager)
    url = reverse("outcomes:report", args=[alpha["survey"].pk])
    rows = _csv_rows(client.get(url, {"format": "csv"}))
    assert set(_column(rows, "Child")) == {f"Sam Jones {MARKER_A}"}
    assert set(_column(rows, "Response")) == {str(alpha["response"].pk)}
    assert f"'{FORMULA} alpha" in _column(rows, "Answer text")
    assert "5" in _column(rows, "Rating (1 to 5)")
    assert "Go to work, Rest, or do something for myself" in _column(rows, "Choices")
    assert MARKER_B not in str(rows) and "bravo" not in str(rows)
    logged = _last_export(manager, "outcomes.answer")
    answers = Answer.objects.filter(response=alpha["response"]).values_list("pk", flat=True)
    assert sorted(logged.ids) == sorted(answers)
    assert "?format=xlsx" in client.get(url).content.decode()

    api_url = reverse("api-outcome-survey-responses", args=[alpha["survey"].pk])
    api = _xlsx_rows(client.get(api_url, {"format": "xlsx"}))
    assert len(api) == len(rows)
    listed = client.get(api_url)
    assert listed.status_code == 200
    assert {a["child"] for a in listed.json()["results"]} == {alpha["child"].pk}
    bravo_survey = surveys["bravo"]["survey"]
    assert (
        client.get(
            reverse("outcomes:report", args=[bravo_survey.pk]), {"format": "csv"}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("api-outcome-survey-responses", args=[bravo_survey.pk]), {"format": "csv"}
        ).status_code
        == 404
    )


def test_the_answers_are_refused_to_those_who_may_not_read_childrens_records(surveys, client_for):
    alpha = surveys["alpha"]
    survey = alpha["survey"]
    for person in (alpha["commissioner"], alpha["admin"]):
        client = client_for(person)
        report = client.get(reverse("outcomes:report", args=[survey.pk]))
        assert report.status_code == 200
        assert "format=csv" not in report.content.decode()
        page = client.get(reverse("outcomes:report", args=[survey.pk]), {"format": "csv"})
        api = client.get(
            reverse("api-outcome-survey-responses", args=[survey.pk]), {"format": "csv"}
        )
        assert (page.status_code, api.status_code) == (403, 403)
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_outcome_exports_take_the_same_queries_for_more_rows(surveys, client_for):
    alpha = surveys["alpha"]
    survey = alpha["survey"]
    improvement = Question.objects.get(survey=survey, kind=QuestionKind.IMPROVEMENT)
    Answer.objects.filter(response=alpha["response"]).exclude(question=improvement).delete()

    def add(n):
        Answer.objects.bulk_create(
            Answer(
                council=alpha["council"],
                response=alpha["response"],
                question=improvement,
                text="More weekend places.",
            )
            for _ in range(n)
        )
        for _ in range(n):
            outcome_services.survey_create(
                actor=alpha["admin"],
                title="Another survey",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 3, 31),
                closes_on=date(2026, 7, 1),
            )

    add(2)  # with the one answered and the one sent: 3 of each
    requests = [
        ("get", url, {"format": fmt}, {})
        for url in (
            reverse("outcomes:report", args=[survey.pk]),
            reverse("api-outcome-survey-responses", args=[survey.pk]),
            reverse("outcomes:surveys"),
            reverse("api-outcome-surveys"),
        )
        for fmt in ("csv", "xlsx")
    ]
    assert_same_queries_for_more_rows(client_for(alpha["tm"]), requests, lambda: add(27))
