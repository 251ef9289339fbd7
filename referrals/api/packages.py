"""Packages of support in the API: list and propose, read with lines and costs, add lines, start
after panel approval, delivery against plan, and a child's overnight stays with the looked-after
thresholds. Another council's id answers 404 exactly as a missing one; a step the package's state
forbids answers 409 with the reason; a stay that passes a threshold, 400 with the warning until
acknowledged."""

from __future__ import annotations

from datetime import date

from django.db.models import prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.models import Lot
from providers.selectors import provider_list, service_list
from referrals.api.listing import log_page
from referrals.exports import DELIVERY, DELIVERY_RELATED, PACKAGE_LINES, PACKAGES
from referrals.models import DeliveryRecord, OvernightStay, Package, PackageLine
from referrals.overnights import MAX_CONSECUTIVE_NIGHTS, MAX_NIGHTS_IN_12_MONTHS
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import overnights as overnight_selectors
from referrals.selectors import packages as package_selectors
from referrals.serializers.packages import (
    PACKAGE_PREFETCH,
    DeliveryCreateSerializer,
    DeliveryRecordSerializer,
    OvernightCreateSerializer,
    OvernightQuerySerializer,
    OvernightSummarySerializer,
    PackageActivateSerializer,
    PackageDetailSerializer,
    PackageFilterSerializer,
    PackageLineCreateSerializer,
    PackageLineSerializer,
    PackageProposeSerializer,
    PackageSerializer,
)
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.selectors import scoped
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.permissions import HasRulePermission

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

NOT_FOUND = OpenApiResponse(description="No such record in your council.")
REFUSED = OpenApiResponse(description="The package's state forbids it; the reason is given.")
INVALID = OpenApiResponse(description="Invalid input, with a message for each field.")


class ReadOrManage:
    """Reading needs referrals.view_child; any change needs referrals.manage_child."""

    permission_classes = [HasRulePermission]

    @property
    def required_permission(self) -> str:
        return VIEW if self.request.method in SAFE_METHODS else MANAGE


class OldestFirstPagination(CursorPagination):
    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _package_data(package: Package, serializer=PackageDetailSerializer) -> dict:
    prefetch_related_objects([package], *PACKAGE_PREFETCH, "panel_decisions")
    return serializer(package).data


def _field_error(field: str, message: str) -> Response:
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


# ----------------------------------------------------------------------------------------------
# Packages


class PackageListApi(ReadOrManage, ExportableListMixin, ListAPIView):
    """The council's packages, newest first, each with its lines and costs. `?format=csv` or
    `xlsx` downloads every package the filters keep."""

    serializer_class = PackageSerializer
    filter_backends: list = []
    export = PACKAGES

    def get_queryset(self):
        params = PackageFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        packages = scoped(
            Package.objects.select_related("child").prefetch_related(*PACKAGE_PREFETCH),
            actor=self.request.user,
        )
        if "child" in params.validated_data:
            packages = packages.filter(child_id=params.validated_data["child"])
        if params.validated_data.get("status"):
            packages = packages.filter(status=params.validated_data["status"])
        return packages

    @extend_schema(parameters=[PackageFilterSerializer, EXPORT_PARAMETER])
    def get(self, request, *args, **kwargs):
        if self.export_format(request) is not None:
            return self.list(request)
        page = self.paginate_queryset(self.get_queryset())
        log_page(request, page, object_type="referrals.package")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=PackageProposeSerializer,
        responses={201: PackageDetailSerializer, 400: INVALID, 409: REFUSED},
    )
    def post(self, request):
        serializer = PackageProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actor = request.user
        try:
            child = child_selectors.access_child_by_id(actor=actor, child_id=data.pop("child"))
        except RecordNotFound:
            return _field_error("child", "Choose one of the council's children.")
        try:
            assessment = assessment_selectors.access_assessment_by_id(
                actor=actor, assessment_id=data.pop("assessment")
            )
        except RecordNotFound:
            return _field_error("assessment", "Choose one of this child's assessments.")
        package = package_services.package_propose(
            actor=actor, child=child, assessment=assessment, **data
        )
        access_log_record(actor=actor, request=request, action="create", obj=package)
        return Response(_package_data(package), status=status.HTTP_201_CREATED)


