"""External auditor pages, under /audits/packs/: the council's external auditors and their
invitations (auditors and council administrators), the invitation form (auditors), the page the
emailed link opens (no sign-in), where the invited person sets their password, and an external
auditor's home: the packs shared with them.

The link's token is checked, then kept in the session only as its SHA-256, and the browser is
sent on to a page whose address holds no token (as Django's password reset does), so the token
never reaches the access log or a Referer header.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.auditors import selectors, services
from audits.auditors.forms import AcceptInvitationForm, InviteExternalAuditorForm
from audits.models import InvitationState
from audits.packs import selectors as pack_selectors
from shortbreaks import rls
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

SESSION_KEY = "audits.invitation"
LIST_LIMIT = 200


def signed_in_home(user) -> str | None:
    """An external auditor's home is the packs shared with them (see settings.SIGNED_IN_HOMES)."""
    from django.urls import reverse

    return reverse("packs:shared") if services.is_external_auditor(user) else None


@require_http_methods(["GET"])
@permission_required(services.VIEW_AUDITORS)
def external_auditor_list(request):
    auditors = list(selectors.external_auditor_list(actor=request.user)[: LIST_LIMIT + 1])
    now = timezone.now()
    for auditor in auditors:
        latest = auditor.invitations.all()[:1]
        auditor.latest = latest[0] if latest else None
        auditor.latest_state = auditor.latest.state(now) if auditor.latest else ""
    return render(
        request,
        "audits/external_auditors/list.html",
        {
            "auditors": auditors[:LIST_LIMIT],
            "more": len(auditors) > LIST_LIMIT,
            "limit": LIST_LIMIT,
            "can_invite": request.user.has_perm(services.INVITE),
            "states": InvitationState,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(services.INVITE)
def external_auditor_invite(request):
    form = InviteExternalAuditorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.external_auditor_invite(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works for 7 days, until "
                f"{timezone.localtime(invitation.expires_at):%-d %B %Y at %H:%M}",
            )
            return redirect("packs:external-auditors")
    return render(request, "audits/external_auditors/invite.html", {"form": form})


def _unavailable(request, message: str, status: int):
    return render(
        request,
        "audits/external_auditors/link_unavailable.html",
        {"message": message},
        status=status,
    )


NOT_VALID = (
    "This link is not valid. Check that you copied the whole link from the email, or ask the "
    "council that invited you to send a new invitation."
)


@never_cache
@require_http_methods(["GET"])
def invitation_open(request, token: str):
    """The emailed link: a link that can no longer be used says why and offers nothing."""
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return _unavailable(request, NOT_VALID, 404)
    rls.set_scope(rls.scope_values(council_id=invitation.council_id))
    state = invitation.state(timezone.now())
    if state != InvitationState.OPEN:
        access_log_record(
            actor=None,
            action="denied",
            outcome="refused",
            obj=invitation,
            council=invitation.council,
            request=None,
        )
        return _unavailable(request, services.LINK_STATES[state], 410)
    request.session[SESSION_KEY] = {"id": invitation.pk, "hash": invitation.token_hash}
    return redirect("packs:invitation-accept")


NOT_OPENED = (
    "Follow the link in your invitation email to set your password. If it no longer works, ask "
    "the council that invited you to send a new invitation."
)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    """Set your own password; the account is then switched on as an external auditor."""
    kept = request.session.get(SESSION_KEY) or {}
    invitation = selectors.invitation_by_hash(hashed=kept.get("hash", ""), pk=kept.get("id"))
    if invitation is None:
        return _unavailable(request, NOT_OPENED, 404)
    # The link opened this one council's invitation: the rest of the request works in it.
    rls.set_scope(rls.scope_values(council_id=invitation.council_id))
    state = invitation.state(timezone.now())
    if state != InvitationState.OPEN:
        request.session.pop(SESSION_KEY, None)
        return _unavailable(request, services.LINK_STATES[state], 410)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_auditor_invitation_accept(
                invitation=invitation, password=form.cleaned_data["password"], request=request
            )
        except TransitionNotAllowed as error:
            request.session.pop(SESSION_KEY, None)
            return _unavailable(request, error.reason, 410)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                "Your account is ready. Sign in with your email address and the password you set",
            )
            return redirect("sign-in")
    return render(
        request,
        "audits/external_auditors/accept.html",
        {"form": form, "invitation": invitation, "council": invitation.council},
    )


@require_http_methods(["GET"])
@login_required
def packs_shared(request):
    """An external auditor's home: the packs shared with them, until each grant's last day."""
    if not services.is_external_auditor(request.user):
        raise PermissionDenied
    grants = list(pack_selectors.packs_shared_with(actor=request.user))
    return render(
        request,
        "audits/external_auditors/shared.html",
        {"grants": grants, "council": request.user.external_auditor.council},
    )
