"""Duplicate children's records: the possible matches of a record, and merging a duplicate into
the record kept (`referrals.merge_child`, team managers). Another council's child, on either
side, answers 404; another role 403; merging a record into itself, or either record already
merged, 400 with the reason. Both children are written to the access log."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api.children import _child_detail
from referrals.selectors import children as child_selectors
from referrals.serializers.children import ChildDetailSerializer
from referrals.serializers.merges import ChildMergeSerializer, PossibleMatchesSerializer
from referrals.services import merges as merge_services
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.permissions import HasRulePermission

NOT_FOUND = OpenApiResponse(description="No such child in your council.")


class ChildPossibleMatchesApi(APIView):
    """Other records of the council that may be the same child: the same NHS number, or a
    similar name with the same date of birth or postcode."""

    permission_classes = [HasRulePermission]
    required_permission = "referrals.view_child"

    @extend_schema(responses={200: PossibleMatchesSerializer, 404: NOT_FOUND})
    def get(self, request, child_id: int):
        actor = request.user
        child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
        matches = child_selectors.child_possible_matches(
            actor=actor,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            nhs_number=child.nhs_number,
            postcode=child.postcode,
            exclude_id=child.pk,
        )
        access_log_record(actor=actor, request=request, action="view", obj=child)
        access_log_record_list(
            actor=actor,
            request=request,
            object_type="referrals.child",
            ids=[match.child.pk for match in matches],
            filters={"possible_matches_of": child.pk},
        )
        return Response(PossibleMatchesSerializer({"child": child.pk, "results": matches}).data)


class ChildMergeApi(APIView):
    """Merge the duplicate record `merge` into this one: everything recorded about the child
    moves here, and the duplicate stays only as a pointer (`merged_into`)."""

    permission_classes = [HasRulePermission]
    required_permission = "referrals.merge_child"

    @extend_schema(
        request=ChildMergeSerializer,
        responses={
            200: ChildDetailSerializer,
            400: OpenApiResponse(
                description="The same record, a record already merged, or records that cannot "
                "be merged yet, with the reason."
            ),
            404: NOT_FOUND,
        },
    )
    def post(self, request, child_id: int):
        actor = request.user
        keep = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
        data = ChildMergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merge = child_selectors.access_child_by_id(
            actor=actor, child_id=data.validated_data["merge"]
        )
        merge_services.child_merge(actor=actor, keep=keep, merge=merge)
        for child in (keep, merge):
            access_log_record(actor=actor, request=request, action="change", obj=child)
        return Response(ChildDetailSerializer(_child_detail(request, keep.pk)).data)


urlpatterns = [
    path(
        "children/<int:child_id>/possible-matches/",
        ChildPossibleMatchesApi.as_view(),
        name="api-child-possible-matches",
    ),
    path("children/<int:child_id>/merge/", ChildMergeApi.as_view(), name="api-child-merge"),
]
