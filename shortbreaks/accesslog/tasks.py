"""Thin Celery tasks for the access log. Scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from shortbreaks import rls
from shortbreaks.accesslog import chain, database


@shared_task(name="accesslog.verify_chains", soft_time_limit=45 * 60, time_limit=50 * 60)
def verify_chains() -> int:
    """Daily: check every council's hash chain; alert the administrators if one is broken.
    Reads the whole log (about 65,000 rows a second: 5 minutes for 20 million rows), so it may
    run longer than the usual task limit, and stays under the broker's hour before a task is
    handed out again."""
    # The integrity check is the system's own: it reads every council's chain.
    with rls.all_councils():
        return len(chain.chains_check())


@shared_task(name="accesslog.create_partitions")
def create_partitions() -> list[str]:
    """Daily: keep this month's and the next months' partitions of the log ready."""
    return database.partitions_create()
