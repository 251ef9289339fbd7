from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shortbreaks import rls
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils import selectors, services
from shortbreaks.councils.authentication import ExpiringTokenAuthentication, absolute_expiry
from shortbreaks.councils.exports import TEAMS
from shortbreaks.councils.serializers import (
    CouncilSettingsSerializer,
    MeSerializer,
    SwitchCouncilSerializer,
    TeamSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.permissions import HasRulePermission

LOCKED = (
    "This account is locked after too many failed sign-ins. "
    "Try again in 30 minutes or ask your council administrator."
)
NOT_STAFF = "The API is for council staff: this account has no role in a council."


class TokenApi(APIView):
    """Sign in to the API: POST an email address and password for a fresh token; DELETE ends the
    token in use.

    Each sign-in gives a new token, kept only as a digest. It ends after 30 minutes unused or 10
    hours in all, at sign-out of the pages, when the account is locked out and when its password
    changes. Failures count towards the same per-account lockout as the sign-in page.
    """

    throttle_classes: list = []

    def _ends_a_token(self) -> bool:
        # No request yet while the schema generator builds its mock one.
        return getattr(getattr(self, "request", None), "method", None) == "DELETE"

    def get_authenticators(self):
        # Signing in reads nothing but the body; ending a token needs that token.
        return [ExpiringTokenAuthentication()] if self._ends_a_token() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._ends_a_token() else [AllowAny()]

    @extend_schema(
        summary="Sign in: a fresh token for an email address and password",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or a wrong email or password."),
            403: OpenApiResponse(description=NOT_STAFF),
            429: OpenApiResponse(description=LOCKED),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = {
            "username": serializer.validated_data["username"],
            "password": serializer.validated_data["password"],
        }
        http_request = request._request
        if AxesProxyHandler.is_locked(http_request, credentials):
            return Response({"detail": LOCKED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
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
        rls.set_user(user)
        services.user_ensure_active_council(user=user)
        # Council staff, and provider staff for the provider API (providers.portal.api).
        if not (
            user.has_perm("councils.use_service") or user.has_perm("providers.act_for_provider")
        ):
            return Response({"detail": NOT_STAFF}, status=status.HTTP_403_FORBIDDEN)
        instance, token = services.api_token_issue(user=user)
        data = {
            "token": token,
            "expiry": instance.expiry,
            "absolute_expiry": absolute_expiry(instance),
        }
        return Response(TokenSerializer(data).data)

    @extend_schema(
        summary="Sign out: end the token this request is sent with",
        request=None,
        responses={
            204: OpenApiResponse(description="The token is ended; it answers 401 from now on.")
        },
    )
    def delete(self, request):
        services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The signed-in person, their active council and their roles there (council staff only)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.memberships_list = list(selectors.memberships_for_user(user=user))
        return Response(MeSerializer(user).data)


class SwitchCouncilApi(APIView):
    """Make another of your councils the active one, for the API and the pages alike."""

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


class TeamListApi(ExportableListMixin, ListAPIView):
    """The teams of your active council; `?format=csv` or `xlsx` downloads every one."""

    serializer_class = TeamSerializer
    permission_classes = [HasRulePermission]
    required_permission = "councils.view_team"
    export = TEAMS

    def get_queryset(self):
        return selectors.team_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TeamDetailApi(APIView):
    """One team of your active council; another council's id answers 404, as a missing one."""

    permission_classes = [HasRulePermission]
    required_permission = "councils.view_team"

    @extend_schema(responses=TeamSerializer)
    def get(self, request, team_id: int):
        team = selectors.access_team_by_id(actor=request.user, team_id=team_id)
        access_log_record(actor=request.user, request=request, action="view", obj=team)
        return Response(TeamSerializer(team).data)


class CouncilSettingsApi(APIView):
    """Your active council's settings: its accessibility contact and response time (council
    administrators)."""

    permission_classes = [HasRulePermission]
    required_permission = "councils.manage_settings"

    @extend_schema(summary="Read the council's settings", responses=CouncilSettingsSerializer)
    def get(self, request):
        return Response(CouncilSettingsSerializer(request.user.active_council).data)

    @extend_schema(
        summary="Change the council's accessibility contact",
        request=CouncilSettingsSerializer,
        responses={
            200: CouncilSettingsSerializer,
            400: OpenApiResponse(description="Invalid input, with a message for each field."),
        },
    )
    def patch(self, request):
        council = request.user.active_council
        data = CouncilSettingsSerializer(council, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        council = services.council_accessibility_update(
            actor=request.user,
            email=values.get("accessibility_email", council.accessibility_email),
            phone=values.get("accessibility_phone", council.accessibility_phone),
            response_days=values.get(
                "accessibility_response_days", council.accessibility_response_days
            ),
        )
        return Response(CouncilSettingsSerializer(council).data)
