"""Evidence pack pages, under /audits/packs/: the council's packs, the request form, each pack's
page (progress while it builds, then the download and its SHA-256; "Try again" when it failed;
who has access, with "Stop sharing" for auditors and council administrators, and sharing with an
invited external auditor for auditors), the password confirmation and the download.

An external auditor holds no role in the council: the only pages they reach are the packs shared
with them (`audits.auditors.views`) and each one's page, confirmation and download, until the
grant's last day.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audits.exports import EVIDENCE_PACKS
from audits.packs import selectors, services
from audits.packs.confirmation import (
    password_confirms,
    record_confirmation,
    session_recently_authenticated,
)
from audits.packs.download import pack_file_response
from audits.packs.forms import KIND_HINTS, ConfirmPasswordForm, PackGrantForm, PackRequestForm
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.models import JobStatus
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

LIST_LIMIT = 200


@require_http_methods(["GET"])
@permission_required(services.VIEW)
def pack_list(request):
    packs = selectors.evidence_pack_list(actor=request.user)
    # The work tray's link: only the packs built and ready to download.
    ready_only = request.GET.get("status") == JobStatus.DONE
    if ready_only:
        packs = packs.filter(job__status=JobStatus.DONE)
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=EVIDENCE_PACKS,
            queryset=packs,
            fmt=fmt,
            filters={"status": JobStatus.DONE} if ready_only else {},
        )
    packs = list(packs[: LIST_LIMIT + 1])
    return render(
        request,
        "audits/packs/list.html",
        {
            "packs": packs[:LIST_LIMIT],
            "more": len(packs) > LIST_LIMIT,
            "limit": LIST_LIMIT,
            "ready_only": ready_only,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(services.REQUEST)
def pack_request(request):
    names_allowed = services.may_include_names(request.user)
    form = PackRequestForm(
        request.POST if request.method == "POST" else None, names_allowed=names_allowed
    )
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.evidence_pack_request(
                actor=request.user, request=request, **form.values()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            # The page's status says whether it is queued, building or ready: the message only
            # confirms the request, so it stays true when the pack is built before the page shows.
            messages.success(request, "Your evidence pack has been requested")
            return redirect("packs:detail", pack.pk)
    return render(request, "audits/packs/request.html", {"form": form, "hints": KIND_HINTS})


def _grants_shown(pack) -> list:
    """Who has access, each marked whether their grant counts today (a grant held by someone who
    is no longer only this council's external auditor shows, to be removed, but opens nothing)."""
    grants = list(selectors.pack_grants(pack=pack))
    live = set(
        selectors.live_grants(today=timezone.localdate())
        .filter(pack=pack)
        .values_list("pk", flat=True)
    )
    for grant in grants:
        grant.counts = grant.pk in live
    return grants


def _detail_context(request, pack, *, grant_form=None) -> dict:
    actor = request.user
    council_person = pack.grant is None
    can_grant = council_person and actor.has_perm(services.GRANT)
    can_revoke = council_person and actor.has_perm(services.REVOKE)
    done = pack.job.status == JobStatus.DONE
    return {
        "pack": pack,
        "job": pack.job,
        "download_url": (
            reverse("packs:download", args=[pack.pk])
            if done and selectors.may_download(actor=actor, pack=pack)
            else ""
        ),
        "can_retry": council_person
        and pack.job.status == JobStatus.FAILED
        and actor.has_perm(services.REQUEST),
        "can_grant": can_grant,
        "can_revoke": can_revoke,
        "grants": _grants_shown(pack) if can_grant or can_revoke else [],
        "grant_form": grant_form or (PackGrantForm() if can_grant else None),
        "council_person": council_person,
    }


@require_http_methods(["GET"])
@login_required
def pack_detail(request, pack_id: int):
    pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack_id)
    access_log_record(
        actor=request.user, request=request, action="view", obj=pack, council=pack.council
    )
    return render(request, "audits/packs/detail.html", _detail_context(request, pack))


@permission_required(services.REQUEST)
@require_POST
def pack_retry(request, pack_id: int):
    pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack_id)
    if pack.grant is not None:
        raise PermissionDenied
    try:
        services.evidence_pack_retry(actor=request.user, pack=pack, request=request)
    except TransitionNotAllowed as error:
        messages.info(request, error.reason)
    else:
        messages.success(request, "The pack has been requested again")
    return redirect("packs:detail", pack.pk)


@permission_required(services.GRANT)
@require_POST
def pack_grant(request, pack_id: int):
    pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack_id)
    if pack.grant is not None:
        raise PermissionDenied
    form = PackGrantForm(request.POST)
    if form.is_valid():
        try:
            grant = services.evidence_pack_grant(
                actor=request.user,
                pack=pack,
                email=form.cleaned_data["email"],
                expires_on=form.cleaned_data["expires_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Pack shared with {grant.user.email or grant.user.username} until the end of "
                f"{grant.expires_on:%-d %B %Y}",
            )
            return redirect("packs:detail", pack.pk)
    context = _detail_context(request, pack, grant_form=form)
    return render(request, "audits/packs/detail.html", context, status=200)


@permission_required(services.REVOKE)
@require_POST
def pack_grant_remove(request, pack_id: int, grant_id: int):
    pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack_id)
    if pack.grant is not None:
        raise PermissionDenied
    grant = selectors.access_pack_grant_by_id(pack=pack, grant_id=grant_id)
    services.evidence_pack_grant_remove(actor=request.user, grant=grant, request=request)
    messages.success(request, "The pack is no longer shared with that person")
    return redirect("packs:detail", pack.pk)


def _downloadable(request, pack_id: int):
    pack = selectors.access_evidence_pack_by_id(actor=request.user, pack_id=pack_id)
    if not selectors.may_download(actor=request.user, pack=pack):
        raise PermissionDenied
    if pack.job.status != JobStatus.DONE:
        raise Http404("The pack is not ready.")
    return pack


@require_http_methods(["GET", "POST"])
@login_required
def pack_confirm(request, pack_id: int):
    """Confirm your password before downloading, when you signed in over 15 minutes ago."""
    pack = _downloadable(request, pack_id)
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if password_confirms(request, request.user, form.cleaned_data["password"]):
            record_confirmation(request.session)
            return redirect("packs:download", pack.pk)
        if getattr(request, "axes_locked_out", False):
            form.add_error(
                "password",
                "This account is locked after too many wrong passwords. Try again in 30 minutes",
            )
        else:
            form.add_error("password", "The password is not right")
    return render(request, "audits/packs/confirm.html", {"pack": pack, "form": form})


@require_http_methods(["GET"])
@login_required
def pack_download(request, pack_id: int):
    pack = _downloadable(request, pack_id)
    if not session_recently_authenticated(request.session):
        return redirect("packs:confirm", pack.pk)
    response = pack_file_response(pack)
    access_log_record(
        actor=request.user, request=request, action="download", obj=pack, council=pack.council
    )
    return response
