"""Case notes on a child's record in the browser: the list, adding one, correcting one and its
attachment. Social workers and team managers only (`referrals.view_casenote`,
`referrals.add_casenote`); every page that shows notes writes the access log, the list one row
with the ids shown."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from referrals.exports import CASE_NOTES
from referrals.forms.notes import CaseNoteForm
from referrals.selectors import children as child_selectors
from referrals.selectors import notes as note_selectors
from referrals.services import notes as note_services
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.documents.responses import attachment_response
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW_NOTE = "referrals.view_casenote"
ADD_NOTE = "referrals.add_casenote"


def _child(request, child_id: int):
    return child_selectors.access_child_by_id(actor=request.user, child_id=child_id)


def _notes_url(child) -> str:
    return reverse("referrals:case-notes", args=[child.pk])


@require_http_methods(["GET"])
@permission_required(VIEW_NOTE)
def note_list(request, child_id: int):
    actor = request.user
    child = _child(request, child_id)
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=actor,
            export=CASE_NOTES,
            queryset=note_selectors.case_note_list(actor=actor, child=child).select_related(
                "child"
            ),
            fmt=fmt,
            filters={"child": child.pk},
        )
    notes = list(note_selectors.case_note_list(actor=actor, child=child))
    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.casenote",
        ids=[note.pk for note in notes],
        filters={"child": child.pk},
    )
    for note in notes:
        note.correctable = note_services.case_note_correctable_in_place(actor=actor, note=note)
    return render(
        request,
        "referrals/notes/list.html",
        {"child": child, "notes": notes, "can_add": actor.has_perm(ADD_NOTE)},
    )


def _form_page(request, child, form, *, note=None, status: int = 200):
    return render(
        request,
        "referrals/notes/form.html",
        {"child": child, "form": form, "note": note},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required(ADD_NOTE)
def note_create(request, child_id: int):
    child = _child(request, child_id)
    if child.merged_into_id:
        return redirect("referrals:child", child.pk)
    if request.method == "POST":
        form = CaseNoteForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                note = note_services.case_note_add(
                    actor=request.user,
                    child=child,
                    on=data["on"],
                    kind=data["kind"],
                    text=data["text"],
                    upload=data.get("file"),
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                access_log_record(actor=request.user, request=request, action="create", obj=note)
                messages.success(request, "Note saved.")
                return redirect(_notes_url(child))
    else:
        form = CaseNoteForm()
    return _form_page(request, child, form)


@require_http_methods(["GET", "POST"])
@permission_required(ADD_NOTE)
def note_correct(request, child_id: int, note_id: int):
    """Within a day its author corrects the note itself; after that, or anyone else, writes a
    new note that corrects it (the page says which before saving)."""
    actor = request.user
    child = _child(request, child_id)
    note = note_selectors.access_case_note_by_id(actor=actor, child=child, note_id=note_id)
    in_place = note_services.case_note_correctable_in_place(actor=actor, note=note)
    button = "Save the correction" if in_place else "Save the correcting note"
    if request.method == "POST":
        form = CaseNoteForm(request.POST, attachment=False, button=button)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = note_services.case_note_correct(
                    actor=actor, note=note, on=data["on"], kind=data["kind"], text=data["text"]
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                action = "change" if saved.pk == note.pk else "create"
                access_log_record(actor=actor, request=request, action=action, obj=saved)
                messages.success(
                    request,
                    "Note corrected." if saved.pk == note.pk else "Correcting note saved.",
                )
                return redirect(_notes_url(child))
    else:
        access_log_record(actor=actor, request=request, action="view", obj=note)
        form = CaseNoteForm(
            initial={"on": note.on, "kind": note.kind, "text": note.text},
            attachment=False,
            button=button,
        )
    return render(
        request,
        "referrals/notes/correct.html",
        {"child": child, "form": form, "note": note, "in_place": in_place},
    )


@require_http_methods(["GET"])
@permission_required(VIEW_NOTE)
def note_attachment(request, child_id: int, note_id: int):
    child = _child(request, child_id)
    note = note_selectors.access_case_note_by_id(actor=request.user, child=child, note_id=note_id)
    if not note.file:
        return redirect(_notes_url(child))
    response = attachment_response(note)
    access_log_record(actor=request.user, request=request, action="download", obj=note)
    return response


urlpatterns = [
    path("children/<int:child_id>/notes/", note_list, name="case-notes"),
    path("children/<int:child_id>/notes/new/", note_create, name="case-note-create"),
    path(
        "children/<int:child_id>/notes/<int:note_id>/correct/",
        note_correct,
        name="case-note-correct",
    ),
    path(
        "children/<int:child_id>/notes/<int:note_id>/attachment/",
        note_attachment,
        name="case-note-attachment",
    ),
]
