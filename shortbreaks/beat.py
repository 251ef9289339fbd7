"""Celery beat's scheduler, which also says that it is alive: at every tick it writes the time to
Redis, and `/healthz` reads it (settings.CELERY_BEAT_SCHEDULER names this class)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LAST_TICK_KEY = "shortbreaks:beat:last-tick"
# Beat ticks at least this often, so that a live scheduler is never older than the health limit.
MAX_TICK_SECONDS = 30


def redis_client():
    import redis
    from django.conf import settings

    # The broker's Redis: the one Redis that web, worker and beat are sure to share.
    url = settings.CELERY_BROKER_URL
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def last_tick() -> datetime | None:
    value = redis_client().get(LAST_TICK_KEY)
    return datetime.fromisoformat(value.decode()) if value else None


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        remaining = super().tick(*args, **kwargs)
        try:
            redis_client().set(LAST_TICK_KEY, datetime.now(UTC).isoformat(), ex=3600)
        except Exception:  # noqa: BLE001 - a broker outage must not stop the schedule
            logger.warning("could not record beat's tick", exc_info=True)
        return min(remaining, MAX_TICK_SECONDS)
