"""The bench's harness without a server: it serves the app with production's gunicorn command,
counts queries as the pinned counts do, keeps every database URL rule in one place, and its
report flags each target a line misses."""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from bench import config, measure, report, server
from shortbreaks.councils.models import Council


def test_it_serves_docker_composes_web_command_on_a_loopback_port():
    production = server.production_command()
    command = server.bench_command(8123)
    assert command[1:3] == ["-m", "gunicorn"]
    assert server.APP in production and server.APP not in command
    assert server.BENCH_APP in command
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    # Every other option (workers, threads, timeouts) is production's own.
    kept = [part for part in production[1:] if part not in (server.APP, "0.0.0.0:8000")]
    assert [part for part in command[3:] if part not in (server.BENCH_APP, "127.0.0.1:8123")] == (
        kept
    )


@pytest.mark.parametrize(
    "url",
    [
        # The embedded server's: its Unix socket folder as the path (shortbreaks.runtime).
        "postgres://postgres@//tmp/sockets/shortbreaks",
        "postgres://owner:secret@db.example:5432/shortbreaks?sslmode=require",
    ],
)
def test_database_urls_change_in_one_place(url):
    bench = config.with_database(url, "shortbreaks_bench")
    assert config.connect_kwargs(bench)["dbname"] == "shortbreaks_bench"
    app = config.with_user(bench, "shortbreaks_app")
    assert config.connect_kwargs(app)["user"] == "shortbreaks_app"
    assert config.connect_kwargs(app)["dbname"] == "shortbreaks_bench"
    assert "secret" not in app
    assert config.connect_kwargs(app).get("host") == config.connect_kwargs(url).get("host")
    assert config.app_database_url(bench) in (bench, app)


@pytest.mark.django_db
def test_the_query_header_counts_what_the_pinned_counts_count():
    from bench.wsgi import HEADER, application

    council = Council.objects.create(slug="counted", name="Counted Council")
    environ = {"PATH_INFO": f"/statements/{council.slug}/", "wsgi.errors": io.StringIO()}
    setup_testing_defaults(environ)
    headers = {}

    def start_response(status, response_headers, exc_info=None):
        headers.update(response_headers)
        headers["status"] = status

    # As Django's test client does: the handler must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(application(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert headers["status"].startswith("200"), body[:200]
    assert int(headers[HEADER]) == len(queries.captured_queries) > 0


def test_percentiles_are_nearest_rank():
    values = list(range(1, 31))
    assert measure.percentile(values, 0.95) == 29
    assert measure.percentile(values, 0.5) == 15
    assert measure.percentile([7.0], 0.95) == 7.0


def test_the_councils_take_turns_request_by_request(monkeypatch):
    sent = []

    class Reader:
        def __init__(self, port, username="", password=""):
            self.username = username or "public"

        def sign_in(self):
            pass

        def fetch(self, target, ids):
            sent.append((target.name, ids["username"], self.username))
            return measure.Answer(200, 0.01, 4, 10)

    monkeypatch.setattr(measure, "Person", Reader)
    councils = {"big": {"username": "b", "slug": "b"}, "small": {"username": "s", "slug": "s"}}
    chosen = {"children", "public directory"}.__contains__
    results = measure.single_client(8000, councils, "pw", 3, lambda line: None, chosen)

    assert [who for name, who, _ in sent if name == "children"] == ["b", "s"] + ["b", "s"] * 3
    # A public page is read by nobody signed in, each council's page in turn.
    public = [(who, reader) for name, who, reader in sent if name == "public directory"]
    assert public == [("b", "public"), ("s", "public")] * 4
    assert results["children"]["big"]["requests"] == results["children"]["small"]["requests"] == 3
    assert results["children"]["big"]["queries"] == [4]


def _summary(p95, queries=(5,), statuses=None):
    return {
        "p50_ms": p95,
        "p95_ms": p95,
        "queries_usual": queries[0],
        "queries": list(queries),
        "statuses": statuses or {"200": 30},
    }


