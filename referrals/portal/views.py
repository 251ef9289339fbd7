"""Provider staff's "children we support" pages (under /provider/): only the children whose
support was awarded to their provider, and only what delivering it needs. Every list and view
writes the access log."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from providers.portal.access import provider_staff_required
from providers.selectors import provider_for
from referrals.exports import supported_children_export
from referrals.portal import selectors as portal_selectors
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.exports import export_format
from shortbreaks.pagination import numbered_page, page_number

PANEL_TEMPLATE = "referrals/portal/_panel.html"


def provider_home_panel(request) -> dict | None:
    """The provider home page's link to the children it supports (settings.PROVIDER_HOME_PANELS).
    It names no child, so it writes no access log row."""
    return {"template": PANEL_TEMPLATE}


@require_GET
@provider_staff_required
def supported_child_list(request):
    actor = request.user
    fmt = export_format(request)
    if fmt is not None:
        return supported_children_export(request, fmt=fmt)
    number = page_number(request.GET.get("page"))
    page = numbered_page(portal_selectors.supported_children(actor=actor), number=number)
    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.child",
        ids=[child.pk for child in page],
        filters={"page": number if number > 1 else None},
    )
    return render(
        request,
        "referrals/portal/children.html",
        {
            "provider": provider_for(actor),
            "children": [portal_selectors.supported_child(child) for child in page],
            "page": page.number,
            "has_next": page.has_next,
        },
    )


@require_GET
@provider_staff_required
def supported_child_detail(request, child_id: int):
    actor = request.user
    child = portal_selectors.access_supported_child_by_id(actor=actor, child_id=child_id)
    access_log_record(actor=actor, request=request, action="view", obj=child)
    return render(
        request,
        "referrals/portal/child.html",
        {"provider": provider_for(actor), "child": portal_selectors.supported_child(child)},
    )


urlpatterns = [
    path("children/", supported_child_list, name="children"),
    path("children/<int:child_id>/", supported_child_detail, name="child"),
]
