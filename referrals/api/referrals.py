"""The API for referrals and their documents: the same changes as the pages, through the same
services.

Reading needs `referrals.view_child` (social workers, team managers, auditors); logging, moving
on and uploading need `referrals.manage_child`. Another council's referral or document answers
exactly as a missing one (404); a step the referral's state forbids answers 409 with the reason;
a refused file answers 400 with the reason. Every read of a referral, and every download, is in
the access log.
"""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api.listing import log_page
from referrals.exports import REFERRAL_DOCUMENTS, REFERRALS
from referrals.filters import ReferralFilter
from referrals.models import Referral, ReferralDocument, ReferralEvent
from referrals.selectors import children as child_selectors
from referrals.selectors import documents as document_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.serializers.referrals import (
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralDocumentSerializer,
    ReferralDocumentUploadSerializer,
    ReferralSerializer,
    ReferralTransitionSerializer,
)
from referrals.services import documents as document_services
from referrals.services import referrals as referral_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.documents.responses import attachment_response
from shortbreaks.documents.uploads import DOCX, JPEG, PDF, PNG
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.parsers import DepthLimitedJSONParser
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The referral's state forbids it.")


class OldestFirstCursorPagination(NewestFirstCursorPagination):
    """Documents read in the order they were attached."""

    ordering = ("id",)


class _ReadOrWrite:
    """GET needs `referrals.view_child`; any other method `referrals.manage_child`."""

    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method == "GET" else MANAGE


def _detailed(referral: Referral) -> Referral:
    """The referral with its history and documents, in two queries."""
    prefetch_related_objects(
        [referral],
        Prefetch(
            "events",
            queryset=ReferralEvent.objects.select_related("actor").order_by("on", "id"),
        ),
        Prefetch(
            "documents",
            queryset=ReferralDocument.objects.select_related("uploaded_by").order_by("id"),
        ),
    )
    return referral


class ReferralListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """The council's referrals, newest logged first; filter by child and status. POST logs one.
    `?format=csv` or `xlsx` downloads every referral the filters keep."""

    serializer_class = ReferralSerializer
    export = REFERRALS
    filterset_class = ReferralFilter
    pagination_class = NewestFirstCursorPagination

    def get_queryset(self):
        return referral_selectors.referral_list(actor=self.request.user)

    @extend_schema(responses=ReferralSerializer(many=True), parameters=[EXPORT_PARAMETER])
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_page(request, page, object_type="referrals.referral")
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralDetailSerializer})
    def post(self, request):
        serializer = ReferralCreateSerializer(
            data=request.data, children=child_selectors.child_list(actor=request.user)
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        child = values.pop("child")
        referral = referral_services.referral_create(actor=request.user, child=child, **values)
        access_log_record(actor=request.user, request=request, action="create", obj=referral)
        return Response(
            ReferralDetailSerializer(_detailed(referral)).data, status=status.HTTP_201_CREATED
        )


class ReferralDetailApi(APIView):
    """One referral, with its dated history of status changes and its documents."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses=ReferralDetailSerializer)
    def get(self, request, referral_id: int):
        referral = referral_selectors.access_referral_by_id(
            actor=request.user, referral_id=referral_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=referral)
        return Response(ReferralDetailSerializer(_detailed(referral)).data)


class ReferralTransitionApi(APIView):
    """received -> screening -> accepted_for_assessment, signposted_universal,
    referred_targeted or no_further_action (each outcome with its reason)."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE
    parser_classes = [DepthLimitedJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=ReferralTransitionSerializer,
        responses={200: ReferralDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, referral_id: int):
        referral = referral_selectors.access_referral_by_id(
            actor=request.user, referral_id=referral_id
        )
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        referral = referral_services.referral_transition(
            actor=request.user,
            referral=referral,
            status=values["status"],
            on=values.get("on") or timezone.localdate(),
            reason=values["reason"],
        )
        access_log_record(actor=request.user, request=request, action="change", obj=referral)
        return Response(ReferralDetailSerializer(_detailed(referral)).data)


class ReferralDocumentListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """A referral's documents, oldest first; POST uploads one (multipart, field `file`).
    `?format=csv` or `xlsx` downloads the list (not the files)."""

    serializer_class = ReferralDocumentSerializer
    pagination_class = OldestFirstCursorPagination
    parser_classes = [MultiPartParser, FormParser]
    queryset = ReferralDocument.objects.none()  # names the model for the schema; never read
    export = REFERRAL_DOCUMENTS

    def _referral(self) -> Referral:
        return referral_selectors.access_referral_by_id(
            actor=self.request.user, referral_id=self.kwargs["referral_id"]
        )

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=ReferralDocumentSerializer(many=True))
    def get(self, request, referral_id: int):
        referral = self._referral()
        documents = ReferralDocument.objects.filter(referral=referral).select_related("uploaded_by")
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=REFERRAL_DOCUMENTS,
                queryset=documents,
                fmt=fmt,
                filters={"referral": referral.pk},
            )
        access_log_record(actor=request.user, request=request, action="view", obj=referral)
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(ReferralDocumentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ReferralDocumentUploadSerializer},
        responses={201: ReferralDocumentSerializer},
    )
    def post(self, request, referral_id: int):
        referral = self._referral()
        serializer = ReferralDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        document = document_services.referral_document_add(
            actor=request.user,
            referral=referral,
            upload=upload,
            name=upload.name,
            description=serializer.validated_data["description"],
        )
        access_log_record(actor=request.user, request=request, action="create", obj=document)
        return Response(ReferralDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ReferralDocumentDownloadApi(APIView):
    """The stored file, as an attachment of the type found in its bytes. Logged as a download."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(
        responses={
            (200, PDF): OpenApiTypes.BINARY,
            (200, DOCX): OpenApiTypes.BINARY,
            (200, PNG): OpenApiTypes.BINARY,
            (200, JPEG): OpenApiTypes.BINARY,
        }
    )
    def get(self, request, referral_id: int, document_id: int):
        referral = referral_selectors.access_referral_by_id(
            actor=request.user, referral_id=referral_id
        )
        document = document_selectors.access_document_by_id(
            actor=request.user, document_id=document_id
        )
        if document.referral_id != referral.pk:
            raise RecordNotFound(object_type="referrals.referraldocument", object_id=document_id)
        # The file first: a stored file that is gone answers 404 and logs no download.
        response = attachment_response(document)
        access_log_record(actor=request.user, request=request, action="download", obj=document)
        return response


urlpatterns = [
    path("referrals/", ReferralListApi.as_view(), name="api-referrals"),
    path("referrals/<int:referral_id>/", ReferralDetailApi.as_view(), name="api-referral"),
    path(
        "referrals/<int:referral_id>/transition/",
        ReferralTransitionApi.as_view(),
        name="api-referral-transition",
    ),
    path(
        "referrals/<int:referral_id>/documents/",
        ReferralDocumentListApi.as_view(),
        name="api-referral-documents",
    ),
    path(
        "referrals/<int:referral_id>/documents/<int:document_id>/",
        ReferralDocumentDownloadApi.as_view(),
        name="api-referral-document",
    ),
]
