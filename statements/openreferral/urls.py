"""Open Referral UK (HSDS 3): the council's services for other directories, no sign-in."""

from django.urls import path

from statements.openreferral.api import ROUTES, OpenApiView, not_found

app_name = "openreferral"

urlpatterns = [
    *(
        path(f"<slug:council_slug>/{route.route}", route.view.as_view(), name=route.name)
        for route in ROUTES
    ),
    path("<slug:council_slug>/openapi.json", OpenApiView.as_view(), name="openapi"),
    path("", not_found),
    path("<slug:council_slug>/<path:rest>", not_found),
]
