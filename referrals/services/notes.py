"""Case notes on a child's record: adding one, and correcting it in place while that is allowed."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals.models import CaseNote, CaseNoteKind, Child
from referrals.services.common import _locked, _own
from shortbreaks.documents.uploads import check_upload, save_with_file
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

VIEW_NOTE = "referrals.view_casenote"
ADD_NOTE = "referrals.add_casenote"
# How long a note's author may correct it in place; after that a correction is a new note.
CORRECTION_WINDOW = timedelta(hours=24)


def _note_errors(*, on, kind: str, text: str, today: date) -> dict:
    errors = {}
    if kind not in CaseNoteKind.values:
        errors["kind"] = "Choose visit, phone call, email, meeting or observation."
    if not (text or "").strip():
        errors["text"] = "Enter the note."
    if on is None:
        errors["on"] = "Enter the date."
    elif on > today:
        errors["on"] = "The date cannot be in the future."
    return errors


@transaction.atomic
def case_note_add(
    *,
    actor,
    child: Child,
    on: date,
    kind: str,
    text: str,
    upload=None,
    corrects: CaseNote | None = None,
) -> CaseNote:
    """A note on the child's record, with any attachment checked as documents are (the type from
    the bytes, the stored name the server's own). `corrects` names an earlier note it corrects."""
    require_perm(actor, ADD_NOTE)
    _own(actor, child, corrects)
    if child.merged_into_id is not None:
        raise TransitionNotAllowed("This record was merged into another; add notes there.")
    errors = _note_errors(on=on, kind=kind, text=text, today=timezone.localdate())
    if corrects is not None and corrects.child_id != child.pk:
        errors["corrects"] = "Choose a note of this child."
    checked = None
    if upload is not None:
        try:
            checked = check_upload(upload, name=getattr(upload, "name", "") or "")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    note = CaseNote(
        council=child.council,
        child=child,
        on=on,
        kind=kind,
        text=text.strip(),
        corrects=corrects,
        author=actor,
    )
    if checked is None:
        note.save()
    else:
        note.original_name = checked.display_name
        note.content_type = checked.content_type
        note.size = checked.size
        note.sha256 = checked.sha256
        save_with_file(note, checked)
    return note


def case_note_correctable_in_place(*, actor, note: CaseNote, now=None) -> bool:
    """Its author, within a day of writing it."""
    now = now or timezone.now()
    return note.author_id == actor.pk and now - note.created_at <= CORRECTION_WINDOW


@transaction.atomic
def case_note_correct(*, actor, note: CaseNote, on: date, kind: str, text: str) -> CaseNote:
    """Its author corrects a note in place within a day of writing it. After that, or by anyone
    else, the correction is a new note that points at the old one, which stays as it was."""
    require_perm(actor, ADD_NOTE)
    _own(actor, note)
    note = _locked(CaseNote, note)
    if not case_note_correctable_in_place(actor=actor, note=note):
        return case_note_add(
            actor=actor, child=note.child, on=on, kind=kind, text=text, corrects=note
        )
    errors = _note_errors(on=on, kind=kind, text=text, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    note.on, note.kind, note.text = on, kind, text.strip()
    note.corrected_at = timezone.now()
    note.save(update_fields=["on", "kind", "text", "corrected_at"])
    return note
