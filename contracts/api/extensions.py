"""The API for extensions by variation: the same changes as the pages, through the same services.

Reading needs `contracts.view_contract` (the lead council and participants); changing needs
`contracts.manage_contract` and the lead council (a participant gets the same 404 as a stranger);
deciding needs `contracts.decide_extension`. A change the extension's state forbids answers 409.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import EXTENSION_APPROVALS, EXTENSIONS
from contracts.models import Extension, ExtensionApproval
from contracts.selectors import extensions as extension_selectors
from contracts.selectors import register as register_selectors
from contracts.serializers.extensions import (
    ExtensionApprovalCreateSerializer,
    ExtensionApprovalSerializer,
    ExtensionCreateSerializer,
    ExtensionDecisionSerializer,
    ExtensionSerializer,
)
from contracts.services import extensions as services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"
DECIDE = "contracts.decide_extension"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The extension's state forbids it.")


class OldestFirstCursorPagination(NewestFirstCursorPagination):
    """Extensions and approvals read as a history: oldest first."""

    ordering = ("id",)


class _ReadOrWrite:
    """GET needs `read_permission`; any other method `write_permission`."""

    permission_classes = [HasRulePermission]
    read_permission = VIEW
    write_permission = MANAGE

    @property
    def required_permission(self) -> str:
        return self.read_permission if self.request.method == "GET" else self.write_permission


def _with_approvals(extension: Extension) -> Extension:
    prefetch_related_objects([extension], "approvals")  # in the model's order, by date
    return extension


def _export(view, request, export, queryset):
    """The list as a download when `?format=csv|xlsx` asks for one, else None."""
    fmt = view.export_format(request)
    if fmt is None:
        return None
    return export_response(
        request=request,
        actor=request.user,
        export=export,
        queryset=queryset,
        fmt=fmt,
        filters=view.export_filters(),
    )


class ContractExtensionListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """A contract's extensions, oldest first; POST drafts a new one. `?format=csv` or `xlsx`
    downloads them."""

    serializer_class = ExtensionSerializer
    pagination_class = OldestFirstCursorPagination
    export = EXTENSIONS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no contract id
            return Extension.objects.none()
        contract = register_selectors.access_contract_by_id(
            actor=self.request.user, contract_id=self.kwargs["contract_id"]
        )
        return extension_selectors.extension_list(actor=self.request.user, contract=contract)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=ExtensionSerializer(many=True))
    def get(self, request, contract_id: int):
        extensions = self.get_queryset()
        download = _export(self, request, EXTENSIONS, extensions.select_related("requested_by"))
        if download is not None:
            return download
        page = self.paginate_queryset(extensions)
        return self.get_paginated_response(ExtensionSerializer(page, many=True).data)

    @extend_schema(
        request=ExtensionCreateSerializer, responses={201: ExtensionSerializer, 409: CONFLICT}
    )
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = ExtensionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_create(
            actor=request.user, contract=contract, **serializer.validated_data
        )
        return Response(
            ExtensionSerializer(_with_approvals(extension)).data, status=status.HTTP_201_CREATED
        )


class ExtensionDetailApi(APIView):
    """One extension, with its approvals and what still blocks approval."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses=ExtensionSerializer)
    def get(self, request, extension_id: int):
        extension = extension_selectors.access_extension_by_id(
            actor=request.user, extension_id=extension_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=extension)
        return Response(ExtensionSerializer(_with_approvals(extension)).data)


class ExtensionApprovalListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """The approvals recorded for an extension, oldest first; POST records one. `?format=csv`
    or `xlsx` downloads them."""

    serializer_class = ExtensionApprovalSerializer
    pagination_class = OldestFirstCursorPagination
    export = EXTENSION_APPROVALS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no extension id
            return ExtensionApproval.objects.none()
        extension = extension_selectors.access_extension_by_id(
            actor=self.request.user, extension_id=self.kwargs["extension_id"]
        )
        return extension_selectors.extension_approval_list(extension=extension)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=ExtensionApprovalSerializer(many=True))
    def get(self, request, extension_id: int):
        approvals = self.get_queryset()
        if (download := _export(self, request, EXTENSION_APPROVALS, approvals)) is not None:
            return download
        page = self.paginate_queryset(approvals)
        return self.get_paginated_response(ExtensionApprovalSerializer(page, many=True).data)

    @extend_schema(
        request=ExtensionApprovalCreateSerializer,
        responses={201: ExtensionApprovalSerializer, 409: CONFLICT},
    )
    def post(self, request, extension_id: int):
        extension = extension_selectors.access_extension_for_change(
            actor=request.user, extension_id=extension_id
        )
        serializer = ExtensionApprovalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.extension_record_approval(
            actor=request.user, extension=extension, **serializer.validated_data
        )
        return Response(ExtensionApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class ExtensionSubmitApi(APIView):
    """Submit a draft extension for approval and decision."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(request=None, responses={200: ExtensionSerializer, 409: CONFLICT})
    def post(self, request, extension_id: int):
        extension = extension_selectors.access_extension_for_change(
            actor=request.user, extension_id=extension_id
        )
        extension = services.extension_submit(actor=request.user, extension=extension)
        return Response(ExtensionSerializer(_with_approvals(extension)).data)


class ExtensionDecideApi(APIView):
    """The decision maker's decision. Approving moves the contract's end date and value."""

    permission_classes = [HasRulePermission]
    required_permission = DECIDE

    @extend_schema(
        request=ExtensionDecisionSerializer, responses={200: ExtensionSerializer, 409: CONFLICT}
    )
    def post(self, request, extension_id: int):
        extension = extension_selectors.access_extension_for_change(
            actor=request.user, extension_id=extension_id
        )
        serializer = ExtensionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_decide(
            actor=request.user, extension=extension, **serializer.validated_data
        )
        return Response(ExtensionSerializer(_with_approvals(extension)).data)


urlpatterns = [
    path(
        "contracts/<int:contract_id>/extensions/",
        ContractExtensionListApi.as_view(),
        name="api-contract-extensions",
    ),
    path("extensions/<int:extension_id>/", ExtensionDetailApi.as_view(), name="api-extension"),
    path(
        "extensions/<int:extension_id>/approvals/",
        ExtensionApprovalListApi.as_view(),
        name="api-extension-approvals",
    ),
    path(
        "extensions/<int:extension_id>/submit/",
        ExtensionSubmitApi.as_view(),
        name="api-extension-submit",
    ),
    path(
        "extensions/<int:extension_id>/decide/",
        ExtensionDecideApi.as_view(),
        name="api-extension-decide",
    ),
]
