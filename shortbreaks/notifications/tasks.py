"""A thin Celery wrapper around delivering one notification (see services.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from shortbreaks.notifications import services


def _backoff(retries: int) -> int:
    base = getattr(settings, "NOTIFICATION_RETRY_SECONDS", 60)
    return base * 2**retries


@shared_task(bind=True, name="notifications.deliver", max_retries=None)
def deliver_notification(self, notification_id: int) -> str:
    """Runs in the council scope it was sent from. A failed attempt is tried again later, each
    wait twice the last; the service marks the row failed after its last attempt."""
    try:
        return services.notification_deliver(notification_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
