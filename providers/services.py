"""Writes to providers, registrations and services. Each checks the actor's right first; a
provider's status moves only by the steps declared on `Provider`, and every change is on its
timeline (`providers/events.py`)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from providers import events
from providers.models import (
    STEP_TO,
    Location,
    Need,
    PriceUnit,
    Provider,
    ProviderAccount,
    ProviderStatus,
    Ratio,
    Registration,
    Regulation4Category,
    Service,
    ServiceLocation,
    ServiceSchedule,
    Weekday,
    When,
)
from shortbreaks.councils.models import Membership, Role, Tier
from shortbreaks.councils.services import membership_grant
from shortbreaks.permissions import require_perm
from shortbreaks.states import step
from shortbreaks.unique import save_unique

PROVIDER_FIELDS = (
    "name",
    "companies_house_number",
    "charity_number",
    "address",
    "postcode",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
)
SERVICE_FIELDS = (
    "title",
    "description",
    "tier",
    "categories",
    "setting",
    "ratios",
    "age_from",
    "age_to",
    "areas",
    "when",
    "price_unit",
    "price",
    "capacity_available",
    "capacity_maximum",
    "capacity_unit",
    "accessibility",
    "how_to_access",
    "url",
    "email",
    "phone",
    "needs",
)
LOCATION_FIELDS = (
    "name",
    "address_1",
    "address_2",
    "town",
    "county",
    "postcode",
    "latitude",
    "longitude",
    "accessibility",
    "transport",
)


def _save(instance, *, exclude=()) -> None:
    instance.full_clean(exclude=list(exclude))
    instance.save()


NAME_TAKEN = {"name": "The council already has a provider with this name."}
# The same refusal when a request at the same moment took the name after the check.
PROVIDER_REFUSALS = {"provider_unique_name": NAME_TAKEN}


def _require_unique_name(provider: Provider) -> None:
    others = Provider.objects.filter(council=provider.council, name__iexact=provider.name)
    if others.exclude(pk=provider.pk).exists():
        raise ValidationError(NAME_TAKEN)


@transaction.atomic
def provider_create(*, actor, **fields) -> Provider:
    require_perm(actor, "providers.manage_provider")
    provider = Provider(council=actor.active_council, **_pick(fields, PROVIDER_FIELDS))
    _require_unique_name(provider)
    provider.full_clean()
    save_unique(provider, PROVIDER_REFUSALS)
    events.created(provider, actor=actor)
    return provider


@transaction.atomic
def provider_update(*, actor, provider: Provider, **fields) -> Provider:
    require_perm(actor, "providers.manage_provider")
    for name, value in _pick(fields, PROVIDER_FIELDS).items():
        setattr(provider, name, value)
    _require_unique_name(provider)
    provider.full_clean()
    save_unique(provider, PROVIDER_REFUSALS)
    _touch_services(Service.objects.filter(provider=provider))
    events.changed(provider, actor=actor)
    return provider


def _touch_services(services) -> None:
    """What a directory shows of a service includes its provider, locations and times: a change
    to them is a change to the service for those who read changes since a time."""
    services.update(updated_at=timezone.now())


@transaction.atomic
def provider_set_status(
    *, actor, provider: Provider, status: str, on: date, reason: str
) -> Provider:
    """Suspend, reinstate or record the exit of a provider, with the date and the reason."""
    require_perm(actor, "providers.manage_provider")
    if status not in ProviderStatus.values:
        raise ValidationError({"status": "Choose active, suspended or exited."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the change."})
    if status == provider.status:
        raise ValidationError(
            {"status": f"The provider is already {provider.get_status_display().lower()}."}
        )
    before = provider.status
    step(provider, STEP_TO[status], actor)
    provider.status_date, provider.status_reason = on, reason
    provider.save(update_fields=["status", "status_date", "status_reason", "updated_at"])
    events.status_changed(provider, actor=actor, before=before, on=on, reason=reason)
    return provider


@transaction.atomic
def registration_record(
    *,
    actor,
    provider: Provider,
    regulator: str,
    number: str,
    service_type: str = "",
    latest_rating: str = "",
    rating_date: date | None = None,
) -> Registration:
    require_perm(actor, "providers.manage_provider")
    registration, _ = Registration.objects.update_or_create(
        council=provider.council,
        provider=provider,
        regulator=regulator,
        number=number,
        defaults={
            "service_type": service_type,
            "latest_rating": latest_rating,
            "rating_date": rating_date,
        },
    )
    registration.full_clean()
    events.registration_recorded(registration, actor=actor)
    return registration


def _validate_service(service: Service) -> None:
    errors = {}
    lists = {
        "categories": Regulation4Category.values,
        "ratios": Ratio.values,
        "when": When.values,
        "needs": Need.values,
    }
    for name, allowed in lists.items():
        values = getattr(service, name) or []
        if not isinstance(values, list) or set(values) - set(allowed):
            errors[name] = f"Choose from: {', '.join(allowed)}."
    if service.tier not in Tier.values:
        errors["tier"] = "Choose universal, targeted or specialist."
    if not service.categories:
        errors["categories"] = "Choose at least one Regulation 4 category."
    if service.age_from > service.age_to:
        errors["age_to"] = "The oldest age must be the same as or more than the youngest."
    if service.price is not None and service.price < 0:
        errors["price"] = "The price cannot be negative."
    if service.price is not None and service.price_unit not in PriceUnit.values:
        errors["price_unit"] = "Say whether the price is per hour, session or night."
    if (
        service.capacity_available is not None
        and service.capacity_maximum is not None
        and service.capacity_available > service.capacity_maximum
    ):
        errors["capacity_available"] = "Available places cannot be more than the maximum."
    if errors:
        raise ValidationError(errors)


def _provider_locations(provider: Provider, locations) -> list[Location]:
    """The chosen locations, each of which must be the service's provider's."""
    chosen = list(dict.fromkeys(locations))
    ids = [getattr(location, "pk", location) for location in chosen]
    found = {
        location.pk: location for location in Location.objects.filter(provider=provider, pk__in=ids)
    }
    if len(found) != len(ids):
        raise ValidationError({"locations": "Choose from the provider's own locations."})
    return [found[pk] for pk in ids]


def _set_locations(service: Service, locations: list[Location]) -> None:
    wanted = {location.pk for location in locations}
    ServiceLocation.objects.filter(service=service).exclude(location_id__in=wanted).delete()
    held = set(
        ServiceLocation.objects.filter(service=service).values_list("location_id", flat=True)
    )
    ServiceLocation.objects.bulk_create(
        ServiceLocation(council=service.council, service=service, location=location)
        for location in locations
        if location.pk not in held
    )


@transaction.atomic
def service_create(*, actor, provider: Provider, locations=(), **fields) -> Service:
    """A service the provider offers; `locations` are the provider's locations (or their ids)
    where it runs."""
    require_perm(actor, "providers.manage_provider")
    service = Service(council=provider.council, provider=provider, **_pick(fields, SERVICE_FIELDS))
    _validate_service(service)
    chosen = _provider_locations(provider, locations)
    if service.capacity_available is not None or service.capacity_maximum is not None:
        service.capacity_updated_at = timezone.now()
    _save(service)
    _set_locations(service, chosen)
    events.service_added(service, actor=actor)
    return service


@transaction.atomic
def service_update(*, actor, service: Service, locations=None, **fields) -> Service:
    """Change a service; `locations`, when given, replaces where it runs."""
    require_perm(actor, "providers.manage_provider")
    chosen = None if locations is None else _provider_locations(service.provider, locations)
    changes = _pick(fields, SERVICE_FIELDS)
    capacity_changed = any(
        name in changes and changes[name] != getattr(service, name)
        for name in ("capacity_available", "capacity_maximum")
    )
    for name, value in changes.items():
        setattr(service, name, value)
    _validate_service(service)
    if capacity_changed:
        service.capacity_updated_at = timezone.now()
    _save(service)
    if chosen is not None:
        _set_locations(service, chosen)
    events.service_changed(service, actor=actor)
    return service


# ---------------------------------------------------------------------------------------------
# Where services run, and when.

LOCATION_NAME_TAKEN = {"name": "The provider already has a location with this name."}
LOCATION_REFUSALS = {"location_unique_name": LOCATION_NAME_TAKEN}


def _validate_location(location: Location) -> None:
    if (location.latitude is None) != (location.longitude is None):
        raise ValidationError(
            {"longitude": "Enter both the latitude and the longitude, or neither."}
        )
    errors = {}
    if location.latitude is not None and not -90 <= location.latitude <= 90:
        errors["latitude"] = "The latitude must be between -90 and 90."
    if location.longitude is not None and not -180 <= location.longitude <= 180:
        errors["longitude"] = "The longitude must be between -180 and 180."
    others = Location.objects.filter(provider=location.provider, name__iexact=location.name)
    if others.exclude(pk=location.pk).exists():
        errors.update(LOCATION_NAME_TAKEN)
    if errors:
        raise ValidationError(errors)
    location.postcode = location.postcode.strip().upper()


@transaction.atomic
def location_create(*, actor, provider: Provider, **fields) -> Location:
    """A place the provider runs services from, with its address in parts."""
    require_perm(actor, "providers.manage_provider")
    location = Location(
        council=provider.council, provider=provider, **_pick(fields, LOCATION_FIELDS)
    )
    _validate_location(location)
    location.full_clean()
    save_unique(location, LOCATION_REFUSALS)
    events.location_added(location, actor=actor)
    return location


@transaction.atomic
def location_update(*, actor, location: Location, **fields) -> Location:
    require_perm(actor, "providers.manage_provider")
    for name, value in _pick(fields, LOCATION_FIELDS).items():
        setattr(location, name, value)
    _validate_location(location)
    location.full_clean()
    save_unique(location, LOCATION_REFUSALS)
    _touch_services(Service.objects.filter(locations=location))
    events.location_changed(location, actor=actor)
    return location


@transaction.atomic
def schedule_add(
    *, actor, service: Service, days: list[str], opens_at, closes_at, notes: str = ""
) -> ServiceSchedule:
    """The service runs on these days each week, between these times."""
    require_perm(actor, "providers.manage_provider")
    errors = {}
    if not isinstance(days, list) or not days or set(days) - set(Weekday.values):
        errors["days"] = "Choose at least one day."
    # An earlier closing time is the next morning (overnight); the same time is no time at all.
    if opens_at is not None and opens_at == closes_at:
        errors["closes_at"] = "The time it ends must differ from the time it starts."
    if errors:
        raise ValidationError(errors)
    # Monday first, each day once, whatever order they came in.
    ordered = [day for day in Weekday.values if day in set(days)]
    schedule = ServiceSchedule(
        council=service.council,
        service=service,
        days=ordered,
        opens_at=opens_at,
        closes_at=closes_at,
        notes=notes.strip(),
    )
    _save(schedule)
    _touch_services(Service.objects.filter(pk=service.pk))
    events.times_added(schedule, actor=actor)
    return schedule


@transaction.atomic
def schedule_remove(*, actor, schedule: ServiceSchedule) -> None:
    require_perm(actor, "providers.manage_provider")
    service = schedule.service
    times = str(schedule)
    schedule.delete()
    _touch_services(Service.objects.filter(pk=service.pk))
    events.times_removed(service, actor=actor, times=times)


def _pick(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return fields


# ---------------------------------------------------------------------------------------------
# What provider staff keep themselves (providers.portal): their services' vacancies.


@transaction.atomic
def service_vacancy_update(
    *,
    actor,
    service: Service,
    capacity_available: int | None,
    capacity_maximum: int | None,
    capacity_unit: str = "",
) -> Service:
    """The provider's staff say how many places one of their own services has free now (and of
    how many, in what unit). Another provider's service is not found."""
    from providers.selectors import access_provider_service_by_id

    require_perm(actor, "providers.act_for_provider")
    service = access_provider_service_by_id(actor=actor, service_id=service.pk)
    errors = {}
    for name, value in (
        ("capacity_available", capacity_available),
        ("capacity_maximum", capacity_maximum),
    ):
        if value is not None and not 0 <= value <= MAX_VACANCY:
            errors[name] = f"Enter a whole number from 0 to {MAX_VACANCY:,}."
    capacity_unit = (capacity_unit or "").strip()
    if len(capacity_unit) > 60:
        errors["capacity_unit"] = "Enter the unit in 60 characters or fewer."
    if errors:
        raise ValidationError(errors)
    service.capacity_available = capacity_available
    service.capacity_maximum = capacity_maximum
    service.capacity_unit = capacity_unit
    _validate_service(service)
    service.capacity_updated_at = timezone.now()
    service.save(
        update_fields=[
            "capacity_available",
            "capacity_maximum",
            "capacity_unit",
            "capacity_updated_at",
            "updated_at",
        ]
    )
    events.vacancies_updated(service, actor=actor)
    return service


