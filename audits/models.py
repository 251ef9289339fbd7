"""Internal audit reports, their recommendations, and the records that evidence them.

A recommendation's status and management action change only through `audits/services.py`; each
change writes a `RecommendationEvent`, which is the recommendation's history. Its status changes
are declared once, as transitions on the model (shortbreaks.states). An evidence link
points at exactly one record of the same council: a contract, an extension, a monitoring record
or a referral document.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts.models import Contract, Extension, MonitoringRecord
from referrals.models import ReferralDocument
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.events import TypedEvent
from shortbreaks.states import FSMField, declared_steps, transition


class AssuranceRating(models.TextChoices):
    SUBSTANTIAL = "substantial", "Substantial"
    REASONABLE = "reasonable", "Reasonable"
    LIMITED = "limited", "Limited"
    UNSATISFACTORY = "unsatisfactory", "Unsatisfactory"


class Priority(models.TextChoices):
    FUNDAMENTAL = "fundamental", "Fundamental"
    SIGNIFICANT = "significant", "Significant"
    MERITS_ATTENTION = "merits_attention", "Merits attention"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


# Who may change a recommendation's status or action (shortbreaks.permissions).
UPDATE_RECOMMENDATION = "audits.update_recommendation"


class AuditReport(CouncilOwned):
    title = models.CharField(max_length=300)
    period_start = models.DateField(help_text="The start of the period the audit covers.")
    period_end = models.DateField(help_text="The end of the period the audit covers.")
    auditor = models.CharField(max_length=200, help_text="The audit body or person.")
    report_date = models.DateField()
    rating = models.CharField(max_length=20, choices=AssuranceRating.choices)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The earlier report this one follows up.",
    )
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-report_date", "-id"]
        indexes = [models.Index(fields=["council", "report_date"])]

    def __str__(self) -> str:
        return self.title


# Each recommendation's status as it stood at any moment since it was recorded (`audits.packs`
# reads an "as at" date's status from here; see "Records as they stood" below).
@pghistory.track(
    pghistory.InsertEvent("recorded", trigger_name="as_at_recorded"),
    pghistory.UpdateEvent("changed", trigger_name="as_at_changed"),
    fields=["council", "status", "status_date"],
    obj_field=pghistory.ObjForeignKey(related_name="+"),
    context_field=None,
    model_name="RecommendationHistory",
    meta={
        "indexes": [
            models.Index(fields=["pgh_obj", "pgh_created_at"], name="recommendationhistory_as_at")
        ]
    },
)
class Recommendation(CouncilOwned):
    report = models.ForeignKey(
        AuditReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    reference = models.CharField(
        max_length=20, help_text="The number in the report, like 1 or 2.3."
    )
    text = models.TextField()
    priority = models.CharField(max_length=20, choices=Priority.choices)
    management_action = models.TextField(blank=True)
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="Who owns the action: name and role, as text."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_actions",
    )
    review_date = models.DateField(null=True, blank=True)
    review_note = models.CharField(
        max_length=300, blank=True, help_text="For example, ongoing oversight through JCDG."
    )
    status = FSMField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    status_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "reference"], name="recommendation_unique_reference"
            )
        ]
        indexes = [
            models.Index(fields=["council", "status", "review_date"]),
            models.Index(fields=["council", "report"]),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.reference}"

    @property
    def owner_display(self) -> str:
        person = (self.owner.get_full_name() or self.owner.get_username()) if self.owner else ""
        if person and self.owner_name:
            return f"{self.owner_name} ({person})"
        return self.owner_name or person

    def is_overdue(self, today) -> bool:
        return bool(
            self.review_date
            and self.review_date < today
            and self.status != RecommendationStatus.COMPLETE
        )

    # Status changes: any status may move to either of the others; a recommendation is never
    # moved to the status it has. `audits.services.recommendation_change_status` makes them.

    @transition(
        field=status,
        source=[RecommendationStatus.OPEN, RecommendationStatus.COMPLETE],
        target=RecommendationStatus.IN_PROGRESS,
        permission=UPDATE_RECOMMENDATION,
        custom={
            "label": "Mark as in progress",
            "refused": "The recommendation is already in progress.",
        },
    )
    def start(self):
        pass

    @transition(
        field=status,
        source=[RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS],
        target=RecommendationStatus.COMPLETE,
        permission=UPDATE_RECOMMENDATION,
        custom={"label": "Mark as complete", "refused": "The recommendation is already complete."},
    )
    def complete(self):
        pass

    @transition(
        field=status,
        source=[RecommendationStatus.IN_PROGRESS, RecommendationStatus.COMPLETE],
        target=RecommendationStatus.OPEN,
        permission=UPDATE_RECOMMENDATION,
        custom={"label": "Open again", "refused": "The recommendation is already open."},
    )
    def reopen(self):
        pass


# The declared step that moves a recommendation to each status.
STEP_TO = declared_steps(Recommendation)


class EventKind(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    STATUS = "status", "Status changed"
    ACTION = "action", "Management action changed"
    DETAILS = "details", "Details changed"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"


class RecommendationEvent(TypedEvent, CouncilOwned):
    """One line of a recommendation's history: what changed, on which date, who and why. Written
    by one function per kind in `audits/events.py`; `summary` is what the history shows."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    on = models.DateField()
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        EventKind.RECORDED: "Recorded",
        EventKind.STATUS: "{from} to {to}",
        EventKind.ACTION: "Management action changed",
        EventKind.DETAILS: "Details changed",
        EventKind.EVIDENCE_ADDED: "Evidence added",
        EventKind.EVIDENCE_REMOVED: "Evidence removed",
    }

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["council", "recommendation"])]


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    EXTENSION = "extension", "Contract extension"
    MONITORING = "monitoring", "Monitoring record"
    REFERRAL_DOCUMENT = "referral_document", "Referral document"


