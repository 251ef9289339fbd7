"""Demo short breaks services statements, from the council reports in the seeds.

- Medway had no statement until its 2023 review found "absence of a short break services
  statement"; by January 2025 "an interim short break services statement is now available on the
  Council's website", to be co-produced further (Priority 1 of the Sufficiency Strategy 2024-27).
- Birmingham's statement was challenged in Letters before Action (2023); an interim statement
  "amended to meet the requirements of lawfulness" was published by 3 May 2024, and the Birmingham
  Parent Carer Forum is consulted on it.
- Warwickshire is refreshing its statement, co-produced with parent carers and young people
  alongside the new short breaks model (Cabinet, July 2024): a draft out for consultation.

Everything goes through `statements.services` as the council's demo commissioner, so each
statement passes the same compliance check as a real one. The carers who give views are made up
(Faker en_GB, fixed seed; example.org addresses). A council that already has a statement is left
as it is. The PDFs are queued by publishing and built by the worker after the seed commits.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from providers.demo import demo_actor
from shortbreaks.councils.models import Council, Role
from statements import services
from statements.content import build_content
from statements.models import StatementVersion

COMMON = {
    "universal_eligibility": "Universal short breaks are open to every child and young person, "
    "including disabled children, without an assessment. Contact the provider directly.",
    "specialist_eligibility": "Specialist short breaks are for disabled children and young people "
    "whose needs cannot be met by universal or targeted short breaks. They follow an assessment "
    "of the child's needs and of the parent carer's needs by a social worker, and are agreed by "
    "the resource panel. Support is reviewed at least every six months; it is never reduced or "
    "ceased without a reassessment and the family's views.",
    "views_and_complaints": "Tell us what you think of short breaks or of this statement with the "
    "form on this page, or through the Parent Carer Forum. To complain, use the council's "
    "children's services complaints procedure; we will reply within 20 working days.",
}

CATEGORY_EXPLANATION = (
    "The council does not commission this kind of short break at the moment. Families assessed "
    "as needing it can use a direct payment to buy it; ask the short breaks team."
)

STATEMENTS = {
    "medway": {
        "published_on": date(2024, 12, 2),
        "title": "Interim short break services statement",
        "lead_officer_name": "Short Breaks Team, Medway Council",
        "lead_officer_contact": "shortbreaks@medway.example",
        "introduction": "This is Medway's interim short break services statement. The 2023 "
        "review found that information about short breaks was unreliable and that there was no "
        "statement. This interim statement will be co-produced further with parent carers "
        "(Priority 1 of the Short Break Sufficiency Strategy 2024-2027, adopted by Cabinet on 29 "
        "October 2024) and remains under review as the service develops.",
        "targeted_eligibility": "The short break grant is for disabled children and young people "
        "who need some extra help to take part in activities, without a social care assessment. "
        "We are reviewing the eligibility and inclusion criteria (Priority 4) and will publish "
        "clearer guidance.",
        "meeting_needs": "Short breaks give parent carers time to rest, work, study and look after "
        "their other children. Universal clubs and the youth service give regular breaks close to "
        "home; the short break grant lets families choose breaks that suit them; specialist "
        "respite gives day and overnight care for children with the highest needs. We are "
        "training universal providers to make their services inclusive (March and June 2025).",
        "how_to_apply": "Universal services: contact the provider. Short break grant: apply "
        "online from the council's Local Offer. Specialist short breaks: ask for an assessment "
        "from the Children with Disabilities Team.",
        "views_summary": "The 2023 review included a 12-week consultation with families. Parents "
        "told us information was unreliable, the grant took too long (4 to 12 months) and more "
        "provision was needed. In response we published this statement, built a 'things to do' "
        "page and are reviewing the grant's criteria and processing.",
        "changes_since_last": "This is Medway's first short break services statement.",
    },
    "birmingham": {
        "published_on": date(2024, 5, 3),
        "title": "Interim Short Breaks Statement",
        "lead_officer_name": "Children with Disabilities Service, Birmingham Children's Trust",
        "lead_officer_contact": "shortbreaks@birmingham.example",
        "introduction": "This interim Short Breaks Statement replaces the statement withdrawn in "
        "2023. It has been amended to meet the requirements of lawfulness, alongside the new "
        "Children with Disabilities policy, the Right Help Right Time link, the community "
        "resource panel process and the direct payment policy. We are consulting the Birmingham "
        "Parent Carer Forum on it and will consider further changes in line with their views.",
        "targeted_eligibility": "Targeted short breaks are for disabled children and young people "
        "who need more than universal services but not a social care assessment, in line with "
        "Right Help Right Time.",
        "meeting_needs": "The range gives parent carers breaks during the day, in the evenings, at "
        "weekends and in school holidays, and overnight for those who need it. Activity clubs and "
        "1:1 community support meet the highest demand; overnight and home-based support meet "
        "the needs of families caring for children with complex needs.",
        "how_to_apply": "Universal short breaks: contact the provider. Targeted and specialist "
        "short breaks: contact the Children's Advice and Support Service, who will talk with you "
        "about an assessment.",
        "views_summary": "Two families challenged the previous statement and the review process in "
        "2023. The Council for Disabled Children worked with parent carers to review the "
        "community resource panel and reviews; their recommendations (March 2024) are in this "
        "statement: no support is reduced or ceased without a reassessment and the family's "
        "views.",
        "changes_since_last": "Eligibility and thresholds rewritten to be lawful; how reviews and "
        "the resource panel work; how to complain.",
    },
}

WARWICKSHIRE = {
    "title": "Short Breaks Statement from April 2025",
    "lead_officer_name": "Commissioning Team, Warwickshire County Council",
    "lead_officer_contact": "shortbreaks@warwickshire.example",
    "introduction": "Our new short breaks model is being co-produced with parent carers and "
    "young people. This refreshed statement is part of that work and will take effect in April "
    "2025. Tell us what you think before the consultation closes.",
    "targeted_eligibility": "Targeted short breaks are for disabled children and young people "
    "who need some extra help to join in, without a social care assessment.",
    "meeting_needs": "Families told us the highest demand is for activity clubs and 1:1 support "
    "in the community at weekends and in school holidays, and for overnight breaks. The new "
    "model adds provision in those, county-wide, with more solo and two-bed overnight options "
    "for older children.",
    "how_to_apply": "Ask the Children with Disabilities Team for an assessment, or contact a "
    "universal provider directly.",
    "views_summary": "Children, young people, parent carers and practitioners asked for better "
    "information and choice, clarity on which providers offer what, and for family voice to "
    "shape the offer. This draft responds to each.",
    "changes_since_last": "Refreshed with parent carers: clearer information on providers and "
    "how to get each kind of break.",
}

FEEDBACK = [
    (
        "birmingham",
        "parent",
        "Thank you for explaining how reviews work now. Please say how long an assessment takes.",
        True,
    ),
    ("birmingham", "grandparent", "We need more holiday clubs in the north of the city.", False),
    (
        "medway",
        "parent",
        "The grant took nine months for us. The statement should say how long to expect.",
        True,
    ),
    (
        "warwickshire",
        "parent",
        "Overnight breaks are far from where we live in the south of the county.",
        True,
    ),
    ("warwickshire", "young person", "I want clubs with people my age at weekends.", False),
]


def _explanations(version: StatementVersion) -> dict[str, str]:
    content = build_content(version)
    return {row["category"]: CATEGORY_EXPLANATION for row in content["categories_without_service"]}


def _draft(actor, text: dict) -> StatementVersion:
    version = services.statement_draft_create(actor=actor)
    return services.statement_update(
        actor=actor,
        version=version,
        **COMMON,
        **text,
        category_explanations=_explanations(version),
    )


def seed(*, password: str) -> list[tuple[str, str]]:
    fake = Faker("en_GB")
    fake.seed_instance(20110401)
    today = timezone.localdate()
    seeded: list[str] = []
    for slug, data in STATEMENTS.items():
        council = Council.objects.filter(slug=slug).first()
        if council is None or StatementVersion.objects.filter(council=council).exists():
            continue
        actor = demo_actor(slug, Role.COMMISSIONER)
        text = {k: v for k, v in data.items() if k != "published_on"}
        version = _draft(actor, text)
        services.statement_publish(actor=actor, version=version, today=data["published_on"])
        seeded.append(slug)
    council = Council.objects.filter(slug="warwickshire").first()
    if council is not None and not StatementVersion.objects.filter(council=council).exists():
        actor = demo_actor("warwickshire", Role.COMMISSIONER)
        version = _draft(actor, WARWICKSHIRE)
        services.statement_consultation_start(
            actor=actor, version=version, closes_on=today + timedelta(days=42), today=today
        )
        seeded.append("warwickshire")
    for index, (slug, relationship, views, wants_reply) in enumerate(FEEDBACK, start=1):
        if slug not in seeded:
            continue
        version = (
            StatementVersion.objects.filter(council__slug=slug)
            .exclude(status="draft")
            .order_by("-number")
            .first()
        )
        services.feedback_submit(
            version=version,
            name=fake.name(),
            email=f"demo.carer{index}@example.org" if wants_reply else "",
            relationship=relationship,
            views=views,
            wants_reply=wants_reply,
            today=today,
        )
    return []
