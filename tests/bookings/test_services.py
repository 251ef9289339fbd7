"""Booking block places through the services: capacity, refusals, cancellation and the waiting
list, delivery into the child's record, and contracts that have ended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bookings import selectors, services
from bookings.models import BookingStatus, PlaceUnit, WaitingStatus
from referrals.models import DeliveryRecord, OvernightStay
from referrals.selectors import overnights as overnight_selectors
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from tests.bookings.builders import (
    book,
    booking_world,
    extend_contract,
    hold_places,
    overnight_offer,
)
from tests.clock import FROZEN_TODAY, frozen_today, london  # noqa: F401
from tests.per_module import world_per_module
from tests.referrals.builders import make_child, make_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NIGHT = FROZEN_TODAY + timedelta(days=10)  # Thursday 25 June 2026


def _build_world(two_councils) -> dict:
    return booking_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def test_two_beds_take_two_children_and_refuse_a_third(world):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT, days=2)

    with pytest.raises(services.PlacesFull) as refused:
        book(alpha, 2, NIGHT - timedelta(days=1), days=3)

    assert refused.value.full_days == [NIGHT]
    assert "25/06/2026" in refused.value.reason
    taken = selectors.places_taken(alpha["places"], NIGHT, NIGHT + timedelta(days=1))
    assert taken == {NIGHT: 2, NIGHT + timedelta(days=1): 1}


def test_a_child_is_not_booked_twice_on_one_night(world):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT, days=3)
    with pytest.raises(ValidationError) as refused:
        book(alpha, 0, NIGHT + timedelta(days=2))
    assert "already booked" in str(refused.value)


def test_a_child_without_an_active_line_on_the_lot_is_refused(world):
    alpha = world["alpha"]
    sw, tm = alpha["sw"], alpha["tm"]
    other_offer = overnight_offer(alpha["commissioner"], "OTHER")
    elsewhere = make_child(sw, first_name="Dee", last_name="Elsewhere")
    line_elsewhere = make_package(
        sw, tm, elsewhere, other_offer, lines=[{"nights_per_year": 20}]
    ).lines.get()
    proposed_child = make_child(sw, first_name="Eve", last_name="Proposed")
    proposed = make_package(
        sw, tm, proposed_child, alpha["offer"], status="proposed", lines=[{"nights_per_year": 20}]
    ).lines.get()

    for line in (line_elsewhere, proposed):
        with pytest.raises(ValidationError) as refused:
            services.booking_create(actor=sw, places=alpha["places"], line=line, first_day=NIGHT)
        assert refused.value.message_dict == {"line": [services.NO_LINE]}


def test_another_councils_places_or_line_are_missing(world):
    alpha, bravo = world["alpha"], world["bravo"]
    with pytest.raises(RecordNotFound):
        services.booking_create(
            actor=alpha["sw"],
            places=bravo["places"],
            line=alpha["children"][0]["line"],
            first_day=NIGHT,
        )
    with pytest.raises(RecordNotFound):
        services.booking_create(
            actor=alpha["sw"],
            places=alpha["places"],
            line=bravo["children"][0]["line"],
            first_day=NIGHT,
        )


def test_only_social_workers_and_team_managers_book(world):
    alpha = world["alpha"]
    for actor in (alpha["commissioner"], alpha["people"]["auditor"]):
        with pytest.raises(PermissionDenied):
            services.booking_create(
                actor=actor,
                places=alpha["places"],
                line=alpha["children"][0]["line"],
                first_day=NIGHT,
            )


def test_past_days_and_bad_lengths_are_refused(world):
    alpha = world["alpha"]
    with pytest.raises(ValidationError):
        book(alpha, 0, FROZEN_TODAY - timedelta(days=1))
    for days in (0, 32):
        with pytest.raises(ValidationError):
            book(alpha, 0, NIGHT, days=days)


def test_places_cannot_drop_below_what_is_booked(world):
    alpha = world["alpha"]
    book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    with pytest.raises(ValidationError) as refused:
        hold_places(alpha["commissioner"], alpha["offer"], places=1)
    assert "already booked" in str(refused.value)
    row = hold_places(alpha["commissioner"], alpha["offer"], places=3)
    assert row.places == 3
    timeline = [e.summary for e in row.contract.events.filter(kind="block_places")]
    first = timeline[0].removeprefix(f"Places for {row.provider} on {row.lot} set at ")
    assert first != timeline[0]
    assert timeline[1:] == [
        f"Places for {row.provider} on {row.lot} changed from {first[:-1]} to {row.capacity_text}."
    ]


def test_places_are_set_only_on_block_contracts_by_commissioners(world, two_councils):
    alpha = world["alpha"]
    framework = overnight_offer(alpha["commissioner"], "FRAME", kind="framework")
    with pytest.raises(ValidationError):
        hold_places(alpha["commissioner"], framework)
    with pytest.raises(PermissionDenied):
        hold_places(alpha["sw"], alpha["offer"])


# ----------------------------------------------------------------------------------------------
# Cancelling and the waiting list


def test_a_cancellation_offers_the_place_to_the_first_child_waiting(world):
    alpha = world["alpha"]
    first = book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    entry = services.waiting_list_join(
        actor=alpha["sw"],
        places=alpha["places"],
        line=alpha["children"][2]["line"],
        first_day=NIGHT,
    )
    assert entry.status == WaitingStatus.WAITING

    cancelled = services.booking_cancel(actor=alpha["sw"], booking=first, reason="Family away.")

    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_late is False
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert entry.offered_after == first
    # The offered place is held: nobody else takes it.
    assert selectors.places_taken(alpha["places"], NIGHT, NIGHT)[NIGHT] == 2
    booking = services.waiting_offer_accept(actor=alpha["sw"], entry=entry)
    assert booking.child == alpha["children"][2]["child"]
    entry.refresh_from_db()
    assert (entry.status, entry.booking) == (WaitingStatus.BOOKED, booking)
    assert selectors.places_taken(alpha["places"], NIGHT, NIGHT)[NIGHT] == 2


def test_turning_an_offer_down_frees_the_place(world):
    alpha = world["alpha"]
    first = book(alpha, 0, NIGHT)
    book(alpha, 1, NIGHT)
    entry = services.waiting_list_join(
        actor=alpha["sw"],
        places=alpha["places"],
        line=alpha["children"][2]["line"],
        first_day=NIGHT,
    )
    services.booking_cancel(actor=alpha["sw"], booking=first, reason="Unwell.")
    services.waiting_list_withdraw(actor=alpha["sw"], entry=entry, reason="Family declined.")
    assert selectors.places_taken(alpha["places"], NIGHT, NIGHT)[NIGHT] == 1


def test_a_day_with_a_free_place_is_booked_not_waited_for(world):
    alpha = world["alpha"]
    with pytest.raises(TransitionNotAllowed):
        services.waiting_list_join(
            actor=alpha["sw"],
            places=alpha["places"],
            line=alpha["children"][0]["line"],
            first_day=NIGHT,
        )


def test_a_cancellation_less_than_two_days_before_is_late(world):
    alpha = world["alpha"]
    tomorrow = FROZEN_TODAY + timedelta(days=1)
    late = services.booking_cancel(
        actor=alpha["sw"], booking=book(alpha, 0, tomorrow), reason="Ill."
    )
    on_time = services.booking_cancel(
        actor=alpha["sw"], booking=book(alpha, 1, FROZEN_TODAY + timedelta(days=2)), reason="Ill."
    )
    assert late.cancelled_late is True
    assert on_time.cancelled_late is False
    with pytest.raises(TransitionNotAllowed):
        services.booking_cancel(actor=alpha["sw"], booking=late, reason="Again.")


# ----------------------------------------------------------------------------------------------
# Delivery


def test_delivered_nights_are_recorded_and_count_towards_the_thresholds(world, frozen_today):  # noqa: F811
    alpha = world["alpha"]
    booking = book(alpha, 0, FROZEN_TODAY, days=3)
    frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=2)))
    with pytest.raises(TransitionNotAllowed):  # the last night ends tomorrow morning
        services.booking_deliver(actor=alpha["sw"], booking=booking)

    frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=3)))
    delivered = services.booking_deliver(actor=alpha["sw"], booking=booking)

    child = alpha["children"][0]["child"]
    assert delivered.status == BookingStatus.DELIVERED
    record = DeliveryRecord.objects.get(pk=delivered.delivery_id)
    assert (record.line_id, record.period_start, record.period_end) == (
        booking.line_id,
        FROZEN_TODAY,
        FROZEN_TODAY + timedelta(days=2),
    )
    nights = list(OvernightStay.objects.filter(child=child).values_list("night", flat=True))
    assert nights == [FROZEN_TODAY + timedelta(days=n) for n in range(3)]
    summary = overnight_selectors.overnight_summary(
        child=child, today=FROZEN_TODAY + timedelta(days=3)
    )
    assert summary.nights_in_12_months == 3


def test_a_delivery_passing_17_nights_in_a_row_waits_for_acknowledgement(world, frozen_today):  # noqa: F811
    alpha = world["alpha"]
    booking = book(alpha, 0, FROZEN_TODAY, days=18)
    frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=18)))
    with pytest.raises(ValidationError) as refused:
        services.booking_deliver(actor=alpha["sw"], booking=booking)
    assert "18 consecutive nights" in str(refused.value)
    assert not OvernightStay.objects.filter(child=alpha["children"][0]["child"]).exists()

    services.booking_deliver(actor=alpha["sw"], booking=booking, acknowledge_threshold=True)
    assert OvernightStay.objects.filter(child=alpha["children"][0]["child"]).count() == 18


def test_delivered_sessions_record_their_hours(world, frozen_today):  # noqa: F811
    alpha = world["alpha"]
    offer = overnight_offer(alpha["commissioner"], "SESSIONS")
    places = hold_places(alpha["commissioner"], offer, places=5, unit=PlaceUnit.SESSION)
    child = make_child(alpha["sw"], first_name="Fay", last_name="Sessions")
    line = make_package(alpha["sw"], alpha["tm"], child, offer).lines.get()
    booking = services.booking_create(
        actor=alpha["sw"], places=places, line=line, first_day=FROZEN_TODAY, days=2
    )
    frozen_today.move_to(london(FROZEN_TODAY + timedelta(days=1)))
    delivered = services.booking_deliver(actor=alpha["sw"], booking=booking)
    assert DeliveryRecord.objects.get(pk=delivered.delivery_id).hours_delivered == 6
    assert not OvernightStay.objects.filter(child=child).exists()


# ----------------------------------------------------------------------------------------------
# Contracts that have ended


def test_nights_past_the_contracts_end_are_refused_until_an_extension_covers_them(two_councils):
    people = two_councils["alpha"]["people"]
    commissioner = people["commissioner"]
    end = FROZEN_TODAY + timedelta(days=20)
    offer = overnight_offer(commissioner, "ENDING", end_date=end, max_extent_date=date(2028, 3, 31))
    places = hold_places(commissioner, offer)
    child = make_child(people["social_worker"], first_name="Gus", last_name="Ending")
    line = make_package(
        people["social_worker"],
        people["team_manager"],
        child,
        offer,
        lines=[{"nights_per_year": 9}],
    ).lines.get()

    def book_on(day):
        return services.booking_create(
            actor=people["social_worker"], places=places, line=line, first_day=day
        )

    assert book_on(end).first_day == end  # the last night of the contract
    with pytest.raises(TransitionNotAllowed) as refused:
        book_on(end + timedelta(days=1))
    assert refused.value.reason == (
        f"The contract for these places ended on {end:%d/%m/%Y} and no approved extension covers "
        "these dates."
    )

    extend_contract(
        commissioner, offer["contract"], to=end + timedelta(days=90), decided_on=FROZEN_TODAY
    )
    places.contract.refresh_from_db()
    assert book_on(end + timedelta(days=1)).first_day == end + timedelta(days=1)
