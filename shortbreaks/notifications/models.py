"""Notifications: an email to one person about one thing that happened, and whether it went.

The row is written in the caller's transaction and its sending queued once that commits
(`services.notification_send`); the row, not the Celery message, is the source of truth. A row
carries a reference and a link, never a child's name or any other detail of a family: the
person follows the link and signs in to read more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shortbreaks.councils.models import CouncilOwned


class Audience(models.TextChoices):
    STAFF = "staff", "Council staff"
    FAMILY = "family", "Parent carers"


class NotificationKind(models.TextChoices):
    # To staff
    ASSESSMENT_TO_AUTHORISE = "assessment_to_authorise", "An assessment is waiting to be authorised"
    PANEL_DECISION = "panel_decision", "The resource panel has decided on a package"
    CONTRACT_ENDING = "contract_ending", "A contract you manage is ending"
    BROKERAGE_ANSWER = "brokerage_answer", "A provider has answered a brokerage request"
    BROKERAGE_OUTCOME = "brokerage_outcome", "The outcome of your answer to a brokerage request"
    # To families
    GRANT_DECISION = "grant_decision", "A decision on your short break grant application"
    CONSULTATION_OPENING = "consultation_opening", "A consultation on the short breaks statement"
    STATEMENT_PUBLISHED = "statement_published", "A new short breaks services statement"
    BOOKING_CONFIRMED = "booking_confirmed", "A short break booking is confirmed"
    SURVEY_INVITATION = "survey_invitation", "An invitation to say how your short breaks went"


AUDIENCE = {
    NotificationKind.ASSESSMENT_TO_AUTHORISE: Audience.STAFF,
    NotificationKind.PANEL_DECISION: Audience.STAFF,
    NotificationKind.CONTRACT_ENDING: Audience.STAFF,
    NotificationKind.BROKERAGE_ANSWER: Audience.STAFF,
    NotificationKind.BROKERAGE_OUTCOME: Audience.STAFF,
    NotificationKind.GRANT_DECISION: Audience.FAMILY,
    NotificationKind.CONSULTATION_OPENING: Audience.FAMILY,
    NotificationKind.STATEMENT_PUBLISHED: Audience.FAMILY,
    NotificationKind.BOOKING_CONFIRMED: Audience.FAMILY,
    NotificationKind.SURVEY_INVITATION: Audience.FAMILY,
}


def kinds_for(audience: str) -> list[NotificationKind]:
    return [kind for kind in NotificationKind if AUDIENCE[kind] == audience]


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(CouncilOwned):
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(help_text="The address it goes to (the recipient's, when sent).")
    params = models.JSONField(
        default=dict, blank=True, help_text="The reference, the link and plain dates: no names."
    )
    status = models.CharField(
        max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, for staff.")
    provider_id = models.CharField(
        max_length=100, blank=True, help_text="GOV.UK Notify's id for the email, when sent there."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["council", "status"], name="notification_status"),
            models.Index(
                fields=["council", "recipient", "-created_at"], name="notification_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email} ({self.get_status_display()})"


class NotificationPreference(CouncilOwned):
    """A person's choice for one kind, in one council. No row means the default: on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user", "kind"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {'on' if self.email else 'off'}"
