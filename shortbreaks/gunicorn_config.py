"""gunicorn's settings for the web process, in production (docker-compose.yml, the Dockerfile) and
in `make run` (the Procfile): `gunicorn -c python:shortbreaks.gunicorn_config ...`. The address to
bind stays on each command line.

Sized for the cores the process may use (2 on the machines this is measured on; `make bench`):
one worker process a core, each running several threads. A request spends much of its time
waiting for PostgreSQL, which lets another thread of the same process run Python meanwhile, so
threads serve more requests at once than processes would for the same memory; more processes than
cores would only take turns on them. WEB_CONCURRENCY and WEB_THREADS override the sizes.
Measured with 8 clients for 30 s at national size (`make bench`, 2 cores shared with PostgreSQL):
4 processes of 2 threads, 3 of 4, 4 of 4 and 2 of 8 did no better than 2 of 4 beyond the run to
run spread (about 15%), so these sizes stay.

The workers' threads share a pool of database connections, as many as the threads, each reset as
it comes back (shortbreaks/db_pool.py; production settings switch it on with DATABASE_POOL).
"""

from __future__ import annotations

import gc
import os


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers = int(os.environ.get("WEB_CONCURRENCY", _cores()))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"
# A request that takes longer is stopped (PDFs are built by the Celery worker, not here).
timeout = 120
graceful_timeout = 30
keepalive = 5
# Each worker is replaced after about ten thousand requests (WEB_MAX_REQUESTS), so no slow leak
# grows for ever; the jitter, a tenth of that, keeps them from being replaced at once. A new
# worker imports the app again and compiles its templates as they are first used: after a
# thousand, as this was, each of 2 workers was replaced every 40 s at 50 requests a second, and
# the replacements were the lists' slowest requests and a third of the throughput (8 clients,
# `make bench`: 52.5 requests a second with a thousand, 75.3 with ten thousand). A worker's
# memory stops growing once its caches are warm, at about 200 MB after 2,000 requests.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 10_000))
max_requests_jitter = max_requests // 10
accesslog = "-"
raw_env = [
    "DATABASE_POOL=on",
    f"DATABASE_POOL_MAX_SIZE={threads}",
    f"DATABASE_POOL_MIN_SIZE={min(2, threads)}",
]

# The garbage collector. A page of a big council's list makes thousands of model instances,
# many held by reference cycles (a serializer and its fields point at each other, and it holds the
# page), so only the collector frees them; with Python's default thresholds a full collection came
# every few such requests and walked the whole heap, the app's modules included: a request in seven
# took 3 to 4 times as long (`make bench`, the contracts API). So each worker
# - moves what it holds once its first request has loaded the app's code and templates out of the
#   collector's reach for good (`gc.freeze`);
# - collects each request's garbage once its response has been sent (gunicorn calls
#   `post_request` after the last byte), so a request never waits for the garbage of the ones
#   before it. Collecting the two young generations costs well under a millisecond, where a
#   collection during a request every dozen or so of the contracts API took 20 ms (one process on
#   the bench's data: p95 49 to 27 ms, p50 the same). A full collection, which also walks what
#   the worker has loaded since its first request (3 ms once the app's pages are warm), is made
#   every FULL_COLLECTION_EVERY requests, for what outlived the young generations;
# - collects on its own rarely (a high first threshold), so one is seldom started in a request.
GC_THRESHOLDS = (50_000, 20, 100)
FULL_COLLECTION_EVERY = 100


def post_fork(server, worker):
    gc.set_threshold(*GC_THRESHOLDS)


def post_request(worker, req, environ, resp):
    served = worker.requests_collected = getattr(worker, "requests_collected", 0) + 1
    if served == 1:
        gc.collect()
        gc.freeze()
    elif served % FULL_COLLECTION_EVERY == 0:
        gc.collect()
    else:
        gc.collect(1)
