"""Outcome surveys in the browser.

Staff: the council's surveys, setting one up and its questions, sending it, its report (by
service, provider and lot: a chart with the table beside it), and a child's invitations with the
form a social worker fills in on the family's behalf. Provider staff: their own services' results.
Parent carers (on their council's pages): their open invitations and the forms, the child's in
easy read. Anyone with a link: the form it names, once, until the survey closes.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes import selectors, services
from outcomes.charts import satisfaction_chart
from outcomes.exports import ANSWERS, SURVEYS
from outcomes.forms import AnswerForm, QuestionForm, SurveyForm
from outcomes.models import Channel, Invitation, Respondent, SurveyStatus
from providers.selectors import provider_for
from referrals.selectors import children as child_selectors
from referrals.selectors import parents as parent_selectors
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Council
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW_REPORT = "outcomes.view_report"
MANAGE = "outcomes.manage_survey"
RECORD = "outcomes.record_response"
PROVIDER = "providers.act_for_provider"


# ----------------------------------------------------------------------------------------------
# Staff: surveys


def _any_of(*perms: str):
    def decorator(view):
        @wraps(view)
        @permission_required("councils.use_service")
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_perm(p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_GET
@_any_of(VIEW_REPORT, MANAGE)
def survey_list(request):
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=SURVEYS,
            queryset=selectors.survey_list(actor=request.user),
            fmt=fmt,
        )
    return render(
        request,
        "outcomes/list.html",
        {"surveys": list(selectors.survey_list(actor=request.user)[:100])},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def survey_create(request):
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Survey created, with the built-in questions")
            return redirect("outcomes:survey", survey.pk)
    return render(
        request, "outcomes/survey_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
@_any_of(VIEW_REPORT, MANAGE)
def survey_detail(request, survey_id: int):
    survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
    return render(
        request,
        "outcomes/survey.html",
        {
            "survey": survey,
            "questions": selectors.survey_questions(survey=survey),
            "counts": selectors.survey_counts(survey=survey),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def question_create(request, survey_id: int):
    survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(actor=request.user, survey=survey, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question added")
            return redirect("outcomes:survey", survey.pk)
    return render(
        request,
        "outcomes/question_form.html",
        {"survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(MANAGE)
@require_POST
def survey_send(request, survey_id: int):
    survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
    try:
        sent = services.survey_send(actor=request.user, survey=survey)
    except TransitionNotAllowed as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            f"{sent.invitations} invitation{'s' if sent.invitations != 1 else ''} made; "
            f"links emailed to {sent.links_emailed} "
            f"famil{'ies' if sent.links_emailed != 1 else 'y'}",
        )
    return redirect("outcomes:survey", survey.pk)


@permission_required(MANAGE)
@require_POST
def survey_close(request, survey_id: int):
    survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
    try:
        services.survey_close(actor=request.user, survey=survey)
    except TransitionNotAllowed as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, "Survey closed")
    return redirect("outcomes:survey", survey.pk)


def _report_context(report: dict) -> dict:
    for grouping in report["by"]:
        grouping["chart"] = satisfaction_chart(grouping["rows"], what=grouping["label"].lower())
    return report


@require_GET
@permission_required(VIEW_REPORT)
def survey_report(request, survey_id: int):
    survey = selectors.access_survey_by_id(actor=request.user, survey_id=survey_id)
    may_export = selectors.may_read_answers(request.user)
    fmt = export_format(request)
    if fmt is not None:
        # Every answer, one row each: only for those who may read children's records too.
        if not may_export:
            raise PermissionDenied
        return export_response(
            request=request,
            actor=request.user,
            export=ANSWERS,
            queryset=selectors.survey_answer_list(actor=request.user, survey=survey),
            fmt=fmt,
            filters={"survey": survey.pk},
        )
    report = _report_context(selectors.survey_report(survey=survey))
    return render(
        request,
        "outcomes/report.html",
        {"survey": survey, "report": report, "may_export": may_export},
    )


# ----------------------------------------------------------------------------------------------
# Provider staff: their own services' results


def _provider(request):
    provider = provider_for(request.user)
    if provider is None:
        raise PermissionDenied
    return provider


@require_GET
@permission_required(PROVIDER)
def provider_reports(request):
    provider = _provider(request)
    surveys = list(selectors.provider_surveys(actor=request.user, provider=provider)[:50])
    return render(
        request, "outcomes/provider_list.html", {"provider": provider, "surveys": surveys}
    )


@require_GET
@permission_required(PROVIDER)
def provider_report(request, survey_id: int):
    provider = _provider(request)
    survey = selectors.access_provider_survey(
        actor=request.user, provider=provider, survey_id=survey_id
    )
    report = _report_context(selectors.survey_report(survey=survey, provider=provider))
    return render(
        request,
        "outcomes/report.html",
        {"survey": survey, "report": report, "provider": provider},
    )


# ----------------------------------------------------------------------------------------------
# Answering: the form, for whoever answers


def _answer_page(request, invitation: Invitation, *, template_context: dict, on_valid):
    used = services.services_used(child_id=invitation.child_id, survey=invitation.survey)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        questions=services.questions_for(invitation=invitation),
        services=used,
        respondent=invitation.respondent,
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = on_valid(form.answers())
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            return response
    easy = invitation.respondent == Respondent.CHILD
    return render(
        request,
        "outcomes/answer_easy.html" if easy else "outcomes/answer.html",
        {"invitation": invitation, "form": form, "services": used, **template_context},
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required(RECORD)
def child_invitations(request, child_id: int):
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    access_log_record(actor=request.user, request=request, action="view", obj=child)
    invitations = selectors.child_invitations(actor=request.user, child_id=child.pk)
    return render(request, "outcomes/child.html", {"child": child, "invitations": invitations})


@require_http_methods(["GET", "POST"])
@permission_required(RECORD)
def record_for_family(request, invitation_id: int):
    invitation = selectors.access_invitation_for_staff(
        actor=request.user, invitation_id=invitation_id
    )
    access_log_record(actor=request.user, request=request, action="view", obj=invitation.child)
    if invitation.answered_at is not None:
        messages.error(request, "This survey has already been answered")
        return redirect("outcomes:child", invitation.child_id)

    def submit(answers):
        services.response_submit(
            actor=request.user, invitation=invitation, channel=Channel.STAFF, answers=answers
        )
        messages.success(request, "Answers recorded")
        return redirect("outcomes:child", invitation.child_id)

    return _answer_page(
        request,
        invitation,
        template_context={
            "back_url": reverse("outcomes:child", args=[invitation.child_id]),
            "on_behalf": True,
        },
        on_valid=submit,
    )


# ----------------------------------------------------------------------------------------------
# Parent carers, on their council's pages


def _council(slug: str) -> Council:
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise Http404("No such council.")
    return council


def parent_page(view):
    """The council named in the URL (404 if none), then a signed-in parent account of it: the
    anonymous go to the council's parent sign-in, staff get 403, a parent of another council 404."""

    @wraps(view)
    def wrapped(request, council_slug: str, *args, **kwargs):
        council = _council(council_slug)
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), reverse("statements:account-sign-in", args=[council.slug])
            )
        account = parent_selectors.parent_account(actor=request.user)
        if account is None:
            raise PermissionDenied
        if account.council_id != council.pk:
            raise Http404("No such page.")
        return view(request, council, *args, **kwargs)

    return wrapped


