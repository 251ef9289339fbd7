"""Records built once for a whole test module, for the tests that read the same records many times
over (the role and council matrices run hundreds of cases against one set of records).

`built_once(django_db_blocker, build)` opens a transaction, builds the records in it as the
application's database role (as each test's own set-up would), yields them, and rolls the whole
transaction back when the module ends. Each test's own transaction (`db`) is then a savepoint
inside it: whatever a test writes is rolled back before the next test starts, so the tests stay
as isolated as when each built its own records.

    @pytest.fixture(scope="module")
    def _world_built(django_db_setup, django_db_blocker):
        yield from built_once(django_db_blocker, build_world)

    @pytest.fixture
    def world(db, _world_built):
        return fresh_copy(_world_built)

`fresh_copy` gives each test its own copy of the Python objects, so a test that changes an
object in memory (or the dict holding them) changes nothing the next test sees.

Only for modules whose tests all run in a rolled-back transaction (`db`): a transactional test
(live server, real worker) in the same module would run inside the open transaction.
tests/test_built_once.py pins the isolation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from psycopg import sql
from psycopg.pq import TransactionStatus

from shortbreaks import rls

T = TypeVar("T")


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build with `build()` inside a transaction kept open until the generator is closed, then
    roll it back. For module-scoped fixtures: `yield from built_once(django_db_blocker, build)`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = _as_application(build)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _as_application(build: Callable[[], T]) -> T:
    """Run `build` as the application's role with every council in scope, as each test's set-up
    runs (tests/conftest.py `_as_application`); the tests after it start as the owner again."""
    connection.ensure_connection()
    raw = connection.connection
    raw.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(settings.DATABASE_APP_ROLE)))
    try:
        with rls.scope(rls.scope_values(everything=True)):
            return build()
    finally:
        if raw.info.transaction_status != TransactionStatus.INERROR:
            raw.execute("RESET ROLE")  # a failed transaction's rollback undoes the SET ROLE


def fresh_copy(built: T) -> T:
    """A test's own copy of records built once: the same rows, new Python objects."""
    return copy.deepcopy(built)
