"""Open Referral UK (HSDS 3.0 with the UK profile): each council's published services for other
directories to read. Public, no sign-in, GET only, under `/openreferral/<council>/`:

    /                               version, profile and this API's OpenAPI document
    /openapi.json                   that document (this council's server, these paths)
    /services, /services/{id}
    /service_at_locations, /service_at_locations/{id}
    /organizations, /organizations/{id}
    /taxonomies, /taxonomies/{id}, /taxonomy_terms, /taxonomy_terms/{id}

The records are built by `statements.openreferral.hsds`, from what the public selectors give:
only services of providers the council has not suspended or exited (and the database's row-level
security shows the public pages nothing else). A record's id is the UUID the lists give; a
service's own numeric id works too.

Query parameters: those of the standard that the data can honour (`search`, `page`,
`per_page`, `taxonomy_term_id`, `taxonomy_id`, `organization_id`, `modified_after`) and the UK
profile's `minimum_age`, `maximum_age`, `day`, `start_time` and `end_time`, taken as the profile
words them: a service whose own youngest age is at least `minimum_age`, whose oldest is at most
`maximum_age`, with weekly times on `day` starting at or after `start_time` and ending by
`end_time`. Any other parameter (`postcode` and `proximity` need a postcode directory we do not
hold) answers 400 naming it, so a reader never mistakes an ignored filter for an applied one.

Every answer, errors included, is JSON with `Access-Control-Allow-Origin: *` (the profile's
openness rule); the views touch neither session nor CSRF token, so they set no cookie.
"""

from __future__ import annotations

import copy
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from providers.models import Weekday
from shortbreaks.councils.models import Council
from shortbreaks.renderers import FastJSONRenderer
from statements.openreferral import hsds
from statements.openreferral.selectors import (
    public_organization_list,
    public_service_location_list,
)
from statements.selectors import (
    public_council,
    public_service,
    public_service_details,
    public_service_list,
)

VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_SEARCH = 200
MAX_AGE = 150

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
}

DAY_NAMES = {name.lower(): code for code, name in Weekday.choices}


def _error(status_code: int, detail: str, **extra) -> JsonResponse:
    response = JsonResponse({"detail": detail, **extra}, status=status_code)
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


# ---------------------------------------------------------------------------------------------
# Query parameters.


def _text(request, name: str) -> str:
    return request.query_params.get(name, "").strip()


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = _text(request, name)
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ParseError(f"{name} must be a whole number of at least 1.")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ParseError(f"{name} must be at most {maximum}.")
    return value


