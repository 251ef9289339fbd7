"""The daily contract jobs as the beat runs them (`contracts.tasks`, which read today's date in
Europe/London), at their boundaries, with the clock moved by time-machine.

A contract runs to the end of its end date and reads expired from the day after, unless an
approved extension moved that date; then it runs, extended, to the new end date. Reminders come on
the day exactly 12, 6 and 3 months before the end, once each however often the job runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase

from contracts import tasks
from contracts.models import ContractEvent, ContractStatus, ExpiryReminder
from contracts.services.extensions import (
    extension_create,
    extension_decide,
    extension_record_approval,
    extension_submit,
)
from contracts.services.register import contract_set_manager, contract_terminate
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.clock import LONDON, london

# Ends on a Tuesday, two days after the clocks went forward: at 00:30 on 1 April in London it is
# still 31 March in UTC.
END = date(2026, 3, 31)
DAY = timedelta(days=1)


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def commissioner(people):
    return people[Role.COMMISSIONER]


def _contract(commissioner, people, *, end: date = END, reference: str = "WCC-RES", **fields):
    """An active contract ending on `end`, with alpha's contract manager named on it."""
    contract = make_contract(
        commissioner,
        reference=reference,
        start_date=date(2023, 4, 1),
        end_date=end,
        max_extent_date=date(2031, 3, 31),
        **fields,
    )
    return contract_set_manager(
        actor=commissioner, contract=contract, manager=people[Role.CONTRACT_MANAGER]
    )


@pytest.fixture
def contract(commissioner, people):
    return _contract(commissioner, people)


def run_the_day(time_machine, day: date, *, times: int = 1) -> tuple[int, int]:
    """One day of the beat: the expiry job at 01:00 and the reminders at 07:00, London time,
    each run `times` times. Gives (contracts expired, reminders sent)."""
    time_machine.move_to(london(day, 1), tick=False)
    expired = sum(tasks.expire_contracts() for _ in range(times))
    time_machine.move_to(london(day, 7), tick=False)
    # Each reminder's email is a notification sent once its transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = sum(tasks.send_expiry_reminders() for _ in range(times))
    return expired, sent


def status_of(contract) -> str:
    contract.refresh_from_db()
    return contract.status


def extend(commissioner, contract, *, to: date, decision: str = "approve", decided_on=END - DAY):
    """An extension to `to`, taken as far as the decision (or left submitted if decision="")."""
    extension = extension_create(
        actor=commissioner,
        contract=contract,
        new_end_date=to,
        added_value=Decimal("250000"),
        rationale="Bridge to the new service.",
        legal_basis="pcr_modification",
    )
    extension = extension_submit(actor=commissioner, extension=extension)
    if not decision:
        return extension
    for role in ("finance", "legal", "procurement"):
        extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=f"Head of {role}",
            decision="approve",
            decided_on=decided_on,
        )
    return extension_decide(
        actor=commissioner,
        extension=extension,
        decision=decision,
        decision_maker="Cabinet member",
        decided_on=decided_on,
    )


# ----------------------------------------------------------------------------------------------
# Expiry


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (END - DAY, ContractStatus.ACTIVE),
        (END, ContractStatus.ACTIVE),
        (END + DAY, ContractStatus.EXPIRED),
    ],
    ids=["day-before-the-end", "the-end-date", "day-after"],
)
def test_a_contract_runs_through_its_end_date_and_expires_the_day_after(
    time_machine, contract, day, status
):
    expired, _ = run_the_day(time_machine, day, times=2)
    assert status_of(contract) == status
    assert expired == (1 if status == ContractStatus.EXPIRED else 0)
    events = ContractEvent.objects.filter(contract=contract, params__status="expired")
    assert events.count() == expired
    assert all(e.summary.startswith("Expired: the end date") for e in events)


def test_the_day_is_londons_not_utcs(time_machine, contract):
    # 23:30 on the end date in London: still running.
    time_machine.move_to(london(END, 23, 30), tick=False)
    assert tasks.expire_contracts() == 0
    assert status_of(contract) == ContractStatus.ACTIVE
    # 00:30 the next day in London is 23:30 on the end date in UTC: London's day counts.
    time_machine.move_to(london(END + DAY, 0, 30), tick=False)
    assert tasks.expire_contracts() == 1
    assert status_of(contract) == ContractStatus.EXPIRED


