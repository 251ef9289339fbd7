"""The API's exception handler and the access-log endpoint."""

from __future__ import annotations

import django_filters
from django import forms
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from shortbreaks.accesslog.models import AccessLogEntry, Action, Outcome
from shortbreaks.accesslog.selectors import access_log_list
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class AccessLogEntrySerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)

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
        ]
        read_only_fields = fields


class AccessLogFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(field_name="username")
    action = django_filters.ChoiceFilter(choices=Action.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    object_type = django_filters.CharFilter(field_name="object_type")
    object_id = django_filters.CharFilter(field_name="object_id")
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", help_text="For example, 27/3/2026"
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", help_text="For example, 31/3/2026"
    )

    class Meta:
        model = AccessLogEntry
        fields = ["username", "action", "outcome", "object_type", "object_id", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK classes, so the same filter serves the page and the API.
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "govuk-select" if is_select else "govuk-input"


class AccessLogListApi(ListAPIView):
    """The active council's access log, newest first. Council administrators and team managers."""

    serializer_class = AccessLogEntrySerializer
    permission_classes = [HasRulePermission]
    required_permission = "accesslog.view_accesslog"
    pagination_class = NewestFirstCursorPagination
    filterset_class = AccessLogFilter

    def get_queryset(self):
        return access_log_list(actor=self.request.user)
