"""The demo seed, made once per test process for each day it is seeded on, in a database of its
own, rather than once for every module that reads it.

Seeding takes seconds and many modules read the seed. So the first module in a test process to ask
for it (on a given day: the frozen day of tests/clock.py, or the real one) copies the process's own
test database, which holds nothing between modules, to `<test database>_seeded_<n>` (PostgreSQL's
`CREATE DATABASE ... TEMPLATE`, a file copy), seeds the copy there and commits. Each module that
reads the seed then points the connection at that copy, runs its tests inside a transaction that is
rolled back when it ends, as when it seeded its own, and points the connection back. The copy so
stays as seeded for the next module; the process drops it when it ends.

What the seed queued to happen after its commit (notifications, document jobs) is dropped, as it
was when the seed was rolled back unseen. Where a copy cannot be made (a transaction still open,
or another process connected to the test database) the module seeds its own, in a transaction
rolled back after it, as before.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.clock import FROZEN_TODAY, on_frozen_day

DEMO_PASSWORD = "a-test-demo-password"

# The copies this process made: (the seed, the day it was made on) -> (the copy, what it printed).
_copies: dict[tuple[str, str], tuple[str, str]] = {}
_numbers = itertools.count()  # each copy's name is new in the process, even after a drop


class _RollBack(Exception):
    pass


@contextmanager
def _demo_password() -> Iterator[None]:
    previous = os.environ.get("DEMO_PASSWORD")
    os.environ["DEMO_PASSWORD"] = DEMO_PASSWORD
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DEMO_PASSWORD", None)
        else:
            os.environ["DEMO_PASSWORD"] = previous


@contextmanager
def _connected_to(name: str) -> Iterator[None]:
    """The default connection, on database `name` until the block ends."""
    alias = connection.alias
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES[alias]["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES[alias]["NAME"] = saved


@contextmanager
def _rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def _copy_seeded(seed: Callable[[], str]) -> tuple[str, str] | None:
    """Copy the test database and seed the copy; None where it cannot be copied."""
    source = connection.settings_dict["NAME"]
    name = f"{source}_seeded_{next(_numbers)}"
    connection.close()
    try:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    except DatabaseError:
        return None  # another process is connected to the test database
    try:
        with _connected_to(name):
            with transaction.atomic():
                output = seed()
                connection.run_on_commit = []  # never sent: as when the seed was rolled back
    except BaseException:
        _drop(name)  # a seed that fails leaves no copy behind; its error is the module's
        raise
    return name, output


def _drop(name: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _seed_name(seed: Callable[[], str]) -> str:
    return f"{seed.__module__}.{seed.__qualname__}"


def drop_copies(seed: Callable[[], str] | None = None) -> None:
    """Drop the copies this process made (of `seed` alone, if given): at the end of the process."""
    for key in [key for key in _copies if seed is None or key[0] == _seed_name(seed)]:
        _drop(_copies.pop(key)[0])


def _seed_day(frozen: bool | None) -> tuple[str, bool]:
    """The day the seed is made on, and whether it is the frozen day; unless told, the frozen
    day if the module's clock is on it (`frozen_today_module`)."""
    if frozen is None:
        frozen = timezone.localdate() == FROZEN_TODAY
    if frozen:
        return "frozen", True
    return datetime.now().strftime("%Y%m%d"), False  # noqa: DTZ005 - the real day, unfrozen


def seeded_demo(
    django_db_blocker, seed: Callable[[], str], *, frozen: bool | None = None
) -> Iterator[str]:
    """Yield what `seed()` (the demo seed) printed, with the database holding it until the caller
    is done, in a transaction rolled back then: the body of a fixture that reads the seed for its
    scope. On the frozen day it is made just before the tests' own clock (`on_frozen_day`)."""
    day, on_frozen = _seed_day(frozen)
    key = (_seed_name(seed), day)
    if on_frozen:
        seed = on_frozen_day(seed)
    with _demo_password(), django_db_blocker.unblock():
        if not connection.in_atomic_block and key not in _copies:
            copied = _copy_seeded(seed)
            if copied is not None:
                _copies[key] = copied
        if connection.in_atomic_block or key not in _copies:
            with _rolled_back():
                yield seed()
            return
        name, output = _copies[key]
        with _connected_to(name), _rolled_back():
            yield output
