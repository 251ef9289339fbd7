"""Made-up children and families for the five seed councils, each on its journey through the tiers.

Nobody here is a real person: names and streets come from Faker (en_GB) seeded with fixed numbers,
NHS numbers are from the 999 range that is never issued, and telephone numbers are from Ofcom's
range kept for drama. The numbers follow the council reports, scaled down where a report counts
hundreds so the seed stays quick:

- Herefordshire: 25 specialist-tier children aged 8 to 17 on the Tier 3 DPS; packages average
  5 hours a week at 1:1 and 8.5 at 2:1, and one runs at 168 hours a week at 2:1 to prevent a crisis.
- Warwickshire: about 400 children are eligible across direct payments, commissioned and spot
  purchased packages; 40 are seeded here, one in ten, in roughly the report's proportions, with a
  few more on their way through referral, assessment and the panel.
- Medway: short break grant applications waiting 4 to 12 months, some still undecided.
- Shropshire: the six high-risk children in overnight short breaks, their nights recorded, one
  stay close to the 17-night threshold; each referral form is held on the child's record.
- Birmingham: the Trust keeps the specialist children (including the reduced and the ceased
  package, reviewed lawfully this time); the Council the universal and targeted ones.

Every step goes through `referrals.services` as the council's demo social worker, with the demo
team manager authorising and recording the panel, so the records pass the same checks as real
ones. Dates are placed relative to the day the seed first runs, so caseloads, reviews due and the
grant waiting list read as live. A child is found again by council + council child id (e.g.
"HC-0001"); a child already recorded is left as they are, with everything about them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from faker import Faker

from contracts.models import ContractStatus, Lot
from providers.demo import demo_actor
from providers.models import Service
from referrals.census_codes import ClosureReason, upn_check_letter
from referrals.models import (
    Assessment,
    AssessmentOutcome,
    CaseNote,
    Child,
    Disability,
    FundingRoute,
    GrantScheme,
    GrantStatus,
    NotDeliveredReason,
    Package,
    PackageLine,
    PackageStatus,
    PanelOutcome,
    PaymentStatus,
    PrimaryNeed,
    Referral,
    ReferralSource,
    ReferralStatus,
    ReviewOutcome,
)
from referrals.nhs import nhs_check_digit
from referrals.services import assessments as assessment_services
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from referrals.services import documents as document_services
from referrals.services import grants as grant_services
from referrals.services import notes as note_services
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from referrals.services import referrals as referral_services
from referrals.services import reviews as review_services
from shortbreaks.councils.models import Council, Role, User

FAKER_SEED = 20_110_401  # the Breaks for Carers of Disabled Children Regulations, 1 April 2011

PANEL_MEMBERS = [
    "Head of Service, Children with Disabilities (chair)",
    "Team manager, Children with Disabilities",
    "Commissioning officer",
    "Finance business partner",
]

# Outward codes in each council's area; the inward half is made up.
OUTWARD_CODES = {
    "herefordshire": ["HR1", "HR2", "HR4", "HR6", "HR8", "HR9"],
    "warwickshire": ["CV10", "CV11", "CV21", "CV22", "CV34", "CV37"],
    "medway": ["ME1", "ME2", "ME3", "ME4", "ME5", "ME7"],
    "shropshire": ["SY1", "SY2", "SY3", "SY11", "TF9"],
    "birmingham": ["B8", "B12", "B17", "B23", "B31", "B44"],
}
TOWNS = {
    "herefordshire": ["Hereford", "Leominster", "Ross-on-Wye", "Ledbury", "Kington"],
    "warwickshire": ["Nuneaton", "Rugby", "Warwick", "Leamington Spa", "Stratford-upon-Avon"],
    "medway": ["Chatham", "Gillingham", "Rochester", "Strood", "Hoo"],
    "shropshire": ["Shrewsbury", "Oswestry", "Market Drayton", "Ludlow", "Bridgnorth"],
    "birmingham": ["Birmingham"],
}
STREETS = ["Road", "Close", "Lane", "Street", "Avenue", "Drive", "Way", "Gardens"]
COUNCIL_INDEX = {slug: n for n, slug in enumerate(OUTWARD_CODES, start=1)}

DIRECT_PAYMENT_RATE = Decimal("16.50")  # an hour of a personal assistant, as families pay it
SPOT_PREMIUM = Decimal("1.25")  # agency and spot purchased hours cost more than framework ones


# ----------------------------------------------------------------------------------------------
# What each child's story is made of


@dataclass(frozen=True)
class Line:
    """One service in a package: hours a week or nights a year; the rate follows the route."""

    service: str
    route: str = FundingRoute.COMMISSIONED
    ratio: str = "1:1"
    hours: str | None = None
    nights: int | None = None
    rate: str | None = None


@dataclass
class Story:
    number: int
    prefix: str
    ages: tuple[int, int] = (8, 17)
    referral_outcome: str | None = ReferralStatus.ACCEPTED_FOR_ASSESSMENT
    source: str = ReferralSource.LA_SOCIAL_CARE
    need: str = PrimaryNeed.N2
    request: str = "Regular short breaks so the family can keep caring."
    # days before today the referral arrived
    days_ago: int = 300
    # "in_progress" or "completed" stop the assessment there; None runs it to authorised
    assessment_stop: str | None = None
    outcome: str = AssessmentOutcome.SPECIALIST
    lines: list[Line] = field(default_factory=list)
    panel: tuple[str, ...] = (PanelOutcome.APPROVED,)
    start: bool = True
    # the last review: increase, reduce or cease (after any continue reviews)
    final_review: str | None = None
    grant: str | None = None  # a decision, or GrantStatus.RECEIVED for one still waiting
    grant_waited_days: int = 150
    payment: str | None = None
    keyworker: bool = True
    overnights: str | None = None  # "regular" or "long stay"
    referral_form: bool = False
    delivery_shortfall: str = ""


@dataclass
class Place:
    """One council and its demo people."""

    slug: str
    council: Council
    social_worker: User
    team_manager: User
    today: date
    fake: Faker
    services: dict[str, Service]
    schemes: dict[str, GrantScheme] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------
# The councils

# Herefordshire: 18 children at 1:1 averaging 5 hours, 6 at 2:1 averaging 8.5, and one at 168.
HEREFORD_ONE_TO_ONE = [3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 7]
HEREFORD_TWO_TO_ONE = [6, 7, 8, 9, 10, 11]
HEREFORD_ONE_TO_ONE_SERVICES = [
    "Specialist daytime buddying",
    "Daytime buddying in the community",
    "Community buddying",
    "Domiciliary care short breaks",
]
HEREFORD_TWO_TO_ONE_SERVICES = [
    "Specialist daytime buddying",
    "Domiciliary care short breaks",
    "Daytime buddying in the community",
]


def herefordshire_stories() -> list[Story]:
    stories = []
    for n, hours in enumerate(HEREFORD_ONE_TO_ONE, start=1):
        service = HEREFORD_ONE_TO_ONE_SERVICES[n % len(HEREFORD_ONE_TO_ONE_SERVICES)]
        stories.append(
            Story(
                n,
                "HC",
                source=[ReferralSource.SCHOOLS, ReferralSource.INDIVIDUAL_FAMILY][n % 2],
                request="Daytime support in the community at weekends and in the holidays.",
                days_ago=160 + 19 * n,
                lines=[Line(service, hours=str(hours))],
                delivery_shortfall=NotDeliveredReason.STAFF_SHORTAGE if n % 4 == 1 else "",
            )
        )
    for m, hours in enumerate(HEREFORD_TWO_TO_ONE, start=len(stories) + 1):
        service = HEREFORD_TWO_TO_ONE_SERVICES[m % len(HEREFORD_TWO_TO_ONE_SERVICES)]
        lines = [Line(service, ratio="2:1", hours=str(hours))]
        if m % 3 == 0:
            lines.append(Line("Overnight support in the home", nights=24))
        stories.append(
            Story(
                m,
                "HC",
                need=PrimaryNeed.N2,
                request="Two carers to support the child safely out of the home.",
                days_ago=200 + 23 * m,
                lines=lines,
                delivery_shortfall=NotDeliveredReason.PROVIDER_WITHDREW if m == 20 else "",
            )
        )
    stories.append(
        Story(
            len(stories) + 1,
            "HC",
            ages=(14, 16),
            need=PrimaryNeed.N4,
            request="Intensive support at home to prevent family breakdown.",
            days_ago=420,
            lines=[Line("Domiciliary care short breaks", ratio="2:1", hours="168")],
            panel=(PanelOutcome.DEFERRED, PanelOutcome.APPROVED),
        )
    )
    return stories


def warwickshire_stories() -> list[Story]:
    """40 of Warwickshire's ~400 eligible children (one in ten), then a few still in the pipeline.

    By spend in 2023/24: direct payments £1.32m, commissioned £1.11m, agency home care £2.04m and
    spot purchase £0.48m; the agency and spot purchased packages are the largest and dearest.
    """
    stories = []
    for n in range(1, 41):
        if n <= 12:
            service = ["Supported exploring", "Day support at home"][n % 2]
            lines = [Line(service, FundingRoute.DIRECT_PAYMENT, hours=str(4 + n % 5))]
        elif n <= 28:
            choice = n % 4
            if choice == 0:
                lines = [Line("Day support at home", ratio=["1:1", "2:1"][n % 2], hours="6")]
            elif choice == 1:
                lines = [Line("Supported exploring", hours=str(3 + n % 4))]
            elif choice == 2:
                lines = [Line("Night support at home", nights=26 + n)]
            else:
                lines = [Line("Residential overnight short breaks", nights=24 + n)]
        else:
            ratio = "2:1" if n % 3 == 0 else "1:1"
            lines = [
                Line("Day support at home", FundingRoute.SPOT_PURCHASE, ratio, str(8 + n % 12))
            ]
            if n % 4 == 0:
                lines.append(Line("Night support at home", FundingRoute.SPOT_PURCHASE, nights=52))
        story = Story(
            n,
            "WCC",
            ages=(5, 17),
            source=[
                ReferralSource.SCHOOLS,
                ReferralSource.HEALTH_OTHER,
                ReferralSource.INDIVIDUAL_FAMILY,
                ReferralSource.LA_EARLY_HELP,
            ][n % 4],
            days_ago=150 + 11 * n,
            lines=lines,
            delivery_shortfall=NotDeliveredReason.FAMILY_CANCELLED if n % 9 == 0 else "",
        )
        stories.append(story)
    # Variations on the way through: an increase at review, the panel's other decisions, and
    # assessments waiting for their author or for authorisation.
    stories[4].final_review = ReviewOutcome.INCREASE
    stories[4].days_ago = 420
    stories[35].panel = (PanelOutcome.DEFERRED,)
    stories[36].panel = (PanelOutcome.DECLINED,)
    stories[37].start = False
    for story in stories[35:38]:
        story.days_ago = 120
    stories[38].assessment_stop, stories[38].days_ago = "completed", 70
    stories[39].assessment_stop, stories[39].days_ago = "in_progress", 40
    stories += [
        Story(41, "WCC", referral_outcome=None, days_ago=3, request="Help at home after school."),
        Story(42, "WCC", referral_outcome=ReferralStatus.SCREENING, days_ago=12),
        Story(
            43,
            "WCC",
            referral_outcome=ReferralStatus.NO_FURTHER_ACTION,
            source=ReferralSource.HEALTH_GP,
            need=PrimaryNeed.N3,
            days_ago=90,
            request="Support while a parent recovers from an operation.",
        ),
        Story(44, "WCC", outcome=AssessmentOutcome.NO_SUPPORT, days_ago=200),
        Story(45, "WCC", outcome=AssessmentOutcome.UNIVERSAL, days_ago=230),
    ]
    return stories


def medway_stories() -> list[Story]:
    """Applications to the short break grant received 4 to 12 months ago: the oldest decided after
    months of waiting, the rest still waiting."""
    decisions = [
        (GrantStatus.APPROVED, PaymentStatus.PAID),
        (GrantStatus.APPROVED, PaymentStatus.PAID),
        (GrantStatus.DECLINED, None),
        (GrantStatus.APPROVED, PaymentStatus.AWAITING_PAYMENT),
        (GrantStatus.APPROVED, PaymentStatus.STOPPED),
        (GrantStatus.DECLINED, None),
        (GrantStatus.APPROVED, PaymentStatus.PAID),
        (GrantStatus.APPROVED, PaymentStatus.AWAITING_PAYMENT),
    ]
    stories = []
    for n in range(1, 19):
        received_days_ago = 365 - (n - 1) * 14  # from 12 months down to about 4
        decision, payment = (
            decisions[n - 1] if n <= len(decisions) else (GrantStatus.RECEIVED, None)
        )
        stories.append(
            Story(
                n,
                "MC",
                ages=(4, 17),
                referral_outcome=ReferralStatus.REFERRED_TARGETED,
                source=ReferralSource.INDIVIDUAL_FAMILY,
                request="A short break grant to pay for activities in the holidays.",
                days_ago=received_days_ago + 7,
                grant=decision,
                grant_waited_days=120 + 12 * n,
                payment=payment,
                keyworker=False,
            )
        )
    stories += [
        Story(
            19,
            "MC",
            request="Respite at ROCC on Saturdays through the Access to Resources Panel.",
            days_ago=330,
            lines=[Line("ROCC respite sessions", hours="4", rate="21.25")],
        ),
        Story(
            20,
            "MC",
            ages=(5, 11),
            days_ago=260,
            lines=[Line("ROCC after-school club", ratio="1:2", hours="6", rate="10.00")],
        ),
        Story(
            21,
            "MC",
            referral_outcome=ReferralStatus.SIGNPOSTED_UNIVERSAL,
            source=ReferralSource.SCHOOLS,
            days_ago=60,
            request="Something for the holidays with other children.",
            keyworker=False,
        ),
        Story(
            22,
            "MC",
            referral_outcome=ReferralStatus.NO_FURTHER_ACTION,
            source=ReferralSource.INDIVIDUAL_SELF,
            need=PrimaryNeed.N9,
            days_ago=45,
            request="Information about clubs nearby.",
            keyworker=False,
        ),
    ]
    return stories


def shropshire_stories() -> list[Story]:
    """The six children assessed as high risk who use the overnight short breaks."""
    stories = []
    for n in range(1, 7):
        ratio = "2:1" if n in (2, 5) else "1:1"
        stories.append(
            Story(
                n,
                "SC",
                ages=(10, 17),
                need=[PrimaryNeed.N2, PrimaryNeed.N4][n % 2],
                request="Planned overnight short breaks; without them the family is at risk of "
                "breaking down and the child of needing a full-time placement.",
                days_ago=260 + 15 * n,
                lines=[
                    Line("Specialised overnight stays", ratio=ratio, nights=52 + 4 * n),
                    Line("Community short breaks", hours=str(3 + n % 3)),
                ],
                overnights="long stay" if n == 3 else "regular",
                referral_form=True,
            )
        )
    return stories


def birmingham_stories() -> list[Story]:
    """The Trust's specialist children (BCT) and the Council's universal and targeted ones (BCC)."""
    trust = [
        Story(
            1,
            "BCT",
            days_ago=520,
            lines=[
                Line("Specialist community support", hours="6"),
                Line("Support at home", hours="4"),
            ],
            final_review=ReviewOutcome.REDUCE,
        ),
        Story(
            2,
            "BCT",
            days_ago=560,
            lines=[Line("Specialist community support", hours="5")],
            final_review=ReviewOutcome.CEASE,
        ),
    ]
    for n in range(3, 9):
        lines = [Line("Specialist community support", ratio=["1:1", "2:1"][n % 2], hours=str(n))]
        if n % 3 == 0:
            lines.append(Line("Overnight short breaks", nights=36))
        trust.append(Story(n, "BCT", days_ago=180 + 20 * n, lines=lines))
    council = []
    for n in range(1, 9):
        targeted = n > 4
        council.append(
            Story(
                n,
                "BCC",
                ages=(5, 16),
                referral_outcome=(
                    ReferralStatus.REFERRED_TARGETED
                    if targeted
                    else ReferralStatus.SIGNPOSTED_UNIVERSAL
                ),
                source=[ReferralSource.SCHOOLS, ReferralSource.LA_EARLY_HELP][n % 2],
                request="Inclusive activities in the school holidays.",
                days_ago=100 + 9 * n,
                grant=GrantStatus.APPROVED if targeted else None,
                grant_waited_days=30,
                payment=PaymentStatus.PAID if n % 2 else None,
                keyworker=False,
            )
        )
    return trust + council


SCHEMES = {
    "medway": (
        "Short break grant",
        "Children and young people aged 0 to 18 living in Medway with a diagnosed disability or "
        "additional need who need support beyond universal services; a social care assessment is "
        "not needed. The grant pays for short breaks the family chooses.",
        Decimal("1000.00"),
    ),
    "birmingham": (
        "Targeted short breaks allowance",
        "Disabled children and young people in Birmingham who need more than the universal offer "
        "and can take part in group activities without a social care assessment.",
        Decimal("600.00"),
    ),
}

STORIES: dict[str, Callable[[], list[Story]]] = {
    "herefordshire": herefordshire_stories,
    "warwickshire": warwickshire_stories,
    "medway": medway_stories,
    "shropshire": shropshire_stories,
    "birmingham": birmingham_stories,
}


# ----------------------------------------------------------------------------------------------
# Writing a story through the services


def _financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _postcode(slug: str, rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{rng.choice(OUTWARD_CODES[slug])} {inward}"


def _nhs_number(rng: random.Random) -> str:
    """A number from the 999 range, which the NHS keeps for testing and never issues."""
    while True:
        first_nine = f"999{rng.randint(0, 999_999):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def _referral_form(child: Child, referral: Referral) -> bytes:
    """A one-page PDF standing in for the scanned referral form."""
    text = f"Referral form: {child.council_child_id}, received {referral.received_on:%d/%m/%Y}"
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(body)


def _child(place: Place, story: Story, rng: random.Random) -> Child:
    fake, slug = place.fake, place.slug
    last = fake.last_name()
    age_days = rng.randint(story.ages[0] * 365 + 30, story.ages[1] * 365 + 300)
    disabilities = rng.sample(
        [
            Disability.AUT,
            Disability.LD,
            Disability.COMM,
            Disability.BEH,
            Disability.MOB,
            Disability.PC,
            Disability.HAND,
            Disability.INC,
            Disability.HEAR,
            Disability.VIS,
            Disability.CON,
            Disability.DDA,
        ][: rng.choice([4, 8, 12])],
        k=rng.randint(1, 3),
    )
    communication = rng.choice(
        [
            "",
            "Uses Makaton and a picture timetable.",
            "Non-verbal; communicates with an eye-gaze device.",
            "Needs time to process spoken words; short sentences help.",
            "British Sign Language.",
        ]
    )
    first_name = rng.choice([fake.first_name_male, fake.first_name_female])
    child_id = f"{story.prefix}-{story.number:04d}"
    child = child_services.child_create(
        actor=place.social_worker,
        keyworker=place.social_worker if story.keyworker else None,
        today=place.today,
        first_name=first_name(),
        last_name=last,
        date_of_birth=place.today - timedelta(days=age_days),
        council_child_id=child_id,
        **_census_items(place, story, sex="M" if first_name == fake.first_name_male else "F"),
        nhs_number=_nhs_number(rng) if rng.random() < 0.8 else "",
        address=f"{rng.randint(1, 120)} {fake.last_name()} {rng.choice(STREETS)}\n"
        f"{rng.choice(TOWNS[slug])}",
        postcode=_postcode(slug, rng),
        disabilities=disabilities,
        communication_needs=communication,
        school=f"{fake.last_name()} {rng.choice(['Primary School', 'Academy', 'Special School'])}",
    )
    carers = [("mother", fake.first_name_female), ("father", fake.first_name_male)]
    if rng.random() < 0.15:
        carers = [("grandmother", fake.first_name_female)]
    for relationship, first_name in carers[: rng.randint(1, len(carers))]:
        carer_services.carer_add(
            actor=place.social_worker,
            child=child,
            name=f"{first_name()} {last}",
            relationship=relationship,
            contact=f"07700 900{rng.randint(0, 999):03d}",  # Ofcom's range for drama
            own_needs=rng.choice(
                [
                    "",
                    "Works nights; sleeps little when the child is unsettled.",
                    "Has a long-term back injury from lifting.",
                    "Cares for two younger children as well.",
                    "Low mood since the child's diagnosis; supported by the GP.",
                ]
            ),
        )
    return child


# The census's ethnicity codes, roughly as common as among disabled children in England.
DEMO_ETHNICITIES = ["WBRI"] * 14 + ["WOTH", "MWBC", "AIND", "APKN", "BCRB", "BAFR", "MOTH"]


def _census_items(place: Place, story: Story, *, sex: str) -> dict:
    """Sex, ethnicity and a real-shaped unique pupil number (with its check letter and the
    council's DfE number) for the children in need census. From a generator of its own, so the
    demo's other made-up details stay as they were."""
    rng = random.Random(f"census-{place.slug}-{story.prefix}-{story.number}")  # noqa: S311
    prefix = sum(ord(ch) for ch in story.prefix) % 1000
    serial = f"{COUNCIL_INDEX[place.slug] % 10}{prefix:03d}{story.number:04d}0"
    body = f"{place.council.dfe_la_number or '000'}{serial}"
    return {
        "sex": sex,
        "ethnicity": rng.choice(DEMO_ETHNICITIES),
        "upn": upn_check_letter(f"A{body}") + body if place.council.dfe_la_number else "",
    }


def _referral(place: Place, child: Child, story: Story, received_on: date) -> Referral:
    sw = place.social_worker
    referral = referral_services.referral_create(
        actor=sw,
        child=child,
        received_on=received_on,
        source=story.source,
        primary_need=story.need,
        request=story.request,
        referrer={
            ReferralSource.SCHOOLS: f"SENCo, {child.school}",
            ReferralSource.INDIVIDUAL_FAMILY: "Parent, by telephone",
            ReferralSource.HEALTH_OTHER: "Community paediatrician",
        }.get(story.source, ""),
        today=place.today,
    )
    if story.referral_form:
        document_services.referral_document_add(
            actor=sw,
            referral=referral,
            upload=ContentFile(_referral_form(child, referral)),
            name="referral-form.pdf",
            description="Referral form to the overnight short breaks provider",
        )
    if story.referral_outcome is None:
        return referral
    referral_services.referral_transition(
        actor=sw, referral=referral, status=ReferralStatus.SCREENING, on=received_on
    )
    if story.referral_outcome == ReferralStatus.SCREENING:
        return referral
    reasons = {
        ReferralStatus.ACCEPTED_FOR_ASSESSMENT: "Needs appear to meet the threshold for "
        "specialist short breaks: accepted for an assessment of the child's and carers' needs.",
        ReferralStatus.SIGNPOSTED_UNIVERSAL: "Needs can be met by the universal offer: family "
        "given the local offer and details of inclusive clubs nearby.",
        ReferralStatus.REFERRED_TARGETED: "Needs go beyond universal services but do not call for "
        "a social care assessment: referred to the targeted offer.",
        ReferralStatus.NO_FURTHER_ACTION: "No unmet need for short breaks found; the family has "
        "the information it asked for.",
    }
    return referral_services.referral_transition(
        actor=sw,
        referral=referral,
        status=story.referral_outcome,
        on=received_on + timedelta(days=7),
        reason=reasons[story.referral_outcome],
    )


def _assessment(
    place: Place,
    child: Child,
    *,
    started_on: date,
    outcome: str,
    recommended: str,
    referral: Referral | None = None,
    stop: str | None = None,
) -> Assessment:
    sw, tm = place.social_worker, place.team_manager
    assessment = assessment_services.assessment_start(
        actor=sw, child=child, started_on=started_on, referral=referral
    )
    assessment_services.assessment_update(
        actor=sw,
        assessment=assessment,
        child_needs=f"{child.first_name} needs support to go out safely and to manage changes "
        f"in routine; {child.get_disabilities_display().lower()}.",
    )
    if stop == "in_progress":
        return assessment
    assessment_services.assessment_update(
        actor=sw,
        assessment=assessment,
        carer_needs="Parents provide care day and night with little family support nearby.",
        carer_could_continue_without_breaks=outcome == AssessmentOutcome.NO_SUPPORT,
        breaks_enable_work=True,
        breaks_enable_study=False,
        breaks_enable_other_children=True,
        breaks_enable_household=True,
        outcome=outcome,
        recommended_support=recommended,
        # The census's factors: the child's own disability (learning or physical).
        factors=["5A"] if Disability.LD in child.disabilities else ["6A"],
    )
    assessment = assessment_services.assessment_complete(
        actor=sw, assessment=assessment, on=started_on + timedelta(days=35)
    )
    if stop == "completed":
        return assessment
    return assessment_services.assessment_authorise(
        actor=tm, assessment=assessment, on=started_on + timedelta(days=42)
    )


def _lot(place: Place, service: Service) -> Lot | None:
    """The live lot the service is bought under from its provider, if there is one."""
    return (
        Lot.objects.filter(
            council=place.council,
            services=service,
            awards__provider_id=service.provider_id,
            contract__status__in=[ContractStatus.ACTIVE, ContractStatus.EXTENDED],
        )
        .order_by("id")
        .first()
    )


def _add_line(place: Place, package: Package, spec: Line, start_on: date) -> PackageLine:
    service = place.services[spec.service]
    route, lot = spec.route, None
    if route == FundingRoute.COMMISSIONED:
        lot = _lot(place, service)
        if lot is None:  # the contract has expired since: the council buys it on the spot
            route = FundingRoute.SPOT_PURCHASE
    if spec.rate is not None:
        rate = Decimal(spec.rate)
    elif route == FundingRoute.DIRECT_PAYMENT:
        rate = DIRECT_PAYMENT_RATE
    else:
        rate = service.price or Decimal("25.00")
        if route == FundingRoute.SPOT_PURCHASE and not spec.nights:
            rate = (rate * SPOT_PREMIUM).quantize(Decimal("0.01"))
    if spec.ratio == "2:1" and spec.rate is None and not spec.nights:
        rate *= 2
    return package_services.package_line_add(
        actor=place.social_worker,
        package=package,
        service=service,
        provider=service.provider,
        funding_route=route,
        ratio=spec.ratio,
        unit_rate=rate,
        start_on=start_on,
        hours_per_week=Decimal(spec.hours) if spec.hours else None,
        nights_per_year=spec.nights,
        lot=lot,
        # The demo's history: each line agreed when its package started, or, on a contract that
        # had ended by then, called off in its last days (Herefordshire's DPS overran so).
        agreed_on=min(start_on, lot.contract.end_date) if lot is not None else start_on,
    )


def _package(place: Place, child: Child, story: Story, assessment: Assessment) -> Package | None:
    sw, tm = place.social_worker, place.team_manager
    decided_on = assessment.authorised_on + timedelta(days=14)
    start_on = decided_on + timedelta(days=14)
    package = package_services.package_propose(
        actor=sw, child=child, assessment=assessment, start_on=start_on
    )
    for spec in story.lines:
        _add_line(place, package, spec, start_on)
    reasons = {
        PanelOutcome.APPROVED: "Meets the criteria for specialist short breaks; the support "
        "matches the needs the assessment found.",
        PanelOutcome.DEFERRED: "Deferred for the provider to confirm it has staff for these "
        "hours; to come back to the next panel.",
        PanelOutcome.DECLINED: "Declined as proposed: the panel asks for a package built on the "
        "community offer first, with the family's views on it.",
    }
    for decision in story.panel:
        package_services.panel_decision_record(
            actor=tm,
            package=package,
            decision=decision,
            reasons=reasons[decision],
            decided_on=decided_on,
            members=PANEL_MEMBERS,
        )
        decided_on += timedelta(days=14)
        start_on = decided_on + timedelta(days=7)
    if story.panel[-1] != PanelOutcome.APPROVED or not story.start:
        return None
    return package_services.package_activate(actor=sw, package=package, on=start_on)


def _deliveries(place: Place, package: Package, story: Story) -> None:
    """Four weeks of delivery on each hourly line, with any shortfall and why."""
    period_end = place.today - timedelta(days=7)
    period_start = period_end - timedelta(days=27)
    notes = {
        NotDeliveredReason.STAFF_SHORTAGE: "The provider could not cover two sessions: staff "
        "shortage.",
        NotDeliveredReason.PROVIDER_WITHDREW: "The provider gave notice and withdrew from the "
        "package; the council is finding another.",
        NotDeliveredReason.FAMILY_CANCELLED: "The family cancelled: the child was unwell.",
    }
    for line in package.lines.filter(hours_per_week__isnull=False, start_on__lte=period_start):
        planned = line.hours_per_week * 4
        missed = Decimal(0)
        if story.delivery_shortfall:
            missed = planned if story.delivery_shortfall == "provider_withdrew" else planned / 4
        package_services.delivery_record_add(
            actor=place.social_worker,
            line=line,
            period_start=period_start,
            period_end=period_end,
            hours_delivered=planned - missed,
            hours_not_delivered=missed,
            reason=story.delivery_shortfall if missed else "",
            notes=notes.get(story.delivery_shortfall, "") if missed else "",
        )


def _reviews(place: Place, child: Child, package: Package, story: Story) -> None:
    """Reviews to continue when each fell due, then the story's last review if it has one."""
    sw = place.social_worker
    last_day = place.today - timedelta(days=70 if story.final_review else 7)
    while package.next_review_due and package.next_review_due + timedelta(days=5) <= last_day:
        review_services.review_record(
            actor=sw,
            package=package,
            held_on=package.next_review_due + timedelta(days=5),
            outcome=ReviewOutcome.CONTINUE,
            reasons="The support meets the child's needs and the family wants it to go on.",
            family_views="The family says the breaks help them keep going.",
        )
        package.refresh_from_db()
    if story.final_review == ReviewOutcome.INCREASE:
        held_on = place.today - timedelta(days=40)
        review_services.review_record(
            actor=sw,
            package=package,
            held_on=held_on,
            outcome=ReviewOutcome.INCREASE,
            reasons="Mother has returned to work; the child needs support after school too.",
            family_views="Parents asked for more help on weekday afternoons.",
        )
        _add_line(place, package, Line("Supported exploring", hours="3"), held_on)
    elif story.final_review in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE):
        _reduce_or_cease(place, child, package, story.final_review)


