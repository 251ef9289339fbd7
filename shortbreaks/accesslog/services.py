"""The one helper that writes the access log. Every view that reads or changes a record calls it."""

from __future__ import annotations

from django.db.models import Model

from shortbreaks.accesslog.models import AccessLogEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    actor,
    action: str,
    outcome: str = "allowed",
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    request=None,
    council=None,
) -> AccessLogEntry:
    """Write one row in the caller's transaction.

    `obj` names the record (its model label and primary key); `object_type` and `object_id` are
    for what has no row (a refused id, a page). The council defaults to the actor's active one,
    or the record's own.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    if council is None and user is not None:
        council = user.active_council
    if council is None and obj is not None:
        council = getattr(obj, "council", None)
    return AccessLogEntry.objects.create(
        council=council,
        user=user,
        username=user.get_username() if user else "",
        roles=",".join(sorted(user.active_roles)) if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        ip_address=client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        outcome=outcome,
    )
