"""The access log: who read or changed what, when, from where, and whether it was allowed.

Append-only. The model refuses updates and deletes, its queryset refuses bulk ones, the admin
offers neither, and on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE from any client.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an access-log row."""


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DOWNLOAD = "download", "Downloaded"
    DENIED = "denied", "Refused"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access-log rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access-log rows cannot be deleted.")

    _raw_delete = delete

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Access-log rows cannot be changed.")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Who. The council and role are copied at the time, so later membership changes do not
    # rewrite history. A council is null only for refusals made before one was known.
    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    roles = models.CharField(max_length=200, blank=True)
    # What.
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # From where, and the outcome.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            models.Index(fields=["council", "-at"], name="accesslog_council_at"),
            models.Index(
                fields=["council", "object_type", "object_id", "-at"], name="accesslog_object"
            ),
            models.Index(fields=["council", "user", "-at"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("Access-log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access-log rows cannot be deleted.")