# The field of EvidenceLink that each kind fills.
EVIDENCE_FIELDS = {
    EvidenceKind.CONTRACT: "contract",
    EvidenceKind.EXTENSION: "extension",
    EvidenceKind.MONITORING: "monitoring_record",
    EvidenceKind.REFERRAL_DOCUMENT: "referral_document",
}


def _exactly(kind: str, field: str) -> Q:
    others = [f for f in EVIDENCE_FIELDS.values() if f != field]
    q = Q(kind=kind, **{f"{field}__isnull": False})
    for other in others:
        q &= Q(**{f"{other}__isnull": True})
    return q


class EvidenceLink(CouncilOwned):
    """A record that evidences a recommendation. Evidenced records cannot be deleted."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence_links"
    )
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extension = models.ForeignKey(
        Extension, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    monitoring_record = models.ForeignKey(
        MonitoringRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral_document = models.ForeignKey(
        ReferralDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True, help_text="What it shows.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    _exactly(EvidenceKind.CONTRACT, "contract")
                    | _exactly(EvidenceKind.EXTENSION, "extension")
                    | _exactly(EvidenceKind.MONITORING, "monitoring_record")
                    | _exactly(EvidenceKind.REFERRAL_DOCUMENT, "referral_document")
                ),
                name="evidence_link_one_record",
            ),
            *[
                models.UniqueConstraint(
                    fields=["recommendation", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"evidence_link_unique_{field}",
                )
                for field in EVIDENCE_FIELDS.values()
            ],
        ]

    @property
    def record(self):
        return getattr(self, EVIDENCE_FIELDS[self.kind])

    @property
    def record_id(self) -> int:
        return getattr(self, f"{EVIDENCE_FIELDS[self.kind]}_id")


# ----------------------------------------------------------------------------------------------
# Evidence packs (services in audits/packs/services.py, content in audits/packs/content.py)


class PackKind(models.TextChoices):
    CONTRACT_COMPLIANCE = "contract_compliance", "Contract compliance"
    DPS = "dps", "Dynamic purchasing systems"
    REFERRAL_RECORDS = "referral_records", "Referral records"
    MONITORING = "monitoring", "Contract monitoring"
    RECOMMENDATIONS = "recommendations", "Audit recommendations"


class EvidencePack(CouncilOwned):
    """A PDF of the council's records for a period, as they stood on the "as at" date.

    The PDF is built by a document job; the manifest lists every record and attached document
    in it, with each stored file's SHA-256."""

    kind = models.CharField(max_length=30, choices=PackKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    as_at = models.DateField(help_text="The records as they stood at the end of this day.")
    include_names = models.BooleanField(
        default=False, help_text="Children's names shown (only for auditors granted them)."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    job = models.OneToOneField(
        "documents.DocumentJob", on_delete=models.PROTECT, related_name="evidence_pack"
    )
    manifest = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["council", "-requested_at"], name="evidencepack_list")]
        # Granted per person (a user or group permission), never by role alone.
        permissions = [("view_child_names", "May see children's names in evidence packs")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} evidence pack as at {self.as_at:%d/%m/%Y}"


