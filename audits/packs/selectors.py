"""Reads of evidence packs. A council's auditors and administrators read its packs; anyone else
reaches one pack only through a grant that has not expired (a guardian object permission and
its grant row), and only while they are an activated external auditor of the pack's council
and nothing else. Another council's pack, a missing one and an expired grant all raise the same
not-found."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from audits.models import EvidencePack, EvidencePackGrant
from audits.packs.services import OBJECT_PERM, REQUEST, VIEW
from referrals.models import ParentAccount
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Membership
from shortbreaks.councils.selectors import get_or_not_found, scoped
from shortbreaks.documents.models import JobStatus


def _packs() -> QuerySet[EvidencePack]:
    return EvidencePack.objects.select_related("job", "requested_by", "council")


def evidence_pack_list(*, actor) -> QuerySet[EvidencePack]:
    """The council's packs, newest first. Without each pack's manifest, which no list shows and
    which grows with the council (hundreds of kilobytes of JSON for a big council's referral
    records pack, read and parsed for nothing on every page of the list)."""
    if not actor.has_perm(VIEW):
        return EvidencePack.objects.none()
    return scoped(_packs().defer("manifest"), actor=actor).order_by("-requested_at", "-id")


def live_grants(*, today: date) -> QuerySet[EvidencePackGrant]:
    """Grants that count today: not past their last day, held by an external auditor of the
    pack's council who accepted their invitation, whose account is on, and who has since become
    nothing else (no parent account, no role in any council, not staff)."""
    return EvidencePackGrant.objects.filter(
        expires_on__gte=today,
        user__is_active=True,
        user__is_staff=False,
        user__is_superuser=False,
        user__external_auditor__council=F("council"),
        user__external_auditor__activated_at__isnull=False,
    ).exclude(
        Exists(Membership.objects.filter(user=OuterRef("user")))
        | Exists(ParentAccount.objects.filter(user=OuterRef("user")))
    )


def _granted(*, actor, pack_id, today: date) -> EvidencePack | None:
    if not actor.is_authenticated:
        return None
    grant = (
        live_grants(today=today)
        .filter(user=actor, pack_id=pack_id)
        .select_related("pack__job", "pack__requested_by", "pack__council")
        .first()
    )
    if grant is None or not actor.has_perm(OBJECT_PERM, grant.pack):
        return None
    pack = grant.pack
    pack.grant = grant
    return pack


def access_evidence_pack_by_id(*, actor, pack_id, today: date | None = None) -> EvidencePack:
    """The pack, for a council auditor or administrator or a person it is shared with."""
    today = today or timezone.localdate()
    if actor.is_authenticated and actor.has_perm(VIEW):
        try:
            pack = get_or_not_found(scoped(_packs(), actor=actor), pk=pack_id)
        except RecordNotFound:
            pass
        else:
            pack.grant = None
            return pack
    pack = _granted(actor=actor, pack_id=pack_id, today=today)
    if pack is None:
        raise RecordNotFound(object_type="audits.evidencepack", object_id=pack_id)
    return pack


def may_download(*, actor, pack: EvidencePack) -> bool:
    """Council auditors download their council's packs; a grantee the pack shared with them."""
    if getattr(pack, "grant", None) is not None:
        return True
    return actor.has_perm(REQUEST) and actor.active_council_id == pack.council_id


def pack_grants(*, pack: EvidencePack, today: date | None = None) -> QuerySet[EvidencePackGrant]:
    """Who has access to the pack: every grant not past its last day (shown to the council's
    auditors and administrators, who may remove any of them)."""
    today = today or timezone.localdate()
    return (
        EvidencePackGrant.objects.filter(pack=pack, expires_on__gte=today)
        .select_related("user__external_auditor", "granted_by")
        .order_by("expires_on", "id")
    )


def access_pack_grant_by_id(*, pack: EvidencePack, grant_id) -> EvidencePackGrant:
    return get_or_not_found(pack_grants(pack=pack), pk=grant_id)


def packs_shared_with(*, actor, today: date | None = None) -> QuerySet[EvidencePackGrant]:
    """The packs shared with this person that they may open today (an external auditor's home),
    soonest to end first."""
    if not actor.is_authenticated:
        return EvidencePackGrant.objects.none()
    today = today or timezone.localdate()
    permitted = get_objects_for_user(
        actor,
        OBJECT_PERM,
        klass=EvidencePack.objects.all(),
        accept_global_perms=False,
        with_superuser=False,
    )
    return (
        live_grants(today=today)
        .filter(user=actor, pack__in=permitted)
        .select_related("pack__job", "pack__council")
        .order_by("expires_on", "id")
    )


def evidence_pack_ready_count(*, actor) -> int:
    """How many of the council's packs are built and ready to download."""
    return evidence_pack_list(actor=actor).filter(job__status=JobStatus.DONE).count()
