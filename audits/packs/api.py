"""The evidence pack API.

`evidence-packs/` lists the council's packs (auditors and council administrators) and, for
auditors, POST asks for one: 202 with its id and status while it builds. `evidence-packs/{id}/`
says where it got to (status, progress, and once ready its SHA-256 and download URL), and
`evidence-packs/{id}/download/` gives the PDF. `evidence-packs/{id}/grants/` lists who outside
the council has access (auditors and council administrators) and, for auditors, POST shares the
pack with an invited external auditor until a date; `evidence-packs/{id}/grants/{grant_id}/`
DELETE removes that access (auditors and council administrators). Another council's id answers
404, as a missing one does; a role that may not do it answers 403; bad input answers 400 with
field messages, and sharing with anyone but an activated external auditor this council invited
answers 400 saying why on `email`.

A download needs recent authentication, as in the pages: a GET is served only when the token was
issued in the last 15 minutes (or, from a signed-in browser, when the session signed in or
confirmed its password in the last 15 minutes); otherwise 403 with a message. A POST with the
person's password confirms who they are and returns the PDF.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from audits.exports import EVIDENCE_PACKS, PACK_GRANTS
from audits.models import EvidencePack
from audits.packs import selectors, services
from audits.packs.confirmation import (
    password_confirms,
    session_recently_authenticated,
    token_recently_issued,
)
from audits.packs.download import pack_file_response
from audits.packs.serializers import (
    DownloadConfirmSerializer,
    EvidencePackCreateSerializer,
    EvidencePackGrantCreateSerializer,
    EvidencePackGrantSerializer,
    EvidencePackSerializer,
)
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.models import JobStatus
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.permissions import HasRulePermission

NOT_FOUND = OpenApiResponse(description="No such pack in your council.")
# A token's age is the time since its sign-in; posting your password here proves who you are
# again without ending the token in use.
REAUTHENTICATE = (
    "Downloading an evidence pack needs you to have proved who you are in the last 15 minutes: "
    "POST your password to this endpoint."
)
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The pack's PDF, as an attachment.")


class NewestPackFirst(CursorPagination):
    ordering = ("-requested_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class _PackApi(GenericAPIView):
    permission_classes = [HasRulePermission]
    queryset = EvidencePack.objects.none()
    serializer_class = EvidencePackSerializer

    @property
    def required_permission(self) -> str:
        if self.request.method in ("GET", "HEAD", "OPTIONS") and not getattr(
            self, "downloads", False
        ):
            return services.VIEW
        return services.REQUEST

    def get_pack(self, pack_id) -> EvidencePack:
        pack = selectors.access_evidence_pack_by_id(actor=self.request.user, pack_id=pack_id)
        if pack.grant is not None:  # the API is for the council's own people
            raise NotFound("No such pack in your council.")
        return pack


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


class EvidencePackListApi(ExportableListMixin, _PackApi):
    """The council's evidence packs, newest first; POST asks for one (auditors). `?format=csv`
    or `xlsx` downloads the list (not the packs)."""

    pagination_class = NewestPackFirst
    export = EVIDENCE_PACKS

    def get_queryset(self):
        return selectors.evidence_pack_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=EvidencePackSerializer(many=True))
    def get(self, request):
        rows = self.get_queryset()
        if (download := _export(self, request, EVIDENCE_PACKS, rows)) is not None:
            return download
        page = self.paginate_queryset(rows)
        data = EvidencePackSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=EvidencePackCreateSerializer,
        responses={202: EvidencePackSerializer},
    )
    def post(self, request):
        serializer = EvidencePackCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pack = services.evidence_pack_request(
            actor=request.user, request=request, **serializer.validated_data
        )
        pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack.pk)
        data = EvidencePackSerializer(pack, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class EvidencePackDetailApi(_PackApi):
    """One pack: where its build got to, and once ready its SHA-256 and download URL."""

    @extend_schema(responses={200: EvidencePackSerializer, 404: NOT_FOUND})
    def get(self, request, pack_id: int):
        pack = self.get_pack(pack_id)
        access_log_record(actor=request.user, request=request, action="view", obj=pack)
        return Response(EvidencePackSerializer(pack, context={"request": request}).data)


class EvidencePackDownloadApi(_PackApi):
    """The pack's PDF. GET needs a token issued in the last 15 minutes; POST your password to
    confirm who you are instead."""

    downloads = True

    def _ready(self, pack_id) -> EvidencePack:
        pack = self.get_pack(pack_id)
        if pack.job.status != JobStatus.DONE:
            raise NotFound("The pack is not ready yet.")
        return pack

    def _send(self, request, pack):
        response = pack_file_response(pack)
        access_log_record(actor=request.user, request=request, action="download", obj=pack)
        return response

    def _recent(self, request) -> bool:
        if isinstance(request.auth, AuthToken):
            return token_recently_issued(request.auth)
        return session_recently_authenticated(request.session)

    @extend_schema(
        responses={
            (200, "application/pdf"): PDF,
            403: OpenApiResponse(description=REAUTHENTICATE),
            404: NOT_FOUND,
        }
    )
    def get(self, request, pack_id: int):
        pack = self._ready(pack_id)
        if not self._recent(request):
            raise PermissionDenied(REAUTHENTICATE)
        return self._send(request, pack)

    @extend_schema(
        request=DownloadConfirmSerializer,
        responses={
            (200, "application/pdf"): PDF,
            400: OpenApiResponse(description="Wrong password."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pack_id: int):
        pack = self._ready(pack_id)
        serializer = DownloadConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not password_confirms(
            request._request, request.user, serializer.validated_data["password"]
        ):
            return Response(
                {"password": ["The password is not right."]}, status=status.HTTP_400_BAD_REQUEST
            )
        return self._send(request, pack)


class EvidencePackGrantListApi(ExportableListMixin, _PackApi):
    """Who outside the council may see this pack (auditors and council administrators); POST
    shares it with an external auditor this council invited, until a date (auditors).
    `?format=csv` or `xlsx` downloads the list."""

    serializer_class = EvidencePackGrantSerializer
    pagination_class = None
    export = PACK_GRANTS

    @property
    def required_permission(self) -> str:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return services.VIEW
        return services.GRANT

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: EvidencePackGrantSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pack_id: int):
        pack = self.get_pack(pack_id)
        grants = selectors.pack_grants(pack=pack)
        if (download := _export(self, request, PACK_GRANTS, grants)) is not None:
            return download
        return Response(EvidencePackGrantSerializer(grants, many=True).data)

    @extend_schema(
        request=EvidencePackGrantCreateSerializer,
        responses={
            201: EvidencePackGrantSerializer,
            400: OpenApiResponse(
                description="Bad input, or the person is not an external auditor this council "
                "invited who has set their password: `email` says why."
            ),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pack_id: int):
        pack = self.get_pack(pack_id)
        serializer = EvidencePackGrantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = services.evidence_pack_grant(
            actor=request.user, pack=pack, request=request, **serializer.validated_data
        )
        return Response(EvidencePackGrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class EvidencePackGrantDetailApi(_PackApi):
    """DELETE stops sharing the pack with that person now (auditors and council
    administrators)."""

    serializer_class = EvidencePackGrantSerializer
    required_permission = services.REVOKE

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Access removed."),
            404: OpenApiResponse(description="No such pack or grant in your council."),
        },
    )
    def delete(self, request, pack_id: int, grant_id: int):
        pack = self.get_pack(pack_id)
        grant = selectors.access_pack_grant_by_id(pack=pack, grant_id=grant_id)
        services.evidence_pack_grant_remove(actor=request.user, grant=grant, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("evidence-packs/", EvidencePackListApi.as_view(), name="api-evidence-packs"),
    path(
        "evidence-packs/<int:pack_id>/",
        EvidencePackDetailApi.as_view(),
        name="api-evidence-pack",
    ),
    path(
        "evidence-packs/<int:pack_id>/download/",
        EvidencePackDownloadApi.as_view(),
        name="api-evidence-pack-download",
    ),
    path(
        "evidence-packs/<int:pack_id>/grants/",
        EvidencePackGrantListApi.as_view(),
        name="api-evidence-pack-grants",
    ),
    path(
        "evidence-packs/<int:pack_id>/grants/<int:grant_id>/",
        EvidencePackGrantDetailApi.as_view(),
        name="api-evidence-pack-grant",
    ),
]
