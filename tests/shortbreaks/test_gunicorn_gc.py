"""The web workers' garbage collector (shortbreaks/gunicorn_config.py): young objects collected
in larger batches, the heap a worker holds after its first request frozen once, and the garbage
of every request collected once its response has been sent."""

from __future__ import annotations

import gc
import weakref
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


class _Cycle:
    def __init__(self):
        self.me = self


def test_each_requests_garbage_is_collected_after_its_response(collector):
    gc.set_threshold(*gunicorn_config.GC_THRESHOLDS)
    worker = SimpleNamespace(heap_frozen=True)
    gc.collect()
    cycle = _Cycle()
    collected = weakref.ref(cycle)
    del cycle  # held only by itself: nothing but the collector frees it
    assert collected() is not None
    gunicorn_config.post_request(worker, req=None, environ={}, resp=None)
    assert collected() is None
