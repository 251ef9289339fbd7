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
    freezes, collections = [], []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(True))
    monkeypatch.setattr(gc, "collect", lambda generation=2: collections.append(generation))
    worker = SimpleNamespace()
    for _ in range(2 * gunicorn_config.FULL_COLLECTION_EVERY):
        gunicorn_config.post_request(worker, req=None, environ={}, resp=None)
    assert freezes == [True]
    # A full collection before the freeze and every FULL_COLLECTION_EVERY requests; the two
    # young generations after every other request.
    full = [n + 1 for n, generation in enumerate(collections) if generation == 2]
    assert full == [
        1,
        gunicorn_config.FULL_COLLECTION_EVERY,
        2 * gunicorn_config.FULL_COLLECTION_EVERY,
    ]
    assert set(collections) == {1, 2}


class _Cycle:
    def __init__(self):
        self.me = self


def test_each_requests_garbage_is_collected_after_its_response(collector):
    gc.set_threshold(*gunicorn_config.GC_THRESHOLDS)
    worker = SimpleNamespace(requests_collected=1)
    gc.collect()
    cycle = _Cycle()
    collected = weakref.ref(cycle)
    del cycle  # held only by itself: nothing but the collector frees it
    assert collected() is not None
    gunicorn_config.post_request(worker, req=None, environ={}, resp=None)
    assert collected() is None
