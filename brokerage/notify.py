"""Who is told about a brokerage request, by email (shortbreaks.notifications).

The social worker who raised a request hears of each answer; each provider that answered hears
the outcome of its answer (awarded, not chosen, or closed without an award) once the council
decides, and `outcome_notified_at` records it. A message carries the request's number and a link,
never anything about the child: the person signs in to read the rest.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from brokerage.models import BrokerageRequest, BrokerageResponse, ResponseOutcome
from providers.models import ProviderAccount
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send


def _params(request: BrokerageRequest, **more) -> dict:
    return {
        "reference": str(request.pk),
        "path": reverse("brokerage:detail", args=[request.pk]),
        **more,
    }


def notify_brokerage_answer(response: BrokerageResponse, *, actor) -> None:
    """The social worker who raised the request, unless they recorded the answer themselves."""
    request = response.request
    worker = request.created_by
    if worker is None or worker.pk == actor.pk or not worker.is_active:
        return
    notification_send(
        council=request.council,
        kind=NotificationKind.BROKERAGE_ANSWER,
        recipients=[worker],
        params=_params(request),
    )


def provider_staff(provider_ids) -> dict[int, list]:
    """The people acting for each provider (open accounts of active users), by provider."""
    found: dict[int, list] = {}
    accounts = ProviderAccount.objects.filter(
        provider_id__in=provider_ids, ended_at__isnull=True, user__is_active=True
    ).select_related("user")
    for account in accounts:
        found.setdefault(account.provider_id, []).append(account.user)
    return found


def notify_brokerage_outcomes(request: BrokerageRequest) -> None:
    """Each provider that answered, told its answer's outcome; each answer then marked told
    (after the commit, by `brokerage.mark_outcome_notified`)."""
    from brokerage.tasks import mark_outcome_notified

    responses = list(
        BrokerageResponse.objects.filter(request=request, outcome_notified_at__isnull=True)
        .exclude(outcome=ResponseOutcome.PENDING)
        .select_related("provider")
    )
    staff = provider_staff({response.provider_id for response in responses})
    for response in responses:
        notification_send(
            council=request.council,
            kind=NotificationKind.BROKERAGE_OUTCOME,
            recipients=staff.get(response.provider_id, []),
            emails=[] if staff.get(response.provider_id) else [response.provider.contact_email],
            params=_params(request, decision=response.get_outcome_display().lower()),
        )
        transaction.on_commit(
            lambda pk=response.pk: mark_outcome_notified.delay(pk, request.council_id)
        )
