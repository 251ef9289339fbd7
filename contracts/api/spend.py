"""The council's budget and outturn by financial year and package type, for other systems.

Reading needs `contracts.view_spend`; setting a line (POST or PUT, both create or replace the
line for that year and package type) needs `contracts.edit_spend`, which finance officers hold.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from contracts.exports import SPEND_LINES
from contracts.selectors import monitoring as monitoring_selectors
from contracts.serializers.spend import SpendLineSerializer, SpendLineSetSerializer
from contracts.services import spend as services
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class ByYearPagination(NewestFirstCursorPagination):
    ordering = ("financial_year", "package_type")


class SpendLineListApi(ExportableListMixin, ListAPIView):
    """Budget and outturn lines of the active council, by financial year then package type.
    `?format=csv` or `xlsx` downloads every line."""

    serializer_class = SpendLineSerializer
    export = SPEND_LINES
    pagination_class = ByYearPagination
    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return "contracts.view_spend"
        return "contracts.edit_spend"

    def get_queryset(self):
        return monitoring_selectors.spend_lines(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _set(self, request) -> Response:
        serializer = SpendLineSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = services.spend_line_set(actor=request.user, **serializer.validated_data)
        return Response(SpendLineSerializer(line).data)

    @extend_schema(
        request=SpendLineSetSerializer,
        responses={200: SpendLineSerializer},
        description="Set the budget and outturn for one financial year and package type.",
    )
    def post(self, request):
        return self._set(request)

    @extend_schema(
        request=SpendLineSetSerializer,
        responses={200: SpendLineSerializer},
        description="The same as POST: create or replace the line.",
    )
    def put(self, request):
        return self._set(request)


urlpatterns = [
    path("spend/", SpendLineListApi.as_view(), name="api-spend"),
]
