"""Thin Celery tasks for brokerage. Nothing in brokerage runs on a schedule yet: a request past
its deadline waits for a person to send it again, widen it or spot purchase, so no job changes
it. The notices of each answer's outcome are sent by the notifications, which call
`brokerage_outcome_mark_notified` once a provider is told."""

from celery import shared_task

from brokerage.models import BrokerageResponse
from brokerage.services.answers import brokerage_outcome_mark_notified
from shortbreaks import rls


@shared_task(name="brokerage.mark_outcome_notified")
def mark_outcome_notified(response_id: int, council_id: int) -> None:
    """Record that a provider was told its answer's outcome (safe to run twice)."""
    with rls.council_scope(council_id):
        response = BrokerageResponse.objects.filter(pk=response_id).first()
        if response is not None:
            brokerage_outcome_mark_notified(response=response)
