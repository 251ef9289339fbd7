"""Brokerage requests for other systems: `/api/v1/brokerage-requests/`.

Council staff who may read requests (`brokerage.view_request`) see their council's; provider
staff (`brokerage.answer_request`) see and answer only the requests sent to their provider, any
other id answering 404 as a missing one. Each change is the service's: 403 for the wrong role,
409 with the reason for a state that forbids it, 400 with field messages for bad input.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from brokerage import selectors
from brokerage.exports import BROKERAGE_REQUESTS, BROKERAGE_RESPONSES
from brokerage.filters import RequestFilter
from brokerage.models import BrokerageInvitation, BrokerageRequest
from brokerage.serializers import (
    AwardSerializer,
    BrokerageRequestCreateSerializer,
    BrokerageRequestSerializer,
    BrokerageRequestUpdateSerializer,
    ReasonSerializer,
    ResponseCreateSerializer,
    ResponseSerializer,
    SendSerializer,
    SpotPurchaseSerializer,
)
from brokerage.services.answers import brokerage_response_record
from brokerage.services.awards import brokerage_request_award, brokerage_request_spot_purchase
from brokerage.services.common import AWARD, RAISE
from brokerage.services.requests import (
    brokerage_request_raise,
    brokerage_request_send,
    brokerage_request_update,
    brokerage_request_withdraw,
)
from contracts.models import Lot
from providers.selectors import access_provider_by_id, provider_for
from referrals.selectors.packages import access_package_line_by_id
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.selectors import access_by_id
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_rows_response
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import require_perm
from shortbreaks.serializers import ConflictSerializer

OBJECT_TYPE = "brokerage.brokeragerequest"
CONFLICT = OpenApiResponse(ConflictSerializer, description="The state forbids this change.")


class CanSeeRequests(BasePermission):
    """Council staff who may read requests, or provider staff acting for a provider."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.has_perm(selectors.VIEW) or selectors.is_provider_actor(user)


def _with_parts(queryset):
    return queryset.select_related("line").prefetch_related(
        Prefetch(
            "invitations",
            queryset=BrokerageInvitation.objects.select_related("provider", "response"),
        )
    )


def _context(request) -> dict:
    provider_view = not request.user.has_perm(selectors.VIEW)
    return {"provider_view": provider_view, "provider": provider_for(request.user)}


def _data(request, brokerage_request: BrokerageRequest) -> dict:
    fresh = _with_parts(BrokerageRequest.objects.select_related("dps", "lot", "contract")).get(
        pk=brokerage_request.pk
    )
    return BrokerageRequestSerializer(fresh, context=_context(request)).data


def _access(request, request_id) -> BrokerageRequest:
    return selectors.access_request_by_id(actor=request.user, request_id=request_id)


class BrokerageRequestListApi(ExportableListMixin, ListAPIView):
    """Brokerage requests, newest first (provider staff: those sent to their provider).
    POST raises a draft from a line the panel approved (social workers, team managers).
    `?format=csv` or `xlsx` downloads every request the filter keeps."""

    permission_classes = [CanSeeRequests]
    serializer_class = BrokerageRequestSerializer
    pagination_class = NewestFirstCursorPagination
    queryset = BrokerageRequest.objects.none()
    filterset_class = RequestFilter

    def get_queryset(self):
        return _with_parts(selectors.request_list(actor=self.request.user))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_context(self.request)}

    export = BROKERAGE_REQUESTS

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type=OBJECT_TYPE,
            ids=[row.pk for row in page],
            filters={k: v for k, v in request.query_params.items() if k != "cursor"},
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=BrokerageRequestCreateSerializer,
        responses={201: BrokerageRequestSerializer, 409: CONFLICT},
    )
    def post(self, request):
        serializer = BrokerageRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actor = request.user
        require_perm(actor, RAISE)  # the wrong role is refused before any lookup
        try:
            line = access_package_line_by_id(actor=actor, line_id=data.pop("line"))
        except RecordNotFound:
            raise ValidationError(
                {"line": "Choose a line of one of the council's packages."}
            ) from None
        lot = None
        if "lot" in data:
            try:
                lot = access_by_id(
                    Lot.objects.select_related("contract"), actor=actor, pk=data.pop("lot")
                )
            except RecordNotFound:
                raise ValidationError(
                    {"lot": "Choose a lot of one of the council's DPS."}
                ) from None
        created = brokerage_request_raise(actor=actor, line=line, lot=lot, **data)
        access_log_record(actor=actor, request=request, action="create", obj=created)
        return Response(_data(request, created), status=status.HTTP_201_CREATED)


