"""Expiry reminders: the daily job tells the contract manager 12, 6 and 3 months before the end,
once each however often it runs; the reminder shows on their home page until dismissed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from contracts import tasks
from contracts.models import ExpiryReminder
from contracts.services.extensions import (
    extension_create,
    extension_decide,
    extension_record_approval,
    extension_submit,
)
from contracts.services.register import contract_expiry_reminders_send, contract_set_manager
from shortbreaks.councils.models import Role
from shortbreaks.notifications.models import Notification, NotificationStatus
from shortbreaks.notifications.services import notification_deliver
from tests.builders import make_contract
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B

END = date(2026, 3, 31)


@pytest.fixture
def home_panels(settings):
    settings.HOME_PANELS = ["contracts.panels.expiry_notices"]


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def managed(alpha):
    """An active contract ending on END, with alpha's contract manager named on it."""
    contract = make_contract(
        alpha[Role.COMMISSIONER], reference="WCC-RES", title="Residential block", end_date=END
    )
    contract_set_manager(
        actor=alpha[Role.COMMISSIONER], contract=contract, manager=alpha[Role.CONTRACT_MANAGER]
    )
    return contract


# The days exactly 12, 6 and 3 months before END, counted back from it (September has no 31st,
# so the 6-month reminder comes on its last day, the 30th).
FIRST_DAY = {12: date(2025, 3, 31), 6: date(2025, 9, 30), 3: date(2025, 12, 31)}


def _at(months: int) -> date:
    return FIRST_DAY[months]


def _run(today: date, times: int = 3) -> int:
    # Each reminder's email is a notification sent once its transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sum(contract_expiry_reminders_send(today=today) for _ in range(times))


def test_one_reminder_per_threshold_however_often_the_job_runs(managed, alpha):
    manager = alpha[Role.CONTRACT_MANAGER]
    assert _run(END - relativedelta(months=13)) == 0
    assert mail.outbox == []
    for months, expected_mails in ((12, 1), (6, 2), (3, 3)):
        # The day before the threshold, nothing new.
        _run(_at(months) - relativedelta(days=1))
        assert len(mail.outbox) == expected_mails - 1, months
        # From the threshold on, several runs a day for weeks: one reminder only.
        for days in (0, 1, 20):
            _run(_at(months) + relativedelta(days=days))
        assert len(mail.outbox) == expected_mails, months
    assert [m.subject for m in mail.outbox] == ["WCC-RES ends on 31/03/2026"] * 3
    assert all(m.to == [manager.email] for m in mail.outbox)
    assert "about 6 months from now" in mail.outbox[1].body
    reminders = ExpiryReminder.objects.filter(contract=managed)
    assert sorted(r.months_before for r in reminders) == [3, 6, 12]
    assert {r.recipient for r in reminders} == {manager}
    assert {r.end_date for r in reminders} == {END}
    # After the end nothing more is sent.
    assert _run(END + relativedelta(days=1)) == 0
    assert len(mail.outbox) == 3


def test_a_contract_first_seen_late_gets_only_the_nearest_reminder(managed):
    assert _run(END - relativedelta(months=2)) == 1
    assert list(ExpiryReminder.objects.values_list("months_before", flat=True)) == [3]


def test_no_reminder_without_a_contract_manager_or_for_a_draft(alpha):
    commissioner = alpha[Role.COMMISSIONER]
    make_contract(commissioner, reference="NOBODY", end_date=END)
    draft = make_contract(commissioner, reference="DRAFT", end_date=END, active=False)
    contract_set_manager(actor=commissioner, contract=draft, manager=alpha[Role.CONTRACT_MANAGER])
    assert _run(END - relativedelta(months=1)) == 0
    assert not ExpiryReminder.objects.exists()
    assert mail.outbox == []


