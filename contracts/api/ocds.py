"""The council's contracts as an Open Contracting Data Standard 1.1 release package.

See `contracts/ocds.py` for what the package holds and how its identifiers are made.
"""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.ocds import release_package
from shortbreaks.permissions import HasRulePermission

ReleasePackage = inline_serializer(
    "OCDSReleasePackage",
    fields={
        "uri": serializers.URLField(),
        "version": serializers.CharField(help_text="The OCDS version: 1.1."),
        "extensions": serializers.ListField(child=serializers.URLField()),
        "publishedDate": serializers.DateTimeField(),
        "publisher": inline_serializer("OCDSPublisher", fields={"name": serializers.CharField()}),
        "releases": serializers.ListField(
            child=serializers.DictField(),
            help_text="One OCDS release per contract the council leads.",
        ),
    },
)


class ContractsOCDSApi(APIView):
    """The active council's contracts as an OCDS 1.1 release package: tender lots, awards with
    `relatedLots`, contracts with `period` and `value`, and an amendment for each approved
    extension."""

    permission_classes = [HasRulePermission]
    required_permission = "contracts.view_contract"

    @extend_schema(responses={200: ReleasePackage})
    def get(self, request):
        uri = request.build_absolute_uri(reverse("api-contracts-ocds"))
        return Response(release_package(actor=request.user, uri=uri))


urlpatterns = [
    path("contracts/ocds/", ContractsOCDSApi.as_view(), name="api-contracts-ocds"),
]
