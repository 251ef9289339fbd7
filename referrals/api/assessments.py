"""The API for assessments and the resource panel's decisions, through the pages' services.

Reading needs `referrals.view_child`; starting and filling in an assessment, and completing it,
`referrals.manage_child`; authorising or returning it, `referrals.authorise_assessment`; recording
the panel's decision, `referrals.record_panel_decision`. A step the record's state forbids answers
409 with the reason (authorising one's own assessment among them); another council's id, in the
path or the body, answers 404 exactly as a missing one.
"""

from __future__ import annotations

import abc

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api.listing import log_page
from referrals.exports import ASSESSMENTS, PANEL_DECISION_RELATED, PANEL_DECISIONS
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import packages as package_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.serializers.assessments import (
    AssessmentListQuerySerializer,
    AssessmentReturnSerializer,
    AssessmentSerializer,
    AssessmentStartSerializer,
    AssessmentStepSerializer,
    AssessmentUpdateSerializer,
    PanelDecisionCreateSerializer,
    PanelDecisionListQuerySerializer,
    ResourcePanelDecisionSerializer,
)
from referrals.services import assessments as assessment_services
from referrals.services import packages as package_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AUTHORISE = "referrals.authorise_assessment"
PANEL = "referrals.record_panel_decision"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The record's state forbids it.")


class _ReadOrWrite:
    """GET needs `read_permission`; any other method `write_permission`."""

    permission_classes = [HasRulePermission]
    read_permission = VIEW
    write_permission = MANAGE

    @property
    def required_permission(self) -> str:
        return self.read_permission if self.request.method == "GET" else self.write_permission


def _on(data: dict):
    return data.get("on") or timezone.localdate()


def _assessment(request, assessment_id: int):
    return assessment_selectors.access_assessment_by_id(
        actor=request.user, assessment_id=assessment_id
    )


def _read(request, assessment_id: int):
    """The assessment as it is now, for the response; its reading is logged."""
    assessment = assessment_selectors.assessment_list(actor=request.user).get(pk=assessment_id)
    access_log_record(actor=request.user, request=request, action="view", obj=assessment)
    return AssessmentSerializer(assessment).data


# ----------------------------------------------------------------------------------------------
# Assessments


class AssessmentListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """The council's assessments, newest first; POST starts one for a child. `?format=csv` or
    `xlsx` downloads every assessment the filters keep."""

    serializer_class = AssessmentSerializer
    pagination_class = NewestFirstCursorPagination
    export = ASSESSMENTS

    def get_queryset(self):
        query = AssessmentListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        actor = self.request.user
        assessments = assessment_selectors.assessment_list(
            actor=actor,
            child_id=query.validated_data.get("child"),
            status=query.validated_data.get("status", ""),
        )
        if query.validated_data["to_authorise"]:
            queue = caseload_selectors.authorisation_queue(actor=actor).values("pk")
            assessments = assessments.filter(pk__in=queue)
        return assessments

    @extend_schema(
        parameters=[AssessmentListQuerySerializer, EXPORT_PARAMETER],
        responses=AssessmentSerializer(many=True),
    )
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        log_page(request, page, object_type="referrals.assessment")
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(
        request=AssessmentStartSerializer, responses={201: AssessmentSerializer, 409: CONFLICT}
    )
    def post(self, request):
        serializer = AssessmentStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = request.user
        child = child_selectors.access_child_by_id(actor=actor, child_id=data["child"])
        referral = (
            referral_selectors.access_referral_by_id(actor=actor, referral_id=data["referral"])
            if data.get("referral")
            else None
        )
        assessment = assessment_services.assessment_start(
            actor=actor,
            child=child,
            referral=referral,
            started_on=data.get("started_on") or timezone.localdate(),
        )
        return Response(_read(request, assessment.pk), status=status.HTTP_201_CREATED)


class AssessmentDetailApi(_ReadOrWrite, APIView):
    """One assessment; PATCH fills in its sections while it is in progress."""

    @extend_schema(responses=AssessmentSerializer)
    def get(self, request, assessment_id: int):
        _assessment(request, assessment_id)
        return Response(_read(request, assessment_id))

    @extend_schema(
        request=AssessmentUpdateSerializer, responses={200: AssessmentSerializer, 409: CONFLICT}
    )
    def patch(self, request, assessment_id: int):
        assessment = _assessment(request, assessment_id)
        serializer = AssessmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        assessment_services.assessment_update(
            actor=request.user, assessment=assessment, **serializer.validated_data
        )
        return Response(_read(request, assessment.pk))


