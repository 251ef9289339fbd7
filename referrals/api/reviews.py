"""The API for reviews of packages and for the aggregates, through the same services as the pages.

Reading reviews needs `referrals.view_child`, recording one `referrals.manage_child`; the
aggregates need `referrals.view_aggregates` and hold no child's name or identifier. A package
that cannot be reviewed answers 409; what a reduction lacks answers 400 with field messages.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import summary as support_summary
from referrals import trends
from referrals.api.listing import log_page
from referrals.exports import REVIEW_RELATED, REVIEWS
from referrals.models import Assessment
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import packages as package_selectors
from referrals.selectors import reviews as review_selectors
from referrals.serializers.reviews import (
    AggregatesSerializer,
    AggregateTrendsSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
)
from referrals.services import reviews as review_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import (
    NewestFirstCursorPagination,
    NumberedPagePagination,
    page_and_size,
    page_links,
)
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AGGREGATES = "referrals.view_aggregates"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The package cannot be reviewed now.")
NOT_FOUND = OpenApiResponse(description="No such package in the council.")


def _reassessment(actor, package, assessment_id: int | None) -> Assessment | None:
    """The child's assessment with this id; another council's is exactly as unknown."""
    if assessment_id is None:
        return None
    try:
        return assessment_selectors.access_assessment_by_id(
            actor=actor, assessment_id=assessment_id
        )
    except RecordNotFound:
        raise ValidationError({"reassessment": "Choose one of the child's assessments."}) from None


def _end_lines(actor, line_ids: list[int]) -> list:
    lines = []
    for line_id in dict.fromkeys(line_ids):
        try:
            lines.append(package_selectors.access_package_line_by_id(actor=actor, line_id=line_id))
        except RecordNotFound:
            raise ValidationError({"end_lines": "Choose lines of this package."}) from None
    return lines


class ReviewListApi(ExportableListMixin, GenericAPIView):
    """Reviews in the council, newest first; `?package=` for one package's. POST records one.
    `?format=csv` or `xlsx` downloads every review the filter keeps."""

    permission_classes = [HasRulePermission]
    serializer_class = ReviewSerializer
    pagination_class = NewestFirstCursorPagination
    filter_backends: list = []
    export = REVIEWS

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method == "GET" else MANAGE

    def get_queryset(self):
        package = self.request.query_params.get("package")
        package_id = int(package) if package and package.isdigit() else None
        reviews = review_selectors.review_list(actor=self.request.user, package_id=package_id)
        if self.export_format(self.request) is not None:
            reviews = reviews.select_related(*REVIEW_RELATED)
        return reviews.order_by("-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("package", int, description="Only this package's reviews."),
            EXPORT_PARAMETER,
        ],
        responses=ReviewSerializer(many=True),
    )
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        log_page(request, page, object_type="referrals.review")
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request):
        serializer = ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = request.user
        package = package_selectors.access_package_by_id(actor=actor, package_id=data["package"])
        review = review_services.review_record_with_line_ends(
            actor=actor,
            package=package,
            held_on=data["held_on"],
            outcome=data["outcome"],
            reasons=data["reasons"],
            family_views=data["family_views"],
            family_told_on=data["family_told_on"],
            reassessment=_reassessment(actor, package, data["reassessment"]),
            end_lines=_end_lines(actor, data["end_lines"]),
            lines_end_on=data["lines_end_on"],
        )
        access_log_record(actor=actor, request=request, action="create", obj=review)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses=ReviewSerializer)
    def get(self, request, review_id: int):
        review = review_selectors.access_review_by_id(actor=request.user, review_id=review_id)
        access_log_record(actor=request.user, request=request, action="view", obj=review)
        return Response(ReviewSerializer(review).data)


class AggregatesApi(APIView):
    """Children by tier, packages by status, and the support running today by service, contract
    lot and funding route: counts, hours and costs only. A row counting 1 to 4 children says
    "fewer than 5" in `suppressed`, with its counts, hours and costs null; 0 stays 0.

    `by_service`, a row for each service running, and `by_lot`, a row for each contract lot, come
    a page at a time (`page`, `page_size`: page 2 holds the second page of each; `next` and
    `previous` are the addresses of the pages either side, `next` while either table has more);
    the other tables and the totals are whole on every page."""

    permission_classes = [HasRulePermission]
    required_permission = AGGREGATES

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "page",
                int,
                description="The page of `by_service` and `by_lot`, from 1 (50 rows a page).",
            ),
            OpenApiParameter(
                "page_size",
                int,
                description=f"Rows of `by_service` and of `by_lot` a page, at most "
                f"{NumberedPagePagination.max_page_size}.",
            ),
        ],
        responses=AggregatesSerializer,
    )
    def get(self, request):
        number, size = page_and_size(
            request.query_params,
            default_size=NumberedPagePagination.page_size,
            max_size=NumberedPagePagination.max_page_size,
        )
        data = support_summary.support_running(
            actor=request.user,
            summary=support_summary.summary_for(
                actor=request.user, services=(number, size), lots=number
            ),
            service_page=number,
            size=size,
            lot_page=number,
        )
        services, lots = data["by_service_page"], data["by_lot_page"]
        # One page of each table: a next page while either has more rows.
        links = page_links(request, replace(services, has_next=services.has_next or lots.has_next))
        return Response(AggregatesSerializer({**data, **links}).data)


class AggregateTrendsApi(APIView):
    """Support in numbers over the last 24 months, oldest month first: children supported by
    tier, hours delivered and nights away from home. A month that counts 1 to 4 children says
    "fewer than 5" (`suppressed`, `hours_suppressed`, `nights_suppressed`) with the figure null.
    Read from the council's summary (`as_at` says when it was worked out): two queries, however
    much the council holds."""

    permission_classes = [HasRulePermission]
    required_permission = AGGREGATES

    @extend_schema(responses=AggregateTrendsSerializer)
    def get(self, request):
        kept = support_summary.support_trends(
            summary=support_summary.summary_for(actor=request.user, running=False)
        )
        months = trends.support_trends_published(actor=request.user, trends=kept)
        return Response(AggregateTrendsSerializer({"months": months, "as_at": kept["as_at"]}).data)


urlpatterns = [
    path("reviews/", ReviewListApi.as_view(), name="api-reviews"),
    path("reviews/<int:review_id>/", ReviewDetailApi.as_view(), name="api-review"),
    path("aggregates/", AggregatesApi.as_view(), name="api-aggregates"),
    path("aggregates/trends/", AggregateTrendsApi.as_view(), name="api-aggregate-trends"),
]
