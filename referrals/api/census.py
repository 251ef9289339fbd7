"""The DfE children in need census return as XML (`census/cin/?year=2025-26`), for team managers
and council administrators. See `referrals/census.py` for who is in it and what it holds."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api.referrals import CONFLICT, _detailed
from referrals.census import CensusYear, CensusYearInvalid, census_filename, census_for, census_log
from referrals.selectors import referrals as referral_selectors
from referrals.selectors.census import CENSUS
from referrals.serializers.referrals import ReferralCloseSerializer, ReferralDetailSerializer
from referrals.services import referrals as referral_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.permissions import HasRulePermission


class CensusQuerySerializer(serializers.Serializer):
    year = serializers.CharField(
        required=False,
        max_length=7,
        help_text="The census year, like 2025-26 (reference date 31 March 2026). By default the "
        "latest year whose reference date has passed.",
    )

    def validate_year(self, value: str) -> CensusYear:
        try:
            return CensusYear.parse(value)
        except CensusYearInvalid as error:
            raise serializers.ValidationError(str(error)) from None


class CinCensusApi(APIView):
    """The council's children in need census return for one year, as the DfE's XML."""

    permission_classes = [HasRulePermission]
    required_permission = CENSUS

    @extend_schema(
        summary="Make the council's children in need census return (XML)",
        description="Every child with a children in need episode open in the year, with their "
        "identifiers, characteristics, episodes and assessments, in the DfE's CIN census XML. "
        "Check it first on the census page (`/census/cin/`), which lists the DfE's validation "
        "rules each child's record fails. Each download is in the access log.",
        parameters=[CensusQuerySerializer],
        responses={
            (200, "application/xml"): OpenApiResponse(
                response=OpenApiTypes.STR, description="The CIN census XML, as an attachment."
            )
        },
    )
    def get(self, request):
        query = CensusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or CensusYear.latest()
        census = census_for(actor=request.user, year=year)
        census_log(actor=request.user, request=request, census=census)
        response = HttpResponse(census.xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{census_filename(request.user.active_council, year)}"'
        )
        response["Cache-Control"] = "no-store"
        return response


class ReferralCloseApi(APIView):
    """Close the children in need episode a referral began: its CIN closure date and the DfE's
    reason (RC1 to RC9). The referral's status stays as it was; an episode already closed
    answers 409."""

    permission_classes = [HasRulePermission]
    required_permission = "referrals.manage_child"

    @extend_schema(
        summary="Close the children in need episode a referral began",
        request=ReferralCloseSerializer,
        responses={200: ReferralDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, referral_id: int):
        referral = referral_selectors.access_referral_by_id(
            actor=request.user, referral_id=referral_id
        )
        serializer = ReferralCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = referral_services.referral_close(
            actor=request.user,
            referral=referral,
            closed_on=serializer.validated_data["closed_on"],
            reason=serializer.validated_data["reason"],
        )
        access_log_record(actor=request.user, request=request, action="change", obj=referral)
        return Response(ReferralDetailSerializer(_detailed(referral)).data)


urlpatterns = [
    path("census/cin/", CinCensusApi.as_view(), name="api-census-cin"),
    path(
        "referrals/<int:referral_id>/close/", ReferralCloseApi.as_view(), name="api-referral-close"
    ),
]
