"""Document jobs: queued after commit, built once, retried on failure, taken over when a worker
dies. Most tests build in-process to look at the result; the last one kills a real worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.documents import jobs
from shortbreaks.documents.models import DocumentJob, JobStatus
from shortbreaks.documents.rendering import sha256_hex
from shortbreaks.documents.tasks import build_document, sweep_documents
from tests.factories import CouncilFactory
from tests.workers import kill, start_worker, wait_for

ROOT = Path(__file__).resolve().parents[2]


def make_job(council, title="Contract compliance", **kwargs) -> DocumentJob:
    return jobs.job_create(
        council=council, kind="test", title=title, download_name="pack.pdf", **kwargs
    )


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


@pytest.mark.django_db
def test_the_build_is_queued_only_after_commit(django_capture_on_commit_callbacks):
    council = CouncilFactory()
    with mock.patch.object(jobs, "job_queue") as queue:
        with django_capture_on_commit_callbacks() as callbacks:
            job = make_job(council)
            queue.assert_not_called()
        assert len(callbacks) == 1
        callbacks[0]()
        queue.assert_called_once_with(job.pk)
    assert job.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_a_job_rolled_back_with_its_request_is_never_queued(django_capture_on_commit_callbacks):
    council = CouncilFactory()
    with mock.patch.object(jobs, "job_queue") as queue:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                make_job(council)
                raise RuntimeError("the request failed")
        queue.assert_not_called()
    assert not DocumentJob.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(LookupError):
        jobs.job_create(council=CouncilFactory(), kind="nope", title="x", download_name="x.pdf")


@pytest.mark.django_db
def test_a_built_job_stores_its_file_and_checksum_and_logs_it(eager, make_person):
    council = CouncilFactory()
    person = make_person(council, "auditor")
    job = make_job(council, requested_by=person)
    assert build_document.delay(job.pk).get() == JobStatus.DONE
    job.refresh_from_db()
    data = job.file.read()
    assert data.startswith(b"%PDF")
    assert job.sha256 == sha256_hex(data)
    assert job.size == len(data)
    assert (job.progress, job.attempts, job.error) == (100, 1, "")
    assert (
        AccessLogEntry.objects.filter(
            object_type="documents.documentjob", object_id=str(job.pk), action="create", user=person
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_finished_job_is_never_built_again(eager):
    job = make_job(CouncilFactory())
    build_document.delay(job.pk)
    job.refresh_from_db()
    first = (job.file.name, job.sha256)
    assert build_document.delay(job.pk).get() == JobStatus.DONE
    job.refresh_from_db()
    assert (job.file.name, job.sha256, job.attempts) == (*first, 1)


@pytest.mark.django_db
def test_a_failing_build_is_retried_and_then_succeeds(eager):
    job = make_job(CouncilFactory(), title="fail:2")
    assert build_document.delay(job.pk).get() == JobStatus.DONE
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 3


@pytest.mark.django_db
def test_a_build_that_always_fails_is_marked_failed_with_its_reason_and_raises_nothing(eager):
    job = make_job(CouncilFactory(), title="fail:9")
    assert build_document.delay(job.pk).get() == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == jobs.MAX_ATTEMPTS
    assert "Refused on attempt 3" in job.error
    assert not job.file
    # A person can ask again, from the first attempt.
    jobs.job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)


@pytest.mark.django_db
def test_a_live_attempt_keeps_the_job_and_a_silent_one_loses_it():
    job = make_job(CouncilFactory())
    claimed, state = jobs.job_claim(job.pk)
    assert state == "claimed"
    assert jobs.job_claim(job.pk) == (None, "busy")
    later = timezone.now() + jobs.stale_after() + timedelta(seconds=1)
    second, state = jobs.job_claim(job.pk, now=later)
    assert state == "claimed" and second.token != claimed.token
    # The first attempt wakes up: it can neither report progress nor store its file.
    with pytest.raises(jobs.JobTakenOver):
        jobs.Progress(claimed)(50, "late")
    assert jobs.job_store(claimed, b"%PDF-late") == "taken over"
    assert jobs.job_store(second, b"%PDF-1.7 second") == JobStatus.DONE
    job.refresh_from_db()
    assert job.sha256 == sha256_hex(b"%PDF-1.7 second")


@pytest.mark.django_db
def test_the_sweeper_queues_again_only_what_nobody_is_building():
    council = CouncilFactory()
    fresh = make_job(council, title="fresh")
    stuck = make_job(council, title="stuck")
    building = make_job(council, title="building")
    done = make_job(council, title="done")
    old = timezone.now() - jobs.stale_after() - timedelta(minutes=1)
    DocumentJob.objects.filter(pk__in=[stuck.pk, building.pk, done.pk]).update(requested_at=old)
    DocumentJob.objects.filter(pk=building.pk).update(status=JobStatus.BUILDING, heartbeat_at=old)
    DocumentJob.objects.filter(pk=done.pk).update(status=JobStatus.DONE)
    with mock.patch.object(jobs, "job_queue") as queue:
        assert sorted(sweep_documents()) == sorted([stuck.pk, building.pk])
    assert sorted(call.args[0] for call in queue.call_args_list) == sorted([stuck.pk, building.pk])
    assert fresh.pk not in [call.args[0] for call in queue.call_args_list]


@pytest.mark.django_db
def test_hostile_markup_cannot_reach_local_files_or_other_hosts(eager):
    job = make_job(CouncilFactory(), title='<img src="file:///etc/passwd">')
    build_document.delay(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE  # the title is escaped, and the fetcher refuses anyway


# --- a real worker, killed mid-build ---------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_does_not_lose_the_job_nor_build_it_twice():
    council = CouncilFactory()
    with transaction.atomic():
        job = make_job(council, title="slow:6")
    first = start_worker()
    try:
        assert wait_for(lambda: DocumentJob.objects.filter(pk=job.pk, progress__gte=20).exists()), (
            "the first worker never started the job"
        )
        kill(first)  # no warm shutdown, no acknowledgement
        job.refresh_from_db()
        assert job.status == JobStatus.BUILDING and job.attempts == 1
        first_token = job.token
        second = start_worker()
        try:
            # The sweeper finds the silent job once its heartbeat is stale and queues it again.
            assert wait_for(lambda: job.pk in sweep_documents() or _done(job), timeout=30)
            assert wait_for(lambda: _done(job)), "the job was never completed"
        finally:
            kill(second)
    finally:
        kill(first)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert job.sha256 == sha256_hex(job.file.read())
    assert (
        AccessLogEntry.objects.filter(
            object_type="documents.documentjob", object_id=str(job.pk), action="create"
        ).count()
        == 1
    )
    # The killed attempt stored nothing.
    assert not Path(settings.MEDIA_ROOT, job.file.name).with_name(f"{first_token.hex}.pdf").exists()


def _done(job) -> bool:
    return DocumentJob.objects.filter(pk=job.pk, status=JobStatus.DONE).exists()
