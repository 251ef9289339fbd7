"""Shropshire's internal audit of short breaks, and its 2025 follow-up. Safe to run again.

From the report to Shropshire's Audit Committee of 26 June 2025 ("Short Breaks Service
Management Update"):

- The audit of the short breaks position, undertaken between February and August 2024 (the
  2023/24 audit), gave an **unsatisfactory** assurance rating and two **fundamental**
  recommendations. The committee report sets out three of its recommendations with their
  management actions and review dates; the two fundamental ones are taken to be the first and
  the third (recommissioning within the Contract Procedure Rules, and contract management). The
  report does not give the other's priority: it is recorded here as significant.
- Internal audit's interim review of progress (April/May 2025) also gave an **unsatisfactory**
  rating, with one fundamental and one significant recommendation: work had been done, but the
  processes were not yet embedded. Its recommendations' wording is not published; they are
  written here from what the committee report says the review found.

Statuses are as the follow-up found them: the forms on the child's record complete; the
recommissioning and contract management in progress. Report dates, where the committee report
gives only a month or a period, are made up and kept modest.

Everything is written through `audits.services` by Shropshire's demo auditor, with the demo
commissioner recording the management actions they own, so the records pass the same checks as
real ones. Reports are found again by council and title, recommendations by report and number,
evidence by the record it points at; what exists is left as it is.
"""

from __future__ import annotations

from datetime import date

from audits import services
from audits.models import (
    EVIDENCE_FIELDS,
    AssuranceRating,
    AuditReport,
    EvidenceKind,
    EvidenceLink,
    Priority,
    Recommendation,
    RecommendationStatus,
)
from contracts.models import Contract, Extension, MonitoringRecord
from providers.demo import demo_actor
from referrals.models import ReferralDocument
from shortbreaks.councils.models import Role

SLUG = "shropshire"
AUDITOR = "Shropshire Council Internal Audit"

AUDIT_2023_24 = {
    "title": "Short Breaks internal audit 2023/24",
    "period_start": date(2024, 2, 1),
    "period_end": date(2024, 8, 31),
    "auditor": AUDITOR,
    "report_date": date(2024, 9, 30),
    "rating": AssuranceRating.UNSATISFACTORY,
    "summary": "An audit of the short breaks position, undertaken between February and August "
    "2024, before the work on the new short breaks model. Unsatisfactory assurance, with two "
    "fundamental recommendations.",
}

FOLLOW_UP_2025 = {
    "title": "Short Breaks follow-up review 2025",
    "period_start": date(2025, 4, 1),
    "period_end": date(2025, 5, 31),
    "auditor": AUDITOR,
    "report_date": date(2025, 5, 30),
    "rating": AssuranceRating.UNSATISFACTORY,
    "summary": "An interim review by internal audit of the evidence of progress against the "
    "2023/24 recommendations. Work had been done to address the issues, including strengthening "
    "the teams in commissioning, contract management and quality assurance, but this had not "
    "changed the assurance opinion as the processes were not yet embedded. One fundamental and "
    "one significant recommendation.",
}

# Evidence: (kind, how to find the council's record).
SC_CONTRACT = (EvidenceKind.CONTRACT, "SC-SB-2022")
SC_JOINT = (EvidenceKind.CONTRACT, "SC-FBSB-2026")
SC_EXTENSION = (EvidenceKind.EXTENSION, "SC-SB-2022")
SC_MONITORING = (EvidenceKind.MONITORING, "SC-SB-2022")
REFERRAL_FORMS = (EvidenceKind.REFERRAL_DOCUMENT, 2)  # the first two referral forms on record

