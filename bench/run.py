"""`python -m bench`: the database, the data, the served app, the measurements, the report.

The database is BENCH_DATABASE_URL (a superuser's URL: the generator loads as a replica), or
`shortbreaks_bench` on the embedded server that `make run` uses (.data/postgres, started here if
it is not running). It is reused while it holds data generated at the same SCALE by the same
version of the generator (the `bench_marker` table says so); otherwise it is made afresh:
dropped if it is a bench database, created, migrated by Django, filled (bench.generate). A
database that holds councils but no bench marker is refused, never emptied. Redis is a throwaway
embedded one (or BENCH_REDIS_URL): publishing a statement and asking for an evidence pack queue
their PDF builds, and no worker takes them.

Environment: SCALE (or --scale), BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_PASSWORD,
BENCH_REQUESTS, BENCH_CLIENTS, BENCH_SECONDS, BENCH_COMPARE_RLS=1 (measure with row-level
security off, then on, and print both), BENCH_SKIP_PDFS=1 (no PDFs), BENCH_PDF_RUNS (builds of
each PDF each way, 3: the median counts), BENCH_CLIENTS=0 (no run of clients at once),
BENCH_ONLY=<regular expression> (only the pages, lists and PDFs whose names it finds; the report
is then bench-scale-<SCALE>-subset.md, so the full run's report stays).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import config
from bench.config import REPORTS, ROOT, WORK

MARKER = "bench_marker"


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"==> [{time.monotonic() - STARTED:4.0f} s] {message}", flush=True)


def log(message: str) -> None:
    print(message, flush=True)


# --- The database ------------------------------------------------------------------------------


def _connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(**config.connect_kwargs(url), autocommit=True, **kwargs)


def _marker(url: str) -> dict:
    """What the bench marker says of this database: finished at some SCALE, ours but unfinished,
    or not ours (tables and no marker: never emptied here)."""
    with _connect(url) as connection:
        if connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0] is None:
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()[0]
            return {"foreign": bool(tables)}
        row = connection.execute(
            f"SELECT scale, version, seconds, counts FROM {MARKER} LIMIT 1"
        ).fetchone()
    if row is None:
        return {"foreign": False}
    return {"scale": float(row[0]), "version": row[1], "seconds": float(row[2]), "rows": row[3]}


def _database_exists(owner_url: str) -> bool:
    name = config.connect_kwargs(owner_url)["dbname"]
    with _connect(config.with_database(owner_url, "postgres")) as connection:
        return bool(
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def _recreate(owner_url: str) -> None:
    from psycopg import sql

    name = config.connect_kwargs(owner_url)["dbname"]
    with _connect(config.with_database(owner_url, "postgres")) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # Marked as the bench's from the start: an interrupted generation is made afresh next time.
    with _connect(owner_url) as connection:
        connection.execute(
            f"CREATE TABLE {MARKER} (scale numeric NOT NULL, version integer NOT NULL, "
            "generated_at timestamptz NOT NULL DEFAULT now(), seconds numeric NOT NULL, "
            "counts jsonb NOT NULL)"
        )


def migrate(environment: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=environment,
        cwd=ROOT,
        check=True,
    )


def prepare_database(owner_url: str, scale: float, owner_environment: dict) -> dict:
    """A migrated bench database holding this SCALE's data: reused, or made afresh."""
    from bench import generate

    marker = _marker(owner_url) if _database_exists(owner_url) else {"foreign": False}
    if marker.get("scale") == scale and marker.get("version") == generate.GENERATOR_VERSION:
        say(f"reusing the bench data generated at SCALE={scale:g} (migrating it)")
        migrate(owner_environment)
        return {"generated": False, "seconds": marker["seconds"], "rows": marker["rows"]}
    if marker.get("foreign"):
        raise SystemExit(
            "bench: the database holds councils but no bench marker; it is not a bench "
            "database, so it is left alone. Point BENCH_DATABASE_URL at another one."
        )
    say(f"making the bench database afresh for SCALE={scale:g}")
    _recreate(owner_url)
    started = time.monotonic()
    migrate(owner_environment)
    log(f"  migrated in {time.monotonic() - started:.0f} s")
    counts, seconds = generate.generate(config.connect_kwargs(owner_url), scale, log=log)
    seconds = time.monotonic() - started
    with _connect(owner_url) as connection:
        connection.execute(
            f"INSERT INTO {MARKER} (scale, version, seconds, counts) VALUES (%s, %s, %s, %s)",
            [scale, generate.GENERATOR_VERSION, seconds, json.dumps(counts)],
        )
    say(f"the bench data is ready: migrated and generated in {seconds:.0f} s")
    return {"generated": True, "seconds": seconds, "rows": counts}


