"""The external auditor invitations API.

`external-auditors/invitations/` lists the council's invitations, newest first, with where each
got to (auditors and council administrators); POST invites a person outside the council by email
(auditors): 201 with the invitation, never its token, which only the email carries. The person
accepts on the page the link opens. Bad input, or an address that is a parent carer's, a council
person's or another council's external auditor, answers 400 saying why on `email`.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from audits.auditors import selectors, services
from audits.exports import AUDITOR_INVITATIONS
from audits.models import ExternalAuditorInvitation, InvitationState
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.permissions import HasRulePermission


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=services.EMAIL_LENGTH)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class InvitationSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="auditor.user.first_name", read_only=True)
    last_name = serializers.CharField(source="auditor.user.last_name", read_only=True)
    organisation = serializers.CharField(source="auditor.organisation", read_only=True)
    state = serializers.SerializerMethodField()
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = ExternalAuditorInvitation
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "organisation",
            "state",
            "created_at",
            "expires_at",
            "accepted_at",
            "invited_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=InvitationState.choices))
    def get_state(self, invitation) -> str:
        return invitation.state(timezone.now())

    def get_invited_by(self, invitation) -> str:
        person = invitation.invited_by
        return person.get_full_name() or person.get_username()


class NewestInvitationFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InvitationListApi(ExportableListMixin, ListAPIView):
    """The council's invitations to external auditors; POST invites one (auditors).
    `?format=csv` or `xlsx` downloads every one."""

    permission_classes = [HasRulePermission]
    queryset = ExternalAuditorInvitation.objects.none()
    serializer_class = InvitationSerializer
    pagination_class = NewestInvitationFirst
    filter_backends: list = []
    export = AUDITOR_INVITATIONS

    @property
    def required_permission(self) -> str:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return services.VIEW_AUDITORS
        return services.INVITE

    def get_queryset(self):
        return selectors.invitation_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER], responses=InvitationSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={
            201: InvitationSerializer,
            400: OpenApiResponse(
                description="Bad input, or the address belongs to someone who cannot be this "
                "council's external auditor: `email` says why."
            ),
        },
    )
    def post(self, request):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.external_auditor_invite(
            actor=request.user, request=request, **serializer.validated_data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "external-auditors/invitations/",
        InvitationListApi.as_view(),
        name="api-external-auditor-invitations",
    ),
]