def _reduce_or_cease(place: Place, child: Child, package: Package, outcome: str) -> None:
    """A reduction or an ending that stands up: reassessed, reasoned, the family heard and told."""
    sw = place.social_worker
    held_on = place.today - timedelta(days=30)
    reduce = outcome == ReviewOutcome.REDUCE
    reassessment = _assessment(
        place,
        child,
        started_on=held_on - timedelta(days=60),
        outcome=AssessmentOutcome.SPECIALIST if reduce else AssessmentOutcome.TARGETED,
        recommended="Specialist community support, 6 hours a week; support at home no longer "
        "needed."
        if reduce
        else "Targeted short breaks: an inclusive holiday play scheme and after-school club.",
    )
    if reduce:
        reasons = (
            f"The reassessment found that {child.first_name} now goes to an after-school club "
            "three afternoons a week and manages personal care with less help, so support at "
            "home is no longer needed. Community support continues at 6 hours a week."
        )
        views = (
            "The family agrees the after-school club meets the weekday need and asked that "
            "community support stays with the same worker; this has been agreed."
        )
    else:
        reasons = (
            f"The reassessment found that {child.first_name}'s needs are now met at school and "
            "by targeted activities: specialist support is no longer needed. Targeted short "
            "breaks are offered instead from the month the package ends."
        )
        views = (
            "Father disagrees and worries about the summer holidays; he was told how to ask for "
            "the decision to be looked at again and how to complain, and the holiday play scheme "
            "was booked before the package ends."
        )
    review_services.review_record(
        actor=sw,
        package=package,
        held_on=held_on,
        outcome=outcome,
        reasons=reasons,
        family_views=views,
        family_told_on=held_on + timedelta(days=3),
        reassessment=reassessment,
    )
    if reduce:
        line = package.lines.get(service__title="Support at home")
        package_services.package_line_end(
            actor=sw,
            line=line,
            end_on=held_on + timedelta(days=28),
            reason="Reduced at review after the reassessment; the family was told with 28 "
            "days' notice.",
        )


