"""The providers register for other systems: providers and their services, as JSON.

Every council member reads; commissioners and contract managers change. Another council's id
answers 404, exactly as a missing one, because every lookup goes through a scoped selector.
"""

from __future__ import annotations

from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from providers import selectors, services
from providers.exports import LOCATIONS, PROVIDERS, SCHEDULES, SERVICES
from providers.filters import ProviderFilter, ServiceFilter
from providers.serializers import (
    LocationSerializer,
    ProviderDetailSerializer,
    ProviderSerializer,
    ProviderStatusSerializer,
    ScheduleSerializer,
    ServiceSerializer,
)
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.selectors import get_or_not_found
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin
from shortbreaks.pagination import NewestFirstCursorPagination
from shortbreaks.permissions import HasRulePermission


class ByNamePagination(NewestFirstCursorPagination):
    ordering = ("name", "id")


class ByTitlePagination(NewestFirstCursorPagination):
    ordering = ("title", "id")


class OldestFirstPagination(NewestFirstCursorPagination):
    ordering = ("id",)


# A service's answer carries where and when it runs: two queries for the whole page.
WITH_PLACES_AND_TIMES = ("locations", "schedules")


class ProvidersPermission:
    """Reading needs `providers.view_provider`; any change needs `providers.manage_provider`."""

    permission_classes = [HasRulePermission]
    filter_backends: list = []

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return "providers.view_provider"
        return "providers.manage_provider"


def _provider(request, provider_id: int):
    """The provider with its service count, from the actor's council only."""
    return get_or_not_found(selectors.provider_list(actor=request.user), pk=provider_id)


class ProviderListApi(ProvidersPermission, ExportableListMixin, ListAPIView):
    """The council's providers by name; `search` matches words of the name, close spellings
    too ("smith" finds "Smyth Care"). `?format=csv` or `xlsx` downloads every one kept."""

    serializer_class = ProviderSerializer
    export = PROVIDERS
    pagination_class = ByNamePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProviderFilter

    def get_queryset(self):
        return selectors.provider_list(actor=self.request.user)

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description="Add a provider to the council's register. It starts as active.",
        request=ProviderSerializer,
        responses={201: ProviderDetailSerializer},
    )
    def post(self, request):
        data = ProviderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.provider_create(actor=request.user, **data.validated_data)
        access_log_record(actor=request.user, request=request, action="create", obj=created)
        provider = _provider(request, created.pk)
        return Response(ProviderDetailSerializer(provider).data, status=status.HTTP_201_CREATED)


