"""The API for direct payments, through the same services as the pages.

`/api/v1/direct-payments/` lists the council's agreements (POST sets one up for a child);
`.../<id>/payments/` and `.../<id>/recoveries/` list and record payments and recoveries (finance
officers); `.../<id>/reviews/` lists and records reviews (social workers and team managers).
Another council's agreement or child answers 404, a role that may not 403, an amount of zero or
less, or a recovery above the balance, 400; a change to an ended agreement, 409. `?format=csv`
or `xlsx` on the list downloads every agreement.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from directpayments import selectors, services
from directpayments.exports import AGREEMENTS, PAYMENTS, RECOVERIES, REVIEWS
from directpayments.serializers import (
    AgreementCreateSerializer,
    AgreementReviewCreateSerializer,
    AgreementReviewSerializer,
    AgreementSerializer,
    PaymentCreateSerializer,
    PaymentSerializer,
    RecoveryCreateSerializer,
    RecoverySerializer,
)
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.exports import EXPORT_PARAMETER, Export, ExportableListMixin, export_response
from shortbreaks.pagination import NumberedPagePagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "directpayments.view_agreement"
MANAGE = "directpayments.manage_agreement"
FINANCE = "directpayments.record_payment"
REVIEW = "directpayments.review_agreement"
NOT_FOUND = OpenApiResponse(description="No such agreement or child in the council.")
CONFLICT = OpenApiResponse(ConflictSerializer, description="The agreement has ended.")


class AgreementListApi(ExportableListMixin, GenericAPIView):
    """The council's direct payment agreements, newest first, with paid, recovered and balance.
    POST sets one up for a child: the amount each period comes from the child's package lines
    paid by direct payment, and the schedule is made from it."""

    permission_classes = [HasRulePermission]
    serializer_class = AgreementSerializer
    pagination_class = NumberedPagePagination

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method == "GET" else MANAGE

    def get_queryset(self):
        return selectors.agreement_list(actor=self.request.user)

    export = AGREEMENTS

    @extend_schema(responses=AgreementSerializer(many=True), parameters=[EXPORT_PARAMETER])
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type="directpayments.agreement",
            ids=[agreement.pk for agreement in page],
        )
        return self.get_paginated_response(AgreementSerializer(page, many=True).data)

    @extend_schema(
        request=AgreementCreateSerializer, responses={201: AgreementSerializer, 404: NOT_FOUND}
    )
    def post(self, request):
        serializer = AgreementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = selectors.access_child_by_id(actor=request.user, child_id=data.pop("child"))
        agreement = services.agreement_create(actor=request.user, child=child, **data)
        access_log_record(actor=request.user, request=request, action="create", obj=agreement)
        agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement.pk)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class AgreementDetailApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses={200: AgreementSerializer, 404: NOT_FOUND})
    def get(self, request, agreement_id: int):
        agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement_id)
        access_log_record(actor=request.user, request=request, action="view", obj=agreement)
        return Response(AgreementSerializer(agreement).data)


class _AgreementRecordsApi(ExportableListMixin, APIView):
    """The payments or recoveries of one agreement; POST records one (finance officers).
    `?format=csv` or `xlsx` downloads them."""

    permission_classes = [HasRulePermission]
    read_serializer: type
    write_serializer: type
    service = None
    selector = None  # the agreement's rows: selectors.<kind>_list(agreement=...)
    object_type = ""
    export: Export

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method == "GET" else FINANCE

    def _get(self, request, agreement_id: int):
        agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement_id)
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=self.export,
                queryset=type(self)
                .selector(agreement=agreement)
                .select_related("agreement", "recorded_by"),
                fmt=fmt,
                filters={"agreement": agreement.pk},
            )
        rows = list(type(self).selector(agreement=agreement))
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type=self.object_type,
            ids=[row.pk for row in rows],
        )
        return Response(self.read_serializer(rows, many=True).data)

    def _post(self, request, agreement_id: int):
        agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement_id)
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = type(self).service(
            actor=request.user, agreement=agreement, **serializer.validated_data
        )
        access_log_record(actor=request.user, request=request, action="create", obj=record)
        return Response(self.read_serializer(record).data, status=status.HTTP_201_CREATED)


class PaymentListApi(_AgreementRecordsApi):
    read_serializer = PaymentSerializer
    write_serializer = PaymentCreateSerializer
    service = services.payment_record
    selector = selectors.payment_list
    object_type = "directpayments.payment"
    export = PAYMENTS

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: PaymentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, agreement_id: int):
        return self._get(request, agreement_id)

    @extend_schema(
        request=PaymentCreateSerializer,
        responses={201: PaymentSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, agreement_id: int):
        return self._post(request, agreement_id)


class RecoveryListApi(_AgreementRecordsApi):
    read_serializer = RecoverySerializer
    write_serializer = RecoveryCreateSerializer
    service = services.recovery_record
    selector = selectors.recovery_list
    object_type = "directpayments.recovery"
    export = RECOVERIES

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: RecoverySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, agreement_id: int):
        return self._get(request, agreement_id)

    @extend_schema(
        request=RecoveryCreateSerializer, responses={201: RecoverySerializer, 404: NOT_FOUND}
    )
    def post(self, request, agreement_id: int):
        return self._post(request, agreement_id)


class ReviewListApi(_AgreementRecordsApi):
    """An agreement's reviews, oldest first; POST records one (social workers and team
    managers): the next account check moves on, and ending stops the payments after it."""

    read_serializer = AgreementReviewSerializer
    write_serializer = AgreementReviewCreateSerializer
    service = services.agreement_review_record
    selector = selectors.review_list
    object_type = "directpayments.agreementreview"
    export = REVIEWS

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method == "GET" else REVIEW

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: AgreementReviewSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, agreement_id: int):
        return self._get(request, agreement_id)

    @extend_schema(
        request=AgreementReviewCreateSerializer,
        responses={201: AgreementReviewSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, agreement_id: int):
        return self._post(request, agreement_id)


urlpatterns = [
    path("direct-payments/", AgreementListApi.as_view(), name="api-direct-payments"),
    path(
        "direct-payments/<int:agreement_id>/",
        AgreementDetailApi.as_view(),
        name="api-direct-payment",
    ),
    path(
        "direct-payments/<int:agreement_id>/payments/",
        PaymentListApi.as_view(),
        name="api-direct-payment-payments",
    ),
    path(
        "direct-payments/<int:agreement_id>/recoveries/",
        RecoveryListApi.as_view(),
        name="api-direct-payment-recoveries",
    ),
    path(
        "direct-payments/<int:agreement_id>/reviews/",
        ReviewListApi.as_view(),
        name="api-direct-payment-reviews",
    ),
]
