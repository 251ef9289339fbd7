"""Reads about notifications, each scoped to one council and one person."""

from __future__ import annotations

from shortbreaks.notifications.models import (
    Notification,
    NotificationPreference,
    kinds_for,
)


def notification_preferences(*, actor, council, audience: str) -> dict[str, bool]:
    """Every kind of the audience with the person's choice: on unless they turned it off."""
    chosen = dict(
        NotificationPreference.objects.for_council(council)
        .filter(user=actor)
        .values_list("kind", "email")
    )
    return {str(kind): chosen.get(str(kind), True) for kind in kinds_for(audience)}


def notification_list_for_person(*, actor, council, limit: int = 20):
    """The person's latest notifications in the council, newest first."""
    return Notification.objects.for_council(council).filter(recipient=actor)[:limit]