RECOMMENDATIONS_2023_24 = [
    {
        "fields": {
            "reference": "1",
            "priority": Priority.FUNDAMENTAL,
            "text": "The Short Breaks recommissioning work must continue at pace in order to "
            "determine and meet the requirements of a child or young person who has a "
            "disability and lives in Shropshire. Contracts should be procured in line with the "
            "Council's Contract Procedural Rules and formalised prior to the existing expiry "
            "date of 31st March 2025.",
            "management_action": "The recommission of short breaks continues at pace, with "
            "leadership from the Commissioning Manager Start Well. Weekly project meetings are "
            "in place, oversight by Service Manager, Commissioning under the Joint "
            "Commissioning Deliver Group (JCDG). There is currently an extensive work programme "
            "to review and change the overall short breaks model. Work will continue to define "
            "the new model to provide alternative solutions to support family needs and "
            "children. Once the model is final, contracts will be procured as required. The "
            "first will be a sub-regional family based short breaks offer to be tested with the "
            "market Sept/Oct. Risks considered by DMT on 28th January 2025, and agreement "
            "reached to proceed following which the then Assistant Director – Legal and "
            "Governance was approached for an exemption from the Council's Contract Procedure "
            "Rules. He explained that he was not in a position to agree to such an exemption as "
            "it would be a breach of the Public Contracts Regulations. The matter was therefore "
            "referred to EMT on the 4th March 2025 regarding the wider position. Due to reliance "
            "on the current provider and service, the need for continuation of delivery whilst "
            "the new sustainable and diversified model is shaped and put in place, a "
            "recommendation was considered and agreed by EMT. Risks considered were significant "
            "financial risks if service collapse/lack of continuity and risks for vulnerable "
            "young people. EMT understood the risks associated with the extension requiring a "
            "clear timeline and actions to be delivered.",
            "owner_name": "Commissioning Manager Start Well",
            "review_date": date(2025, 6, 9),
            "review_note": "And ongoing oversight through JCDG",
        },
        "statuses": [
            (
                RecommendationStatus.IN_PROGRESS,
                date(2025, 3, 4),
                "EMT agreed to extend the current contract while the new model is shaped, "
                "understanding the risks and requiring a clear timeline and actions. Weekly "
                "project meetings in place under the JCDG.",
            ),
        ],
        "evidence": [
            (SC_EXTENSION, "The extension to 31 March 2026 agreed by EMT on 4 March 2025."),
            (SC_CONTRACT, "The contract that was due to expire on 31 March 2025."),
            (SC_JOINT, "The sub-regional family-based short breaks offer being commissioned."),
        ],
    },
    {
        "fields": {
            "reference": "2",
            "priority": Priority.SIGNIFICANT,
            "text": "All forms in relation to a referral for services provided by the Provider "
            "of overnight short breaks should be held on the child's LCS record.",
            "management_action": "All new referrals to the Provider of overnight short breaks "
            "are uploaded on the system to documents within LCS.",
            "owner_name": "Disabled Children's Team",
            "review_date": None,
            "review_note": "N/A – action complete",
        },
        "statuses": [
            (
                RecommendationStatus.COMPLETE,
                date(2025, 5, 30),
                "The follow-up review found new referrals to the overnight short breaks "
                "provider uploaded to the child's record.",
            ),
        ],
        "evidence": [(REFERRAL_FORMS, "A referral form held on the child's record.")],
    },
    {
        "fields": {
            "reference": "3",
            "priority": Priority.FUNDAMENTAL,
            "text": "The contracts should be reviewed, and consideration should be given to "
            "withhold payments to the Providers. Legal advice should be sought as to the "
            "consequences of not fulfilling these obligations and withholding payments. Once "
            "the contracts are reprocured and operating in practice, a contract manager should "
            "be allocated to monitor performance and ensure providers are meeting their "
            "contractual arrangements and meeting the demands of service users.",
            "management_action": "Consideration of sanctions was given, however there is "
            "limited facility within the contract for this and deemed too risky in respect of "
            "continued provider delivery. Would have resulted in withdrawal of provider and "
            "service failure/collapse. Contract Management capacity to support Children's "
            "contracts including Action 4 Children is now in place. Posts in the Contracts Team "
            "include Contracts and Quality Assurance Officer (started Jan 2025) and Quality "
            "Assurance Monitoring Officer also now in place (started Jan 2025). Oversight is "
            "through Quality and Performance Group (QPG).",
            "owner_name": "Service Manager, Commissioning",
            "review_date": date(2025, 6, 9),
            "review_note": "Through JCDG; ongoing through monthly QPG meetings",
        },
        "statuses": [
            (
                RecommendationStatus.IN_PROGRESS,
                date(2025, 1, 31),
                "Contracts and Quality Assurance Officer and Quality Assurance Monitoring "
                "Officer in post since January 2025; withholding payment considered and set "
                "aside.",
            ),
        ],
        "evidence": [
            (SC_MONITORING, "Monthly QPG oversight; withholding payment considered."),
            (SC_CONTRACT, "The contract reviewed, with its named contract manager."),
        ],
    },
]

