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
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, declared_steps, transition

MANAGE_PROVIDER = "providers.manage_provider"


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
    status = FSMField(max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE)
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
            # The API's keyset pages (name, id) within one council.
            models.Index(fields=["council", "name", "id"], name="provider_council_keyset"),
            # The search (shortbreaks.search): names by trigram word similarity.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="provider_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    # Its status changes, declared once (shortbreaks/states.py); providers/services.py makes them,
    # each with the date and the reason.

    @transition(
        field=status,
        source=[ProviderStatus.ACTIVE, ProviderStatus.EXITED],
        target=ProviderStatus.SUSPENDED,
        permission=MANAGE_PROVIDER,
        custom={"label": "Suspend", "refused": "The provider is already suspended."},
    )
    def suspend(self):
        pass

    @transition(
        field=status,
        source=[ProviderStatus.SUSPENDED, ProviderStatus.EXITED],
        target=ProviderStatus.ACTIVE,
        permission=MANAGE_PROVIDER,
        custom={"label": "Reinstate", "refused": "The provider is already active."},
    )
    def reinstate(self):
        pass

    @transition(
        field=status,
        source=[ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED],
        target=ProviderStatus.EXITED,
        permission=MANAGE_PROVIDER,
        custom={"label": "Record the exit", "refused": "The provider has already exited."},
    )
    def exit(self):
        pass


# The declared step that moves a provider to each status.
STEP_TO = declared_steps(Provider)


class ProviderEventKind(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Details changed"
    STATUS = "status", "Status changed"
    REGISTRATION = "registration", "Registration recorded"
    SERVICE_ADDED = "service_added", "Service added"
    SERVICE_CHANGED = "service_changed", "Service changed"
    TIMES_ADDED = "times_added", "Times added"
    TIMES_REMOVED = "times_removed", "Times removed"
    LOCATION_ADDED = "location_added", "Location added"
    LOCATION_CHANGED = "location_changed", "Location changed"
    VACANCIES = "vacancies", "Vacancies updated"


class ProviderEvent(TypedEvent, CouncilOwned):
    """One line of a provider's timeline with this council."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=ProviderEventKind.choices)

    SUMMARIES = {
        ProviderEventKind.CREATED: "Provider record created.",
        ProviderEventKind.CHANGED: "Provider details changed.",
        ProviderEventKind.STATUS: "{before_text} → {after_text} on {on:%d/%m/%Y}: {reason}",
        ProviderEventKind.REGISTRATION: "{registration}: {rating_text} recorded.",
        ProviderEventKind.SERVICE_ADDED: "Service “{service}” added.",
        ProviderEventKind.SERVICE_CHANGED: "Service “{service}” changed.",
        ProviderEventKind.TIMES_ADDED: "Times for “{service}” added: {times}.",
        ProviderEventKind.TIMES_REMOVED: "Times for “{service}” removed: {times}.",
        ProviderEventKind.LOCATION_ADDED: "Location “{location}” added.",
        ProviderEventKind.LOCATION_CHANGED: "Location “{location}” changed.",
        ProviderEventKind.VACANCIES: (
            "Vacancies for “{service}” updated by the provider: {vacancies_text}."
        ),
    }

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def summary(self) -> str:
        params = dict(self.params or {})
        for name in ("before", "after"):
            if name in params:
                params[f"{name}_text"] = ProviderStatus(params[name]).label
        if "rating" in params:
            params["rating_text"] = params["rating"] or "no rating"
        if "available" in params:
            params["vacancies_text"] = vacancy_text(
                params["available"], params.get("maximum"), params.get("unit", "")
            )
        return render_summary(self.SUMMARIES.get(self.kind), params)


def vacancy_text(available: int | None, maximum: int | None, unit: str) -> str:
    """'3 of 10 places available', or 'not stated'."""
    if available is None:
        return "not stated"
    of = f" of {maximum}" if maximum is not None else ""
    return f"{available}{of}{f' {unit}' if unit else ''} available"


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


class Need(models.TextChoices):
    """Who a service is set up for: the four broad areas of need of the SEND Code of Practice
    (0 to 25 years, 2015, paragraphs 6.28 to 6.35), which families and other directories use."""

    COMMUNICATION_INTERACTION = "communication_interaction", "Communication and interaction"
    COGNITION_LEARNING = "cognition_learning", "Cognition and learning"
    SOCIAL_EMOTIONAL_MENTAL_HEALTH = (
        "social_emotional_mental_health",
        "Social, emotional and mental health",
    )
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical needs"


class Weekday(models.TextChoices):
    """Days as iCalendar (RFC 5545) writes them, which Open Referral's schedules use."""

    MONDAY = "MO", "Monday"
    TUESDAY = "TU", "Tuesday"
    WEDNESDAY = "WE", "Wednesday"
    THURSDAY = "TH", "Thursday"
    FRIDAY = "FR", "Friday"
    SATURDAY = "SA", "Saturday"
    SUNDAY = "SU", "Sunday"


class Location(CouncilOwned):
    """A place a provider runs services from: a venue families go to, or the base of a team that
    works in children's homes. The address is held in parts, as directories need it."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    county = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(blank=True, help_text="Access to the building.")
    transport = models.TextField(blank=True, help_text="Getting there: buses, parking.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="location_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def address_lines(self) -> list[str]:
        lines = [self.address_1, self.address_2, self.town, self.county, self.postcode]
        return [line for line in lines if line]


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
    # How families reach this service; the provider's own details stand in where these are blank.
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="Areas of need (Need).")
    locations = models.ManyToManyField(
        Location, through="ServiceLocation", related_name="services", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["council", "tier", "title"]),
            # The API's keyset pages and the public directory's pages (title, id) in one council.
            models.Index(fields=["council", "title", "id"], name="service_council_keyset"),
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

    def get_needs_display(self) -> str:
        return self.labels(Need.choices, self.needs)

    # Where families reach the service: its own details, else its provider's.
    @property
    def contact_url(self) -> str:
        return self.url or self.provider.website

    @property
    def contact_email(self) -> str:
        return self.email or self.provider.contact_email

    @property
    def contact_phone(self) -> str:
        return self.phone or self.provider.contact_phone


class ServiceLocation(CouncilOwned):
    """A service offered at one of its provider's locations (Open Referral's
    service_at_location)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["location__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]


class ServiceSchedule(CouncilOwned):
    """When a service runs: the same hours on some days of each week. A closing time before the
    opening time is the next morning (an overnight stay)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    days = models.JSONField(help_text="Weekday values, Monday first.")
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    notes = models.CharField(max_length=200, blank=True, help_text="For example, term time only.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_days_display()}, {self.get_hours_display()}"

    @property
    def overnight(self) -> bool:
        return self.closes_at < self.opens_at

    def get_hours_display(self) -> str:
        hours = f"{self.opens_at:%H:%M} to {self.closes_at:%H:%M}"
        return f"{hours} the next day" if self.overnight else hours

    def get_days_display(self) -> str:
        names = dict(Weekday.choices)
        return ", ".join(names.get(day, day) for day in self.days)


class ProviderAccount(CouncilOwned):
    """A person who works for a provider, signing in to act for it in one council.

    They hold the `provider` role in that council (a Membership, so they sign in and switch
    council as staff do), and this row says which of the council's providers they act for. One
    active account per person per council; an ended account keeps its row (`ended_at`) so the
    access log and timelines still name whom a past action was for.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider_accounts"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="accounts")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council"],
                condition=models.Q(ended_at__isnull=True),
                name="provider_account_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.provider}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
