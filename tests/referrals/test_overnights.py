"""The looked-after thresholds: 17 consecutive nights, 75 nights in any 12 months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals.models import OvernightStay
from referrals.overnights import overnight_warnings, stay_nights
from referrals.selectors import overnights as overnight_selectors
from referrals.services import overnights as overnight_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role


def kinds(warnings) -> list[str]:
    return [w.kind for w in warnings]


def five_stays_of_15() -> list[date]:
    """75 nights from 1 June 2024: five 15-night stays a month apart."""
    return [night for month in range(6, 11) for night in stay_nights(date(2024, month, 1), 15)]


@pytest.mark.parametrize(("nights", "expected"), [(16, []), (17, []), (18, ["consecutive"])])
def test_a_single_stay_may_be_17_nights_and_no_more(nights, expected):
    assert kinds(overnight_warnings([], stay_nights(date(2025, 1, 1), nights))) == expected


def test_a_stay_that_joins_an_earlier_one_counts_as_one_run():
    earlier = stay_nights(date(2025, 1, 1), 10)  # 1 to 10 January
    joined = stay_nights(date(2025, 1, 11), 8)  # 11 to 18 January: 18 in a row
    assert kinds(overnight_warnings(earlier, joined)) == ["consecutive"]
    assert overnight_warnings(earlier, joined)[0].nights == 18
    after_a_night_home = stay_nights(date(2025, 1, 12), 8)
    assert overnight_warnings(earlier, after_a_night_home) == []


def test_a_stay_that_fills_a_gap_between_two_runs_joins_them():
    before = stay_nights(date(2025, 1, 1), 8)
    assert overnight_warnings(before + stay_nights(date(2025, 1, 10), 8), [date(2025, 1, 9)]) == []
    after = stay_nights(date(2025, 1, 10), 9)  # 8 + 1 + 9 = 18 in a row
    assert kinds(overnight_warnings(before + after, [date(2025, 1, 9)])) == ["consecutive"]


def test_75_nights_in_12_months_is_allowed_and_76_is_not():
    existing = five_stays_of_15()
    assert len(existing) == 75
    assert overnight_warnings(existing[:-1], existing[-1:]) == []
    warnings = overnight_warnings(existing, [date(2024, 12, 1)])
    assert kinds(warnings) == ["twelve_months"]
    assert warnings[0].nights == 76


def test_the_12_months_roll_night_by_night():
    existing = five_stays_of_15()  # the first night is 1 June 2024
    # 1 June 2025 opens a window from 2 June 2024: 74 earlier nights plus this one.
    assert overnight_warnings(existing, [date(2025, 6, 1)]) == []
    # 31 May 2025 shares a window with 1 June 2024: 76.
    assert kinds(overnight_warnings(existing, [date(2025, 5, 31)])) == ["twelve_months"]


def test_a_new_night_before_earlier_ones_counts_the_windows_after_it():
    existing = five_stays_of_15()
    assert kinds(overnight_warnings(existing, [date(2024, 5, 1)])) == ["twelve_months"]
    assert overnight_warnings(existing, [date(2023, 6, 1)]) == []


def test_both_thresholds_at_once():
    existing = five_stays_of_15()
    new = stay_nights(date(2024, 12, 1), 18)
    assert kinds(overnight_warnings(existing, new)) == ["consecutive", "twelve_months"]


def test_the_service_refuses_a_stay_past_a_threshold_until_it_is_acknowledged(world):
    alpha = world["alpha"]
    sw, child = alpha["sw"], alpha["child"]
    overnight_services.overnight_stay_record(
        actor=sw, child=child, first_night=date(2025, 1, 1), nights=10
    )
    assert (
        overnight_selectors.overnight_stay_warnings(
            actor=sw, child=child, first_night=date(2025, 1, 11), nights=7
        )
        == []
    )
    warned = overnight_selectors.overnight_stay_warnings(
        actor=sw, child=child, first_night=date(2025, 1, 11), nights=8
    )
    assert kinds(warned) == ["consecutive"]
    with pytest.raises(ValidationError) as caught:
        overnight_services.overnight_stay_record(
            actor=sw, child=child, first_night=date(2025, 1, 11), nights=8
        )
    assert "18 consecutive nights" in caught.value.message_dict["acknowledge_threshold"][0]
    assert OvernightStay.objects.filter(child=child).count() == 10
    overnight_services.overnight_stay_record(
        actor=sw, child=child, first_night=date(2025, 1, 11), nights=8, acknowledge_threshold=True
    )
    assert OvernightStay.objects.filter(child=child).count() == 18
    summary = overnight_selectors.overnight_summary(child=child, today=date(2025, 2, 1))
    assert (summary.nights_in_12_months, summary.longest_stay_in_12_months) == (18, 18)
    assert summary.past_threshold


def test_the_service_refuses_nights_already_recorded_and_bad_counts(world):
    alpha = world["alpha"]
    sw, child = alpha["sw"], alpha["child"]
    overnight_services.overnight_stay_record(
        actor=sw, child=child, first_night=date(2025, 1, 1), nights=3
    )
    with pytest.raises(ValidationError) as caught:
        overnight_services.overnight_stay_record(
            actor=sw, child=child, first_night=date(2025, 1, 3), nights=2
        )
    assert "first_night" in caught.value.message_dict
    for nights in (0, -1, 367):
        with pytest.raises(ValidationError):
            overnight_services.overnight_stay_record(
                actor=sw, child=child, first_night=date(2025, 3, 1), nights=nights
            )
    assert OvernightStay.objects.filter(child=child).count() == 3


def test_stays_are_recorded_only_by_the_childs_own_council_and_by_those_who_keep_records(world):
    alpha, bravo = world["alpha"], world["bravo"]
    first = date(2025, 1, 1) + timedelta(days=40)
    with pytest.raises(RecordNotFound):
        overnight_services.overnight_stay_record(
            actor=bravo["sw"], child=alpha["child"], first_night=first, nights=2
        )
    with pytest.raises(PermissionDenied):
        overnight_services.overnight_stay_record(
            actor=alpha["people"][Role.AUDITOR], child=alpha["child"], first_night=first, nights=2
        )
    assert not OvernightStay.objects.exists()
