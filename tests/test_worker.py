"""A real Celery worker, over Redis, when REDIS_URL is set (as CI sets it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from shortbreaks.tasks import ping

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.worker


@pytest.fixture
def worker():
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL so tasks run on a real worker")
        pytest.skip("REDIS_URL is not set: tasks run in-process")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shortbreaks",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_runs_a_task_from_redis(worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay()
    deadline = time.monotonic() + 60
    while not result.ready() and time.monotonic() < deadline:
        assert worker.poll() is None, worker.stdout.read().decode()
        time.sleep(0.2)
    assert result.successful()
    assert "worker" in result.get(timeout=1)


def test_without_a_broker_tasks_run_in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from shortbreaks.celery import app

    app.conf.task_always_eager = True
    try:
        assert ping.delay().get()["worker"]
    finally:
        app.conf.task_always_eager = not settings.REDIS_URL
