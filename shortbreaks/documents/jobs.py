"""Document jobs: queue a PDF after commit, build it in a worker, store it once.

A domain app registers a builder for its kind in `settings.DOCUMENT_BUILDERS` (a dotted path) and
creates jobs with `job_create` inside its own service. A builder is called as
`build(job=job, progress=progress)` and returns the PDF's bytes; it calls `progress(percent, note)`
as it goes, which also keeps the job's heartbeat fresh.

Each attempt claims the job with a fresh token. Only the attempt still holding the token may store
the file, so a job is never produced twice even when a worker that was thought dead wakes up. A
worker killed mid-build leaves the job `building` with an old heartbeat: the redelivered message or
the sweeper takes it over once the heartbeat is older than `DOCUMENT_JOB_STALE_SECONDS`. A failing
build is retried up to `MAX_ATTEMPTS` times and then marked failed with the reason; it never raises
into a page.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from shortbreaks.accesslog.models import Action
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.models import DocumentJob, JobStatus
from shortbreaks.documents.rendering import sha256_hex

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class JobTakenOver(Exception):
    """Another attempt claimed the job while this one was building it."""


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "DOCUMENT_JOB_STALE_SECONDS", 120))


def builder_for(kind: str) -> Callable[..., bytes]:
    try:
        return import_string(settings.DOCUMENT_BUILDERS[kind])
    except KeyError:
        raise LookupError(f"No document builder is registered for {kind!r}.") from None


def job_create(
    *, council, kind: str, title: str, download_name: str, requested_by=None
) -> DocumentJob:
    """Write the job in the caller's transaction and queue its build once that commits."""
    builder_for(kind)  # refuse an unknown kind now, not in the worker
    job = DocumentJob.objects.create(
        council=council,
        kind=kind,
        title=title[:300],
        download_name=download_name[:200],
        requested_by=requested_by,
    )
    transaction.on_commit(lambda: job_queue(job.pk))
    return job


def job_queue(job_id: int) -> None:
    from shortbreaks.documents.tasks import build_document

    build_document.delay(job_id)


def job_claim(job_id: int, *, now=None) -> tuple[DocumentJob | None, str]:
    """Take the job for one attempt, unless it is finished or another attempt is alive."""
    now = now or timezone.now()
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None, "missing"
        if job.is_finished:
            return None, job.status
        if job.status == JobStatus.BUILDING and job.heartbeat_at > now - stale_after():
            return None, "busy"
        if job.attempts >= MAX_ATTEMPTS:
            job.status = JobStatus.FAILED
            job.finished_at = now
            job.error = job.error or "The build stopped too many times."
            job.save(update_fields=["status", "finished_at", "error"])
            return None, job.status
        job.status = JobStatus.BUILDING
        job.attempts += 1
        job.token = uuid.uuid4()
        job.heartbeat_at = now
        job.started_at = now
        job.progress = 0
        job.progress_note = "Started"
        job.save()
        return job, "claimed"


class Progress:
    """What a builder calls between steps: records how far it got and that it is alive."""

    def __init__(self, job: DocumentJob):
        self.job = job

    def __call__(self, percent: int, note: str = "") -> None:
        updated = DocumentJob.objects.filter(
            pk=self.job.pk, token=self.job.token, status=JobStatus.BUILDING
        ).update(
            progress=max(0, min(99, int(percent))),
            progress_note=note[:200],
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise JobTakenOver(f"Document job {self.job.pk} was taken over.")


def job_run(job_id: int) -> str:
    """One attempt: claim, build, store. Returns what happened; raises if the build failed."""
    job, state = job_claim(job_id)
    if job is None:
        return state
    try:
        data = builder_for(job.kind)(job=job, progress=Progress(job))
    except JobTakenOver:
        return "taken over"
    except Exception as exc:
        job_attempt_failed(job, exc)
        raise
    return job_store(job, data)


def job_store(job: DocumentJob, data: bytes) -> str:
    """Store the file, if this attempt still holds the job. The file name carries the token."""
    with transaction.atomic():
        current = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if current.token != job.token or current.status != JobStatus.BUILDING:
            return "taken over"
        current.file.save("document.pdf", ContentFile(data), save=False)
        current.size = len(data)
        current.sha256 = sha256_hex(data)
        current.status = JobStatus.DONE
        current.progress = 100
        current.progress_note = "Ready"
        current.finished_at = timezone.now()
        current.error = ""
        current.save()
        access_log_record(
            actor=current.requested_by,
            action=Action.CREATE,
            obj=current,
            council=current.council,
        )
    return JobStatus.DONE


def job_attempt_failed(job: DocumentJob, exc: BaseException) -> DocumentJob | None:
    """Record why the attempt failed: back in the queue, or failed for good after the last one."""
    logger.warning("Document job %s attempt %s failed: %r", job.pk, job.attempts, exc)
    with transaction.atomic():
        current = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if current.token != job.token:
            return None
        current.error = f"{type(exc).__name__}: {exc}"[:2000]
        if current.attempts >= MAX_ATTEMPTS:
            current.status = JobStatus.FAILED
            current.finished_at = timezone.now()
        else:
            current.status = JobStatus.QUEUED
            current.token = None
            current.heartbeat_at = None
        current.save()
        return current


def jobs_sweep(*, now=None) -> list[int]:
    """Queue again every job that nobody is building: queued long ago, or a silent builder."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    ids = list(
        DocumentJob.objects.filter(
            Q(status=JobStatus.QUEUED, requested_at__lt=cutoff)
            & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))
            | Q(status=JobStatus.BUILDING, heartbeat_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
    for job_id in ids:
        job_queue(job_id)
    return ids


def job_retry(*, job: DocumentJob) -> DocumentJob:
    """Start a failed job again from the first attempt (a person asked)."""
    with transaction.atomic():
        current = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if current.status != JobStatus.FAILED:
            return current
        current.status = JobStatus.QUEUED
        current.attempts = 0
        current.token = None
        current.heartbeat_at = None
        current.progress = 0
        current.progress_note = ""
        current.save()
        transaction.on_commit(lambda: job_queue(current.pk))
        return current
