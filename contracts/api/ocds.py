"""The council's contracting processes as Open Contracting Data Standard 1.1 packages: releases
(`contracts/ocds/`) and records (`contracts/ocds/records/`), a page of processes at a time.

See `contracts/ocds.py` for what the packages hold and how their identifiers are made. The OCDS
1.1 package has no field for other pages, so the links to them go in the `Link` header (RFC
8288): `first`, `prev`, `next` and `last`, each the same endpoint with its `page`.
"""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.ocds import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    OCDSNotConfigured,
    PageNotFound,
    processes_page,
    record_package,
    release_package,
)
from shortbreaks.permissions import HasRulePermission


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, default=1, help_text="From 1."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        default=PAGE_SIZE,
        help_text=f"Processes (contracts and DPS) a page, at most {MAX_PAGE_SIZE}.",
    )


_PACKAGE_FIELDS = {
    "uri": serializers.URLField(help_text="This page of the package."),
    "version": serializers.CharField(help_text="The OCDS version: 1.1."),
    "extensions": serializers.ListField(
        child=serializers.URLField(), help_text="The lots and techniques extensions."
    ),
    "publishedDate": serializers.DateTimeField(),
    "publisher": inline_serializer(
        "OCDSPublisher",
        fields={
            "name": serializers.CharField(),
            "scheme": serializers.CharField(required=False),
            "uid": serializers.CharField(required=False),
        },
    ),
}

ReleasePackage = inline_serializer(
    "OCDSReleasePackage",
    fields={
        **_PACKAGE_FIELDS,
        "releases": serializers.ListField(
            child=serializers.DictField(),
            help_text="Each process's releases, one for each stage it reached, oldest first.",
        ),
    },
)

RecordPackage = inline_serializer(
    "OCDSRecordPackage",
    fields={
        **_PACKAGE_FIELDS,
        "records": serializers.ListField(
            child=serializers.DictField(),
            help_text="A record per process: its `ocid`, its `releases` and its `compiledRelease`.",
        ),
    },
)

NOT_SET_UP = OpenApiResponse(
    description="The service has no registered ocid prefix (OCDS_OCID_PREFIX): nothing is "
    "published until it has one."
)
LINK_HEADER = (
    "Pages are linked in the `Link` header (`first`, `prev`, `next`, `last`), since the OCDS "
    "1.1 package has no field for them. `page` past the last page answers 404."
)


class _PackageApi(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "contracts.view_contract"
    url_name = ""
    build = staticmethod(release_package)

    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        number, size = query.validated_data["page"], query.validated_data["page_size"]
        try:
            page = processes_page(actor=request.user, page=number, size=size)
        except OCDSNotConfigured as error:
            return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        except PageNotFound:
            raise NotFound("No such page.") from None
        package = self.build(actor=request.user, uri=self._page_url(number, size), page=page)
        response = Response(package)
        links = {"first": 1, "last": page.last}
        if number > 1:
            links["prev"] = number - 1
        if number < page.last:
            links["next"] = number + 1
        response["Link"] = ", ".join(
            f'<{self._page_url(target, size)}>; rel="{rel}"' for rel, target in links.items()
        )
        return response

    def _page_url(self, number: int, size: int) -> str:
        query = f"?page={number}" + (f"&page_size={size}" if size != PAGE_SIZE else "")
        return self.request.build_absolute_uri(reverse(self.url_name) + query)


class ContractsOCDSApi(_PackageApi):
    """The active council's contracting processes (its contracts and its DPS) as an OCDS 1.1
    release package: a release for each stage of each process (tender, award, contract, each
    amendment, termination; for a DPS each admission and departure of a provider)."""

    url_name = "api-contracts-ocds"
    build = staticmethod(release_package)

    @extend_schema(
        summary="Publish the council's contracting processes as OCDS releases",
        description=LINK_HEADER,
        parameters=[PageQuerySerializer],
        responses={200: ReleasePackage, 503: NOT_SET_UP},
    )
    def get(self, request):
        return super().get(request)


class ContractsOCDSRecordsApi(_PackageApi):
    """The same processes as an OCDS 1.1 record package: each process's releases and the
    compiled release they merge to."""

    url_name = "api-contracts-ocds-records"
    build = staticmethod(record_package)

    @extend_schema(
        summary="Publish the council's contracting processes as OCDS records",
        description=LINK_HEADER,
        parameters=[PageQuerySerializer],
        responses={200: RecordPackage, 503: NOT_SET_UP},
    )
    def get(self, request):
        return super().get(request)


urlpatterns = [
    path("contracts/ocds/", ContractsOCDSApi.as_view(), name="api-contracts-ocds"),
    path(
        "contracts/ocds/records/",
        ContractsOCDSRecordsApi.as_view(),
        name="api-contracts-ocds-records",
    ),
]
