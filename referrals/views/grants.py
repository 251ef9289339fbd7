"""Targeted grants and allowances in the browser: schemes, applications, decisions, payments.

The grants page is the waiting list (oldest first, with days waiting) and the backlog by month.
An application and a decision each go through "check your answers", because approving moves the
child to the targeted tier. A refusal from a service comes back in the error summary.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from referrals import trends
from referrals.exports import GRANT_APPLICATIONS
from referrals.filters import LONG_WAIT_DAYS, GrantApplicationFilter
from referrals.forms.grants import (
    QUESTIONS,
    GrantApplicationForm,
    GrantDecisionForm,
    GrantPaymentForm,
    GrantSchemeForm,
)
from referrals.models import GrantApplication, GrantStatus
from referrals.selectors import children as child_selectors
from referrals.selectors import grants as grant_selectors
from referrals.services import grants as grant_services
from shortbreaks import charts
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import page_number
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"


def _key(step: str, pk: int) -> str:
    return f"referrals.grants.{step}.{pk}"


def _bound(form_class, answers: dict[str, str], error, **kwargs):
    """The form as it was answered (from the session), carrying the service's errors."""
    data = {}
    for name in form_class.base_fields:
        raw = answers.get(name, "")
        if name in ("received_on", "decided_on", "review_on"):
            year, month, day = raw.split("-") if raw else ("", "", "")
            data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = (
                day.lstrip("0"),
                month.lstrip("0"),
                year,
            )
        else:
            data[name] = raw
    form = form_class(data=data, **kwargs)
    form.is_valid()
    add_service_error(form, error)
    return form


def _date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not given"


def _pounds(value) -> str:
    return f"£{value:,.2f}" if value is not None else "Not given"


# ----------------------------------------------------------------------------------------------
# The waiting list and the backlog


def _backlog_chart(backlog: list[dict]) -> charts.Chart | None:
    """A bar a month (`shortbreaks.charts`), so the oldest months' weight shows at a glance."""
    if not backlog:
        return None
    most = max(row["waiting"] for row in backlog)
    total = sum(row["waiting"] for row in backlog)
    return charts.bar_chart(
        id="backlog-chart",
        title="Applications still waiting, by the month they arrived",
        summary=(
            f"{total} applications waiting, received between {backlog[0]['month']:%B %Y} "
            f"and {backlog[-1]['month']:%B %Y}; the most in one month is {most}."
        ),
        categories=[f"{row['month']:%b %Y}" for row in backlog],
        series=[charts.Series("Waiting", [row["waiting"] for row in backlog])],
        x_label="Month received",
        y_label="Applications",
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def grants_overview(request):
    actor = request.user
    filterset = GrantApplicationFilter.for_page(
        request, grant_selectors.grant_waiting_list(actor=actor)
    )
    filters = {"status": GrantStatus.RECEIVED, **filterset.applied}
    fmt = export_format(request)
    if fmt is not None:  # the applications waiting for a decision, every one the filter keeps
        return export_response(
            request=request,
            actor=actor,
            export=GRANT_APPLICATIONS,
            queryset=filterset.qs,
            fmt=fmt,
            filters=filters,
        )
    number = page_number(request.GET.get("page"))
    waiting = grant_selectors.grant_waiting_page(
        actor=actor, page=number, applications=filterset.qs
    )
    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.grantapplication",
        ids=[application.pk for application in waiting],
        filters={**filters, "page": number if number > 1 else None},
    )
    counts = grant_selectors.grant_waiting_counts(actor=actor, longer_than_days=LONG_WAIT_DAYS)
    backlog = grant_selectors.grant_backlog_by_month(actor=actor)
    return render(
        request,
        "referrals/grants/overview.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "filter_query": filterset.query,
            "waiting": waiting,
            "waiting_count": counts["waiting"],
            "backlog": backlog,
            "chart": _backlog_chart(backlog),
            "trend": trends.grants_chart(trends.grants_by_month(actor=actor)),
            "long_wait_days": LONG_WAIT_DAYS,
            "long_waits": counts["long_waits"],
        },
    )


# ----------------------------------------------------------------------------------------------
# Schemes


