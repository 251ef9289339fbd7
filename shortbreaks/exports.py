"""Lists as CSV and Excel (XLSX): one mechanism for every list page and list API.

A list declares its columns once (`Export`); its page answers `?format=csv` or `?format=xlsx`
(`export_response`, or `ExportableListMixin` for a list API) with every row its filters keep,
not one page. What it does, for every list alike:

- The rows are the actor's own: the export reads the same selector as the list, already scoped
  to the actor's council, and row-level security holds the streamed reads to that council too.
- The ids are read first and the export is written to the access log with them and the filters
  (action `export`, one row per download, docs/decisions/0008), in the request's transaction,
  before any row is sent. The rows are then read in chunks of those ids, so what was logged is
  what was sent, in a fixed number of queries per chunk whatever the council's size.
- CSV is streamed (StreamingHttpResponse), a chunk at a time; XLSX is written by openpyxl's
  write-only mode (rows go to a temporary file, not memory) and streamed from that file.
- A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`,
  so a spreadsheet shows it as text and never runs it as a formula (OWASP "CSV injection").
- A column may need a permission (`Column.permission`): a child's name needs
  `referrals.view_child`, so a commissioner's export never carries one, whatever the list.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import BaseRenderer

from shortbreaks import rls
from shortbreaks.accesslog.services import EXPORT, access_log_record_list

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 1000
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A text cell a spreadsheet would read as a formula, made plain text."""
    return "'" + value if value.startswith(DANGEROUS_STARTS) else value


@dataclass(frozen=True)
class Column:
    """One column: its heading, and the value from a row (a function, or an attribute path with
    dots: `"provider.name"`). Shown only to people holding `permission`, when given."""

    header: str
    value: Callable[[object], object] | str
    permission: str | None = None

    def read(self, row) -> object:
        if callable(self.value):
            return self.value(row)
        found = row
        for part in self.value.split("."):
            found = getattr(found, part, None)
            if found is None:
                return None
        if callable(found):
            found = found()
        return found


@dataclass(frozen=True)
class Export:
    """What a list exports: its file name, what its ids are (for the access log) and columns."""

    name: str
    object_type: str
    columns: Sequence[Column] = field(default_factory=tuple)

    def columns_for(self, actor) -> list[Column]:
        return [c for c in self.columns if c.permission is None or actor.has_perm(c.permission)]


