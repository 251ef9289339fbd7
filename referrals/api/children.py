"""Children's records for other systems: children, their timeline and the caseload, as JSON.

Social workers, team managers and auditors read; social workers and team managers change.
Commissioners and everyone else without `referrals.view_child` get 403. Another council's child
answers 404 exactly as a missing one. Every answer that shows a child writes the access log, a
list or search one row with its filters and the ids shown. Searching is a POST: no name, NHS
number or postcode is ever in an address.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.exports import CASELOAD, CHILDREN, caseload_export
from referrals.filters import ChildFilter
from referrals.models import Child, TierChange
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import timeline as timeline_selectors
from referrals.selectors.caseload import WORKER_ROLES, caseload_child_ids, team_workers_for
from referrals.serializers.children import (
    SEARCH_IN_ADDRESS,
    CaseloadQuerySerializer,
    CaseloadSerializer,
    ChildDetailSerializer,
    ChildSearchResultSerializer,
    ChildSearchSerializer,
    ChildSerializer,
    TimelineSerializer,
)
from referrals.services import children as child_services
from shortbreaks.accesslog.services import SEARCH, access_log_record, access_log_record_list
from shortbreaks.councils.selectors import colleagues_list
from shortbreaks.exports import (
    EXPORT_PARAMETER,
    ExportableListMixin,
    export_response,
)
from shortbreaks.pagination import NumberedPagePagination, page_links
from shortbreaks.permissions import HasRulePermission

KEYWORKER_MESSAGE = "Choose one of the council's social workers."
SEARCH_PARAM = "search"


class ChildrenPermission:
    """Reading needs `referrals.view_child`; any change needs `referrals.manage_child`."""

    permission_classes = [HasRulePermission]
    filter_backends: list = []

    @property
    def required_permission(self) -> str:
        if self.request.method in SAFE_METHODS:
            return "referrals.view_child"
        return "referrals.manage_child"


def _keyworker(actor, keyworker_id: int | None):
    """The council's social worker or team manager with this id, else a 400."""
    if keyworker_id is None:
        return None
    membership = (
        colleagues_list(actor=actor).filter(role__in=WORKER_ROLES, user_id=keyworker_id).first()
    )
    if membership is None:
        raise serializers.ValidationError({"keyworker": [KEYWORKER_MESSAGE]})
    return membership.user


def _child_detail(request, child_id) -> Child:
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    prefetch_related_objects(
        [child],
        "carers",
        Prefetch("tier_changes", queryset=TierChange.objects.select_related("decided_by")),
    )
    return child


