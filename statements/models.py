"""The short breaks services statement (Regulation 5), its versions and carers' views of it.

A council keeps one line of versions: draft -> consultation -> published -> superseded, each step
declared once on `StatementVersion` (see shortbreaks/states.py), with the named permission it
needs and the sentence that explains a refusal. The council
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
from shortbreaks.events import TypedEvent
from shortbreaks.states import FSMField, transition

MANAGE = "statements.manage_statement"
PUBLISH = "statements.publish_statement"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


# A version that may still change: a draft, or one out for consultation.
OPEN_STATUSES = (StatementStatus.DRAFT, StatementStatus.CONSULTATION)


class StatementVersion(CouncilOwned):
    number = models.PositiveIntegerField(
        help_text="1 for the council's first statement, and so on."
    )
    title = models.CharField(max_length=200, default="Short breaks services statement")
    status = FSMField(max_length=20, choices=StatementStatus.choices, default=StatementStatus.DRAFT)
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

    # The status changes, declared once. Services make them with `shortbreaks.states.step`; pages
    # ask `states.may` / `{% may version "publish" as ok %}`. A step whose target is None checks
    # the status without changing it (editing, the review date, carers' views).

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=None,
        permission=MANAGE,
        custom={
            "label": "Change the statement",
            "refused": "A published statement cannot be changed. Create a new draft instead.",
        },
    )
    def edit(self):
        pass

    @transition(
        field=status,
        source=[StatementStatus.DRAFT],
        target=StatementStatus.CONSULTATION,
        permission=MANAGE,
        custom={
            "label": "Start the consultation",
            "refused": "Only a draft can go out for consultation.",
        },
    )
    def start_consultation(self):
        pass

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=StatementStatus.PUBLISHED,
        permission=PUBLISH,
        custom={
            "label": "Publish",
            "refused": "This version has already been published: create a new draft to change "
            "the statement.",
        },
    )
    def publish(self):
        pass

    @transition(
        field=status,
        source=[StatementStatus.PUBLISHED],
        target=StatementStatus.SUPERSEDED,
        permission=PUBLISH,
        custom={
            "label": "Supersede",
            "refused": "Only the published version can be superseded.",
        },
    )
    def supersede(self):
        pass

    @transition(
        field=status,
        source=[*OPEN_STATUSES, StatementStatus.PUBLISHED],
        target=None,
        permission=MANAGE,
        custom={
            "label": "Set the review date",
            "refused": "A superseded statement is no longer reviewed.",
        },
    )
    def set_review_date(self):
        pass

    @transition(
        field=status,
        source=[StatementStatus.CONSULTATION, StatementStatus.PUBLISHED],
        target=None,
        custom={
            "label": "Give your views",
            "refused": "Views can be given only on the current statement.",
        },
    )
    def take_views(self):
        pass

    @property
    def is_frozen(self) -> bool:
        return self.status in (StatementStatus.PUBLISHED, StatementStatus.SUPERSEDED)

    def consultation_open(self, today: date | None = None) -> bool:
        """Out for consultation and not past its closing date (carers' views still taken)."""
        if self.status != StatementStatus.CONSULTATION:
            return False
        closes_on = self.consultation_closes_on
        return closes_on is None or closes_on >= (today or timezone.localdate())


class StatementEventKind(models.TextChoices):
    CREATED = "created", "Draft created"
    COPIED = "copied", "Draft created from an earlier version"
    CHANGED = "changed", "Sections changed"
    CONSULTATION_STARTED = "consultation_started", "Out for consultation"
    PUBLISHED_EARLY = "published_early", "Published before its consultation closed"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    REVIEW_DATE_SET = "review_date_set", "Review date set"
    VIEWS_RECEIVED = "views_received", "Views received from a carer"


class StatementEvent(TypedEvent, CouncilOwned):
    """One line of a version's history, written through `statements/events.py` (one function a
    kind); what happened is kept in `params` and worded by `SUMMARIES`."""

    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=StatementEventKind.choices)

    SUMMARIES = {
        StatementEventKind.CREATED: "Draft created",
        StatementEventKind.COPIED: "Draft created from version {source}",
        StatementEventKind.CHANGED: "Changed: {labels}",
        StatementEventKind.CONSULTATION_STARTED: "Out for consultation until {closes_on:%-d %B %Y}",
        StatementEventKind.PUBLISHED_EARLY: (
            "Published before its consultation closed, as confirmed"
        ),
        StatementEventKind.PUBLISHED: "Published; review by {review_on:%-d %B %Y}",
        StatementEventKind.SUPERSEDED: "Superseded by version {by}",
        StatementEventKind.REVIEW_DATE_SET: "Review date set to {review_on:%-d %B %Y}",
        StatementEventKind.VIEWS_RECEIVED: "Views received from a carer",
    }

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
