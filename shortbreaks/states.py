"""Status changes, declared once per model (docs/decisions/0026-status-changes-declared-once.md).

A model declares each step as a django-fsm-2 transition on its status field:

    class Package(models.Model):
        status = FSMField(choices=PackageStatus.choices, default=PackageStatus.DRAFT)

        @transition(
            field=status,
            source=[PackageStatus.ACTIVE],
            target=PackageStatus.ENDED,
            permission="referrals.end_package",  # a named permission
            conditions=[Rule(lambda p: p.end_date is not None, "Give the end date first.")],
            custom={"label": "End the package", "refused": "Only an active package can be ended."},
        )
        def end(self):
            pass

Services, and only services, make the step with `step(obj, "end", actor)`: it checks the state,
each condition and the permission, raises `TransitionNotAllowed` with the declared reason (pages
show it, the API answers 409) or `PermissionDenied`, and moves the status. The service then saves
and writes the event. Pages, templates and the API ask the same declaration through `may()`,
`refusal()` and `{% may obj "end" as can_end %}`, so a button never shows for a step the server
refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import django_fsm
from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed, transition  # noqa: F401  (re-exported for models)

from shortbreaks.errors import TransitionNotAllowed


class FSMField(django_fsm.FSMField):
    """A status column whose steps are declared with `transition`: in the database and in the
    migrations, a plain CharField.

    django-fsm's field listens for every model class made after it, to find its transitions. The
    migrations make each model again for every state they pass through (tens of thousands of
    classes in one `migrate`), so with the library's own field in them every class made called
    every status field made before it: most of `migrate`'s time. The historical models of the
    migrations take no steps, so there they are CharFields, as their columns always were."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("protected", None)
        return name, "django.db.models.CharField", args, kwargs


@dataclass(frozen=True)
class Rule:
    """A condition on the record with the sentence that explains a refusal: a fixed sentence, or
    a function of the record when the sentence names its values (who, and when)."""

    test: Callable[[object], bool]
    reason: str | Callable[[object], str]

    def __call__(self, instance) -> bool:
        return bool(self.test(instance))

    def explain(self, instance) -> str:
        """The refusal's sentence for this record."""
        return self.reason(instance) if callable(self.reason) else self.reason


def _bound(obj, name: str):
    method = getattr(obj, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise TypeError(f"{type(obj).__name__}.{name} is not a declared status change")
    return method


def _declared(obj, name: str):
    method = _bound(obj, name)
    meta = method._django_fsm
    return method, meta, meta.get_transition(meta.field.get_state(obj))


def refusal(obj, name: str) -> str | None:
    """Why the record's state or a condition forbids the step now, or None when it is allowed."""
    method, meta, declared = _declared(obj, name)
    if declared is None or not meta.has_transition(meta.field.get_state(obj)):
        any_declared = next(iter(meta.transitions.values()), None)
        custom = any_declared.custom if any_declared else {}
        return custom.get("refused") or f"This record cannot be changed that way now ({name})."
    for condition in declared.conditions:
        if not condition(obj):
            explain = getattr(condition, "explain", None)
            return (
                (explain(obj) if explain else getattr(condition, "reason", None))
                or declared.custom.get("refused")
                or ("This record cannot be changed that way now.")
            )
    return None


def permitted(obj, name: str, actor) -> bool:
    """Whether the actor's role allows the step on this record (its state aside)."""
    method, meta, declared = _declared(obj, name)
    if declared is None:
        declared = next(iter(meta.transitions.values()), None)
    return bool(declared is None or declared.has_perm(obj, actor))


def may(obj, name: str, actor) -> bool:
    """True when the step is allowed now, for this actor: what pages ask before offering it."""
    return refusal(obj, name) is None and permitted(obj, name, actor)


def step(obj, name: str, actor, *args, **kwargs):
    """Make the declared step on `obj` (not saved): refuse with the declared reason or 403."""
    if not permitted(obj, name, actor):
        raise PermissionDenied
    reason = refusal(obj, name)
    if reason is not None:
        raise TransitionNotAllowed(reason)
    return _bound(obj, name)(*args, **kwargs)


def label(obj, name: str) -> str:
    """The words a button uses for the step, as declared."""
    _method, meta, declared = _declared(obj, name)
    declared = declared or next(iter(meta.transitions.values()), None)
    return (declared.custom.get("label") if declared else None) or name.replace(
        "_", " "
    ).capitalize()


def available(obj, actor, field: str = "status") -> list[str]:
    """The names of the steps this actor may make now on `obj`'s `field`, in declaration order."""
    getter = getattr(obj, f"get_available_user_{field}_transitions")
    return [t.name for t in getter(actor)]


def declared_steps(model, field: str = "status") -> dict[str, str]:
    """The declared status changes of `model`'s `field` that move it to a new status, by that
    status: {target: step name}, in the order they are declared."""
    steps: dict[str, str] = {}
    for declared in model._meta.get_field(field).get_all_transitions(model):
        if declared.target is not None:
            steps.setdefault(declared.target, declared.name)
    return steps