def test_the_report_names_each_target_a_list_misses():
    rows = report.page_rows(
        {
            "fine": {"group": "list", "big": _summary(120), "small": _summary(100)},
            "slow": {"group": "list", "big": _summary(420), "small": _summary(100)},
            "growing": {"group": "list", "big": _summary(90, (6,)), "small": _summary(90)},
            "now and then": {"group": "list", "big": _summary(90, (5, 6)), "small": _summary(90)},
            "broken": {
                "group": "list",
                "big": _summary(10, statuses={"500": 30}),
                "small": _summary(10),
            },
            "a record": {"group": "record", "big": _summary(900), "small": _summary(100)},
        }
    )
    problems = {row["name"]: row["problems"] for row in rows}
    assert problems["fine"] == []
    assert problems["slow"] == ["p95 > 300 ms", "big/small > 1.5"]
    assert problems["growing"] == ["queries differ"]
    assert problems["now and then"] == []
    assert problems["broken"] == ["status 200, 500"]
    assert problems["a record"] == []


def test_bench_only_chooses_pages_lists_and_pdfs_by_name(monkeypatch):
    monkeypatch.setenv("BENCH_ONLY", "support|API aggregates$")
    sizes = config.Sizes.from_env()
    names = [t.name for t in measure.targets() if sizes.chosen(t.name)]
    assert names == ["support in numbers", "support in numbers CSV", "API aggregates"]
    assert [t.name for t in measure.throughput_mix(sizes.chosen)] == names
    assert not sizes.chosen("statement, big council")
    monkeypatch.setenv("BENCH_ONLY", "")
    everything = config.Sizes.from_env()
    assert all(everything.chosen(t.name) for t in measure.targets())
    assert len(measure.throughput_mix(everything.chosen)) > len(names)


def test_bench_only_refuses_a_pattern_that_is_no_regular_expression(monkeypatch):
    import re

    monkeypatch.setenv("BENCH_ONLY", "support(")
    with pytest.raises(re.error):
        config.Sizes.from_env()


def _run(*, only: str, single: dict, pdfs: dict, compare_rls: bool = False) -> dict:
    """A run as bench.run hands it to the report: one client's lines, no clients at once."""
    serving = {"single": single, "throughput": None}
    return {
        "scale": 1.0,
        "sizes": {"requests": 3, "clients": 0, "seconds": 30, "only": only},
        "machine": report.machine("PostgreSQL 18"),
        "server": {"command": ["gunicorn"], "settings": "production"},
        "data": {"generated": False, "rows": {"children": 10}},
        "councils": {
            "big": {"children": 10, "active_children": 5},
            "small": {"children": 2, "active_children": 1},
        },
        "runs": {"off": serving, "on": serving} if compare_rls else {"on": serving},
        "pdfs": pdfs,
    }


def test_a_subset_without_clients_at_once_has_its_own_report(tmp_path):
    single = {"support in numbers": {"group": "list", "big": _summary(90), "small": _summary(80)}}
    run = _run(only="support", single=single, pdfs={}, compare_rls=True)
    md, js = report.write(run, tmp_path)
    assert md.name == "bench-scale-1-subset.md" and js.name == "bench-scale-1-subset.json"
    text = md.read_text()
    assert "whose names match `support`" in text
    assert "| support in numbers |" in text
    assert "clients for" not in text


def _pdf_result(seconds: float) -> dict:
    return {"seconds": seconds, "pages": 10, "peak_mb": 200.0, "time_limit": 240}


def test_each_pdf_is_set_against_raw_and_raw_tagged_weasyprint(tmp_path):
    pdfs = {
        "statement, big council": {
            "app": _pdf_result(13.0),
            "raw": _pdf_result(10.0),
            "raw_tagged": _pdf_result(12.5),
        },
        "letter": {"error": "the letter answered 500"},
    }
    run = _run(only="", single={}, pdfs=pdfs)
    md, js = report.write(run, tmp_path)
    text = md.read_text()
    # Pages, app s, raw s, app/raw, raw tagged s, app/raw tagged, pages/s, peaks, time limit.
    row = "| statement, big council | 10 | 13.00 | 10.00 | 1.3 | 12.50 | 1.0 | 0.8 | 200 | 200 |"
    assert row + " within 240 s |" in text
    assert "| letter | | | | | | | | | | the letter answered 500 |" in text
    assert '"ratio_tagged": 1.04' in js.read_text()


def test_raw_tagged_asks_weasyprint_for_what_the_app_asks():
    from bench import pdfs
    from shortbreaks.documents import rendering

    assert pdfs.TAGGED_VARIANT == rendering.PDF_VARIANT