@require_GET
@parent_page
def parent_surveys(request, council):
    invitations = selectors.parent_invitations(actor=request.user)
    return render(
        request,
        "outcomes/parent_list.html",
        {"council": council, "invitations": invitations},
    )


@require_http_methods(["GET", "POST"])
@parent_page
def parent_answer(request, council, invitation_id: int):
    invitation = selectors.parent_access_invitation(
        actor=request.user, council=council, invitation_id=invitation_id
    )
    back = reverse("outcomes:parent-surveys", args=[council.slug])
    access_log_record(
        actor=request.user, request=request, action="view", obj=invitation, council=council
    )
    if invitation.answered_at is not None or invitation.survey.status != SurveyStatus.OPEN:
        return render(
            request,
            "outcomes/link_refused.html",
            {"council": council, "reason": "This survey has been answered or has closed."},
            status=410,
        )

    def submit(answers):
        services.response_submit(
            actor=request.user, invitation=invitation, channel=Channel.ACCOUNT, answers=answers
        )
        return redirect("outcomes:answer-sent", council.slug)

    return _answer_page(
        request,
        invitation,
        template_context={"council": council, "back_url": back},
        on_valid=submit,
    )


# ----------------------------------------------------------------------------------------------
# Anyone with a link: no sign-in, once, until the survey closes


@require_http_methods(["GET", "POST"])
def answer_by_link(request, council_slug: str, token: str):
    council = _council(council_slug)
    try:
        invitation = services.invitation_for_token(council=council, token=token)
    except services.LinkRefused as refused:
        return render(
            request,
            "outcomes/link_refused.html",
            {"council": council, "reason": refused.reason},
            status=410,
        )
    access_log_record(
        actor=request.user, request=request, action="view", obj=invitation, council=council
    )

    def submit(answers):
        services.response_submit(
            actor=None, invitation=invitation, channel=Channel.LINK, answers=answers
        )
        return redirect("outcomes:answer-sent", council.slug)

    return _answer_page(request, invitation, template_context={"council": council}, on_valid=submit)


@require_GET
def answer_sent(request, council_slug: str):
    return render(request, "outcomes/answer_sent.html", {"council": _council(council_slug)})


app_name = "outcomes"

urlpatterns = [
    path("surveys/", survey_list, name="surveys"),
    path("surveys/new/", survey_create, name="survey-create"),
    path("surveys/<int:survey_id>/", survey_detail, name="survey"),
    path("surveys/<int:survey_id>/questions/new/", question_create, name="question-create"),
    path("surveys/<int:survey_id>/send/", survey_send, name="survey-send"),
    path("surveys/<int:survey_id>/close/", survey_close, name="survey-close"),
    path("surveys/<int:survey_id>/report/", survey_report, name="report"),
    path("provider/", provider_reports, name="provider-reports"),
    path("provider/<int:survey_id>/", provider_report, name="provider-report"),
    path("children/<int:child_id>/", child_invitations, name="child"),
    path("invitations/<int:invitation_id>/record/", record_for_family, name="record"),
    path("<slug:council_slug>/account/surveys/", parent_surveys, name="parent-surveys"),
    path(
        "<slug:council_slug>/account/surveys/<int:invitation_id>/",
        parent_answer,
        name="parent-answer",
    ),
    path("<slug:council_slug>/answer/sent/", answer_sent, name="answer-sent"),
    path("<slug:council_slug>/answer/<str:token>/", answer_by_link, name="answer"),
]