def _cell(value, *, for_csv: bool):
    """A value as the file holds it: numbers stay numbers, dates UK style in CSV (real dates in
    Excel), choices and records as their text; every text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M") if for_csv else value.replace(tzinfo=None)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if for_csv else value
    if isinstance(value, list | tuple | set):
        value = ", ".join(str(v) for v in value)
    return neutralise(str(value))


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _rows_in_order(queryset, ids: list[int]) -> Iterator:
    """The rows of `ids`, in that order, a chunk of CHUNK ids per query."""
    it = iter(ids)
    while chunk := list(islice(it, CHUNK)):
        found = {row.pk: row for row in queryset.filter(pk__in=chunk)}
        yield from (found[pk] for pk in chunk if pk in found)


def _lines(columns: list[Column], rows: Iterable, *, for_csv: bool) -> Iterator[list]:
    yield [neutralise(c.header) for c in columns]
    for row in rows:
        yield [_cell(c.read(row), for_csv=for_csv) for c in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(export: Export, fmt: str) -> str:
    return f"{export.name}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def export_format(request) -> str | None:
    """The export the request asks for (`format` in its query string or its form), or None."""
    asked = request.GET.get("format") or (
        request.POST.get("format") if request.method == "POST" else None
    )
    return asked if asked in FORMATS else None


def export_response(
    *, request, actor, export: Export, queryset, fmt: str, filters: dict | None = None
):
    """Every row of `queryset` (already the actor's, already filtered) as a download, logged."""
    if fmt not in FORMATS:
        raise ValueError(f"No export format {fmt!r}")
    columns = export.columns_for(actor)
    ids = _unique(queryset.values_list("pk", flat=True))
    access_log_record_list(
        actor=actor,
        request=request,
        object_type=export.object_type,
        ids=ids,
        filters={**(filters or {}), "format": fmt},
        action=EXPORT,
    )
    queryset = queryset.order_by()
    return _file_response(export, columns, lambda: _rows_in_order(queryset, ids), fmt)


def export_rows_response(
    *,
    request,
    actor,
    export: Export,
    ids: Iterable[int],
    rows: Callable[[], Iterable],
    fmt: str,
    filters: dict | None = None,
):
    """A list whose rows are not one model's (a caseload's items come from several tables):
    `ids` (of `export.object_type`) are logged before anything is sent, then `rows()` is read as
    the file is written, in the actor's council's scope. For a queryset, `export_response`."""
    if fmt not in FORMATS:
        raise ValueError(f"No export format {fmt!r}")
    access_log_record_list(
        actor=actor,
        request=request,
        object_type=export.object_type,
        ids=_unique(ids),
        filters={**(filters or {}), "format": fmt},
        action=EXPORT,
    )
    return _file_response(export, export.columns_for(actor), rows, fmt)


def _file_response(export: Export, columns: list[Column], rows: Callable[[], Iterable], fmt):
    if fmt == XLSX:
        return _xlsx_response(export, columns, rows())
    # The rows are read as the response streams, after the view has returned and the request's
    # scope has been put back: the stream sets the same council's scope again while it reads.
    scope = rls.current()

    def stream() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so Excel opens the UTF-8 file as UTF-8
        with rls.scope(scope):
            for line in _lines(columns, rows(), for_csv=True):
                yield writer.writerow(line)

    response = StreamingHttpResponse(stream(), content_type=CONTENT_TYPES[CSV])
    return _as_attachment(response, _filename(export, CSV))


def _xlsx_response(export: Export, columns: list[Column], rows: Iterable):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.name[:31])
    for line in _lines(columns, rows, for_csv=False):
        sheet.append(line)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=CONTENT_TYPES[XLSX])
    return _as_attachment(response, _filename(export, XLSX))


def _as_attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ----------------------------------------------------------------------------------------------
# The API: `?format=csv` or `?format=xlsx` on a list endpoint


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through DRF's content negotiation; the export itself is the view's."""

    media_type = "text/csv"
    format = CSV
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only a refusal is rendered here (an export answers its own file): as JSON, as ever.
        return json.dumps(data).encode() if data is not None else b""


class XLSXRenderer(CSVRenderer):
    media_type = CONTENT_TYPES[XLSX]
    format = XLSX
    charset = None


# For the API description of each exportable list (`extend_schema(parameters=[...])`).
EXPORT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=list(FORMATS),
    required=False,
    description="csv or xlsx: every row the filters keep, as a download (not a page).",
)


class ExportableListMixin:
    """For a DRF list view: `?format=csv|xlsx` answers every row `filter_queryset` keeps (not a
    page) as a download, through `export_response`. The view declares `export` (its columns)."""

    export: Export

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer(), XLSXRenderer()]

    def export_filters(self) -> dict:
        return {k: v for k, v in self.request.query_params.items() if k not in ("format",)}

    def export_format(self, request) -> str | None:
        """`?format=csv|xlsx`, or an Accept header that chose one of the export renderers."""
        accepted = getattr(getattr(request, "accepted_renderer", None), "format", None)
        return export_format(request._request) or (accepted if accepted in FORMATS else None)

    def list(self, request, *args, **kwargs):
        fmt = self.export_format(request)
        if fmt is None:
            return super().list(request, *args, **kwargs)
        return export_response(
            request=request,
            actor=request.user,
            export=self.export,
            queryset=self.filter_queryset(self.get_queryset()),
            fmt=fmt,
            filters=self.export_filters(),
        )
