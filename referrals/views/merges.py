"""Merging a duplicate child's record into the one kept, in the browser.

A team manager (`referrals.merge_child`) opens the kept child's merge page, chooses the duplicate
(from the possible matches, or by the council's child id), checks what will move, and confirms.
The duplicate then stays only as a pointer: opening it leads to the kept record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from referrals.models import Child
from referrals.selectors import children as child_selectors
from referrals.services import merges as merge_services
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import permission_required

MERGE = "referrals.merge_child"


def _other(actor, keep: Child, data) -> tuple[Child | None, str]:
    """The record chosen to merge in, or the reason none is."""
    chosen = (data.get("other") or "").strip()
    child_id = (data.get("council_child_id") or "").strip()
    try:
        if chosen.isdigit():
            return child_selectors.access_child_by_id(actor=actor, child_id=int(chosen)), ""
        if child_id:
            found = (
                child_selectors.child_list(actor=actor)
                .filter(council_child_id__iexact=child_id)
                .values_list("pk", flat=True)
                .first()
            )
            if found is None:
                return None, "No record of the council has that child id."
            return child_selectors.access_child_by_id(actor=actor, child_id=found), ""
    except RecordNotFound:
        return None, "Choose one of the possible matches, or enter a child id."
    return None, "Choose one of the possible matches, or enter a child id."


def _counts(child: Child) -> list[tuple[str, int]]:
    """How many of each kind of record would move, one query each."""
    return [
        ("Referrals", child.referrals.count()),
        ("Assessments", child.assessments.count()),
        ("Packages", child.packages.count()),
        ("Grant applications", child.grant_applications.count()),
        ("Carers", child.carers.count()),
        ("Case notes", child.case_notes.count()),
        ("Overnight stays", child.overnight_stays.count()),
    ]


@require_http_methods(["GET", "POST"])
@permission_required(MERGE)
def child_merge(request, child_id: int):
    """Step one chooses the duplicate; step two (`confirm`) shows what moves and merges."""
    actor = request.user
    keep = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
    if keep.merged_into_id:
        return redirect("referrals:child", keep.pk)
    matches = child_selectors.child_possible_matches(
        actor=actor,
        first_name=keep.first_name,
        last_name=keep.last_name,
        date_of_birth=keep.date_of_birth,
        nhs_number=keep.nhs_number,
        postcode=keep.postcode,
        exclude_id=keep.pk,
    )
    access_log_record(actor=actor, request=request, action="view", obj=keep)
    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.child",
        ids=[match.child.pk for match in matches],
        filters={"possible_matches_of": keep.pk},
    )
    errors: list[str] = []
    if request.method == "POST":
        other, problem = _other(actor, keep, request.POST)
        if other is None:
            errors.append(problem)
        else:
            if request.POST.get("confirm") == "yes":
                try:
                    merge_services.child_merge(actor=actor, keep=keep, merge=other)
                except ValidationError as error:
                    errors += error.messages
                except TransitionNotAllowed as error:
                    errors.append(error.reason)
                else:
                    for child in (keep, other):
                        access_log_record(actor=actor, request=request, action="change", obj=child)
                    messages.success(
                        request,
                        f"Record {other.council_child_id} merged into this one. Everything "
                        "recorded about the child is here now.",
                    )
                    return redirect("referrals:child", keep.pk)
            access_log_record(actor=actor, request=request, action="view", obj=other)
            return render(
                request,
                "referrals/children/merge_check.html",
                {"keep": keep, "other": other, "counts": _counts(other), "errors": errors},
            )
    return render(
        request,
        "referrals/children/merge.html",
        {"keep": keep, "matches": matches, "errors": errors},
    )


urlpatterns = [
    path("children/<int:child_id>/merge/", child_merge, name="child-merge"),
]