@require_http_methods(["GET"])
@permission_required(VIEW)
def scheme_list(request):
    return render(
        request,
        "referrals/grants/schemes.html",
        {"schemes": list(grant_selectors.grant_schemes(actor=request.user))},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def scheme_create(request):
    if request.method == "POST":
        form = GrantSchemeForm(request.POST)
        if form.is_valid():
            try:
                scheme = grant_services.grant_scheme_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{scheme} saved.")
                return redirect("referrals:grant-schemes")
    else:
        form = GrantSchemeForm()
    return render(request, "referrals/grants/scheme_form.html", {"form": form})


# ----------------------------------------------------------------------------------------------
# Applying


def _application_form_page(request, child, form, schemes):
    return render(
        request,
        "referrals/grants/application_form.html",
        {"child": child, "form": form, "schemes": schemes},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def application_create(request, child_id: int):
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    schemes = list(grant_selectors.grant_schemes(actor=request.user))
    key = _key("apply", child.pk)
    if request.method == "POST":
        form = GrantApplicationForm(request.POST, schemes=schemes)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("referrals:grant-application-create-check", child.pk)
    else:
        initial = GrantApplicationForm.initial_from(request.session.get(key))
        form = GrantApplicationForm(initial=initial, schemes=schemes)
    return _application_form_page(request, child, form, schemes)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def application_create_check(request, child_id: int):
    actor = request.user
    child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
    key = _key("apply", child.pk)
    answers = request.session.get(key)
    if not answers:
        return redirect("referrals:grant-application-create", child.pk)
    schemes = list(grant_selectors.grant_schemes(actor=actor))
    scheme = next((s for s in schemes if str(s.pk) == answers.get("scheme")), None)
    values = GrantApplicationForm.values(answers)
    family_answers = GrantApplicationForm.family_answers(answers)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if scheme is None:
                raise ValidationError({"scheme": "Choose the scheme"})
            application = grant_services.grant_application_create(
                actor=actor,
                child=child,
                scheme=scheme,
                received_on=values["received_on"],
                answers=family_answers,
            )
        except ValidationError as error:
            form = _bound(GrantApplicationForm, answers, error, schemes=schemes)
            return _application_form_page(request, child, form, schemes)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            del request.session[key]
            messages.success(request, "Application saved. It is on the waiting list.")
            return redirect("referrals:grant-application", application.pk)
    change = reverse("referrals:grant-application-create", args=[child.pk])
    rows = [
        ("Scheme", str(scheme) if scheme else "Not chosen", f"{change}#id_scheme_1", "scheme"),
        (
            "Date received",
            _date(values["received_on"]),
            f"{change}#id_received_on_0",
            "date received",
        ),
    ]
    anchors = {"lives_in_area": "id_lives_in_area_1"}
    for name, question in QUESTIONS.items():
        rows.append(
            (
                question,
                family_answers.get(question, "Not answered"),
                f"{change}#{anchors.get(name, f'id_{name}')}",
                "the answer to: " + question,
            )
        )
    return render(
        request,
        "referrals/grants/check.html",
        {
            "child": child,
            "back_url": change,
            "caption": child.full_name,
            "title": "Check the application before saving it",
            "rows": rows,
            "errors": errors,
            "button": "Save the application",
            "intro": "Saving puts the application on the waiting list for a decision.",
        },
    )


# ----------------------------------------------------------------------------------------------
# One application: its page, the decision and the payment


def _application_page(
    request,
    application: GrantApplication,
    *,
    decision_form=None,
    payment_form=None,
    errors=(),
    status: int = 200,
):
    actor = request.user
    can_manage = actor.has_perm(MANAGE)
    waiting = application.status == GrantStatus.RECEIVED
    if can_manage and waiting and decision_form is None:
        answers = request.session.get(_key("decide", application.pk))
        decision_form = GrantDecisionForm(initial=GrantDecisionForm.initial_from(answers))
    if can_manage and application.status == GrantStatus.APPROVED and payment_form is None:
        payment_form = GrantPaymentForm(application=application, actor=request.user)
    if payment_form is not None and not payment_form.fields["payment_status"].choices:
        payment_form = None
    days_waiting = None
    if waiting:
        days_waiting = (timezone.localdate() - application.received_on).days
    child = application.child
    # Staff see the council's records that may be this child (an online application makes a
    # new record); the parent never does.
    matches = child_selectors.child_possible_matches(
        actor=actor,
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        nhs_number=child.nhs_number,
        postcode=child.postcode,
        exclude_id=child.pk,
    )
    if matches:
        access_log_record_list(
            actor=actor,
            request=request,
            object_type="referrals.child",
            ids=[match.child.pk for match in matches],
            filters={"possible_matches_of": child.pk},
        )
    return render(
        request,
        "referrals/grants/application.html",
        {
            "application": application,
            "child": application.child,
            "scheme": application.scheme,
            "answers": list(application.answers.items())
            if isinstance(application.answers, dict)
            else [],
            "days_waiting": days_waiting,
            "long_wait_days": LONG_WAIT_DAYS,
            "this_year": grant_selectors.child_grants_in_year(
                child=child, year=application.scheme.year
            ),
            "matches": matches,
            "can_merge": actor.has_perm("referrals.merge_child"),
            "decision_form": decision_form if waiting else None,
            "payment_form": payment_form,
            "errors": list(errors),
        },
        status=status,
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def application_detail(request, application_id: int):
    actor = request.user
    application = grant_selectors.access_grant_application_by_id(
        actor=actor, application_id=application_id
    )
    access_log_record(actor=actor, request=request, action="view", obj=application)
    return _application_page(request, application)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def application_decide(request, application_id: int):
    """The decision form lives on the application page; this takes its answers to the check."""
    application = grant_selectors.access_grant_application_by_id(
        actor=request.user, application_id=application_id
    )
    if request.method == "GET":
        return redirect(reverse("referrals:grant-application", args=[application.pk]) + "#decide")
    form = GrantDecisionForm(request.POST)
    if form.is_valid():
        request.session[_key("decide", application.pk)] = form.answers()
        return redirect("referrals:grant-application-decide-check", application.pk)
    return _application_page(request, application, decision_form=form)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def application_decide_check(request, application_id: int):
    actor = request.user
    application = grant_selectors.access_grant_application_by_id(
        actor=actor, application_id=application_id
    )
    key = _key("decide", application.pk)
    answers = request.session.get(key)
    if not answers:
        return redirect("referrals:grant-application", application.pk)
    values = GrantDecisionForm.values(answers)
    errors: list[str] = []
    if request.method == "POST":
        try:
            grant_services.grant_application_decide(actor=actor, application=application, **values)
        except ValidationError as error:
            form = _bound(GrantDecisionForm, answers, error)
            return _application_page(request, application, decision_form=form)
        except TransitionNotAllowed as error:
            del request.session[key]
            return _application_page(request, application, errors=[error.reason])
        else:
            del request.session[key]
            done = "approved" if values["decision"] == GrantStatus.APPROVED else "declined"
            messages.success(request, f"Application {done}.")
            return redirect("referrals:grant-application", application.pk)
    change = reverse("referrals:grant-application", args=[application.pk])
    approved = values["decision"] == GrantStatus.APPROVED
    rows = [
        (
            "Decision",
            "Approve" if approved else "Decline",
            f"{change}#id_decision_1",
            "decision",
        ),
        (
            ("Amount awarded", _pounds(values["amount"]), f"{change}#id_amount", "amount")
            if approved
            else ("Reason", values["reason"], f"{change}#id_reason", "reason")
        ),
        ("Date of the decision", _date(values["decided_on"]), f"{change}#id_decided_on_0", "date"),
        ("Review date", _date(values["review_on"]), f"{change}#id_review_on_0", "review date"),
    ]
    intro = (
        f"Approving moves {application.child.full_name} to the targeted tier if they are not "
        "already at that tier or above, and marks the award as awaiting payment."
        if approved
        else "The family will be told the reason."
    )
    return render(
        request,
        "referrals/grants/check.html",
        {
            "child": application.child,
            "back_url": change,
            "caption": f"{application.child.full_name}: {application.scheme}",
            "title": "Check the decision before recording it",
            "rows": rows,
            "errors": errors,
            "button": "Record the decision",
            "intro": intro,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def application_payment(request, application_id: int):
    """Move an award's payment on: awaiting payment, paid, stopped."""
    application = grant_selectors.access_grant_application_by_id(
        actor=request.user, application_id=application_id
    )
    if request.method == "GET":
        return redirect(reverse("referrals:grant-application", args=[application.pk]) + "#payment")
    form = GrantPaymentForm(request.POST, application=application, actor=request.user)
    if form.is_valid():
        try:
            grant_services.grant_payment_set(
                actor=request.user,
                application=application,
                payment_status=form.cleaned_data["payment_status"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Payment status saved.")
            return redirect("referrals:grant-application", application.pk)
    return _application_page(request, application, payment_form=form)


urlpatterns = [
    path("grants/", grants_overview, name="grants"),
    path("grants/schemes/", scheme_list, name="grant-schemes"),
    path("grants/schemes/new/", scheme_create, name="grant-scheme-create"),
    path(
        "children/<int:child_id>/grants/new/",
        application_create,
        name="grant-application-create",
    ),
    path(
        "children/<int:child_id>/grants/new/check/",
        application_create_check,
        name="grant-application-create-check",
    ),
    path(
        "grants/applications/<int:application_id>/",
        application_detail,
        name="grant-application",
    ),
    path(
        "grants/applications/<int:application_id>/decision/",
        application_decide,
        name="grant-application-decide",
    ),
    path(
        "grants/applications/<int:application_id>/decision/check/",
        application_decide_check,
        name="grant-application-decide-check",
    ),
    path(
        "grants/applications/<int:application_id>/payment/",
        application_payment,
        name="grant-application-payment",
    ),
]
