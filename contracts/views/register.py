"""The contracts register: list and filter, the contract page, and the forms that change a
contract, its lots, awards and manager. Also dismissing an expiry notice from the home page.

Reads go through `contracts.selectors`; every change through `contracts.services`. A change page
fetches the contract with `access_contract_for_change`, so a participating council gets the same
404 as a council that has nothing to do with the contract.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from contracts.exports import CONTRACTS
from contracts.filters import ContractFilter
from contracts.forms.register import (
    AwardForm,
    ContractForm,
    LotForm,
    ManagerForm,
    RecommissioningForm,
    TerminateForm,
)
from contracts.models import Contract, ContractStatus
from contracts.selectors import participation as participation_selectors
from contracts.selectors import register as register_selectors
from contracts.services import lots as lots_services
from contracts.services import register as register_services
from providers.selectors import provider_choices, provider_list, service_list
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Role
from shortbreaks.councils.selectors import colleagues_list, get_or_not_found
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"
ANSWER_INVITATION = "contracts.answer_invitation"
PAGE_SIZE = 50
REFUSALS = (TransitionNotAllowed, ValidationError)


@permission_required(VIEW)
@require_http_methods(["GET"])
def contract_list(request):
    """The register: the council's contracts and the joint contracts it takes part in."""
    actor = request.user
    providers = list(provider_choices(actor=actor))
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    filterset = ContractFilter.for_page(
        request, register_selectors.contract_list(actor=actor), providers=providers
    )
    filters = filterset.applied
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=actor,
            export=CONTRACTS,
            queryset=filterset.qs,
            fmt=fmt,
            filters=filters,
        )
    offset = (page - 1) * PAGE_SIZE
    rows = list(filterset.qs[offset : offset + PAGE_SIZE + 1])
    return render(
        request,
        "contracts/register/list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "contracts": rows[:PAGE_SIZE],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "filter_query": filterset.query,
            "filtered": bool(filters),
            "invitations_waiting": (
                participation_selectors.invitation_waiting_count(actor=actor)
                if actor.has_perm(ANSWER_INVITATION)
                else None
            ),
        },
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def contract_detail(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_by_id(actor=actor, contract_id=contract_id)
    access_log_record(actor=actor, request=request, action="view", obj=contract)
    is_lead = register_selectors.contract_is_lead(actor=actor, contract=contract)
    return render(
        request,
        "contracts/register/detail.html",
        {
            "contract": contract,
            "is_lead": is_lead,
            "can_manage": is_lead and actor.has_perm(MANAGE),
            **register_selectors.contract_detail_parts(actor=actor, contract=contract),
        },
    )


def _to_contract(contract: Contract, message: str | None = None, request=None):
    if message and request is not None:
        messages.success(request, message)
    return redirect("contracts:detail", contract_id=contract.pk)


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_create(request):
    actor = request.user
    form = ContractForm(
        request.POST if request.method == "POST" else None,
        councils=register_selectors.other_council_list(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = register_services.contract_create(
                actor=actor,
                participating_councils=form.chosen_councils(),
                **form.contract_fields(),
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, f"Contract {contract.reference} recorded.", request)
    return _form_page(
        request,
        form,
        title="Record a contract",
        caption=actor.active_council.name,
        back=reverse("contracts:list"),
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_edit(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    initial = {
        name: getattr(contract, name)
        for name in (
            "reference",
            "title",
            "kind",
            "procurement_route",
            "procurement_method",
            "date_signed",
            "start_date",
            "end_date",
            "max_extent_date",
            "annual_value",
            "total_value",
        )
    }
    initial["participating_councils"] = [
        participation.council.slug
        for participation in participation_selectors.contract_participation_list(
            actor=actor, contract=contract
        )
        if participation.is_named
    ]
    form = ContractForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        locked=contract.status != ContractStatus.DRAFT,
        councils=register_selectors.other_council_list(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_services.contract_update(
                actor=actor,
                contract=contract,
                participating_councils=form.chosen_councils(),
                **form.contract_fields(),
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, "Contract details saved.", request)
    return _contract_form_page(request, form, contract, title="Change the contract details")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_activate(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            register_services.contract_activate(actor=actor, contract=contract)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            return _to_contract(contract, f"Contract {contract.reference} is now active.", request)
    return render(
        request,
        "contracts/register/activate.html",
        {"contract": contract, "errors": errors},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_terminate(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    form = TerminateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            register_services.contract_terminate(
                actor=actor,
                contract=contract,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, f"Contract {contract.reference} terminated.", request)
    return _contract_form_page(request, form, contract, title="Terminate the contract")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_recommissioning(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    form = RecommissioningForm(
        request.POST if request.method == "POST" else None,
        initial={"started_on": contract.recommissioning_started_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_services.contract_update(
                actor=actor,
                contract=contract,
                recommissioning_started_on=form.cleaned_data["started_on"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, "Recommissioning date saved.", request)
    return _contract_form_page(
        request,
        form,
        contract,
        title="When did recommissioning start?",
        intro="Record when work began to recommission this service. The register then stops "
        "listing the contract among those with nothing under way.",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contract_manager(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    people = [
        membership.user
        for membership in colleagues_list(actor=actor).filter(role=Role.CONTRACT_MANAGER)
    ]
    current = str(contract.contract_manager_id) if contract.contract_manager_id else None
    form = ManagerForm(
        request.POST if request.method == "POST" else None,
        people=people,
        initial={"manager": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_services.contract_set_manager(
                actor=actor, contract=contract, manager=form.chosen()
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, "Contract manager saved.", request)
    return _contract_form_page(request, form, contract, title="Contract manager")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def lot_create(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    next_number = (contract.lots.order_by("-number").values_list("number", flat=True).first()) or 0
    form = LotForm(
        request.POST if request.method == "POST" else None,
        services=list(service_list(actor=actor)),
        initial={"number": next_number + 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lot = lots_services.lot_create(
                actor=actor,
                contract=contract,
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                services=form.chosen_services(),
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, f"{lot} added.", request)
    return _contract_form_page(request, form, contract, title="Add a lot")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def award_create(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        lots=list(contract.lots.order_by("number")),
        providers=list(provider_list(actor=actor)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lots_services.award_create(
                actor=actor,
                lot=form.chosen_lot(),
                provider=form.chosen_provider(),
                rates=form.cleaned_data["rates"],
                capacity=form.cleaned_data["capacity"],
                value=form.cleaned_data["value"],
                awarded_on=form.cleaned_data["awarded_on"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            return _to_contract(contract, "Award added.", request)
    return _contract_form_page(request, form, contract, title="Add an award")


@permission_required("councils.use_service")
@require_POST
def notice_dismiss(request, reminder_id: int):
    """Dismiss one of your own expiry notices, with any earlier ones about the same contract
    (the home page shows only the latest); anyone else's is not found."""
    notices = register_selectors.notices_for(user=request.user)
    reminder = get_or_not_found(notices, pk=reminder_id)
    for notice in notices.filter(contract_id=reminder.contract_id):
        register_services.reminder_dismiss(actor=request.user, reminder=notice)
    messages.success(request, f"Notice about {reminder.contract.reference} dismissed.")
    return redirect("home")


def _contract_form_page(request, form, contract: Contract, *, title: str, intro: str = ""):
    return _form_page(
        request,
        form,
        title=title,
        caption=f"{contract.reference} {contract.title}",
        back=reverse("contracts:detail", args=[contract.pk]),
        intro=intro,
    )


def _form_page(request, form, *, title: str, caption: str, back: str, intro: str = ""):
    return render(
        request,
        "contracts/register/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "intro": intro},
    )


urlpatterns = [
    path("", contract_list, name="list"),
    path("new/", contract_create, name="create"),
    path("<int:contract_id>/", contract_detail, name="detail"),
    path("<int:contract_id>/edit/", contract_edit, name="edit"),
    path("<int:contract_id>/activate/", contract_activate, name="activate"),
    path("<int:contract_id>/terminate/", contract_terminate, name="terminate"),
    path("<int:contract_id>/recommissioning/", contract_recommissioning, name="recommissioning"),
    path("<int:contract_id>/manager/", contract_manager, name="manager"),
    path("<int:contract_id>/lots/new/", lot_create, name="lot-create"),
    path("<int:contract_id>/awards/new/", award_create, name="award-create"),
    path("notices/<int:reminder_id>/dismiss/", notice_dismiss, name="notice-dismiss"),
]
