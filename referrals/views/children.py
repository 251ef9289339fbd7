"""A child's record in the browser: the children list, adding a child (with "check your answers"),
changing their details, their carers, the timeline, the social worker's caseload and the team
manager's authorisation queue. The sections of a child's record are in `referrals.views.record`.

Reads go through `referrals.selectors`, changes through `referrals.services`. Every page that
shows a child's record writes the access log. The tier is never a form field: only services
move it.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from referrals.census_codes import Ethnicity, Sex, UPNUnknown
from referrals.exports import (
    ASSESSMENT_RELATED,
    ASSESSMENTS,
    CHILDREN,
    PACKAGE_PREFETCH,
    PACKAGES,
    caseload_export,
)
from referrals.filters import ChildFilter
from referrals.forms.children import CarerForm, ChildForm, WorkerForm
from referrals.forms.parent_links import CarerAccountForm
from referrals.models import Disability
from referrals.nhs import normalise_nhs_number
from referrals.selectors import caseload as caseload_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import common as common_selectors
from referrals.selectors import packages as package_selectors
from referrals.selectors import timeline as timeline_selectors
from referrals.selectors.caseload import WORKER_ROLES, caseload_child_ids, team_workers_for
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from shortbreaks.accesslog.services import (
    LIST,
    SEARCH,
    access_log_record,
    access_log_record_list,
)
from shortbreaks.councils.selectors import colleagues_list
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import page_number
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AUTHORISE = "referrals.authorise_assessment"
PAGE_SIZE = 50
REFUSALS = (TransitionNotAllowed, ValidationError)
NEW_CHILD_KEY = "referrals.children.new"
# A search of the children is posted and kept in the session under an opaque id (`?q=`), so no
# name, NHS number or postcode is ever in a page's address.
SEARCH_PARAM = "search"
SAVED_PARAM = "q"
SEARCHES_KEY = "referrals.children.searches"
KEPT_SEARCHES = 20
# The list's filters besides the search: not secret, so they stay in the address.
LIST_FILTERS = ("tier", "overnights")
SEARCH_BY_FORM = (
    "Search with the form on this page. Names, NHS numbers and postcodes are not kept in the "
    "page address, so the address's search was not used."
)
SEARCH_ENDED = "That search has ended. Search again."


def _page_number(params) -> int:
    raw = params.pop("page", ["1"])[-1]
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def workers_for(actor) -> list:
    """The council's social workers and team managers, who may be a child's keyworker."""
    people = {}
    for membership in colleagues_list(actor=actor).filter(role__in=WORKER_ROLES):
        people.setdefault(membership.user.pk, membership.user)
    return list(people.values())


# ----------------------------------------------------------------------------------------------
# The children list


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def child_list(request):
    """The council's children by name; search by name, child id, NHS number or postcode.

    A search is posted, never put in the address: the terms wait in the session under an opaque
    id and the page redirects to `?q=<id>`, which pages like any list. An address that still
    carries `search` (an old bookmark, a hand-typed link) is sent to the list without it."""
    if request.method == "POST":
        fmt = export_format(request)
        if fmt is not None:
            return _child_export(request, fmt)
        return _child_search(request)
    params = request.GET.copy()
    if SEARCH_PARAM in params:
        params.pop(SEARCH_PARAM)
        messages.info(request, SEARCH_BY_FORM)
        return redirect(_children_url(params))
    page = _page_number(params)
    token = params.get(SAVED_PARAM, "")
    saved = request.session.get(SEARCHES_KEY, {}).get(token) if token else None
    if token and saved is None:
        messages.info(request, SEARCH_ENDED)
        return redirect(_children_url({}))
    # A saved search's terms, with the tier and overnight filters from the address.
    data = _with_saved_search(saved, params) if saved is not None else params
    filterset = _child_filter(request, data)
    return _child_list_page(request, filterset, page=page, filter_query=params.urlencode())


def _child_filter(request, data) -> ChildFilter:
    """The list's filter of `data` (none: every child), validated so the panel shows errors."""
    filterset = ChildFilter(
        data or None,
        queryset=child_selectors.child_list(actor=request.user),
        request=request,
        on_page=True,
    )
    if filterset.is_bound:
        filterset.form.is_valid()
    return filterset


def _children_url(params) -> str:
    query = urlencode(params, doseq=True) if params else ""
    return reverse("referrals:children") + (f"?{query}" if query else "")


