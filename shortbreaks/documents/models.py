"""A document job: one PDF the app builds in a Celery worker, and where it got to.

The row is written in the request's transaction; the task that builds it is queued after commit
(see `jobs.py`). The job, not the Celery message, is the source of truth: a worker that dies leaves
the row `building` with an old heartbeat, and the next delivery or the sweeper takes it over.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shortbreaks.councils.models import CouncilOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def _job_path(instance: DocumentJob, filename: str) -> str:
    return f"documents/{instance.council_id}/{instance.kind}/{instance.token.hex}.pdf"


class DocumentJob(CouncilOwned):
    kind = models.CharField(max_length=50, help_text="Which builder makes it (DOCUMENT_BUILDERS).")
    title = models.CharField(max_length=300)
    download_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The attempt that holds the job now; only that attempt may store the file.
    token = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_job_path, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, for staff.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="documentjob_sweep")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
