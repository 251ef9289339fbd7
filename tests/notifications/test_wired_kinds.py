"""The notifications the brokerage, bookings and outcome surveys send: each queued only after
its transaction commits, to the right person, and carrying no child's or carer's name."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from brokerage import tasks as brokerage_tasks
from brokerage.models import BrokerageResponse
from brokerage.services.answers import brokerage_response_record
from brokerage.services.awards import brokerage_request_award
from brokerage.services.requests import brokerage_request_withdraw
from referrals.services import carers as carer_services
from referrals.services import parents as parent_services
from shortbreaks.notifications import services as notifications
from shortbreaks.notifications.models import Notification, NotificationKind
from tests.bookings.builders import book, booking_world
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.brokerage.test_api import provider_user
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.outcomes.builders import make_survey, outcomes_world

pytestmark = pytest.mark.usefixtures("frozen_today")

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)
PRIVATE = ("Isabella", "Featherstonehaugh", "Gwendoline", "9AB", "Orchard")


def _text(rows) -> str:
    return " ".join(str(row.params) for row in rows)


@pytest.fixture
def brokerage(two_councils):
    return brokerage_world(two_councils["alpha"]["people"], "A")


def test_an_answer_tells_the_social_worker_who_raised_the_request_after_commit(
    brokerage, django_capture_on_commit_callbacks
):
    request = sent_request(brokerage, today=TODAY, deadline=DEADLINE)
    with (
        mock.patch.object(notifications, "notification_queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer(brokerage, request, brokerage["providers"][0], "25.00", today=TODAY)
        queue.assert_not_called()
    (row,) = Notification.objects.filter(kind=NotificationKind.BROKERAGE_ANSWER)
    queue.assert_called_once_with([row.pk])
    assert row.recipient == brokerage["sw"]
    assert row.params["reference"] == str(request.pk)
    assert row.params["path"] == f"/brokerage/{request.pk}/"
    assert not any(word in _text([row]) for word in PRIVATE)


def test_an_answer_the_social_worker_records_themselves_tells_no_one(brokerage):
    request = sent_request(brokerage, today=TODAY, deadline=DEADLINE)
    brokerage_response_record(
        actor=brokerage["sw"],
        request=request,
        provider=brokerage["providers"][0],
        can_meet=False,
        today=TODAY,
    )
    assert not Notification.objects.filter(kind=NotificationKind.BROKERAGE_ANSWER).exists()


def test_the_award_tells_each_provider_its_outcome_and_marks_it_told(
    brokerage, django_capture_on_commit_callbacks
):
    request = sent_request(brokerage, today=TODAY, deadline=DEADLINE)
    first, second, _ = brokerage["providers"]
    chosen_staff = provider_user(brokerage, second)
    other_staff = provider_user(brokerage, first)
    chosen = answer(brokerage, request, second, "26.40", today=TODAY)
    other = answer(brokerage, request, first, "25.00", today=TODAY)
    with (
        mock.patch.object(brokerage_tasks.mark_outcome_notified, "delay") as marked,
        django_capture_on_commit_callbacks(execute=True),
    ):
        brokerage_request_award(
            actor=brokerage["commissioner"], request=request, response=chosen, today=TODAY
        )
        marked.assert_not_called()
    rows = Notification.objects.filter(kind=NotificationKind.BROKERAGE_OUTCOME)
    told = {row.recipient: row.params["decision"] for row in rows}
    assert told == {chosen_staff: "awarded", other_staff: "not chosen"}
    assert sorted(call.args[0] for call in marked.call_args_list) == sorted([chosen.pk, other.pk])
    assert not any(word in _text(rows) for word in PRIVATE)
    # The task records it, once.
    brokerage_tasks.mark_outcome_notified(chosen.pk, request.council_id)
    assert BrokerageResponse.objects.get(pk=chosen.pk).outcome_notified_at is not None
    subjects = [m.subject for m in mail.outbox if "outcome of your answer" in m.subject]
    assert len(subjects) == 2


def test_a_provider_with_no_staff_account_is_told_at_its_contact_address(brokerage):
    request = sent_request(brokerage, today=TODAY, deadline=DEADLINE)
    provider = brokerage["providers"][0]
    provider.contact_email = "bookings@member-one.example"
    provider.save(update_fields=["contact_email"])
    answer(brokerage, request, provider, "25.00", today=TODAY)
    brokerage_request_withdraw(
        actor=brokerage["commissioner"], request=request, reason="No longer needed.", today=TODAY
    )
    (row,) = Notification.objects.filter(kind=NotificationKind.BROKERAGE_OUTCOME)
    assert row.recipient is None
    assert row.email == "bookings@member-one.example"
    assert row.params["decision"] == "request closed without an award"


def test_a_booking_tells_the_childs_family_account_after_commit(
    two_councils, django_capture_on_commit_callbacks
):
    world = booking_world(two_councils)
    alpha = world["alpha"]
    child = alpha["children"][0]["child"]
    carer = carer_services.carer_add(
        actor=alpha["sw"], child=child, name="Robin Carer", relationship="mother"
    )
    account = parent_services.parent_account_create(
        council=alpha["council"],
        email="robin@example.org",
        password="kettle-harbour-violet-29",
        first_name="Robin",
        last_name="Carer",
    )
    parent = parent_services.parent_account_confirm(account=account).user
    carer_services.carer_account_link(actor=alpha["sw"], carer=carer, email=parent.email)
    with (
        mock.patch.object(notifications, "notification_queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        booking = book(alpha, 0, TODAY + timedelta(days=10))
        queue.assert_not_called()
    (row,) = Notification.objects.filter(kind=NotificationKind.BOOKING_CONFIRMED)
    queue.assert_called_once_with([row.pk])
    assert row.recipient == parent
    assert row.params["reference"] == f"B-{booking.pk}"
    assert row.params["path"] == f"/statements/alpha/account/children/{child.pk}/"
    assert child.first_name not in _text([row]) and child.last_name not in _text([row])
    # A child with no family account: nobody to tell.
    book(alpha, 1, TODAY + timedelta(days=12))
    assert Notification.objects.filter(kind=NotificationKind.BOOKING_CONFIRMED).count() == 1


def test_a_survey_invitation_goes_by_notification_with_the_links_and_no_name(
    two_councils, django_capture_on_commit_callbacks
):
    world = outcomes_world(two_councils)
    alpha = world["alpha"]
    with (
        mock.patch.object(notifications, "notification_queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_survey(alpha)
        queue.assert_not_called()
    (row,) = Notification.objects.filter(kind=NotificationKind.SURVEY_INVITATION)
    queue.assert_called_once_with([row.pk])
    assert row.email == "alex@alpha.example" and row.recipient is None
    links = re.findall(r"/outcomes/alpha/answer/[^\s']+/", _text([row]))
    assert len(links) == 2
    child = alpha["child"]
    for private in (child.first_name, child.last_name, "Alex"):
        assert private not in _text([row])
