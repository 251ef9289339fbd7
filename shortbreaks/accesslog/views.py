from django.views.generic import TemplateView

from shortbreaks.accesslog.api import AccessLogFilter
from shortbreaks.accesslog.selectors import access_log_list
from shortbreaks.permissions import RulePermissionRequiredMixin

PAGE_SIZE = 50


class AccessLogView(RulePermissionRequiredMixin, TemplateView):
    """The council's access log, filtered, newest first, in pages that never count the table."""

    permission_required = "accesslog.view_accesslog"
    template_name = "accesslog/list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        before = params.pop("before", [None])[-1]
        filterset = AccessLogFilter(params, queryset=access_log_list(actor=self.request.user))
        entries = filterset.qs.select_related(None).order_by("-id")
        if before and before.isdigit():
            entries = entries.filter(id__lt=int(before))
        page = list(entries[: PAGE_SIZE + 1])
        older = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
        query = params.urlencode()
        return super().get_context_data(
            filter=filterset,
            entries=page[:PAGE_SIZE],
            older_before=older,
            filter_query=query,
            **kwargs,
        )
