"""Thin Celery wrappers around the document jobs (see jobs.py for what they guarantee)."""

from __future__ import annotations

from celery import shared_task

from shortbreaks import rls
from shortbreaks.documents import jobs
from shortbreaks.documents.models import DocumentJob, JobStatus


@shared_task(bind=True, name="documents.build", max_retries=jobs.MAX_ATTEMPTS + 3)
def build_document(self, job_id: int) -> str:
    if self.request.is_eager:
        # In-process (no broker): try each attempt now, and never raise into the request.
        for _ in range(jobs.MAX_ATTEMPTS):
            try:
                return jobs.job_run(job_id)
            except Exception:  # noqa: BLE001, S112 - job_run recorded it on the job and logged it
                continue
        return JobStatus.FAILED
    try:
        state = jobs.job_run(job_id)
    except Exception as exc:
        job = DocumentJob.objects.filter(pk=job_id).only("status", "attempts").first()
        if job is not None and job.status == JobStatus.QUEUED:
            raise self.retry(exc=exc, countdown=2**job.attempts) from exc
        return JobStatus.FAILED
    if state == "busy":
        # Another attempt may still be alive; look again once its heartbeat would be stale.
        raise self.retry(countdown=jobs.stale_after().total_seconds())
    return state


@shared_task(name="documents.sweep")
def sweep_documents() -> list[int]:
    """Each council's stalled jobs are sent again, each carrying its council."""
    return [job_id for found in rls.each_council(jobs.jobs_sweep) for job_id in found]
