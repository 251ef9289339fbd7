"""Joint contracts by consent in the API: the invitations to the caller's council, accepting and
declining them (commissioners only), and the lead council withdrawing an invitation or a
council's part. Another council's invitation answers 404, as one that does not exist; an
invitation already answered or withdrawn answers 400 with the reason."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.exports import INVITATIONS
from contracts.selectors import participation as participation_selectors
from contracts.selectors import register as register_selectors
from contracts.serializers.participation import (
    ContractInvitationSerializer,
    InvitationFilterSerializer,
    ParticipationSerializer,
)
from contracts.services import participation as services
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.permissions import HasRulePermission

ANSWER_INVITATION = "contracts.answer_invitation"
MANAGE = "contracts.manage_contract"

NOT_FOUND = OpenApiResponse(description="No such invitation for your council.")
CLOSED = OpenApiResponse(
    description="The invitation was already answered or withdrawn; `detail` says which, and when."
)


def _refused(error: TransitionNotAllowed) -> Response:
    return Response({"detail": error.reason}, status=status.HTTP_400_BAD_REQUEST)


class InvitationPagination(CursorPagination):
    """Longest waiting first. Cursor pages never count the table."""

    ordering = ("invited_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InvitationListApi(ExportableListMixin, ListAPIView):
    """The invitations to the caller's council to take part in other councils' joint
    contracts: all of them, or those in one status (`invited`: waiting for an answer).
    `?format=csv` or `xlsx` downloads every one the filter keeps."""

    permission_classes = [HasRulePermission]
    required_permission = ANSWER_INVITATION
    serializer_class = ContractInvitationSerializer
    pagination_class = InvitationPagination
    filter_backends: list = []
    export = INVITATIONS

    def get_queryset(self):
        params = InvitationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return participation_selectors.invitation_list(
            actor=self.request.user, status=params.validated_data.get("status")
        )

    @extend_schema(parameters=[InvitationFilterSerializer, EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InvitationDetailApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = ANSWER_INVITATION

    @extend_schema(responses={200: ContractInvitationSerializer, 404: NOT_FOUND})
    def get(self, request, invitation_id: int):
        invitation = participation_selectors.access_invitation_by_id(
            actor=request.user, invitation_id=invitation_id
        )
        return Response(ContractInvitationSerializer(invitation).data)


class _InvitationAnswerApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = ANSWER_INVITATION
    service = None

    def post(self, request, invitation_id: int):
        invitation = participation_selectors.access_invitation_by_id(
            actor=request.user, invitation_id=invitation_id
        )
        try:
            invitation = self.service(actor=request.user, participation=invitation)
        except TransitionNotAllowed as error:
            return _refused(error)
        return Response(ContractInvitationSerializer(invitation).data)


class InvitationAcceptApi(_InvitationAnswerApi):
    """Accept: from now on the council reads the contract as a participant."""

    service = staticmethod(services.contract_participation_accept)

    @extend_schema(
        request=None, responses={200: ContractInvitationSerializer, 400: CLOSED, 404: NOT_FOUND}
    )
    def post(self, request, invitation_id: int):
        return super().post(request, invitation_id)


class InvitationDeclineApi(_InvitationAnswerApi):
    """Decline: the council sees nothing of the contract; the lead council sees it declined."""

    service = staticmethod(services.contract_participation_decline)

    @extend_schema(
        request=None, responses={200: ContractInvitationSerializer, 400: CLOSED, 404: NOT_FOUND}
    )
    def post(self, request, invitation_id: int):
        return super().post(request, invitation_id)


class ParticipationWithdrawApi(APIView):
    """The lead council withdraws an invitation, or a council's part in the contract (the ids
    are in the contract's `participants`). Anyone else gets 404."""

    permission_classes = [HasRulePermission]
    required_permission = MANAGE

    @extend_schema(
        request=None,
        responses={
            200: ParticipationSerializer,
            400: OpenApiResponse(description="Already withdrawn, or declined; `detail` says."),
            404: OpenApiResponse(description="No such contract or council, or not yours."),
        },
    )
    def post(self, request, contract_id: int, participation_id: int):
        contract = register_selectors.access_contract_for_change(
            actor=request.user, contract_id=contract_id
        )
        participation = participation_selectors.access_participation_for_change(
            actor=request.user, contract=contract, participation_id=participation_id
        )
        try:
            participation = services.contract_participation_withdraw(
                actor=request.user, participation=participation
            )
        except TransitionNotAllowed as error:
            return _refused(error)
        return Response(ParticipationSerializer(participation).data)


urlpatterns = [
    path(
        "contracts/invitations/",
        InvitationListApi.as_view(),
        name="api-contract-invitations",
    ),
    path(
        "contracts/invitations/<int:invitation_id>/",
        InvitationDetailApi.as_view(),
        name="api-contract-invitation",
    ),
    path(
        "contracts/invitations/<int:invitation_id>/accept/",
        InvitationAcceptApi.as_view(),
        name="api-contract-invitation-accept",
    ),
    path(
        "contracts/invitations/<int:invitation_id>/decline/",
        InvitationDeclineApi.as_view(),
        name="api-contract-invitation-decline",
    ),
    path(
        "contracts/<int:contract_id>/participants/<int:participation_id>/withdraw/",
        ParticipationWithdrawApi.as_view(),
        name="api-contract-participation-withdraw",
    ),
]
