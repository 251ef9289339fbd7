"""Connection pools for the web processes (psycopg_pool, through Django's `OPTIONS["pool"]`).

Each thread of a gunicorn worker takes a connection from its process's pool for a request and
gives it back at the end, when it serves the next request, perhaps another council's. Row-level
security keeps the council on the connection itself (`set_config(..., false)`, shortbreaks/rls.py):
each request sets it at its start and puts back what it found at its end. A pooled connection must
still come back clean however the request ended, so `reset_connection` runs as each connection
returns to the pool: `RESET ALL` puts every setting the session changed back to its value at
connection start, the council's among them.

What must outlive a reset is therefore given at connection start, in the startup options: the
trigram threshold of shortbreaks/search.py, and the time zone, which Django would otherwise SET
only once, when the pool opens the connection. `RESET ALL` returns those to the values the
connection started with, not to the server's defaults. (`DISCARD ALL` would also drop the
statements psycopg prepares on the server by itself, and its cache would go on naming statements
the server no longer has.)
"""

from __future__ import annotations


def reset_connection(connection) -> None:
    """Every session setting back to its value at connection start; the connection left idle,
    as the pool requires of it."""
    connection.execute("RESET ALL")
    if not connection.autocommit:
        connection.commit()


def pool_settings(database: dict, *, min_size: int, max_size: int, timeout: float = 10) -> dict:
    """`database` (one of DATABASES) with a pool of `min_size` to `max_size` connections a
    process, reset as each comes back, and the time zone in its startup options."""
    options = dict(database.get("OPTIONS", {}))
    # Django sets this (UTC, with USE_TZ) on a new connection; given at start, it survives resets.
    startup = " ".join(filter(None, [options.get("options", ""), "-c TimeZone=UTC"]))
    return {
        **database,
        # A pool and persistent connections are two ways of keeping connections: Django allows one.
        "CONN_MAX_AGE": 0,
        # A connection that died in the pool (a database restart) is replaced, not handed out.
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            **options,
            "options": startup,
            "pool": {
                "min_size": min_size,
                "max_size": max_size,
                # How long a request waits for a connection when every one is in use.
                "timeout": timeout,
                "max_idle": 300,
                "reset": reset_connection,
            },
        },
    }
