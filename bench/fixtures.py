"""What the bench needs beyond the generated rows, made through the app's own services: the bench
people's passwords, each measured council's published statement and its evidence packs. Then the
ids of the records the measurement opens.

    python -m bench.fixtures      (in the served app's environment: bench.config.app_environment)

Prints one JSON object. Safe to run again on a reused database: what exists is left as it is.
This is work outside a request, so it runs across every council (shortbreaks.rls).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

STATEMENT_TEXT = {
    "title": "Short breaks services statement",
    "lead_officer_name": "Head of Disabled Children's Services",
    "lead_officer_contact": "shortbreaks@council.example",
    "introduction": "How the council helps parent carers of disabled children take a break from "
    "caring, and how families get short breaks.",
    "universal_eligibility": "Universal short breaks are open to every child and young person, "
    "including disabled children, without an assessment. Contact the provider directly.",
    "targeted_eligibility": "The short breaks grant is for disabled children and young people "
    "who need some extra help to take part in activities, without a social care assessment.",
    "specialist_eligibility": "Specialist short breaks follow an assessment of the child's and "
    "the parent carer's needs, agreed by the resource panel and reviewed every six months.",
    "meeting_needs": "Short breaks give parent carers time to rest, work, study and look after "
    "their other children: clubs close to home, the grant, and day and overnight care.",
    "how_to_apply": "Universal services: contact the provider. The grant: apply online. "
    "Specialist short breaks: ask the Disabled Children's Team for an assessment.",
    "views_and_complaints": "Tell us what you think with the form on this page or through the "
    "Parent Carer Forum; complain through the children's services complaints procedure.",
    "views_summary": "Parent carers asked for more weekend and holiday places; the range now has "
    "more Saturday clubs.",
    "changes_since_last": "The first statement for this council.",
}


def _statement(actor, council, today):
    from statements import services
    from statements.content import build_content
    from statements.models import StatementStatus, StatementVersion

    published = StatementVersion.objects.filter(
        council=council, status=StatementStatus.PUBLISHED
    ).first()
    if published is not None:
        return published
    version = services.statement_draft_create(actor=actor)
    explanations = {
        row["category"]: "Families assessed as needing it can use a direct payment to buy it."
        for row in build_content(version)["categories_without_service"]
    }
    version = services.statement_update(
        actor=actor, version=version, **STATEMENT_TEXT, category_explanations=explanations
    )
    return services.statement_publish(actor=actor, version=version, today=today)


def _packs(actor, today) -> dict[str, int]:
    """One pack of each kind for the last full quarter, and a year's contract-compliance pack:
    each one's document job, which the worker builds."""
    from audits.models import EvidencePack, PackKind
    from audits.packs.services import evidence_pack_request

    quarter_end = today.replace(day=1) - timedelta(days=1)
    while quarter_end.month % 3:
        quarter_end = quarter_end.replace(day=1) - timedelta(days=1)
    quarter_start = quarter_end.replace(month=quarter_end.month - 2, day=1)
    wanted = dict.fromkeys(PackKind.values, (quarter_start, quarter_end))
    wanted["contract_compliance_year"] = (
        quarter_end.replace(year=quarter_end.year - 1) + timedelta(days=1),
        quarter_end,
    )
    packs = {}
    for name, (start, end) in wanted.items():
        kind = name.removesuffix("_year")
        pack = (
            EvidencePack.objects.filter(
                council=actor.active_council, kind=kind, period_start=start, period_end=end
            )
            .order_by("id")
            .first()
        )
        if pack is None:
            pack = evidence_pack_request(
                actor=actor, kind=kind, period_start=start, period_end=end, as_at=end, today=today
            )
        packs[name] = pack.job_id
    return packs


def _first(model, **filters):
    found = model.objects.filter(**filters).order_by("id").values_list("id", flat=True).first()
    return found


def prepare(password: str) -> dict:
    from axes.utils import reset
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from audits.models import AuditReport
    from bench.generate import BIG, SMALL
    from referrals.models import (
        Assessment,
        Child,
        GrantApplication,
        Package,
        PackageStatus,
        Referral,
        Review,
    )
    from shortbreaks import rls

    today = timezone.localdate()
    found = {}
    with rls.all_councils():
        for name, slug in (("big", BIG), ("small", SMALL)):
            username = f"bench@{slug}.example"
            user = get_user_model().objects.select_related("active_council").get(username=username)
            council = user.active_council
            with transaction.atomic():
                user.set_password(password)
                user.save(update_fields=["password"])
                statement = _statement(user, council, today)
                packs = _packs(user, today)
            reset(username=username)  # any lockout left by an earlier run
            child = _first(Package, council=council, status=PackageStatus.ACTIVE)
            found[name] = {
                "slug": slug,
                "council_id": council.pk,
                "username": username,
                "children": Child.objects.filter(council=council).count(),
                "active_children": Package.objects.filter(
                    council=council, status=PackageStatus.ACTIVE
                ).count(),
                "child": child,
                "package": child,
                "referral": _first(Referral, council=council, child_id=child),
                "assessment": _first(Assessment, council=council, child_id=child),
                "review": _first(Review, council=council),
                "grant_application": _first(GrantApplication, council=council),
                "audit_report": _first(AuditReport, council=council),
                "statement": statement.pk,
                "statement_job": statement.pdf_job_id,
                "pack_jobs": packs,
            }
    return found


def main() -> int:
    import django

    django.setup()
    print(json.dumps(prepare(os.environ["BENCH_PASSWORD"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
