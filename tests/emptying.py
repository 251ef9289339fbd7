"""After a transactional test (live server, real workers, the data migrations' round trip), its
committed rows are deleted from the tables that hold any, rather than every table truncated.

TRUNCATE of all ~110 tables and their partitions (Django's flush) gives each table and index new
files on disk and then rebuilds content types and permissions: seconds a test on a busy machine.
`empty_filled_tables` deletes the few rows written instead; tests/conftest.py puts it in place of
the flush (TransactionTestCase._fixture_teardown) while each test ends.
"""

from __future__ import annotations

from functools import cache

# Filled by the migrations and by no test. Django's flush empties them with every other table
# and rebuilds them (post_migrate) after each transactional test; here they are left as they are.
KEPT_TABLES = frozenset({"django_content_type", "auth_permission"})


@cache
def _tables_to_empty(alias: str) -> tuple[str, ...] | None:
    """The tables Django's flush would empty, less KEPT_TABLES; None when the connection's role
    may not set session_replication_role (only a superuser may), and Django's flush is used."""
    from django.db import connections

    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return None
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return tuple(sorted(set(tables) - KEPT_TABLES))


def empty_filled_tables(alias: str) -> bool:
    """Delete every row of the tables that have any; False if that cannot be done here.

    A transactional test writes to a few dozen of the tables. TRUNCATE of all of them (Django's
    flush) gives each table and index new files on disk, which takes seconds a test on a busy
    machine; DELETE of the few rows written takes milliseconds. Replication role `replica` skips the
    triggers (the access log's append-only guard, the history triggers) and the foreign-key
    checks, as TRUNCATE does, for this transaction only. Sequences go on, as with the flush."""
    from django.db import connections, transaction
    from psycopg import sql

    tables = _tables_to_empty(alias)
    if tables is None:
        return False
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(
            sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {} WHERE EXISTS (SELECT FROM {})").format(
                    sql.Literal(table), sql.Identifier(table)
                )
                for table in tables
            )
        )
        filled = [row[0] for row in cursor.fetchall()]
        if filled:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                sql.SQL("; ").join(
                    sql.SQL("DELETE FROM {}").format(sql.Identifier(table)) for table in filled
                )
            )
    return True
