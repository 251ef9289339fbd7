"""The provider API's children part (/api/v1/provider/children/): the children whose support was
awarded to the provider, with exactly what delivering it needs. Every answer writes the access
log; any other child, of this council or another, answers 404 exactly as a missing one."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from providers.portal.access import IsProviderStaff
from referrals.exports import SUPPORTED_CHILDREN, supported_children_export
from referrals.portal import selectors as portal_selectors
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NumberedPagePagination


class SupportedChildSerializer(serializers.Serializer):
    """A child as the provider supporting it reads it: nothing more than these fields."""

    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, help_text="In whole years, today.")
    needs_summary = serializers.CharField(
        read_only=True, help_text="The child's recorded disabilities."
    )
    communication_needs = serializers.CharField(read_only=True)
    emergency_contact = serializers.CharField(
        read_only=True, help_text="The first carer recorded: name, relationship and contact."
    )


@extend_schema_view(
    get=extend_schema(
        summary="List the children the provider supports", parameters=[EXPORT_PARAMETER]
    )
)
class SupportedChildListApi(ExportableListMixin, ListAPIView):
    """The children the provider supports, by first name, a numbered page at a time;
    `?format=csv` or `xlsx` downloads every one, with the same fields."""

    serializer_class = SupportedChildSerializer
    export = SUPPORTED_CHILDREN
    permission_classes = [IsProviderStaff]
    pagination_class = NumberedPagePagination
    filter_backends: list = []

    def get_queryset(self):
        return portal_selectors.supported_children(actor=self.request.user)

    def list(self, request, *args, **kwargs):
        fmt = self.export_format(request)
        if fmt is not None:
            return supported_children_export(request, fmt=fmt)
        page = self.paginate_queryset(self.get_queryset())
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type="referrals.child",
            ids=[child.pk for child in page],
            filters={"page": self.paginator.page if self.paginator.page > 1 else None},
        )
        rows = [portal_selectors.supported_child(child) for child in page]
        return self.get_paginated_response(SupportedChildSerializer(rows, many=True).data)


class SupportedChildDetailApi(APIView):
    permission_classes = [IsProviderStaff]

    @extend_schema(summary="Read a child the provider supports", responses=SupportedChildSerializer)
    def get(self, request, child_id: int):
        child = portal_selectors.access_supported_child_by_id(actor=request.user, child_id=child_id)
        access_log_record(actor=request.user, request=request, action="view", obj=child)
        return Response(SupportedChildSerializer(portal_selectors.supported_child(child)).data)


urlpatterns = [
    path("children/", SupportedChildListApi.as_view(), name="api-portal-children"),
    path("children/<int:child_id>/", SupportedChildDetailApi.as_view(), name="api-portal-child"),
]
