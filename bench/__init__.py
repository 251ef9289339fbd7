"""`make bench`: national-scale data in a database of its own, the app served as production
serves it, and a report of what a big and a small council's people wait for.

    make bench                 # SCALE=1: 150 councils, 1M children, 20M access-log rows
    make bench SCALE=0.05      # the same shape, 5% of the rows

    python -m bench --scale 0.05 [--generate-only] [--skip-pdfs]

Steps (bench/run.py): the database (BENCH_DATABASE_URL, or `shortbreaks_bench` on the embedded
server under .data/postgres), migrated by Django, filled by SQL (bench/generate.py, the access
log's hash chains by bench/accesslog_load.py) unless it already holds this SCALE, then the bench's
own people and the records that only the app's services can make (bench/fixtures.py); gunicorn
on production settings (bench/server.py) measured over HTTP (bench/measure.py); each PDF against
raw WeasyPrint on the same HTML (bench/pdfs.py); the report in Markdown and JSON
(bench/report.py, into bench/reports/). See docs/decisions/0010-benchmark.md.
"""
