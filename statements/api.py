"""The statement's API: the same changes as the staff pages, through the same services.

Reading needs `statements.view_statement`; writing `statements.manage_statement`; publishing
`statements.publish_statement`. Another council's id is a 404 like a missing one. A change the
version's state forbids answers 409; publishing a version that fails the compliance check answers
409 with every reason.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer
from statements import selectors, services
from statements.checks import compliance_check
from statements.exports import CARER_FEEDBACK, STATEMENTS
from statements.models import CarerFeedback, StatementVersion
from statements.serializers import (
    ComplianceSerializer,
    FeedbackSerializer,
    PublishRefusedSerializer,
    PublishSerializer,
    StatementSerializer,
    StatementUpdateSerializer,
)

VIEW = "statements.view_statement"
MANAGE = "statements.manage_statement"
PUBLISH = "statements.publish_statement"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The version's state forbids it.")


class _ReadOrWrite:
    permission_classes = [HasRulePermission]
    read_permission = VIEW
    write_permission = MANAGE

    @property
    def required_permission(self) -> str:
        return self.read_permission if self.request.method == "GET" else self.write_permission


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


class StatementListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """The council's statement versions, newest first; POST starts the next draft.
    `?format=csv` or `xlsx` downloads the list."""

    serializer_class = StatementSerializer
    pagination_class = None
    export = STATEMENTS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StatementVersion.objects.none()
        return selectors.statement_list(self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=StatementSerializer(many=True))
    def get(self, request):
        rows = self.get_queryset()
        if (download := _export(self, request, STATEMENTS, rows)) is not None:
            return download
        return Response(StatementSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={201: StatementSerializer, 409: CONFLICT})
    def post(self, request):
        version = services.statement_draft_create(actor=request.user)
        return Response(StatementSerializer(version).data, status=status.HTTP_201_CREATED)


class StatementDetailApi(_ReadOrWrite, GenericAPIView):
    """One version; PATCH its written fields while it is a draft or out for consultation."""

    serializer_class = StatementSerializer
    queryset = StatementVersion.objects.none()

    @extend_schema(responses=StatementSerializer)
    def get(self, request, statement_id: int):
        version = selectors.statement_get(request.user, statement_id)
        return Response(StatementSerializer(version).data)

    @extend_schema(
        request=StatementUpdateSerializer, responses={200: StatementSerializer, 409: CONFLICT}
    )
    def patch(self, request, statement_id: int):
        version = selectors.statement_get(request.user, statement_id)
        serializer = StatementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.statement_update(
            actor=request.user, version=version, **serializer.validated_data
        )
        return Response(StatementSerializer(selectors.statement_get(request.user, version.pk)).data)


class StatementCheckApi(APIView):
    """The compliance check: every check, passed or not, with the reason it fails."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses=ComplianceSerializer)
    def get(self, request, statement_id: int):
        version = selectors.statement_get(request.user, statement_id)
        checks = compliance_check(version)
        return Response({"ok": all(c.ok for c in checks), "checks": [c.as_dict() for c in checks]})


class StatementPublishApi(APIView):
    """Publish the version: 202 with the version and its PDF job, or 409 with the reasons."""

    permission_classes = [HasRulePermission]
    required_permission = PUBLISH

    @extend_schema(
        request=PublishSerializer,
        responses={
            202: StatementSerializer,
            400: OpenApiResponse(description="The body could not be read."),
            409: OpenApiResponse(
                PublishRefusedSerializer,
                description="Refused: the reasons it cannot be published. A version whose "
                "consultation is still open answers 409 with `confirmation_needed` true until "
                "it is posted again with `confirm_open_consultation` true.",
            ),
        },
    )
    def post(self, request, statement_id: int):
        version = selectors.statement_get(request.user, statement_id)
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            version = services.statement_publish(
                actor=request.user,
                version=version,
                confirm_open_consultation=body.validated_data["confirm_open_consultation"],
            )
        except services.ConsultationStillOpen as error:
            return Response(
                {"detail": error.reason, "reasons": [error.reason], "confirmation_needed": True},
                status=status.HTTP_409_CONFLICT,
            )
        except services.StatementNotCompliant as error:
            return Response(
                {"detail": "The statement fails the compliance check.", "reasons": error.reasons},
                status=status.HTTP_409_CONFLICT,
            )
        except services.TransitionNotAllowed as error:
            return Response(
                {"detail": error.reason, "reasons": [error.reason]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(StatementSerializer(version).data, status=status.HTTP_202_ACCEPTED)


class StatementFeedbackApi(ExportableListMixin, GenericAPIView):
    """Carers' views on one version, newest first; `?format=csv` or `xlsx` downloads them."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW
    serializer_class = FeedbackSerializer
    pagination_class = NewestFirstCursorPagination
    queryset = CarerFeedback.objects.none()
    export = CARER_FEEDBACK

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CarerFeedback.objects.none()
        version = selectors.statement_get(self.request.user, self.kwargs["statement_id"])
        return selectors.feedback_list(self.request.user, version)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=FeedbackSerializer(many=True))
    def get(self, request, statement_id: int):
        rows = self.get_queryset()
        if (download := _export(self, request, CARER_FEEDBACK, rows)) is not None:
            return download
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(FeedbackSerializer(page, many=True).data)
