"""What a short breaks services statement says, as plain data (JSON-able: str, int, list, dict).

`build_content(version)` gives the statement's whole content. While a version is a draft or out for
consultation, the generated parts come from live records (the council's services, its grant
scheme, what was delivered); once it is published they come from `version.snapshot`, frozen on
that day, so later changes to services do not alter a published statement or its PDF. The written
sections always come from the version itself (a published version cannot be edited).

One template renders the dict for the public page, the staff preview and the PDF:
`templates/statements/_statement_body.html`. Every value is plain text: templates escape it and
show line breaks with `|linebreaks`, never `|safe`.

The shape:

    council: {"name", "slug"}
    title, number, status, status_label, published_on, review_on, consultation_closes_on,
    generated_on                      ISO dates ("2024-05-01") or "" when not set
    introduction, meeting_needs, how_to_apply, views_and_complaints, changes_since_last,
    views_summary                      the written sections (plain text, may be "")
    eligibility: [{"tier", "label", "text"}]                 one a tier, universal first
    lead_officer: {"name", "contact"}
    range: [{"tier", "label", "service_count",
             "categories": [{"category", "label",
                             "services": [{"id", "title", "provider", "description", "ages",
                                           "areas", "when", "setting", "cost", "free",
                                           "price", "price_unit", "how_to_access",
                                           "accessibility"}]}]}]
    service_count: int                 distinct services in the range
    categories_without_service: [{"category", "label", "explanation"}]
    grant_criteria: [{"name", "year", "year_label", "eligibility_criteria", "max_amount"}]
    figures: {"children_by_tier": [{"tier", "label", "count"}], "children_total",
              "hours_delivered" (str, e.g. "1,234.5"), "nights_delivered" (int),
              "period_from", "period_to" (the last 12 months, ISO dates),
              "spend": {"financial_year", "label", "amount"} or None}
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from contracts.models import ContractSpend
from providers.models import PriceUnit, ProviderStatus, Regulation4Category, Service, Setting, When
from referrals.models import Child, DeliveryRecord, GrantScheme, OvernightStay
from shortbreaks.councils.models import Tier

# The parts generated from live records, frozen into `snapshot` on publishing.
LIVE_KEYS = (
    "council",
    "generated_on",
    "range",
    "service_count",
    "categories_without_service",
    "grant_criteria",
    "figures",
)

WRITTEN_FIELDS = (
    "introduction",
    "universal_eligibility",
    "targeted_eligibility",
    "specialist_eligibility",
    "meeting_needs",
    "how_to_apply",
    "views_and_complaints",
    "changes_since_last",
    "views_summary",
    "lead_officer_name",
    "lead_officer_contact",
)

TIER_LABELS = {
    Tier.UNIVERSAL: "Universal short breaks (tier 1): open to all, no assessment",
    Tier.TARGETED: "Targeted short breaks (tier 2): for disabled children, no social care "
    "assessment",
    Tier.SPECIALIST: "Specialist short breaks (tier 3): after a social care assessment",
}


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount == amount.to_integral():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def service_cost(service: Service) -> tuple[str, bool]:
    """What a family pays, in words, and whether it is free."""
    if service.price is None or service.price == 0:
        return "Free", True
    unit = dict(PriceUnit.choices).get(service.price_unit, "")
    return f"{money(service.price)} {unit}".strip(), False


def _ages(service: Service) -> str:
    return f"{service.age_from} to {service.age_to}"


def _service_row(service: Service) -> dict[str, Any]:
    cost, free = service_cost(service)
    return {
        "id": service.pk,
        "title": service.title,
        "provider": service.provider.name,
        "description": service.description,
        "ages": _ages(service),
        "areas": service.areas,
        "when": service.labels(When.choices, service.when),
        "setting": dict(Setting.choices).get(service.setting, service.setting),
        "cost": cost,
        "free": free,
        "price": "" if service.price is None else str(service.price),
        "price_unit": service.price_unit,
        "how_to_access": service.how_to_access,
        "accessibility": service.accessibility,
    }


def live_range(council) -> tuple[list[dict], int]:
    """The council's services, by tier and within each by Regulation 4 category."""
    services = list(
        Service.objects.filter(council=council, provider__status=ProviderStatus.ACTIVE)
        .select_related("provider")
        .order_by("title", "id")
    )
    tiers = []
    for tier, _label in Tier.choices:
        in_tier = [s for s in services if s.tier == tier]
        categories = []
        for category, category_label in Regulation4Category.choices:
            rows = [_service_row(s) for s in in_tier if category in (s.categories or [])]
            if rows:
                categories.append({"category": category, "label": category_label, "services": rows})
        other = [
            _service_row(s)
            for s in in_tier
            if not set(s.categories or []) & set(Regulation4Category.values)
        ]
        if other:
            categories.append({"category": "", "label": "Other short breaks", "services": other})
        tiers.append(
            {
                "tier": tier,
                "label": TIER_LABELS[tier],
                "service_count": len(in_tier),
                "categories": categories,
            }
        )
    return tiers, len(services)


