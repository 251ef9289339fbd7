"""Thin Celery tasks: each calls one service. Scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.utils import timezone

from contracts.services import register as services
from shortbreaks import rls


@shared_task(name="contracts.send_expiry_reminders")
def send_expiry_reminders() -> int:
    """Daily: remind contract managers 12, 6 and 3 months before a contract ends (once each)."""
    return sum(
        rls.each_council(services.contract_expiry_reminders_send, today=timezone.localdate())
    )


@shared_task(name="contracts.expire_contracts")
def expire_contracts() -> int:
    """Daily: mark contracts past their end date as expired."""
    return sum(rls.each_council(services.contracts_expire, today=timezone.localdate()))