class ChildListApi(ChildrenPermission, ExportableListMixin, ListAPIView):
    """The council's children by last name, in numbered pages; `tier` filters. Searching is
    `POST /api/v1/children/search/`, with the terms in the body."""

    serializer_class = ChildSerializer
    pagination_class = NumberedPagePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChildFilter

    def get_queryset(self):
        return child_selectors.child_list(actor=self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # What was asked, for the access log (the filter is valid, or the answer was a 400).
        self.filters = ChildFilter(self.request.query_params, request=self.request).applied
        return queryset

    @extend_schema(
        description="The council's children by last name. Numbered pages, not cursors: a cursor "
        "over a list by name would carry a child's name in the next page's address.\n\n"
        "A `search` in the query string is refused with 400 and nothing listed, rather than "
        "ignored: ignoring it would answer every child to a client that believes it searched, "
        "and the client would go on putting names and NHS numbers in addresses, where proxies, "
        "server logs and histories keep them. Search with `POST /api/v1/children/search/`.",
        parameters=[
            EXPORT_PARAMETER,
            OpenApiParameter(
                "search",
                str,
                deprecated=True,
                description=f"Refused (400). {SEARCH_IN_ADDRESS}",
            ),
        ],
        responses={
            200: ChildSerializer(many=True),
            400: OpenApiResponse(
                description="A `search` in the query string, or a filter or page that is not "
                "valid, with field messages."
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        if SEARCH_PARAM in request.query_params:
            raise serializers.ValidationError({SEARCH_PARAM: [SEARCH_IN_ADDRESS]})
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=CHILDREN,
                queryset=self.filter_queryset(self.get_queryset()).select_related("keyworker"),
                fmt=fmt,
                filters=dict(self.filters),
            )
        children = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log_record_list(
            actor=request.user,
            request=request,
            object_type="referrals.child",
            ids=[child.pk for child in children],
            filters={**self.filters, "page": self.paginator.page},
        )
        return self.get_paginated_response(ChildSerializer(children, many=True).data)

    @extend_schema(
        description="Add a child to the council's records, at no tier. The NHS number is "
        "checked with its modulus 11 check digit; a child id is made when none is given.",
        request=ChildSerializer,
        responses={201: ChildDetailSerializer},
    )
    def post(self, request):
        data = ChildSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        keyworker = (
            _keyworker(request.user, fields.pop("keyworker_id"))
            if "keyworker_id" in fields
            else request.user
        )
        child = child_services.child_create(actor=request.user, keyworker=keyworker, **fields)
        access_log_record(actor=request.user, request=request, action="create", obj=child)
        child = _child_detail(request, child.pk)
        return Response(ChildDetailSerializer(child).data, status=status.HTTP_201_CREATED)


def _found(request, terms: dict):
    """The council's children the search's terms (already checked) keep, through the list's
    filter."""
    children = child_selectors.child_list(actor=request.user)
    return ChildFilter(terms, queryset=children, request=request).qs


class ChildSearchApi(ExportableListMixin, APIView):
    """Search the council's children, the terms in the body; `format` (in the body or the
    address) downloads every child the search finds."""

    permission_classes = [HasRulePermission]
    required_permission = "referrals.view_child"
    export = CHILDREN

    @extend_schema(
        description="Search the council's children by words of a name (close spellings too: "
        '"smith" finds "Smyth"), part of a child id or NHS number, or a whole UPN or postcode; '
        "the closest names first. A POST so that the terms are never in an address. Ask for "
        "the next page with `page`. Each answer is written to the access log with the terms and "
        "the ids of the children shown. With `format` (`csv` or `xlsx`, in the body or the "
        "address) it answers every child found as a download instead, logged as an export.",
        request=ChildSearchSerializer,
        parameters=[EXPORT_PARAMETER],
        responses={
            200: ChildSearchResultSerializer,
            400: OpenApiResponse(description="The terms or page are not valid."),
        },
    )
    def post(self, request):
        query = ChildSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        page, size = data.pop("page"), data.pop("page_size")
        fmt = data.pop("format", None) or self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=CHILDREN,
                queryset=_found(request, data),
                fmt=fmt,
                filters={"tier": data.get("tier"), "search": data["search"]},
            )
        offset = (page - 1) * size
        found = child_selectors.with_keyworker_name(_found(request, data))
        rows = list(found[offset : offset + size + 1])
        children = rows[:size]
        access_log_record_list(
            actor=request.user,
            request=request,
            action=SEARCH,
            object_type="referrals.child",
            ids=[child.pk for child in children],
            filters={"tier": data.get("tier"), "page": page, "search": data["search"]},
        )
        result = {
            "page": page,
            "next_page": page + 1 if len(rows) > size else None,
            "results": children,
        }
        return Response(ChildSearchResultSerializer(result).data)


class ChildDetailApi(ChildrenPermission, APIView):
    """One child, with their carers and the dated history of their tier."""

    @extend_schema(responses=ChildDetailSerializer)
    def get(self, request, child_id: int):
        child = _child_detail(request, child_id)
        access_log_record(actor=request.user, request=request, action="view", obj=child)
        return Response(ChildDetailSerializer(child).data)

    @extend_schema(
        description="Change a child's details. The tier is not among them: sending `tier` "
        "answers 400, since only a grant award, an authorised assessment or a review moves it.",
        request=ChildSerializer,
        responses=ChildDetailSerializer,
    )
    def patch(self, request, child_id: int):
        child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
        data = ChildSerializer(child, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "keyworker_id" in fields:
            fields["keyworker"] = _keyworker(request.user, fields.pop("keyworker_id"))
        child_services.child_update(actor=request.user, child=child, **fields)
        access_log_record(actor=request.user, request=request, action="change", obj=child)
        return Response(ChildDetailSerializer(_child_detail(request, child_id)).data)


class ChildTimelineApi(ChildrenPermission, APIView):
    """Every dated event of the child's journey, oldest first."""

    @extend_schema(responses=TimelineSerializer)
    def get(self, request, child_id: int):
        child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
        access_log_record(actor=request.user, request=request, action="view", obj=child)
        entries = timeline_selectors.child_timeline(actor=request.user, child=child)
        return Response(TimelineSerializer({"child": child.pk, "results": entries}).data)


class CaseloadApi(ChildrenPermission, ExportableListMixin, APIView):
    """What is due for the children a worker is keyworker for, overdue first: referral
    decisions, assessments, authorisations, packages to start, reviews. A team manager may ask
    for a worker in their team with `worker`. Numbered pages (`page`, `page_size`), with `next`
    and `previous` links and the count of overdue items on every page. `?format=csv` or
    `xlsx` downloads every item, not a page."""

    export = CASELOAD

    @extend_schema(
        parameters=[CaseloadQuerySerializer, EXPORT_PARAMETER], responses=CaseloadSerializer
    )
    def get(self, request):
        query = CaseloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        actor = request.user
        worker = actor
        worker_id = query.validated_data.get("worker")
        if worker_id is not None and worker_id != actor.pk:
            if not actor.has_perm("referrals.authorise_assessment"):
                raise PermissionDenied
            workers = {person.pk: person for person in team_workers_for(actor)}
            if worker_id not in workers:
                raise serializers.ValidationError(
                    {"worker": ["Choose a social worker in your team."]}
                )
            worker = workers[worker_id]
        fmt = self.export_format(request)
        if fmt is not None:
            return caseload_export(request, fmt=fmt, worker=worker)
        number = query.validated_data["page"]
        size = min(query.validated_data["page_size"], NumberedPagePagination.max_page_size)
        items = caseload_selectors.caseload(actor=actor, worker=worker, page=number, size=size)
        access_log_record_list(
            actor=actor,
            request=request,
            object_type="referrals.child",
            ids=caseload_child_ids(items),
            filters={"worker": worker.pk, "page": number if number > 1 else None},
        )
        return Response(
            CaseloadSerializer(
                {
                    "worker": worker.pk,
                    "overdue": caseload_selectors.caseload_overdue_count(
                        actor=actor, worker=worker
                    ),
                    **page_links(request, items),
                    "results": items.rows,
                }
            ).data
        )


urlpatterns = [
    path("children/", ChildListApi.as_view(), name="api-children"),
    path("children/search/", ChildSearchApi.as_view(), name="api-children-search"),
    path("children/<int:child_id>/", ChildDetailApi.as_view(), name="api-child"),
    path(
        "children/<int:child_id>/timeline/", ChildTimelineApi.as_view(), name="api-child-timeline"
    ),
    path("caseload/", CaseloadApi.as_view(), name="api-caseload"),
]
