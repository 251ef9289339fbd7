"""A direct payment's history: one writer per kind of event (docs/decisions/0026). Each keeps
what happened as parameters; `AgreementEvent.SUMMARIES` words it."""

from __future__ import annotations

from datetime import date

from directpayments.models import (
    Agreement,
    AgreementEvent,
    AgreementEventKind,
    AgreementReview,
    Payment,
    Recovery,
)


def _write(agreement: Agreement, *, actor, on: date, kind: str, params: dict) -> AgreementEvent:
    return AgreementEvent.objects.create(
        council=agreement.council,
        agreement=agreement,
        on=on,
        kind=kind,
        params=params,
        actor=actor,
    )


def created(agreement: Agreement, *, actor, services: list[str]) -> AgreementEvent:
    params = {
        "recipient": agreement.recipient_name,
        "amount": agreement.amount_per_period,
        "period": agreement.get_period_display().lower(),
        "services": services,
    }
    return _write(
        agreement,
        actor=actor,
        on=agreement.start_on,
        kind=AgreementEventKind.CREATED,
        params=params,
    )


def paid(payment: Payment, *, actor) -> AgreementEvent:
    params = {"amount": payment.amount, "payment": payment.pk}
    return _write(
        payment.agreement,
        actor=actor,
        on=payment.paid_on,
        kind=AgreementEventKind.PAID,
        params=params,
    )


def recovered(recovery: Recovery, *, actor) -> AgreementEvent:
    params = {"amount": recovery.amount, "reason": recovery.reason, "recovery": recovery.pk}
    return _write(
        recovery.agreement,
        actor=actor,
        on=recovery.recovered_on,
        kind=AgreementEventKind.RECOVERED,
        params=params,
    )


def reviewed(review: AgreementReview, *, actor) -> AgreementEvent:
    params = {"outcome": review.outcome, "notes": review.notes, "review": review.pk}
    return _write(
        review.agreement,
        actor=actor,
        on=review.held_on,
        kind=AgreementEventKind.REVIEWED,
        params=params,
    )
