"""The contract manager's side of provider KPI returns: ask a provider for one, then accept or
query what it submits. The return is read on the contract's monitoring page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from contracts.forms.kpi import KPIReturnQueryForm, KPIReturnRequestForm
from contracts.portal import selectors as portal_selectors
from contracts.selectors import register as register_selectors
from contracts.services import kpi as kpi_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

MANAGE = "contracts.manage_contract"


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def kpi_return_request(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    providers = list(register_selectors.awarded_provider_list(actor=actor, contract=contract))
    form = KPIReturnRequestForm(
        request.POST if request.method == "POST" else None, providers=providers
    )
    if request.method == "POST" and form.is_valid():
        chosen = {str(p.pk): p for p in providers}[form.cleaned_data["provider"]]
        try:
            record = kpi_services.kpi_return_request(
                actor=actor,
                contract=contract,
                provider=chosen,
                period=form.cleaned_data["period"],
                due_on=form.cleaned_data["due_on"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=actor, request=request, action="create", obj=record)
            messages.success(request, f"KPI return asked of {chosen.name}")
            return redirect("contracts:monitoring", contract.pk, record.pk)
    return render(
        request,
        "contracts/monitoring/kpi_request.html",
        {"contract": contract, "form": form, "providers": providers},
    )


def _decided(request, record, verb: str):
    access_log_record(actor=request.user, request=request, action="change", obj=record)
    messages.success(request, f"KPI return {verb}")
    return redirect("contracts:monitoring", record.contract_id, record.pk)


@permission_required(MANAGE)  # first: a visitor not signed in is sent to sign in, on any method
@require_POST
def kpi_return_accept(request, record_id: int):
    actor = request.user
    record = portal_selectors.access_kpi_return_for_decision(actor=actor, record_id=record_id)
    try:
        record = kpi_services.kpi_return_accept(actor=actor, record=record)
    except TransitionNotAllowed as error:
        messages.error(request, error.reason)
        return redirect("contracts:monitoring", record.contract_id, record.pk)
    return _decided(request, record, "accepted")


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def kpi_return_query(request, record_id: int):
    actor = request.user
    record = portal_selectors.access_kpi_return_for_decision(actor=actor, record_id=record_id)
    form = KPIReturnQueryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = kpi_services.kpi_return_query(
                actor=actor, record=record, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            return _decided(request, record, "queried")
    return render(
        request,
        "contracts/monitoring/kpi_query.html",
        {"contract": record.contract, "record": record, "form": form},
    )


urlpatterns = [
    path("<int:contract_id>/kpi-returns/new/", kpi_return_request, name="kpi-return-request"),
    path("kpi-returns/<int:record_id>/accept/", kpi_return_accept, name="kpi-return-accept"),
    path("kpi-returns/<int:record_id>/query/", kpi_return_query, name="kpi-return-query"),
]
