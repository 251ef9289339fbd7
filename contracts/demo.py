"""The registers of the five seed councils: DPS, contracts, lots, awards, extensions, monitoring and
spend, with the names, dates and values the council reports give. Safe to run again.

Where a report is silent (a start date, a reference, an unnamed provider) the value is made up and
kept modest. Everything is written through `contracts.services` by the council's demo
commissioner (the finance officer for spend), so it passes the same checks as real records.
Records are found again by their natural key (council + DPS title, council + contract reference,
contract + lot number, lot + provider, contract + monitoring kind and date); what exists is left
as it is, and an extension is recorded only on a contract that has none.

Past contracts keep the status their story ends with (active or extended): `seed_demo` then runs
the daily jobs' services, which mark those past their end date expired and send the expiry
reminders that are due, as the daily jobs would have.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.models import (
    DPS,
    Contract,
    ContractKind,
    ContractParticipation,
    DPSMembership,
    Lot,
    MonitoringKind,
    MonitoringRecord,
    PackageType,
    ParticipationStatus,
    ProcurementMethod,
)
from contracts.services.dps import (
    dps_create,
    dps_membership_apply,
    dps_membership_record_checks,
    dps_membership_transition,
)
from contracts.services.extensions import (
    extension_create,
    extension_decide,
    extension_record_approval,
    extension_submit,
)
from contracts.services.lots import award_create, lot_create
from contracts.services.monitoring import monitoring_record_create
from contracts.services.participation import (
    contract_participation_accept,
    contract_participation_invite,
)
from contracts.services.register import contract_activate, contract_create, contract_set_manager
from contracts.services.spend import contract_spend_set, spend_line_set
from providers.demo import demo_actor
from providers.models import Provider, Service
from shortbreaks.councils.models import Council, Role, User

# ----------------------------------------------------------------------------------------------
# Herefordshire: Tier 3 short breaks DPS since 2017, extended by variation to 31 March 2023.

HEREFORDSHIRE_DPS = "Tier 3 Short Breaks Dynamic Purchasing System"

# provider -> [(action, on, reason)], starting from the application.
HEREFORDSHIRE_MEMBERSHIPS = {
    "Crossroads Care": [
        ("apply", date(2017, 4, 3), "Applied when the DPS opened."),
        ("start_assessment", date(2017, 4, 10), "Pre-approval assessment started."),
        ("approve", date(2017, 5, 2), "Pre-approval assessment passed."),
        (
            "exit",
            date(2020, 6, 30),
            "Left the DPS, citing the challenges of delivering in Herefordshire: recruitment, "
            "the geographical spread of children needing support and small demand for buddying.",
        ),
    ],
    "Aspire Living": [
        ("apply", date(2017, 4, 3), "Applied when the DPS opened."),
        ("start_assessment", date(2017, 4, 10), "Pre-approval assessment started."),
        ("approve", date(2017, 5, 2), "Pre-approval assessment passed."),
    ],
    "Newcross Healthcare Solutions Ltd": [
        (
            "apply",
            date(2020, 8, 3),
            "Applied after engagement by commissioners with registered providers in "
            "Herefordshire and neighbouring counties.",
        ),
        ("start_assessment", date(2020, 8, 10), "Pre-approval assessment started."),
        ("approve", date(2020, 9, 28), "Pre-approval assessment passed."),
    ],
    "Our Place Schools": [
        ("apply", date(2021, 10, 4), "Applied to offer new daytime capacity."),
        ("start_assessment", date(2021, 10, 11), "Pre-approval assessment started."),
        ("approve", date(2021, 11, 15), "Pre-approval assessment passed."),
    ],
}

HEREFORDSHIRE_DPS_TOTALS = {
    2017: Decimal("190041.76"),
    2018: Decimal("150096.47"),
    2019: Decimal("112715.53"),
    2020: Decimal("284741.76"),
    2021: Decimal("440169.24"),
}

# ----------------------------------------------------------------------------------------------
# Contracts of every council. Each: contract fields, lots [(number, name, description,
# [service titles], [(provider, rates, capacity, value, date of the award)])], whether to name
# the manager, yearly spend, and for a joint commission its participating councils (left as a
# draft if "draft"): each is invited, and its demo commissioner accepts. An award's value is
# over the contract's whole term (the reports give yearly figures: times the years), so a
# contract's awards add up to its total value; the dates of signing and of the awards, and the
# maximum extent where a report gives none, are made up.

CONTRACTS: dict[str, list[dict]] = {
    "herefordshire": [
        {
            "fields": {
                "reference": "HC-T3-DPS-2017",
                "title": "Tier 3 short breaks: DPS provider contracts",
                "kind": ContractKind.DPS_CALL_OFF,
                "procurement_route": "Call-offs from the Tier 3 Short Breaks DPS",
                "procurement_method": ProcurementMethod.SELECTIVE,
                "date_signed": date(2017, 3, 24),
                "start_date": date(2017, 4, 1),
                "end_date": date(2022, 3, 31),
                "max_extent_date": date(2023, 3, 31),
                "annual_value": Decimal("420000.00"),
                "total_value": sum(HEREFORDSHIRE_DPS_TOTALS.values()),
            },
            "dps": HEREFORDSHIRE_DPS,
            "lots": [
                (
                    1,
                    "Specialist daytime buddying",
                    "1:1 or 2:1 support in the community.",
                    [
                        "Specialist daytime buddying",
                        "Daytime buddying in the community",
                        "Community buddying",
                    ],
                    [
                        (
                            "Our Place Schools",
                            "£27.50 an hour",
                            "8 children",
                            Decimal("250000.00"),
                            date(2021, 11, 22),
                        ),
                        (
                            "Newcross Healthcare Solutions Ltd",
                            "£28.00 an hour",
                            "",
                            Decimal("300000.00"),
                            date(2020, 10, 5),
                        ),
                        (
                            "Aspire Living",
                            "£27.00 an hour",
                            "",
                            Decimal("200000.00"),
                            date(2017, 5, 8),
                        ),
                    ],
                ),
                (
                    2,
                    "Domiciliary care",
                    "Care in the child's home, including personal care.",
                    ["Domiciliary care short breaks"],
                    [
                        (
                            "Newcross Healthcare Solutions Ltd",
                            "£29.00 an hour",
                            "12 children",
                            Decimal("277764.76"),
                            date(2020, 10, 5),
                        )
                    ],
                ),
                (
                    3,
                    "Overnight support in the home",
                    "",
                    ["Overnight support in the home"],
                    [
                        (
                            "Aspire Living",
                            "£230.00 a night",
                            "",
                            Decimal("150000.00"),
                            date(2017, 5, 8),
                        )
                    ],
                ),
            ],
            "manager": True,
            "spend": HEREFORDSHIRE_DPS_TOTALS,
        },
    ],
    "shropshire": [
        {
            "fields": {
                "reference": "SC-SB-2022",
                "title": "Short breaks for children and young people with disabilities",
                "kind": ContractKind.BLOCK,
                "procurement_route": "Open tender in three lots",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2022, 3, 14),
                "start_date": date(2022, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2026, 3, 31),
                "annual_value": Decimal("1930000.00"),
                "total_value": Decimal("5790000.00"),
            },
            "lots": [
                (
                    1,
                    "Specialised overnight stays",
                    "Planned overnight stays for children with complex needs.",
                    ["Specialised overnight stays"],
                    [
                        (
                            "Action for Children",
                            "£850 a night",
                            "Overnight stays for 6 children assessed as high risk",
                            Decimal("4050000.00"),
                            date(2022, 2, 15),
                        )
                    ],
                ),
                (
                    2,
                    "Community short breaks",
                    "Support in the community after a social care assessment.",
                    ["Community short breaks"],
                    [
                        (
                            "Action for Children",
                            "£26.00 an hour",
                            "",
                            Decimal("990000.00"),
                            date(2022, 2, 15),
                        )
                    ],
                ),
                (
                    3,
                    "All In",
                    "Universal short break activities open to every child.",
                    ["All In activity clubs", "All In holiday activities"],
                    [
                        (
                            "Severn Inclusive Play",
                            "Block grant",
                            "",
                            Decimal("750000.00"),
                            date(2022, 2, 15),
                        )
                    ],
                ),
            ],
            "manager": True,
        },
        {
            # The joint commission under way in 2025: Shropshire leads; Herefordshire accepted
            # the invitation to take part, so it reads it.
            "fields": {
                "reference": "SC-FBSB-2026",
                "title": "Sub-regional family-based short breaks",
                "kind": ContractKind.FRAMEWORK,
                "procurement_route": "Joint commission, tested with the market in autumn 2025",
                "start_date": date(2026, 4, 1),
                "end_date": date(2029, 3, 31),
                "max_extent_date": date(2031, 3, 31),
            },
            "participating": ["herefordshire"],
            "draft": True,
            "lots": [],
        },
    ],
    "warwickshire": [
        {
            "fields": {
                "reference": "WCC-SB-2022-01",
                "title": "Community Daytime and Overnight Short Breaks for Children with "
                "Disabilities (Warwickshire North and Rugby)",
                "kind": ContractKind.LEAD_PROVIDER,
                "procurement_route": "Demand-led lead provider contract; may serve countywide",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2022, 3, 21),
                "start_date": date(2022, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2027, 3, 31),
                "annual_value": Decimal("212000.00"),
                "total_value": Decimal("636000.00"),
                "recommissioning_started_on": date(2024, 7, 16),
            },
            "lots": [
                (
                    1,
                    "Warwickshire North and Rugby",
                    "Community daytime and overnight short breaks.",
                    [
                        "Community activity clubs (North and Rugby)",
                        "Day support at home",
                        "Night support at home",
                    ],
                    [
                        (
                            "Heartwood Care and Support",
                            "£28.00 an hour; £210 a night",
                            "",
                            Decimal("636000.00"),
                            date(2022, 2, 28),
                        )
                    ],
                ),
            ],
            "manager": True,
            "spend": {2023: Decimal("212000.00")},
        },
        {
            "fields": {
                "reference": "WCC-SB-2022-02",
                "title": "Framework Provision for Short Breaks for Children with Disabilities "
                "(Warwickshire South)",
                "kind": ContractKind.FRAMEWORK,
                "procurement_route": "Demand-led framework; may serve countywide",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2022, 3, 21),
                "start_date": date(2022, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2027, 3, 31),
                "annual_value": Decimal("235000.00"),
                "total_value": Decimal("705000.00"),
                "recommissioning_started_on": date(2024, 7, 16),
            },
            "lots": [
                (
                    1,
                    "Warwickshire South",
                    "Community short breaks.",
                    ["Supported exploring", "Saturday activity club (South)"],
                    [
                        (
                            "Avon Valley Short Breaks",
                            "£26.50 an hour; £35 a session",
                            "",
                            Decimal("705000.00"),
                            date(2022, 2, 28),
                        )
                    ],
                ),
            ],
            "manager": True,
            "spend": {2023: Decimal("235000.00")},
        },
        {
            "fields": {
                "reference": "WCC-SB-2022-03",
                "title": "Children's Residential Overnight Short Breaks",
                "kind": ContractKind.BLOCK,
                "procurement_route": "Block contract",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2022, 3, 21),
                "start_date": date(2022, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2027, 3, 31),
                "annual_value": Decimal("664000.00"),
                "total_value": Decimal("1992000.00"),
                "recommissioning_started_on": date(2024, 7, 16),
            },
            "lots": [
                (
                    1,
                    "Residential overnight short breaks",
                    "Planned overnight respite in a children's home.",
                    ["Residential overnight short breaks"],
                    [
                        (
                            "Arden Children's Services",
                            "Block price",
                            "4 overnight beds",
                            Decimal("1992000.00"),
                            date(2022, 2, 28),
                        )
                    ],
                ),
            ],
            "manager": True,
            "spend": {2023: Decimal("664000.00")},
        },
    ],
    "medway": [
        {
            "fields": {
                "reference": "MC-SLA-ROCC-2024",
                "title": "ROCC short breaks: service level agreement with Rivermead Inclusive "
                "Trust",
                "kind": ContractKind.SLA,
                "procurement_route": "Service level agreement funded by the DfE short breaks "
                "grant (£419,797); no price increases until 2027",
                "procurement_method": ProcurementMethod.DIRECT,
                "date_signed": date(2024, 3, 28),
                "start_date": date(2024, 4, 1),
                "end_date": date(2027, 3, 31),
                "max_extent_date": date(2027, 3, 31),
                "total_value": Decimal("419797.00"),
            },
            "lots": [
                (
                    1,
                    "ROCC",
                    "Development and expansion of short breaks at ROCC, with a priority pathway "
                    "from the Access to Resources Panel.",
                    [
                        "ROCC respite sessions",
                        "ROCC after-school club",
                        "ROCC satellite provision in Hoo",
                    ],
                    [
                        (
                            "Rivermead Inclusive Trust",
                            "Prices fixed: no increase until 2027",
                            "",
                            Decimal("419797.00"),
                            date(2024, 3, 1),
                        )
                    ],
                ),
            ],
            "manager": True,
        },
    ],
    "birmingham": [
        {
            "fields": {
                "reference": "BCT-SB-2020-01",
                "title": "Specialist overnight short breaks",
                "kind": ContractKind.BLOCK,
                "procurement_route": "Block contract held by Birmingham Children's Trust",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2020, 3, 16),
                "start_date": date(2020, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2026, 3, 31),
                "annual_value": Decimal("620000.00"),
                "total_value": Decimal("3100000.00"),
            },
            "lots": [
                (
                    1,
                    "Overnight short breaks",
                    "",
                    ["Overnight short breaks"],
                    [
                        (
                            "Harborne Children's Respite",
                            "£520 a night",
                            "6 overnight beds",
                            Decimal("3100000.00"),
                            date(2020, 2, 17),
                        )
                    ],
                ),
            ],
            "manager": True,
        },
        {
            "fields": {
                "reference": "BCT-SB-2020-02",
                "title": "Specialist community and home support",
                "kind": ContractKind.LEAD_PROVIDER,
                "procurement_route": "Lead provider contract held by Birmingham Children's Trust",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2020, 3, 16),
                "start_date": date(2020, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2026, 3, 31),
                "annual_value": Decimal("380000.00"),
                "total_value": Decimal("1900000.00"),
            },
            "lots": [
                (
                    1,
                    "Specialist community and home support",
                    "",
                    ["Specialist community support", "Support at home"],
                    [
                        (
                            "Saltley Family Support",
                            "£25.00 to £26.00 an hour",
                            "",
                            Decimal("1900000.00"),
                            date(2020, 2, 17),
                        )
                    ],
                ),
            ],
            "manager": False,
        },
        {
            "fields": {
                "reference": "BCC-SB-2020-03",
                "title": "Universal and targeted short breaks activities",
                "kind": ContractKind.FRAMEWORK,
                "procurement_route": "Framework",
                "procurement_method": ProcurementMethod.OPEN,
                "date_signed": date(2020, 3, 16),
                "start_date": date(2020, 4, 1),
                "end_date": date(2025, 3, 31),
                "max_extent_date": date(2026, 3, 31),
                "annual_value": Decimal("450000.00"),
                "total_value": Decimal("2250000.00"),
                "recommissioning_started_on": date(2024, 5, 15),
            },
            "lots": [
                (
                    1,
                    "Play schemes and clubs",
                    "Holiday play schemes and after-school clubs.",
                    ["Inclusive holiday play schemes", "After-school clubs for disabled children"],
                    [
                        (
                            "Brum Inclusive Play",
                            "£8 to £15 a session",
                            "",
                            Decimal("2250000.00"),
                            date(2020, 2, 17),
                        )
                    ],
                ),
            ],
            "manager": True,
        },
    ],
}

# (council, year the financial year starts, package type) -> (budget, outturn)
SPEND_LINES = {
    ("warwickshire", 2023, PackageType.COMMISSIONED): (None, Decimal("1110561")),
    ("warwickshire", 2023, PackageType.SPOT_PURCHASED): (None, Decimal("482336")),
    ("warwickshire", 2023, PackageType.HOME_CARE): (None, Decimal("2040302")),
    ("warwickshire", 2023, PackageType.DIRECT_PAYMENTS): (None, Decimal("1317256")),
    ("warwickshire", 2024, PackageType.COMMISSIONED): (Decimal("1177248"), None),
    ("warwickshire", 2024, PackageType.SPOT_PURCHASED): (Decimal("491752"), None),
    ("warwickshire", 2024, PackageType.HOME_CARE): (Decimal("1990000"), None),
    ("warwickshire", 2024, PackageType.DIRECT_PAYMENTS): (Decimal("1449050"), None),
    ("shropshire", 2025, PackageType.COMMISSIONED): (Decimal("1930000"), None),
    ("birmingham", 2024, PackageType.COMMISSIONED): (Decimal("1632000"), None),
}

# ----------------------------------------------------------------------------------------------
# Extensions by variation, as the reports record them.

EXTENSIONS = {
    ("herefordshire", "HC-T3-DPS-2017"): {
        "request": {
            "new_end_date": date(2023, 3, 31),
            "added_value": Decimal("420000.00"),
            "legal_basis": "dps_extension",
            "rationale": "Vary by a 12-month extension the Short Breaks DPS and the provider "
            "contracts, to avoid a break in service for vulnerable children and families while "
            "the short breaks offer is redesigned and recommissioned from April 2023. About "
            "15,000 hours of Tier 3 support for 25-30 children, within the existing budget.",
            "alternatives_considered": "Let the DPS and provider contracts end on 31 March 2022: "
            "not recommended; packages continuing into 2022/23 would need new spot-purchase "
            "contracts and could break service for vulnerable children.",
            "risks": "Limited market capacity may leave some assessed needs unmet; limited "
            "commissioning capacity may slow the redesign. New providers may still apply to join "
            "the DPS during 2022/23.",
        },
        "approvals": [
            ("finance", "Louise Devlin, Finance Manager", "approve", date(2022, 2, 3)),
            ("procurement", "Mark Cage, Commercial Services Manager", "approve", date(2022, 2, 11)),
            (
                "legal",
                "Kimberley Gaffey, Head of Law Children and Families",
                "approve",
                date(2022, 2, 16),
            ),
            ("legal", "Alice McAlpine, Senior Lawyer", "approve", date(2022, 2, 16)),
            (
                "governance",
                "Sarah Buffrey, Democratic Services Officer",
                "approve",
                date(2022, 2, 17),
            ),
        ],
        "decision": {
            "decision": "approve",
            "decision_maker": "Cabinet member children and families",
            "decided_on": date(2022, 3, 16),
            "key_decision": False,
            "note": "Non-key decision. The Dynamic Purchasing System stays open to new providers "
            "during 2022/23.",
        },
    },
    ("shropshire", "SC-SB-2022"): {
        "request": {
            "new_end_date": date(2026, 3, 31),
            "added_value": Decimal("1930000.00"),
            "legal_basis": "cpr_exemption",
            "rationale": "Continue delivery, relied on by families and the council, while the "
            "new sustainable and diversified short breaks model is shaped and put in place.",
            "alternatives_considered": "Spot purchase of overnight short breaks: benchmarking "
            "shows Telford paying £1,300 a night, £450 a night more than under this contract.",
            "risks": "Significant financial risks if the service collapsed or lacked continuity, "
            "and risks for vulnerable young people: six children assessed as high risk use "
            "overnight short breaks; full-time placements could cost upwards of £1.87m.",
        },
        "approvals": [
            (
                "governance",
                "Directorate Management Team",
                "approve",
                date(2025, 1, 28),
                "Risks considered; agreement to proceed and to ask for an exemption from the "
                "Contract Procedure Rules.",
            ),
            (
                "legal",
                "Assistant Director – Legal and Governance",
                "refuse",
                date(2025, 2, 14),
                "Not in a position to agree the exemption: it would be a breach of the Public "
                "Contracts Regulations. Referred to the Executive Management Team.",
            ),
        ],
        "decision": {
            "decision": "approve",
            "decision_maker": "Executive Management Team",
            "decided_on": date(2025, 3, 4),
            "key_decision": False,
            "decided_despite_refusal": True,
            "note": "Due to reliance on the current provider and service, and the need for "
            "continued delivery while the new model is put in place, EMT agreed the extension, "
            "understanding its risks and requiring a clear timeline and actions.",
        },
    },
}

MONITORING = {
    ("herefordshire", "HC-T3-DPS-2017"): [
        {
            "kind": MonitoringKind.PERFORMANCE_MEETING,
            "held_on": date(2021, 9, 14),
            "period": "Summer holidays 2021",
            "summary": "Newcross Healthcare Solutions ceased half of its packages (15 children) "
            "at the start of the summer holidays, citing chronic staffing shortages.",
            "reason_not_delivered": "Chronic staffing shortages and recruitment difficulties.",
            "provider_response": "Worked with the council to stabilise; continues to support "
            "12 children, including some complex packages.",
        }
    ],
    ("shropshire", "SC-SB-2022"): [
        {
            "kind": MonitoringKind.PERFORMANCE_MEETING,
            "held_on": date(2025, 5, 13),
            "period": "April 2025",
            "summary": "Monthly oversight at the Social Care Quality and Performance Monitoring "
            "Group, following the 2023/24 internal audit (unsatisfactory assurance).",
            "provider_response": "Meetings with commissioning and the Disabled Children's Team "
            "to discuss support needs and manage risks child by child.",
            "sanction_considered": "Withholding payments to the providers, as the audit "
            "recommended.",
            "sanction_outcome": "Set aside: the contract gives limited facility for sanctions, "
            "and withholding payment risked the provider withdrawing and the service failing.",
        }
    ],
    ("medway", "MC-SLA-ROCC-2024"): [
        {
            "kind": MonitoringKind.KPI_RETURN,
            "held_on": date(2024, 10, 15),
            "period": "April to September 2024",
            "summary": "829 sessions delivered against a target of 455; individual children "
            "participated 312 times against a target of 150. Of parents completing wellbeing "
            "surveys, 89% reported improvement in their child's wellbeing, 83% in their own, "
            "and 72% in their child's behaviour.",
            "sessions_delivered": 829,
            "sessions_target": 455,
            "provider_response": "After-school club and alternate Saturday respite introduced; "
            "satellite provision in Hoo from February 2025.",
        }
    ],
}


def _dps_herefordshire(actor: User) -> DPS:
    dps = DPS.objects.filter(council=actor.active_council, title=HEREFORDSHIRE_DPS).first()
    if dps is None:
        dps = dps_create(
            actor=actor,
            title=HEREFORDSHIRE_DPS,
            start_date=date(2017, 4, 1),
            end_date=date(2023, 3, 31),
            categories="Specialist daytime buddying (1:1 or 2:1 in the community)\n"
            "Domiciliary care\nOvernight support in the home",
        )
    for name, steps in HEREFORDSHIRE_MEMBERSHIPS.items():
        provider = Provider.objects.get(council=dps.council, name=name)
        if DPSMembership.objects.filter(dps=dps, provider=provider).exists():
            continue
        (_, applied_on, reason), *moves = steps
        membership = dps_membership_apply(
            actor=actor, dps=dps, provider=provider, on=applied_on, reason=reason
        )
        for action, on, reason in moves:
            if action == "approve":
                dps_membership_record_checks(
                    actor=actor,
                    membership=membership,
                    check_registration=True,
                    check_insurance=True,
                    check_safeguarding_policy=True,
                    check_dbs=True,
                    check_financial_standing=True,
                )
                membership.refresh_from_db()
            membership = dps_membership_transition(
                actor=actor, membership=membership, action=action, on=on, reason=reason
            )
    return dps


def _contract(actor: User, finance: User, manager: User, entry: dict) -> Contract:
    council = actor.active_council
    fields = entry["fields"]
    contract = Contract.objects.filter(council=council, reference=fields["reference"]).first()
    if contract is None:
        dps = DPS.objects.get(council=council, title=entry["dps"]) if "dps" in entry else None
        contract = contract_create(actor=actor, dps=dps, **fields)
        if not entry.get("draft"):
            contract = contract_activate(actor=actor, contract=contract)
    for slug in entry.get("participating", ()):
        _take_part(actor, contract, Council.objects.get(slug=slug))
    for number, name, description, titles, awards in entry["lots"]:
        lot = Lot.objects.filter(contract=contract, number=number).first()
        if lot is None:
            lot = lot_create(
                actor=actor,
                contract=contract,
                number=number,
                name=name,
                description=description,
                services=list(Service.objects.filter(council=council, title__in=titles)),
            )
        for provider_name, rates, capacity, value, awarded_on in awards:
            provider = Provider.objects.get(council=council, name=provider_name)
            if not lot.awards.filter(provider=provider).exists():
                award_create(
                    actor=actor,
                    lot=lot,
                    provider=provider,
                    rates=rates,
                    capacity=capacity,
                    value=value,
                    awarded_on=awarded_on,
                )
    if entry.get("manager") and contract.contract_manager_id != manager.pk:
        contract = contract_set_manager(actor=actor, contract=contract, manager=manager)
    for year, amount in entry.get("spend", {}).items():
        contract_spend_set(actor=finance, contract=contract, financial_year=year, amount=amount)
    return contract


def _take_part(lead: User, contract: Contract, council: Council) -> None:
    """The lead invites the council, and the council's demo commissioner accepts. A council
    that has since declined, or was withdrawn, is left as it is."""
    participation = ContractParticipation.objects.filter(contract=contract, council=council).first()
    if participation is None:
        participation = contract_participation_invite(
            actor=lead, contract=contract, council=council
        )
    if participation.status == ParticipationStatus.INVITED:
        contract_participation_accept(actor=demo_actor(council.slug), participation=participation)


def _monitoring(actor: User, contract: Contract, records: list[dict]) -> None:
    for fields in records:
        fields = dict(fields)
        kind, held_on = fields.pop("kind"), fields.pop("held_on")
        summary = fields.pop("summary")
        if MonitoringRecord.objects.filter(contract=contract, kind=kind, held_on=held_on).exists():
            continue
        monitoring_record_create(
            actor=actor, contract=contract, kind=kind, held_on=held_on, summary=summary, **fields
        )


def _extension(actor: User, contract: Contract, story: dict) -> None:
    if contract.extensions.exists():
        return
    extension = extension_create(actor=actor, contract=contract, **story["request"])
    extension = extension_submit(actor=actor, extension=extension)
    for role, name, decision, decided_on, *comment in story["approvals"]:
        extension_record_approval(
            actor=actor,
            extension=extension,
            role=role,
            name=name,
            decision=decision,
            decided_on=decided_on,
            comment=comment[0] if comment else "",
        )
    extension_decide(actor=actor, extension=extension, **story["decision"])


def seed(*, password: str) -> list[tuple[str, str]]:
    """Create the registers' records that do not exist yet, in the order things happened."""
    for slug, entries in CONTRACTS.items():
        actor = demo_actor(slug)
        finance = demo_actor(slug, Role.FINANCE_OFFICER)
        manager = demo_actor(slug, Role.CONTRACT_MANAGER)
        if slug == "herefordshire":
            _dps_herefordshire(actor)
        for entry in entries:
            contract = _contract(actor, finance, manager, entry)
            key = (slug, contract.reference)
            # Monitoring and the extension in date order, so the timeline reads as it happened.
            steps = [(r["held_on"], _monitoring, [r]) for r in MONITORING.get(key, [])]
            if key in EXTENSIONS:
                story = EXTENSIONS[key]
                steps.append((story["decision"]["decided_on"], _extension, story))
            for _, step, what in sorted(steps, key=lambda s: s[0]):
                step(actor, contract, what)
    for (slug, year, package_type), (budget, outturn) in SPEND_LINES.items():
        spend_line_set(
            actor=demo_actor(slug, Role.FINANCE_OFFICER),
            financial_year=year,
            package_type=package_type,
            budget=budget,
            outturn=outturn,
        )
    return []
