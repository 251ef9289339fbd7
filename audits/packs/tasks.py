"""Thin Celery task for evidence pack grants (found through audits/tasks.py; scheduled in
settings.CELERY_BEAT_SCHEDULE). The packs themselves are built by `documents.build`."""

from celery import shared_task
from django.utils import timezone

from audits.packs import services as pack_services
from shortbreaks import rls


@shared_task(name="audits.expire_pack_grants")
def expire_pack_grants() -> int:
    """Daily: remove external auditors' grants whose last day has passed."""
    return sum(
        rls.each_council(pack_services.evidence_pack_grants_expire, today=timezone.localdate())
    )
