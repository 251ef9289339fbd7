"""Providers, their regulator registrations and their services (the offer, with capacity).

A provider may work for several councils; each council keeps its own record of it (status,
services, registrations as that council last checked them), linked across councils only by the
provider's Companies House or charity number. See docs/decisions/0004-providers-per-council.md.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from shortbreaks.councils.models import CouncilOwned, Tier


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXITED = "exited", "Exited"


class Provider(CouncilOwned):
    name = models.CharField(max_length=200)
    companies_house_number = models.CharField(max_length=8, blank=True)
    charity_number = models.CharField(max_length=8, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    status = models.CharField(
        max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE
    )
    status_date = models.DateField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="provider_unique_name")
        ]
        indexes = [
            models.Index(fields=["council", "status", "name"]),
            # The search (shortbreaks.search): names by trigram word similarity.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="provider_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderEvent(CouncilOwned):
    """One line of a provider's timeline with this council."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]


class Regulator(models.TextChoices):
    CQC = "cqc", "Care Quality Commission (CQC)"
    OFSTED = "ofsted", "Ofsted"


class Registration(CouncilOwned):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="registrations")
    regulator = models.CharField(max_length=10, choices=Regulator.choices)
    number = models.CharField(max_length=40)
    service_type = models.CharField(max_length=200, blank=True)
    latest_rating = models.CharField(max_length=60, blank=True)
    rating_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["regulator", "number"]

    def __str__(self) -> str:
        return f"{self.get_regulator_display()} {self.number}"


class Regulation4Category(models.TextChoices):
    """The range of short breaks a council must provide (the 2011 Regulations, reg. 4)."""

    DAYTIME_CARE = "daytime_care", "Day-time care in the home or elsewhere"
    OVERNIGHT_CARE = "overnight_care", "Overnight care in the home or elsewhere"
    EDUCATIONAL_LEISURE = "educational_leisure", "Educational or leisure activities"
    EVENINGS_WEEKENDS_HOLIDAYS = (
        "evenings_weekends_holidays",
        "Services in evenings, weekends and school holidays",
    )


class Setting(models.TextChoices):
    COMMUNITY = "community", "Community"
    HOME = "home", "In the child's home"
    RESIDENTIAL = "residential", "Residential"
    FAMILY_BASED = "family_based", "Family-based"


class Ratio(models.TextChoices):
    ONE_TO_THREE = "1:3", "1:3"
    ONE_TO_TWO = "1:2", "1:2"
    ONE_TO_ONE = "1:1", "1:1"
    TWO_TO_ONE = "2:1", "2:1"


class When(models.TextChoices):
    AFTER_SCHOOL = "after_school", "After school"
    EVENINGS = "evenings", "Evenings"
    WEEKENDS = "weekends", "Weekends"
    SCHOOL_HOLIDAYS = "school_holidays", "School holidays"
    OVERNIGHT = "overnight", "Overnight"


class PriceUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    SESSION = "session", "per session"
    NIGHT = "night", "per night"


class Service(CouncilOwned):
    """What a provider offers families in this council: the offer the statement publishes."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    categories = models.JSONField(default=list, help_text="Regulation 4 categories.")
    setting = models.CharField(max_length=20, choices=Setting.choices)
    ratios = models.JSONField(default=list, blank=True, help_text="Staff to child ratios offered.")
    age_from = models.PositiveSmallIntegerField(default=0)
    age_to = models.PositiveSmallIntegerField(default=18)
    areas = models.CharField(max_length=300, blank=True, help_text="Areas served.")
    when = models.JSONField(default=list, blank=True)
    price_unit = models.CharField(max_length=10, choices=PriceUnit.choices, blank=True)
    price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    capacity_available = models.PositiveIntegerField(null=True, blank=True)
    capacity_maximum = models.PositiveIntegerField(null=True, blank=True)
    capacity_unit = models.CharField(max_length=60, blank=True, help_text="e.g. places, beds")
    capacity_updated_at = models.DateTimeField(null=True, blank=True)
    accessibility = models.TextField(blank=True)
    how_to_access = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["council", "tier", "title"]),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="service_title_trgm"),
        ]

    def __str__(self) -> str:
        return self.title

    def labels(self, choices, values) -> str:
        names = dict(choices)
        return ", ".join(names.get(v, v) for v in values)

    def get_categories_display(self) -> str:
        return self.labels(Regulation4Category.choices, self.categories)

    def get_when_display(self) -> str:
        return self.labels(When.choices, self.when)

    def get_ratios_display(self) -> str:
        return ", ".join(self.ratios)
