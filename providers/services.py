"""Writes to providers, registrations and services. Each checks the actor's right first."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from providers.models import (
    PriceUnit,
    Provider,
    ProviderEvent,
    ProviderStatus,
    Ratio,
    Registration,
    Regulation4Category,
    Service,
    When,
)
from shortbreaks.councils.models import Tier
from shortbreaks.permissions import require_perm
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
)


def _event(*, provider: Provider, actor, kind: str, summary: str) -> None:
    ProviderEvent.objects.create(
        council=provider.council, provider=provider, actor=actor, kind=kind, summary=summary
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
    _event(provider=provider, actor=actor, kind="created", summary="Provider record created.")
    return provider


@transaction.atomic
def provider_update(*, actor, provider: Provider, **fields) -> Provider:
    require_perm(actor, "providers.manage_provider")
    for name, value in _pick(fields, PROVIDER_FIELDS).items():
        setattr(provider, name, value)
    _require_unique_name(provider)
    provider.full_clean()
    save_unique(provider, PROVIDER_REFUSALS)
    _event(provider=provider, actor=actor, kind="changed", summary="Provider details changed.")
    return provider


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
    before = provider.get_status_display()
    provider.status, provider.status_date, provider.status_reason = status, on, reason
    provider.save(update_fields=["status", "status_date", "status_reason", "updated_at"])
    _event(
        provider=provider,
        actor=actor,
        kind="status",
        summary=f"{before} → {provider.get_status_display()} on {on:%d/%m/%Y}: {reason}",
    )
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
    _event(
        provider=provider,
        actor=actor,
        kind="registration",
        summary=f"{registration}: {latest_rating or 'no rating'} recorded.",
    )
    return registration


def _validate_service(service: Service) -> None:
    errors = {}
    lists = {
        "categories": Regulation4Category.values,
        "ratios": Ratio.values,
        "when": When.values,
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


@transaction.atomic
def service_create(*, actor, provider: Provider, **fields) -> Service:
    require_perm(actor, "providers.manage_provider")
    service = Service(council=provider.council, provider=provider, **_pick(fields, SERVICE_FIELDS))
    _validate_service(service)
    if service.capacity_available is not None or service.capacity_maximum is not None:
        service.capacity_updated_at = timezone.now()
    _save(service)
    _event(provider=provider, actor=actor, kind="service", summary=f"Service “{service}” added.")
    return service


@transaction.atomic
def service_update(*, actor, service: Service, **fields) -> Service:
    require_perm(actor, "providers.manage_provider")
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
    _event(
        provider=service.provider,
        actor=actor,
        kind="service",
        summary=f"Service “{service}” changed.",
    )
    return service


def _pick(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return fields