def postgres_version(url: str) -> str:
    with _connect(url) as connection:
        return connection.execute("SELECT version()").fetchone()[0].split(" on ")[0]


def database_url(stack: contextlib.ExitStack) -> str:
    """BENCH_DATABASE_URL, or the bench database on make run's embedded server (started here,
    and stopped at the end, unless it was running already)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given
    from shortbreaks import runtime

    say(f"the embedded PostgreSQL ({runtime.DATA / 'postgres'}), started if it is not running")
    url = stack.enter_context(runtime.embedded_postgres(runtime.DATA / "postgres"))
    return config.with_database(url, config.DATABASE_NAME)


def redis_url(stack: contextlib.ExitStack) -> str:
    given = os.environ.get("BENCH_REDIS_URL")
    if given:
        return given
    from shortbreaks import runtime

    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-redis-"))
    return stack.enter_context(runtime.embedded_redis(Path(folder), persistent=False))


# --- The steps in the app's environment --------------------------------------------------------


def fixtures(environment: dict) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.fixtures"],
        env=environment,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


MODES = ("app", "raw", "raw_tagged")


def typical_build(answers: list[dict]) -> dict:
    """One way of building a PDF, built several times: the build of the median time, with the
    highest peak memory of them all and every build's seconds (`runs`)."""
    ordered = sorted(answers, key=lambda answer: answer["seconds"])
    typical = dict(ordered[(len(ordered) - 1) // 2])
    typical["peak_mb"] = max(answer["peak_mb"] for answer in answers)
    typical["runs"] = [answer["seconds"] for answer in answers]
    return typical


def measure_pdfs(
    environment: dict, councils: dict, chosen=lambda name: True, runs: int = 1
) -> dict:
    """Each PDF (or those `chosen` by name): the statement of both councils, the big council's
    decision letter and each of its evidence packs (a quarter each, and a year of contract
    compliance). Each is built `runs` times each way, the app's build and raw WeasyPrint's taking
    turns, so that a busy moment slows one round of all three rather than one of them; each way
    gives its median build (`typical_build`)."""
    wanted = [
        ("statement, big council", "job", councils["big"]["statement_job"]),
        ("statement, small council", "job", councils["small"]["statement_job"]),
        ("decision letter, big council", "letter", councils["big"]["review"]),
    ]
    for name, job in councils["big"]["pack_jobs"].items():
        label = name.replace("_year", ", a year").replace("_", " ")
        wanted.append((f"evidence pack: {label}", "job", job))
    wanted = [(name, what, record) for name, what, record in wanted if chosen(name)]
    if not wanted:
        return {}
    results = {}
    builds = subprocess.Popen(
        [sys.executable, "-m", "bench.pdfs", "serve"],
        env=environment,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def ask(**request) -> dict:
        builds.stdin.write(json.dumps(request) + "\n")
        builds.stdin.flush()
        answer = builds.stdout.readline()
        if not answer:
            raise RuntimeError("the PDF process stopped")
        return json.loads(answer)

    try:
        for name, what, record in wanted:
            folder = str(WORK / "html" / name.replace(" ", "-").replace(",", "").replace(":", ""))
            builds_of = {mode: [] for mode in MODES}
            error = None
            for _ in range(runs):
                for mode in MODES:
                    request = {"what": what, "id": record} if mode == "app" else {}
                    answer = ask(mode=mode, folder=folder, **request)
                    if "error" in answer:
                        error = answer["error"]
                        break
                    builds_of[mode].append(answer)
                if error:
                    break
            if error:
                results[name] = {"error": error}
                log(f"  {name:45} failed: {error}")
                continue
            results[name] = {mode: typical_build(builds_of[mode]) for mode in MODES}
            app, raw, tagged = (results[name][mode] for mode in MODES)
            log(f"  {name:45} {app['pages']:>5} pages  app {app['seconds']:7.2f} s  "
                f"raw {raw['seconds']:7.2f} s  raw tagged {tagged['seconds']:7.2f} s  "
                f"peak {app['peak_mb']:.0f} MB")  # fmt: skip
    finally:
        builds.stdin.close()
        builds.wait(timeout=60)
    return results


# --- The run -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "1"))
    parser.add_argument("--generate-only", action="store_true", help="the data, then stop")
    parser.add_argument(
        "--skip-pdfs",
        action="store_true",
        default=os.environ.get("BENCH_SKIP_PDFS", "") == "1",
        help="no PDFs (BENCH_SKIP_PDFS=1)",
    )
    parser.add_argument("--skip-http", action="store_true", help="only the PDFs")
    parser.add_argument(
        "--compare-rls",
        action="store_true",
        default=os.environ.get("BENCH_COMPARE_RLS", "") == "1",
        help="measure with row-level security off, then on (BENCH_COMPARE_RLS=1)",
    )
    args = parser.parse_args(argv)
    scale = config.parse_scale(args.scale)
    sizes = config.Sizes.from_env()
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)

    with contextlib.ExitStack() as stack:
        owner_url = database_url(stack)
        redis = redis_url(stack)
        extra = {"BENCH_PASSWORD": config.PASSWORD}
        app_url = config.app_database_url(owner_url)
        # Migrations and the fixtures run as the owner; migrate makes the app's role when the
        # app signs in as one (DATABASE_APP_URL, as docker-compose's migrate step says).
        owner_extra = {**extra, "DATABASE_APP_URL": app_url} if app_url != owner_url else extra
        owner_environment = config.app_environment(
            database_url=owner_url, redis_url=redis, extra=owner_extra
        )
        data = prepare_database(owner_url, scale, owner_environment)
        # System work across every council, as the tables' owner (as a seed is).
        councils = fixtures(owner_environment)
        if args.generate_only:
            return 0
        environment = config.app_environment(database_url=app_url, redis_url=redis, extra=extra)
        from bench import measure, server

        if server.collect_static(environment):
            say("collected the static files as the production image does")
        runs = {}
        switches = config.RLS_VALUES if args.compare_rls else ("default",)
        for setting in () if args.skip_http else switches:
            label = setting
            served = environment
            if setting != "default":
                # Off: the same server, signed in as the tables' owner (a superuser), which the
                # policies do not bind; on: as the application's role, as production is.
                served = {**environment, config.RLS_SWITCH: setting}
                if setting == "off":
                    served["DATABASE_URL"] = owner_url
                say(f"row-level security {setting} ({config.RLS_SWITCH}={setting})")
            with server.serving(served) as port:
                which = f" matching /{sizes.only}/" if sizes.only else ""
                say(f"measuring each page and list{which}, {sizes.requests} requests each, as "
                    "the big and the small council")  # fmt: skip
                single = measure.single_client(
                    port, councils, config.PASSWORD, sizes.requests, log, sizes.chosen
                )
                many = None
                if sizes.clients > 0 and measure.throughput_mix(sizes.chosen):
                    say(f"{sizes.clients} clients at once for {sizes.seconds} s")
                    many = measure.many_clients(
                        port, councils, config.PASSWORD, sizes.clients, sizes.seconds, sizes.chosen
                    )
                    log(f"  {many['requests_per_second']} requests/s, p95 {many['p95_ms']} ms, "
                        f"{many['errors']} errors")  # fmt: skip
            runs[label] = {"single": single, "throughput": many}
        pdfs = {}
        if not args.skip_pdfs:
            say("each PDF against raw WeasyPrint on the same HTML")
            pdfs = measure_pdfs(environment, councils, sizes.chosen, sizes.pdf_runs)
        from bench import report

        md, js = report.write(
            {
                "scale": scale,
                "sizes": sizes.__dict__,
                "machine": report.machine(postgres_version(owner_url)),
                "server": {
                    "command": server.production_command(),
                    "settings": "shortbreaks.settings.production",
                },
                "data": data,
                "councils": councils,
                "runs": runs,
                "pdfs": pdfs,
                "seconds": round(time.monotonic() - started),
            },
            REPORTS,
        )
    say(f"the report: {md.relative_to(ROOT)} (and {js.name}); {time.monotonic() - started:.0f} s")
    print(md.read_text(), flush=True)
    failures = _failures(runs, pdfs)
    for failure in failures:
        print(f"bench: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _failures(runs: dict, pdfs: dict) -> list[str]:
    """What makes the run fail (exit 1): a server error or no answer, a PDF that did not build.
    Slowness never does; the report shows it."""
    found = []
    for label, run in runs.items():
        for name, result in run["single"].items():
            for council in ("big", "small"):
                bad = [
                    code
                    for code in result.get(council, {}).get("statuses", {})
                    if int(code) == 0 or int(code) >= 500
                ]
                if bad:
                    found.append(f"{name} ({council}, {label}) answered {', '.join(bad)}")
        bad = [c for c in (run["throughput"] or {}).get("statuses", {}) if not 0 < int(c) < 500]
        if bad:
            found.append(f"clients at once ({label}) got {', '.join(bad)}")
    found += [f"{name}: {pdf['error']}" for name, pdf in pdfs.items() if "error" in pdf]
    return found
