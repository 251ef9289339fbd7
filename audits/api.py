"""The audit API: reports, recommendations, their status, management action and evidence.

Reading needs `audits.view_audit`; recording reports and recommendations `audits.manage_audit`
(auditors); changing a recommendation's status or action and its evidence
`audits.update_recommendation`. Another council's id answers 404, as a missing one does; an id of
another council's record given as evidence, or as the report followed up, answers 400 with the
same message as a missing one. Setting a status the recommendation already has answers 409.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from audits import selectors, services
from audits.exports import AUDIT_REPORTS, EVIDENCE_LINKS, RECOMMENDATIONS
from audits.models import AuditReport, EvidenceLink, Recommendation
from audits.serializers import (
    AuditReportCreateSerializer,
    AuditReportDetailSerializer,
    AuditReportSerializer,
    EvidenceLinkCreateSerializer,
    EvidenceLinkSerializer,
    RecommendationCreateSerializer,
    RecommendationDetailSerializer,
    RecommendationFilterSerializer,
    RecommendationPatchSerializer,
    RecommendationSerializer,
)
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "audits.view_audit"
MANAGE = "audits.manage_audit"
UPDATE = "audits.update_recommendation"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

NOT_FOUND = OpenApiResponse(description="No such record in your council.")
CONFLICT = OpenApiResponse(ConflictSerializer, description="The recommendation's state forbids it.")


class NewestReportFirst(CursorPagination):
    ordering = ("-report_date", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ReportOrder(CursorPagination):
    """Recommendations in the order of their reports and then as recorded."""

    ordering = ("report_id", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class _Permissions:
    permission_classes = [HasRulePermission]
    read_permission = VIEW
    write_permission = MANAGE

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return self.read_permission
        return self.write_permission


def _field_error(field: str, message: str):
    return serializers.ValidationError({field: [message]})


def _report_data(actor, report: AuditReport) -> dict:
    recommendations = selectors.progress_table(actor=actor, report=report)
    return AuditReportDetailSerializer(report, context={"recommendations": recommendations}).data


def _recommendation_data(actor, recommendation_id: int) -> dict:
    recommendation = selectors.access_recommendation_by_id(
        actor=actor, recommendation_id=recommendation_id
    )
    context = {
        "links": list(selectors.evidence_links(recommendation=recommendation)),
        "events": list(selectors.recommendation_events(recommendation=recommendation)),
    }
    return RecommendationDetailSerializer(recommendation, context=context).data


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


class AuditReportListApi(_Permissions, ExportableListMixin, GenericAPIView):
    """The council's audit reports, newest first; POST records one (auditors). `?format=csv`
    or `xlsx` downloads every report."""

    serializer_class = AuditReportSerializer
    pagination_class = NewestReportFirst
    export = AUDIT_REPORTS

    def get_queryset(self):
        return selectors.audit_report_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=AuditReportSerializer(many=True))
    def get(self, request):
        rows = self.get_queryset()
        if (download := _export(self, request, AUDIT_REPORTS, rows)) is not None:
            return download
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AuditReportSerializer(page, many=True).data)

    @extend_schema(
        request=AuditReportCreateSerializer, responses={201: AuditReportDetailSerializer}
    )
    def post(self, request):
        serializer = AuditReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        earlier_id = data.pop("follow_up_of")
        earlier = None
        if earlier_id is not None:
            try:
                earlier = selectors.access_audit_report_by_id(
                    actor=request.user, report_id=earlier_id
                )
            except RecordNotFound:
                raise _field_error(
                    "follow_up_of", "Choose one of the council's earlier reports."
                ) from None
        report = services.audit_report_create(actor=request.user, follow_up_of=earlier, **data)
        access_log_record(actor=request.user, request=request, action="create", obj=report)
        return Response(_report_data(request.user, report), status=status.HTTP_201_CREATED)


class AuditReportDetailApi(_Permissions, APIView):
    """One report with its recommendations as its progress table."""

    @extend_schema(responses={200: AuditReportDetailSerializer, 404: NOT_FOUND})
    def get(self, request, report_id: int):
        report = selectors.access_audit_report_by_id(actor=request.user, report_id=report_id)
        access_log_record(actor=request.user, request=request, action="view", obj=report)
        return Response(_report_data(request.user, report))


class RecommendationListApi(_Permissions, ExportableListMixin, GenericAPIView):
    """The council's recommendations (`status`, `priority`, `report`, `overdue`); POST records
    one on a report (auditors). `?format=csv` or `xlsx` downloads every one the filters keep,
    with its management action."""

    serializer_class = RecommendationSerializer
    pagination_class = ReportOrder
    export = RECOMMENDATIONS

    def get_queryset(self):
        params = RecommendationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.recommendation_list(actor=self.request.user, **params.filters())

    @extend_schema(
        parameters=[RecommendationFilterSerializer, EXPORT_PARAMETER],
        responses=RecommendationSerializer(many=True),
    )
    def get(self, request):
        rows = self.get_queryset()
        if (download := _export(self, request, RECOMMENDATIONS, rows)) is not None:
            return download
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RecommendationSerializer(page, many=True).data)

    @extend_schema(
        request=RecommendationCreateSerializer, responses={201: RecommendationDetailSerializer}
    )
    def post(self, request):
        actor = request.user
        serializer = RecommendationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            report = selectors.access_audit_report_by_id(actor=actor, report_id=data.pop("report"))
        except RecordNotFound:
            raise _field_error("report", "Choose one of the council's audit reports.") from None
        try:
            data["owner"] = selectors.access_owner_by_id(actor=actor, user_id=data["owner"])
        except RecordNotFound:
            raise _field_error("owner", "Choose someone who works for the council.") from None
        recommendation = services.recommendation_create(actor=actor, report=report, **data)
        access_log_record(actor=actor, request=request, action="create", obj=recommendation)
        return Response(
            _recommendation_data(actor, recommendation.pk), status=status.HTTP_201_CREATED
        )


class RecommendationDetailApi(_Permissions, APIView):
    """One recommendation with its evidence and history; PATCH changes its status (with a
    `note`, and `on` or today), its management action and owner, and (auditors) its review
    date."""

    write_permission = UPDATE

    @extend_schema(responses={200: RecommendationDetailSerializer, 404: NOT_FOUND})
    def get(self, request, recommendation_id: int):
        recommendation = selectors.access_recommendation_by_id(
            actor=request.user, recommendation_id=recommendation_id
        )
        access_log_record(actor=request.user, request=request, action="view", obj=recommendation)
        return Response(_recommendation_data(request.user, recommendation.pk))

    @extend_schema(
        request=RecommendationPatchSerializer,
        responses={200: RecommendationDetailSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request, recommendation_id: int):
        actor = request.user
        recommendation = selectors.access_recommendation_by_id(
            actor=actor, recommendation_id=recommendation_id
        )
        serializer = RecommendationPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        new_status, on = data.pop("status", None), data.pop("on", None)
        if "owner" in data:
            try:
                data["owner"] = selectors.access_owner_by_id(actor=actor, user_id=data["owner"])
            except RecordNotFound:
                raise _field_error("owner", "Choose someone who works for the council.") from None
        if data:
            recommendation = services.recommendation_update_action(
                actor=actor,
                recommendation=recommendation,
                note="" if new_status else note,
                **data,
            )
        if new_status:
            services.recommendation_change_status(
                actor=actor, recommendation=recommendation, status=new_status, note=note, on=on
            )
        access_log_record(actor=actor, request=request, action="change", obj=recommendation)
        return Response(_recommendation_data(actor, recommendation.pk))


class RecommendationEvidenceApi(_Permissions, ExportableListMixin, GenericAPIView):
    """A recommendation's evidence links, oldest first; POST links one of the council's
    records (`kind`: contract, extension, monitoring or referral_document; `record`: its id).
    `?format=csv` or `xlsx` downloads them."""

    write_permission = UPDATE
    serializer_class = EvidenceLinkSerializer
    pagination_class = None
    queryset = EvidenceLink.objects.none()
    export = EVIDENCE_LINKS

    def _recommendation(self) -> Recommendation:
        return selectors.access_recommendation_by_id(
            actor=self.request.user, recommendation_id=self.kwargs["recommendation_id"]
        )

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: EvidenceLinkSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, recommendation_id: int):
        links = selectors.evidence_links(recommendation=self._recommendation())
        if (download := _export(self, request, EVIDENCE_LINKS, links)) is not None:
            return download
        return Response(EvidenceLinkSerializer(links, many=True).data)

    @extend_schema(
        request=EvidenceLinkCreateSerializer,
        responses={201: EvidenceLinkSerializer, 404: NOT_FOUND},
    )
    def post(self, request, recommendation_id: int):
        recommendation = self._recommendation()
        serializer = EvidenceLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        link = services.evidence_link_add(
            actor=request.user,
            recommendation=recommendation,
            kind=data["kind"],
            record_id=data["record"],
            note=data["note"],
        )
        link = selectors.evidence_links(recommendation=recommendation).get(pk=link.pk)
        return Response(EvidenceLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class RecommendationEvidenceDetailApi(_Permissions, APIView):
    """Remove one evidence link; the recommendation's history keeps what was removed."""

    write_permission = UPDATE
    queryset = EvidenceLink.objects.none()

    @extend_schema(request=None, responses={204: None, 404: NOT_FOUND})
    def delete(self, request, recommendation_id: int, link_id: int):
        recommendation = selectors.access_recommendation_by_id(
            actor=request.user, recommendation_id=recommendation_id
        )
        link = selectors.access_evidence_link_by_id(
            actor=request.user, recommendation=recommendation, link_id=link_id
        )
        services.evidence_link_remove(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("audit-reports/", AuditReportListApi.as_view(), name="api-audit-reports"),
    path(
        "audit-reports/<int:report_id>/",
        AuditReportDetailApi.as_view(),
        name="api-audit-report",
    ),
    path("recommendations/", RecommendationListApi.as_view(), name="api-recommendations"),
    path(
        "recommendations/<int:recommendation_id>/",
        RecommendationDetailApi.as_view(),
        name="api-recommendation",
    ),
    path(
        "recommendations/<int:recommendation_id>/evidence/",
        RecommendationEvidenceApi.as_view(),
        name="api-recommendation-evidence",
    ),
    path(
        "recommendations/<int:recommendation_id>/evidence/<int:link_id>/",
        RecommendationEvidenceDetailApi.as_view(),
        name="api-recommendation-evidence-link",
    ),
]
