"""A contract's monitoring records, for other systems.

Reading needs `contracts.view_contract` (the lead council and participating councils alike);
recording needs `contracts.manage_contract` in the lead council. Another council's contract, or a
participant's attempt to record, answers 404 exactly as a missing contract.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from contracts.exports import MONITORING
from contracts.models import MonitoringRecord
from contracts.selectors import monitoring as monitoring_selectors
from contracts.selectors import register as register_selectors
from contracts.serializers.monitoring import (
    MonitoringRecordCreateSerializer,
    MonitoringRecordSerializer,
)
from contracts.services import monitoring as services
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class MonitoringPagination(NewestFirstCursorPagination):
    ordering = ("-held_on", "-id")


class ContractMonitoringApi(ExportableListMixin, ListAPIView):
    """Quality assurance visits, performance meetings and KPI returns on one contract, newest
    first. POST records one. `?format=csv` or `xlsx` downloads every record."""

    serializer_class = MonitoringRecordSerializer
    export = MONITORING
    pagination_class = MonitoringPagination
    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return "contracts.view_contract"
        return "contracts.manage_contract"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no contract id
            return MonitoringRecord.objects.none()
        actor = self.request.user
        contract = register_selectors.access_contract_by_id(
            actor=actor, contract_id=self.kwargs["contract_id"]
        )
        return monitoring_selectors.monitoring_list(actor=actor, contract=contract).select_related(
            "recorded_by", "contract", "provider"
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MonitoringRecordCreateSerializer, responses={201: MonitoringRecordSerializer}
    )
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = MonitoringRecordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.monitoring_record_create(
            actor=request.user, contract=contract, **serializer.validated_data
        )
        return Response(MonitoringRecordSerializer(record).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "contracts/<int:contract_id>/monitoring/",
        ContractMonitoringApi.as_view(),
        name="api-contract-monitoring",
    ),
]
