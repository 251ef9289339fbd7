"""The provider API's contracts part (/api/v1/provider/): the provider's contracts and lots, and
the KPI returns asked of it, which it submits.

Only provider staff with an active account (`IsProviderStaff`). Another provider's contract or
return, or another council's, answers 404 exactly as a missing one.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import KPI_RETURNS, PROVIDER_CONTRACTS
from contracts.portal import selectors as portal_selectors
from contracts.serializers.kpi import (
    KPIReturnSerializer,
    KPIReturnSubmitSerializer,
    ProviderContractSerializer,
)
from contracts.services import kpi as kpi_services
from providers.portal.access import IsProviderStaff
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination


class SoonestEndingPagination(NewestFirstCursorPagination):
    ordering = ("end_date", "reference")


class DueFirstPagination(NewestFirstCursorPagination):
    ordering = ("-due_on", "-id")


@extend_schema_view(
    get=extend_schema(summary="List the provider's contracts", parameters=[EXPORT_PARAMETER])
)
class ProviderContractListApi(ExportableListMixin, ListAPIView):
    """The contracts with a lot awarded to the provider, soonest ending first, with its lots.
    `?format=csv` or `xlsx` downloads every one."""

    serializer_class = ProviderContractSerializer
    export = PROVIDER_CONTRACTS
    permission_classes = [IsProviderStaff]
    pagination_class = SoonestEndingPagination
    filter_backends: list = []

    def get_queryset(self):
        return portal_selectors.provider_contract_list(actor=self.request.user)


class ProviderContractDetailApi(APIView):
    permission_classes = [IsProviderStaff]

    @extend_schema(
        summary="Read one of the provider's contracts", responses=ProviderContractSerializer
    )
    def get(self, request, contract_id: int):
        contract = portal_selectors.access_provider_contract_by_id(
            actor=request.user, contract_id=contract_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=contract)
        return Response(ProviderContractSerializer(contract).data)


@extend_schema_view(
    get=extend_schema(
        summary="List the KPI returns asked of the provider", parameters=[EXPORT_PARAMETER]
    )
)
class ProviderKPIReturnListApi(ExportableListMixin, ListAPIView):
    """The KPI returns asked of the provider, latest due first; `?format=csv` or `xlsx`
    downloads every one."""

    serializer_class = KPIReturnSerializer
    export = KPI_RETURNS
    permission_classes = [IsProviderStaff]
    pagination_class = DueFirstPagination
    filter_backends: list = []

    def get_queryset(self):
        return portal_selectors.provider_kpi_return_list(actor=self.request.user).select_related(
            "provider"
        )


class ProviderKPIReturnDetailApi(APIView):
    permission_classes = [IsProviderStaff]

    @extend_schema(summary="Read a KPI return asked of the provider", responses=KPIReturnSerializer)
    def get(self, request, record_id: int):
        record = portal_selectors.access_provider_kpi_return_by_id(
            actor=request.user, record_id=record_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=record)
        return Response(KPIReturnSerializer(record).data)


class ProviderKPIReturnSubmitApi(APIView):
    """Submit the figures of a return that is due, or submit them again after a query. A return
    already submitted or accepted answers 409 with the reason."""

    permission_classes = [IsProviderStaff]

    @extend_schema(
        summary="Submit a KPI return",
        request=KPIReturnSubmitSerializer,
        responses=KPIReturnSerializer,
    )
    def post(self, request, record_id: int):
        record = portal_selectors.access_provider_kpi_return_by_id(
            actor=request.user, record_id=record_id
        )
        data = KPIReturnSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = kpi_services.kpi_return_submit(
            actor=request.user, record=record, **data.validated_data
        )
        access_log_record(actor=request.user, request=request, action="change", obj=record)
        fresh = portal_selectors.access_provider_kpi_return_by_id(
            actor=request.user, record_id=record.pk
        )
        return Response(KPIReturnSerializer(fresh).data)


urlpatterns = [
    path("contracts/", ProviderContractListApi.as_view(), name="api-portal-contracts"),
    path(
        "contracts/<int:contract_id>/",
        ProviderContractDetailApi.as_view(),
        name="api-portal-contract",
    ),
    path("kpi-returns/", ProviderKPIReturnListApi.as_view(), name="api-portal-kpi-returns"),
    path(
        "kpi-returns/<int:record_id>/",
        ProviderKPIReturnDetailApi.as_view(),
        name="api-portal-kpi-return",
    ),
    path(
        "kpi-returns/<int:record_id>/submit/",
        ProviderKPIReturnSubmitApi.as_view(),
        name="api-portal-kpi-return-submit",
    ),
]
