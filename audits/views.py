"""Audit pages: the reports with their ratings, each report's progress table, and each
recommendation with its evidence, history and the forms that change them.

Changing a status or a management action is posted from the recommendation's page; a refusal
from a service comes back in that page's error summary, never as an error page. Evidence is
added in two steps that work without JavaScript: choose the kind of record, then the record.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audits import selectors, services
from audits.exports import AUDIT_REPORTS, RECOMMENDATIONS
from audits.forms import (
    ActionForm,
    EvidenceKindForm,
    EvidenceRecordForm,
    RecommendationForm,
    ReportForm,
    StatusForm,
)
from audits.models import EvidenceKind, EvidenceLink, Recommendation, RecommendationStatus
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW = "audits.view_audit"
MANAGE = "audits.manage_audit"
UPDATE = "audits.update_recommendation"
VIEW_CHILD = "referrals.view_child"
LIST_LIMIT = 200


def evidence_kinds(user) -> list[tuple[str, str]]:
    """The kinds of evidence this person may link: referral documents only if they may read
    children's records."""
    return [
        (value, label)
        for value, label in EvidenceKind.choices
        if value != EvidenceKind.REFERRAL_DOCUMENT or user.has_perm(VIEW_CHILD)
    ]


def evidence_url(link: EvidenceLink, user) -> str:
    """The record's own page, or nothing when this person may not open it."""
    record = link.record
    if link.kind == EvidenceKind.CONTRACT:
        return reverse("contracts:detail", args=[record.pk])
    if link.kind == EvidenceKind.EXTENSION:
        return reverse("contracts:extension", args=[record.pk])
    if link.kind == EvidenceKind.MONITORING:
        return reverse("contracts:monitoring", args=[record.contract_id, record.pk])
    if link.kind == EvidenceKind.REFERRAL_DOCUMENT and user.has_perm(VIEW_CHILD):
        return reverse("referrals:referral", args=[record.referral_id]) + "#documents"
    return ""


# ----------------------------------------------------------------------------------------------
# Reports


@require_http_methods(["GET"])
@permission_required(VIEW)
def report_list(request):
    reports = selectors.audit_report_list(actor=request.user)
    # The work tray's link: only the reports with recommendations past their review date.
    overdue_only = request.GET.get("overdue") == "on"
    if overdue_only:
        reports = reports.filter(overdue_count__gt=0)
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=AUDIT_REPORTS,
            queryset=reports,
            fmt=fmt,
            filters={"overdue": "on"} if overdue_only else {},
        )
    reports = list(reports[: LIST_LIMIT + 1])
    return render(
        request,
        "audits/list.html",
        {
            "reports": reports[:LIST_LIMIT],
            "more": len(reports) > LIST_LIMIT,
            "limit": LIST_LIMIT,
            "overdue_only": overdue_only,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def report_create(request):
    earlier = selectors.audit_report_list(actor=request.user)[:LIST_LIMIT]
    form = ReportForm(request.POST if request.method == "POST" else None, reports=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.audit_report_create(actor=request.user, **form.values())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{report.title} recorded")
            return redirect("audits:report", report.pk)
    return render(request, "audits/report_form.html", {"form": form})


@require_http_methods(["GET"])
@permission_required(VIEW)
def report_detail(request, report_id: int):
    actor = request.user
    report = selectors.access_audit_report_by_id(actor=actor, report_id=report_id)
    fmt = export_format(request)
    if fmt is not None:  # the progress table: the report's recommendations and their actions
        return export_response(
            request=request,
            actor=actor,
            export=RECOMMENDATIONS,
            queryset=selectors.recommendation_list(actor=actor, report=report),
            fmt=fmt,
            filters={"report": report.pk},
        )
    access_log_record(actor=actor, request=request, action="view", obj=report)
    return render(
        request,
        "audits/report_detail.html",
        {
            "report": report,
            "recommendations": selectors.progress_table(actor=actor, report=report),
            "follow_ups": list(selectors.follow_ups_of(actor=actor, report=report)),
        },
    )


# ----------------------------------------------------------------------------------------------
# Recommendations


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def recommendation_create(request, report_id: int):
    actor = request.user
    report = selectors.access_audit_report_by_id(actor=actor, report_id=report_id)
    people = list(selectors.owner_choices(actor=actor))
    form = RecommendationForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                actor=actor, report=report, **form.values()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.reference} recorded")
            return redirect("audits:report", report.pk)
    return render(request, "audits/recommendation_form.html", {"report": report, "form": form})


def _initial_action(recommendation: Recommendation) -> dict:
    initial = {
        "management_action": recommendation.management_action,
        "owner_name": recommendation.owner_name,
        "owner": str(recommendation.owner_id or ""),
        "review_note": recommendation.review_note,
    }
    if recommendation.review_date:
        initial["review_date"] = recommendation.review_date
    return initial


def _detail(
    request,
    recommendation: Recommendation,
    *,
    status_form: StatusForm | None = None,
    action_form: ActionForm | None = None,
    errors: list[str] = (),
    status: int = 200,
):
    actor = request.user
    access_log_record(actor=actor, request=request, action="view", obj=recommendation)
    can_update = actor.has_perm(UPDATE)
    links = list(selectors.evidence_links(recommendation=recommendation))
    for link in links:
        link.label = services.evidence_label(link.kind, link.record)
        link.url = evidence_url(link, actor)
        link.removable = link.kind != EvidenceKind.REFERRAL_DOCUMENT or actor.has_perm(VIEW_CHILD)
    events = list(selectors.recommendation_events(recommendation=recommendation))
    if can_update:
        status_form = status_form or StatusForm(
            initial={
                "status": _next_status(recommendation.status),
                "on": timezone.localdate(),
            }
        )
        action_form = action_form or ActionForm(
            initial=_initial_action(recommendation),
            people=list(selectors.owner_choices(actor=actor)),
            with_review=actor.has_perm(MANAGE),
        )
    failed = None
    for form in (status_form, action_form):
        if form is not None and form.is_bound and form.errors:
            failed = form
    return render(
        request,
        "audits/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "report": recommendation.report,
            "links": links,
            "events": events,
            "can_update": can_update,
            "status_form": status_form,
            "action_form": action_form,
            "failed_form": failed,
            "errors": list(errors),
        },
        status=status,
    )


def _next_status(status: str) -> str:
    return {
        RecommendationStatus.OPEN: RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.IN_PROGRESS: RecommendationStatus.COMPLETE,
    }.get(status, "")


@require_http_methods(["GET"])
@permission_required(VIEW)
def recommendation_detail(request, recommendation_id: int):
    recommendation = selectors.access_recommendation_by_id(
        actor=request.user, recommendation_id=recommendation_id
    )
    return _detail(request, recommendation)


@permission_required(UPDATE)
@require_POST
def recommendation_status(request, recommendation_id: int):
    actor = request.user
    recommendation = selectors.access_recommendation_by_id(
        actor=actor, recommendation_id=recommendation_id
    )
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, recommendation, status_form=form)
    try:
        services.recommendation_change_status(
            actor=actor, recommendation=recommendation, **form.cleaned_data
        )
    except TransitionNotAllowed as error:
        return _detail(request, recommendation, errors=[error.reason])
    except ValidationError as error:
        add_service_error(form, error)
        return _detail(request, recommendation, status_form=form)
    label = RecommendationStatus(form.cleaned_data["status"]).label.lower()
    messages.success(request, f"Recommendation {recommendation.reference} is now {label}")
    return redirect("audits:recommendation", recommendation.pk)


