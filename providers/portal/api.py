"""The provider API (/api/v1/provider/): who the person acts for, and their services' vacancies.

Only provider staff with an active account are let in (`IsProviderStaff`); council staff are
refused (403), as provider staff are refused every staff endpoint. Another provider's service,
or another council's, answers 404 exactly as a missing one.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from providers import selectors, services
from providers.exports import VACANCIES
from providers.forms.common import MAX_CAPACITY
from providers.models import Provider, Service
from providers.portal.access import IsProviderStaff
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NumberedPagePagination


class ActingForSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "name", "council"]
        read_only_fields = fields


class VacancySerializer(serializers.ModelSerializer):
    """A service's places: how many are free now, of how many, in what unit."""

    capacity_available = serializers.IntegerField(
        min_value=0, max_value=MAX_CAPACITY, allow_null=True, help_text="Places free now."
    )
    capacity_maximum = serializers.IntegerField(
        min_value=0, max_value=MAX_CAPACITY, allow_null=True, required=False, default=None
    )
    capacity_unit = serializers.CharField(
        max_length=60, allow_blank=True, required=False, default="", help_text="e.g. beds"
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "title",
            "capacity_available",
            "capacity_maximum",
            "capacity_unit",
            "capacity_updated_at",
        ]
        read_only_fields = ["id", "title", "capacity_updated_at"]


class ProviderPortalApi(APIView):
    """The provider the signed-in person acts for, in their active council."""

    permission_classes = [IsProviderStaff]

    @extend_schema(summary="Read the provider the person acts for", responses=ActingForSerializer)
    def get(self, request):
        provider = selectors.provider_for(request.user)
        return Response(ActingForSerializer(provider).data)


@extend_schema_view(
    get=extend_schema(
        summary="List the provider's services with their vacancies", parameters=[EXPORT_PARAMETER]
    )
)
class VacancyListApi(ExportableListMixin, ListAPIView):
    """The provider's own services with their vacancies, by title; `?format=csv` or `xlsx`
    downloads every one."""

    serializer_class = VacancySerializer
    export = VACANCIES
    permission_classes = [IsProviderStaff]
    pagination_class = NumberedPagePagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.provider_service_list(actor=self.request.user)


class VacancyDetailApi(APIView):
    """One of the provider's services' vacancies; PUT or PATCH says how many places are free."""

    permission_classes = [IsProviderStaff]

    def _service(self, request, service_id: int) -> Service:
        return selectors.access_provider_service_by_id(actor=request.user, service_id=service_id)

    @extend_schema(summary="Read a service's vacancies", responses=VacancySerializer)
    def get(self, request, service_id: int):
        return Response(VacancySerializer(self._service(request, service_id)).data)

    def _update(self, request, service_id: int, *, partial: bool):
        service = self._service(request, service_id)
        data = VacancySerializer(service, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {
            "capacity_available": service.capacity_available,
            "capacity_maximum": service.capacity_maximum,
            "capacity_unit": service.capacity_unit,
            **data.validated_data,
        }
        updated = services.service_vacancy_update(actor=request.user, service=service, **values)
        access_log_record(actor=request.user, request=request, action="change", obj=updated)
        return Response(VacancySerializer(updated).data)

    @extend_schema(
        summary="Replace a service's vacancies",
        request=VacancySerializer,
        responses=VacancySerializer,
    )
    def put(self, request, service_id: int):
        return self._update(request, service_id, partial=False)

    @extend_schema(
        summary="Change a service's vacancies",
        request=VacancySerializer,
        responses=VacancySerializer,
    )
    def patch(self, request, service_id: int):
        return self._update(request, service_id, partial=True)


urlpatterns = [
    path("", ProviderPortalApi.as_view(), name="api-portal"),
    path("vacancies/", VacancyListApi.as_view(), name="api-portal-vacancies"),
    path("vacancies/<int:service_id>/", VacancyDetailApi.as_view(), name="api-portal-vacancy"),
]
