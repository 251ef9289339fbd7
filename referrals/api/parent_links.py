"""Linking a child's carer to the parent account they sign in with, for other systems.

Social workers and team managers link and unlink; everyone else gets 403. Another council's child
or carer answers 404 exactly as a missing one, and so does another council's account (as a 400
on the email, the same as an address with no account). Each change writes the child's timeline
and the access log.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.models import Carer
from referrals.selectors import children as child_selectors
from referrals.services import carers as carer_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.permissions import HasRulePermission


class CarerAccountRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=150, help_text="The email address of a parent account of the council."
    )


class CarerAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child = serializers.IntegerField(source="child_id", read_only=True)
    name = serializers.CharField(read_only=True)
    relationship = serializers.CharField(read_only=True)
    account_email = serializers.SerializerMethodField(
        help_text="The linked parent account's email address; null when not linked."
    )

    def get_account_email(self, carer) -> str | None:
        return carer.account.email if carer.account_id else None


class CarerAccountApi(APIView):
    """A carer's link to a parent account: POST links by email, DELETE unlinks. Linking a carer
    already linked, or unlinking one that is not, answers 409."""

    permission_classes = [HasRulePermission]
    required_permission = "referrals.manage_child"
    queryset = Carer.objects.none()

    def _carer(self, request, child_id: int, carer_id: int) -> Carer:
        _child, carer = child_selectors.access_carer_by_id(
            actor=request.user, child_id=child_id, carer_id=carer_id
        )
        return carer

    def _answer(self, request, carer: Carer) -> Response:
        access_log_record(actor=request.user, request=request, action="change", obj=carer)
        carer = Carer.objects.select_related("account").get(pk=carer.pk)
        return Response(CarerAccountSerializer(carer).data)

    @extend_schema(request=CarerAccountRequestSerializer, responses=CarerAccountSerializer)
    def post(self, request, child_id: int, carer_id: int):
        carer = self._carer(request, child_id, carer_id)
        data = CarerAccountRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        carer = carer_services.carer_account_link(
            actor=request.user, carer=carer, email=data.validated_data["email"]
        )
        return self._answer(request, carer)

    @extend_schema(request=None, responses=CarerAccountSerializer)
    def delete(self, request, child_id: int, carer_id: int):
        carer = self._carer(request, child_id, carer_id)
        carer = carer_services.carer_account_unlink(actor=request.user, carer=carer)
        return self._answer(request, carer)


urlpatterns = [
    path(
        "children/<int:child_id>/carers/<int:carer_id>/account/",
        CarerAccountApi.as_view(),
        name="api-carer-account",
    ),
]
