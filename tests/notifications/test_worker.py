"""A real Celery worker delivers a notification queued after commit, once, in its council."""

from __future__ import annotations

import pytest
from django.db import transaction

from shortbreaks import rls
from shortbreaks.notifications import services
from shortbreaks.notifications.models import Notification, NotificationKind, NotificationStatus
from tests.factories import CouncilFactory, UserFactory
from tests.workers import kill, start_worker, wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_notification_queued_after_commit(monkeypatch):
    monkeypatch.undo()  # the suite's in-process delivery: here, the real queue and worker
    council = CouncilFactory()
    person = UserFactory()
    with rls.council_scope(council), transaction.atomic():
        (row,) = services.notification_send(
            council=council,
            kind=NotificationKind.PANEL_DECISION,
            recipients=[person],
            params={"reference": "P-1", "path": "/packages/1/", "decision": "approved"},
        )
    worker = start_worker()
    try:
        assert wait_for(
            lambda: Notification.objects.filter(pk=row.pk, status=NotificationStatus.SENT).exists()
        ), "the worker never sent it"
        # Delivered again (a message redelivered after a lost acknowledgement): nothing more.
        services.notification_queue([row.pk])
        assert wait_for(lambda: False, timeout=2) is False
    finally:
        kill(worker)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
