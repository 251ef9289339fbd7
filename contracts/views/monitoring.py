"""Monitoring pages: record a visit, meeting or KPI return on a contract, and read one back.

Only the lead council records monitoring; participating councils in a joint contract read it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contracts.forms.monitoring import MonitoringRecordForm
from contracts.selectors import monitoring as monitoring_selectors
from contracts.selectors import register as register_selectors
from contracts.services import monitoring as services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.selectors import get_or_not_found
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required


@require_http_methods(["GET", "POST"])
@permission_required("contracts.manage_contract")
def monitoring_create(request, contract_id: int):
    contract = register_selectors.access_contract_for_change(
        actor=request.user, contract_id=contract_id
    )
    form = MonitoringRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.monitoring_record_create(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, error.reason)
        else:
            messages.success(request, f"{record.get_kind_display()} recorded")
            return redirect("contracts:monitoring", contract.pk, record.pk)
    return render(request, "contracts/monitoring/create.html", {"contract": contract, "form": form})


@require_GET
@permission_required("contracts.view_contract")
def monitoring_detail(request, contract_id: int, record_id: int):
    actor = request.user
    contract = register_selectors.access_contract_by_id(actor=actor, contract_id=contract_id)
    record = get_or_not_found(
        monitoring_selectors.monitoring_list(actor=actor, contract=contract).select_related(
            "recorded_by"
        ),
        pk=record_id,
    )
    access_log_record(actor=actor, request=request, action="view", obj=record)
    return render(
        request,
        "contracts/monitoring/detail.html",
        {
            "contract": contract,
            "record": record,
            "is_lead": register_selectors.contract_is_lead(actor=actor, contract=contract),
        },
    )


urlpatterns = [
    path("<int:contract_id>/monitoring/new/", monitoring_create, name="monitoring-create"),
    path("<int:contract_id>/monitoring/<int:record_id>/", monitoring_detail, name="monitoring"),
]
