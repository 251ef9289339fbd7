"""Open Referral UK (HSDS 3.0) reads of a council's published services: public, no sign-in.

    GET /openreferral/<council-slug>/services            paginated, one-to-one fields only
    GET /openreferral/<council-slug>/services/<id>       one service, fully nested

The shapes are those of the HSDS 3.0 compiled schemas (service_list.json for the list's items,
service.json for one service, the OpenAPI "Page" for the list's envelope). HSDS identifiers are
UUIDs, so each one is derived with uuid5 from the council's slug and our own id: stable across
calls, distinct across councils. The detail URL takes that UUID (what the list gives) or, for
convenience, our own numeric id.

Everything is read through the public selectors, so only what the council publishes appears, and
only for providers it has not suspended or exited. These views touch neither the session nor the
CSRF token, so they set no cookies. Errors are JSON: 400 for bad query parameters, 404 for an
unknown council or service, 405 for anything but GET/HEAD.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime
from typing import Any

from django.http import Http404, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from providers.models import Provider, Service, When
from shortbreaks.councils.models import Council
from statements.selectors import public_council, public_service, public_service_list

# Fixed namespace for every identifier this feed derives; never change it (ids would all move).
NAMESPACE = uuid.UUID("6f1c4b52-3a7e-5c8d-9b0e-2d4f6a8c0e11")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100

# Only the simple cases become an iCal-style weekly schedule; the rest are described in words.
WEEKLY_DAYS = {When.WEEKENDS: "SA,SU"}


class BadRequest(Exception):
    pass


def hsds_id(council: Council, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join([council.slug, *map(str, parts)])))


def service_uuid(council: Council, service_id: int) -> str:
    return hsds_id(council, "service", service_id)


def _timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as HSDS asks for last_modified."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _organization(council: Council, provider: Provider, *, nested: bool) -> dict[str, Any]:
    org_id = hsds_id(council, "organization", provider.pk)
    org: dict[str, Any] = {"id": org_id, "name": provider.name, "description": ""}
    if provider.contact_email:
        org["email"] = provider.contact_email
    if provider.website:
        org["website"] = provider.website
    if not nested:
        return org
    if provider.contact_phone:
        org["phones"] = [
            {
                "id": hsds_id(council, "organization", provider.pk, "phone"),
                "organization_id": org_id,
                "number": provider.contact_phone,
                "type": "voice",
            }
        ]
    address = ", ".join(part for part in (provider.address.strip(), provider.postcode) if part)
    if address:
        # HSDS addresses need city and region as separate fields, which we do not hold apart;
        # the postal address goes in the location's description instead.
        org["locations"] = [
            {
                "id": hsds_id(council, "organization", provider.pk, "location"),
                "location_type": "postal",
                "organization_id": org_id,
                "name": provider.name,
                "description": address,
            }
        ]
    return org


def _one_to_one(council: Council, service: Service) -> dict[str, Any]:
    """The fields a service_list.json item allows (no nested lists)."""
    provider = service.provider
    data: dict[str, Any] = {
        "id": service_uuid(council, service.pk),
        "organization_id": hsds_id(council, "organization", provider.pk),
        "name": service.title,
        "description": service.description,
        "status": "active",
    }
    if provider.website:
        data["url"] = provider.website
    if provider.contact_email:
        data["email"] = provider.contact_email
    if service.how_to_access:
        data["application_process"] = service.how_to_access
    if service.price is not None:
        unit = f" {service.get_price_unit_display()}" if service.price_unit else ""
        data["fees_description"] = f"£{service.price:,.2f}{unit}"
    data["eligibility_description"] = (
        f"Disabled children and young people aged {service.age_from} to {service.age_to}."
    )
    data["minimum_age"] = service.age_from
    data["maximum_age"] = service.age_to
    data["last_modified"] = _timestamp(service.updated_at)
    return data


def service_summary(council: Council, service: Service) -> dict[str, Any]:
    data = _one_to_one(council, service)
    data["organization"] = _organization(council, service.provider, nested=False)
    return data


def service_full(council: Council, service: Service) -> dict[str, Any]:
    data = _one_to_one(council, service)
    sid = data["id"]
    provider = service.provider
    if provider.contact_phone:
        data["phones"] = [
            {
                "id": hsds_id(council, "service", service.pk, "phone"),
                "service_id": sid,
                "number": provider.contact_phone,
                "type": "voice",
            }
        ]
    schedules = []
    for value in service.when:
        label = dict(When.choices).get(value, value)
        schedule = {
            "id": hsds_id(council, "service", service.pk, "schedule", value),
            "service_id": sid,
            "description": label,
        }
        if value in WEEKLY_DAYS:
            schedule.update(freq="WEEKLY", byday=WEEKLY_DAYS[value])
        schedules.append(schedule)
    if schedules:
        data["schedules"] = schedules
    areas = [a.strip() for a in service.areas.split(",") if a.strip()]
    if areas:
        data["service_areas"] = [
            {
                "id": hsds_id(council, "service", service.pk, "area", area.lower()),
                "service_id": sid,
                "name": area,
            }
            for area in areas
        ]
    data["organization"] = _organization(council, provider, nested=True)
    if service.price is not None:
        cost: dict[str, Any] = {
            "id": hsds_id(council, "service", service.pk, "cost"),
            "service_id": sid,
            "currency": "GBP",
            "amount": float(service.price),
        }
        if service.price_unit:
            cost["amount_description"] = service.get_price_unit_display()
        data["cost_options"] = [cost]
    if provider.contact_name or provider.contact_email:
        contact: dict[str, Any] = {
            "id": hsds_id(council, "service", service.pk, "contact"),
            "service_id": sid,
        }
        if provider.contact_name:
            contact["name"] = provider.contact_name
        if provider.contact_email:
            contact["email"] = provider.contact_email
        data["contacts"] = [contact]
    return data


# ---------------------------------------------------------------------------------------------
# Query parameters.


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"{name} must be a whole number of at least 1.")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise BadRequest(f"{name} must be at most {maximum}.")
    return value


def _modified_after(request) -> datetime | None:
    raw = request.GET.get("modified_after", "").strip()
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
        raise BadRequest("modified_after must be an ISO 8601 date and time.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _get_only(view):
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "Only GET is allowed.")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return _error(400, str(error))
        except Http404 as error:
            return _error(404, str(error) or "Not found.")

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# ---------------------------------------------------------------------------------------------
# Views.


@_get_only
def services(request, council_slug: str) -> JsonResponse:
    """A page of the council's services (HSDS 3 Page of service_list items)."""
    page = _positive_int(request, "page", 1)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    search = request.GET.get("search", "").strip()
    modified_after = _modified_after(request)
    council = public_council(slug=council_slug)
    found = public_service_list(council=council, search=search, modified_after=modified_after)
    total = found.count()
    start = (page - 1) * per_page
    contents = (
        [service_summary(council, s) for s in found[start : start + per_page]]
        if start < total
        else []
    )
    total_pages = math.ceil(total / per_page)
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@_get_only
def service(request, council_slug: str, service_id: str) -> JsonResponse:
    """One of the council's services, fully nested (HSDS 3 service)."""
    council = public_council(slug=council_slug)
    if service_id.isdigit():
        pk = int(service_id)
    else:
        try:
            wanted = str(uuid.UUID(service_id))
        except ValueError:
            raise Http404("No such service.") from None
        # uuid5 is one way: find which of the council's public services has this id.
        pk = next(
            (
                pk
                for pk in public_service_list(council=council).values_list("pk", flat=True)
                if service_uuid(council, pk) == wanted
            ),
            None,
        )
        if pk is None:
            raise Http404("No such service.")
    return JsonResponse(service_full(council, public_service(council=council, service_id=pk)))


urlpatterns = [
    path("<slug:council_slug>/services", services, name="services"),
    path("<slug:council_slug>/services/<str:service_id>", service, name="service"),
]