def _overnights(place: Place, child: Child, package: Package, story: Story) -> None:
    """Weekend stays a fortnight apart; for one child a 16-night stay while a parent was in
    hospital, a night short of the 17 past which the child would become looked after."""
    line = package.lines.filter(nights_per_year__isnull=False).first()
    long_stay = None
    if story.overnights == "long stay":
        first = place.today - timedelta(days=70)
        long_stay = (first, 16)
    stays = []
    night = package.start_on + timedelta(days=(4 - package.start_on.weekday()) % 7)  # a Friday
    while night + timedelta(days=2) < place.today:
        if long_stay is None or not (
            long_stay[0] - timedelta(days=3) <= night <= long_stay[0] + timedelta(days=18)
        ):
            stays.append((night, 2))
        night += timedelta(days=14)
    if long_stay:
        stays.append(long_stay)
    for first_night, nights in sorted(stays):
        overnight_services.overnight_stay_record(
            actor=place.social_worker,
            child=child,
            first_night=first_night,
            nights=nights,
            line=line,
        )


def _grant(place: Place, child: Child, story: Story, received_on: date) -> None:
    sw = place.social_worker
    scheme = place.schemes[place.slug]
    application = grant_services.grant_application_create(
        actor=sw,
        child=child,
        scheme=scheme,
        received_on=received_on,
        answers={
            "What would a short break let your family do?": "Have a few hours to rest and "
            "spend time with our other children.",
            "What does your child enjoy?": place.fake.random_element(
                ["Swimming", "Trampolining", "Music", "Horse riding", "Football", "Art"]
            ),
        },
    )
    if story.grant == GrantStatus.RECEIVED:
        return
    decided_on = received_on + timedelta(days=story.grant_waited_days)
    if story.grant == GrantStatus.APPROVED:
        amount = scheme.max_amount * Decimal(str(0.5 + 0.1 * (story.number % 5)))
        application = grant_services.grant_application_decide(
            actor=sw,
            application=application,
            decision=GrantStatus.APPROVED,
            decided_on=decided_on,
            amount=amount.quantize(Decimal("1")),
            review_on=decided_on + relativedelta(months=12),
        )
    else:
        grant_services.grant_application_decide(
            actor=sw,
            application=application,
            decision=GrantStatus.DECLINED,
            decided_on=decided_on,
            reason="The child's needs are met by universal services and the school; the family "
            "was given the local offer and can apply again if things change.",
        )
        return
    if story.payment in (PaymentStatus.PAID, PaymentStatus.STOPPED):
        application = grant_services.grant_payment_set(
            actor=sw, application=application, payment_status=PaymentStatus.PAID
        )
    if story.payment == PaymentStatus.STOPPED:
        grant_services.grant_payment_set(
            actor=sw, application=application, payment_status=PaymentStatus.STOPPED
        )


