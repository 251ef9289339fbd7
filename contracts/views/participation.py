"""Joint contracts by consent, in the browser.

The invited council's commissioners see the invitations waiting for their council's answer and
accept or decline each, after a confirmation page; another council's invitation is not found.
The lead council withdraws an invitation, or a council's part, from the contract page.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from contracts.models import ContractParticipation, ParticipationStatus
from contracts.selectors import participation as participation_selectors
from contracts.selectors import register as register_selectors
from contracts.services import participation as services
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import permission_required

ANSWER_INVITATION = "contracts.answer_invitation"
MANAGE = "contracts.manage_contract"
PAGE_SIZE = 50

# Accepting and declining: the page's wording, and where each goes once done.
ANSWERS = {
    "accept": {
        "service": services.contract_participation_accept,
        "title": "Accept the invitation",
        "button": "Accept the invitation",
        "button_class": "govuk-button",
    },
    "decline": {
        "service": services.contract_participation_decline,
        "title": "Decline the invitation",
        "button": "Decline the invitation",
        "button_class": "govuk-button govuk-button--warning",
    },
}


@permission_required(ANSWER_INVITATION)
@require_http_methods(["GET"])
def invitation_list(request):
    """The invitations to take part in other councils' joint contracts that wait for an answer."""
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        participation_selectors.invitation_list(
            actor=request.user, status=ParticipationStatus.INVITED
        )[offset : offset + PAGE_SIZE + 1]
    )
    return render(
        request,
        "contracts/participation/invitations.html",
        {"invitations": rows[:PAGE_SIZE], "page": page, "has_next": len(rows) > PAGE_SIZE},
    )


def _answer(request, invitation_id: int, answer: str):
    actor = request.user
    invitation = participation_selectors.access_invitation_by_id(
        actor=actor, invitation_id=invitation_id
    )
    wording = ANSWERS[answer]
    errors: list[str] = []
    if request.method == "POST":
        try:
            invitation = wording["service"](actor=actor, participation=invitation)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            return _answered(request, invitation, answer)
    else:
        # Say at once why there is nothing to answer, as the refusal would.
        closed = states.refusal(invitation, answer)
        errors.extend([closed] if closed else [])
    return render(
        request,
        "contracts/participation/answer.html",
        {
            "invitation": invitation,
            "answer": answer,
            "errors": errors,
            **{name: text for name, text in wording.items() if name != "service"},
        },
    )


def _answered(request, invitation: ContractParticipation, answer: str):
    named = f"{invitation.contract_reference} {invitation.contract_title}"
    if answer == "accept":
        messages.success(
            request,
            f"You accepted the invitation: {named} is now in the council's contracts register.",
        )
        return redirect("contracts:detail", contract_id=invitation.contract_id)
    messages.success(
        request,
        f"You declined the invitation to take part in {named}. "
        f"{invitation.lead_council.name} can see that you declined.",
    )
    return redirect("contracts:invitations")


@permission_required(ANSWER_INVITATION)
@require_http_methods(["GET", "POST"])
def invitation_accept(request, invitation_id: int):
    return _answer(request, invitation_id, "accept")


@permission_required(ANSWER_INVITATION)
@require_http_methods(["GET", "POST"])
def invitation_decline(request, invitation_id: int):
    return _answer(request, invitation_id, "decline")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def participation_withdraw(request, contract_id: int, participation_id: int):
    """The lead council withdraws an invitation, or a council's part in the contract."""
    actor = request.user
    contract = register_selectors.access_contract_for_change(actor=actor, contract_id=contract_id)
    participation = participation_selectors.access_participation_for_change(
        actor=actor, contract=contract, participation_id=participation_id
    )
    errors: list[str] = []
    if request.method == "POST":
        was_accepted = participation.status == ParticipationStatus.ACCEPTED
        try:
            services.contract_participation_withdraw(actor=actor, participation=participation)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            council = participation.council.name
            messages.success(
                request,
                f"{council} no longer takes part in this contract and no longer sees it."
                if was_accepted
                else f"The invitation to {council} is withdrawn.",
            )
            return redirect("contracts:detail", contract_id=contract.pk)
    return render(
        request,
        "contracts/participation/withdraw.html",
        {
            "contract": contract,
            "participation": participation,
            "errors": errors,
            "back": reverse("contracts:detail", args=[contract.pk]),
        },
    )


urlpatterns = [
    path("invitations/", invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/accept/", invitation_accept, name="invitation-accept"),
    path("invitations/<int:invitation_id>/decline/", invitation_decline, name="invitation-decline"),
    path(
        "<int:contract_id>/participants/<int:participation_id>/withdraw/",
        participation_withdraw,
        name="participation-withdraw",
    ),
]
