"""Build audit reports and recommendations for tests, through the real services, and a world of
two councils each with a report, a recommendation and records to link as evidence."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from audits import services
from audits.models import AuditReport, Priority, Recommendation
from contracts.services.extensions import extension_create
from contracts.services.monitoring import monitoring_record_create
from referrals.services import documents as document_services
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child, make_referral
from tests.upload_files import pdf_bytes

_numbers = itertools.count(1)

# A real one-page PDF: the upload check opens it with pypdf.
PDF = pdf_bytes()


def make_report(actor, **fields) -> AuditReport:
    fields.setdefault("title", f"Short breaks audit {next(_numbers)}")
    fields.setdefault("period_start", date(2024, 2, 1))
    fields.setdefault("period_end", date(2024, 8, 31))
    fields.setdefault("auditor", "Internal Audit")
    fields.setdefault("report_date", date(2024, 9, 30))
    fields.setdefault("rating", "unsatisfactory")
    return services.audit_report_create(actor=actor, **fields)


def make_recommendation(actor, report: AuditReport, **fields) -> Recommendation:
    fields.setdefault("reference", str(next(_numbers)))
    fields.setdefault("text", "Recommission the short breaks contracts within the rules.")
    fields.setdefault("priority", Priority.FUNDAMENTAL)
    fields.setdefault("management_action", "Weekly project meetings under the JCDG.")
    fields.setdefault("owner_name", "Commissioning Manager Start Well")
    fields.setdefault("review_date", date(2025, 6, 9))
    return services.recommendation_create(actor=actor, report=report, **fields)


def build_world(two_councils) -> dict:
    """Per council: its people, a report with one recommendation, and a contract, extension,
    monitoring record and referral document, each carrying the council's marker."""
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        people = two_councils[slug]["people"]
        auditor = people[Role.AUDITOR]
        commissioner = people[Role.COMMISSIONER]
        report = make_report(auditor, title=f"Audit {marker}")
        recommendation = make_recommendation(
            auditor, report, reference="1", text=f"Recommendation {marker}"
        )
        contract = make_contract(commissioner, title=f"Contract {marker}")
        extension = extension_create(
            actor=commissioner,
            contract=contract,
            new_end_date=date(2028, 3, 31),
            added_value=Decimal("1000.00"),
            rationale=f"Extension {marker}",
            legal_basis="pcr_modification",
        )
        monitoring = monitoring_record_create(
            actor=commissioner,
            contract=contract,
            kind="qa_visit",
            held_on=date(2025, 5, 13),
            summary=f"Monitoring {marker}",
        )
        social_worker = people[Role.SOCIAL_WORKER]
        child = make_child(social_worker, last_name=f"Child{marker}")
        referral = make_referral(social_worker, child)
        document = document_services.referral_document_add(
            actor=social_worker,
            referral=referral,
            upload=ContentFile(PDF),
            name=f"form-{marker}.pdf",
            description=f"Form {marker}",
        )
        world[slug] = {
            "people": people,
            "report": report,
            "recommendation": recommendation,
            "contract": contract,
            "extension": extension,
            "monitoring": monitoring,
            "document": document,
            "records": {
                "contract": contract,
                "extension": extension,
                "monitoring": monitoring,
                "referral_document": document,
            },
        }
    return world
