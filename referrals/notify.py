"""Who is told about what happens to a child's case, by email (shortbreaks.notifications).

Each message carries the record's reference and a link, never the child's or a carer's name:
the person signs in to read the rest.
"""

from __future__ import annotations

from django.urls import reverse

from shortbreaks.councils.models import Membership, Role
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send


def _team_managers(council, *, besides=None) -> list:
    memberships = (
        Membership.objects.for_council(council)
        .filter(role=Role.TEAM_MANAGER, user__is_active=True)
        .select_related("user")
    )
    if besides is not None:
        memberships = memberships.exclude(user=besides)
    return [membership.user for membership in memberships]


def notify_assessment_to_authorise(assessment, *, actor) -> None:
    """A completed assessment waits for a team manager other than the one who completed it."""
    notification_send(
        council=assessment.council,
        kind=NotificationKind.ASSESSMENT_TO_AUTHORISE,
        recipients=_team_managers(assessment.council, besides=actor),
        params={
            "reference": f"A-{assessment.pk}",
            "path": reverse("referrals:assessment", args=[assessment.pk]),
        },
    )


def notify_panel_decision(panel, *, actor) -> None:
    """The child's social worker (their keyworker, else whoever proposed the package)."""
    package = panel.package
    worker = package.child.keyworker or package.created_by
    if worker is None or worker.pk == actor.pk:
        return
    notification_send(
        council=package.council,
        kind=NotificationKind.PANEL_DECISION,
        recipients=[worker],
        params={
            "reference": f"P-{package.pk}",
            "decision": panel.get_decision_display().lower(),
            "path": reverse("referrals:package", args=[package.pk]),
        },
    )


def family_accounts(child) -> list:
    """The parent accounts linked to the child's carers."""
    return [carer.account for carer in child.carers.select_related("account") if carer.account]


def notify_grant_decision(application) -> None:
    """The family, through the parent accounts linked to the child's carers."""
    notification_send(
        council=application.council,
        kind=NotificationKind.GRANT_DECISION,
        recipients=family_accounts(application.child),
        params={
            "reference": f"G-{application.pk}",
            "path": reverse(
                "statements:account-application",
                args=[application.council.slug, application.pk],
            ),
        },
    )


def notify_booking_confirmed(*, child, reference: str, path: str) -> None:
    """For bookings: the family of the child, told a booking is confirmed."""
    notification_send(
        council=child.council,
        kind=NotificationKind.BOOKING_CONFIRMED,
        recipients=family_accounts(child),
        params={"reference": reference, "path": path},
    )
