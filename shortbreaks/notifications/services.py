"""Every write about notifications: sending one, delivering it, and each person's choices.

Domain services call `notification_send` in their own transaction; it writes a row per person
who has not turned that kind off and queues the sending once the transaction commits (nothing
is queued if it rolls back). A Celery task then delivers each row once: it claims the row
(queued -> sending) before it sends, so a task delivered again finds it sending or sent and
does nothing. A row left `sending` by a worker that died mid-send is not sent again: it may
have gone, and one email missing is better than the same email twice. A failed attempt goes
back to `queued` with its error, and the task tries again later (see tasks.py), up to
`NOTIFICATION_MAX_ATTEMPTS`; then the row is `failed`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from shortbreaks.notifications.messages import message_for
from shortbreaks.notifications.models import (
    AUDIENCE,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
    kinds_for,
)

logger = logging.getLogger(__name__)

# Params a message may carry: a record's reference, a link, dates and plain words. A name, an NHS
# number or an address has no param to travel in.
ALLOWED_PARAMS = frozenset(
    {"reference", "path", "decision", "end_date", "months", "title", "closes_on", "easy_read_link"}
)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5)


def _recipients_wanting(*, council, kind: str, recipients: Iterable) -> list:
    people = {person.pk: person for person in recipients if person is not None and person.email}
    if not people:
        return []
    turned_off = set(
        NotificationPreference.objects.filter(
            council=council, kind=kind, user_id__in=people, email=False
        ).values_list("user_id", flat=True)
    )
    return [person for pk, person in sorted(people.items()) if pk not in turned_off]


def notification_send(
    *,
    council,
    kind: str,
    recipients: Iterable = (),
    emails: Iterable[str] = (),
    params: dict | None = None,
) -> list[Notification]:
    """Tell each recipient (people with an account, who may have turned `kind` off) and each
    address in `emails` (people with no account: a provider's inbox) about one thing.

    `params` holds the record's `reference` and the `path` of its page, and for some kinds a date
    or a decision (ALLOWED_PARAMS); never a name. Written in the caller's transaction, sent after
    it commits."""
    kind = NotificationKind(kind)
    params = dict(params or {})
    unknown = set(params) - ALLOWED_PARAMS
    if unknown:
        raise ValueError(f"A notification carries no {', '.join(sorted(unknown))}.")
    rows = [
        Notification(
            council=council, kind=kind, recipient=person, email=person.email, params=params
        )
        for person in _recipients_wanting(council=council, kind=kind, recipients=recipients)
    ]
    rows += [
        Notification(council=council, kind=kind, email=address, params=params)
        for address in sorted({address.strip().lower() for address in emails if address})
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: notification_queue(ids))
    return created


def notification_queue(notification_ids: list[int]) -> None:
    from shortbreaks.notifications.tasks import deliver_notification

    for notification_id in notification_ids:
        deliver_notification.delay(notification_id)


def _claim(notification_id: int) -> Notification | None:
    """Take a queued row for one attempt; None if it is gone, taken, sent or failed."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("council")
            .filter(pk=notification_id, status=NotificationStatus.QUEUED)
            .first()
        )
        if row is None:
            return None
        row.status = NotificationStatus.SENDING
        row.attempts += 1
        row.save(update_fields=["status", "attempts"])
    return row


def _send_by_notify(row: Notification, message) -> str:
    from notifications_python_client.notifications import NotificationsAPIClient

    templates = getattr(settings, "NOTIFY_TEMPLATE_IDS", {}) or {}
    template_id = templates.get(row.kind) or settings.NOTIFY_TEMPLATE_ID
    if not template_id:
        raise RuntimeError(f"No GOV.UK Notify template for {row.kind} and no generic template.")
    client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
    response = client.send_email_notification(
        email_address=row.email,
        template_id=template_id,
        personalisation=message.personalisation,
        reference=f"notification-{row.pk}",
    )
    return str(response.get("id", ""))


def _send_by_email(row: Notification, message) -> str:
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
    ).send()
    return ""


def notification_deliver(notification_id: int) -> str:
    """Send one notification once. Returns its status afterwards; raises when an attempt
    failed and another is due (the row is queued again with the error)."""
    row = _claim(notification_id)
    if row is None:
        current = Notification.objects.filter(pk=notification_id).values_list("status", flat=True)
        return current.first() or "missing"
    message = message_for(kind=row.kind, council_name=row.council.name, params=row.params)
    try:
        if getattr(settings, "NOTIFY_API_KEY", ""):
            provider_id = _send_by_notify(row, message)
        else:
            provider_id = _send_by_email(row, message)
    except Exception as exc:
        last = row.attempts >= max_attempts()
        row.status = NotificationStatus.FAILED if last else NotificationStatus.QUEUED
        row.error = f"{type(exc).__name__}: {exc}"[:2000]
        row.save(update_fields=["status", "error"])
        logger.warning("Notification %s attempt %s failed: %s", row.pk, row.attempts, row.error)
        if last:
            return NotificationStatus.FAILED
        raise
    row.status = NotificationStatus.SENT
    row.sent_at = timezone.now()
    row.provider_id = provider_id[:100]
    row.error = ""
    row.save(update_fields=["status", "sent_at", "provider_id", "error"])
    return NotificationStatus.SENT


def notification_preferences_set(*, actor, council, audience: str, chosen: Iterable[str]) -> None:
    """The person's choice for every kind of their audience: those in `chosen` on, others off."""
    if actor is None or not actor.is_authenticated or council is None:
        raise ValidationError("Sign in to choose your emails.")
    kinds = kinds_for(audience)
    chosen = set(chosen)
    unknown = chosen - {str(kind) for kind in kinds}
    if unknown:
        raise ValidationError({"kinds": "Choose from the emails listed."})
    with transaction.atomic():
        for kind in kinds:
            NotificationPreference.objects.update_or_create(
                council=council, user=actor, kind=kind, defaults={"email": kind in chosen}
            )


__all__ = [
    "AUDIENCE",
    "notification_deliver",
    "notification_preferences_set",
    "notification_queue",
    "notification_send",
]
