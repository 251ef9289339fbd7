"""Documents kept with a contract, for other systems: list, upload (lead council), download."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import CONTRACT_DOCUMENTS
from contracts.models import ContractDocument
from contracts.selectors import register as register_selectors
from contracts.serializers.documents import (
    ContractDocumentSerializer,
    ContractDocumentUploadSerializer,
)
from contracts.services import documents as services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.selectors import get_or_not_found
from shortbreaks.documents.responses import attachment_response
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class ContractDocumentListApi(ExportableListMixin, ListAPIView):
    """The documents kept with a contract, newest first. POST (multipart) uploads one.
    `?format=csv` or `xlsx` downloads the list (not the files)."""

    serializer_class = ContractDocumentSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [HasRulePermission]
    parser_classes = [MultiPartParser, FormParser]
    export = CONTRACT_DOCUMENTS

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return "contracts.view_contract"
        return "contracts.manage_contract"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no contract id
            return ContractDocument.objects.none()
        contract = register_selectors.access_contract_by_id(
            actor=self.request.user, contract_id=self.kwargs["contract_id"]
        )
        return register_selectors.contract_document_list(contract=contract).select_related(
            "contract", "uploaded_by"
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ContractDocumentUploadSerializer, responses={201: ContractDocumentSerializer}
    )
    def post(self, request, contract_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        serializer = ContractDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        document = services.contract_document_add(
            actor=request.user,
            contract=contract,
            upload=upload,
            title=serializer.validated_data["title"],
            name=upload.name,
        )
        access_log_record(actor=request.user, request=request, action="create", obj=document)
        return Response(ContractDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ContractDocumentDownloadApi(APIView):
    """The document's file, as an attachment."""

    permission_classes = [HasRulePermission]
    required_permission = "contracts.view_contract"

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, contract_id: int, document_id: int):
        contract = register_selectors.access_contract_by_id(
            actor=request.user, contract_id=contract_id
        )
        document = get_or_not_found(
            register_selectors.contract_document_list(contract=contract), pk=document_id
        )
        access_log_record(actor=request.user, request=request, action="download", obj=document)
        return attachment_response(document)


urlpatterns = [
    path(
        "contracts/<int:contract_id>/documents/",
        ContractDocumentListApi.as_view(),
        name="api-contract-documents",
    ),
    path(
        "contracts/<int:contract_id>/documents/<int:document_id>/",
        ContractDocumentDownloadApi.as_view(),
        name="api-contract-document",
    ),
]
