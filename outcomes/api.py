"""The API for outcome surveys: the council's surveys and each one's report (satisfaction by
service, provider and lot, and the Regulation 3 answers), counts of 1 to 4 shown as "fewer than
5" with their percentages null. No child's name or answer text is in either. A survey's
answers one by one, with the child each is about, only for those who may read children's
records as well as the reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes import selectors, services
from outcomes.exports import ANSWERS, SURVEYS
from outcomes.models import Answer, Channel
from outcomes.serializers import (
    StaffResponseCreateSerializer,
    StaffResponseSerializer,
    SurveyAnswerSerializer,
    SurveyCreateSerializer,
    SurveyReportSerializer,
    SurveySentSerializer,
    SurveySerializer,
)
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NumberedPagePagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW_REPORT = "outcomes.view_report"
MANAGE = "outcomes.manage_survey"
RECORD = "outcomes.record_response"


NOT_FOUND = OpenApiResponse(description="No such survey or invitation in the council.")
CONFLICT = OpenApiResponse(ConflictSerializer, description="The survey's state forbids it.")


def _survey(request, survey_id: int):
    found = selectors.survey_list(actor=request.user).filter(pk=survey_id).first()
    if found is None:
        selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)  # the 404
    return found


class SurveyListApi(ExportableListMixin, GenericAPIView):
    """The council's outcome surveys, newest period first, with how many were invited and
    answered. POST sets one up, in draft, with the built-in questions (council administrators
    and commissioners). `?format=csv` or `xlsx` downloads every survey."""

    permission_classes = [HasRulePermission]
    serializer_class = SurveySerializer
    pagination_class = NumberedPagePagination
    filter_backends: list = []
    export = SURVEYS

    @property
    def required_permission(self) -> str:
        return VIEW_REPORT if self.request.method == "GET" else MANAGE

    def get_queryset(self):
        return selectors.survey_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=SurveySerializer(many=True))
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SurveySerializer(page, many=True).data)

    @extend_schema(request=SurveyCreateSerializer, responses={201: SurveySerializer})
    def post(self, request):
        serializer = SurveyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.survey_create(actor=request.user, **serializer.validated_data)
        return Response(
            SurveySerializer(_survey(request, survey.pk)).data, status=status.HTTP_201_CREATED
        )


class SurveySendApi(APIView):
    """Open the survey and invite each family with support in its period (again: only those
    not yet invited); links go by email to carers without a parent account."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(
        request=None, responses={200: SurveySentSerializer, 404: NOT_FOUND, 409: CONFLICT}
    )
    def post(self, request, survey_id: int):
        survey = _survey(request, survey_id)
        sent = services.survey_send(actor=request.user, survey=survey)
        return Response(SurveySentSerializer(sent).data)


class SurveyCloseApi(APIView):
    """Close the survey: its links stop working and it takes no more answers."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(request=None, responses={200: SurveySerializer, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, survey_id: int):
        survey = _survey(request, survey_id)
        services.survey_close(actor=request.user, survey=survey)
        return Response(SurveySerializer(_survey(request, survey_id)).data)


class SurveyResponseApi(ExportableListMixin, GenericAPIView):
    """GET: every answer to the survey, one row each, with the child it is about, in numbered
    pages, or every one as a download with `?format=csv` or `xlsx`: for people who may read the
    reports and children's records (team managers and auditors; row by row, answers a report
    counts as "fewer than 5" show). POST: a family's answers recorded by a social worker or team
    manager on their behalf, for one of the survey's invitations, once."""

    permission_classes = [HasRulePermission]
    serializer_class = SurveyAnswerSerializer
    pagination_class = NumberedPagePagination
    filter_backends: list = []
    queryset = Answer.objects.none()  # names the model for the schema; never read
    export = ANSWERS

    @property
    def required_permission(self) -> str:
        return VIEW_REPORT if self.request.method == "GET" else RECORD

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: SurveyAnswerSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, survey_id: int):
        survey = _survey(request, survey_id)
        if not selectors.may_read_answers(request.user):
            raise PermissionDenied
        answers = selectors.survey_answer_list(actor=request.user, survey=survey)
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=ANSWERS,
                queryset=answers,
                fmt=fmt,
                filters={"survey": survey.pk},
            )
        page = self.paginate_queryset(answers)
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type="outcomes.answer",
            ids=[answer.pk for answer in page],
            filters={"survey": survey.pk, "page": self.paginator.page},
        )
        return self.get_paginated_response(SurveyAnswerSerializer(page, many=True).data)

    @extend_schema(
        request=StaffResponseCreateSerializer,
        responses={201: StaffResponseSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, survey_id: int):
        survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
        serializer = StaffResponseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = selectors.access_invitation_for_staff(
            actor=request.user, invitation_id=data["invitation"]
        )
        try:
            answers = {int(key): value for key, value in data["answers"].items()}
        except ValueError:
            message = "Key each answer by its question's id."
            raise serializers.ValidationError({"answers": [message]}) from None
        if invitation.survey_id != survey.pk:
            raise serializers.ValidationError({"invitation": ["Not an invitation to this survey."]})
        answered = services.response_submit(
            actor=request.user,
            invitation=invitation,
            channel=Channel.STAFF,
            answers=answers,
        )
        access_log_record(actor=request.user, request=request, action="create", obj=answered)
        return Response(StaffResponseSerializer(answered).data, status=status.HTTP_201_CREATED)


class SurveyReportApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = VIEW_REPORT

    @extend_schema(
        responses={
            200: SurveyReportSerializer,
            404: OpenApiResponse(description="No such survey in the council."),
        }
    )
    def get(self, request, survey_id: int):
        survey = selectors.survey_list(actor=request.user).filter(pk=survey_id).first()
        if survey is None:
            selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
        report = selectors.survey_report(survey=survey)
        return Response(SurveyReportSerializer({"survey": survey, **report}).data)


urlpatterns = [
    path("outcomes/surveys/", SurveyListApi.as_view(), name="api-outcome-surveys"),
    path(
        "outcomes/surveys/<int:survey_id>/send/",
        SurveySendApi.as_view(),
        name="api-outcome-survey-send",
    ),
    path(
        "outcomes/surveys/<int:survey_id>/close/",
        SurveyCloseApi.as_view(),
        name="api-outcome-survey-close",
    ),
    path(
        "outcomes/surveys/<int:survey_id>/responses/",
        SurveyResponseApi.as_view(),
        name="api-outcome-survey-responses",
    ),
    path(
        "outcomes/surveys/<int:survey_id>/report/",
        SurveyReportApi.as_view(),
        name="api-outcome-survey-report",
    ),
]
