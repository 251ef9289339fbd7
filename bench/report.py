"""The bench's report, in Markdown for people and JSON for tools, from the numbers of one run.

Every ratio in it compares numbers measured in the same run, on the same machine. The targets it
checks are the design's (QUALITY.md "Speed"; the national-scale goals): each page and list API at
most 300 ms p95 on its own and at most 1.5 times slower for the big council than the small one,
the same number of queries for both, 8 clients at 50 requests a second or more with p95 at most
400 ms, and PDFs close to raw WeasyPrint on the same HTML.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

P95_LIMIT_MS = 300
RATIO_LIMIT = 1.5
THROUGHPUT_MIN = 50
THROUGHPUT_P95_MS = 400
PDF_RATIO_LIMIT = 1.2
# The big council's statement and each evidence pack: their peak memory, and a pack's pages a
# second, at most and at least.
STATEMENT_PEAK_MB = 300
PACK_PEAK_MB = 500
PACK_PAGES_PER_SECOND = 5


def machine(postgres_version: str) -> dict:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GB"
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres_version,
        # Anything else running shows in the numbers: the load when the run ended (1, 5, 15 min).
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def _ratio(a, b):
    if a is None or b is None or not b:
        return None
    return round(a / b, 2)


def _fmt(value, suffix="") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}" if value < 100 else f"{value:,.0f}{suffix}"
    return f"{value:,}{suffix}"


def _queries(summary: dict) -> str:
    """The usual count; a "+" when a request now and then ran more (a session or token write)."""
    usual = summary.get("queries_usual")
    if usual is None:
        return "–"
    return f"{usual}+" if max(summary.get("queries") or [usual]) > usual else str(usual)


def _ok_statuses(summary: dict) -> bool:
    return all(200 <= int(code) < 400 for code in summary.get("statuses", {}))


def page_rows(single: dict) -> list[dict]:
    rows = []
    for name, result in single.items():
        big, small = result.get("big", {}), result.get("small", {})
        ratio = _ratio(big.get("p95_ms"), small.get("p95_ms"))
        problems = []
        if not (_ok_statuses(big) and _ok_statuses(small)):
            problems.append("status " + ", ".join(sorted({*big["statuses"], *small["statuses"]})))
        if result["group"] == "list":
            if big.get("p95_ms") is not None and big["p95_ms"] > P95_LIMIT_MS:
                problems.append(f"p95 > {P95_LIMIT_MS} ms")
            if ratio is not None and ratio > RATIO_LIMIT:
                problems.append(f"big/small > {RATIO_LIMIT}")
            if big.get("queries_usual") != small.get("queries_usual"):
                problems.append("queries differ")
        rows.append({"name": name, **result, "ratio": ratio, "problems": problems})
    return rows


def pdf_problems(name: str, pdf: dict) -> list[str]:
    """The targets a PDF misses. Its build is set against WeasyPrint writing the same tagged PDF
    (`ratio_tagged`), as the app writes every PDF; a run without it, against raw."""
    problems = []
    compared = "app/raw tagged" if "ratio_tagged" in pdf else "app/raw"
    ratio = pdf.get("ratio_tagged", pdf.get("ratio"))
    held = name == "statement, big council" or name.startswith("evidence pack")
    if held and ratio is not None and ratio > PDF_RATIO_LIMIT:
        problems.append(f"{compared} > {PDF_RATIO_LIMIT}")
    peak = pdf["app"]["peak_mb"]
    if name == "statement, big council" and peak > STATEMENT_PEAK_MB:
        problems.append(f"peak > {STATEMENT_PEAK_MB} MB")
    if name.startswith("evidence pack"):
        if peak > PACK_PEAK_MB:
            problems.append(f"peak > {PACK_PEAK_MB} MB")
        if (pdf.get("pages_per_second") or 0) < PACK_PAGES_PER_SECOND:
            problems.append(f"< {PACK_PAGES_PER_SECOND} pages/s")
    limit = pdf["app"].get("time_limit")
    if limit and pdf["app"]["seconds"] >= limit:
        problems.append(f"over {limit} s")
    return problems


def markdown(report: dict) -> str:
    lines = []
    add = lines.append
    add(f"# Bench report: SCALE={report['scale']:g}")
    add("")
    if report["sizes"].get("only"):
        add(f"Only the pages, lists and PDFs whose names match `{report['sizes']['only']}` "
            "(BENCH_ONLY).")  # fmt: skip
        add("")
    add(f"Run {report['finished']} on {report['machine']['cpu']} "
        f"({report['machine']['cores']} cores, {report['machine']['memory']}), "
        f"{report['machine']['os']}, Python {report['machine']['python']}, "
        f"{report['machine']['postgresql']}; load average at the end "
        f"{' / '.join(str(x) for x in report['machine'].get('load_average', []))} "
        "(1, 5 and 15 minutes).")  # fmt: skip
    data = report["data"]
    generated = (
        f"generated in {data['seconds']:.0f} s"
        if data.get("generated")
        else "reused (generated earlier at this SCALE)"
    )
    add("")
    add(f"Data: {generated}; " + ", ".join(f"{k} {v:,}" for k, v in data["rows"].items()) + ".")
    big, small = report["councils"]["big"], report["councils"]["small"]
    add(f"Big council: {big['children']:,} children, {big['active_children']:,} with an active "
        f"package. Small council: {small['children']:,} children, "
        f"{small['active_children']:,} active.")  # fmt: skip
    add(f"Served by `{' '.join(report['server']['command'])}` on production settings.")
    for label, run in report["runs"].items():
        add("")
        title = "Pages and lists" if label == "default" else f"Row-level security {label}"
        add(f"## {title}: one client, {report['sizes']['requests']} requests each")
        add("")
        add("| page or list | big p50 | big p95 | small p50 | small p95 | p95 big/small | "
            "queries big / small | |")  # fmt: skip
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for row in page_rows(run["single"]):
            b, s = row.get("big", {}), row.get("small", {})
            add(
                f"| {row['name']} | {_fmt(b.get('p50_ms'))} | {_fmt(b.get('p95_ms'))} | "
                f"{_fmt(s.get('p50_ms'))} | {_fmt(s.get('p95_ms'))} | {_fmt(row['ratio'])} | "
                f"{_queries(b)} / {_queries(s)} | {'; '.join(row['problems'])} |"
            )
        many = run["throughput"]
        if not many:
            continue
        add("")
        add(f"## {title}: {many['clients']} clients for {many['seconds']:.0f} s")
        add("")
        add("| requests | per second | p50 ms | p95 ms | errors | big p95 | small p95 |")
        add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        add(
            f"| {many['requests']:,} | {_fmt(many['requests_per_second'])} | "
            f"{_fmt(many['p50_ms'])} | {_fmt(many['p95_ms'])} | {many['errors']} | "
            f"{_fmt(many['by_council']['big']['p95_ms'])} | "
            f"{_fmt(many['by_council']['small']['p95_ms'])} |"
        )
    if "comparison" in report:
        add("")
        add("## What row-level security costs (same run, on / off)")
        add("")
        add("| page or list | big p95 off | big p95 on | on/off | small p95 off | small p95 on | "
            "on/off |")  # fmt: skip
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in report["comparison"]["pages"]:
            add(
                f"| {row['name']} | {_fmt(row['big_off'])} | {_fmt(row['big_on'])} | "
                f"{_fmt(row['big_ratio'])} | {_fmt(row['small_off'])} | {_fmt(row['small_on'])} | "
                f"{_fmt(row['small_ratio'])} |"
            )
        t = report["comparison"]["throughput"] or {}
        add("")
        if t:
            add(f"Throughput: {_fmt(t['off'])} requests/s off, {_fmt(t['on'])} on "
                f"(on/off {_fmt(t['ratio'])}); p95 {_fmt(t['p95_off'])} ms off, "
                f"{_fmt(t['p95_on'])} ms on.")  # fmt: skip
    if report.get("pdfs"):
        add("")
        add("## PDFs: the app's build against raw WeasyPrint on the same HTML")
        add("")
        add("Raw is WeasyPrint's defaults (untagged); raw tagged writes the same layout as tagged "
            "PDF (PDF/UA-1), as the app writes every PDF: app / raw tagged is what the app adds "
            f"to WeasyPrint's own work. Each is built {report['sizes'].get('pdf_runs', 1)} times "
            "each way, the three taking turns: the median build's seconds, the highest "
            "peak.")  # fmt: skip
        add("")
        add("| PDF | pages | app s | raw s | app/raw | raw tagged s | app/raw tagged | pages/s | "
            "app peak MB | raw peak MB | |")  # fmt: skip
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for name, pdf in report["pdfs"].items():
            if "error" in pdf:
                add(f"| {name} | | | | | | | | | | {pdf['error']} |")
                continue
            app, raw, tagged = pdf["app"], pdf["raw"], pdf.get("raw_tagged")
            tagged_seconds = "" if tagged is None else f"{tagged['seconds']:.2f}"
            limit = app.get("time_limit")
            if pdf["problems"]:
                verdict = "; ".join(pdf["problems"])
            else:
                verdict = f"within {limit} s" if limit else ""
            add(
                f"| {name} | {app['pages']:,} | {app['seconds']:.2f} | {raw['seconds']:.2f} | "
                f"{_fmt(pdf['ratio'])} | {tagged_seconds} | "
                f"{_fmt(pdf.get('ratio_tagged'))} | {_fmt(pdf['pages_per_second'])} | "
                f"{app['peak_mb']:.0f} | {raw['peak_mb']:.0f} | "
                f"{verdict} |"
            )
    add("")
    add(f"Targets: pages and lists p95 at most {P95_LIMIT_MS} ms and big/small at most "
        f"{RATIO_LIMIT}, queries the same; {THROUGHPUT_MIN} requests/s or more with p95 at most "
        f"{THROUGHPUT_P95_MS} ms for 8 clients; the big council's statement and each evidence "
        f"pack at most {PDF_RATIO_LIMIT}x raw tagged WeasyPrint, the statement's peak at most "
        f"{STATEMENT_PEAK_MB} MB, a pack's at most {PACK_PEAK_MB} MB and {PACK_PAGES_PER_SECOND} "
        "pages a second or more, every PDF within its time limit. The last column names each "
        "target a line misses (records' own pages are timed, not held to the list "
        "targets).")  # fmt: skip
    return "\n".join(lines) + "\n"


def comparison(runs: dict) -> dict:
    off, on = runs["off"], runs["on"]
    pages = []
    for name, result in on["single"].items():
        before = off["single"][name]
        row = {"name": name}
        for council in ("big", "small"):
            row[f"{council}_off"] = before.get(council, {}).get("p95_ms")
            row[f"{council}_on"] = result.get(council, {}).get("p95_ms")
            row[f"{council}_ratio"] = _ratio(row[f"{council}_on"], row[f"{council}_off"])
        pages.append(row)
    t_off, t_on = off["throughput"], on["throughput"]
    return {
        "pages": pages,
        "throughput": None
        if not (t_off and t_on)
        else {
            "off": t_off["requests_per_second"],
            "on": t_on["requests_per_second"],
            "ratio": _ratio(t_on["requests_per_second"], t_off["requests_per_second"]),
            "p95_off": t_off["p95_ms"],
            "p95_on": t_on["p95_ms"],
        },
    }


def write(report: dict, folder: Path) -> tuple[Path, Path]:
    """bench/reports/bench-scale-<SCALE>.md and .json (each run replaces its SCALE's report)."""
    report = {**report, "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if set(report["runs"]) == {"off", "on"}:
        report["comparison"] = comparison(report["runs"])
    for name, pdf in (report.get("pdfs") or {}).items():
        if "app" in pdf:
            pdf["ratio"] = _ratio(pdf["app"]["seconds"], pdf["raw"]["seconds"])
            if "raw_tagged" in pdf:
                pdf["ratio_tagged"] = _ratio(pdf["app"]["seconds"], pdf["raw_tagged"]["seconds"])
            pdf["pages_per_second"] = (
                round(pdf["app"]["pages"] / pdf["app"]["seconds"], 1)
                if pdf["app"]["seconds"]
                else None
            )
            pdf["problems"] = pdf_problems(name, pdf)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"bench-scale-{report['scale']:g}"
    if report["sizes"].get("only"):
        stem += "-subset"  # a subset never replaces the full run's report
    md, js = folder / f"{stem}.md", folder / f"{stem}.json"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return md, js