class EvidencePackGrant(CouncilOwned):
    """One pack shared with one external auditor until a date, beside the guardian grant
    `audits.view_evidencepack`. After `expires_on` the grant counts for nothing, and the daily
    task removes it with its guardian permission."""

    pack = models.ForeignKey(EvidencePack, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_pack_grants"
    )
    expires_on = models.DateField(help_text="The last day the grant counts.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "user"], name="evidence_pack_grant_once")
        ]
        indexes = [models.Index(fields=["user", "expires_on"], name="evidencepackgrant_user")]


# ----------------------------------------------------------------------------------------------
# External auditors (services in audits/auditors/services.py)


class ExternalAuditor(CouncilOwned):
    """A person outside the council whom it invited, by email, to see evidence packs it shares.

    The account is of its own kind: never a parent carer's account, never made by signing up,
    never holding a role in any council. It is made (inactive, with no usable password) when an
    auditor invites the email address, so no one can take the address first, and it is switched
    on when the person follows the emailed link and sets their own password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_auditor"
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Who they audit for, like an audit firm."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(
        null=True, blank=True, help_text="When they accepted an invitation and set a password."
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["council", "invited_at"], name="externalauditor_list")]

    def __str__(self) -> str:
        return f"External auditor {self.user.email}"

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None and self.user.is_active


class InvitationState(models.TextChoices):
    OPEN = "open", "Waiting for them to accept"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Link expired"
    WITHDRAWN = "withdrawn", "Replaced by a newer invitation"


class ExternalAuditorInvitation(CouncilOwned):
    """One emailed invitation to be an external auditor of the council. Only the SHA-256 of its
    one-time token is kept; the link works once, until `expires_at`, and a newer invitation to
    the same person withdraws it."""

    auditor = models.ForeignKey(
        ExternalAuditor, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(help_text="Where the link was sent.")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["auditor"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="external_auditor_one_open_invitation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="external_auditor_invitation_accepted_or_withdrawn",
            ),
        ]
        indexes = [models.Index(fields=["council", "-created_at"], name="auditorinvitation_list")]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    def state(self, now) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationState.WITHDRAWN
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.OPEN


# ----------------------------------------------------------------------------------------------
# Records as they stood: a row for each time a tracked record was written (PostgreSQL triggers,
# django-pghistory), with the fields an evidence pack reads "as at" a date. A pack reads the
# latest row written before the end of its "as at" day. Rows start when tracking started (the
# migration that added it wrote one "baseline" row per record then); for an earlier "as at" date
# the pack works the state out from the records' events as before (`audits.packs.content`).


class ContractHistory(
    pghistory.create_event_model(
        Contract,
        pghistory.InsertEvent("recorded", trigger_name="as_at_recorded"),
        pghistory.UpdateEvent("changed", trigger_name="as_at_changed"),
        fields=["council", "status", "end_date", "total_value"],
        obj_field=pghistory.ObjForeignKey(related_name="+"),
        context_field=None,
        model_name="BaseContractHistory",
        app_label="audits",
    )
):
    """A contract's status, end date and total value each time they were written."""

    class Meta:
        indexes = [models.Index(fields=["pgh_obj", "pgh_created_at"], name="contracthistory_as_at")]
