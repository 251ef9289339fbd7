"""The council's staff pages on its short breaks services statement, under /statements/manage/.

Versions, one page a written section, the compliance check as a task list, a preview identical to
the published page, consultation, publishing (refused with every reason in the error summary),
the PDF and carers' feedback. These patterns come before the public ones that take a council's
slug, so "manage" is never read as a council.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required
from shortbreaks.states import may, refusal
from statements import selectors, services
from statements.body import published_body
from statements.checks import compliance_check
from statements.content import build_content, content_when_read
from statements.documents import pdf_response
from statements.exports import CARER_FEEDBACK, STATEMENTS
from statements.forms.staff import SECTIONS, FeedbackSummaryForm, consultation_form, review_form
from statements.models import StatementStatus
from statements.services import StatementNotCompliant

VIEW = "statements.view_statement"
MANAGE = "statements.manage_statement"
PUBLISH = "statements.publish_statement"

DUE_SOON_DAYS = 30


def _version_url(version) -> str:
    return reverse("statements:manage-version", args=[version.pk])


def review_state(version, today=None) -> str:
    """ "overdue", "due" (within 30 days) or "" for a published version's review date."""
    today = today or timezone.localdate()
    if version.status != StatementStatus.PUBLISHED or version.review_on is None:
        return ""
    if version.review_on < today:
        return "overdue"
    if version.review_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due"
    return ""


