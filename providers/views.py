"""The providers register in the browser: providers, their registrations and their services.

Every council member reads; commissioners and contract managers change. Reads go through the
selectors (scoped to the active council), writes through the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from providers import selectors, services
from providers.exports import PROVIDERS, SERVICES
from providers.filters import ProviderFilter, ServiceFilter
from providers.forms.providers import ProviderForm, ProviderStatusForm, RegistrationForm
from providers.forms.services import LocationForm, ScheduleForm, ServiceForm
from providers.models import ProviderEvent, ProviderStatus
from providers.services import LOCATION_FIELDS, PROVIDER_FIELDS, SERVICE_FIELDS
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Tier
from shortbreaks.councils.selectors import get_or_not_found, scoped
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW = "providers.view_provider"
MANAGE = "providers.manage_provider"
PAGE_SIZE = 50
HISTORY_LENGTH = 20


def _page(request: HttpRequest, rows):
    """One page of a list. The lists are one council's providers or services: a few hundred."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


@require_GET
@permission_required(VIEW)
def provider_list(request: HttpRequest) -> HttpResponse:
    filterset = ProviderFilter.for_page(request, selectors.provider_list(actor=request.user))
    filters = filterset.applied
    providers = filterset.qs
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=PROVIDERS,
            queryset=providers,
            fmt=fmt,
            filters=filters,
        )
    return render(
        request,
        "providers/list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "page": _page(request, providers),
            "search": filters.get("search", ""),
            "status": filters.get("status", ""),
            "statuses": ProviderStatus.choices,
            "query": _query_without_page(request),
        },
    )


@require_GET
@permission_required(VIEW)
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = request.user
    provider = get_or_not_found(selectors.provider_list(actor=actor), pk=provider_id)
    access_log_record(actor=actor, request=request, action="view", obj=provider)
    events = scoped(
        ProviderEvent.objects.filter(provider=provider).select_related("actor"), actor=actor
    )
    return render(
        request,
        "providers/detail.html",
        {
            "provider": provider,
            "registrations": selectors.registration_list(actor=actor, provider=provider),
            "locations": selectors.location_list(actor=actor, provider=provider),
            "services": selectors.service_list(actor=actor, provider=provider),
            "events": events[:HISTORY_LENGTH],
        },
    )


def _provider_values(provider) -> dict:
    return {name: getattr(provider, name) for name in PROVIDER_FIELDS}


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def provider_create(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(
        request.POST if request.method == "POST" else None, submit_label="Add provider"
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{provider.name} added.")
            return redirect("providers:detail", provider_id=provider.pk)
    return render(
        request, "providers/provider_form.html", {"form": form, "provider": None, "saved_name": ""}
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
    saved_name = provider.name
    form = ProviderForm(
        request.POST if request.method == "POST" else None, initial=_provider_values(provider)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Provider details saved.")
            return redirect("providers:detail", provider_id=provider.pk)
    return render(
        request,
        "providers/provider_form.html",
        {"form": form, "provider": provider, "saved_name": saved_name},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def provider_status(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
    form = ProviderStatusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_set_status(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except TransitionNotAllowed as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(request, f"Status changed to {provider.get_status_display()}.")
            return redirect("providers:detail", provider_id=provider.pk)
    return render(request, "providers/status_form.html", {"form": form, "provider": provider})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def registration_create(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_record(
                actor=request.user, provider=provider, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{registration} recorded.")
            return redirect("providers:detail", provider_id=provider.pk)
    return render(request, "providers/registration_form.html", {"form": form, "provider": provider})


@require_GET
@permission_required(VIEW)
def service_list(request: HttpRequest) -> HttpResponse:
    filterset = ServiceFilter.for_page(request, selectors.service_list(actor=request.user))
    filters = filterset.applied
    rows = filterset.qs
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=SERVICES,
            queryset=rows,
            fmt=fmt,
            filters=filters,
        )
    return render(
        request,
        "providers/services/list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "page": _page(request, rows),
            "search": filters.get("search", ""),
            "tier": filters.get("tier", ""),
            "tiers": Tier.choices,
            "query": _query_without_page(request),
        },
    )


@require_GET
@permission_required(VIEW)
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = request.user
    service = selectors.access_service_by_id(actor=actor, service_id=service_id)
    access_log_record(actor=actor, request=request, action="view", obj=service)
    return render(
        request,
        "providers/services/detail.html",
        {
            "service": service,
            "locations": service.locations.all(),
            "schedules": selectors.schedule_list(actor=actor, service=service),
        },
    )


def _service_cleaned(form: ServiceForm) -> dict:
    data = dict(form.cleaned_data)
    # A price unit means nothing without a price, and blank text is stored as "".
    data["price_unit"] = data["price_unit"] or ""
    if "locations" in data:
        data["locations"] = [int(pk) for pk in data["locations"]]
    return data


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def service_create(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
    form = ServiceForm(
        request.POST if request.method == "POST" else None,
        submit_label="Add service",
        locations=list(selectors.location_list(actor=request.user, provider=provider)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=request.user, provider=provider, **_service_cleaned(form)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{service.title} added.")
            return redirect("providers:service", service_id=service.pk)
    return render(
        request,
        "providers/services/form.html",
        {"form": form, "provider": provider, "service": None},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
    saved_title = service.title
    initial = {name: getattr(service, name) for name in SERVICE_FIELDS}
    initial["locations"] = [str(pk) for pk in service.locations.values_list("pk", flat=True)]
    form = ServiceForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        locations=list(selectors.location_list(actor=request.user, provider=service.provider)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=request.user, service=service, **_service_cleaned(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Service saved.")
            return redirect("providers:service", service_id=service.pk)
    return render(
        request,
        "providers/services/form.html",
        {
            "form": form,
            "provider": service.provider,
            "service": service,
            "saved_title": saved_title,
        },
    )


# ---------------------------------------------------------------------------------------------
# Where services run, and when.


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def location_create(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.access_provider_by_id(actor=request.user, provider_id=provider_id)
    form = LocationForm(
        request.POST if request.method == "POST" else None, submit_label="Add location"
    )
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(
                actor=request.user, provider=provider, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{location.name} added.")
            return redirect("providers:detail", provider_id=provider.pk)
    return render(
        request,
        "providers/location_form.html",
        {"form": form, "provider": provider, "location": None},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    location = selectors.access_location_by_id(actor=request.user, location_id=location_id)
    saved_name = location.name
    form = LocationForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(location, name) for name in LOCATION_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(actor=request.user, location=location, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Location saved.")
            return redirect("providers:detail", provider_id=location.provider_id)
    return render(
        request,
        "providers/location_form.html",
        {
            "form": form,
            "provider": location.provider,
            "location": location,
            "saved_name": saved_name,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def schedule_create(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_add(actor=request.user, service=service, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Times added.")
            return redirect("providers:service", service_id=service.pk)
    return render(
        request, "providers/services/schedule_form.html", {"form": form, "service": service}
    )


@permission_required(MANAGE)
@require_http_methods(["POST"])
def schedule_remove(request: HttpRequest, service_id: int, schedule_id: int) -> HttpResponse:
    service = selectors.access_service_by_id(actor=request.user, service_id=service_id)
    schedule = selectors.access_schedule_by_id(
        actor=request.user, service=service, schedule_id=schedule_id
    )
    services.schedule_remove(actor=request.user, schedule=schedule)
    messages.success(request, "Times removed.")
    return redirect("providers:service", service_id=service.pk)
