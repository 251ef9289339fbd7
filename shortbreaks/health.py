"""What `/healthz` checks: each part the product needs, reported on its own.

The database answers a query; the broker accepts a connection; a worker answers a ping within
2 seconds; the scheduler (beat) ticked within the last 5 minutes (shortbreaks.beat)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection

WORKER_PING_SECONDS = 2.0
SCHEDULER_STALE_AFTER = timedelta(minutes=5)


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy, and says so
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor, "version": version.split()[0]}


def check_broker() -> dict:
    from shortbreaks.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def check_worker() -> dict:
    from shortbreaks.celery import app

    try:
        replies = app.control.ping(timeout=WORKER_PING_SECONDS) or []
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    if not replies:
        return {"ok": False, "error": f"no worker answered within {WORKER_PING_SECONDS:g} s"}
    return {"ok": True, "workers": len(replies)}


def check_scheduler() -> dict:
    from shortbreaks.beat import last_tick

    try:
        tick = last_tick()
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    if tick is None:
        return {"ok": False, "last_tick": None, "error": "the scheduler has never ticked"}
    ok = datetime.now(UTC) - tick <= SCHEDULER_STALE_AFTER
    result = {"ok": ok, "last_tick": tick.isoformat()}
    if not ok:
        result["error"] = "the scheduler has not ticked in the last 5 minutes"
    return result


CHECKS = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "scheduler": check_scheduler,
}


def report() -> tuple[bool, dict]:
    parts = {name: check() for name, check in CHECKS.items()}
    healthy = all(part["ok"] for part in parts.values())
    return healthy, {"status": "ok" if healthy else "unhealthy", **parts}