RECOMMENDATIONS_FOLLOW_UP = [
    {
        "fields": {
            "reference": "1",
            "priority": Priority.FUNDAMENTAL,
            "text": "Short breaks contracts must be procured in line with the Public Contracts "
            "Regulations and the Council's Contract Procedure Rules, to a clear timeline agreed "
            "with EMT, so that the service no longer relies on an extension the Council's legal "
            "officer could not agree.",
            "management_action": "The new short breaks model, with a stronger emphasis on "
            "prevention and an expanded offer, is being defined; a joint commission of "
            "family-based care is under way with neighbouring areas, to be tested with the "
            "market in September/October 2025. Weekly project meetings and oversight through "
            "the JCDG.",
            "owner_name": "Commissioning Manager Start Well",
            "review_date": date(2025, 10, 31),
            "review_note": "Ongoing oversight through JCDG",
        },
        "statuses": [
            (
                RecommendationStatus.IN_PROGRESS,
                date(2025, 6, 26),
                "Reported to the Audit Committee on 26 June 2025: recommissioning has "
                "accelerated under the new commissioning structure.",
            ),
        ],
        "evidence": [
            (SC_JOINT, "The joint commission of family-based short breaks."),
            (SC_EXTENSION, "The extension the service relies on until the new contracts."),
        ],
    },
    {
        "fields": {
            "reference": "2",
            "priority": Priority.SIGNIFICANT,
            "text": "Contract monitoring and quality assurance processes for the short breaks "
            "contracts should be embedded, with evidence of regular performance monitoring, "
            "so that the strengthened commissioning, contract management and quality "
            "assurance teams change the assurance that can be given.",
            "management_action": "Contract management and quality assurance capacity is now "
            "in place with active monitoring. Monthly oversight is through the Social Care "
            "Quality and Performance Monitoring Group (QPG).",
            "owner_name": "Contracts and Quality Assurance Officer",
            "review_date": date(2025, 9, 30),
            "review_note": "Ongoing through monthly QPG meetings",
        },
        "statuses": [
            (
                RecommendationStatus.IN_PROGRESS,
                date(2025, 6, 26),
                "Reported to the Audit Committee on 26 June 2025: monthly QPG oversight in place.",
            ),
        ],
        "evidence": [(SC_MONITORING, "Monthly oversight at the QPG.")],
    },
]


def _records(council, source) -> list:
    kind, key = source
    if kind == EvidenceKind.CONTRACT:
        return list(Contract.objects.filter(council=council, reference=key))
    if kind == EvidenceKind.EXTENSION:
        return list(
            Extension.objects.filter(council=council, contract__reference=key).order_by("id")[:1]
        )
    if kind == EvidenceKind.MONITORING:
        return list(
            MonitoringRecord.objects.filter(council=council, contract__reference=key).order_by(
                "held_on", "id"
            )
        )
    return list(ReferralDocument.objects.filter(council=council).order_by("id")[:key])


def _report(auditor, fields: dict, follow_up_of=None) -> AuditReport:
    report = AuditReport.objects.filter(council=auditor.active_council, title=fields["title"])
    return report.first() or services.audit_report_create(
        actor=auditor, follow_up_of=follow_up_of, **fields
    )


def _recommendations(auditor, owner, report: AuditReport, stories: list[dict]) -> None:
    for story in stories:
        fields = story["fields"]
        recommendation = Recommendation.objects.filter(
            report=report, reference=fields["reference"]
        ).first()
        if recommendation is None:
            recommendation = services.recommendation_create(actor=auditor, report=report, **fields)
            for status, on, note in story["statuses"]:
                # The action's owner reports progress; the auditor confirms completion.
                actor = auditor if status == RecommendationStatus.COMPLETE else owner
                recommendation = services.recommendation_change_status(
                    actor=actor, recommendation=recommendation, status=status, on=on, note=note
                )
        for source, note in story["evidence"]:
            kind = source[0]
            for record in _records(report.council, source):
                field = EVIDENCE_FIELDS[kind]
                if EvidenceLink.objects.filter(
                    recommendation=recommendation, **{field: record}
                ).exists():
                    continue
                services.evidence_link_add(
                    actor=auditor,
                    recommendation=recommendation,
                    kind=kind,
                    record_id=record.pk,
                    note=note,
                )


def seed(*, password: str) -> list[tuple[str, str]]:
    auditor = demo_actor(SLUG, Role.AUDITOR)
    commissioner = demo_actor(SLUG, Role.COMMISSIONER)
    first = _report(auditor, AUDIT_2023_24)
    _recommendations(auditor, commissioner, first, RECOMMENDATIONS_2023_24)
    follow_up = _report(auditor, FOLLOW_UP_2025, follow_up_of=first)
    _recommendations(auditor, commissioner, follow_up, RECOMMENDATIONS_FOLLOW_UP)
    return []
