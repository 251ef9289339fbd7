"""The public service directory for parent carers: no sign-in, the council named by its slug."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from statements import selectors
from statements.forms import DirectoryFilterForm


@require_GET
def directory(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    form = DirectoryFilterForm(request.GET)
    form.is_valid()  # an invalid value is shown in the error summary and not used as a filter
    services = list(selectors.public_service_list(council=council, **form.filters()))
    errors = [
        (name, error) for name in DirectoryFilterForm.ORDER for error in form.errors.get(name, [])
    ]
    return render(
        request,
        "statements/directory.html",
        {
            "council": council,
            "form": form,
            "errors": errors,
            "services": services,
            "filtered": form.is_filtered(),
        },
    )


@require_GET
def directory_service(request: HttpRequest, council_slug: str, service_id: int) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    service = selectors.public_service(council=council, service_id=service_id)
    return render(
        request, "statements/directory_service.html", {"council": council, "service": service}
    )


urlpatterns = [
    path("<slug:council_slug>/services/", directory, name="directory"),
    path(
        "<slug:council_slug>/services/<int:service_id>/",
        directory_service,
        name="directory-service",
    ),
]
