"""The contracts register in the API: list and filter, create, read, change, make active, and
add lots and awards. Participating councils read a joint contract; only the lead council changes
it, and to anyone else a change answers 404, as for a contract that does not exist."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import CONTRACTS
from contracts.filters import ContractFilter
from contracts.models import Contract
from contracts.selectors import overrun as overrun_selectors
from contracts.selectors import participation as participation_selectors
from contracts.selectors import register as register_selectors
from contracts.serializers.register import (
    AwardCreateSerializer,
    AwardSerializer,
    ContractSerializer,
    ContractWriteSerializer,
    LotCreateSerializer,
    LotSerializer,
)
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_activate, contract_create, contract_update
from providers.selectors import provider_list, service_list
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.permissions import HasRulePermission

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

NOT_FOUND = OpenApiResponse(description="No such contract, or not one you may change.")
REFUSED = OpenApiResponse(description="The contract's state forbids it; the reason is given.")


class RegisterPagination(CursorPagination):
    """The register's order: soonest ending first. Cursor pages never count the table."""

    ordering = ("end_date", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ReadOrManage:
    """Reading needs contracts.view_contract; any change needs contracts.manage_contract."""

    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method in SAFE_METHODS else MANAGE


def _contract_data(contract: Contract, actor) -> dict:
    prefetch_related_objects(
        [contract], participation_selectors.participations_prefetch(actor=actor)
    )
    register_selectors.attach_contract_lots([contract])
    if not hasattr(contract, "overrunning_lines"):
        contract.overrunning_lines = overrun_selectors.contract_overrunning_lines(contract=contract)
    return ContractSerializer(contract).data


class ContractListApi(ReadOrManage, ExportableListMixin, ListAPIView):
    """The register: the council's contracts and the joint contracts it takes part in;
    `?format=csv` or `?format=xlsx` downloads every contract the filters keep."""

    serializer_class = ContractSerializer
    export = CONTRACTS
    pagination_class = RegisterPagination
    filterset_class = ContractFilter

    def get_queryset(self):
        contracts = register_selectors.contract_list(actor=self.request.user)
        return contracts.prefetch_related(
            participation_selectors.participations_prefetch(actor=self.request.user)
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            register_selectors.attach_contract_lots(page)
        return page

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ContractWriteSerializer, responses={201: ContractSerializer})
    def post(self, request):
        serializer = ContractWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        councils = data.pop("participating_councils", [])
        contract = contract_create(actor=request.user, participating_councils=councils, **data)
        access_log_record(actor=request.user, request=request, action="create", obj=contract)
        return Response(_contract_data(contract, request.user), status=status.HTTP_201_CREATED)


class ContractDetailApi(ReadOrManage, APIView):
    @extend_schema(responses={200: ContractSerializer, 404: NOT_FOUND})
    def get(self, request, contract_id: int):
        contract = register_selectors.access_contract_by_id(
            actor=request.user, contract_id=contract_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=contract)
        return Response(_contract_data(contract, request.user))

    @extend_schema(
        request=ContractWriteSerializer,
        responses={200: ContractSerializer, 404: NOT_FOUND, 409: REFUSED},
    )
    def patch(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = ContractWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            contract = contract_update(
                actor=request.user, contract=contract, **serializer.validated_data
            )
            access_log_record(actor=request.user, request=request, action="change", obj=contract)
        return Response(_contract_data(contract, request.user))


class ContractActivateApi(ReadOrManage, APIView):
    @extend_schema(request=None, responses={200: ContractSerializer, 404: NOT_FOUND, 409: REFUSED})
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        contract = contract_activate(actor=request.user, contract=contract)
        access_log_record(actor=request.user, request=request, action="change", obj=contract)
        return Response(_contract_data(contract, request.user))


class ContractLotsApi(ReadOrManage, APIView):
    @extend_schema(request=LotCreateSerializer, responses={201: LotSerializer, 404: NOT_FOUND})
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = LotCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wanted = set(data["services"])
        chosen = list(service_list(actor=request.user).filter(pk__in=wanted))
        if len(chosen) != len(wanted):
            return Response(
                {"services": ["Choose the council's own services."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        lot = lot_create(
            actor=request.user,
            contract=contract,
            number=data["number"],
            name=data["name"],
            description=data["description"],
            services=chosen,
        )
        register_selectors.attach_lot_awards([lot])
        register_selectors.attach_lot_services([lot])
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)


class ContractAwardsApi(ReadOrManage, APIView):
    @extend_schema(request=AwardCreateSerializer, responses={201: AwardSerializer, 404: NOT_FOUND})
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = AwardCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lot = contract.lots.filter(pk=data["lot"]).first()
        provider = provider_list(actor=request.user).filter(pk=data["provider"]).first()
        errors = {}
        if lot is None:
            errors["lot"] = ["Choose one of the contract's lots."]
        if provider is None:
            errors["provider"] = ["Choose one of the council's providers."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        award = award_create(
            actor=request.user,
            lot=lot,
            provider=provider,
            rates=data["rates"],
            capacity=data["capacity"],
            value=data.get("value"),
            awarded_on=data.get("awarded_on"),
        )
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("contracts/", ContractListApi.as_view(), name="api-contracts"),
    path("contracts/<int:contract_id>/", ContractDetailApi.as_view(), name="api-contract"),
    path(
        "contracts/<int:contract_id>/activate/",
        ContractActivateApi.as_view(),
        name="api-contract-activate",
    ),
    path("contracts/<int:contract_id>/lots/", ContractLotsApi.as_view(), name="api-contract-lots"),
    path(
        "contracts/<int:contract_id>/awards/",
        ContractAwardsApi.as_view(),
        name="api-contract-awards",
    ),
]