class BrokerageRequestDetailApi(APIView):
    permission_classes = [CanSeeRequests]

    @extend_schema(responses=BrokerageRequestSerializer)
    def get(self, request, request_id: int):
        found = _access(request, request_id)
        access_log_record(actor=request.user, request=request, action="view", obj=found)
        return Response(_data(request, found))

    @extend_schema(
        request=BrokerageRequestUpdateSerializer,
        responses={200: BrokerageRequestSerializer, 409: CONFLICT},
    )
    def patch(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = BrokerageRequestUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = brokerage_request_update(
            actor=request.user, request=found, **serializer.validated_data
        )
        access_log_record(actor=request.user, request=request, action="change", obj=found)
        return Response(_data(request, found))


class SendApi(APIView):
    """Send the checked draft to the lot's approved members (or those named) with a deadline;
    once sent, send again with a later deadline, adding any more members named."""

    permission_classes = [CanSeeRequests]

    @extend_schema(
        request=SendSerializer, responses={200: BrokerageRequestSerializer, 409: CONFLICT}
    )
    def post(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = SendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        providers = None
        if "providers" in data:
            providers = []
            for provider_id in data["providers"]:
                try:
                    providers.append(
                        access_provider_by_id(actor=request.user, provider_id=provider_id)
                    )
                except RecordNotFound:
                    raise ValidationError(
                        {"providers": "Choose approved members of the DPS."}
                    ) from None
        found = brokerage_request_send(
            actor=request.user, request=found, deadline=data["deadline"], providers=providers
        )
        access_log_record(actor=request.user, request=request, action="change", obj=found)
        return Response(_data(request, found))


class ResponseListApi(ExportableListMixin, APIView):
    """The answers: council staff see them all, ranked by score with the scores; provider staff
    only their own. POST records an answer (provider staff for their provider; council staff on
    a named provider's behalf). `?format=csv` or `xlsx` downloads them as ranked."""

    permission_classes = [CanSeeRequests]
    export = BROKERAGE_RESPONSES

    def _ranked(self, request, found: BrokerageRequest) -> list:
        ranked = selectors.ranked_responses(request=found)
        if not request.user.has_perm(selectors.VIEW):
            own = provider_for(request.user)
            return [r for r in ranked if r.response.provider_id == own.pk]
        return ranked

    def _payload(self, request, found: BrokerageRequest) -> list:
        ranked = self._ranked(request, found)
        asked = {"actor": request.user, "brokerage_request": found}
        if not request.user.has_perm(selectors.VIEW):
            return ResponseSerializer([r.response for r in ranked], many=True, context=asked).data
        return ResponseSerializer(
            [r.response for r in ranked],
            many=True,
            context={"ranked": {r.response.pk: r for r in ranked}, **asked},
        ).data

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=ResponseSerializer(many=True))
    def get(self, request, request_id: int):
        found = _access(request, request_id)
        fmt = self.export_format(request)
        if fmt is not None:
            ranked = self._ranked(request, found)
            return export_rows_response(
                request=request,
                actor=request.user,
                export=BROKERAGE_RESPONSES,
                ids=[r.response.pk for r in ranked],
                rows=lambda: ranked,
                fmt=fmt,
                filters={"request": found.pk},
            )
        access_log_record(actor=request.user, request=request, action="view", obj=found)
        return Response(self._payload(request, found))

    @extend_schema(
        request=ResponseCreateSerializer, responses={201: ResponseSerializer, 409: CONFLICT}
    )
    def post(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = ResponseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        own = provider_for(request.user) if selectors.is_provider_actor(request.user) else None
        if own is not None:
            provider = own
        elif "provider" not in data:
            raise ValidationError({"provider": "Choose the provider whose answer this is."})
        else:
            try:
                provider = access_provider_by_id(actor=request.user, provider_id=data["provider"])
            except RecordNotFound:
                raise ValidationError(
                    {"provider": "This request was not sent to that provider."}
                ) from None
        response = brokerage_response_record(
            actor=request.user,
            request=found,
            provider=provider,
            can_meet=data["can_meet"],
            price_per_unit=data.get("price_per_unit"),
            start_date=data.get("start_date"),
            comments=data.get("comments", ""),
        )
        access_log_record(actor=request.user, request=request, action="create", obj=response)
        return Response(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class AwardApi(APIView):
    """Award the request to one answer: a DPS call-off contract, and the line bought under it."""

    permission_classes = [CanSeeRequests]

    @extend_schema(
        request=AwardSerializer, responses={200: BrokerageRequestSerializer, 409: CONFLICT}
    )
    def post(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = AwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        require_perm(request.user, AWARD)
        try:
            response = selectors.access_response_by_id(
                actor=request.user, request=found, response_id=serializer.validated_data["response"]
            )
        except RecordNotFound:
            raise ValidationError({"response": "Choose one of this request's answers."}) from None
        found = brokerage_request_award(actor=request.user, request=found, response=response)
        access_log_record(actor=request.user, request=request, action="change", obj=found)
        return Response(_data(request, found))


class WithdrawApi(APIView):
    permission_classes = [CanSeeRequests]

    @extend_schema(
        request=ReasonSerializer, responses={200: BrokerageRequestSerializer, 409: CONFLICT}
    )
    def post(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = brokerage_request_withdraw(
            actor=request.user, request=found, reason=serializer.validated_data["reason"]
        )
        access_log_record(actor=request.user, request=request, action="change", obj=found)
        return Response(_data(request, found))


class SpotPurchaseApi(APIView):
    """No DPS member can meet the need: buy it spot from a provider, with the reason."""

    permission_classes = [CanSeeRequests]

    @extend_schema(
        request=SpotPurchaseSerializer, responses={200: BrokerageRequestSerializer, 409: CONFLICT}
    )
    def post(self, request, request_id: int):
        found = _access(request, request_id)
        serializer = SpotPurchaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_perm(request.user, AWARD)
        try:
            provider = access_provider_by_id(actor=request.user, provider_id=data["provider"])
        except RecordNotFound:
            raise ValidationError({"provider": "Choose one of the council's providers."}) from None
        found = brokerage_request_spot_purchase(
            actor=request.user,
            request=found,
            provider=provider,
            unit_rate=data["unit_rate"],
            reason=data["reason"],
        )
        access_log_record(actor=request.user, request=request, action="change", obj=found)
        return Response(_data(request, found))


BASE = "brokerage-requests/<int:request_id>/"

urlpatterns = [
    path("brokerage-requests/", BrokerageRequestListApi.as_view(), name="api-brokerage-requests"),
    path(BASE, BrokerageRequestDetailApi.as_view(), name="api-brokerage-request"),
    path(f"{BASE}send/", SendApi.as_view(), name="api-brokerage-request-send"),
    path(f"{BASE}responses/", ResponseListApi.as_view(), name="api-brokerage-request-responses"),
    path(f"{BASE}award/", AwardApi.as_view(), name="api-brokerage-request-award"),
    path(f"{BASE}withdraw/", WithdrawApi.as_view(), name="api-brokerage-request-withdraw"),
    path(
        f"{BASE}spot-purchase/",
        SpotPurchaseApi.as_view(),
        name="api-brokerage-request-spot-purchase",
    ),
]
