"""Parent carers with an account are told when the statement goes out for consultation and when
a new version is published (shortbreaks.notifications), unless they turned that email off."""

from __future__ import annotations

from django.urls import reverse

from referrals.models import ParentAccount
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send


def _parents(council) -> list:
    accounts = (
        ParentAccount.objects.for_council(council)
        .filter(confirmed_at__isnull=False, user__is_active=True)
        .select_related("user")
    )
    return [account.user for account in accounts]


def notify_consultation_opening(version) -> None:
    notification_send(
        council=version.council,
        kind=NotificationKind.CONSULTATION_OPENING,
        recipients=_parents(version.council),
        params={
            "reference": str(version.number),
            "closes_on": f"{version.consultation_closes_on:%-d %B %Y}",
            "path": reverse("statements:statement-consultation", args=[version.council.slug]),
        },
    )


def notify_statement_published(version) -> None:
    notification_send(
        council=version.council,
        kind=NotificationKind.STATEMENT_PUBLISHED,
        recipients=_parents(version.council),
        params={
            "reference": str(version.number),
            "path": reverse("statements:statement", args=[version.council.slug]),
        },
    )