@transaction.atomic
def _story(place: Place, story: Story) -> None:
    seed = (
        FAKER_SEED
        + COUNCIL_INDEX[place.slug] * 10_000
        + _prefix_number(story.prefix)
        + story.number
    )
    place.fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - made-up demo people, not secrets
    child = _child(place, story, rng)
    received_on = place.today - timedelta(days=story.days_ago)
    referral = _referral(place, child, story, received_on)
    if story.grant:
        _grant(place, child, story, received_on + timedelta(days=7))
        return
    if referral.status != ReferralStatus.ACCEPTED_FOR_ASSESSMENT:
        return
    recommended = "; ".join(
        f"{spec.service}, "
        + (f"{spec.hours} hours a week" if spec.hours else f"{spec.nights} nights a year")
        + f" at {spec.ratio}"
        for spec in story.lines
    )
    assessment = _assessment(
        place,
        child,
        started_on=referral.status_date + timedelta(days=7),
        outcome=story.outcome,
        recommended=recommended or "Universal and community activities; no package needed.",
        referral=referral,
        stop=story.assessment_stop,
    )
    if not story.lines and assessment.authorised_on and story.outcome in CLOSED_AFTER:
        # Nothing more for children's social care: the episode closes after the assessment.
        closed_on = assessment.authorised_on + timedelta(days=7)
        if closed_on <= place.today:
            referral_services.referral_close(
                actor=place.social_worker,
                referral=referral,
                closed_on=closed_on,
                reason=ClosureReason.RC8,
                today=place.today,
            )
    if not story.lines or story.assessment_stop:
        return
    package = _package(place, child, story, assessment)
    if package is None:
        return
    _reviews(place, child, package, story)
    package.refresh_from_db()
    if package.status == PackageStatus.ACTIVE:
        _deliveries(place, package, story)
    if story.overnights:
        _overnights(place, child, package, story)


