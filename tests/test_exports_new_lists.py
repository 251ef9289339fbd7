"""CSV and Excel downloads of bookings, brokerage requests and direct payments, on the pages and
the API: only the actor's council's rows, the filters kept, the export in the access log with its
ids, no child's name for those who may not read it, and the wrong role refused."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bookings.models import BookingStatus
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import listing
from shortbreaks.councils.models import Role
from tests.bookings.builders import book, booking_world
from tests.brokerage.builders import brokerage_world, sent_request
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.directpayments.builders import dp_world, make_agreement
from tests.per_module import two_councils_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

# The two councils and their people are built once for the module (tests/per_module.py).
_two_councils_built, two_councils = two_councils_per_module()


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _logged(user, object_type) -> AccessLogEntry:
    return AccessLogEntry.objects.get(action="export", user=user, object_type=object_type)


# ----------------------------------------------------------------------------------------------
# Bookings


@pytest.fixture
def bookings(two_councils):
    world = booking_world(two_councils)
    start = FROZEN_TODAY + timedelta(days=10)
    made = {
        slug: [book(world[slug], 0, start), book(world[slug], 1, start + timedelta(days=3))]
        for slug in ("alpha", "bravo")
    }
    made["world"] = world
    return made


def test_the_bookings_page_exports_its_councils_bookings_with_the_filter(bookings, client_for):
    world = bookings["world"]["alpha"]
    response = client_for(world["sw"]).get(
        reverse("bookings:list"), {"status": BookingStatus.BOOKED, "format": "csv"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Booking", "Child record", "Child"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(b.pk for b in bookings["alpha"])
    text = str(rows)
    assert f"Booked {MARKER_A}" in text
    assert MARKER_B not in text
    listed = listing(_logged(world["sw"], "bookings.booking"))
    assert sorted(listed.ids) == sorted(b.pk for b in bookings["alpha"])
    assert ("status", BookingStatus.BOOKED) in listed.filters

    cancelled = client_for(world["sw"]).get(
        reverse("bookings:list"), {"status": BookingStatus.CANCELLED, "format": "csv"}
    )
    assert _csv_rows(cancelled)[1:] == []


def test_the_bookings_page_offers_the_download(bookings, client_for):
    world = bookings["world"]["alpha"]
    page = client_for(world["sw"]).get(reverse("bookings:list")).content.decode()
    assert "format=csv" in page and "format=xlsx" in page


def test_the_bookings_api_exports_excel_and_refuses_a_commissioner(bookings, client_for):
    world = bookings["world"]["alpha"]
    response = client_for(world["tm"]).get("/api/v1/bookings/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert sorted(r[0] for r in rows[1:]) == sorted(b.pk for b in bookings["alpha"])
    assert MARKER_B not in str(rows)
    assert _logged(world["tm"], "bookings.booking")
    refused = client_for(world["commissioner"]).get("/api/v1/bookings/", {"format": "csv"})
    assert refused.status_code == 403
    bad = client_for(world["sw"]).get("/api/v1/bookings/", {"format": "csv", "status": "nope"})
    assert bad.status_code == 400
    assert not AccessLogEntry.objects.filter(action="export", user=world["sw"]).exists()


# ----------------------------------------------------------------------------------------------
# Brokerage requests


@pytest.fixture
def brokerage(two_councils):
    made = {}
    for slug, marker in (("alpha", "A"), ("bravo", MARKER_B)):
        world = brokerage_world(two_councils[slug]["people"], marker)
        sent = sent_request(world, today=FROZEN_TODAY, deadline=FROZEN_TODAY + timedelta(days=7))
        made[slug] = {"world": world, "sent": sent}
    return made


def test_the_brokerage_page_and_api_export_the_councils_requests(brokerage, client_for):
    alpha = brokerage["alpha"]
    commissioner = alpha["world"]["commissioner"]
    client = client_for(commissioner)
    response = client.get(reverse("brokerage:list"), {"status": "sent", "format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert rows[0][0] == "Request"
    assert [int(r[0]) for r in rows[1:]] == [alpha["sent"].pk]
    assert MARKER_B not in str(rows)
    assert "Isabella" not in str(rows)  # a request never names the child
    listed = listing(_logged(commissioner, "brokerage.brokeragerequest"))
    assert listed.ids == [alpha["sent"].pk]
    assert ("status", "sent") in listed.filters

    api = client.get("/api/v1/brokerage-requests/", {"format": "xlsx"})
    assert api.status_code == 200
    assert [r[0] for r in _xlsx_rows(api)[1:]] == [alpha["sent"].pk]
    drafts = client.get(reverse("brokerage:list"), {"status": "draft", "format": "csv"})
    assert _csv_rows(drafts)[1:] == []


def test_the_brokerage_export_is_refused_to_a_finance_officer(brokerage, two_councils, client_for):
    finance = two_councils["alpha"]["people"][Role.FINANCE_OFFICER]
    assert client_for(finance).get(reverse("brokerage:list"), {"format": "csv"}).status_code == 403
    api = client_for(finance).get("/api/v1/brokerage-requests/", {"format": "csv"})
    assert api.status_code == 403


# ----------------------------------------------------------------------------------------------
# Direct payments


@pytest.fixture
def agreements(two_councils):
    world = dp_world(two_councils)
    return {slug: (world[slug], make_agreement(world[slug])) for slug in ("alpha", "bravo")}


def test_the_direct_payments_page_and_api_export_the_councils_agreements(agreements, client_for):
    council, agreement = agreements["alpha"]
    client = client_for(council["finance"])
    response = client.get(reverse("directpayments:list"), {"format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Agreement", "Child record", "Child"]
    assert [r[0] for r in rows[1:]] == [agreement.reference]
    assert [int(r[1]) for r in rows[1:]] == [agreement.child_id]
    assert "Balance" in rows[0]
    assert _logged(council["finance"], "directpayments.agreement")

    api = client.get("/api/v1/direct-payments/", {"format": "xlsx"})
    assert api.status_code == 200
    assert [r[0] for r in _xlsx_rows(api)[1:]] == [agreement.reference]
    page = client.get(reverse("directpayments:list")).content.decode()
    assert "format=csv" in page


def test_the_direct_payments_export_is_refused_to_a_commissioner(
    agreements, two_councils, client_for
):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    assert client.get(reverse("directpayments:list"), {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/direct-payments/", {"format": "csv"}).status_code == 403


# ----------------------------------------------------------------------------------------------
# Grant applications


@pytest.fixture
def grants(two_councils):
    from decimal import Decimal

    from referrals.services import grants as grant_services
    from tests.referrals.builders import build_world

    world = build_world(two_councils)
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        council = world[slug]
        council["scheme"] = grant_services.grant_scheme_create(
            actor=council["sw"],
            name=f"Short break grant {marker}",
            year=2025,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("500.00"),
        )
        council["application"] = grant_services.grant_application_create(
            actor=council["sw"],
            child=council["child"],
            scheme=council["scheme"],
            received_on=FROZEN_TODAY - timedelta(days=10),
            answers={"Does the child live in the council's area?": "Yes"},
        )
    return world


def test_the_grants_page_and_api_export_the_councils_applications(grants, client_for):
    alpha = grants["alpha"]
    client = client_for(alpha["sw"])
    page = client.get(reverse("referrals:grants"))
    assert "format=csv" in page.content.decode()
    response = client.get(reverse("referrals:grants"), {"format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [int(r[0]) for r in rows[1:]] == [alpha["application"].pk]
    assert f"Jones {MARKER_A}" in str(rows)
    assert MARKER_B not in str(rows)
    assert listing(_logged(alpha["sw"], "referrals.grantapplication")).ids == [
        alpha["application"].pk
    ]

    api = client.get("/api/v1/grant-applications/", {"format": "xlsx", "status": "received"})
    assert api.status_code == 200
    assert [r[0] for r in _xlsx_rows(api)[1:]] == [alpha["application"].pk]
    none = client.get("/api/v1/grant-applications/", {"format": "csv", "status": "declined"})
    assert _csv_rows(none)[1:] == []
    bad = client.get("/api/v1/grant-applications/", {"format": "csv", "status": "nope"})
    assert bad.status_code == 400


def test_the_grants_export_is_refused_to_a_commissioner(grants, client_for):
    commissioner = grants["alpha"]["people"][Role.COMMISSIONER]
    client = client_for(commissioner)
    assert client.get(reverse("referrals:grants"), {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/grant-applications/", {"format": "csv"}).status_code == 403


# ----------------------------------------------------------------------------------------------
# The filters behind the work tray's counts


def test_the_brokerage_filters_keep_overdue_and_answered_requests(brokerage, client_for):
    from brokerage import selectors as brokerage_selectors
    from tests.brokerage.builders import answer

    alpha = brokerage["alpha"]
    world, sent = alpha["world"], alpha["sent"]
    commissioner = world["commissioner"]
    late = FROZEN_TODAY + timedelta(days=8)
    assert list(brokerage_selectors.request_list(actor=commissioner, overdue=True)) == []
    assert list(brokerage_selectors.request_list(actor=commissioner, overdue=True, today=late)) == [
        sent
    ]
    counts = brokerage_selectors.brokerage_tray_counts(actor=commissioner, today=late)
    assert counts == {"overdue": 1, "to_score": 0}
    client = client_for(commissioner)
    empty = client.get(reverse("brokerage:list"), {"to_score": "on"}).content.decode()
    assert f"Request {sent.pk}" not in empty
    answer(world, sent, world["providers"][0], "25.00", today=FROZEN_TODAY)
    page = client.get(reverse("brokerage:list"), {"to_score": "on"}).content.decode()
    assert f"Request {sent.pk}" in page
    assert "to_score=on&amp;format=csv" in page
    counts = brokerage_selectors.brokerage_tray_counts(actor=commissioner, today=FROZEN_TODAY)
    assert counts == {"overdue": 0, "to_score": 1}
    # Another council's request is in its own count, never in this one's.
    other = brokerage["bravo"]["world"]["commissioner"]
    assert brokerage_selectors.brokerage_tray_counts(actor=other, today=late) == {
        "overdue": 1,
        "to_score": 0,
    }


def test_the_direct_payments_filter_keeps_the_checks_due(agreements, client_for):
    from directpayments import selectors as dp_selectors

    council, agreement = agreements["alpha"]
    due = agreement.next_check_due
    finance = council["finance"]
    assert dp_selectors.check_due_count(actor=finance, today=due - timedelta(days=1)) == 0
    assert dp_selectors.check_due_count(actor=finance, today=due) == 1
    client = client_for(finance)
    page = client.get(reverse("directpayments:list"), {"check_due": "on"}).content.decode()
    shown = agreement.reference in page
    assert shown == (due <= FROZEN_TODAY)
    listed = listing(
        AccessLogEntry.objects.filter(user=finance, object_type="directpayments.agreement").latest(
            "pk"
        )
    )
    assert ("check_due", "on") in listed.filters