@require_http_methods(["GET"])
@permission_required(VIEW)
def version_list(request):
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=STATEMENTS,
            queryset=selectors.statement_list(request.user),
            fmt=fmt,
        )
    versions = list(selectors.statement_list(request.user))
    current = next((v for v in versions if v.status == StatementStatus.PUBLISHED), None)
    open_version = next(
        (v for v in versions if v.status in (StatementStatus.DRAFT, StatementStatus.CONSULTATION)),
        None,
    )
    return render(
        request,
        "statements/staff/list.html",
        {
            "versions": versions,
            "current": current,
            "open_version": open_version,
            "review_state": review_state(current) if current else "",
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def version_create(request):
    errors: list[str] = []
    latest = selectors.statement_list(request.user).first()
    if request.method == "POST":
        try:
            version = services.statement_draft_create(actor=request.user)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            messages.success(request, f"Version {version.number} created as a draft.")
            return redirect(_version_url(version))
    return render(request, "statements/staff/create.html", {"errors": errors, "latest": latest})


@require_http_methods(["GET"])
@permission_required(VIEW)
def version_detail(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    checks = compliance_check(version) if not version.is_frozen else []
    return render(
        request,
        "statements/staff/detail.html",
        {
            "version": version,
            "job": version.pdf_job,
            "download_url": reverse("statements:manage-pdf", args=[version.pk])
            if version.pdf_job
            else "",
            "incomplete": [c for c in checks if not c.ok],
            "checks": checks,
            "sections": [(key, title) for key, (title, _form) in SECTIONS.items()],
            "events": list(selectors.statement_events(request.user, version)),
            "feedback_count": selectors.feedback_list(request.user, version).count(),
            "review_state": review_state(version),
        },
    )


def _section_initial(version, key: str) -> dict:
    form_class = SECTIONS[key][1]
    if key == "categories":
        return dict(version.category_explanations or {})
    return {name: getattr(version, name) for name in form_class.base_fields}


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def section_edit(request, statement_id: int, section: str):
    version = selectors.statement_get(request.user, statement_id)
    if section not in SECTIONS:
        raise Http404("No such section.")
    title, form_class = SECTIONS[section]
    kwargs = {}
    if section == "categories":
        content = build_content(version)
        kwargs["missing"] = [row["category"] for row in content["categories_without_service"]]
    if refusal(version, "edit") is not None:
        return render(
            request,
            "statements/staff/frozen.html",
            {"version": version, "title": title},
            status=409,
        )
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.statement_update(actor=request.user, version=version, **form.values())
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{title} saved.")
                return redirect("statements:manage-check", version.pk)
    else:
        form = form_class(initial=_section_initial(version, section), **kwargs)
    return render(
        request,
        "statements/staff/section.html",
        {"version": version, "form": form, "title": title},
    )


def _check_rows(version, checks):
    rows = []
    for check in checks:
        if check.section == "range":
            url = reverse("providers:services")
        else:
            url = reverse("statements:manage-section", args=[version.pk, check.section])
        rows.append({"check": check, "url": url})
    return rows


@require_http_methods(["GET"])
@permission_required(VIEW)
def check(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    checks = compliance_check(version)
    return render(
        request,
        "statements/staff/check.html",
        {
            "version": version,
            "rows": _check_rows(version, checks),
            "done": sum(1 for c in checks if c.ok),
            "total": len(checks),
            "can_edit": may(version, "edit", request.user),
        },
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def preview(request, statement_id: int):
    # A published version's preview shows the body its public page shows, from the cache: its
    # frozen content is read only when the cache has not got it.
    version = selectors.statement_get(request.user, statement_id, with_snapshot=False)
    if version.is_frozen:
        context = {"content": content_when_read(version), "body": published_body(version)}
    else:
        context = {"content": build_content(version)}
    return render(request, "statements/staff/preview.html", {"version": version, **context})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def consultation_start(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    if request.method == "POST":
        form = consultation_form(request.POST)
        if form.is_valid():
            try:
                services.statement_consultation_start(
                    actor=request.user, version=version, closes_on=form.cleaned_data["closes_on"]
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, "The statement is out for consultation.")
                return redirect(_version_url(version))
    else:
        form = consultation_form()
    return render(
        request,
        "statements/staff/date_form.html",
        {"version": version, "form": form, "title": "Start the consultation with carers"},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def review_date(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    if request.method == "POST":
        form = review_form(request.POST)
        if form.is_valid():
            try:
                services.statement_review_date_set(
                    actor=request.user, version=version, review_on=form.cleaned_data["review_on"]
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Review date saved.")
                return redirect(_version_url(version))
    else:
        form = review_form(initial={"review_on": version.review_on})
    return render(
        request,
        "statements/staff/date_form.html",
        {"version": version, "form": form, "title": "Set the review date"},
    )


# The box a person ticks to publish while carers may still give their views.
CONFIRM_OPEN_CONSULTATION = "confirm_open_consultation"


@require_http_methods(["GET", "POST"])
@permission_required(PUBLISH)
def publish(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    errors: list[str] = []
    consultation_error = ""
    if request.method == "POST":
        try:
            version = services.statement_publish(
                actor=request.user,
                version=version,
                confirm_open_consultation=request.POST.get(CONFIRM_OPEN_CONSULTATION) == "yes",
            )
        except StatementNotCompliant as error:
            errors = error.reasons
        except services.ConsultationStillOpen as error:
            consultation_error = error.reason
        except TransitionNotAllowed as error:
            errors = [error.reason]
        else:
            messages.success(
                request, f"Version {version.number} is published. Its PDF is being prepared."
            )
            return redirect(_version_url(version))
    else:
        reason = refusal(version, "publish")
        if reason is not None:
            errors = [reason]
    previous = selectors.public_statement(version.council)
    return render(
        request,
        "statements/staff/publish.html",
        {
            "version": version,
            "errors": errors,
            "previous": previous if previous and previous.pk != version.pk else None,
            "consultation_open": version.consultation_open(),
            "consultation_error": consultation_error,
            "confirm_field": CONFIRM_OPEN_CONSULTATION,
        },
        status=409 if (errors or consultation_error) and request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def pdf(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    response = pdf_response(version.pdf_job)
    access_log_record(actor=request.user, request=request, action="download", obj=version.pdf_job)
    return response


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def feedback(request, statement_id: int):
    version = selectors.statement_get(request.user, statement_id)
    fmt = export_format(request) if request.method == "GET" else None
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=CARER_FEEDBACK,
            queryset=selectors.feedback_list(request.user, version),
            fmt=fmt,
            filters={"version": version.number},
        )
    items = list(selectors.feedback_list(request.user, version))
    draft = selectors.statement_open(request.user)
    can_write = draft is not None and request.user.has_perm(MANAGE)
    form = None
    if can_write:
        if request.method == "POST":
            form = FeedbackSummaryForm(request.POST)
            if form.is_valid():
                try:
                    services.statement_update(
                        actor=request.user,
                        version=draft,
                        views_summary=form.cleaned_data["views_summary"],
                    )
                except (ValidationError, TransitionNotAllowed) as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request, f"Summary of carers' views saved to version {draft.number}."
                    )
                    return redirect(_version_url(draft))
        else:
            form = FeedbackSummaryForm(initial={"views_summary": draft.views_summary})
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "statements/staff/feedback.html",
        {"version": version, "items": items, "draft": draft, "form": form},
    )


urlpatterns = [
    path("manage/", version_list, name="manage-list"),
    path("manage/new/", version_create, name="manage-create"),
    path("manage/<int:statement_id>/", version_detail, name="manage-version"),
    path("manage/<int:statement_id>/check/", check, name="manage-check"),
    path("manage/<int:statement_id>/preview/", preview, name="manage-preview"),
    path(
        "manage/<int:statement_id>/sections/<slug:section>/",
        section_edit,
        name="manage-section",
    ),
    path(
        "manage/<int:statement_id>/consultation/",
        consultation_start,
        name="manage-consultation",
    ),
    path("manage/<int:statement_id>/review-date/", review_date, name="manage-review-date"),
    path("manage/<int:statement_id>/publish/", publish, name="manage-publish"),
    path("manage/<int:statement_id>/pdf/", pdf, name="manage-pdf"),
    path("manage/<int:statement_id>/feedback/", feedback, name="manage-feedback"),
]