class ProviderDetailApi(ProvidersPermission, APIView):
    """One provider, with its regulator registrations."""

    @extend_schema(responses=ProviderDetailSerializer)
    def get(self, request, provider_id: int):
        provider = _provider(request, provider_id)
        access_log_record(actor=request.user, request=request, action="view", obj=provider)
        return Response(ProviderDetailSerializer(provider).data)

    @extend_schema(
        description="Change a provider's details. Its status changes through `status/`.",
        request=ProviderSerializer,
        responses=ProviderDetailSerializer,
    )
    def patch(self, request, provider_id: int):
        provider = _provider(request, provider_id)
        data = ProviderSerializer(provider, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.provider_update(actor=request.user, provider=provider, **data.validated_data)
        access_log_record(actor=request.user, request=request, action="change", obj=provider)
        return Response(ProviderDetailSerializer(provider).data)


class ProviderStatusApi(ProvidersPermission, APIView):
    """Suspend, reinstate or record the exit of a provider, with the date and the reason."""

    @extend_schema(request=ProviderStatusSerializer, responses=ProviderDetailSerializer)
    def post(self, request, provider_id: int):
        provider = _provider(request, provider_id)
        data = ProviderStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.provider_set_status(actor=request.user, provider=provider, **data.validated_data)
        access_log_record(actor=request.user, request=request, action="change", obj=provider)
        return Response(ProviderDetailSerializer(provider).data)


class ProviderServiceListApi(ProvidersPermission, ExportableListMixin, ListAPIView):
    """The services one provider offers in this council; `?format=csv` or `xlsx` downloads
    every one."""

    serializer_class = ServiceSerializer
    pagination_class = ByTitlePagination
    export = SERVICES

    def get_queryset(self):
        provider = selectors.access_provider_by_id(
            actor=self.request.user, provider_id=self.kwargs["provider_id"]
        )
        return selectors.service_list(actor=self.request.user, provider=provider).prefetch_related(
            *WITH_PLACES_AND_TIMES
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description="Add a service that this provider offers.",
        request=ServiceSerializer,
        responses={201: ServiceSerializer},
    )
    def post(self, request, provider_id: int):
        provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
        data = ServiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.service_create(
            actor=request.user, provider=provider, **data.validated_data
        )
        access_log_record(actor=request.user, request=request, action="create", obj=service)
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class ServiceListApi(ProvidersPermission, ExportableListMixin, ListAPIView):
    """Every service of the council, with its provider; `search` matches words of the title or
    the provider's name, close spellings too; filter by `tier`. `?format=csv` or `xlsx`
    downloads every one kept."""

    serializer_class = ServiceSerializer
    export = SERVICES
    pagination_class = ByTitlePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceFilter

    def get_queryset(self):
        return selectors.service_list(actor=self.request.user).prefetch_related(
            *WITH_PLACES_AND_TIMES
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceDetailApi(ProvidersPermission, APIView):
    """One service."""

    @extend_schema(responses=ServiceSerializer)
    def get(self, request, service_id: int):
        service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
        access_log_record(actor=request.user, request=request, action="view", obj=service)
        return Response(ServiceSerializer(service).data)

    @extend_schema(
        description="Change a service. Changing its capacity records when it changed.",
        request=ServiceSerializer,
        responses=ServiceSerializer,
    )
    def patch(self, request, service_id: int):
        service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
        data = ServiceSerializer(service, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.service_update(actor=request.user, service=service, **data.validated_data)
        access_log_record(actor=request.user, request=request, action="change", obj=service)
        return Response(ServiceSerializer(service).data)


class ProviderLocationListApi(ProvidersPermission, ExportableListMixin, ListAPIView):
    """The places one provider runs services from, by name; `?format=csv` or `xlsx` downloads
    every one."""

    serializer_class = LocationSerializer
    pagination_class = ByNamePagination
    export = LOCATIONS

    def get_queryset(self):
        provider = selectors.access_provider_by_id(
            actor=self.request.user, provider_id=self.kwargs["provider_id"]
        )
        return selectors.location_list(actor=self.request.user, provider=provider).select_related(
            "provider"
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description="Add a place the provider runs services from, with its address in parts.",
        request=LocationSerializer,
        responses={201: LocationSerializer},
    )
    def post(self, request, provider_id: int):
        provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
        data = LocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = services.location_create(
            actor=request.user, provider=provider, **data.validated_data
        )
        return Response(LocationSerializer(location).data, status=status.HTTP_201_CREATED)


class LocationDetailApi(ProvidersPermission, APIView):
    """One of a provider's locations."""

    @extend_schema(responses=LocationSerializer)
    def get(self, request, location_id: int):
        location = selectors.access_location_by_id(actor=request.user, location_id=location_id)
        return Response(LocationSerializer(location).data)

    @extend_schema(request=LocationSerializer, responses=LocationSerializer)
    def patch(self, request, location_id: int):
        location = selectors.access_location_by_id(actor=request.user, location_id=location_id)
        data = LocationSerializer(location, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.location_update(actor=request.user, location=location, **data.validated_data)
        return Response(LocationSerializer(location).data)


class ServiceScheduleListApi(ProvidersPermission, ExportableListMixin, ListAPIView):
    """When a service runs: the days each week and its hours on those days. `?format=csv` or
    `xlsx` downloads them."""

    serializer_class = ScheduleSerializer
    pagination_class = OldestFirstPagination
    export = SCHEDULES

    def get_queryset(self):
        service = selectors.access_service_by_id(
            actor=self.request.user, service_id=self.kwargs["service_id"]
        )
        return selectors.schedule_list(actor=self.request.user, service=service).select_related(
            "service"
        )

    @extend_schema(parameters=[EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description="Add the days and hours a service runs.",
        request=ScheduleSerializer,
        responses={201: ScheduleSerializer},
    )
    def post(self, request, service_id: int):
        service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.schedule_add(actor=request.user, service=service, **data.validated_data)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


class ServiceScheduleDetailApi(ProvidersPermission, APIView):
    @extend_schema(description="Remove a set of times from a service.", responses={204: None})
    def delete(self, request, service_id: int, schedule_id: int):
        service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
        schedule = selectors.access_schedule_by_id(
            actor=request.user, service=service, schedule_id=schedule_id
        )
        services.schedule_remove(actor=request.user, schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("providers/", ProviderListApi.as_view(), name="api-providers"),
    path("providers/<int:provider_id>/", ProviderDetailApi.as_view(), name="api-provider"),
    path(
        "providers/<int:provider_id>/status/",
        ProviderStatusApi.as_view(),
        name="api-provider-status",
    ),
    path(
        "providers/<int:provider_id>/services/",
        ProviderServiceListApi.as_view(),
        name="api-provider-services",
    ),
    path("services/", ServiceListApi.as_view(), name="api-services"),
    path("services/<int:service_id>/", ServiceDetailApi.as_view(), name="api-service"),
    path(
        "providers/<int:provider_id>/locations/",
        ProviderLocationListApi.as_view(),
        name="api-provider-locations",
    ),
    path("locations/<int:location_id>/", LocationDetailApi.as_view(), name="api-location"),
    path(
        "services/<int:service_id>/schedules/",
        ServiceScheduleListApi.as_view(),
        name="api-service-schedules",
    ),
    path(
        "services/<int:service_id>/schedules/<int:schedule_id>/",
        ServiceScheduleDetailApi.as_view(),
        name="api-service-schedule",
    ),
]
