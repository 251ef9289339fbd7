"""Provider staff's contract pages (under /provider/): their contracts and lots, and the KPI
returns asked of them, which they submit (and submit again when the council queries one).

Reads go through `contracts.portal.selectors`, which start from the provider the person acts
for, so another provider's contract or return answers 404 exactly as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contracts.exports import KPI_RETURNS, PROVIDER_CONTRACTS
from contracts.forms.kpi import KPIReturnSubmitForm
from contracts.models import KPIReturnStatus
from contracts.portal import selectors as portal_selectors
from contracts.services import kpi as kpi_services
from providers.portal.access import provider_staff_required
from providers.selectors import provider_for
from shortbreaks import states
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error

PANEL_TEMPLATE = "contracts/portal/_panel.html"


def provider_home_panel(request) -> dict | None:
    """The provider home page's contracts part: KPI returns to submit or answer, and a link to
    the contracts (settings.PROVIDER_HOME_PANELS)."""
    actor = request.user
    returns = portal_selectors.provider_kpi_return_list(actor=actor)
    to_submit = [r for r in returns if r.kpi_status in portal_selectors.KPI_RETURNS_TO_SUBMIT]
    return {
        "template": PANEL_TEMPLATE,
        "to_submit": to_submit,
        "contract_count": portal_selectors.provider_contract_list(actor=actor).count(),
    }


@require_GET
@provider_staff_required
def contract_list(request):
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=PROVIDER_CONTRACTS,
            queryset=portal_selectors.provider_contract_list(actor=request.user),
            fmt=fmt,
        )
    contracts = list(portal_selectors.provider_contract_list(actor=request.user))
    return render(
        request,
        "contracts/portal/contracts.html",
        {"provider": provider_for(request.user), "contracts": contracts},
    )


@require_GET
@provider_staff_required
def contract_detail(request, contract_id: int):
    actor = request.user
    contract = portal_selectors.access_provider_contract_by_id(actor=actor, contract_id=contract_id)
    access_log_record(actor=actor, request=request, action="view", obj=contract)
    returns = portal_selectors.provider_kpi_return_list(actor=actor).filter(contract=contract)
    return render(
        request,
        "contracts/portal/contract.html",
        {"provider": provider_for(actor), "contract": contract, "returns": list(returns)},
    )


@require_GET
@provider_staff_required
def kpi_return_list(request):
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=KPI_RETURNS,
            queryset=portal_selectors.provider_kpi_return_list(actor=request.user).select_related(
                "provider"
            ),
            fmt=fmt,
        )
    returns = list(portal_selectors.provider_kpi_return_list(actor=request.user))
    return render(
        request,
        "contracts/portal/kpi_returns.html",
        {
            "provider": provider_for(request.user),
            "returns": returns,
            "to_submit": portal_selectors.KPI_RETURNS_TO_SUBMIT,
        },
    )


@require_http_methods(["GET", "POST"])
@provider_staff_required
def kpi_return_detail(request, record_id: int):
    """A KPI return: the figures as sent and, while it is due or queried, the form to send them."""
    actor = request.user
    record = portal_selectors.access_provider_kpi_return_by_id(actor=actor, record_id=record_id)
    can_submit = states.may(record, "submit", actor)  # as the return declares it
    form = None
    if can_submit:
        initial = None
        if record.kpi_status == KPIReturnStatus.QUERIED:
            initial = {
                "summary": record.summary,
                "sessions_delivered": record.sessions_delivered,
                "sessions_target": record.sessions_target,
                "hours_not_delivered": record.hours_not_delivered,
                "reason_not_delivered": record.reason_not_delivered,
            }
        form = KPIReturnSubmitForm(
            request.POST if request.method == "POST" else None, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                kpi_services.kpi_return_submit(actor=actor, record=record, **form.cleaned_data)
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                access_log_record(actor=actor, request=request, action="change", obj=record)
                messages.success(request, "KPI return submitted")
                return redirect("provider:kpi-return", record.pk)
    elif request.method == "POST":
        messages.error(request, "This return has already been submitted.")
        return redirect("provider:kpi-return", record.pk)
    if request.method == "GET":
        access_log_record(actor=actor, request=request, action="view", obj=record)
    return render(
        request,
        "contracts/portal/kpi_return.html",
        {"provider": provider_for(actor), "record": record, "form": form},
    )


urlpatterns = [
    path("contracts/", contract_list, name="contracts"),
    path("contracts/<int:contract_id>/", contract_detail, name="contract"),
    path("kpi-returns/", kpi_return_list, name="kpi-returns"),
    path("kpi-returns/<int:record_id>/", kpi_return_detail, name="kpi-return"),
]
