"""What the bench runs against and with: its database, the environment of the app it serves, and
the sizes of each measurement. Read from the environment, in this one module.

No Django import here: the bench's own process never loads the app's settings.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# make run's data folder (shortbreaks.runtime), where the embedded server keeps its cluster.
DATA = Path(os.environ.get("SHORTBREAKS_DATA", ROOT / ".data"))
WORK = DATA / "bench"  # collected static files, media, the server's log, captured HTML
REPORTS = ROOT / "bench" / "reports"

DATABASE_NAME = "shortbreaks_bench"
# Every bench person's password (never a real one: the bench database holds made-up people only).
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-not-a-secret-2025")
# The switch the served app reads for row-level security, and the values the comparison sets
# (BENCH_COMPARE_RLS=1 measures once with each).
RLS_SWITCH = "ROW_LEVEL_SECURITY"
RLS_VALUES = ("off", "on")


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Sizes:
    """How much each measurement does: the report's defaults, or less for a smoke run."""

    requests: int = 30  # timed requests per page or list, per council, after one warm-up
    clients: int = 8  # concurrent clients in the throughput run (0: no throughput run)
    seconds: int = 60  # length of the throughput run
    pdf_runs: int = 3  # builds of each PDF each way (app, raw, raw tagged), taking turns
    # A regular expression on the names of pages, lists and PDFs (BENCH_ONLY, searched, case
    # ignored): only those matching are measured, and the throughput run reads only the lists
    # among them. Empty: everything.
    only: str = ""

    @classmethod
    def from_env(cls) -> Sizes:
        sizes = cls(
            requests=_int("BENCH_REQUESTS", cls.requests),
            clients=_int("BENCH_CLIENTS", cls.clients),
            seconds=_int("BENCH_SECONDS", cls.seconds),
            pdf_runs=max(1, _int("BENCH_PDF_RUNS", cls.pdf_runs)),
            only=os.environ.get("BENCH_ONLY", cls.only).strip(),
        )
        sizes.chosen("")  # a pattern that is no regular expression stops the run here
        return sizes

    def chosen(self, name: str) -> bool:
        """Whether the page, list or PDF of this name is measured in this run."""
        return not self.only or re.search(self.only, name, re.IGNORECASE) is not None


def parse_scale(value: str | float) -> float:
    scale = float(value)
    if not 0 < scale <= 10:
        raise ValueError("SCALE must be more than 0 and at most 10 (1 is national size).")
    return scale


# --- Database URLs: every rule about them is here -----------------------------------------------


def with_database(url: str, name: str) -> str:
    """The same server and role, another database."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/" + name
    return urllib.parse.urlunsplit(parts._replace(path=path))


def with_user(url: str, user: str, password: str = "") -> str:
    """The same server and database, another role."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    who = urllib.parse.quote(user) + (":" + urllib.parse.quote(password) if password else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{who}@{host}"))


def app_database_url(owner_url: str) -> str:
    """The URL the served app (gunicorn, and the PDF builds, as a worker would) connects with:
    the application's own role, as production does, which row-level security binds
    (docs/decisions/0009). `migrate` makes it able to sign in (bench.run gives it
    DATABASE_APP_URL)."""
    return with_user(owner_url, os.environ.get("DATABASE_APP_ROLE", "shortbreaks_app"))


def connect_kwargs(url: str) -> dict:
    """psycopg's keyword arguments for a DATABASE_URL (the same parser the settings use, so a
    Unix socket given as the URL's path works here too)."""
    import environ

    config = environ.Env.db_url_config(url)
    kwargs = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return {key: value for key, value in kwargs.items() if value not in (None, "")}


def app_environment(*, database_url: str, redis_url: str, extra: dict | None = None) -> dict:
    """The environment of the served app and of the bench's Django steps: production settings,
    with throwaway secrets, this machine's host names and the bench's own folders."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-only-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "consolemail://",
        # Production must register its own; the bench's is made up.
        "OCDS_OCID_PREFIX": os.environ.get("OCDS_OCID_PREFIX", "ocds-bench0"),
        "STATIC_ROOT": str(WORK / "staticfiles"),
        "MEDIA_ROOT": str(WORK / "media"),
        "PYTHONPATH": str(ROOT),
        **(extra or {}),
    }