def _child_search(request):
    """The posted search: kept in the session, then the list at an address without the terms."""
    filterset = _child_filter(request, request.POST)
    if not filterset.form.is_valid():
        return _child_list_page(request, filterset, page=1, filter_query="")
    filters = filterset.form.filters()
    if not filters.get("search"):
        return redirect(_children_url(filters))
    searches = dict(request.session.get(SEARCHES_KEY, {}))
    token = secrets.token_urlsafe(9)
    searches[token] = {"search": filters["search"]}
    request.session[SEARCHES_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
    others = {name: filters[name] for name in LIST_FILTERS if filters.get(name)}
    return redirect(_children_url({SAVED_PARAM: token, **others}))


def _with_saved_search(saved: dict, params) -> dict:
    """A saved search's terms with the list's other filters, which are not secret and so stay
    in the address (or the posted download), each removable on its own."""
    return {
        "search": saved.get("search", ""),
        **{name: params.get(name, "") for name in LIST_FILTERS},
    }


EXPORT_FIELDS = (SAVED_PARAM, *LIST_FILTERS)


def _child_export(request, fmt: str):
    """Every child the list's filters keep, as a download. Posted, as the search is: the saved
    search's opaque id (`q`) or the tier comes back in the form, never in the address."""
    token = request.POST.get(SAVED_PARAM, "")
    saved = request.session.get(SEARCHES_KEY, {}).get(token) if token else None
    if token and saved is None:
        messages.info(request, SEARCH_ENDED)
        return redirect(_children_url({}))
    filterset = _child_filter(
        request,
        _with_saved_search(saved, request.POST)
        if saved is not None
        else {name: request.POST.get(name, "") for name in LIST_FILTERS},
    )
    return export_response(
        request=request,
        actor=request.user,
        export=CHILDREN,
        queryset=filterset.qs.select_related("keyworker"),
        fmt=fmt,
        filters=filterset.form.filters(),
    )


def _child_list_page(request, filterset: ChildFilter, *, page: int, filter_query: str):
    """One page of the list for the valid filters; the access log gets one row for it."""
    form = filterset.form
    filters = form.filters() if form.is_bound else {}
    offset = (page - 1) * PAGE_SIZE
    rows = list(filterset.qs[offset : offset + PAGE_SIZE + 1])
    children = rows[:PAGE_SIZE]
    access_log_record_list(
        actor=request.user,
        request=request,
        action=SEARCH if filters.get("search") else LIST,
        object_type="referrals.child",
        ids=[child.pk for child in children],
        filters={"tier": filters.get("tier"), "page": page if page > 1 else None, **filters},
    )
    return render(
        request,
        "referrals/children/list.html",
        {
            "form": form,
            "filter": filterset,
            "children": children,
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "filter_query": filter_query,
            "filtered": bool(filters),
            # The download is posted back with the same filters (a saved search by its id).
            "export_fields": [pair for pair in parse_qsl(filter_query) if pair[0] in EXPORT_FIELDS],
        },
    )


# ----------------------------------------------------------------------------------------------
# Adding a child: the form, then "check your answers"


def _answers(request) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}


