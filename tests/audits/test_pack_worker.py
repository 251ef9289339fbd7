"""A real Celery worker killed while it builds an evidence pack: the sweeper queues the pack
again, a second worker completes it, and it is stored (and logged) once. Runs where PostgreSQL
and Redis are (REDIS_URL and DATABASE_URL set, as CI sets them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from audits.packs import services as pack_services
from contracts.models import Contract, ContractKind, ContractStatus
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.documents.models import DocumentJob, JobStatus
from shortbreaks.documents.rendering import sha256_hex
from shortbreaks.documents.tasks import sweep_documents
from tests.workers import kill, start_worker, wait_for

ROOT = Path(__file__).resolve().parents[2]
# Enough contracts that the pack takes some seconds, in many sections.
CONTRACTS = 400


def _done(job_id) -> bool:
    return DocumentJob.objects.filter(pk=job_id, status=JobStatus.DONE).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_pack_does_not_lose_it_nor_build_it_twice(two_councils):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    council = auditor.active_council
    Contract.objects.bulk_create(
        Contract(
            council=council,
            reference=f"BULK-{number:04d}",
            title=f"Short breaks contract {number}",
            kind=ContractKind.BLOCK,
            status=ContractStatus.ACTIVE,
            procurement_route="Open tender",
            start_date=date(2023, 4, 1),
            end_date=date(2026, 3, 31),
        )
        for number in range(CONTRACTS)
    )
    with transaction.atomic():
        pack = pack_services.evidence_pack_request(
            actor=auditor,
            kind="contract_compliance",
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            as_at=date(2025, 6, 30),
        )
    job_id = pack.job_id
    first = start_worker()
    try:
        assert wait_for(
            lambda: DocumentJob.objects.filter(
                pk=job_id, status=JobStatus.BUILDING, progress__gte=15
            ).exists()
        ), "the first worker never got into the pack"
        kill(first)  # no warm shutdown, no acknowledgement
        job = DocumentJob.objects.get(pk=job_id)
        assert job.status == JobStatus.BUILDING and job.attempts == 1, (job.status, job.progress)
        first_token = job.token
        second = start_worker()
        try:
            # The sweeper finds the silent job once its heartbeat is stale and queues it again.
            assert wait_for(lambda: job_id in sweep_documents() or _done(job_id), timeout=30)
            assert wait_for(lambda: _done(job_id), timeout=180), "the pack was never completed"
        finally:
            kill(second)
    finally:
        kill(first)
    job = DocumentJob.objects.get(pk=job_id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    data = job.file.read()
    assert job.sha256 == sha256_hex(data)
    assert data.startswith(b"%PDF")
    pack.refresh_from_db()
    assert len([r for r in pack.manifest["records"] if r["model"] == "contracts.contract"]) == (
        CONTRACTS
    )
    assert (
        AccessLogEntry.objects.filter(
            object_type="documents.documentjob", object_id=str(job_id), action="create"
        ).count()
        == 1
    )
    # The killed attempt stored nothing.
    assert not Path(settings.MEDIA_ROOT, job.file.name).with_name(f"{first_token.hex}.pdf").exists()


def test_a_worker_finds_the_pack_grant_task_through_the_apps_tasks_module():
    """No CELERY_IMPORTS: autodiscovery loads audits/tasks.py, which brings the packs' tasks."""
    from celery.loaders.base import find_related_module

    from shortbreaks.celery import app

    assert not getattr(settings, "CELERY_IMPORTS", None)
    assert not app.conf.imports
    found = find_related_module("audits", "tasks")
    assert found.expire_pack_grants.name == "audits.expire_pack_grants"
    assert "audits.expire_pack_grants" in app.tasks