MAX_VACANCY = 100_000


# ---------------------------------------------------------------------------------------------
# Provider accounts: a person who acts for one provider in one council.


@transaction.atomic
def provider_account_open(*, user, provider: Provider) -> ProviderAccount:
    """Let `user` act for `provider` in its council: the `provider` role there (so they sign in
    and switch council as staff do, but pass no staff check) and the one active account that
    names the provider. An account they held for another of the council's providers ends.
    Platform work (the Django admin, the demo), as memberships are."""
    council = provider.council
    current = ProviderAccount.objects.filter(user=user, council=council, ended_at__isnull=True)
    kept = current.filter(provider=provider).first()
    current.exclude(provider=provider).update(ended_at=timezone.now())
    membership_grant(user=user, council=council, role=Role.PROVIDER)
    user.__dict__.pop("_provider_for", None)
    if kept is not None:
        return kept
    return ProviderAccount.objects.create(council=council, user=user, provider=provider)


@transaction.atomic
def provider_account_end(*, account: ProviderAccount) -> ProviderAccount:
    """The person no longer acts for the provider: the account ends (its row stays, for the
    record) and so does their provider role in that council."""
    if account.ended_at is None:
        account.ended_at = timezone.now()
        account.save(update_fields=["ended_at"])
    Membership.objects.filter(
        user=account.user, council=account.council, role=Role.PROVIDER
    ).delete()
    account.user.forget_roles()
    account.user.__dict__.pop("_provider_for", None)
    return account