def _modified_after(request) -> datetime | None:
    raw = _text(request, "modified_after")
    if not raw:
        return None
    # An unencoded "+" in a query string arrives as a space.
    if "T" in raw and " " in raw:
        raw = raw.replace(" ", "+")
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ParseError("modified_after must be an ISO 8601 date and time.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _uuid(request, name: str) -> str | None:
    raw = _text(request, name)
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ParseError(f"{name} must be a UUID.") from None


def _age(request, name: str, rounding) -> int | None:
    raw = _text(request, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_AGE:
        raise ParseError(f"{name} must be a number of years from 0 to {MAX_AGE}.")
    return rounding(value)


def _day(request) -> str:
    raw = _text(request, "day")
    if not raw:
        return ""
    if raw.upper() in Weekday.values:
        return raw.upper()
    if raw.lower() in DAY_NAMES:
        return DAY_NAMES[raw.lower()]
    raise ParseError("day must be a day of the week: MO, TU, WE, TH, FR, SA or SU (or its name).")


def _time(request, name: str) -> time | None:
    raw = _text(request, name)
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ParseError(f"{name} must be a time of day like 15:30.") from None


def _search(request) -> str:
    return _text(request, "search")[:MAX_SEARCH]


def _page_of(request, rows, total: int, build) -> dict[str, Any]:
    """HSDS's page envelope around one page of `rows` (a queryset or a list)."""
    page = _positive_int(request, "page", 1)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    start = (page - 1) * per_page
    contents = [build(row) for row in rows[start : start + per_page]] if start < total else []
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _find(pks, council: Council, make_id, wanted: str):
    """Our id for an HSDS id: uuid5 is one way, so derive each candidate's and compare."""
    try:
        wanted = str(uuid.UUID(wanted))
    except ValueError:
        return None
    return next((pk for pk in pks if make_id(council, pk) == wanted), None)


# ---------------------------------------------------------------------------------------------
# What the OpenAPI description says.

PAGE_FIELDS = {
    "total_items": serializers.IntegerField(help_text="Count of total results."),
    "total_pages": serializers.IntegerField(help_text="Count of total pages."),
    "page_number": serializers.IntegerField(help_text="Current page number."),
    "size": serializers.IntegerField(help_text="Size of current page."),
    "first_page": serializers.BooleanField(help_text="Is this page the first page."),
    "last_page": serializers.BooleanField(help_text="Is this page the last page."),
    "empty": serializers.BooleanField(help_text="Is this page empty."),
}


def _page_response(name: str, what: str) -> OpenApiResponse:
    return OpenApiResponse(
        inline_serializer(
            name=name,
            fields={
                **PAGE_FIELDS,
                "contents": serializers.ListField(
                    child=serializers.DictField(), help_text=f"{what} (HSDS 3.0)."
                ),
            },
        ),
        description=f"A page of {what}.",
    )


def _record_response(what: str) -> OpenApiResponse:
    return OpenApiResponse(OpenApiTypes.OBJECT, description=f"{what} (HSDS 3.0).")


ERROR = inline_serializer(
    name="OpenReferralError",
    fields={
        "detail": serializers.CharField(),
        "unsupported": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
BAD_REQUEST = OpenApiResponse(
    ERROR, description="A query parameter is not supported or its value is not valid."
)
NOT_FOUND = OpenApiResponse(ERROR, description="No such council or record.")
TAG = ["Open Referral UK"]


def _param(name: str, description: str, kind=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


SEARCH = _param("search", "Words of the name or the description; close spellings match too.")
PAGE = _param("page", "Page number, from 1.", OpenApiTypes.INT)
PER_PAGE = _param(
    "per_page", f"Results a page, 1 to {MAX_PER_PAGE} (default 50).", OpenApiTypes.INT
)
SERVICE_FILTERS = [
    SEARCH,
    PAGE,
    PER_PAGE,
    _param("taxonomy_term_id", "Services with this taxonomy term.", OpenApiTypes.UUID),
    _param("taxonomy_id", "Services with any term of this taxonomy.", OpenApiTypes.UUID),
    _param("organization_id", "Services of this organization.", OpenApiTypes.UUID),
    _param("modified_after", "Services changed after this date and time.", OpenApiTypes.DATETIME),
    _param(
        "minimum_age",
        "Services whose youngest age is at least this (UK profile).",
        OpenApiTypes.NUMBER,
    ),
    _param(
        "maximum_age",
        "Services whose oldest age is at most this (UK profile).",
        OpenApiTypes.NUMBER,
    ),
    _param("day", "Services that run on this day: MO, TU, WE, TH, FR, SA or SU (UK profile)."),
    _param("start_time", "Services with times starting at or after this, like 09:00 (UK profile)."),
    _param("end_time", "Services with times ending by this, like 17:00 (UK profile)."),
]


# ---------------------------------------------------------------------------------------------
# Views.


class OpenReferralView(APIView):
    """Public, read only, JSON, open to every origin; refuses any query parameter it does not
    honour."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer]
    http_method_names = ["get", "head", "options"]
    # The query parameters this endpoint honours.
    parameters: frozenset[str] = frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS":
            return
        unsupported = sorted(set(request.query_params) - self.parameters)
        if unsupported:
            taken = ", ".join(sorted(self.parameters)) or "none"
            raise _Unsupported(unsupported, taken)

    def options(self, request, *args, **kwargs):
        """The answer to a browser's preflight: any origin may GET."""
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept"
        )
        response["Access-Control-Max-Age"] = "86400"
        return response

    def perform_content_negotiation(self, request, force=False):
        """JSON, whatever is asked: `format` is the standard's parameter here, not DRF's."""
        renderer = FastJSONRenderer()
        return renderer, renderer.media_type

    def handle_exception(self, exc):
        if isinstance(exc, _Unsupported):
            return Response(
                {"detail": str(exc), "unsupported": exc.names}, status=status.HTTP_400_BAD_REQUEST
            )
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    def council(self) -> Council:
        return public_council(slug=self.kwargs["council_slug"])


class _Unsupported(Exception):
    def __init__(self, names: list[str], taken: str):
        self.names = names
        super().__init__(
            f"Unsupported query parameter{'s' if len(names) > 1 else ''}: {', '.join(names)}. "
            f"This endpoint takes: {taken}."
        )


def _service_filters(request) -> dict[str, Any]:
    """The selector's filters from the standard's and the UK profile's parameters."""
    filters: dict[str, Any] = {
        "search": _search(request),
        "modified_after": _modified_after(request),
        "minimum_age_from": _age(request, "minimum_age", math.ceil),
        "maximum_age_to": _age(request, "maximum_age", math.floor),
        "day": _day(request),
        "starts_from": _time(request, "start_time"),
        "ends_by": _time(request, "end_time"),
    }
    term_id = _uuid(request, "taxonomy_term_id")
    if term_id is not None:
        taxonomy, term = hsds.TERM_BY_ID.get(term_id, (None, None))
        if taxonomy is None:
            return {**filters, "nothing": True}
        filters[_TERM_FILTER[taxonomy.field]] = term.code
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id is not None:
        taxonomy = hsds.TAXONOMY_BY_ID.get(taxonomy_id)
        if taxonomy is None:
            return {**filters, "nothing": True}
        if taxonomy.field == "needs":
            filters["any_need"] = True
        # Every service has a tier, a setting and at least one Regulation 4 category.
    organization_id = _uuid(request, "organization_id")
    if organization_id is not None:
        filters["organization_id"] = organization_id
    return filters


# The selector's filter for one term of each vocabulary (by the service field it classifies).
_TERM_FILTER = {"categories": "category", "tier": "tier", "setting": "setting", "needs": "need"}


def _filtered_services(council: Council, filters: dict[str, Any]):
    filters = dict(filters)
    if filters.pop("nothing", False):
        return public_service_list(council=council).none()
    organization_id = filters.pop("organization_id", None)
    if organization_id is not None:
        pks = public_organization_list(council=council).values_list("pk", flat=True)
        filters["provider_id"] = _find(pks, council, hsds.organization_uuid, organization_id)
        if filters["provider_id"] is None:
            return public_service_list(council=council).none()
    return public_service_list(council=council, **filters)


class ApiRootView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_root",
        summary="About this Open Referral UK API",
        description="The HSDS version and profile this API follows and where its OpenAPI "
        "description is.",
        responses={
            200: inline_serializer(
                name="OpenReferralRoot",
                fields={
                    "version": serializers.CharField(),
                    "profile": serializers.URLField(),
                    "openapi_url": serializers.URLField(),
                },
            ),
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        council = self.council()
        openapi_url = request.build_absolute_uri(
            reverse("openreferral:openapi", kwargs={"council_slug": council.slug})
        )
        return Response({"version": VERSION, "profile": PROFILE, "openapi_url": openapi_url})


class ServiceListView(OpenReferralView):
    parameters = frozenset(p.name for p in SERVICE_FILTERS)

    @extend_schema(
        operation_id="openreferral_services_list",
        summary="List the council's published services",
        description="A page of services with their one-to-one fields and organization.",
        parameters=SERVICE_FILTERS,
        responses={
            200: _page_response("OpenReferralServicePage", "services"),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        filters = _service_filters(request)
        council = self.council()
        found = _filtered_services(council, filters)
        return Response(
            _page_of(
                request,
                found,
                found.count(),
                lambda service: hsds.service_summary(council, service),
            )
        )


def _service_by_id(council: Council, service_id: str):
    if service_id.isascii() and service_id.isdigit():
        return public_service(council=council, service_id=int(service_id))
    pks = public_service_list(council=council).values_list("pk", flat=True)
    pk = _find(pks, council, hsds.service_uuid, service_id)
    if pk is None:
        raise Http404("No such service.")
    return public_service(council=council, service_id=pk)


class ServiceDetailView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_services_retrieve",
        summary="One published service, fully nested",
        description="With its organization, where it runs (each place's address and map "
        "position), its weekly times, costs, contacts and taxonomy terms. `id` is the UUID the "
        "lists give, or the service's number.",
        responses={200: _record_response("A service"), 404: NOT_FOUND, 400: BAD_REQUEST},
        tags=TAG,
    )
    def get(self, request, council_slug: str, id: str):
        council = self.council()
        service = _service_by_id(council, id)
        details = public_service_details(council=council, service=service)
        return Response(hsds.service_full(council, service, **details))


class ServiceAtLocationListView(OpenReferralView):
    parameters = frozenset(p.name for p in SERVICE_FILTERS)

    @extend_schema(
        operation_id="openreferral_service_at_locations_list",
        summary="List each published service at each place it runs",
        description="A page of service-at-locations, each with its location's and service's "
        "one-to-one fields. The filters are those of the services list.",
        parameters=SERVICE_FILTERS,
        responses={
            200: _page_response("OpenReferralServiceAtLocationPage", "service at locations"),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        filters = _service_filters(request)
        council = self.council()
        services = _filtered_services(council, filters)
        found = public_service_location_list(council=council).filter(
            service__in=services.values("pk")
        )
        return Response(
            _page_of(
                request,
                found,
                found.count(),
                lambda row: hsds.service_at_location_summary(council, row),
            )
        )


class ServiceAtLocationDetailView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_service_at_locations_retrieve",
        summary="One published service at one place, fully nested",
        description="The place with its address and the service with everything it offers. "
        "(HSDS 3.0's OpenAPI names the service schema here; the answer is the service at "
        "location schema, whose example the standard gives.)",
        responses={
            200: _record_response("A service at location"),
            404: NOT_FOUND,
            400: BAD_REQUEST,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str, id: str):
        council = self.council()
        rows = public_service_location_list(council=council)
        pk = _find(
            rows.values_list("pk", flat=True),
            council,
            hsds.service_at_location_uuid,
            id,
        )
        row = rows.filter(pk=pk).first() if pk is not None else None
        if row is None:
            raise Http404("No such service at location.")
        details = public_service_details(council=council, service=row.service)
        return Response(
            hsds.service_at_location_full(
                council,
                row,
                schedules=details["schedules"],
                provider_locations=details["provider_locations"],
            )
        )


class OrganizationListView(OpenReferralView):
    parameters = frozenset({"search", "page", "per_page"})

    @extend_schema(
        operation_id="openreferral_organizations_list",
        summary="List the organizations whose services the council publishes",
        parameters=[SEARCH, PAGE, PER_PAGE],
        responses={
            200: _page_response("OpenReferralOrganizationPage", "organizations"),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        search = _search(request)
        council = self.council()
        found = public_organization_list(council=council, search=search)
        return Response(
            _page_of(
                request,
                found,
                found.count(),
                lambda provider: hsds.organization_summary(council, provider),
            )
        )


class OrganizationDetailView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_organizations_retrieve",
        summary="One organization, with its locations and published services",
        responses={200: _record_response("An organization"), 404: NOT_FOUND, 400: BAD_REQUEST},
        tags=TAG,
    )
    def get(self, request, council_slug: str, id: str):
        council = self.council()
        providers = public_organization_list(council=council)
        pk = _find(
            providers.values_list("pk", flat=True),
            council,
            hsds.organization_uuid,
            id,
        )
        provider = providers.filter(pk=pk).first() if pk is not None else None
        if provider is None:
            raise Http404("No such organization.")
        services = list(public_service_list(council=council, provider_id=provider.pk))
        locations = list(provider.locations.filter(council=council))
        return Response(hsds.organization_full(council, provider, locations, services))


def _matches(search: str, *texts: str) -> bool:
    words = search.lower().split()
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


class TaxonomyListView(OpenReferralView):
    parameters = frozenset({"search", "page", "per_page"})

    @extend_schema(
        operation_id="openreferral_taxonomies_list",
        summary="List the taxonomies the services are classified by",
        parameters=[SEARCH, PAGE, PER_PAGE],
        responses={
            200: _page_response("OpenReferralTaxonomyPage", "taxonomies"),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        search = _search(request)
        self.council()
        found = [
            taxonomy
            for taxonomy in hsds.TAXONOMIES
            if _matches(search, taxonomy.name, taxonomy.description)
        ]
        return Response(_page_of(request, found, len(found), hsds.taxonomy_record))


class TaxonomyDetailView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_taxonomies_retrieve",
        summary="One taxonomy",
        responses={200: _record_response("A taxonomy"), 404: NOT_FOUND, 400: BAD_REQUEST},
        tags=TAG,
    )
    def get(self, request, council_slug: str, id: str):
        self.council()
        taxonomy = hsds.TAXONOMY_BY_ID.get(id.lower())
        if taxonomy is None:
            raise Http404("No such taxonomy.")
        return Response(hsds.taxonomy_record(taxonomy))


class TaxonomyTermListView(OpenReferralView):
    parameters = frozenset({"search", "page", "per_page", "taxonomy_id", "top_only", "parent_id"})

    @extend_schema(
        operation_id="openreferral_taxonomy_terms_list",
        summary="List the taxonomy terms, each with its taxonomy",
        description="Every vocabulary here is flat: every term is a top term, and none has a "
        "parent.",
        parameters=[
            SEARCH,
            PAGE,
            PER_PAGE,
            _param("taxonomy_id", "Terms of this taxonomy.", OpenApiTypes.UUID),
            _param("top_only", "Only terms with no parent.", OpenApiTypes.BOOL),
            _param("parent_id", "Terms whose parent is this term.", OpenApiTypes.UUID),
        ],
        responses={
            200: _page_response("OpenReferralTaxonomyTermPage", "taxonomy terms"),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str):
        search = _search(request)
        taxonomy_id = _uuid(request, "taxonomy_id")
        parent_id = _uuid(request, "parent_id")
        if _text(request, "top_only").lower() not in ("", "true", "false"):
            raise ParseError("top_only must be true or false.")
        self.council()
        found = [
            (taxonomy, term)
            for taxonomy, term in hsds.all_terms()
            if (taxonomy_id is None or taxonomy.id == taxonomy_id)
            and parent_id is None
            and _matches(search, term.name, term.description, term.code)
        ]
        return Response(_page_of(request, found, len(found), lambda pair: hsds.term_record(*pair)))


class TaxonomyTermDetailView(OpenReferralView):
    @extend_schema(
        operation_id="openreferral_taxonomy_terms_retrieve",
        summary="One taxonomy term, with its taxonomy",
        responses={
            200: _record_response("A taxonomy term"),
            404: NOT_FOUND,
            400: BAD_REQUEST,
        },
        tags=TAG,
    )
    def get(self, request, council_slug: str, id: str):
        self.council()
        found = hsds.TERM_BY_ID.get(id.lower())
        if found is None:
            raise Http404("No such taxonomy term.")
        return Response(hsds.term_record(*found))


# ---------------------------------------------------------------------------------------------
# This API's own OpenAPI description, per council: the same operations, relative to the
# council's base address (as the standard writes its paths), generated by drf-spectacular.


@dataclass(frozen=True)
class Route:
    route: str
    view: type[OpenReferralView]
    name: str


# The standard's paths, its `{id}` included.
ROUTES = (
    Route("", ApiRootView, "root"),
    Route("services", ServiceListView, "services"),
    Route("services/<str:id>", ServiceDetailView, "service"),
    Route("service_at_locations", ServiceAtLocationListView, "service-at-locations"),
    Route(
        "service_at_locations/<str:id>",
        ServiceAtLocationDetailView,
        "service-at-location",
    ),
    Route("organizations", OrganizationListView, "organizations"),
    Route("organizations/<str:id>", OrganizationDetailView, "organization"),
    Route("taxonomies", TaxonomyListView, "taxonomies"),
    Route("taxonomies/<str:id>", TaxonomyDetailView, "taxonomy"),
    Route("taxonomy_terms", TaxonomyTermListView, "taxonomy-terms"),
    Route("taxonomy_terms/<str:id>", TaxonomyTermDetailView, "taxonomy-term"),
)


@cache
def _description() -> dict[str, Any]:
    """Generated once a process: the operations do not change while it runs."""
    patterns = [path(route.route, route.view.as_view()) for route in ROUTES]
    with patched_settings(
        {
            "TITLE": "Open Referral UK",
            "DESCRIPTION": "A council's published short breaks services, in the Human Services "
            "Data Specification 3.0 with the Open Referral UK profile. Public: no sign-in.",
            "VERSION": VERSION,
        }
    ):
        return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)


@extend_schema(exclude=True)
class OpenApiView(OpenReferralView):
    def get(self, request, council_slug: str):
        council = self.council()
        document = copy.deepcopy(_description())
        base = request.build_absolute_uri(
            reverse("openreferral:root", kwargs={"council_slug": council.slug})
        )
        document["servers"] = [
            {"url": base.rstrip("/"), "description": f"{council.name}'s short breaks services"}
        ]
        return Response(document)


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any other address under /openreferral/: JSON, like every answer here."""
    return _error(404, "No such endpoint. The API's root is /openreferral/<council>/.")
