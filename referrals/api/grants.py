"""The API for targeted grants and allowances: the same changes as the pages, through the services.

Reading needs `referrals.view_child` (commissioners never get a child's name, so they get 403);
changing needs `referrals.manage_child`. Deciding an application that is already decided, or a
payment step its status forbids, answers 409 with the reason.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from referrals.api.listing import log_page
from referrals.exports import GRANT_APPLICATIONS, GRANT_SCHEMES
from referrals.filters import GrantApplicationFilter
from referrals.models import GrantApplication
from referrals.selectors import children as child_selectors
from referrals.selectors import grants as grant_selectors
from referrals.serializers.grants import (
    GrantApplicationCreateSerializer,
    GrantApplicationSerializer,
    GrantCapConflictSerializer,
    GrantDecisionSerializer,
    GrantPaymentSerializer,
    GrantSchemeCreateSerializer,
    GrantSchemeSerializer,
)
from referrals.services import grants as grant_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The application's state forbids it.")
NOT_FOUND = OpenApiResponse(description="No such application in your council.")


class _ReadOrManage:
    """GET needs `referrals.view_child`; any change `referrals.manage_child`."""

    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method in SAFE_METHODS else MANAGE


class GrantSchemeListApi(_ReadOrManage, ExportableListMixin, GenericAPIView):
    """The council's grant and allowance schemes; POST adds one. `?format=csv` or `xlsx`
    downloads every one."""

    serializer_class = GrantSchemeSerializer
    filter_backends: list = []
    export = GRANT_SCHEMES

    def get_queryset(self):
        return grant_selectors.grant_schemes(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=GrantSchemeSerializer(many=True))
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(GrantSchemeSerializer(page, many=True).data)

    @extend_schema(request=GrantSchemeCreateSerializer, responses={201: GrantSchemeSerializer})
    def post(self, request):
        serializer = GrantSchemeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = grant_services.grant_scheme_create(actor=request.user, **serializer.validated_data)
        return Response(GrantSchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)


class GrantApplicationListApi(_ReadOrManage, ExportableListMixin, GenericAPIView):
    """Applications, newest first, by status or child; POST records a family's application.
    `?format=csv` or `xlsx` downloads every application the filters keep."""

    serializer_class = GrantApplicationSerializer
    pagination_class = NewestFirstCursorPagination
    filterset_class = GrantApplicationFilter

    def get_queryset(self):
        return grant_selectors.grant_application_list(actor=self.request.user)

    export = GRANT_APPLICATIONS

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses=GrantApplicationSerializer(many=True),
    )
    def get(self, request):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_page(request, page, object_type="referrals.grantapplication")
        return self.get_paginated_response(GrantApplicationSerializer(page, many=True).data)

    @extend_schema(
        request=GrantApplicationCreateSerializer,
        responses={201: GrantApplicationSerializer, 409: CONFLICT},
    )
    def post(self, request):
        actor = request.user
        serializer = GrantApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        errors = {}
        try:
            child = child_selectors.access_child_by_id(actor=actor, child_id=data.pop("child"))
        except RecordNotFound:
            errors["child"] = ["No child with that id."]
        try:
            scheme = grant_selectors.access_grant_scheme_by_id(
                actor=actor, scheme_id=data.pop("scheme")
            )
        except RecordNotFound:
            errors["scheme"] = ["No scheme with that id."]
        if errors:
            raise serializers.ValidationError(errors)
        application = grant_services.grant_application_create(
            actor=actor, child=child, scheme=scheme, **data
        )
        access_log_record(actor=actor, request=request, action="create", obj=application)
        return Response(
            GrantApplicationSerializer(application).data, status=status.HTTP_201_CREATED
        )


def _application(request, application_id: int) -> GrantApplication:
    return grant_selectors.access_grant_application_by_id(
        actor=request.user, application_id=application_id
    )


class GrantApplicationDetailApi(APIView):
    """One application, with the family's answers; reading it is written to the access log."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses={200: GrantApplicationSerializer, 404: NOT_FOUND})
    def get(self, request, application_id: int):
        application = _application(request, application_id)
        access_log_record(actor=request.user, request=request, action="view", obj=application)
        return Response(GrantApplicationSerializer(application).data)


class GrantApplicationDecideApi(APIView):
    """Approve with an amount (the child moves to the targeted tier) or decline with a reason."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(
        description="An approval that would take the child's awards on the scheme this year "
        "(every application, declined ones still paid included) past the scheme's maximum "
        "answers 409 with the totals.",
        request=GrantDecisionSerializer,
        responses={
            200: GrantApplicationSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(
                GrantCapConflictSerializer,
                description="Already decided (`detail` only), or the award would pass the "
                "scheme's maximum (`detail` and the totals).",
            ),
        },
    )
    def post(self, request, application_id: int):
        application = _application(request, application_id)
        serializer = GrantDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            application = grant_services.grant_application_decide(
                actor=request.user, application=application, **serializer.validated_data
            )
        except grant_services.GrantCapExceeded as cap:
            set_rollback()
            body = {"detail": cap.message_dict["amount"][0], **cap.totals}
            return Response(GrantCapConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)
        access_log_record(actor=request.user, request=request, action="change", obj=application)
        return Response(GrantApplicationSerializer(application).data)


class GrantApplicationPaymentApi(APIView):
    """Move an award's payment on: awaiting payment, paid, stopped."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(
        request=GrantPaymentSerializer,
        responses={200: GrantApplicationSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, application_id: int):
        application = _application(request, application_id)
        serializer = GrantPaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = grant_services.grant_payment_set(
            actor=request.user, application=application, **serializer.validated_data
        )
        access_log_record(actor=request.user, request=request, action="change", obj=application)
        return Response(GrantApplicationSerializer(application).data)


urlpatterns = [
    path("grant-schemes/", GrantSchemeListApi.as_view(), name="api-grant-schemes"),
    path("grant-applications/", GrantApplicationListApi.as_view(), name="api-grant-applications"),
    path(
        "grant-applications/<int:application_id>/",
        GrantApplicationDetailApi.as_view(),
        name="api-grant-application",
    ),
    path(
        "grant-applications/<int:application_id>/decide/",
        GrantApplicationDecideApi.as_view(),
        name="api-grant-application-decide",
    ),
    path(
        "grant-applications/<int:application_id>/payment/",
        GrantApplicationPaymentApi.as_view(),
        name="api-grant-application-payment",
    ),
]