def _child_form_page(request, form, *, title: str, back: str, child=None):
    return render(
        request,
        "referrals/children/form.html",
        {"form": form, "title": title, "back": back, "child": child},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def child_create(request):
    workers = workers_for(request.user)
    if request.method == "POST":
        form = ChildForm(request.POST, workers=workers)
        if form.is_valid():
            request.session[NEW_CHILD_KEY] = _answers(request)
            return redirect("referrals:child-create-check")
    elif request.session.get(NEW_CHILD_KEY):
        form = ChildForm(MultiValueDict(request.session[NEW_CHILD_KEY]), workers=workers)
    else:
        default = request.user.pk if request.user.pk in {w.pk for w in workers} else None
        form = ChildForm(initial={"keyworker": default}, workers=workers)
    return _child_form_page(request, form, title="Add a child", back=reverse("referrals:children"))


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def child_create_check(request):
    answers = request.session.get(NEW_CHILD_KEY)
    workers = workers_for(request.user)
    form = ChildForm(MultiValueDict(answers or {}), workers=workers)
    if not answers or not form.is_valid():
        return redirect("referrals:child-create")
    matches = _possible_matches(request, form.child_fields())
    confirm_error = ""
    if request.method == "POST" and matches and request.POST.get("confirm_new") != "yes":
        confirm_error = "Open the existing record, or confirm this is a different child"
    elif request.method == "POST":
        try:
            child = child_services.child_create(
                actor=request.user, keyworker=form.chosen_keyworker(), **form.child_fields()
            )
        except REFUSALS as error:
            add_service_error(form, error)
            return _child_form_page(
                request, form, title="Add a child", back=reverse("referrals:children")
            )
        del request.session[NEW_CHILD_KEY]
        access_log_record(actor=request.user, request=request, action="create", obj=child)
        messages.success(
            request, f"{child.full_name} added, with child id {child.council_child_id}."
        )
        return redirect("referrals:child", child_id=child.pk)
    return render(
        request,
        "referrals/children/check.html",
        {
            "rows": _check_rows(form, reverse("referrals:child-create")),
            "matches": matches,
            "errors": [confirm_error] if confirm_error else [],
        },
    )


def _possible_matches(request, fields: dict) -> list:
    """The council's records that may be this child, before it is added; the ids shown are
    written to the access log, as a search's are."""
    matches = child_selectors.child_possible_matches(
        actor=request.user,
        first_name=fields.get("first_name", ""),
        last_name=fields.get("last_name", ""),
        date_of_birth=fields.get("date_of_birth"),
        nhs_number=fields.get("nhs_number", ""),
        postcode=fields.get("postcode", ""),
    )
    if matches:
        access_log_record_list(
            actor=request.user,
            request=request,
            action=SEARCH,
            object_type="referrals.child",
            ids=[match.child.pk for match in matches],
            filters={"possible_matches": "new child"},
        )
    return matches


def _check_rows(form: ChildForm, change: str) -> list[tuple[str, str, str, str]]:
    """(label, value, change link, hidden text) for each answer."""
    data = form.cleaned_data
    labels = dict(Disability.choices)
    keyworker = form.chosen_keyworker()
    rows = [
        ("Name", f"{data['first_name']} {data['last_name']}", "first_name", "name"),
        ("Date of birth", _date(data["date_of_birth"]), "date_of_birth_0", "date of birth"),
        (
            "Council's child id",
            data["council_child_id"] or "Made when you save",
            "council_child_id",
            "council's child id",
        ),
        ("NHS number", _nhs(data["nhs_number"]) or "Not given", "nhs_number", "NHS number"),
        ("Unique pupil number", data["upn"] or "Not given", "upn", "unique pupil number"),
        ("Address", data["address"] or "Not given", "address", "address"),
        ("Postcode", data["postcode"] or "Not given", "postcode", "postcode"),
        (
            "Disabilities",
            "\n".join(f"{labels[code]} ({code})" for code in data["disabilities"]) or "None given",
            "disabilities",
            "disabilities",
        ),
        (
            "Communication needs",
            data["communication_needs"] or "None given",
            "communication_needs",
            "communication needs",
        ),
        ("School", data["school"] or "Not given", "school", "school"),
        ("Sex", dict(Sex.choices).get(data["sex"], "Not given"), "sex_1", "sex"),
        (
            "Ethnicity",
            dict(Ethnicity.choices).get(data["ethnicity"], "Not given"),
            "ethnicity",
            "ethnicity",
        ),
        ("Former UPN", data["former_upn"] or "Not given", "former_upn", "former UPN"),
        (
            "Why there is no UPN",
            dict(UPNUnknown.choices).get(data["upn_unknown_reason"], "Not given"),
            "upn_unknown_reason",
            "why there is no UPN",
        ),
        (
            "Keyworker",
            str(keyworker) if keyworker else "No keyworker yet",
            "keyworker",
            "keyworker",
        ),
    ]
    return [
        (label, value, f"{change}#id_{anchor}", hidden) for label, value, anchor, hidden in rows
    ]


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not given"


def _nhs(value: str) -> str:
    number = normalise_nhs_number(value)
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else value


# ----------------------------------------------------------------------------------------------
# The timeline and changing a child's details (the record's sections are in `record`)


def _child(request, child_id: int):
    return child_selectors.access_child_by_id(actor=request.user, child_id=child_id)


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_timeline(request, child_id: int):
    child = _child(request, child_id)
    access_log_record(actor=request.user, request=request, action="view", obj=child)
    return render(
        request,
        "referrals/children/timeline.html",
        {
            "child": child,
            "entries": timeline_selectors.child_timeline(actor=request.user, child=child),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def child_edit(request, child_id: int):
    actor = request.user
    child = _child(request, child_id)
    workers = workers_for(actor)
    if child.keyworker and child.keyworker.pk not in {w.pk for w in workers}:
        workers.append(child.keyworker)
    if request.method == "POST":
        form = ChildForm(request.POST, workers=workers, editing=True)
        if form.is_valid():
            try:
                child_services.child_update(
                    actor=actor,
                    child=child,
                    keyworker=form.chosen_keyworker(),
                    **form.child_fields(),
                )
            except REFUSALS as error:
                add_service_error(form, error)
            else:
                access_log_record(actor=actor, request=request, action="change", obj=child)
                messages.success(request, "Child's details saved.")
                return redirect("referrals:child", child_id=child.pk)
    else:
        access_log_record(actor=actor, request=request, action="view", obj=child)
        form = ChildForm(initial=ChildForm.initial_for(child), workers=workers, editing=True)
    return _child_form_page(
        request,
        form,
        title="Change the child's details",
        back=reverse("referrals:child", args=[child.pk]),
        child=child,
    )


# ----------------------------------------------------------------------------------------------
# Carers


def _carer(request, child_id: int, carer_id: int):
    return child_selectors.access_carer_by_id(
        actor=request.user, child_id=child_id, carer_id=carer_id
    )


def _carer_page(request, form, child, *, title: str):
    return render(
        request,
        "referrals/children/carer_form.html",
        {"form": form, "child": child, "title": title},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def carer_create(request, child_id: int):
    child = _child(request, child_id)
    form = CarerForm(request.POST if request.method == "POST" else None, submit="Add carer")
    if request.method == "POST" and form.is_valid():
        try:
            carer = carer_services.carer_add(actor=request.user, child=child, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=carer)
            messages.success(request, f"{carer.name} added as a carer.")
            return redirect(reverse("referrals:child", args=[child.pk]) + "#carers")
    return _carer_page(request, form, child, title="Add a carer")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def carer_edit(request, child_id: int, carer_id: int):
    child, carer = _carer(request, child_id, carer_id)
    initial = {name: getattr(carer, name) for name in CarerForm.base_fields}
    form = CarerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            carer_services.carer_update(actor=request.user, carer=carer, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=carer)
            messages.success(request, f"{carer.name}'s details saved.")
            return redirect(reverse("referrals:child", args=[child.pk]) + "#carers")
    elif request.method == "GET":
        access_log_record(actor=request.user, request=request, action="view", obj=carer)
    return _carer_page(request, form, child, title=f"Change {carer.name}'s details")


# ----------------------------------------------------------------------------------------------
# Linking a carer to the parent account they sign in with


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def carer_account_link(request, child_id: int, carer_id: int):
    """Link a carer to a parent account of the council by its email address."""
    child, carer = _carer(request, child_id, carer_id)
    if carer.account_id is not None:
        return redirect("referrals:carer-account-unlink", child.pk, carer.pk)
    form = CarerAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            carer_services.carer_account_link(
                actor=request.user, carer=carer, email=form.cleaned_data["email"]
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=carer)
            messages.success(request, f"{carer.name} is linked to their parent account.")
            return redirect(reverse("referrals:child", args=[child.pk]) + "#carers")
    elif request.method == "GET":
        access_log_record(actor=request.user, request=request, action="view", obj=carer)
    return render(
        request,
        "referrals/children/carer_account.html",
        {"form": form, "child": child, "carer": carer},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def carer_account_unlink(request, child_id: int, carer_id: int):
    """Confirm, then unlink a carer from their parent account."""
    child, carer = _carer(request, child_id, carer_id)
    if carer.account_id is None:
        return redirect("referrals:carer-account-link", child.pk, carer.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            carer_services.carer_account_unlink(actor=request.user, carer=carer)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=carer)
            messages.success(request, f"{carer.name} is no longer linked to a parent account.")
            return redirect(reverse("referrals:child", args=[child.pk]) + "#carers")
    else:
        access_log_record(actor=request.user, request=request, action="view", obj=carer)
    return render(
        request,
        "referrals/children/carer_unlink.html",
        {"child": child, "carer": carer, "errors": errors},
    )


# ----------------------------------------------------------------------------------------------
# Caseload and the authorisation queue


@permission_required(VIEW)
@require_http_methods(["GET"])
def caseload(request):
    """The signed-in worker's children and what is due, overdue first. A team manager may open
    the caseload of a worker in their team."""
    actor = request.user
    worker = actor
    form = None
    # The work tray's links: one kind of item, only the overdue, or a team manager's whole team.
    kind = request.GET.get("kind", "")
    kind = kind if kind in caseload_selectors.CASELOAD_WHAT else ""
    overdue_only = request.GET.get("overdue") == "on"
    team = None
    if actor.has_perm(AUTHORISE):
        workers = team_workers_for(actor)
        form = WorkerForm(request.GET or None, workers=workers)
        if form.is_bound and form.is_valid():
            worker = form.chosen() or actor
        form.initial = {"worker": worker.pk}
        if request.GET.get("team") == "on" and not form.chosen():
            team = workers
    fmt = export_format(request)
    if fmt is not None:
        return caseload_export(
            request, fmt=fmt, worker=team or worker, kind=kind, overdue=overdue_only
        )
    number = page_number(request.GET.get("page"))
    items = caseload_selectors.caseload(
        actor=actor, worker=team or worker, page=number, kind=kind, overdue=overdue_only
    )
    wanted = {"kind": kind or None, "overdue": "on" if overdue_only else None}
    wanted["team"] = "on" if team else None
    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.child",
        ids=caseload_child_ids(items),
        filters={
            "worker": None if team else worker.pk,
            **wanted,
            "page": number if number > 1 else None,
        },
    )
    query = {key: value for key, value in wanted.items() if value}
    if worker.pk != actor.pk:
        query["worker"] = worker.pk
    return render(
        request,
        "referrals/caseload/caseload.html",
        {
            "form": form,
            "worker": worker,
            "is_own": worker.pk == actor.pk and not team,
            "team": bool(team),
            "kind_label": caseload_selectors.CASELOAD_WHAT.get(kind, ""),
            "overdue_only": overdue_only,
            "items": items,
            "overdue": caseload_selectors.caseload_overdue_count(
                actor=actor, worker=team or worker
            ),
            "worker_query": urlencode(query),
        },
    )


@permission_required(AUTHORISE)
@require_http_methods(["GET"])
def authorisations(request):
    """Completed assessments waiting for a team manager, oldest first."""
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=ASSESSMENTS,
            queryset=caseload_selectors.authorisation_queue(actor=request.user).select_related(
                *ASSESSMENT_RELATED
            ),
            fmt=fmt,
            filters={"to_authorise": True},
        )
    params = request.GET.copy()
    page = _page_number(params)
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        caseload_selectors.authorisation_queue(actor=request.user)[offset : offset + PAGE_SIZE + 1]
    )
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="referrals.assessment",
        ids=[assessment.pk for assessment in rows[:PAGE_SIZE]],
        filters={"page": page if page > 1 else None},
    )
    today = timezone.localdate()
    for assessment in rows:
        assessment.days_waiting = (today - assessment.completed_on).days
        assessment.due_on = common_selectors.add_working_days(
            assessment.completed_on, common_selectors.AUTHORISATION_WORKING_DAYS
        )
        assessment.overdue = assessment.due_on < today
    return render(
        request,
        "referrals/caseload/authorisations.html",
        {"assessments": rows[:PAGE_SIZE], "page": page, "has_next": len(rows) > PAGE_SIZE},
    )


@permission_required("referrals.record_panel_decision")
@require_http_methods(["GET"])
def panel_queue(request):
    """Packages proposed and waiting for the resource panel's decision, oldest first."""
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=PACKAGES,
            queryset=package_selectors.panel_queue(actor=request.user).prefetch_related(
                *PACKAGE_PREFETCH
            ),
            fmt=fmt,
            filters={"status": "proposed"},
        )
    params = request.GET.copy()
    page = _page_number(params)
    offset = (page - 1) * PAGE_SIZE
    rows = list(package_selectors.panel_queue(actor=request.user)[offset : offset + PAGE_SIZE + 1])
    packages = rows[:PAGE_SIZE]
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="referrals.package",
        ids=[package.pk for package in packages],
        filters={"page": page if page > 1 else None},
    )
    today = timezone.localdate()
    for package in packages:
        package.days_waiting = (today - timezone.localdate(package.created_at)).days
    return render(
        request,
        "referrals/caseload/panel_queue.html",
        {"packages": packages, "page": page, "has_next": len(rows) > PAGE_SIZE},
    )


urlpatterns = [
    path("children/", child_list, name="children"),
    path("children/new/", child_create, name="child-create"),
    path("children/new/check/", child_create_check, name="child-create-check"),
    path("children/<int:child_id>/edit/", child_edit, name="child-edit"),
    path("children/<int:child_id>/timeline/", child_timeline, name="child-timeline"),
    path("children/<int:child_id>/carers/new/", carer_create, name="carer-create"),
    path("children/<int:child_id>/carers/<int:carer_id>/edit/", carer_edit, name="carer-edit"),
    path(
        "children/<int:child_id>/carers/<int:carer_id>/account/",
        carer_account_link,
        name="carer-account-link",
    ),
    path(
        "children/<int:child_id>/carers/<int:carer_id>/account/unlink/",
        carer_account_unlink,
        name="carer-account-unlink",
    ),
    path("caseload/", caseload, name="caseload"),
    path("caseload/authorisations/", authorisations, name="authorisations"),
    path("caseload/panel/", panel_queue, name="panel-queue"),
]
