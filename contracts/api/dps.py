"""Dynamic purchasing systems and their memberships, for other systems.

Reads need `contracts.view_contract`, changes `contracts.manage_contract`. A change the record's
state forbids answers 409 with the reason; bad input 400 with field messages; another council's
DPS or membership 404, exactly as a missing one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import DPS_MEMBERSHIPS, DPS_SYSTEMS
from contracts.models import DPS, MEMBERSHIP_STEPS, DPSMembership
from contracts.selectors import dps as dps_selectors
from contracts.serializers.dps import (
    DPSCreateSerializer,
    DPSMembershipApplySerializer,
    DPSMembershipChecksSerializer,
    DPSMembershipSerializer,
    DPSMembershipTransitionSerializer,
    DPSSerializer,
)
from contracts.services import dps as services
from providers.selectors import access_provider_by_id
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission
from shortbreaks.serializers import ConflictSerializer

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"

CONFLICT = OpenApiResponse(ConflictSerializer, description="The state forbids this change.")


class ReadOrManage:
    """Reading needs `view_contract`; any other method `manage_contract`."""

    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method in SAFE_METHODS else MANAGE


def _membership_data(membership: DPSMembership) -> dict:
    """A membership with its history, read fresh after a change."""
    fresh = dps_selectors.dps_membership_with_history(membership_id=membership.pk)
    return DPSMembershipSerializer(fresh).data


class DPSListApi(ReadOrManage, ExportableListMixin, ListAPIView):
    """The active council's dynamic purchasing systems, with members counted by status.
    `?format=csv` or `xlsx` downloads every one."""

    serializer_class = DPSSerializer
    pagination_class = NewestFirstCursorPagination
    export = DPS_SYSTEMS

    def get_queryset(self):
        return dps_selectors.dps_with_member_counts(dps_selectors.dps_list(actor=self.request.user))

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DPSCreateSerializer, responses={201: DPSSerializer})
    def post(self, request):
        serializer = DPSCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dps = services.dps_create(
            actor=request.user,
            title=data["title"],
            categories="\n".join(line.strip() for line in data["categories"] if line.strip()),
            start_date=data["start_date"],
            end_date=data["end_date"],
            open_to_applications=data["open_to_applications"],
        )
        access_log_record(actor=request.user, request=request, action="create", obj=dps)
        dps = dps_selectors.dps_with_member_counts(DPS.objects.filter(pk=dps.pk)).get()
        return Response(DPSSerializer(dps).data, status=status.HTTP_201_CREATED)


class DPSDetailApi(ReadOrManage, APIView):
    @extend_schema(responses=DPSSerializer)
    def get(self, request, dps_id: int):
        actor = request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
        access_log_record(actor=actor, request=request, action="view", obj=dps)
        dps = dps_selectors.dps_with_member_counts(DPS.objects.filter(pk=dps.pk)).get()
        return Response(DPSSerializer(dps).data)


class MembershipListApi(ReadOrManage, ExportableListMixin, ListAPIView):
    """The providers on a DPS; POST records a provider's application to join. `?format=csv`
    or `xlsx` downloads every membership with its checks."""

    serializer_class = DPSMembershipSerializer
    pagination_class = NewestFirstCursorPagination
    queryset = DPSMembership.objects.none()  # for the schema; get_queryset scopes the rows
    export = DPS_MEMBERSHIPS

    def get_queryset(self):
        actor = self.request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=self.kwargs["dps_id"])
        return (
            dps_selectors.dps_membership_list(actor=actor, dps=dps)
            .select_related("dps")
            .prefetch_related(None)
            .prefetch_related(dps_selectors.dps_membership_events_prefetch())
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DPSMembershipApplySerializer,
        responses={201: DPSMembershipSerializer, 409: CONFLICT},
    )
    def post(self, request, dps_id: int):
        actor = request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
        serializer = DPSMembershipApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            provider = access_provider_by_id(actor=actor, provider_id=data["provider"])
        except RecordNotFound:
            raise ValidationError({"provider": "Choose one of the council's providers."}) from None
        membership = services.dps_membership_apply(
            actor=actor, dps=dps, provider=provider, on=data["on"], reason=data["reason"]
        )
        access_log_record(actor=actor, request=request, action="create", obj=membership)
        return Response(_membership_data(membership), status=status.HTTP_201_CREATED)


class MembershipDetailApi(ReadOrManage, APIView):
    @extend_schema(responses=DPSMembershipSerializer)
    def get(self, request, dps_id: int, membership_id: int):
        actor = request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
        membership = dps_selectors.dps_membership_of(
            actor=actor, dps=dps, membership_id=membership_id
        )
        access_log_record(actor=actor, request=request, action="view", obj=membership)
        return Response(_membership_data(membership))


class MembershipChecksApi(ReadOrManage, APIView):
    """Record which pre-approval checks are done; send only the ones that change."""

    def _save(self, request, dps_id: int, membership_id: int):
        actor = request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
        membership = dps_selectors.dps_membership_of(
            actor=actor, dps=dps, membership_id=membership_id
        )
        serializer = DPSMembershipChecksSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.dps_membership_record_checks(
            actor=actor, membership=membership, **serializer.validated_data
        )
        access_log_record(actor=actor, request=request, action="change", obj=membership)
        return Response(_membership_data(membership))

    @extend_schema(request=DPSMembershipChecksSerializer, responses=DPSMembershipSerializer)
    def post(self, request, dps_id: int, membership_id: int):
        return self._save(request, dps_id, membership_id)

    @extend_schema(request=DPSMembershipChecksSerializer, responses=DPSMembershipSerializer)
    def patch(self, request, dps_id: int, membership_id: int):
        return self._save(request, dps_id, membership_id)


class MembershipTransitionApi(ReadOrManage, APIView):
    """One transition of a membership, with its date and reason."""

    action: str = ""

    @extend_schema(
        request=DPSMembershipTransitionSerializer,
        responses={200: DPSMembershipSerializer, 409: CONFLICT},
    )
    def post(self, request, dps_id: int, membership_id: int):
        actor = request.user
        dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
        membership = dps_selectors.dps_membership_of(
            actor=actor, dps=dps, membership_id=membership_id
        )
        serializer = DPSMembershipTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.dps_membership_transition(
            actor=actor,
            membership=membership,
            action=self.action,
            on=serializer.validated_data["on"],
            reason=serializer.validated_data["reason"],
        )
        access_log_record(actor=actor, request=request, action="change", obj=membership)
        return Response(_membership_data(membership))


def _transition_view(action: str):
    """A class per transition, so each has its own operation in the schema."""
    name = "".join(part.title() for part in action.split("_"))
    view = type(
        f"Membership{name}Api",
        (MembershipTransitionApi,),
        {"action": action, "__doc__": f"Membership transition: {action.replace('_', ' ')}."},
    )
    return view.as_view()


MEMBERSHIP = "dps/<int:dps_id>/memberships/<int:membership_id>/"

urlpatterns = [
    path("dps/", DPSListApi.as_view(), name="api-dps-list"),
    path("dps/<int:dps_id>/", DPSDetailApi.as_view(), name="api-dps"),
    path(
        "dps/<int:dps_id>/memberships/",
        MembershipListApi.as_view(),
        name="api-dps-memberships",
    ),
    path(MEMBERSHIP, MembershipDetailApi.as_view(), name="api-dps-membership"),
    path(f"{MEMBERSHIP}checks/", MembershipChecksApi.as_view(), name="api-dps-membership-checks"),
    *[
        path(
            f"{MEMBERSHIP}{action}/",
            _transition_view(action),
            name=f"api-dps-membership-{action.replace('_', '-')}",
        )
        for action in MEMBERSHIP_STEPS
    ],
]