class PackageDetailApi(ReadOrManage, APIView):
    @extend_schema(responses={200: PackageDetailSerializer, 404: NOT_FOUND})
    def get(self, request, package_id: int):
        package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
        access_log_record(actor=request.user, request=request, action="view", obj=package)
        return Response(_package_data(package))


class PackageLinesApi(ReadOrManage, ExportableListMixin, GenericAPIView):
    """The package's lines, oldest first; `?format=csv` or `xlsx` downloads every one."""

    serializer_class = PackageLineSerializer
    pagination_class = OldestFirstPagination
    queryset = PackageLine.objects.none()  # for the schema; reads go through the selectors
    export = PACKAGE_LINES

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: PackageLineSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, package_id: int):
        package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=PACKAGE_LINES,
                queryset=package_selectors.package_lines(package=package),
                fmt=fmt,
                filters={"package": package.pk},
            )
        access_log_record(actor=request.user, request=request, action="view", obj=package)
        page = self.paginate_queryset(package_selectors.package_lines(package=package))
        return self.get_paginated_response(PackageLineSerializer(page, many=True).data)

    @extend_schema(
        request=PackageLineCreateSerializer,
        responses={201: PackageLineSerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, package_id: int):
        actor = request.user
        package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
        serializer = PackageLineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        service = service_list(actor=actor).filter(pk=data.pop("service")).first()
        provider = provider_list(actor=actor).filter(pk=data.pop("provider")).first()
        lot_id = data.pop("lot", None)
        lot = None
        errors = {}
        if service is None:
            errors["service"] = ["Choose one of the council's services."]
        if provider is None:
            errors["provider"] = ["Choose one of the council's providers."]
        if lot_id is not None:
            lot = scoped(Lot.objects.select_related("contract"), actor=actor).filter(pk=lot_id)
            lot = lot.first()
            if lot is None:
                # The service's words for another council's lot, so the two look the same.
                errors["lot"] = ["Choose a lot on one of the council's own contracts."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        line = package_services.package_line_add(
            actor=actor, package=package, service=service, provider=provider, lot=lot, **data
        )
        line = package_selectors.package_lines(package=package).get(pk=line.pk)
        return Response(PackageLineSerializer(line).data, status=status.HTTP_201_CREATED)


class PackageActivateApi(ReadOrManage, APIView):
    @extend_schema(
        request=PackageActivateSerializer,
        responses={200: PackageDetailSerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, package_id: int):
        package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
        serializer = PackageActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        package = package_services.package_activate(
            actor=request.user, package=package, on=serializer.validated_data["on"]
        )
        access_log_record(actor=request.user, request=request, action="change", obj=package)
        return Response(_package_data(package))


class PackageDeliveryApi(ReadOrManage, ExportableListMixin, GenericAPIView):
    """Delivery against plan on the package's lines; `?format=csv` or `xlsx` downloads every
    record."""

    serializer_class = DeliveryRecordSerializer
    pagination_class = OldestFirstPagination
    queryset = DeliveryRecord.objects.none()  # for the schema; reads go through the selectors
    export = DELIVERY

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: DeliveryRecordSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, package_id: int):
        package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=DELIVERY,
                queryset=DeliveryRecord.objects.filter(line__package=package)
                .select_related(*DELIVERY_RELATED)
                .order_by("period_start", "id"),
                fmt=fmt,
                filters={"package": package.pk},
            )
        access_log_record(actor=request.user, request=request, action="view", obj=package)
        page = self.paginate_queryset(DeliveryRecord.objects.filter(line__package=package))
        return self.get_paginated_response(DeliveryRecordSerializer(page, many=True).data)

    @extend_schema(
        request=DeliveryCreateSerializer,
        responses={201: DeliveryRecordSerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, package_id: int):
        actor = request.user
        package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
        serializer = DeliveryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        line = (
            PackageLine.objects.filter(package=package, pk=data.pop("line"))
            .select_related("package")
            .first()
        )
        if line is None:
            return _field_error("line", "Choose one of the package's lines.")
        record = package_services.delivery_record_add(actor=actor, line=line, **data)
        return Response(DeliveryRecordSerializer(record).data, status=status.HTTP_201_CREATED)


# ----------------------------------------------------------------------------------------------
# Overnight stays


def _stays(nights: list[date]) -> list[dict]:
    """Sorted nights grouped into stays of consecutive nights, newest first."""
    stays: list[dict] = []
    for night in nights:
        if stays and (night - stays[-1]["last_night"]).days == 1:
            stays[-1]["last_night"] = night
            stays[-1]["nights"] += 1
        else:
            stays.append({"first_night": night, "last_night": night, "nights": 1})
    return stays[::-1]


def _overnight_data(child, warnings=()) -> dict:
    summary = overnight_selectors.overnight_summary(child=child)
    nights = list(
        OvernightStay.objects.filter(child=child).order_by("night").values_list("night", flat=True)
    )
    return OvernightSummarySerializer(
        {
            "child": child.pk,
            "nights_in_12_months": summary.nights_in_12_months,
            "longest_stay_in_12_months": summary.longest_stay_in_12_months,
            "past_threshold": summary.past_threshold,
            "max_consecutive_nights": MAX_CONSECUTIVE_NIGHTS,
            "max_nights_in_12_months": MAX_NIGHTS_IN_12_MONTHS,
            "warnings": list(warnings),
            "stays": _stays(nights),
        }
    ).data


class ChildOvernightsApi(ReadOrManage, APIView):
    @extend_schema(
        parameters=[OvernightQuerySerializer],
        responses={200: OvernightSummarySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request, child_id: int):
        """The counts against the thresholds; with `first_night` (and `nights`), what that
        stay would pass."""
        child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
        params = OvernightQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        access_log_record(actor=request.user, request=request, action="view", obj=child)
        warnings = []
        if params.validated_data.get("first_night"):
            warnings = overnight_selectors.overnight_stay_warnings(
                actor=request.user,
                child=child,
                first_night=params.validated_data["first_night"],
                nights=params.validated_data["nights"],
            )
        return Response(_overnight_data(child, warnings))

    @extend_schema(
        request=OvernightCreateSerializer,
        responses={201: OvernightSummarySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, child_id: int):
        """Record a stay. One that passes 17 consecutive nights or 75 in 12 months answers 400
        with the warning under `acknowledge_threshold` until sent again with it true."""
        actor = request.user
        child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
        serializer = OvernightCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        line_id = data.pop("line", None)
        line = None
        if line_id is not None:
            line = (
                scoped(PackageLine.objects.select_related("package"), actor=actor)
                .filter(pk=line_id, package__child=child)
                .first()
            )
            if line is None:
                return _field_error("line", "Choose a line of this child's package.")
        overnight_services.overnight_stay_record(actor=actor, child=child, line=line, **data)
        access_log_record(actor=actor, request=request, action="change", obj=child)
        return Response(_overnight_data(child), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("packages/", PackageListApi.as_view(), name="api-packages"),
    path("packages/<int:package_id>/", PackageDetailApi.as_view(), name="api-package"),
    path("packages/<int:package_id>/lines/", PackageLinesApi.as_view(), name="api-package-lines"),
    path(
        "packages/<int:package_id>/activate/",
        PackageActivateApi.as_view(),
        name="api-package-activate",
    ),
    path(
        "packages/<int:package_id>/delivery/",
        PackageDeliveryApi.as_view(),
        name="api-package-delivery",
    ),
    path(
        "children/<int:child_id>/overnights/",
        ChildOvernightsApi.as_view(),
        name="api-child-overnights",
    ),
]
