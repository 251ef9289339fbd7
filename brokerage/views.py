"""Brokerage in the browser: the requests list, a request's page (the requirement, who it went
to, the answers ranked with their scores, the timeline), and the forms that raise, check, send,
answer, award, spot purchase and withdraw it; and each DPS's scoring weights.

Council staff who may read requests see their council's; provider staff see and answer only the
requests sent to their provider (any other answers 404). Every read writes the access log; every
change goes through `brokerage.services`, whose refusals show in the form's error summary.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from brokerage import selectors
from brokerage.exports import BROKERAGE_REQUESTS
from brokerage.filters import RequestFilter
from brokerage.forms import (
    AnswerForm,
    RaiseForm,
    ReasonForm,
    RequirementForm,
    SendForm,
    SpotPurchaseForm,
    WeightsForm,
)
from brokerage.models import BrokerageInvitation, RequestStatus, ResponseOutcome
from brokerage.services.answers import brokerage_response_record
from brokerage.services.awards import (
    brokerage_request_award,
    brokerage_request_spot_purchase,
    brokerage_weights_set,
)
from brokerage.services.common import AWARD, MANAGE, RAISE
from brokerage.services.requests import (
    EDITABLE,
    brokerage_request_raise,
    brokerage_request_send,
    brokerage_request_update,
    brokerage_request_withdraw,
)
from contracts.selectors.dps import access_dps_by_id
from providers.selectors import provider_for
from referrals.selectors.packages import access_package_line_by_id
from shortbreaks import states
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.templatetags.status_tags import status_tag_class

REFUSALS = (TransitionNotAllowed, ValidationError)
OBJECT_TYPE = "brokerage.brokeragerequest"

# Tag colours come from the one status colour map (shortbreaks/templatetags/status_tags.py).
STATUS_TAGS = {status: status_tag_class(status) for status in RequestStatus.values}
OUTCOME_TAGS = {outcome: status_tag_class(outcome) for outcome in ResponseOutcome.values}


def can_see_requests(view):
    """Sign-in required; then council staff who may read requests, or provider staff."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.has_perm(selectors.VIEW) or selectors.is_provider_actor(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _found(request, request_id):
    return selectors.access_request_by_id(actor=request.user, request_id=request_id)


@require_http_methods(["GET"])
@can_see_requests
def request_list_view(request):
    filterset = RequestFilter.for_page(request, selectors.request_list(actor=request.user))
    filters = filterset.applied
    status = filters.get("status", "")
    listed = filterset.qs
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=BROKERAGE_REQUESTS,
            queryset=listed,
            fmt=fmt,
            filters=filters,
        )
    rows = list(
        listed.prefetch_related(
            Prefetch(
                "invitations",
                queryset=BrokerageInvitation.objects.select_related("response"),
            )
        )[:200]
    )
    for row in rows:
        row.tag_class = STATUS_TAGS.get(row.status, "")
        row.sent_count = len(row.invitations.all())
        row.answer_count = sum(1 for i in row.invitations.all() if hasattr(i, "response"))
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type=OBJECT_TYPE,
        ids=[row.pk for row in rows],
        filters=filters,
    )
    return render(
        request,
        "brokerage/list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "rows": rows,
            "status": status,
            "statuses": RequestStatus.choices,
            "filter_query": filterset.query,
            "overdue": "overdue" in filters,
            "to_score": "to_score" in filters,
            "provider": provider_for(request.user),
        },
    )