def test_each_way_of_building_a_pdf_counts_its_median_build_and_its_highest_peak():
    from bench.run import typical_build

    builds = [
        {"seconds": 12.0, "pages": 93, "peak_mb": 290.0},
        {"seconds": 10.5, "pages": 93, "peak_mb": 296.0},
        {"seconds": 10.9, "pages": 93, "peak_mb": 291.0},
    ]
    typical = typical_build(builds)
    assert typical == {"seconds": 10.9, "pages": 93, "peak_mb": 296.0, "runs": [12.0, 10.5, 10.9]}
    assert typical_build(builds[:1])["seconds"] == 12.0
    # An even number: the faster of the middle two.
    assert typical_build(builds[:2])["seconds"] == 10.5
    assert builds[2] == {"seconds": 10.9, "pages": 93, "peak_mb": 291.0}  # the answers kept


def test_the_app_and_raw_weasyprint_take_turns_building_each_pdf(monkeypatch, tmp_path):
    from bench import run

    asked = []

    class Builds:
        def __init__(self, *args, **kwargs):
            self.stdin = self
            self.stdout = self
            self.answers = []

        def write(self, line):
            import json

            request = json.loads(line)
            asked.append(request["mode"])
            seconds = {"app": 1.2, "raw": 1.0, "raw_tagged": 1.1}[request["mode"]]
            self.answers.append(json.dumps({**_pdf_result(seconds + len(asked) / 100)}))

        def flush(self):
            pass

        def readline(self):
            return self.answers.pop(0) + "\n"

        def close(self):
            pass

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(run.subprocess, "Popen", Builds)
    monkeypatch.setattr(run, "WORK", tmp_path)
    councils = {
        "big": {"statement_job": 1, "review": 2, "pack_jobs": {}},
        "small": {"statement_job": 3},
    }
    chosen = "statement, big council".__eq__
    results = run.measure_pdfs({}, councils, chosen, runs=3)
    assert asked == ["app", "raw", "raw_tagged"] * 3
    statement = results["statement, big council"]
    assert statement["app"]["runs"] == [1.21, 1.24, 1.27]
    assert statement["app"]["seconds"] == 1.24
    assert statement["raw_tagged"]["seconds"] == pytest.approx(1.16)


@pytest.mark.parametrize(
    ("name", "app", "tagged", "pages", "peak", "problems"),
    [
        ("statement, big council", 12.0, 10.5, 93, 295.0, []),
        (
            "statement, big council",
            13.0,
            10.5,
            93,
            310.0,
            ["app/raw tagged > 1.2", "peak > 300 MB"],
        ),
        # The small council's statement and the letter are measured, not held to the ratio.
        ("statement, small council", 0.9, 0.7, 7, 140.0, []),
        ("decision letter, big council", 0.3, 0.2, 3, 130.0, []),
        ("evidence pack: referral records", 25.0, 23.0, 136, 430.0, []),
        (
            "evidence pack: referral records",
            30.0,
            23.0,
            136,
            510.0,
            ["app/raw tagged > 1.2", "peak > 500 MB", "< 5 pages/s"],
        ),
        ("evidence pack: monitoring", 300.0, 290.0, 4, 130.0, ["< 5 pages/s", "over 240 s"]),
    ],
)
def test_each_pdf_is_held_to_its_targets(tmp_path, name, app, tagged, pages, peak, problems):
    built = {"seconds": app, "pages": pages, "peak_mb": peak, "time_limit": 240}
    pdfs = {
        name: {
            "app": built,
            "raw": _pdf_result(tagged * 0.85),
            "raw_tagged": {**_pdf_result(tagged), "pages": pages},
        }
    }
    md, js = report.write(_run(only="", single={}, pdfs=pdfs), tmp_path)
    row = next(line for line in md.read_text().splitlines() if line.startswith(f"| {name} |"))
    assert row.endswith(f"| {'; '.join(problems) or 'within 240 s'} |")


def test_a_run_without_raw_tagged_is_held_to_raw(tmp_path):
    pdfs = {"evidence pack: dps": {"app": _pdf_result(13.0), "raw": _pdf_result(10.0)}}
    md, _ = report.write(_run(only="", single={}, pdfs=pdfs), tmp_path)
    assert "| app/raw > 1.2; < 5 pages/s |" in md.read_text()