CLOSED_AFTER = (AssessmentOutcome.NO_SUPPORT, AssessmentOutcome.UNIVERSAL)


def _prefix_number(prefix: str) -> int:
    """A stable number for a child id prefix (Python's own hash of a string changes per run)."""
    return sum(ord(ch) for ch in prefix) * 100


def _place(slug: str, today: date) -> Place:
    social_worker = demo_actor(slug, Role.SOCIAL_WORKER)
    council = social_worker.active_council
    place = Place(
        slug=slug,
        council=council,
        social_worker=social_worker,
        team_manager=demo_actor(slug, Role.TEAM_MANAGER),
        today=today,
        fake=Faker("en_GB"),
        services={
            s.title: s for s in Service.objects.filter(council=council).select_related("provider")
        },
    )
    if slug in SCHEMES:
        name, criteria, max_amount = SCHEMES[slug]
        scheme = GrantScheme.objects.filter(council=council, name=name).order_by("-year").first()
        if scheme is None:
            scheme = grant_services.grant_scheme_create(
                actor=social_worker,
                name=name,
                year=_financial_year(today - timedelta(days=240)),
                eligibility_criteria=criteria,
                max_amount=max_amount,
            )
        place.schemes[slug] = scheme
    return place


def seed(*, password: str) -> list[tuple[str, str]]:
    """Record the children who are not recorded yet. No new logins."""
    today = timezone.localdate()
    for slug, stories in STORIES.items():
        place = _place(slug, today)
        existing = set(
            Child.objects.filter(council=place.council).values_list("council_child_id", flat=True)
        )
        for story in stories():
            if f"{story.prefix}-{story.number:04d}" not in existing:
                _story(place, story)
        _case_notes(place)
        if slug in DUPLICATE_IN:
            _duplicate(place)
    return []