@require_http_methods(["GET"])
@can_see_requests
def request_detail_view(request, request_id: int):
    found = _found(request, request_id)
    access_log_record(actor=request.user, request=request, action="view", obj=found)
    staff = request.user.has_perm(selectors.VIEW)
    own = provider_for(request.user)
    ranked = selectors.ranked_responses(request=found)
    if not staff:
        ranked = [r for r in ranked if r.response.provider_id == getattr(own, "pk", None)]
    for row in ranked:
        row.tag_class = OUTCOME_TAGS.get(row.response.outcome, "")
    invitations = list(selectors.invitations(actor=request.user, request=found))
    price_weight, quality_weight = selectors.weights_for(found.dps)
    own_invitation = next((i for i in invitations if own and i.provider_id == own.pk), None)
    return render(
        request,
        "brokerage/detail.html",
        {
            "found": found,
            "tag_class": STATUS_TAGS.get(found.status, ""),
            "staff": staff,
            "ranked": ranked,
            "invitations": invitations,
            "awaiting": [i for i in invitations if not hasattr(i, "response")],
            "events": selectors.events(request=found) if staff else [],
            "price_weight": price_weight,
            "quality_weight": quality_weight,
            "quality_source": selectors.QUALITY_SOURCE,
            "can_answer_own": bool(
                own_invitation
                and not hasattr(own_invitation, "response")
                and found.status == RequestStatus.SENT
            ),
            "removed": sorted({entry.split(":", 1)[1] for entry in found.removed}),
        },
    )


