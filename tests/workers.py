"""A real Celery worker for the tests that kill one: started against this test's database and
media folder, in its own process group so that it can be killed without a warm shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """This test's database (the test database, not the one in DATABASE_URL), as a URL. The host
    may be a socket folder (the embedded server), which goes in the URL's path."""
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres")
    if db["HOST"].startswith("/"):
        return f"postgres://{user}@/{db['HOST']}/{db['NAME']}"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    url = database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.test",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # this test's own folder
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shortbreaks", "worker", "--pool=solo",
         "--loglevel=warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def wait_for(predicate, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group: no acknowledgement, no warm shutdown."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
