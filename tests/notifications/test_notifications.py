"""Notifications: written in the caller's transaction, queued only once it commits, sent once,
tried again and then marked failed, sent by GOV.UK Notify when a key is set, only to people who
have not turned that kind off, and never carrying a child's name or NHS number."""

from __future__ import annotations

import smtplib
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from referrals.models import PanelOutcome
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from referrals.services import grants as grant_services
from referrals.services import packages as package_services
from referrals.services import parents as parent_services
from shortbreaks.celery import ScopedTask
from shortbreaks.councils.models import Role
from shortbreaks.notifications import services
from shortbreaks.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
)
from shortbreaks.notifications.tasks import deliver_notification
from statements import services as statement_services
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module
from tests.referrals.builders import (
    build_world,
    completed_assessment,
    make_package,
    nhs_number,
)
from tests.statements.statement_builders import (
    TODAY,
    complete_draft,
    make_grant_scheme,
    offer_every_category,
)

PARENT_PASSWORD = "kettle-harbour-violet-29"
NHS = nhs_number("943476591")


def _build_world(two_councils) -> dict:
    world = build_world(two_councils)
    for slug in ("alpha", "bravo"):
        place = world[slug]
        child_services.child_update(actor=place["sw"], child=place["child"], nhs_number=NHS)
        place["carer"] = carer_services.carer_add(
            actor=place["sw"], child=place["child"], name=f"Robin {slug}", relationship="mother"
        )
        account = parent_services.parent_account_create(
            council=place["council"],
            email=f"parent.{slug}@example.org",
            password=PARENT_PASSWORD,
            first_name="Robin",
            last_name=slug,
        )
        place["parent"] = parent_services.parent_account_confirm(account=account).user
        carer_services.carer_account_link(
            actor=place["sw"], carer=place["carer"], email=place["parent"].email
        )
    return world


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def _send(place, kind=NotificationKind.PANEL_DECISION, recipients=None):
    return services.notification_send(
        council=place["council"],
        kind=kind,
        recipients=recipients if recipients is not None else [place["sw"]],
        params={"reference": "P-1", "path": "/packages/1/", "decision": "approved"},
    )


def _bodies() -> str:
    return "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)


def _assert_no_personal_data(text: str, child) -> None:
    for private in (child.first_name, child.last_name, NHS, "Robin"):
        assert private not in text


# ----------------------------------------------------------------------------------------------
# Queued after commit, sent once


