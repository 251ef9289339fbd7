"""Provider staff's pages: their home page and their services' vacancies.

Provider staff sign in on the same page as council staff. They hold the `provider` role in a
council (never a staff role, so every staff page and staff API refuses them) and an active
`ProviderAccount` naming the provider they act for (`access`). Their pages live
under /provider/ and their API under /api/v1/provider/; each app adds its own part (contracts and
KPI returns, the children they support, brokerage requests, bookings) and its home page panel
through settings.PROVIDER_HOME_PANELS, so this module imports none of those apps.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_http_methods

from providers import selectors, services
from providers.exports import VACANCIES
from providers.forms.services import VacancyForm
from providers.portal.access import provider_staff_required
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error


def _panels(request) -> list[dict]:
    panels = (import_string(path)(request) for path in settings.PROVIDER_HOME_PANELS)
    return [panel for panel in panels if panel]


@require_GET
@provider_staff_required
def home(request):
    """The provider's work tray: what it has to do, each with a link, then what it may see."""
    provider = selectors.provider_for(request.user)
    return render(
        request,
        "providers/portal/home.html",
        {
            "provider": provider,
            "panels": _panels(request),
            "vacancy_count": selectors.provider_service_list(actor=request.user).count(),
        },
    )


@require_GET
@provider_staff_required
def vacancy_list(request):
    """The provider's services with the places each has free now, and when that was said."""
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=VACANCIES,
            queryset=selectors.provider_service_list(actor=request.user),
            fmt=fmt,
        )
    provider = selectors.provider_for(request.user)
    return render(
        request,
        "providers/portal/vacancies.html",
        {
            "provider": provider,
            "services": list(selectors.provider_service_list(actor=request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@provider_staff_required
def vacancy_edit(request, service_id: int):
    actor = request.user
    service = selectors.access_provider_service_by_id(actor=actor, service_id=service_id)
    initial = {
        "capacity_available": service.capacity_available,
        "capacity_maximum": service.capacity_maximum,
        "capacity_unit": service.capacity_unit,
    }
    form = VacancyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_vacancy_update(actor=actor, service=service, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=actor, request=request, action="change", obj=service)
            messages.success(request, f"Vacancies for {service.title} updated")
            return redirect("provider:vacancies")
    return render(request, "providers/portal/vacancy_form.html", {"service": service, "form": form})


# Pages of other apps that provider staff use, linked from their home page when the app is
# installed and lets them in: (heading, URL name, what it is for).
OTHER_WORK = (
    (
        "Brokerage requests",
        "brokerage:list",
        "Requests for support the council has sent you: read each one and answer it.",
    ),
    ("Bookings", "bookings:provider-bookings", "The bookings the council made with you."),
    (
        "What families said",
        "outcomes:provider-reports",
        "Families' answers to the council's outcome surveys about your services.",
    ),
)


def other_work_panel(request) -> dict | None:
    """Links to the provider pages of brokerage and bookings, where those exist."""
    from django.urls import NoReverseMatch

    links = []
    for heading, url_name, description in OTHER_WORK:
        try:
            links.append((heading, reverse(url_name), description))
        except NoReverseMatch:
            continue
    if not links:
        return None
    return {"template": "providers/portal/_other_work.html", "links": links}
