"""Thin Celery tasks: each calls one service. Scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from referrals import summary


@shared_task(name="referrals.refresh_support_summaries")
def refresh_support_summaries() -> int:
    """Hourly: every council's support in numbers worked out again, each in its own scope."""
    return summary.support_summaries_refresh()
