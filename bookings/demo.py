"""Demo block places: Medway's ROCC (the service level agreement with Rivermead Inclusive Trust).

Three beds a night at ROCC, booked at weekends over the last three months for the children whose
packages run on the ROCC lot: most nights delivered (so they are the children's overnight stays),
one cancelled late, one night full, and next Saturday full with a child on the waiting list.
Made-up children, through the same services people use. Run again, it changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from bookings import services
from bookings.models import BlockPlaces, PlaceUnit
from contracts.models import Award
from providers.demo import demo_actor
from referrals import demo as referrals_demo
from referrals.models import Child, PackageLine, PackageStatus
from shortbreaks.councils.models import Role

REFERENCE = "MC-SLA-ROCC-2024"
BEDS = 3

# Children referred through the Access to Resources Panel for overnight respite at ROCC.
ROCC_STORIES = [
    referrals_demo.Story(
        number,
        "MCR",
        ages=(8, 16),
        request="Overnight respite at ROCC at weekends through the Access to Resources Panel.",
        days_ago=240 - 20 * number,
        lines=[referrals_demo.Line("ROCC respite sessions", nights=36, rate="310.00")],
    )
    for number in (1, 2, 3)
]


def _rocc_award() -> Award | None:
    return (
        Award.objects.filter(
            council__slug="medway",
            lot__contract__reference=REFERENCE,
            provider__name="Rivermead Inclusive Trust",
        )
        .select_related("lot__contract", "provider")
        .first()
    )


def _lines(places: BlockPlaces) -> list[PackageLine]:
    return list(
        PackageLine.objects.filter(
            council_id=places.council_id,
            lot_id=places.lot_id,
            provider_id=places.provider_id,
            package__status=PackageStatus.ACTIVE,
            end_on__isnull=True,
        )
        .select_related("package__child")
        .order_by("package__child__council_child_id")
    )


def _saturdays(today: date, weeks: int) -> list[date]:
    last = today - timedelta(days=(today.weekday() - 5) % 7 or 7)  # the last Saturday gone
    return [last - timedelta(weeks=n) for n in range(weeks)][::-1]


def seed(*, password: str) -> list[tuple[str, str]]:
    award = _rocc_award()
    if award is None or BlockPlaces.objects.filter(award=award).exists():
        return []
    today = timezone.localdate()
    place = referrals_demo._place("medway", today)
    existing = set(
        Child.objects.filter(council=place.council).values_list("council_child_id", flat=True)
    )
    for story in ROCC_STORIES:
        if f"{story.prefix}-{story.number:04d}" not in existing:
            referrals_demo._story(place, story)
    places = services.block_places_set(
        actor=demo_actor("medway", Role.CONTRACT_MANAGER),
        award=award,
        unit=PlaceUnit.NIGHT,
        places=BEDS,
    )
    social_worker = demo_actor("medway", Role.SOCIAL_WORKER)
    lines = _lines(places)
    if len(lines) < BEDS + 1:
        return []
    saturdays = _saturdays(today, 13)
    full_saturday = saturdays[-4]
    late_saturday = saturdays[-7]
    bookings = []
    for index, saturday in enumerate(saturdays):
        friday = saturday - timedelta(days=1)
        if saturday == full_saturday:
            chosen = lines[:BEDS]
        else:
            chosen = [lines[index % len(lines)], lines[(index + 2) % len(lines)]]
        for n, line in enumerate(chosen):
            start, nights = (friday, 2) if n == 0 and saturday != full_saturday else (saturday, 1)
            if line.start_on > start:
                continue
            booking = services.booking_create(
                actor=social_worker,
                places=places,
                line=line,
                first_day=start,
                days=nights,
                today=start - timedelta(days=14),
            )
            bookings.append((saturday, n, booking))
    for saturday, n, booking in bookings:
        if saturday == late_saturday and n == 1:
            services.booking_cancel(
                actor=social_worker,
                booking=booking,
                reason="The child was unwell; the family rang on the Friday evening.",
                today=saturday - timedelta(days=1),
            )
        else:
            services.booking_deliver(actor=social_worker, booking=booking)
    # Next Saturday is full, and a fourth child waits for a bed.
    next_saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    for line in lines[:BEDS]:
        services.booking_create(
            actor=social_worker, places=places, line=line, first_day=next_saturday, today=today
        )
    services.waiting_list_join(
        actor=social_worker,
        places=places,
        line=lines[BEDS],
        first_day=next_saturday,
        today=today,
    )
    return []
