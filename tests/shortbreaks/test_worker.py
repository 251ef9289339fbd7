"""A real Celery worker over Redis, as `make run` and production run one."""

from __future__ import annotations

import pytest

from shortbreaks import health
from shortbreaks.tasks import ping
from tests.workers import kill, start_worker, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(db):
    process = start_worker()
    yield process
    kill(process)


def test_a_real_worker_runs_a_task_from_redis(worker, settings):
    from shortbreaks.celery import app

    assert not app.conf.task_always_eager
    result = ping.delay()
    assert wait_for(lambda: result.ready() or worker.poll() is not None, timeout=60)
    assert worker.poll() is None, "the worker stopped"
    assert result.successful()
    assert "worker" in result.get(timeout=1)


def test_the_health_check_sees_a_live_worker_and_then_its_absence(worker):
    assert wait_for(lambda: health.check_worker()["ok"], timeout=60)
    kill(worker)
    part = health.check_worker()
    assert part["ok"] is False
    assert "no worker answered" in part["error"]
