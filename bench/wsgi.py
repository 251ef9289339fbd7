"""The app as production serves it (shortbreaks.wsgi), with one addition for the bench: each
response says how many SQL statements its request ran, in `X-Bench-Queries`.

Counted as the test suite's pinned counts are (every statement sent through Django's cursors,
savepoints included; the row-level security scope is set on the driver's own connection and is
not one), by an execute wrapper around the request's database work. Served only by `make bench`.
"""

from __future__ import annotations

from django.db import connections

from shortbreaks.wsgi import application as django_application

HEADER = "X-Bench-Queries"


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def application(environ, start_response):
    counter = _Counter()

    def counted_start_response(status, headers, exc_info=None):
        return start_response(status, [*headers, (HEADER, str(counter.count))], exc_info)

    with connections["default"].execute_wrapper(counter):
        return django_application(environ, counted_start_response)