class _AssessmentStepApi(APIView, abc.ABC):
    """A POST that moves an assessment on, answering with the assessment as it now is. Each
    step names the service it calls in `step`."""

    permission_classes = [HasRulePermission]
    input_serializer = AssessmentStepSerializer

    @abc.abstractmethod
    def step(self, *, actor, assessment, data: dict) -> None: ...

    def post(self, request, assessment_id: int):
        assessment = _assessment(request, assessment_id)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.step(actor=request.user, assessment=assessment, data=serializer.validated_data)
        return Response(_read(request, assessment.pk))


class AssessmentCompleteApi(_AssessmentStepApi):
    """Complete an assessment whose every section is done."""

    required_permission = MANAGE

    def step(self, *, actor, assessment, data):
        assessment_services.assessment_complete(actor=actor, assessment=assessment, on=_on(data))

    @extend_schema(
        request=AssessmentStepSerializer, responses={200: AssessmentSerializer, 409: CONFLICT}
    )
    def post(self, request, assessment_id: int):
        return super().post(request, assessment_id)


class AssessmentAuthoriseApi(_AssessmentStepApi):
    """A team manager authorises another person's completed assessment."""

    required_permission = AUTHORISE

    def step(self, *, actor, assessment, data):
        assessment_services.assessment_authorise(actor=actor, assessment=assessment, on=_on(data))

    @extend_schema(
        request=AssessmentStepSerializer,
        responses={
            200: AssessmentSerializer,
            409: OpenApiResponse(
                ConflictSerializer,
                description="Not completed, already authorised, or completed by the actor.",
            ),
        },
    )
    def post(self, request, assessment_id: int):
        return super().post(request, assessment_id)


class AssessmentReturnApi(_AssessmentStepApi):
    """A team manager sends a completed assessment back, saying what needs to change."""

    required_permission = AUTHORISE
    input_serializer = AssessmentReturnSerializer

    def step(self, *, actor, assessment, data):
        assessment_services.assessment_return(
            actor=actor, assessment=assessment, on=_on(data), reason=data["reason"]
        )

    @extend_schema(
        request=AssessmentReturnSerializer, responses={200: AssessmentSerializer, 409: CONFLICT}
    )
    def post(self, request, assessment_id: int):
        return super().post(request, assessment_id)


# ----------------------------------------------------------------------------------------------
# The resource panel's decisions


class OldestFirstCursorPagination(NewestFirstCursorPagination):
    """Panel decisions read as a history: oldest first."""

    ordering = ("id",)


class PanelDecisionListApi(_ReadOrWrite, ExportableListMixin, GenericAPIView):
    """The panel's decisions, oldest first; POST records one on a proposed package.
    `?format=csv` or `xlsx` downloads every decision the filter keeps."""

    serializer_class = ResourcePanelDecisionSerializer
    pagination_class = OldestFirstCursorPagination
    write_permission = PANEL
    filter_backends: list = []
    export = PANEL_DECISIONS

    def get_queryset(self):
        query = PanelDecisionListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return package_selectors.panel_decision_list(
            actor=self.request.user, package_id=query.validated_data.get("package")
        ).select_related(*PANEL_DECISION_RELATED)

    @extend_schema(
        parameters=[PanelDecisionListQuerySerializer, EXPORT_PARAMETER],
        responses=ResourcePanelDecisionSerializer(many=True),
    )
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        log_page(request, page, object_type="referrals.paneldecision")
        return self.get_paginated_response(ResourcePanelDecisionSerializer(page, many=True).data)

    @extend_schema(
        request=PanelDecisionCreateSerializer,
        responses={201: ResourcePanelDecisionSerializer, 409: CONFLICT},
    )
    def post(self, request):
        serializer = PanelDecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        package = package_selectors.access_package_by_id(
            actor=request.user, package_id=data["package"]
        )
        decision = package_services.panel_decision_record(
            actor=request.user,
            package=package,
            decision=data["outcome"],
            reasons=data["reasons"],
            decided_on=data["decided_on"],
            members=data["members"],
        )
        access_log_record(actor=request.user, request=request, action="create", obj=decision)
        return Response(
            ResourcePanelDecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("assessments/", AssessmentListApi.as_view(), name="api-assessments"),
    path("assessments/<int:assessment_id>/", AssessmentDetailApi.as_view(), name="api-assessment"),
    path(
        "assessments/<int:assessment_id>/complete/",
        AssessmentCompleteApi.as_view(),
        name="api-assessment-complete",
    ),
    path(
        "assessments/<int:assessment_id>/authorise/",
        AssessmentAuthoriseApi.as_view(),
        name="api-assessment-authorise",
    ),
    path(
        "assessments/<int:assessment_id>/return/",
        AssessmentReturnApi.as_view(),
        name="api-assessment-return",
    ),
    path("panel-decisions/", PanelDecisionListApi.as_view(), name="api-panel-decisions"),
]