# What a social worker notes on a record: (days ago, kind, words). Made up, like every child.
CASE_NOTES = (
    (
        21,
        "phone_call",
        "Mum rang: the Saturday club has a place from next month. She asked "
        "whether transport can be arranged; said I would find out.",
    ),
    (
        14,
        "visit",
        "Home visit. The child was settled and showed me their picture timetable. "
        "Mum is tired after several broken nights; dad works away Monday to Thursday.",
    ),
    (
        7,
        "meeting",
        "Team around the child meeting at school. The school will share the new "
        "behaviour plan; the family would like breaks to carry on in the holidays.",
    ),
    (2, "email", "Emailed the provider to confirm the summer holiday sessions."),
)
# Councils whose demo has a duplicate record for a team manager to find and merge.
DUPLICATE_IN = ("warwickshire",)
DUPLICATE_SUFFIX = "-DUP"


def _case_notes(place: Place) -> None:
    """A few notes on the council's first three children, once."""
    if CaseNote.objects.filter(council=place.council).exists():
        return
    children = Child.objects.filter(council=place.council, merged_into__isnull=True).order_by(
        "council_child_id"
    )[:3]
    for child in children:
        for days, kind, text in CASE_NOTES:
            note_services.case_note_add(
                actor=place.social_worker,
                child=child,
                on=place.today - timedelta(days=days),
                kind=kind,
                text=text,
            )


def _duplicate(place: Place) -> None:
    """A second record of one child, made as if the family's new referral had been keyed in
    again: the same name and date of birth, no NHS number. Its page's possible matches, and the
    kept record's merge page, show it."""
    original = (
        Child.objects.filter(council=place.council, merged_into__isnull=True)
        .exclude(council_child_id__endswith=DUPLICATE_SUFFIX)
        .order_by("council_child_id")
        .first()
    )
    if original is None:
        return
    child_id = f"{original.council_child_id}{DUPLICATE_SUFFIX}"
    if Child.objects.filter(council=place.council, council_child_id=child_id).exists():
        return
    copied = {
        name: getattr(original, name)
        for name in child_services.CHILD_FIELDS
        if name not in ("council_child_id", "nhs_number", "upn", "former_upn")
    }
    child_services.child_create(
        actor=place.social_worker,
        keyworker=place.social_worker,
        today=place.today,
        **{**copied, "council_child_id": child_id},
    )