def categories_without_service(range_: list[dict], explanations: dict) -> list[dict]:
    offered = {c["category"] for tier in range_ for c in tier["categories"] if c["services"]}
    return [
        {
            "category": category,
            "label": label,
            "explanation": str((explanations or {}).get(category, "") or ""),
        }
        for category, label in Regulation4Category.choices
        if category not in offered
    ]


def grant_criteria(council) -> list[dict]:
    """The council's current targeted grant schemes: those of the latest year it has."""
    schemes = list(GrantScheme.objects.filter(council=council).order_by("-year", "name"))
    if not schemes:
        return []
    latest = schemes[0].year
    return [
        {
            "name": s.name,
            "year": s.year,
            "year_label": f"{s.year}/{(s.year + 1) % 100:02d}",
            "eligibility_criteria": s.eligibility_criteria,
            "max_amount": money(s.max_amount),
        }
        for s in schemes
        if s.year == latest
    ]


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def figures(council, today: date) -> dict[str, Any]:
    """Counts, hours, nights and spend: never a child's name or identifier."""
    counts = dict(
        Child.objects.filter(council=council)
        .values_list("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
    )
    by_tier = [
        {"tier": tier, "label": label, "count": counts.get(tier, 0)} for tier, label in Tier.choices
    ]
    start = today - timedelta(days=365)
    hours = DeliveryRecord.objects.filter(
        council=council, period_start__gte=start, period_start__lte=today
    ).aggregate(total=Sum("hours_delivered"))["total"] or Decimal(0)
    nights = OvernightStay.objects.filter(
        council=council, night__gte=start, night__lte=today
    ).count()
    last_year = financial_year_of(today) - 1
    spent = ContractSpend.objects.filter(council=council, financial_year=last_year).aggregate(
        total=Sum("amount")
    )["total"]
    hours = Decimal(hours).normalize()
    return {
        "children_by_tier": by_tier,
        "children_total": sum(row["count"] for row in by_tier),
        "hours_delivered": f"{hours:,f}",
        "nights_delivered": nights,
        "period_from": start.isoformat(),
        "period_to": today.isoformat(),
        "spend": None
        if spent is None
        else {
            "financial_year": last_year,
            "label": f"{last_year}/{(last_year + 1) % 100:02d}",
            "amount": money(spent),
        },
    }


def live_content(version, *, today: date | None = None) -> dict[str, Any]:
    """The generated parts, from live records today (what publishing freezes)."""
    today = today or timezone.localdate()
    council = version.council
    range_, count = live_range(council)
    return {
        "council": {"name": council.name, "slug": council.slug},
        "generated_on": today.isoformat(),
        "range": range_,
        "service_count": count,
        "categories_without_service": categories_without_service(
            range_, version.category_explanations
        ),
        "grant_criteria": grant_criteria(council),
        "figures": figures(council, today),
    }


def written_content(version) -> dict[str, Any]:
    data = {name: getattr(version, name) or "" for name in WRITTEN_FIELDS}
    data["eligibility"] = [
        {
            "tier": tier,
            "label": label,
            "text": getattr(version, f"{tier}_eligibility") or "",
        }
        for tier, label in Tier.choices
    ]
    data["lead_officer"] = {
        "name": version.lead_officer_name,
        "contact": version.lead_officer_contact,
    }
    data.update(
        {
            "title": version.title,
            "number": version.number,
            "status": version.status,
            "status_label": version.get_status_display(),
            "published_on": _iso(version.published_on),
            "review_on": _iso(version.review_on),
            "consultation_closes_on": _iso(version.consultation_closes_on),
        }
    )
    return data


def build_content(version, *, today: date | None = None) -> dict[str, Any]:
    """The statement's whole content: frozen when published, live while open."""
    if version.is_frozen and version.snapshot:
        live = {key: version.snapshot.get(key) for key in LIVE_KEYS}
        # The explanations are written text: take them from the version, not the frozen list.
        explanations = version.category_explanations or {}
        live["categories_without_service"] = [
            {**row, "explanation": str(explanations.get(row["category"], row["explanation"]))}
            for row in (live["categories_without_service"] or [])
        ]
    else:
        live = live_content(version, today=today)
    return {**live, **written_content(version)}


def content_when_read(version) -> SimpleLazyObject:
    """`build_content(version)`, built the first time a template reads it: a published
    version's body is kept in the cache, and a page that finds it there needs no content."""
    return SimpleLazyObject(lambda: build_content(version))
