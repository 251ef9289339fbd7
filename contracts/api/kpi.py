"""The council's side of provider KPI returns, for other systems: ask a provider awarded a lot
for a period's figures, then accept or query what it submits.

Needs `contracts.manage_contract` in the lead council. Another council's contract or return
answers 404 exactly as a missing one; a step the return's state forbids answers 409.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.portal import selectors as portal_selectors
from contracts.selectors import register as register_selectors
from contracts.serializers.kpi import (
    KPIReturnQuerySerializer,
    KPIReturnRequestSerializer,
    KPIReturnSerializer,
)
from contracts.services import kpi as kpi_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.permissions import HasRulePermission


class KPIReturnRequestApi(APIView):
    """Ask a provider awarded a lot of the contract for a period's figures, by a date."""

    permission_classes = [HasRulePermission]
    required_permission = "contracts.manage_contract"

    @extend_schema(
        summary="Ask a provider for a KPI return",
        request=KPIReturnRequestSerializer,
        responses={201: KPIReturnSerializer},
    )
    def post(self, request, contract_id: int):
        actor = request.user
        contract = register_selectors.access_contract_for_change(
            actor=actor, contract_id=contract_id
        )
        data = KPIReturnRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        provider = register_selectors.council_provider(
            actor=actor, provider_id=data.validated_data["provider"]
        )
        if provider is None:
            raise ValidationError({"provider": "Choose a provider awarded a lot of this contract."})
        record = kpi_services.kpi_return_request(
            actor=actor,
            contract=contract,
            provider=provider,
            period=data.validated_data["period"],
            due_on=data.validated_data["due_on"],
        )
        access_log_record(actor=actor, request=request, action="create", obj=record)
        return Response(KPIReturnSerializer(record).data, status=status.HTTP_201_CREATED)


class KPIReturnAcceptApi(APIView):
    """Accept a submitted return as it stands."""

    permission_classes = [HasRulePermission]
    required_permission = "contracts.manage_contract"

    @extend_schema(summary="Accept a KPI return", request=None, responses=KPIReturnSerializer)
    def post(self, request, record_id: int):
        record = portal_selectors.access_kpi_return_for_decision(
            actor=request.user, record_id=record_id
        )
        record = kpi_services.kpi_return_accept(actor=request.user, record=record)
        access_log_record(actor=request.user, request=request, action="change", obj=record)
        return Response(KPIReturnSerializer(record).data)


class KPIReturnQueryApi(APIView):
    """Send a submitted return back to the provider with the reason; it submits again."""

    permission_classes = [HasRulePermission]
    required_permission = "contracts.manage_contract"

    @extend_schema(
        summary="Query a KPI return",
        request=KPIReturnQuerySerializer,
        responses=KPIReturnSerializer,
    )
    def post(self, request, record_id: int):
        record = portal_selectors.access_kpi_return_for_decision(
            actor=request.user, record_id=record_id
        )
        data = KPIReturnQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = kpi_services.kpi_return_query(
            actor=request.user, record=record, reason=data.validated_data["reason"]
        )
        access_log_record(actor=request.user, request=request, action="change", obj=record)
        return Response(KPIReturnSerializer(record).data)


urlpatterns = [
    path(
        "contracts/<int:contract_id>/kpi-returns/",
        KPIReturnRequestApi.as_view(),
        name="api-contract-kpi-returns",
    ),
    path(
        "kpi-returns/<int:record_id>/accept/",
        KPIReturnAcceptApi.as_view(),
        name="api-kpi-return-accept",
    ),
    path(
        "kpi-returns/<int:record_id>/query/",
        KPIReturnQueryApi.as_view(),
        name="api-kpi-return-query",
    ),
]
