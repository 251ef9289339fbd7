"""Two requests at the same moment, for the double-submit tests.

`at_once` runs calls on their own threads (so each has its own database connection), released
together by a barrier. `meet_before` makes every caller of a function wait there for the others,
so that both requests have passed every check before either writes: the worst timing, every run.
`unseen` makes a model's existence checks find nothing, which is what the later of two requests
sees when the other has not committed yet: the race, on one thread.

Tests using `at_once` need `@pytest.mark.django_db(transaction=True)`: each thread commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django.db.models import UniqueConstraint
from django.db.models.query import QuerySet

TIMEOUT = 20


def at_once(*calls: Callable) -> list:
    """Run each call on its own thread, all started together; their results, in order. An
    exception on a thread (a 500 re-raised by the test client) is raised here."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = call()
        except BaseException as failure:  # noqa: BLE001 - shown by the test's thread
            failures.append(failure)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 3)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    if failures:
        raise failures[0]
    return results


def meet_before(monkeypatch, owner, name: str, parties: int = 2) -> None:
    """Patch `owner.name` so that each of `parties` callers waits for the others before it runs."""
    barrier = threading.Barrier(parties)
    original = getattr(owner, name)

    def held(*args, **kwargs):
        barrier.wait(timeout=TIMEOUT)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)


def unseen(monkeypatch, model) -> None:
    """The checks for a duplicate of `model` find nothing (`.exists()` on it, as the services
    check, and full_clean's unique constraints), so only the database's constraint can stop one."""
    exists, validate = QuerySet.exists, UniqueConstraint.validate

    def blind_exists(self):
        return False if self.model is model else exists(self)

    def blind_validate(self, model_class, *args, **kwargs):
        if model_class is not model:
            validate(self, model_class, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "exists", blind_exists)
    monkeypatch.setattr(UniqueConstraint, "validate", blind_validate)


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)
