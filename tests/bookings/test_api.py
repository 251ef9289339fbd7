"""/api/v1/bookings/: list with filters (pinned queries), create, detail, cancel, deliver, the
waiting list, places and utilisation; every refusal path answers as the rest of the API does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.models import Booking, BookingStatus, WaitingStatus
from contracts.models import Award
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.bookings.builders import book, booking_world, child_on_lot
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.per_module import world_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NIGHT = FROZEN_TODAY + timedelta(days=10)


def _build_world(two_councils) -> dict:
    return booking_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(world: dict, n: int = 0, **fields) -> dict:
    body = {
        "places": world["places"].pk,
        "line": world["children"][n]["line"].pk,
        "first_day": NIGHT.isoformat(),
        "days": 1,
    }
    body.update(fields)
    return body


# ----------------------------------------------------------------------------------------------
# Booking


def test_a_social_worker_books_a_night(world):
    alpha = world["alpha"]
    response = api(alpha["sw"]).post(reverse("api-bookings"), _body(alpha, days=2), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "booked"
    assert (data["first_day"], data["last_day"], data["days"]) == (
        NIGHT.isoformat(),
        (NIGHT + timedelta(days=1)).isoformat(),
        2,
    )
    assert data["child"]["first_name"] == "Ava"
    assert AccessLogEntry.objects.filter(
        action="create", object_type="bookings.booking", object_id=str(data["id"])
    ).exists()


def test_a_night_past_capacity_answers_409_with_the_full_days(world):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    client = api(alpha["sw"])
    response = client.post(reverse("api-bookings"), _body(alpha, 2), format="json")
    assert response.status_code == 409
    assert response.json()["full_days"] == [NIGHT.isoformat()]
    assert "waiting list" in response.json()["detail"]

    joined = client.post(reverse("api-booking-waiting-list"), _body(alpha, 2), format="json")
    assert joined.status_code == 201
    assert joined.json()["status"] == WaitingStatus.WAITING
    listed = client.get(reverse("api-booking-waiting-list"), {"places": alpha["places"].pk})
    assert [e["id"] for e in listed.json()] == [joined.json()["id"]]


def test_a_child_without_an_active_line_on_the_lot_is_400(world):
    alpha = world["alpha"]
    bravo_line = world["bravo"]["children"][0]["line"].pk
    response = api(alpha["sw"]).post(
        reverse("api-bookings"), _body(alpha, line=bravo_line), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["line"]


def test_another_councils_places_in_the_body_are_400(world):
    alpha = world["alpha"]
    response = api(alpha["sw"]).post(
        reverse("api-bookings"), _body(alpha, places=world["bravo"]["places"].pk), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["places"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"days": 0},
        {"days": 32},
        {"first_day": "not a date"},
        {"first_day": (FROZEN_TODAY - timedelta(days=1)).isoformat()},
        {"line": "x"},
    ],
)
def test_bad_input_is_400(world, body):
    alpha = world["alpha"]
    payload = _body(alpha, **body) if body else {}
    response = api(alpha["sw"]).post(reverse("api-bookings"), payload, format="json")
    assert response.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_the_wrong_role_is_403(world, role):
    alpha = world["alpha"]
    response = api(alpha["people"][role]).post(reverse("api-bookings"), _body(alpha), format="json")
    assert response.status_code == 403


def test_commissioners_never_read_bookings(world):
    alpha = world["alpha"]
    booking = book(alpha, 0, NIGHT)
    client = api(alpha["commissioner"])
    assert client.get(reverse("api-bookings")).status_code == 403
    assert client.get(reverse("api-booking", args=[booking.pk])).status_code == 403
    # They read the places and the utilisation: counts only.
    assert client.get(reverse("api-block-places")).status_code == 200
    calendar = client.get(
        reverse("api-block-places-calendar", args=[alpha["places"].pk]), {"month": "2026-06"}
    )
    day = next(d for d in calendar.json() if d["day"] == NIGHT.isoformat())
    assert (day["places"], day["taken"], day["free"]) == (2, 1, 1)


def test_another_councils_booking_is_404(world):
    alpha, bravo = world["alpha"], world["bravo"]
    theirs = book(bravo, 0, NIGHT)
    client = api(alpha["sw"])
    assert client.get(reverse("api-booking", args=[theirs.pk])).status_code == 404
    for name, body in (
        ("api-booking-cancel", {"reason": "No."}),
        ("api-booking-deliver", {}),
    ):
        assert client.post(reverse(name, args=[theirs.pk]), body, format="json").status_code == 404
    calendar = reverse("api-block-places-calendar", args=[bravo["places"].pk])
    assert client.get(calendar).status_code == 404
    utilisation = reverse("api-contract-utilisation", args=[bravo["offer"]["contract"].pk])
    assert api(alpha["commissioner"]).get(utilisation).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.BOOKED


def test_an_expired_contract_refuses_with_the_reason(world, two_councils):
    alpha = world["alpha"]
    contract = alpha["offer"]["contract"]
    contract.end_date = NIGHT - timedelta(days=1)
    contract.save(update_fields=["end_date"])
    response = api(alpha["sw"]).post(reverse("api-bookings"), _body(alpha), format="json")
    assert response.status_code == 409
    assert "no approved extension covers these dates" in response.json()["detail"]


# ----------------------------------------------------------------------------------------------
# Reading, cancelling, delivering


def test_the_booking_list_filters_and_pins_its_queries(world, django_assert_num_queries):
    alpha = world["alpha"]
    client = api(alpha["sw"])
    client.get(reverse("api-bookings"))
    book(alpha, 0, NIGHT)
    with django_assert_num_queries(4):  # the person's roles and council, the page, the log
        assert len(client.get(reverse("api-bookings")).json()["results"]) == 1
    for n in range(3):
        extra = child_on_lot(alpha["people"], alpha["offer"], first_name=f"More{n}", last_name="X")
        alpha["children"].append(extra)
        book(alpha, 3 + n, NIGHT + timedelta(days=1 + n))
    with django_assert_num_queries(4):
        results = client.get(reverse("api-bookings")).json()["results"]
    assert len(results) == 4
    later = client.get(
        reverse("api-bookings"), {"day_from": (NIGHT + timedelta(days=2)).isoformat()}
    ).json()["results"]
    assert len(later) == 2
    assert client.get(reverse("api-bookings"), {"status": "cancelled"}).json()["results"] == []
    assert client.get(reverse("api-bookings"), {"status": "nonsense"}).status_code == 400
    row = AccessLogEntry.objects.filter(object_type="bookings.booking", action="list").last()
    assert row is not None
    assert MARKER_B not in str(results)


def test_cancel_frees_the_place_and_offers_it(world):
    alpha = world["alpha"]
    first = book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    client = api(alpha["sw"])
    entry = client.post(reverse("api-booking-waiting-list"), _body(alpha, 2), format="json").json()

    assert (
        client.post(reverse("api-booking-cancel", args=[first.pk]), {}, format="json").status_code
        == 400
    )
    response = client.post(
        reverse("api-booking-cancel", args=[first.pk]), {"reason": "Family away."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_late"] is False
    again = client.post(
        reverse("api-booking-cancel", args=[first.pk]), {"reason": "Again."}, format="json"
    )
    assert again.status_code == 409

    waiting = client.get(reverse("api-booking-waiting-list")).json()
    assert waiting[0]["status"] == "offered"
    assert waiting[0]["offered_after"] == first.pk
    accepted = client.post(reverse("api-booking-waiting-accept", args=[entry["id"]]))
    assert accepted.status_code == 201
    assert accepted.json()["child"]["first_name"] == "Cal"


def test_delivering_before_the_night_is_over_is_409(world):
    alpha = world["alpha"]
    booking = book(alpha, 0, NIGHT)
    response = api(alpha["sw"]).post(reverse("api-booking-deliver", args=[booking.pk]), {})
    assert response.status_code == 409


def test_places_are_set_by_commissioners_only(world):
    alpha = world["alpha"]
    award = Award.objects.get(lot=alpha["offer"]["lot"])
    body = {"award": award.pk, "unit": "night", "places": 3}
    assert (
        api(alpha["sw"]).post(reverse("api-block-places"), body, format="json").status_code == 403
    )
    response = api(alpha["commissioner"]).post(reverse("api-block-places"), body, format="json")
    assert response.status_code == 201
    assert response.json()["places"] == 3
    bravo_award = Award.objects.get(lot=world["bravo"]["offer"]["lot"])
    refused = api(alpha["commissioner"]).post(
        reverse("api-block-places"), {**body, "award": bravo_award.pk}, format="json"
    )
    assert refused.status_code == 400


def test_utilisation_counts_place_days(world):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT, days=3)
    cancelled = book(alpha, 1, FROZEN_TODAY + timedelta(days=1))
    from bookings import services

    services.booking_cancel(actor=alpha["sw"], booking=cancelled, reason="Unwell.")
    response = api(alpha["commissioner"]).get(
        reverse("api-contract-utilisation", args=[alpha["offer"]["contract"].pk])
    )
    assert response.status_code == 200
    june = next(m for m in response.json() if m["month"] == "2026-06-01")
    assert june == {
        "month": "2026-06-01",
        "paid_for": 2 * 30,
        "used": 0,
        "booked": 3,
        "cancelled_late": 1,
        "left_empty": 57,
    }


# ----------------------------------------------------------------------------------------------
# Provider staff


def test_provider_staff_read_their_own_providers_bookings_by_first_name_only(world):
    from providers.services import provider_account_open
    from tests.bookings.builders import hold_places, overnight_offer
    from tests.conftest import MARKER_A
    from tests.factories import UserFactory

    alpha = world["alpha"]
    mine = book(alpha, 0, NIGHT)
    elsewhere = overnight_offer(alpha["commissioner"], "ELSEWHERE")
    other_places = hold_places(alpha["commissioner"], elsewhere)
    other = child_on_lot(alpha["people"], elsewhere, first_name="Dot", last_name="Elsewhere")
    from bookings import services

    services.booking_create(
        actor=alpha["sw"], places=other_places, line=other["line"], first_day=NIGHT
    )
    user = UserFactory()
    provider_account_open(user=user, provider=alpha["offer"]["provider"])
    user.refresh_from_db()
    client = api(user)

    listed = client.get(reverse("api-bookings"))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [mine.pk]
    assert listed.json()["results"][0]["child_first_name"] == "Ava"
    detail = client.get(reverse("api-booking", args=[mine.pk]))
    assert detail.status_code == 200
    assert MARKER_A not in detail.content.decode() and MARKER_A not in listed.content.decode()
    assert client.get(reverse("api-booking", args=[other_places.pk + 10_000])).status_code == 404
    # Nothing else: no booking, cancelling, waiting list, places or utilisation.
    assert client.post(reverse("api-bookings"), _body(alpha), format="json").status_code == 403
    cancel = reverse("api-booking-cancel", args=[mine.pk])
    assert client.post(cancel, {"reason": "No."}, format="json").status_code == 403
    assert client.get(reverse("api-booking-waiting-list")).status_code == 403
    assert client.get(reverse("api-block-places")).status_code == 403


def test_the_waiting_list_pins_its_queries(world, django_assert_num_queries):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    client = api(alpha["sw"])
    client.get(reverse("api-booking-waiting-list"))
    client.post(reverse("api-booking-waiting-list"), _body(alpha, 2), format="json")
    with django_assert_num_queries(4):
        assert len(client.get(reverse("api-booking-waiting-list")).json()) == 1
    for n in range(2):
        extra = child_on_lot(alpha["people"], alpha["offer"], first_name=f"Wait{n}", last_name="X")
        alpha["children"].append(extra)
        joined = client.post(
            reverse("api-booking-waiting-list"), _body(alpha, 3 + n), format="json"
        )
        assert joined.status_code == 201
    with django_assert_num_queries(4):
        assert len(client.get(reverse("api-booking-waiting-list")).json()) == 3
