"""What the access log asks of PostgreSQL beyond Django: its monthly partitions and its grants.

The table, its triggers and the functions used here are made by migration 0004 (see
docs/decisions/0007-access-log-chain-and-partitions.md).
"""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from psycopg import sql

TABLE = "accesslog_accesslogentry"
HEADS = "accesslog_accesslogchainhead"
# How many months ahead the daily task keeps partitions ready (the default partition catches
# anything beyond, so an insert never fails).
MONTHS_AHEAD = 3


def partitions_create(
    *, months_ahead: int = MONTHS_AHEAD, now: datetime | None = None, using: str = "default"
) -> list[str]:
    """Make sure this month and the next `months_ahead` have their partitions. Returns the names
    of those it created (none on a second run). Rows that fell into the default partition for a
    month are moved into that month's new partition."""
    now = now or timezone.now()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT accesslog_create_partitions(%s, %s, %s)",
            [now, now + relativedelta(months=months_ahead), settings.TIME_ZONE],
        )
        return [name for (name,) in cursor.fetchall()]


def partitions(*, using: str = "default") -> list[tuple[str, str]]:
    """Each partition's name and bounds, oldest first (the default partition last)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
                 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = %s::regclass
                ORDER BY c.relname = %s, c.relname""",
            [TABLE, f"{TABLE}_default"],
        )
        return cursor.fetchall()


def grant_append_only(role: str, *, using: str = "default") -> None:
    """Let database role `role` (the application's) read and append to the access log, and do
    nothing else with it: SELECT and INSERT on the table, the id sequence for the insert, SELECT
    on the chain heads (for the daily check) and the partition function for the beat task.
    Everything else it held on them or on any partition (UPDATE, DELETE, TRUNCATE, REFERENCES,
    TRIGGER) is revoked; it owns none of them, so it cannot disable their triggers. Run it as the
    tables' owner (the role that migrates), after each migration of the access log; safe to run
    again.

    Its SQL, for a role named app_user:

        REVOKE ALL ON accesslog_accesslogentry, accesslog_accesslogchainhead FROM app_user;
        REVOKE ALL ON accesslog_accesslogentry_p2026_01, ... FROM app_user;   -- each partition
        GRANT SELECT, INSERT ON accesslog_accesslogentry TO app_user;
        GRANT SELECT ON accesslog_accesslogchainhead TO app_user;
        GRANT USAGE ON SEQUENCE accesslog_accesslogentry_id_seq TO app_user;
        GRANT EXECUTE ON FUNCTION accesslog_create_partitions(timestamptz, timestamptz, text)
            TO app_user;
    """
    grantee = sql.Identifier(role)
    parts = [sql.Identifier(name) for name, _ in partitions(using=using)]
    statements = [
        sql.SQL("REVOKE ALL ON {}, {} FROM {}").format(
            sql.Identifier(TABLE), sql.Identifier(HEADS), grantee
        ),
        *(sql.SQL("REVOKE ALL ON {} FROM {}").format(part, grantee) for part in parts),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(TABLE), grantee),
        sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(HEADS), grantee),
        sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(
            sql.Identifier(f"{TABLE}_id_seq"), grantee
        ),
        sql.SQL(
            "GRANT EXECUTE ON FUNCTION accesslog_create_partitions(timestamptz, timestamptz, text) "
            "TO {}"
        ).format(grantee),
    ]
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))
