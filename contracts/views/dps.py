"""Dynamic purchasing systems and their memberships, in the browser.

Reading needs `contracts.view_contract`; every change needs `contracts.manage_contract` and goes
through a service, whose refusals (a state that forbids the change, bad input) show in the form's
error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from contracts.exports import DPS_MEMBERSHIPS, DPS_SYSTEMS
from contracts.forms.dps import (
    DPSApplyForm,
    DPSForm,
    MembershipChecksForm,
    MembershipTransitionForm,
)
from contracts.models import DPS, MEMBERSHIP_STEPS, DPSMembership, DPSStatus, MembershipStatus
from contracts.selectors import dps as dps_selectors
from contracts.services import dps as services
from providers.selectors import provider_list
from shortbreaks import states
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required
from shortbreaks.templatetags.status_tags import status_tag_class

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"

# Tag colours come from the one status colour map (shortbreaks/templatetags/status_tags.py).
DPS_TAGS = {status: status_tag_class(status) for status in DPSStatus.values}
MEMBERSHIP_TAGS = {status: status_tag_class(status) for status in MembershipStatus.values}


@permission_required(VIEW)
def dps_list_view(request):
    to_assess = request.GET.get("to_assess") == "1"
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=DPS_SYSTEMS,
            queryset=dps_selectors.dps_with_member_counts(
                dps_selectors.dps_list(actor=request.user, to_assess=to_assess)
            ),
            fmt=fmt,
        )
    systems = list(
        dps_selectors.dps_with_member_counts(
            dps_selectors.dps_list(actor=request.user, to_assess=to_assess)
        )
    )
    for dps in systems:
        dps.tag_class = DPS_TAGS.get(dps.status, "")
        dps.counts = [
            (label, getattr(dps, f"count_{status}")) for status, label in MembershipStatus.choices
        ]
    return render(request, "contracts/dps/list.html", {"systems": systems, "to_assess": to_assess})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def dps_create_view(request):
    form = DPSForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dps = services.dps_create(
                actor=request.user,
                title=data["title"],
                categories=data["categories"].strip(),
                start_date=data["start_date"],
                end_date=data["end_date"],
                open_to_applications=data["open_to_applications"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=dps)
            messages.success(request, f"{dps.title} created.")
            return redirect("contracts:dps-detail", dps_id=dps.pk)
    return render(request, "contracts/dps/form.html", {"form": form})


@permission_required(VIEW)
def dps_detail_view(request, dps_id: int):
    actor = request.user
    dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
    fmt = export_format(request)
    if fmt is not None:  # the DPS's memberships, with their checks
        return export_response(
            request=request,
            actor=actor,
            export=DPS_MEMBERSHIPS,
            queryset=dps_selectors.dps_membership_list(actor=actor, dps=dps).select_related("dps"),
            fmt=fmt,
            filters={"dps": dps.pk},
        )
    access_log_record(actor=actor, request=request, action="view", obj=dps)
    members = list(dps_selectors.dps_membership_list(actor=actor, dps=dps))
    for membership in members:
        membership.tag_class = MEMBERSHIP_TAGS[membership.status]
        events = list(membership.events.all())
        membership.applied_on = events[0].on if events else None
    dps.tag_class = DPS_TAGS.get(dps.status, "")
    return render(
        request,
        "contracts/dps/detail.html",
        {
            "dps": dps,
            "members": members,
            "categories": [line for line in dps.categories.splitlines() if line.strip()],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def dps_apply_view(request, dps_id: int):
    actor = request.user
    dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
    providers = provider_list(actor=actor).exclude(dps_memberships__dps=dps)
    form = DPSApplyForm(request.POST if request.method == "POST" else None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.dps_membership_apply(
                actor=actor,
                dps=dps,
                provider=data["provider"],
                on=data["on"],
                reason=data["reason"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=actor, request=request, action="create", obj=membership)
            messages.success(request, f"{membership.provider.name} has applied to join.")
            return redirect("contracts:dps-membership", dps_id=dps.pk, membership_id=membership.pk)
    return render(request, "contracts/dps/apply.html", {"dps": dps, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def dps_membership_view(request, dps_id: int, membership_id: int):
    """The checklist, the history and a form per allowed transition; POST changes one of them."""
    actor = request.user
    dps = dps_selectors.access_dps_by_id(actor=actor, dps_id=dps_id)
    membership = dps_selectors.dps_membership_of(actor=actor, dps=dps, membership_id=membership_id)
    can_manage = actor.has_perm(MANAGE)
    sent = None  # the bound form, when a POST failed
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        sent = _membership_post(request, membership)
        if sent is None:
            return redirect("contracts:dps-membership", dps_id=dps.pk, membership_id=membership.pk)
        membership.refresh_from_db()
    else:
        access_log_record(actor=actor, request=request, action="view", obj=membership)
    return render(
        request,
        "contracts/dps/membership.html",
        _membership_context(dps, membership, actor=actor, can_manage=can_manage, sent=sent),
    )


def _membership_post(request, membership: DPSMembership):
    """Apply the sent form through its service; the bound form with errors, or None on success."""
    actor = request.user
    if "save_checks" in request.POST:
        form = MembershipChecksForm(request.POST)
        if form.is_valid():
            try:
                services.dps_membership_record_checks(
                    actor=actor, membership=membership, **form.checks()
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                access_log_record(actor=actor, request=request, action="change", obj=membership)
                messages.success(request, "Pre-approval checks saved.")
                return None
        return form
    action = next((name for name in MEMBERSHIP_STEPS if f"do_{name}" in request.POST), None)
    if action is None:
        raise BadRequest("No change was chosen.")
    form = MembershipTransitionForm(request.POST, action=action)
    if form.is_valid():
        try:
            updated = services.dps_membership_transition(
                actor=actor,
                membership=membership,
                action=action,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=actor, request=request, action="change", obj=membership)
            status = updated.get_status_display().lower()
            messages.success(request, f"{membership.provider.name} is now {status}.")
            return None
    return form


def _membership_context(
    dps: DPS, membership: DPSMembership, *, actor, can_manage: bool, sent
) -> dict:
    history = list(dps_selectors.dps_membership_history(membership=membership))
    for event in history:
        event.to_label = MembershipStatus(event.to_status).label
        event.tag_class = MEMBERSHIP_TAGS[event.to_status]
    transitions = []
    checks_form = None
    if can_manage:
        checks_form = MembershipChecksForm(membership=membership)
        if isinstance(sent, MembershipChecksForm):
            checks_form = sent
        # A form for each change the person may make now, as the model declares them.
        for action in (name for name in MEMBERSHIP_STEPS if states.may(membership, name, actor)):
            if isinstance(sent, MembershipTransitionForm) and sent.action == action:
                transitions.append(sent)
            else:
                transitions.append(MembershipTransitionForm(action=action))
    membership.tag_class = MEMBERSHIP_TAGS[membership.status]
    return {
        "dps": dps,
        "membership": membership,
        "history": history,
        "checks_form": checks_form,
        "transitions": transitions,
        "sent": sent,
        "can_manage": can_manage,
    }


urlpatterns = [
    path("dps/", dps_list_view, name="dps-list"),
    path("dps/new/", dps_create_view, name="dps-create"),
    path("dps/<int:dps_id>/", dps_detail_view, name="dps-detail"),
    path("dps/<int:dps_id>/apply/", dps_apply_view, name="dps-apply"),
    path(
        "dps/<int:dps_id>/memberships/<int:membership_id>/",
        dps_membership_view,
        name="dps-membership",
    ),
]
