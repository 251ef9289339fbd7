"""The web processes' connection pool: a connection comes back to the pool clean, whatever the
request left on it (the council row-level security reads, above all), and keeps what it was
started with; gunicorn's config switches the pool on and sizes it for its threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from shortbreaks import rls
from shortbreaks.db_pool import pool_settings, reset_connection

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    *rls.SETTINGS,
    "statement_timeout",
    "pg_trgm.word_similarity_threshold",
    "TimeZone",
    "jit",
)


@pytest.fixture
def pool(db):
    """A pool of one connection to the test database, built from the settings production's
    web processes get, so each checkout after the first is the connection given back before."""
    database = pool_settings(connection.settings_dict, min_size=1, max_size=1)
    options = database["OPTIONS"]["pool"]
    params = DatabaseWrapper(database).get_connection_params()
    params["autocommit"] = True  # as Django opens its pooled connections
    with ConnectionPool(
        kwargs=params,
        min_size=options["min_size"],
        max_size=options["max_size"],
        reset=options["reset"],
        open=True,
    ) as pool:
        yield pool


def _settings(conn) -> dict[str, str]:
    row = conn.execute(
        "SELECT " + ", ".join("current_setting(%s, true)" for _ in SETTINGS), list(SETTINGS)
    ).fetchone()
    return dict(zip(SETTINGS, row, strict=True))


def test_a_connection_comes_back_from_the_pool_with_no_council_and_its_start_options(pool):
    with pool.connection() as conn:
        started = _settings(conn)
        backend = conn.info.backend_pid
        # What a request leaves behind when it fails before putting the scope back.
        for name, value in rls.scope_values(council_id=42, everything=True, public=True).items():
            conn.execute("SELECT set_config(%s, %s, false)", [name, value])
        conn.execute("SET statement_timeout = 1234")
        conn.execute("SET TimeZone = 'Pacific/Auckland'")
        conn.execute("SET jit = on")
        assert _settings(conn)[rls.COUNCIL] == "42"
    # Given back, and reset as it went.
    with pool.connection() as conn:
        assert conn.info.backend_pid == backend  # the same connection, reused
        after = _settings(conn)
    assert {name: after[name] or "" for name in rls.SETTINGS} == rls.NOTHING
    assert after["statement_timeout"] == started["statement_timeout"]
    # What the connection started with survives the reset: the search's threshold, UTC and no
    # just-in-time compilation.
    assert after["pg_trgm.word_similarity_threshold"] == "0.3"
    assert after["TimeZone"] == "UTC"
    assert after["jit"] == "off"


def test_the_reset_leaves_the_connection_idle_as_the_pool_requires(pool):
    with pool.connection() as conn:
        conn.autocommit = False
        conn.execute("SELECT set_config('shortbreaks.council', '7', false)")
        conn.commit()
        reset_connection(conn)
        assert conn.info.transaction_status == TransactionStatus.IDLE
        conn.autocommit = True
        council = conn.execute("SELECT current_setting('shortbreaks.council', true)").fetchone()
    assert council == ("",)


def test_pool_settings_keep_the_database_and_add_a_reset_pool():
    database = {
        "NAME": "shortbreaks",
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"options": "-c pg_trgm.word_similarity_threshold=0.3"},
    }
    pooled = pool_settings(database, min_size=2, max_size=4)
    assert pooled["NAME"] == "shortbreaks"
    assert pooled["CONN_MAX_AGE"] == 0 and pooled["CONN_HEALTH_CHECKS"] is True
    assert pooled["OPTIONS"]["options"] == (
        "-c pg_trgm.word_similarity_threshold=0.3 -c TimeZone=UTC"
    )
    pool = pooled["OPTIONS"]["pool"]
    assert (pool["min_size"], pool["max_size"], pool["reset"]) == (2, 4, reset_connection)
    assert database["CONN_MAX_AGE"] == 60  # the settings given are left as they were


def _production_database(**overrides: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "WEB_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shortbreaks.settings.production",
        DJANGO_SECRET_KEY="test-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="shortbreaks.example.org",
        DATABASE_URL="postgres://unused@127.0.0.1:5432/unused",
        REDIS_URL="redis://localhost:6379/0",
        **overrides,
    )
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "database = settings.DATABASES['default']; pool = database['OPTIONS'].get('pool'); "
        "print(json.dumps({'conn_max_age': database['CONN_MAX_AGE'], "
        "'options': database['OPTIONS']['options'], 'pool': pool and {**pool, "
        "'reset': pool['reset'].__module__ + '.' + pool['reset'].__name__}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_pools_only_where_gunicorn_asks():
    # Celery's forked workers keep a persistent connection each.
    assert _production_database() == {
        "conn_max_age": 60,
        "options": "-c pg_trgm.word_similarity_threshold=0.3 -c random_page_cost=1.1 -c jit=off",
        "pool": None,
    }
    pooled = _production_database(DATABASE_POOL="on", DATABASE_POOL_MAX_SIZE="6")
    assert pooled["conn_max_age"] == 0
    assert pooled["options"].endswith("-c TimeZone=UTC")
    assert pooled["pool"]["max_size"] == 6 and pooled["pool"]["min_size"] == 2
    assert pooled["pool"]["reset"] == "shortbreaks.db_pool.reset_connection"


def _gunicorn_config(**env: str) -> dict:
    script = (
        "import json, shortbreaks.gunicorn_config as c; print(json.dumps({name: getattr(c, name) "
        "for name in ('workers', 'threads', 'worker_class', 'raw_env', 'timeout', "
        "'max_requests', 'max_requests_jitter')}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WEB_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_gunicorn_runs_a_process_a_core_each_with_threads_sharing_a_pool_as_big():
    config = _gunicorn_config()
    assert config["workers"] == len(os.sched_getaffinity(0))
    assert config["worker_class"] == "gthread" and config["threads"] == 4
    assert "DATABASE_POOL=on" in config["raw_env"]
    assert "DATABASE_POOL_MAX_SIZE=4" in config["raw_env"]
    # Each worker is replaced after ten thousand requests, give or take a thousand, so that two
    # are seldom replaced at once.
    assert (config["max_requests"], config["max_requests_jitter"]) == (10_000, 1_000)
    sized = _gunicorn_config(WEB_CONCURRENCY="3", WEB_THREADS="8", WEB_MAX_REQUESTS="5000")
    assert (sized["workers"], sized["threads"]) == (3, 8)
    assert "DATABASE_POOL_MAX_SIZE=8" in sized["raw_env"]
    assert (sized["max_requests"], sized["max_requests_jitter"]) == (5_000, 500)


def test_every_way_of_starting_the_web_process_uses_the_config():
    config = "python:shortbreaks.gunicorn_config"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]["command"]
    assert web[web.index("-c") + 1] == config
    assert f'"-c", "{config}"' in (ROOT / "Dockerfile").read_text()
    [procfile_web] = [
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    ]
    assert f"-c {config}" in procfile_web
    for command in (" ".join(web), procfile_web):
        assert "--workers" not in command and "--threads" not in command


def test_a_request_puts_its_scope_back_unless_its_connection_goes_back_to_a_resetting_pool(
    db, rf, monkeypatch
):
    """The pool's reset (above) clears the council as a pooled connection goes back at the
    request's end, so the request leaves that to it; any other connection is put back by the
    request itself."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from shortbreaks.middleware import CouncilScopeMiddleware

    restored = []
    monkeypatch.setattr(rls, "restore", lambda previous, using="default": restored.append(using))
    middleware = CouncilScopeMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    request.user = AnonymousUser()
    middleware(request)
    assert restored == ["default"]
    pooled = pool_settings(connection.settings_dict, min_size=1, max_size=1)["OPTIONS"]["pool"]
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "pool", pooled)
    middleware(request)
    assert restored == ["default"]