@require_http_methods(["GET", "POST"])
@can_see_requests
def request_raise_view(request, line_id: int):
    _require(request, RAISE)
    line = access_package_line_by_id(actor=request.user, line_id=line_id)
    lots = selectors.dps_lots(council=request.user.active_council)
    fitting = next(
        (lot for lot in lots if lot.pk == line.lot_id),
        next((lot for lot in lots if selectors.offers(lot, line.service_id)), None),
    )
    form = RaiseForm(
        request.POST if request.method == "POST" else None,
        lots=lots,
        initial={"lot": fitting.pk if fitting else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = brokerage_request_raise(
                actor=request.user, line=line, lot=form.cleaned_data["lot"]
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=created)
            messages.success(request, "Request drafted. Check the text before you send it.")
            return redirect("brokerage:detail", created.pk)
    return render(request, "brokerage/raise.html", {"form": form, "line": line, "lots": lots})


@require_http_methods(["GET", "POST"])
@can_see_requests
def request_edit_view(request, request_id: int):
    _require(request, MANAGE)
    found = _found(request, request_id)
    initial = {name: getattr(found, name) for name in EDITABLE}
    form = RequirementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            brokerage_request_update(actor=request.user, request=found, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=found)
            messages.success(request, "Requirement saved. Check it again before you send it.")
            return redirect("brokerage:detail", found.pk)
    return render(request, "brokerage/form.html", _form_page(found, form, "Change the requirement"))


def _form_page(found, form, title: str, **extra) -> dict:
    return {"found": found, "form": form, "title": title, **extra}


@require_http_methods(["GET", "POST"])
@can_see_requests
def request_send_view(request, request_id: int):
    _require(request, MANAGE)
    found = _found(request, request_id)
    already = set(found.invitations.values_list("provider_id", flat=True))
    members = [m for m in selectors.approved_members(dps=found.dps) if m.pk not in already]
    first = found.status == RequestStatus.DRAFT
    lot_members = {p.pk for p in selectors.lot_members(found.lot)}
    form = SendForm(
        request.POST if request.method == "POST" else None,
        members=members,
        submit="Send the request" if first else "Send again",
        initial={"providers": [m.pk for m in members if m.pk in lot_members]} if first else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            brokerage_request_send(
                actor=request.user,
                request=found,
                deadline=form.cleaned_data["deadline"],
                providers=list(form.cleaned_data["providers"]),
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=found)
            messages.success(request, "Request sent.")
            return redirect("brokerage:detail", found.pk)
    title = "Send the request" if first else "Send again with a new deadline"
    return render(request, "brokerage/form.html", _form_page(found, form, title, sending=True))


@require_http_methods(["GET", "POST"])
@can_see_requests
def response_create_view(request, request_id: int):
    found = _found(request, request_id)
    own = provider_for(request.user) if selectors.is_provider_actor(request.user) else None
    if own is None:
        _require(request, MANAGE)
    providers = [own] if own else selectors.awaiting_answer(request=found)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        providers=providers,
        unit_label=found.get_unit_display(),
        fixed_provider=own is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            response = brokerage_response_record(
                actor=request.user,
                request=found,
                provider=own or data["provider"],
                can_meet=data["can_meet"],
                price_per_unit=data["price_per_unit"],
                start_date=data["start_date"],
                comments=data["comments"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=response)
            messages.success(request, "Answer recorded.")
            return redirect("brokerage:detail", found.pk)
    title = "Answer the request" if own else "Record a provider's answer"
    return render(request, "brokerage/form.html", _form_page(found, form, title))


@require_http_methods(["GET", "POST"])
@can_see_requests
def award_view(request, request_id: int, response_id: int):
    _require(request, AWARD)
    found = _found(request, request_id)
    response = selectors.access_response_by_id(
        actor=request.user, request=found, response_id=response_id
    )
    error_message = ""
    if request.method == "POST":
        try:
            brokerage_request_award(actor=request.user, request=found, response=response)
        except REFUSALS as error:
            error_message = getattr(error, "reason", None) or "; ".join(error.messages)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=found)
            messages.success(request, f"Awarded to {response.provider}.")
            return redirect("brokerage:detail", found.pk)
    else:
        # Say at once why the award cannot be made, as the refusal would.
        error_message = states.refusal(found, "award") or states.refusal(response, "award") or ""
    return render(
        request,
        "brokerage/award.html",
        {"found": found, "response": response, "error_message": error_message},
    )


@require_http_methods(["GET", "POST"])
@can_see_requests
def spot_purchase_view(request, request_id: int):
    _require(request, AWARD)
    found = _found(request, request_id)
    form = SpotPurchaseForm(
        request.POST if request.method == "POST" else None,
        providers=selectors.providers_for_spot_purchase(actor=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            brokerage_request_spot_purchase(actor=request.user, request=found, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=found)
            messages.success(request, "Spot purchase recorded.")
            return redirect("brokerage:detail", found.pk)
    return render(request, "brokerage/form.html", _form_page(found, form, "Spot purchase"))


@require_http_methods(["GET", "POST"])
@can_see_requests
def withdraw_view(request, request_id: int):
    _require(request, MANAGE)
    found = _found(request, request_id)
    form = ReasonForm(
        request.POST if request.method == "POST" else None, submit="Withdraw the request"
    )
    if request.method == "POST" and form.is_valid():
        try:
            brokerage_request_withdraw(
                actor=request.user, request=found, reason=form.cleaned_data["reason"]
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=found)
            messages.success(request, "Request withdrawn.")
            return redirect("brokerage:detail", found.pk)
    return render(request, "brokerage/form.html", _form_page(found, form, "Withdraw the request"))


@require_http_methods(["GET", "POST"])
@can_see_requests
def weights_view(request, dps_id: int):
    _require(request, AWARD)
    dps = access_dps_by_id(actor=request.user, dps_id=dps_id)
    price_weight, quality_weight = selectors.weights_for(dps)
    form = WeightsForm(
        request.POST if request.method == "POST" else None,
        initial={"price_weight": price_weight, "quality_weight": quality_weight},
    )
    if request.method == "POST" and form.is_valid():
        try:
            brokerage_weights_set(actor=request.user, dps=dps, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=dps)
            messages.success(request, "Weights saved.")
            return redirect("brokerage:list")
    return render(
        request,
        "brokerage/weights.html",
        {"form": form, "dps": dps, "quality_source": selectors.QUALITY_SOURCE},
    )


app_name = "brokerage"

urlpatterns = [
    path("", request_list_view, name="list"),
    path("lines/<int:line_id>/raise/", request_raise_view, name="raise"),
    path("<int:request_id>/", request_detail_view, name="detail"),
    path("<int:request_id>/edit/", request_edit_view, name="edit"),
    path("<int:request_id>/send/", request_send_view, name="send"),
    path("<int:request_id>/answer/", response_create_view, name="answer"),
    path("<int:request_id>/award/<int:response_id>/", award_view, name="award"),
    path("<int:request_id>/spot-purchase/", spot_purchase_view, name="spot-purchase"),
    path("<int:request_id>/withdraw/", withdraw_view, name="withdraw"),
    path("dps/<int:dps_id>/weights/", weights_view, name="weights"),
]
