"""Every write about evidence packs: request one, try a failed one again, share one with an
external auditor until a date, remove that access, and let those grants expire.

A pack and its document job are written in the request's transaction; the build is queued after
commit (`shortbreaks.documents.jobs`). Only an auditor shares a pack, and only with an external
auditor the council invited who has set their password (`audits.auditors.services`); anyone else
is refused with the reason. A grant is a django-guardian object permission
(`audits.view_evidencepack`) on the one pack plus an `EvidencePackGrant` row with the last day it
counts; after that day the grant counts for nothing, and the daily task removes both. Auditors
and council administrators remove a grant. Every grant and removal writes the access log.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from audits.auditors.services import pack_recipient
from audits.models import EvidencePack, EvidencePackGrant, PackKind
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.documents import jobs
from shortbreaks.documents.models import JobStatus
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

VIEW = "audits.view_evidence_pack"
REQUEST = "audits.request_evidence_pack"
GRANT = "audits.grant_evidence_pack"
REVOKE = "audits.revoke_evidence_pack_grant"
NAMES = "audits.view_child_names"
OBJECT_PERM = "audits.view_evidencepack"
JOB_KIND = "evidence_pack"
# The longest period one pack covers, and the longest an external grant lasts.
MAX_PERIOD = timedelta(days=366 * 6)
MAX_GRANT = timedelta(days=366)
EARLIEST = date(2000, 1, 1)


def may_include_names(actor) -> bool:
    """Children's names only for a person granted them who may also read children's records."""
    return bool(
        actor.is_authenticated
        and actor.has_perm(NAMES)
        and actor.has_perm("referrals.view_child")
        and actor.has_perm(REQUEST)
    )


def date_errors(*, period_start, period_end, as_at, today) -> dict[str, str]:
    """The rules for a pack's dates, by field; the request form shows them beside its own."""
    errors: dict[str, str] = {}
    if period_start and period_start < EARLIEST:
        errors["period_start"] = "The start of the period must be in 2000 or later"
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = "The end of the period must be the same as or after its start"
        elif period_end - period_start > MAX_PERIOD:
            errors["period_end"] = "The period must be 6 years or shorter"
    if as_at:
        if as_at > today:
            errors["as_at"] = "The 'as at' date must be today or in the past"
        elif period_start and as_at < period_start:
            errors["as_at"] = (
                "The 'as at' date must be the same as or after the start of the period"
            )
    return errors


def _check_request(*, actor, kind, period_start, period_end, as_at, include_names, today):
    errors: dict[str, str] = {}
    if kind not in PackKind.values:
        errors["kind"] = "Choose which evidence pack you need"
    errors.update(
        date_errors(period_start=period_start, period_end=period_end, as_at=as_at, today=today)
    )
    if include_names and not may_include_names(actor):
        errors["include_names"] = "You have not been granted children's names in evidence packs"
    if include_names and kind != PackKind.REFERRAL_RECORDS:
        errors["include_names"] = "Only a referral records pack can show children's names"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evidence_pack_request(
    *,
    actor,
    kind: str,
    period_start: date,
    period_end: date,
    as_at: date,
    include_names: bool = False,
    today: date | None = None,
    request=None,
) -> EvidencePack:
    """Write the pack and its document job; the build starts once this commits."""
    require_perm(actor, REQUEST)
    today = today or timezone.localdate()
    _check_request(
        actor=actor,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        as_at=as_at,
        include_names=include_names,
        today=today,
    )
    label = PackKind(kind).label
    job = jobs.job_create(
        council=actor.active_council,
        kind=JOB_KIND,
        title=f"{label} evidence pack as at {as_at:%d/%m/%Y}",
        download_name=f"evidence-pack-{kind.replace('_', '-')}-as-at-{as_at:%Y-%m-%d}.pdf",
        requested_by=actor,
    )
    pack = EvidencePack.objects.create(
        council=actor.active_council,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        as_at=as_at,
        include_names=bool(include_names),
        requested_by=actor,
        job=job,
    )
    access_log_record(actor=actor, action="create", obj=pack, request=request)
    return pack


def _own_council(actor, pack: EvidencePack) -> None:
    """Only the council's own people change its packs; anyone else is told it does not exist
    (a person a pack is shared with holds no role in it)."""
    if pack.council_id != actor.active_council_id:
        raise RecordNotFound(object_type="audits.evidencepack", object_id=pack.pk)


@transaction.atomic
def evidence_pack_retry(*, actor, pack: EvidencePack, request=None) -> EvidencePack:
    """Build a failed pack again, from the first attempt."""
    require_perm(actor, REQUEST)
    _own_council(actor, pack)
    if pack.job.status != JobStatus.FAILED:
        raise TransitionNotAllowed("Only a pack that failed to build can be tried again.")
    jobs.job_retry(job=pack.job)
    pack.job.refresh_from_db()
    access_log_record(actor=actor, action="change", obj=pack, request=request)
    return pack


@transaction.atomic
def evidence_pack_grant(
    *, actor, pack: EvidencePack, email: str, expires_on: date | None, today=None, request=None
) -> EvidencePackGrant:
    """Share this one pack with an external auditor the council invited, until the end of
    `expires_on`. Auditors only; anyone but an activated external auditor of the pack's council
    is refused with the reason."""
    require_perm(actor, GRANT)
    _own_council(actor, pack)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    person = None
    try:
        person = pack_recipient(council=pack.council, email=email)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    else:
        if pack.include_names and not person.has_perm(NAMES):
            errors["email"] = (
                "This pack shows children's names: share it only with someone granted children's "
                "names in evidence packs"
            )
    if expires_on is None:
        errors["expires_on"] = "Enter the last day they may see the pack"
    elif expires_on < today:
        errors["expires_on"] = "The last day must be today or in the future"
    elif expires_on > today + MAX_GRANT:
        errors["expires_on"] = "The last day must be within a year from today"
    if errors:
        raise ValidationError(errors)
    grant, created = EvidencePackGrant.objects.get_or_create(
        pack=pack,
        user=person,
        defaults={"council": pack.council, "expires_on": expires_on, "granted_by": actor},
    )
    if not created:
        grant.expires_on, grant.granted_by = expires_on, actor
        grant.save(update_fields=["expires_on", "granted_by"])
    assign_perm(OBJECT_PERM, person, pack)
    access_log_record(
        actor=actor, action="create" if created else "change", obj=grant, request=request
    )
    return grant


@transaction.atomic
def evidence_pack_grant_remove(*, actor, grant: EvidencePackGrant, request=None) -> None:
    """Stop sharing the pack with that person now (auditors and council administrators)."""
    require_perm(actor, REVOKE)
    _own_council(actor, grant.pack)
    remove_perm(OBJECT_PERM, grant.user, grant.pack)
    # The access log has no "removed": a change to the grant, at the removal's own path.
    access_log_record(actor=actor, action="change", obj=grant, request=request)
    grant.delete()


@transaction.atomic
def evidence_pack_grants_expire(*, today: date) -> int:
    """Daily: remove every grant whose last day has passed, with its object permission."""
    expired = list(
        EvidencePackGrant.objects.filter(expires_on__lt=today).select_related("user", "pack")
    )
    for grant in expired:
        remove_perm(OBJECT_PERM, grant.user, grant.pack)
        grant.delete()
    return len(expired)
