"""A provider's timeline with the council: one writer per kind of event (docs/decisions/0026).
Each keeps what happened as parameters; `ProviderEvent.SUMMARIES` words it."""

from __future__ import annotations

from datetime import date

from providers.models import (
    Location,
    Provider,
    ProviderEvent,
    ProviderEventKind,
    Registration,
    Service,
    ServiceSchedule,
)


def _write(provider: Provider, *, actor, kind: str, params: dict | None = None) -> ProviderEvent:
    return ProviderEvent.objects.create(
        council=provider.council, provider=provider, actor=actor, kind=kind, params=params or {}
    )


def created(provider: Provider, *, actor) -> ProviderEvent:
    return _write(provider, actor=actor, kind=ProviderEventKind.CREATED)


def changed(provider: Provider, *, actor) -> ProviderEvent:
    return _write(provider, actor=actor, kind=ProviderEventKind.CHANGED)


def status_changed(provider: Provider, *, actor, before: str, on: date, reason: str):
    params = {"before": before, "after": provider.status, "on": on, "reason": reason}
    return _write(provider, actor=actor, kind=ProviderEventKind.STATUS, params=params)


def registration_recorded(registration: Registration, *, actor) -> ProviderEvent:
    params = {
        "registration": str(registration),
        "registration_id": registration.pk,
        "rating": registration.latest_rating,
    }
    return _write(
        registration.provider, actor=actor, kind=ProviderEventKind.REGISTRATION, params=params
    )


def _service(service: Service) -> dict:
    return {"service": str(service), "service_id": service.pk}


def service_added(service: Service, *, actor) -> ProviderEvent:
    return _write(
        service.provider,
        actor=actor,
        kind=ProviderEventKind.SERVICE_ADDED,
        params=_service(service),
    )


def service_changed(service: Service, *, actor) -> ProviderEvent:
    return _write(
        service.provider,
        actor=actor,
        kind=ProviderEventKind.SERVICE_CHANGED,
        params=_service(service),
    )


def times_added(schedule: ServiceSchedule, *, actor) -> ProviderEvent:
    service = schedule.service
    params = _service(service) | {"times": str(schedule)}
    return _write(service.provider, actor=actor, kind=ProviderEventKind.TIMES_ADDED, params=params)


def times_removed(service: Service, *, actor, times: str) -> ProviderEvent:
    params = _service(service) | {"times": times}
    return _write(
        service.provider, actor=actor, kind=ProviderEventKind.TIMES_REMOVED, params=params
    )


def _location(location: Location) -> dict:
    return {"location": str(location), "location_id": location.pk}


def location_added(location: Location, *, actor) -> ProviderEvent:
    return _write(
        location.provider,
        actor=actor,
        kind=ProviderEventKind.LOCATION_ADDED,
        params=_location(location),
    )


def location_changed(location: Location, *, actor) -> ProviderEvent:
    return _write(
        location.provider,
        actor=actor,
        kind=ProviderEventKind.LOCATION_CHANGED,
        params=_location(location),
    )


def vacancies_updated(service: Service, *, actor) -> ProviderEvent:
    params = _service(service) | {
        "available": service.capacity_available,
        "maximum": service.capacity_maximum,
        "unit": service.capacity_unit,
    }
    return _write(service.provider, actor=actor, kind=ProviderEventKind.VACANCIES, params=params)
