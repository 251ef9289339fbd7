"""The access log: who read or changed what, when, from where, and whether it was allowed.

Append-only. The model refuses updates and deletes, its queryset refuses bulk ones, the admin
offers neither, and in the database triggers refuse UPDATE, DELETE and TRUNCATE from any client:
UPDATE and DELETE by `APPEND_ONLY`, declared below through django-pgtrigger (a row trigger on the
partitioned parent, which PostgreSQL clones onto every partition, those made later included);
TRUNCATE by a statement trigger on the parent and on each partition (migration 0004).

Tamper-evident: each row carries `hash`, SHA-256 over its fields and `prev_hash`, the hash of the
row before it in its council's chain (`seq` counts the chain; rows with no council form their
own). The database's insert trigger sets all three, under a per-council lock, so two requests at
once never fork a chain; `manage.py accesslog_verify` checks every link (chain.py).

Partitioned by month in the database (PARTITION BY RANGE on `at`, primary key (id, at)); the
table is built in raw SQL by migration 0004 and stays `managed` (so the test runner's flush and
Django's checks see it). A schema change to this model needs its migration reviewed by hand:
what Django generates must work on a partitioned table (docs/decisions/0007).
"""

import pgtrigger
from django.conf import settings
from django.db import connections, models
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


class AppendOnly(pgtrigger.Protect):
    """pgtrigger's protection, refusing with the sentence and the error code the log always gave
    (a permission refusal, not a generic error)."""

    def get_func(self, model):
        return (
            "RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege';"
        )


# UPDATE and DELETE refused in the database, for every client. Its name in PostgreSQL is
# `APPEND_ONLY_TRIGGER`.
APPEND_ONLY = AppendOnly(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


# Migration 0006: the insert, in one round trip whatever council the connection shows.
APPEND_SQL = (
    "SELECT id, seq, prev_hash, hash FROM accesslog_append(%s::timestamptz, %s::bigint, "
    "%s::bigint, %s, %s, %s, %s, %s, %s::inet, %s, %s)"
)


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
    # The chain. Set by the database on insert (whatever the insert says), and returned by it.
    seq = models.BigIntegerField(db_default=0, editable=False)
    prev_hash = models.CharField(max_length=64, db_default="", editable=False)
    hash = models.CharField(max_length=64, db_default="", editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            # Serves the page and the API: a council's rows in a time range, newest first.
            models.Index(fields=["council", "-at", "-id"], name="accesslog_council_at"),
            models.Index(
                fields=["council", "object_type", "object_id", "-at"], name="accesslog_object"
            ),
            models.Index(fields=["council", "user", "-at"], name="accesslog_user"),
            # The chain's head, read by the insert trigger; the chain's order, for the check.
            models.Index(fields=["council", "seq"], name="accesslog_chain"),
        ]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("Access-log rows cannot be changed.")
        # One statement (migration 0006): the insert returns the new row, which row-level
        # security must let it read whatever scope the connection has (a refusal is logged after
        # its request rolled back, perhaps with no council left set), so the function reads
        # with every council's rows in view for its own length only. The trigger sets the chain.
        using = kwargs.get("using") or "default"
        values = [
            self.at,
            self.council_id,
            self.user_id,
            self.username,
            self.roles,
            self.action,
            self.object_type,
            self.object_id,
            self.ip_address or None,
            self.path,
            self.outcome,
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(APPEND_SQL, values)
            self.pk, self.seq, self.prev_hash, self.hash = cursor.fetchone()
        self._state.adding = False
        self._state.db = using

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access-log rows cannot be deleted.")


class AccessLogChainHead(models.Model):
    """The newest row of each chain, kept by the database's insert trigger and never by Django.

    The trigger reads a chain's previous hash here (one row, whatever the number of partitions)
    and moves the head on in the same statement as the insert. The check compares it with the
    chain's last row, so removing the newest rows of a chain shows too. The application's
    database role is granted nothing on it: only the trigger, with the owner's rights, writes it.
    """

    # The council's id, or 0 for the chain of rows logged with no council.
    chain = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField()
    row_id = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "access log chain head"
        default_permissions = ()

    def __str__(self) -> str:
        return f"chain {self.chain} at seq {self.seq}"

    def save(self, *args, **kwargs):
        raise AppendOnlyError("Chain heads are kept by the database.")

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Chain heads are kept by the database.")


APPEND_ONLY_TRIGGER = APPEND_ONLY.get_pgid(AccessLogEntry)
