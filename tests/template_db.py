"""One migrated test database for every test process (pytest-xdist's gw0, gw1, ...).

Migrating a test database from nothing takes most of a minute, and each test process makes its
own. So the first process to get here makes and migrates `<test database>_template` once for the
run, under a file lock, and every process's own database is then a copy of it (PostgreSQL's
`CREATE DATABASE ... TEMPLATE`, a file copy): Django's own `create_test_db` makes the copy, when
the test settings name a `TEMPLATE`, and migrates it as usual, which finds nothing left to do.

`--reuse-db` keeps a process's database when it is there (as before: only new migrations run on
it), and keeps the template for the next run, bringing it up to date first when a process needs
a copy. Without it (and with `--create-db`) the template is made afresh once per run, and dropped
at the end of the run. A run on one process makes its database as before, with no template.
"""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

TEMPLATE_SUFFIX = "_template"


def template_name(test_name: str, worker: str | None = None) -> str:
    """`test_x_gw0` (or, in the process that started the workers, `test_x`) -> `test_x_template`."""
    if worker and test_name.endswith(f"_{worker}"):
        test_name = test_name[: -len(worker) - 1]
    return test_name + TEMPLATE_SUFFIX


def _lock_path(connection, template: str) -> Path:
    where = "{HOST}:{PORT}".format(**connection.settings_dict)
    key = hashlib.sha256(f"{where}/{template}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"shortbreaks-test-db-{key}.lock"


@contextmanager
def _locked(path: Path):
    with path.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def database_exists(connection, name: str) -> bool:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _migrate_template(connection, template: str, *, keep: bool, verbosity: int) -> None:
    """Make (or, kept, bring up to date) the template as Django makes a test database, then
    close every connection to it: a database being copied must have none."""
    alias = connection.alias
    test = connection.settings_dict["TEST"]
    saved = connection.settings_dict["NAME"], test.get("NAME"), settings.DATABASES[alias]["NAME"]
    test["NAME"] = template
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=keep
        )
    finally:
        connection.close()
        connection.settings_dict["NAME"], test["NAME"], settings.DATABASES[alias]["NAME"] = saved


def use_migrated_template(
    *, worker: str, run_id: str, keepdb: bool, createdb: bool, verbosity: int
) -> None:
    """Make sure this run's template is migrated, and have this process's database copied from
    it (unless `--reuse-db` keeps the one it has)."""
    connection = connections["default"]
    test_name = connection.settings_dict["TEST"]["NAME"]
    keep = keepdb and not createdb
    if keep and database_exists(connection, test_name):
        return  # kept as it is; migrate brings it up to date, as without a template
    template = template_name(test_name, worker)
    lock = _lock_path(connection, template)
    with _locked(lock):
        # Only the lock holder reads or writes the template; the others may be copying it, so
        # whether it is ready is read from the lock file, never from a connection to it.
        built_for = lock.read_text().strip()
        if built_for != run_id or not database_exists(connection, template):
            _migrate_template(connection, template, keep=keep, verbosity=verbosity)
            lock.write_text(run_id)
    connection.settings_dict["TEST"]["TEMPLATE"] = template


def drop_template(*, keepdb: bool) -> None:
    """At the end of a run across processes, unless `--reuse-db` keeps it for the next."""
    if keepdb:
        return
    connection = connections["default"]
    test = connection.settings_dict.get("TEST", {})
    name = test.get("NAME") or connection.creation._get_test_db_name()
    template = template_name(name)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