@pytest.mark.usefixtures("frozen_today")
def test_the_daily_task_sends_once_for_a_contract_ending_soon(alpha):
    commissioner = alpha[Role.COMMISSIONER]
    today = timezone.localdate()
    contract = make_contract(
        commissioner,
        reference="SOON",
        start_date=today - relativedelta(years=1),
        end_date=today + relativedelta(months=5),
        max_extent_date=None,
    )
    contract_set_manager(
        actor=commissioner, contract=contract, manager=alpha[Role.CONTRACT_MANAGER]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.send_expiry_reminders() == 1
        assert tasks.send_expiry_reminders.apply().get() == 0
    assert len(mail.outbox) == 1
    assert ExpiryReminder.objects.get(contract=contract).months_before == 6


# ----------------------------------------------------------------------------------------------
# The notice on the home page


def test_the_notice_shows_on_the_managers_home_page_and_can_be_dismissed(
    home_panels, managed, alpha, client_for
):
    _run(_at(6), times=1)
    client = client_for(alpha[Role.CONTRACT_MANAGER])
    body = client.get(reverse("home")).content.decode()
    assert "Contracts ending soon" in body
    assert "WCC-RES Residential block" in body
    assert "ends on 31 March 2026: 6 months left" in body
    assert reverse("contracts:detail", args=[managed.pk]) in body
    reminder = ExpiryReminder.objects.get()
    dismiss = reverse("contracts:notice-dismiss", args=[reminder.pk])
    assert dismiss in body
    response = client.post(dismiss, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Notice about WCC-RES dismissed." in body
    assert "6 months left" not in body
    reminder.refresh_from_db()
    assert reminder.dismissed_at is not None
    # The next threshold brings a new notice.
    _run(_at(3), times=1)
    assert "3 months left" in client.get(reverse("home")).content.decode()


def test_only_the_nearest_undismissed_notice_shows_and_dismissing_clears_older_ones(
    home_panels, managed, alpha, client_for
):
    _run(_at(12), times=1)
    _run(_at(6), times=1)
    client = client_for(alpha[Role.CONTRACT_MANAGER])
    body = client.get(reverse("home")).content.decode()
    assert "6 months left" in body
    assert "12 months left" not in body
    six = ExpiryReminder.objects.get(months_before=6)
    client.post(reverse("contracts:notice-dismiss", args=[six.pk]))
    assert not ExpiryReminder.objects.filter(dismissed_at__isnull=True).exists()
    assert "Contracts ending soon" not in client.get(reverse("home")).content.decode()


def test_no_notice_for_other_people_and_no_dismissing_theirs(
    home_panels, managed, alpha, two_councils, client_for
):
    _run(_at(6), times=1)
    reminder = ExpiryReminder.objects.get()
    commissioner = client_for(alpha[Role.COMMISSIONER])
    assert "Contracts ending soon" not in commissioner.get(reverse("home")).content.decode()
    bravo_manager = client_for(two_councils["bravo"]["people"][Role.CONTRACT_MANAGER])
    for client in (commissioner, bravo_manager):
        theirs = client.post(reverse("contracts:notice-dismiss", args=[reminder.pk]))
        missing = client.post(reverse("contracts:notice-dismiss", args=[reminder.pk + 1000]))
        assert theirs.status_code == missing.status_code == 404
    reminder.refresh_from_db()
    assert reminder.dismissed_at is None
    # Dismissing is a POST; a link cannot do it.
    manager = client_for(alpha[Role.CONTRACT_MANAGER])
    assert manager.get(reverse("contracts:notice-dismiss", args=[reminder.pk])).status_code == 405


def test_a_notice_about_an_end_date_an_extension_moved_is_not_shown(
    home_panels, managed, alpha, client_for
):
    _run(_at(3), times=1)
    commissioner = alpha[Role.COMMISSIONER]
    extension = extension_create(
        actor=commissioner,
        contract=managed,
        new_end_date=END + relativedelta(years=1),
        added_value=Decimal("250000"),
        rationale="Bridge to the new service.",
        legal_basis="pcr_modification",
    )
    extension_submit(actor=commissioner, extension=extension)
    for role in ("finance", "legal", "procurement"):
        extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=f"Head of {role}",
            decision="approve",
            decided_on=END - relativedelta(months=2),
        )
    extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member",
        decided_on=END - relativedelta(months=2),
    )
    managed.refresh_from_db()
    assert managed.end_date == END + relativedelta(years=1)
    body = client_for(alpha[Role.CONTRACT_MANAGER]).get(reverse("home")).content.decode()
    assert "Contracts ending soon" not in body


def test_the_home_page_holds_nothing_of_another_council(
    home_panels, managed, alpha, two_councils, client_for
):
    bravo = two_councils["bravo"]["people"]
    theirs = make_contract(
        bravo[Role.COMMISSIONER], reference="B-END", title=MARKER_B, end_date=END
    )
    contract_set_manager(
        actor=bravo[Role.COMMISSIONER], contract=theirs, manager=bravo[Role.CONTRACT_MANAGER]
    )
    _run(_at(6), times=1)
    assert ExpiryReminder.objects.count() == 2
    body = client_for(alpha[Role.CONTRACT_MANAGER]).get(reverse("home")).content.decode()
    assert "WCC-RES" in body
    assert MARKER_B not in body
    assert "B-END" not in body


class _RefusingBackend:
    """An email backend whose server refuses one address, as a mail server does on a bad day."""

    refused = "nobody-home@example.org"

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"No such user")})
        return self.inner.send_messages(messages)


def test_a_reminder_that_cannot_be_sent_is_tried_again_and_does_not_stop_the_others(
    managed, alpha, settings, two_councils, make_person
):
    settings.EMAIL_BACKEND = f"{__name__}._RefusingBackend"
    second = make_contract(
        alpha[Role.COMMISSIONER], reference="WCC-SEC", end_date=END
    )  # after WCC-RES
    unlucky = alpha[Role.CONTRACT_MANAGER]
    unlucky.email = _RefusingBackend.refused
    unlucky.save()
    other_manager = make_person(two_councils["alpha"]["council"], Role.CONTRACT_MANAGER)
    contract_set_manager(actor=alpha[Role.COMMISSIONER], contract=second, manager=other_manager)

    # Both reminders are recorded; the refused email waits, with its error, for another try.
    assert _run(_at(12), times=1) == 2
    assert [m.to for m in mail.outbox] == [[other_manager.email]]
    refused = Notification.objects.get(email=unlucky.email)
    assert refused.status == NotificationStatus.QUEUED
    assert "SMTPRecipientsRefused" in refused.error

    # The mail server is back: the notification's next attempt sends it, and only that; the
    # daily job sends nothing more for this threshold.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_deliver(refused.pk) == NotificationStatus.SENT
    assert mail.outbox[-1].to == [unlucky.email]
    assert _run(_at(12) + relativedelta(days=1)) == 0
    assert len(mail.outbox) == 2
    assert ExpiryReminder.objects.filter(contract=managed, months_before=12).count() == 1
