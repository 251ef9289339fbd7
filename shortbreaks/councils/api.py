from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils import selectors, services
from shortbreaks.councils.serializers import (
    MeSerializer,
    SwitchCouncilSerializer,
    TeamSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from shortbreaks.permissions import HasRulePermission


class TokenApi(APIView):
    """Exchange an email address and password for an API token.

    Failures count towards the same per-account lockout as the sign-in page.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = {
            "username": serializer.validated_data["username"],
            "password": serializer.validated_data["password"],
        }
        http_request = request._request
        if AxesProxyHandler.is_locked(http_request, credentials):
            return Response(
                {
                    "detail": "This account is locked after too many failed sign-ins. "
                    "Try again in 30 minutes or ask your council administrator."
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(http_request, **credentials)
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return Response(
                    {"detail": "This account is locked after too many failed sign-ins."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"non_field_errors": ["Enter a correct email address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.user_ensure_active_council(user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    """The signed-in person, their active council and their roles there."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.memberships_list = list(selectors.memberships_for_user(user=user))
        return Response(MeSerializer(user).data)


class SwitchCouncilApi(APIView):
    """Make another of your councils the active one, for the API and the pages alike."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=SwitchCouncilSerializer, responses=MeSerializer)
    def post(self, request):
        serializer = SwitchCouncilSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_switch_council(
            actor=request.user, council_slug=serializer.validated_data["council"], request=request
        )
        user = request.user
        user.memberships_list = list(selectors.memberships_for_user(user=user))
        return Response(MeSerializer(user).data)


class TeamListApi(ListAPIView):
    """The teams of your active council."""

    serializer_class = TeamSerializer
    permission_classes = [HasRulePermission]
    required_permission = "councils.view_team"

    def get_queryset(self):
        return selectors.team_list(actor=self.request.user)


class TeamDetailApi(APIView):
    """One team of your active council; another council's id answers 404, as a missing one."""

    permission_classes = [HasRulePermission]
    required_permission = "councils.view_team"

    @extend_schema(responses=TeamSerializer)
    def get(self, request, team_id: int):
        team = selectors.access_team_by_id(actor=request.user, team_id=team_id)
        access_log_record(actor=request.user, request=request, action="view", obj=team)
        return Response(TeamSerializer(team).data)
