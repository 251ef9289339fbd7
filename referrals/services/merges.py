"""Duplicate records: merging one child's record into another."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Model
from django.utils import timezone

from referrals import events
from referrals.models import (
    Child,
    ChildEvent,
    GrantApplication,
    GrantStatus,
    OvernightCount,
    OvernightStay,
)
from referrals.services.common import _own
from referrals.services.overnights import overnight_counts_refresh
from shortbreaks.permissions import require_perm

MERGE = "referrals.merge_child"


# ----------------------------------------------------------------------------------------------
# Duplicate records: merging one child's record into another


def _merge_conflicts(keep: Child, merge: Child) -> dict:
    """What cannot move without breaking a rule the records keep: one live grant application a
    year per scheme, and one overnight stay a night."""
    errors = {}
    schemes = set(
        GrantApplication.objects.filter(child=keep)
        .exclude(status=GrantStatus.DECLINED)
        .values_list("scheme_id", flat=True)
    )
    clash = (
        GrantApplication.objects.filter(child=merge, scheme_id__in=schemes)
        .exclude(status=GrantStatus.DECLINED)
        .select_related("scheme")
        .first()
    )
    if clash is not None:
        errors["merge"] = (
            f"Both records have a live application on {clash.scheme}. Decide or decline one "
            "of them first: a child has one application a year on a scheme."
        )
    nights = OvernightStay.objects.filter(child=keep).values("night")
    if OvernightStay.objects.filter(child=merge, night__in=nights).exists():
        errors["merge"] = (
            "Both records have an overnight stay on the same night. Remove the duplicate stay "
            "first."
        )
    return errors


def _child_foreign_keys() -> list[tuple[type[Model], models.ForeignKey]]:
    """Every foreign key to a child, of any app (hidden ones, `related_name="+"`, included), but
    the record's own pointer and the merge events' other record."""
    found = []
    for model in apps.get_models():
        if model is Child:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey) or field.remote_field.model is not Child:
                continue
            if model is ChildEvent and field.name == "other":
                continue
            found.append((model, field))
    return found


@transaction.atomic
def child_merge(*, actor, keep: Child, merge: Child, on: date | None = None) -> Child:
    """A team manager merges a duplicate record (`merge`) into the one kept: every record about
    the child (referrals, assessments, packages, reviews through them, notes, carers, grants,
    documents through referrals, overnight stays, and any other record pointing at a child) moves
    to `keep`; `merge` stays only as a pointer to it. Both timelines record it."""
    require_perm(actor, MERGE)
    _own(actor, keep, merge)
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A record cannot be merged into itself."})
    first, second = sorted([keep.pk, merge.pk])
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[first, second])}
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id is not None:
        raise ValidationError(
            {"keep": "This record was already merged into another. Merge into that one."}
        )
    if merge.merged_into_id is not None:
        raise ValidationError({"merge": "That record was already merged into another."})
    errors = _merge_conflicts(keep, merge)
    if errors:
        raise ValidationError(errors)
    on = on or timezone.localdate()
    # The kept nights a year are worked out again for the record kept, below: moved as they are,
    # both records' counts for the same year would clash.
    OvernightCount.objects.filter(child__in=[keep, merge]).delete()
    for model, field in _child_foreign_keys():
        try:
            with transaction.atomic():
                model._base_manager.filter(**{field.name: merge}).update(**{field.name: keep})
        except IntegrityError:
            # A rule of that record (one of a kind per child) both records already hold.
            raise ValidationError(
                {
                    "merge": f"Both records have {model._meta.verbose_name_plural} that a child "
                    "can have only one of at a time. Settle them first."
                }
            ) from None
    merge.merged_into, merge.merged_at = keep, timezone.now()
    merge.save(update_fields=["merged_into", "merged_at", "updated_at"])
    overnight_counts_refresh(keep)
    events.records_merged(keep=keep, merge=merge, actor=actor, on=on)
    return keep
