"""The web workers' garbage collector (shortbreaks/gunicorn_config.py): young objects collected
in larger batches, and the heap a worker holds after its first request frozen once."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from shortbreaks import gunicorn_config


@pytest.fixture
def collector():
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_a_forked_worker_collects_young_objects_in_larger_batches(collector):
    gunicorn_config.post_fork(server=None, worker=SimpleNamespace())
    assert gc.get_threshold() == gunicorn_config.GC_THRESHOLDS
    assert gc.get_threshold()[0] > 700  # Python's default


def test_the_heap_is_frozen_after_the_first_request_only(collector, monkeypatch):
    freezes = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(True))
    worker = SimpleNamespace()
    for _ in range(3):
        gunicorn_config.post_request(worker, req=None, environ={}, resp=None)
    assert freezes == [True]
    assert worker.heap_frozen is True
