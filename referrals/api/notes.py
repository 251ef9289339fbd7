"""Case notes on a child's record for other systems: list, add (JSON, or multipart with a file),
read, correct and download the attachment.

Social workers and team managers only (`referrals.view_casenote` to read, `referrals.add_casenote`
to write); auditors, commissioners, parent carers and providers get 403. Another council's child
or another child's note answers 404. Each page of notes, each note and each download writes the
access log. A correction within 24 hours by its author changes the note (200); otherwise it adds
a new note that points at the old one (201).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api.listing import log_page
from referrals.exports import CASE_NOTES
from referrals.models import CaseNote
from referrals.selectors import children as child_selectors
from referrals.selectors import notes as note_selectors
from referrals.serializers.notes import (
    CaseNoteCorrectSerializer,
    CaseNoteCreateSerializer,
    CaseNoteSerializer,
)
from referrals.services import notes as note_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.responses import attachment_response
from shortbreaks.documents.uploads import DOCX, JPEG, PDF, PNG
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.parsers import DepthLimitedJSONParser
from shortbreaks.permissions import HasRulePermission

VIEW_NOTE = "referrals.view_casenote"
ADD_NOTE = "referrals.add_casenote"
NOT_FOUND = OpenApiResponse(description="No such child, or note of the child, in your council.")


class _ReadOrAdd:
    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW_NOTE if self.request.method in SAFE_METHODS else ADD_NOTE


def _child(request, child_id: int):
    return child_selectors.access_child_by_id(actor=request.user, child_id=child_id)


class CaseNoteListApi(_ReadOrAdd, ExportableListMixin, GenericAPIView):
    """The child's case notes, newest first; POST adds one. `?format=csv` or `xlsx` downloads
    every note of the child."""

    serializer_class = CaseNoteSerializer
    pagination_class = NewestFirstCursorPagination
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    filter_backends: list = []
    queryset = CaseNote.objects.none()  # names the model for the schema; never read
    export = CASE_NOTES

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: CaseNoteSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, child_id: int):
        child = _child(request, child_id)
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=CASE_NOTES,
                queryset=note_selectors.case_note_list(
                    actor=request.user, child=child
                ).select_related("child"),
                fmt=fmt,
                filters={"child": child.pk},
            )
        page = self.paginate_queryset(
            note_selectors.case_note_list(actor=request.user, child=child)
        )
        log_page(request, page, object_type="referrals.casenote")
        return self.get_paginated_response(CaseNoteSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": CaseNoteCreateSerializer,
            "multipart/form-data": CaseNoteCreateSerializer,
        },
        responses={201: CaseNoteSerializer, 404: NOT_FOUND},
    )
    def post(self, request, child_id: int):
        child = _child(request, child_id)
        serializer = CaseNoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = note_services.case_note_add(
            actor=request.user, child=child, upload=data.pop("file", None), **data
        )
        access_log_record(actor=request.user, request=request, action="create", obj=note)
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseNoteDetailApi(APIView):
    """One note; reading it is written to the access log."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW_NOTE

    @extend_schema(responses={200: CaseNoteSerializer, 404: NOT_FOUND})
    def get(self, request, child_id: int, note_id: int):
        child = _child(request, child_id)
        note = note_selectors.access_case_note_by_id(
            actor=request.user, child=child, note_id=note_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=note)
        return Response(CaseNoteSerializer(note).data)


class CaseNoteCorrectApi(APIView):
    """Correct a note: in place by its author within 24 hours (200), else a new note that
    corrects it (201)."""

    permission_classes = [HasRulePermission]
    required_permission = ADD_NOTE

    @extend_schema(
        request=CaseNoteCorrectSerializer,
        responses={200: CaseNoteSerializer, 201: CaseNoteSerializer, 404: NOT_FOUND},
    )
    def post(self, request, child_id: int, note_id: int):
        child = _child(request, child_id)
        note = note_selectors.access_case_note_by_id(
            actor=request.user, child=child, note_id=note_id
        )
        serializer = CaseNoteCorrectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = note_services.case_note_correct(
            actor=request.user, note=note, **serializer.validated_data
        )
        same = saved.pk == note.pk
        access_log_record(
            actor=request.user, request=request, action="change" if same else "create", obj=saved
        )
        return Response(
            CaseNoteSerializer(saved).data,
            status=status.HTTP_200_OK if same else status.HTTP_201_CREATED,
        )


class CaseNoteAttachmentApi(APIView):
    """The note's attached file, as an attachment of the type found in its bytes. Logged."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW_NOTE

    @extend_schema(
        responses={
            (200, PDF): OpenApiTypes.BINARY,
            (200, DOCX): OpenApiTypes.BINARY,
            (200, PNG): OpenApiTypes.BINARY,
            (200, JPEG): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        }
    )
    def get(self, request, child_id: int, note_id: int):
        child = _child(request, child_id)
        note = note_selectors.access_case_note_by_id(
            actor=request.user, child=child, note_id=note_id
        )
        if not note.file:
            return Response({"detail": "This note has no attachment."}, status=404)
        response = attachment_response(note)
        access_log_record(actor=request.user, request=request, action="download", obj=note)
        return response


urlpatterns = [
    path("children/<int:child_id>/notes/", CaseNoteListApi.as_view(), name="api-case-notes"),
    path(
        "children/<int:child_id>/notes/<int:note_id>/",
        CaseNoteDetailApi.as_view(),
        name="api-case-note",
    ),
    path(
        "children/<int:child_id>/notes/<int:note_id>/correct/",
        CaseNoteCorrectApi.as_view(),
        name="api-case-note-correct",
    ),
    path(
        "children/<int:child_id>/notes/<int:note_id>/attachment/",
        CaseNoteAttachmentApi.as_view(),
        name="api-case-note-attachment",
    ),
]
