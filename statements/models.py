"""The short breaks services statement (Regulation 5), its versions and carers' views of it.

A council keeps one line of versions: draft -> consultation -> published -> superseded. The council
writes the eligibility criteria, how the range meets carers' needs and the rest; the range of
services, the grant criteria and the figures come from live records while the version is open, and
are frozen into `snapshot` when it is published, so later changes to services do not alter it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from shortbreaks.councils.models import CouncilOwned
from shortbreaks.documents.models import DocumentJob


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class StatementVersion(CouncilOwned):
    number = models.PositiveIntegerField(
        help_text="1 for the council's first statement, and so on."
    )
    title = models.CharField(max_length=200, default="Short breaks services statement")
    status = models.CharField(
        max_length=20, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lead_officer_name = models.CharField(max_length=200, blank=True)
    lead_officer_contact = models.CharField(
        max_length=300, blank=True, help_text="Email or telephone for questions."
    )
    # What the council writes. (a) the range is generated; (b) and (c) are written here.
    introduction = models.TextField(blank=True)
    universal_eligibility = models.TextField(blank=True)
    targeted_eligibility = models.TextField(blank=True)
    specialist_eligibility = models.TextField(blank=True)
    meeting_needs = models.TextField(
        blank=True, help_text="How the range is designed to meet carers' needs (Reg 5(1)(c))."
    )
    how_to_apply = models.TextField(blank=True)
    views_and_complaints = models.TextField(
        blank=True, help_text="How to give views on short breaks or complain."
    )
    changes_since_last = models.TextField(blank=True)
    views_summary = models.TextField(
        blank=True,
        help_text="A summary of carers' views on the last version or the consultation, "
        "and the council's response (Reg 5(4)).",
    )
    # A Regulation 4 category with no service needs a reason: {category value: explanation}.
    category_explanations = models.JSONField(default=dict, blank=True)
    consultation_closes_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(
        null=True, blank=True, help_text="12 months after publishing unless set."
    )
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_on = models.DateField(null=True, blank=True)
    # Everything generated from live records, frozen on publishing (see statements/content.py).
    snapshot = models.JSONField(null=True, blank=True)
    pdf_job = models.OneToOneField(
        DocumentJob, on_delete=models.PROTECT, null=True, blank=True, related_name="statement"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="statement_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=models.Q(status="published"),
                name="statement_one_published_per_council",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        return self.status in (StatementStatus.PUBLISHED, StatementStatus.SUPERSEDED)

    def consultation_open(self, today: date | None = None) -> bool:
        """Out for consultation and not past its closing date (carers' views still taken)."""
        if self.status != StatementStatus.CONSULTATION:
            return False
        closes_on = self.consultation_closes_on
        return closes_on is None or closes_on >= (today or timezone.localdate())


class StatementEvent(CouncilOwned):
    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]


class CarerFeedback(CouncilOwned):
    """A carer's view of one version, sent from the public page (no sign-in needed)."""

    version = models.ForeignKey(StatementVersion, on_delete=models.PROTECT, related_name="feedback")
    received_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    relationship = models.CharField(
        max_length=100, blank=True, help_text="e.g. parent, grandparent, young person"
    )
    views = models.TextField()
    wants_reply = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["council", "version", "-received_at"])]