def test_an_expired_contract_is_expired_once_however_often_the_job_runs(time_machine, contract):
    assert run_the_day(time_machine, END + DAY, times=3)[0] == 1
    for later in (END + 2 * DAY, END + timedelta(days=40), date(2027, 4, 1)):
        assert run_the_day(time_machine, later, times=2) == (0, 0)
    assert status_of(contract) == ContractStatus.EXPIRED
    # "Made active." and "Expired: ...".
    assert ContractEvent.objects.filter(contract=contract, kind="status").count() == 2


def test_an_approved_extension_keeps_the_contract_running_until_its_new_end_date(
    time_machine, commissioner, contract
):
    new_end = date(2027, 3, 31)
    time_machine.move_to(london(END - DAY), tick=False)
    extend(commissioner, contract, to=new_end)
    for day in (END, END + DAY, new_end - DAY, new_end):
        run_the_day(time_machine, day, times=2)
        assert status_of(contract) == ContractStatus.EXTENDED, day
        assert contract.end_date == new_end
    run_the_day(time_machine, new_end + DAY, times=2)
    assert status_of(contract) == ContractStatus.EXPIRED


@pytest.mark.parametrize("decision", ["", "refuse"], ids=["awaiting-decision", "refused"])
def test_an_extension_not_approved_does_not_keep_the_contract_running(
    time_machine, commissioner, contract, decision
):
    time_machine.move_to(london(END - DAY), tick=False)
    extend(commissioner, contract, to=date(2027, 3, 31), decision=decision)
    run_the_day(time_machine, END, times=2)
    assert status_of(contract) == ContractStatus.ACTIVE
    run_the_day(time_machine, END + DAY, times=2)
    assert status_of(contract) == ContractStatus.EXPIRED
    assert contract.end_date == END


def test_an_extension_approved_after_the_end_brings_the_contract_back_until_the_new_date(
    time_machine, commissioner, contract
):
    run_the_day(time_machine, END + DAY)
    assert status_of(contract) == ContractStatus.EXPIRED
    new_end = date(2026, 9, 30)
    time_machine.move_to(london(END + 10 * DAY), tick=False)
    extend(commissioner, contract, to=new_end, decided_on=END + 10 * DAY)
    for day in (END + 11 * DAY, new_end):
        run_the_day(time_machine, day, times=2)
        assert status_of(contract) == ContractStatus.EXTENDED, day
    run_the_day(time_machine, new_end + DAY)
    assert status_of(contract) == ContractStatus.EXPIRED


def test_an_extension_to_a_date_already_past_leaves_the_contract_expired_at_the_next_run(
    time_machine, commissioner, contract
):
    # Recording history (as the demo seed does): approved in 2026 for a date that has passed.
    time_machine.move_to(london(date(2026, 6, 15)), tick=False)
    extend(commissioner, contract, to=date(2026, 5, 31), decided_on=date(2026, 3, 20))
    assert status_of(contract) == ContractStatus.EXTENDED
    run_the_day(time_machine, date(2026, 6, 16))
    assert status_of(contract) == ContractStatus.EXPIRED


def test_drafts_and_terminated_contracts_are_left_as_they_are(time_machine, commissioner, people):
    draft = make_contract(commissioner, reference="DRAFT", end_date=END, active=False)
    ended = _contract(commissioner, people, reference="TERM")
    contract_terminate(actor=commissioner, contract=ended, on=END - DAY, reason="Closed")
    run_the_day(time_machine, END + timedelta(days=30))
    assert status_of(draft) == ContractStatus.DRAFT
    assert status_of(ended) == ContractStatus.TERMINATED


# ----------------------------------------------------------------------------------------------
# Reminders

REMINDED_END = date(2027, 3, 31)
# Exactly 12, 6 and 3 months before 31 March 2027: 30 September, as there is no 31st.
THRESHOLDS = {12: date(2026, 3, 31), 6: date(2026, 9, 30), 3: date(2026, 12, 31)}


@pytest.fixture
def reminded(commissioner, people):
    return _contract(commissioner, people, reference="MC-SLA", end=REMINDED_END)