def test_sending_is_queued_only_after_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    place = world["alpha"]
    with (
        mock.patch.object(services, "notification_queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = _send(place)
        queue.assert_not_called()  # written, not yet queued
    queue.assert_called_once_with([row.pk for row in rows])
    assert [row.status for row in rows] == [NotificationStatus.QUEUED]


def test_nothing_is_queued_or_kept_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    place = world["alpha"]
    with (
        mock.patch.object(services, "notification_queue") as queue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        with pytest.raises(RuntimeError), transaction.atomic():
            _send(place)
            raise RuntimeError("the caller's write failed")
    assert callbacks == []
    queue.assert_not_called()
    assert not Notification.objects.exists()


def test_the_queue_sends_each_row_to_the_task(monkeypatch):
    monkeypatch.undo()  # the suite's in-process delivery: here, the real queue
    with mock.patch.object(deliver_notification, "delay") as delay:
        services.notification_queue([4, 5])
    assert delay.call_args_list == [mock.call(4), mock.call(5)]


def test_the_task_carries_the_council_scope():
    assert isinstance(deliver_notification, ScopedTask)


def test_a_notification_is_sent_once_however_often_it_is_delivered(world):
    place = world["alpha"]
    (row,) = _send(place)
    assert services.notification_deliver(row.pk) == NotificationStatus.SENT
    # A re-delivered message (a worker's ack lost) finds it sent and does nothing.
    assert deliver_notification.apply(args=[row.pk]).get() == NotificationStatus.SENT
    assert services.notification_deliver(row.pk) == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [place["sw"].email]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert row.sent_at is not None


def test_a_row_another_attempt_is_sending_is_left_alone(world):
    (row,) = _send(world["alpha"])
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING, attempts=1)
    assert services.notification_deliver(row.pk) == NotificationStatus.SENDING
    assert mail.outbox == []


def test_a_failing_send_is_tried_again_then_recorded_as_failed(world, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    (row,) = _send(world["alpha"])
    refused = smtplib.SMTPServerDisconnected("the mail server went away")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused) as send:
        # The task retries (with back-off: run here one after another) until the last attempt.
        assert deliver_notification.apply(args=[row.pk]).get() == NotificationStatus.FAILED
    assert send.call_count == 3
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
    assert "the mail server went away" in row.error
    # A failed row is not tried again.
    assert services.notification_deliver(row.pk) == NotificationStatus.FAILED
    assert mail.outbox == []


def test_after_a_failed_attempt_the_next_one_sends_it(world):
    (row,) = _send(world["alpha"])
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        services.notification_deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (NotificationStatus.QUEUED, 1, "OSError: down")
    assert services.notification_deliver(row.pk) == NotificationStatus.SENT
    row.refresh_from_db()
    assert (row.attempts, row.error) == (2, "")
    assert len(mail.outbox) == 1


def test_the_back_off_doubles():
    from shortbreaks.notifications.tasks import _backoff

    assert [_backoff(n) for n in range(4)] == [60, 120, 240, 480]


# ----------------------------------------------------------------------------------------------
# GOV.UK Notify


@pytest.fixture
def notify_client():
    with mock.patch("notifications_python_client.notifications.NotificationsAPIClient") as client:
        client.return_value.send_email_notification.return_value = {"id": "notify-123"}
        yield client


def test_with_a_key_notify_sends_it_with_the_kinds_own_template(world, settings, notify_client):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_TEMPLATE_ID = "generic-template"
    settings.NOTIFY_TEMPLATE_IDS = {"panel_decision": "panel-template"}
    (row,) = _send(world["alpha"])
    assert services.notification_deliver(row.pk) == NotificationStatus.SENT
    notify_client.assert_called_once_with("test-key")
    call = notify_client.return_value.send_email_notification.call_args
    assert call.kwargs["template_id"] == "panel-template"
    assert call.kwargs["email_address"] == world["alpha"]["sw"].email
    assert call.kwargs["reference"] == f"notification-{row.pk}"
    personalisation = call.kwargs["personalisation"]
    assert personalisation["reference"] == "P-1"
    assert personalisation["link"].endswith("/packages/1/")
    assert "P-1" in personalisation["subject"]
    assert "approved" in personalisation["body"]
    assert mail.outbox == []  # not by email as well
    row.refresh_from_db()
    assert row.provider_id == "notify-123"


def test_a_kind_without_its_own_template_uses_the_generic_one(world, settings, notify_client):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_TEMPLATE_ID = "generic-template"
    settings.NOTIFY_TEMPLATE_IDS = {}
    (row,) = _send(world["alpha"])
    services.notification_deliver(row.pk)
    call = notify_client.return_value.send_email_notification.call_args
    assert call.kwargs["template_id"] == "generic-template"


def test_a_notify_error_is_recorded_for_the_next_attempt(world, settings, notify_client):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_TEMPLATE_ID = "generic-template"
    notify_client.return_value.send_email_notification.side_effect = RuntimeError("Notify 500")
    (row,) = _send(world["alpha"])
    with pytest.raises(RuntimeError):
        services.notification_deliver(row.pk)
    row.refresh_from_db()
    assert row.status == NotificationStatus.QUEUED
    assert "Notify 500" in row.error


# ----------------------------------------------------------------------------------------------
# What a message may carry


def test_a_name_has_no_param_to_travel_in(world):
    with pytest.raises(ValueError, match="child_name"):
        services.notification_send(
            council=world["alpha"]["council"],
            kind=NotificationKind.PANEL_DECISION,
            recipients=[world["alpha"]["sw"]],
            params={"reference": "P-1", "child_name": "Sam"},
        )


# ----------------------------------------------------------------------------------------------
# The features that send them


def test_a_completed_assessment_tells_the_other_team_managers_without_naming_the_child(
    world, make_person, django_capture_on_commit_callbacks
):
    place = world["alpha"]
    second_manager = make_person(place["council"], Role.TEAM_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        assessment = completed_assessment(place["tm"], place["child"])
    # The manager who completed it cannot authorise it: only the other one is told.
    assert [m.to for m in mail.outbox] == [[second_manager.email]]
    message = mail.outbox[0]
    assert f"A-{assessment.pk}" in message.subject
    assert reverse("referrals:assessment", args=[assessment.pk]) in message.body
    _assert_no_personal_data(_bodies(), place["child"])
    assert MARKER_B not in _bodies()


def test_a_social_workers_completed_assessment_tells_every_team_manager(
    world, django_capture_on_commit_callbacks
):
    place = world["alpha"]
    with django_capture_on_commit_callbacks(execute=True):
        completed_assessment(place["sw"], place["child"])
    assert [m.to for m in mail.outbox] == [[place["tm"].email]]
    # Nothing for the other council's team manager.
    assert not Notification.objects.filter(council=world["bravo"]["council"]).exists()


def test_a_panel_decision_tells_the_childs_social_worker(world, django_capture_on_commit_callbacks):
    place = world["alpha"]
    package = make_package(
        place["sw"], place["tm"], place["child"], place["offer"], status="proposed"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        package_services.panel_decision_record(
            actor=place["tm"],
            package=package,
            decision=PanelOutcome.APPROVED,
            reasons=f"Meets the criteria for {place['child'].first_name}.",
            decided_on=date(2025, 2, 20),
            members=["Head of Service"],
        )
    assert [m.to for m in mail.outbox] == [[place["sw"].email]]
    assert f"P-{package.pk}" in mail.outbox[0].subject
    assert "approved" in mail.outbox[0].body
    # The panel's reasons name the child; the message does not carry them.
    _assert_no_personal_data(_bodies(), place["child"])


def test_a_grant_decision_tells_the_family_through_their_account(
    world, django_capture_on_commit_callbacks
):
    place = world["alpha"]
    scheme = make_grant_scheme(place["sw"])
    application = grant_services.grant_application_create(
        actor=place["sw"], child=place["child"], scheme=scheme, received_on=TODAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        grant_services.grant_application_decide(
            actor=place["sw"],
            application=application,
            decision="approved",
            decided_on=TODAY,
            amount=Decimal("250"),
        )
    assert [m.to for m in mail.outbox] == [[place["parent"].email]]
    link = reverse("statements:account-application", args=["alpha", application.pk])
    assert link in mail.outbox[0].body
    assert MARKER_A in mail.outbox[0].subject  # the council's name, not the child's
    _assert_no_personal_data(_bodies(), place["child"])
    assert "250" not in _bodies()  # the amount is on the account page, after sign-in


def test_a_consultation_and_a_publication_tell_the_councils_parent_carers(
    world, django_capture_on_commit_callbacks
):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    offer_every_category(commissioner, "Alpha")
    version = complete_draft(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        statement_services.statement_consultation_start(
            actor=commissioner, version=version, closes_on=date(2025, 7, 1), today=TODAY
        )
    assert [m.to for m in mail.outbox] == [[world["alpha"]["parent"].email]]
    assert "1 July 2025" in mail.outbox[0].body
    assert reverse("statements:statement-consultation", args=["alpha"]) in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        statement_services.statement_publish(
            actor=commissioner,
            version=version,
            today=date(2025, 7, 2),
        )
    published = [m for m in mail.outbox if "published" in m.subject]
    assert [m.to for m in published] == [[world["alpha"]["parent"].email]]
    assert world["bravo"]["parent"].email not in {a for m in mail.outbox for a in m.to}


def test_a_booking_confirmation_goes_to_the_family(world, django_capture_on_commit_callbacks):
    from referrals.notify import notify_booking_confirmed

    place = world["alpha"]
    with django_capture_on_commit_callbacks(execute=True):
        notify_booking_confirmed(child=place["child"], reference="B-7", path="/bookings/7/")
    assert [m.to for m in mail.outbox] == [[place["parent"].email]]
    assert "B-7" in mail.outbox[0].subject


# ----------------------------------------------------------------------------------------------
# Preferences


def test_a_person_who_turned_a_kind_off_is_not_sent_it(world, django_capture_on_commit_callbacks):
    place = world["alpha"]
    services.notification_preferences_set(
        actor=place["tm"], council=place["council"], audience="staff", chosen=["panel_decision"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        completed_assessment(place["sw"], place["child"])
    assert mail.outbox == []
    assert not Notification.objects.exists()
    # The other kinds stay on.
    assert [r.email for r in _send(place, recipients=[place["tm"]])] == [place["tm"].email]


def test_a_choice_in_one_council_leaves_another_alone(world):
    place = world["alpha"]
    NotificationPreference.objects.create(
        council=world["bravo"]["council"],
        user=place["sw"],
        kind=NotificationKind.PANEL_DECISION,
        email=False,
    )
    assert len(_send(place)) == 1


def test_the_staff_page_shows_and_saves_the_choices(world, client_for):
    place = world["alpha"]
    client = client_for(place["sw"])
    url = reverse("notifications:preferences")
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "A contract you manage is ending" in body
    assert "short break grant" not in body  # the families' kinds are theirs
    answer = client.post(url, {"kinds": ["panel_decision"]})
    assert answer.status_code == 302
    chosen = dict(
        NotificationPreference.objects.filter(user=place["sw"]).values_list("kind", "email")
    )
    assert chosen == {
        "assessment_to_authorise": False,
        "panel_decision": True,
        "contract_ending": False,
        "brokerage_answer": False,
        "brokerage_outcome": False,
    }
    assert {p.council_id for p in NotificationPreference.objects.all()} == {place["council"].pk}


def test_the_staff_page_refuses_bad_input_and_changes_nothing(world, client_for):
    client = client_for(world["alpha"]["sw"])
    answer = client.post(reverse("notifications:preferences"), {"kinds": ["grant_decision"]})
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_staff_page_needs_a_sign_in_and_a_staff_role(world, client):
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 302
    client.force_login(world["alpha"]["parent"])
    assert client.get(url).status_code == 403


def test_the_parents_page_shows_and_saves_their_choices(world, client_for):
    place = world["alpha"]
    client = client_for(place["parent"])
    url = reverse("statements:account-notifications", args=["alpha"])
    page = client.get(url)
    assert page.status_code == 200
    assert "A decision on your short break grant application" in page.content.decode()
    assert client.post(url, {"kinds": ["grant_decision"]}).status_code == 302
    chosen = dict(
        NotificationPreference.objects.filter(user=place["parent"]).values_list("kind", "email")
    )
    assert chosen["grant_decision"] is True
    assert chosen["statement_published"] is False
    assert chosen["consultation_opening"] is False


def test_the_parents_page_of_another_council_or_for_staff_is_refused(world, client_for):
    url = reverse("statements:account-notifications", args=["bravo"])
    assert client_for(world["alpha"]["parent"]).get(url).status_code == 404
    assert client_for(world["bravo"]["sw"]).get(url).status_code == 403