@permission_required(UPDATE)
@require_POST
def recommendation_action(request, recommendation_id: int):
    actor = request.user
    recommendation = selectors.access_recommendation_by_id(
        actor=actor, recommendation_id=recommendation_id
    )
    form = ActionForm(
        request.POST,
        people=list(selectors.owner_choices(actor=actor)),
        with_review=actor.has_perm(MANAGE),
    )
    if not form.is_valid():
        return _detail(request, recommendation, action_form=form)
    try:
        services.recommendation_update_action(
            actor=actor, recommendation=recommendation, **form.values()
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _detail(request, recommendation, action_form=form)
    messages.success(request, "Management action saved")
    return redirect("audits:recommendation", recommendation.pk)


# ----------------------------------------------------------------------------------------------
# Evidence


# The first step's marker: its post chooses the kind and shows the second step unbound.
KIND_STEP = "kind"


def _evidence_anchor(recommendation: Recommendation) -> str:
    return f"{reverse('audits:recommendation', args=[recommendation.pk])}#evidence"


@require_http_methods(["GET", "POST"])
@permission_required(UPDATE)
def evidence_add(request, recommendation_id: int):
    """Step 1 (GET): choose the kind, posted with `step=kind`. Step 2 (kind posted): choose the
    record. Both steps post: a form sent by GET would put its CSRF token in the address."""
    actor = request.user
    recommendation = selectors.access_recommendation_by_id(
        actor=actor, recommendation_id=recommendation_id
    )
    kinds = evidence_kinds(actor)
    posted = request.method == "POST"
    choosing_kind = posted and request.POST.get("step") == KIND_STEP
    kind_form = EvidenceKindForm(request.POST if posted else None, kinds=kinds)
    context = {"recommendation": recommendation, "report": recommendation.report}
    if not kind_form.is_bound or not kind_form.is_valid():
        return render(
            request,
            "audits/evidence_kind.html",
            {**context, "form": kind_form, "step": KIND_STEP},
        )
    kind = kind_form.cleaned_data["kind"]
    label = EvidenceKind(kind).label
    form = EvidenceRecordForm(
        request.POST if posted and not choosing_kind else None,
        records=selectors.evidence_choices(actor=actor, kind=kind),
        record_label=lambda record: services.evidence_label(kind, record),
        kind_label=label,
    )
    if posted and not choosing_kind and form.is_valid():
        try:
            services.evidence_link_add(
                actor=actor,
                recommendation=recommendation,
                kind=kind,
                record_id=form.cleaned_data["record"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{label} linked as evidence")
            return redirect(
                f"{reverse('audits:recommendation', args=[recommendation.pk])}#evidence"
            )
    return render(
        request,
        "audits/evidence_record.html",
        {
            **context,
            "form": form,
            "kind": kind,
            "kind_label": label,
            "limit": selectors.CHOICES_LIMIT,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(UPDATE)
def evidence_remove(request, recommendation_id: int, link_id: int):
    """A page that asks to confirm, then the removal; the history keeps what was removed."""
    actor = request.user
    recommendation = selectors.access_recommendation_by_id(
        actor=actor, recommendation_id=recommendation_id
    )
    link = selectors.access_evidence_link_by_id(
        actor=actor, recommendation=recommendation, link_id=link_id
    )
    if request.method == "POST":
        services.evidence_link_remove(actor=actor, link=link)
        messages.success(request, "Evidence removed")
        return redirect(_evidence_anchor(recommendation))
    return render(
        request,
        "audits/evidence_remove.html",
        {
            "recommendation": recommendation,
            "report": recommendation.report,
            "link": link,
            "label": services.evidence_label(link.kind, link.record),
        },
    )
