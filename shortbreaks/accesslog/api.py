"""The API's exception handler and the access-log endpoint."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from shortbreaks.accesslog.exports import ACCESS_LOG
from shortbreaks.accesslog.filters import AccessLogFilter
from shortbreaks.accesslog.models import AccessLogEntry, Action
from shortbreaks.accesslog.selectors import access_log_list
from shortbreaks.accesslog.services import LIST_ACTIONS, listing
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class ListingSerializer(serializers.Serializer):
    """What a list or search row records: the filters given and the ids shown."""

    label = serializers.CharField(help_text="Listed or Searched.")
    filters = serializers.DictField(child=serializers.CharField())
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="In the order shown.")
    unrecorded = serializers.IntegerField(
        help_text="How many more records were shown than the row could hold ids for."
    )


class AccessLogEntrySerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A row of a list, search or export records one of those actions besides the model's own.
    action = serializers.ChoiceField(
        choices=[*Action.choices, *LIST_ACTIONS.items()], read_only=True
    )
    listing = serializers.SerializerMethodField()

    @extend_schema_field(ListingSerializer(allow_null=True))
    def get_listing(self, entry) -> dict | None:
        found = listing(entry)
        if found is None:
            return None
        return {
            "label": found.label,
            "filters": dict(found.filters),
            "ids": found.ids,
            "unrecorded": found.unrecorded,
        }

    class Meta:
        model = AccessLogEntry
        fields = [
            "id",
            "at",
            "council",
            "username",
            "roles",
            "action",
            "object_type",
            "object_id",
            "ip_address",
            "path",
            "outcome",
            "listing",
        ]
        read_only_fields = fields


class AccessLogPagination(NewestFirstCursorPagination):
    """Newest first by time, as the page and the (council, at, id) index are ordered, so a time
    range and the next page are both read from the index where they start."""

    ordering = ("-at", "-id")


class AccessLogListApi(ExportableListMixin, ListAPIView):
    """The active council's access log, newest first. Council administrators and team managers.
    `?format=csv` or `xlsx` downloads every entry the filters keep; the download is logged."""

    serializer_class = AccessLogEntrySerializer
    export = ACCESS_LOG
    permission_classes = [HasRulePermission]
    required_permission = "accesslog.view_accesslog"
    pagination_class = AccessLogPagination
    filterset_class = AccessLogFilter

    def get_queryset(self):
        return access_log_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
