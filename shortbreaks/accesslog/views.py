from django.views.generic import TemplateView

from shortbreaks.accesslog.exports import ACCESS_LOG
from shortbreaks.accesslog.filters import AccessLogFilter
from shortbreaks.accesslog.selectors import (
    access_log_list,
    access_log_older_than,
    access_log_page_token,
)
from shortbreaks.accesslog.services import listing
from shortbreaks.exports import export_format, export_response
from shortbreaks.permissions import RulePermissionRequiredMixin

PAGE_SIZE = 50


class AccessLogView(RulePermissionRequiredMixin, TemplateView):
    """The council's access log, filtered, newest first, in pages that never count the table."""

    permission_required = "accesslog.view_accesslog"
    template_name = "accesslog/list.html"

    def get(self, request, *args, **kwargs):
        """`?format=csv|xlsx`: every entry the filters keep (not a page), itself logged. Filters
        that are not valid show the page with their errors instead."""
        fmt = export_format(request)
        if fmt is not None:
            params = request.GET.copy()
            for name in ("before", "format"):
                params.pop(name, None)
            filterset = AccessLogFilter(params, queryset=access_log_list(actor=request.user))
            if not filterset.errors:
                return export_response(
                    request=request,
                    actor=request.user,
                    export=ACCESS_LOG,
                    queryset=filterset.qs.select_related(None).order_by("-at", "-id"),
                    fmt=fmt,
                    filters={k: v for k, v in params.items() if v},
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        before = params.pop("before", [None])[-1]
        params.pop("format", None)
        filterset = AccessLogFilter(params, queryset=access_log_list(actor=self.request.user))
        entries = filterset.qs.select_related(None).order_by("-at", "-id")
        entries = access_log_older_than(entries, before)
        page = list(entries[: PAGE_SIZE + 1])
        older = access_log_page_token(page[PAGE_SIZE - 1]) if len(page) > PAGE_SIZE else None
        for entry in page:
            entry.listing = listing(entry)  # the filters and ids of a list or search
        query = params.urlencode()
        return super().get_context_data(
            filter=filterset,
            entries=page[:PAGE_SIZE],
            older_before=older,
            filter_query=query,
            **kwargs,
        )
