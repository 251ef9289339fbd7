"""A world for evidence pack tests: per council, contracts (one that ran past its end date with
no approved extension, one extended in time), a DPS with a membership's history, referrals with
and without their forms held, monitoring and an audit report, each carrying the council's
marker and all recorded "before" the as-at date used by the tests.

The services stamp records with the real time, so `backdate` moves every creation stamp to a
day in 2025; a record made after that (not backdated) is after any 2025 "as at" date.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from audits.models import AuditReport, Recommendation, RecommendationEvent
from contracts.models import (
    ContractDocument,
    ContractEvent,
    DPSMembershipEvent,
    Extension,
    ExtensionApproval,
)
from contracts.services.documents import contract_document_add
from contracts.services.dps import dps_create, dps_membership_apply, dps_membership_transition
from contracts.services.extensions import (
    extension_create,
    extension_decide,
    extension_record_approval,
    extension_submit,
)
from contracts.services.lots import award_create, lot_create
from contracts.services.monitoring import monitoring_record_create
from referrals.models import Child, Referral, ReferralDocument, ReferralEvent
from referrals.services import documents as document_services
from shortbreaks.councils.models import Role
from tests.audits.builders import PDF, make_recommendation, make_report
from tests.builders import make_contract, make_provider
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child, make_referral

RECORDED = date(2025, 6, 1)
AS_AT = date(2025, 6, 30)
PERIOD = (date(2024, 4, 1), date(2025, 6, 30))
CHILD_MARKER = {"alpha": "Zebedeealpha", "bravo": "Zebedeebravo"}


def backdate(day: date = RECORDED) -> None:
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    ContractEvent.objects.update(at=moment)
    Extension.objects.update(created_at=moment)
    Extension.objects.exclude(submitted_at=None).update(submitted_at=moment)
    ExtensionApproval.objects.update(recorded_at=moment)
    ContractDocument.objects.update(uploaded_at=moment)
    DPSMembershipEvent.objects.update(at=moment)
    Child.objects.update(created_at=moment)
    Referral.objects.update(created_at=moment)
    ReferralEvent.objects.update(at=moment)
    ReferralDocument.objects.update(uploaded_at=moment)
    AuditReport.objects.update(created_at=moment)
    Recommendation.objects.update(created_at=moment)
    RecommendationEvent.objects.update(at=moment)


def _approve(commissioner, extension, on: date):
    extension_submit(actor=commissioner, extension=extension)
    for role in ("finance", "legal", "procurement"):
        extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=f"Officer {role}",
            decision="approve",
            decided_on=on,
        )
    return extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Executive Director",
        decided_on=on,
    )


def build_pack_world(two_councils) -> dict:
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = two_councils[slug]["people"]
        commissioner = people[Role.COMMISSIONER]
        social_worker = people[Role.SOCIAL_WORKER]
        auditor = people[Role.AUDITOR]
        provider = make_provider(commissioner, name=f"Provider {marker}")
        lapsed = make_contract(
            commissioner,
            reference=f"LAPSED-{slug}",
            title=f"Overnight {marker}",
            start_date=date(2022, 4, 1),
            end_date=date(2025, 3, 31),
            max_extent_date=None,
            procurement_route="Open tender",
        )
        lot = lot_create(actor=commissioner, contract=lapsed, number=1, name="Overnight stays")
        award_create(actor=commissioner, lot=lot, provider=provider, capacity="4 overnight beds")
        monitoring_record_create(
            actor=commissioner,
            contract=lapsed,
            kind="qa_visit",
            held_on=date(2025, 5, 13),
            summary=f"Visit {marker}",
        )
        monitoring_record_create(
            actor=commissioner,
            contract=lapsed,
            kind="kpi_return",
            held_on=date(2024, 10, 1),
            summary=f"KPI {marker}",
        )
        document = contract_document_add(
            actor=commissioner,
            contract=lapsed,
            upload=ContentFile(PDF + marker.encode()),
            title="Signed contract",
            name="signed.pdf",
        )
        extended = make_contract(
            commissioner,
            reference=f"EXTENDED-{slug}",
            title=f"Community {marker}",
            start_date=date(2023, 4, 1),
            end_date=date(2025, 3, 31),
            max_extent_date=date(2027, 3, 31),
            total_value=Decimal("100000.00"),
        )
        extension = extension_create(
            actor=commissioner,
            contract=extended,
            new_end_date=date(2026, 3, 31),
            added_value=Decimal("50000.00"),
            rationale=f"Time to recommission {marker}",
            legal_basis="pcr_modification",
        )
        _approve(commissioner, extension, date(2025, 2, 1))
        dps = dps_create(actor=commissioner, title=f"DPS {marker}", start_date=date(2021, 4, 1))
        membership = dps_membership_apply(
            actor=commissioner, dps=dps, provider=provider, on=date(2024, 5, 1)
        )
        dps_membership_transition(
            actor=commissioner,
            membership=membership,
            action="start_assessment",
            on=date(2024, 5, 10),
            reason="Checks begun",
        )
        children, referrals = [], []
        for number in range(3):
            child = make_child(
                social_worker, first_name=CHILD_MARKER[slug], last_name=f"Child{marker}{number}"
            )
            referral = make_referral(social_worker, child, received_on=date(2025, 1, 6 + number))
            children.append(child)
            referrals.append(referral)
        held = document_services.referral_document_add(
            actor=social_worker,
            referral=referrals[0],
            upload=ContentFile(PDF + b"form" + marker.encode()),
            name="form.pdf",
        )
        report = make_report(auditor, title=f"Audit {marker}", report_date=date(2024, 9, 30))
        recommendation = make_recommendation(
            auditor, report, reference="1", text=f"Recommendation {marker}"
        )
        world[slug] = {
            "people": people,
            "lapsed": lapsed,
            "extended": extended,
            "extension": extension,
            "dps": dps,
            "membership": membership,
            "referrals": referrals,
            "children": children,
            "held": held,
            "contract_document": document,
            "report": report,
            "recommendation": recommendation,
        }
    backdate()
    return world


def pdf_text(data: bytes) -> str:
    """The PDF's text, with each run of white space (a line wrapped in a table cell) as one."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def section_text(data: bytes, title: str) -> str:
    """The text of the pages of one section, found by the pack's bookmarks."""
    reader = PdfReader(io.BytesIO(data))
    starts = sorted(
        (reader.get_destination_page_number(item), item.title) for item in reader.outline
    )
    for number, (start, name) in enumerate(starts):
        if name.startswith(title):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(reader.pages)
            text = " ".join(reader.pages[i].extract_text() for i in range(start, end))
            return " ".join(text.split())
    raise AssertionError(f"No section {title!r} in {[name for _, name in starts]}")