@pytest.mark.parametrize("months", [12, 6, 3])
def test_a_reminder_comes_exactly_on_its_threshold_day_and_not_the_day_before(
    time_machine, reminded, months
):
    threshold = THRESHOLDS[months]
    earlier = [m for m in THRESHOLDS if m > months]
    for m in earlier:  # the job ran on the earlier thresholds
        run_the_day(time_machine, THRESHOLDS[m])
    assert run_the_day(time_machine, threshold - DAY, times=2) == (0, 0)
    assert len(mail.outbox) == len(earlier)
    assert run_the_day(time_machine, threshold, times=2) == (0, 1)
    reminder = ExpiryReminder.objects.get(contract=reminded, months_before=months)
    assert reminder.end_date == REMINDED_END
    assert f"about {months} months from now" in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "MC-SLA ends on 31/03/2027"


def test_each_reminder_is_sent_once_running_twice_a_day_and_on_every_later_day(
    time_machine, reminded, people
):
    sent_on = {}
    day = REMINDED_END - timedelta(days=400)
    while day <= REMINDED_END + timedelta(days=3):
        expired, sent = run_the_day(time_machine, day, times=2)
        if sent:
            sent_on[day] = sent
        day += DAY
    assert sent_on == {THRESHOLDS[12]: 1, THRESHOLDS[6]: 1, THRESHOLDS[3]: 1}
    reminders = ExpiryReminder.objects.filter(contract=reminded).order_by("sent_at")
    assert [r.months_before for r in reminders] == [12, 6, 3]
    assert [r.sent_at.astimezone(LONDON).date() for r in reminders] == [
        THRESHOLDS[12],
        THRESHOLDS[6],
        THRESHOLDS[3],
    ]
    assert [m.to for m in mail.outbox] == [[people[Role.CONTRACT_MANAGER].email]] * 3
    assert status_of(reminded) == ContractStatus.EXPIRED


@pytest.mark.parametrize(
    ("end", "thresholds"),
    [
        # The 31st of a month after a shorter one: the threshold is that month's last day.
        (date(2027, 8, 31), {12: date(2026, 8, 31), 6: date(2027, 2, 28), 3: date(2027, 5, 31)}),
        # 29 February: a year before is 28 February.
        (date(2028, 2, 29), {12: date(2027, 2, 28), 6: date(2027, 8, 29), 3: date(2027, 11, 29)}),
    ],
    ids=["31-august", "29-february"],
)
def test_thresholds_count_back_from_the_end_date_at_month_ends(
    time_machine, commissioner, people, end, thresholds
):
    contract = _contract(commissioner, people, reference="MONTH-END", end=end)
    for months, threshold in thresholds.items():
        assert run_the_day(time_machine, threshold - DAY, times=2) == (0, 0), months
        assert run_the_day(time_machine, threshold, times=2) == (0, 1), months
        assert run_the_day(time_machine, threshold + DAY) == (0, 0), months
    assert sorted(
        ExpiryReminder.objects.filter(contract=contract).values_list("months_before", flat=True)
    ) == [3, 6, 12]


def test_a_contract_first_seen_between_thresholds_gets_the_nearest_one_only(time_machine, reminded):
    assert run_the_day(time_machine, date(2026, 11, 15), times=2) == (0, 1)
    assert list(ExpiryReminder.objects.values_list("months_before", flat=True)) == [6]
    assert run_the_day(time_machine, date(2026, 11, 16)) == (0, 0)
    assert run_the_day(time_machine, THRESHOLDS[3]) == (0, 1)


def test_an_approved_extension_arms_the_reminders_again_for_the_new_end_date(
    time_machine, commissioner, reminded
):
    for months in (12, 6, 3):
        run_the_day(time_machine, THRESHOLDS[months])
    new_end = date(2028, 3, 31)
    time_machine.move_to(london(date(2027, 1, 10)), tick=False)
    extend(commissioner, reminded, to=new_end, decided_on=date(2027, 1, 10))
    # 12 months before the new end date is the old end date: the new date's first reminder.
    assert run_the_day(time_machine, REMINDED_END - DAY) == (0, 0)
    assert run_the_day(time_machine, REMINDED_END, times=2) == (0, 1)
    latest = ExpiryReminder.objects.filter(contract=reminded).order_by("-id").first()
    assert (latest.months_before, latest.end_date) == (12, new_end)
    # The old end date has passed: no expiry, nothing more.
    assert run_the_day(time_machine, REMINDED_END + DAY, times=2) == (0, 0)
    assert status_of(reminded) == ContractStatus.EXTENDED
    assert len(mail.outbox) == 4
