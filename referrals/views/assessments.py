"""Assessments and the resource panel's decisions in the browser.

An assessment is a GOV.UK task list: one page per section, each saved through
`assessment_update`, then "check your answers" and "Complete assessment". A team manager other
than the person who completed it authorises it, or returns it with what needs to change. The
panel's decision on a proposed package is a form, "check your answers", then a confirmation.

A refusal from a service (the state forbids the step, or an answer is wrong) comes back in the
error summary, never as an error page. Every page showing a child's record writes the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from referrals.forms.assessments import (
    NOT_FROM_A_REFERRAL,
    AssessmentStartForm,
    CarerNeedsForm,
    ChildNeedsForm,
    OutcomeForm,
    PanelDecisionForm,
    Regulation3Form,
    ReturnForm,
    SectionForm,
)
from referrals.models import (
    OUTCOME_TIER,
    REGULATION_3_QUESTIONS,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildTier,
    PanelOutcome,
    ReferralStatus,
)
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import children as child_selectors
from referrals.selectors import packages as package_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.services import assessments as assessment_services
from referrals.services import packages as package_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AUTHORISE = "referrals.authorise_assessment"
PANEL = "referrals.record_panel_decision"


def _today() -> date:
    return timezone.localdate()


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# ----------------------------------------------------------------------------------------------
# The task list's sections


@dataclass(frozen=True)
class Section:
    slug: str
    key: str  # its name in `Assessment.sections`
    title: str
    form_class: type[SectionForm]
    hint: str


SECTIONS = (
    Section(
        "child-needs",
        "child_needs",
        "The child's needs",
        ChildNeedsForm,
        "Care, communication, health and behaviour, day and night.",
    ),
    Section(
        "carer-needs",
        "carer_needs",
        "The carer's needs",
        CarerNeedsForm,
        "What caring asks of the parent carers, and their own needs.",
    ),
    Section(
        "regulation-3",
        "regulation_3",
        "The Regulation 3 questions",
        Regulation3Form,
        "Could the carer continue without breaks; would breaks let them work, study, care for "
        "other children and run the household.",
    ),
    Section(
        "outcome",
        "outcome",
        "Outcome and recommended support",
        OutcomeForm,
        "What the assessment found, and the short breaks it recommends.",
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

COMPLETED, IN_PROGRESS, NOT_STARTED = "Completed", "In progress", "Not yet started"


def _filled(value) -> bool:
    return (value.strip() if isinstance(value, str) else value) not in ("", None)


def section_status(assessment: Assessment, section: Section) -> str:
    if assessment.sections[section.key]:
        return COMPLETED
    if any(_filled(getattr(assessment, name)) for name in section.form_class.base_fields):
        return IN_PROGRESS
    return NOT_STARTED


def _answer(assessment: Assessment, name: str) -> str:
    value = getattr(assessment, name)
    if name in REGULATION_3_QUESTIONS:
        return {True: "Yes", False: "No"}.get(value, "Not answered")
    if name == "outcome":
        return assessment.get_outcome_display() if value else "Not answered"
    return value if _filled(value) else "Not answered"


def _field_id(name: str, field) -> str:
    """The id a link to a question should go to: the first radio of a set of radios."""
    return f"id_{name}_1" if isinstance(field.widget, forms.RadioSelect) else f"id_{name}"


def _answers(assessment: Assessment, *, with_change_links: bool) -> list[dict]:
    """Each section with its questions and answers, for "check your answers" and read-only view."""
    out = []
    for section in SECTIONS:
        change = (
            reverse("referrals:assessment-section", args=[assessment.pk, section.slug])
            if with_change_links
            else ""
        )
        rows = [
            {
                "label": field.label,
                "value": _answer(assessment, name),
                "change_url": f"{change}#{_field_id(name, field)}" if change else "",
            }
            for name, field in section.form_class.base_fields.items()
        ]
        out.append(
            {"section": section, "rows": rows, "status": section_status(assessment, section)}
        )
    return out


def _errors(error: ValidationError | TransitionNotAllowed, anchors: dict[str, str]) -> list:
    """Messages for the error summary, each with the place on the page it is about."""
    if isinstance(error, TransitionNotAllowed):
        return [(error.reason, anchors.get("", "#main-content"))]
    if hasattr(error, "error_dict"):
        return [
            (message, anchors.get(field, anchors.get("", "#main-content")))
            for field, field_messages in error.message_dict.items()
            for message in field_messages
        ]
    return [(message, anchors.get("", "#main-content")) for message in error.messages]


# ----------------------------------------------------------------------------------------------
# Starting an assessment


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def assessment_create(request, child_id: int):
    actor = request.user
    child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
    referrals = list(
        referral_selectors.referral_list(
            actor=actor, status=ReferralStatus.ACCEPTED_FOR_ASSESSMENT
        ).filter(child=child)
    )
    if request.method == "POST":
        form = AssessmentStartForm(request.POST, referrals=referrals)
        if form.is_valid():
            try:
                assessment = assessment_services.assessment_start(
                    actor=actor, child=child, **form.values()
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Assessment started.")
                return redirect("referrals:assessment", assessment.pk)
    else:
        wanted = request.GET.get("referral", "")
        default = referrals[0].pk if len(referrals) == 1 else None
        chosen = wanted if wanted in {str(r.pk) for r in referrals} else default
        form = AssessmentStartForm(
            initial={"referral": str(chosen or NOT_FROM_A_REFERRAL), "started_on": _today()},
            referrals=referrals,
        )
    access_log_record(actor=actor, request=request, action="view", obj=child)
    return render(
        request,
        "referrals/assessments/start.html",
        {"child": child, "child_url": reverse("referrals:child", args=[child.pk]), "form": form},
    )


# ----------------------------------------------------------------------------------------------
# The assessment page: the task list, its dates, and the team manager's decision


@require_http_methods(["GET"])
@permission_required(VIEW)
def assessment_detail(request, assessment_id: int):
    assessment = assessment_selectors.access_assessment_by_id(
        actor=request.user, assessment_id=assessment_id
    )
    return _detail(request, assessment)


def _detail(request, assessment: Assessment, errors: list = ()):
    actor = request.user
    access_log_record(actor=actor, request=request, action="view", obj=assessment)
    in_progress = assessment.status == AssessmentStatus.IN_PROGRESS
    completed = assessment.status == AssessmentStatus.COMPLETED
    can_manage = actor.has_perm(MANAGE)
    can_authorise = actor.has_perm(AUTHORISE)
    events = list(assessment_selectors.assessment_events(assessment=assessment))
    returned = [e for e in events if e.kind == "returned"]
    tasks = []
    if in_progress:
        for section in SECTIONS:
            tasks.append(
                {
                    "section": section,
                    "status": section_status(assessment, section),
                    "url": reverse(
                        "referrals:assessment-section", args=[assessment.pk, section.slug]
                    )
                    if can_manage
                    else "",
                }
            )
    all_done = all(assessment.sections.values())
    return render(
        request,
        "referrals/assessments/detail.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "child_url": reverse("referrals:child", args=[assessment.child_id]),
            "in_progress": in_progress,
            "completed": completed,
            "tasks": tasks,
            "all_done": all_done,
            "check_url": reverse("referrals:assessment-check", args=[assessment.pk]),
            "answers": _answers(assessment, with_change_links=False),
            "events": events,
            "last_return": returned[-1] if returned and in_progress else None,
            "referral_url": reverse("referrals:referral", args=[assessment.referral_id])
            if assessment.referral_id
            else "",
            "people": {
                "started": _name(assessment.started_by),
                "completed": _name(assessment.completed_by),
                "authorised": _name(assessment.authorised_by),
            },
            "can_manage": can_manage,
            "can_authorise": can_authorise and completed,
            "completed_it_yourself": completed and assessment.completed_by_id == actor.pk,
            "package_create_url": reverse("referrals:package-create", args=[assessment.child_id])
            if assessment.status == AssessmentStatus.AUTHORISED
            and assessment.outcome == AssessmentOutcome.SPECIALIST
            and can_manage
            else "",
            "errors": list(errors),
        },
    )


# ----------------------------------------------------------------------------------------------
# One section of the task list


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def assessment_section(request, assessment_id: int, section: str):
    actor = request.user
    assessment = assessment_selectors.access_assessment_by_id(
        actor=actor, assessment_id=assessment_id
    )
    part = SECTIONS_BY_SLUG.get(section)
    if part is None:
        raise Http404("No such section.")
    if request.method == "POST":
        form = part.form_class(request.POST)
        if form.is_valid():
            try:
                assessment_services.assessment_update(
                    actor=actor, assessment=assessment, **form.values()
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{part.title} saved.")
                return redirect("referrals:assessment", assessment.pk)
    else:
        if assessment.status != AssessmentStatus.IN_PROGRESS:
            return redirect("referrals:assessment", assessment.pk)
        form = part.form_class(initial=part.form_class.initial_for(assessment))
    access_log_record(actor=actor, request=request, action="view", obj=assessment)
    return render(
        request,
        "referrals/assessments/section.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "section": part,
            "form": form,
            "heading_in_form": len(part.form_class.base_fields) == 1,
        },
    )


# ----------------------------------------------------------------------------------------------
# Check your answers, then complete


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def assessment_check(request, assessment_id: int):
    actor = request.user
    assessment = assessment_selectors.access_assessment_by_id(
        actor=actor, assessment_id=assessment_id
    )
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        return redirect("referrals:assessment", assessment.pk)
    errors: list = []
    if request.method == "POST":
        try:
            assessment_services.assessment_complete(actor=actor, assessment=assessment, on=_today())
        except (ValidationError, TransitionNotAllowed) as error:
            anchors = {key: f"#section-{s.slug}" for key, s in SECTIONS_BY_KEY.items()}
            anchors[""] = anchors["on"] = "#complete"
            errors = _errors(error, anchors)
            assessment = assessment_selectors.access_assessment_by_id(
                actor=actor, assessment_id=assessment_id
            )
        else:
            messages.success(
                request, "Assessment completed. Another team manager will now authorise it."
            )
            return redirect("referrals:assessment", assessment.pk)
    access_log_record(actor=actor, request=request, action="view", obj=assessment)
    return render(
        request,
        "referrals/assessments/check.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "answers": _answers(assessment, with_change_links=True),
            "errors": errors,
        },
    )


# ----------------------------------------------------------------------------------------------
# The team manager: authorise, or return for changes


def authorised_message(assessment, child) -> str:
    """What authorising found, in the tier its outcome means, and the child's tier now when that
    differs (a specialist package runs until a review ceases it)."""
    name, now = child.full_name, child.get_tier_display().lower()
    if not assessment.outcome:
        return f"Assessment authorised. {name} is in the {now} tier."
    found = ChildTier(OUTCOME_TIER[AssessmentOutcome(assessment.outcome)])
    if child.tier == found:
        return f"Assessment authorised. {name} is in the {now} tier."
    if found == ChildTier.NONE:
        message = f"Assessment authorised. It found {name} needs no short breaks."
    else:
        message = (
            f"Assessment authorised. It found {name}'s needs are in the {found.label.lower()} tier."
        )
    if child.tier == ChildTier.NONE:
        return f"{message} {name} has no tier until support is arranged."
    return f"{message} {name} stays in the {now} tier until a review changes their support."


@require_http_methods(["GET", "POST"])
@permission_required(AUTHORISE)
def assessment_authorise(request, assessment_id: int):
    """The assessment page holds the button; a GET goes back to it."""
    actor = request.user
    assessment = assessment_selectors.access_assessment_by_id(
        actor=actor, assessment_id=assessment_id
    )
    if request.method == "GET":
        return redirect("referrals:assessment", assessment.pk)
    try:
        assessment = assessment_services.assessment_authorise(
            actor=actor, assessment=assessment, on=_today()
        )
    except (ValidationError, TransitionNotAllowed) as error:
        return _detail(request, assessment, errors=_errors(error, {"": "#decision"}))
    child = assessment.child
    child.refresh_from_db(fields=["tier"])
    messages.success(request, authorised_message(assessment, child))
    return redirect("referrals:assessment", assessment.pk)


@require_http_methods(["GET", "POST"])
@permission_required(AUTHORISE)
def assessment_return(request, assessment_id: int):
    actor = request.user
    assessment = assessment_selectors.access_assessment_by_id(
        actor=actor, assessment_id=assessment_id
    )
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                assessment_services.assessment_return(
                    actor=actor,
                    assessment=assessment,
                    on=_today(),
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, TransitionNotAllowed) as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Assessment returned for changes.")
                return redirect("referrals:assessment", assessment.pk)
    else:
        if assessment.status != AssessmentStatus.COMPLETED:
            return redirect("referrals:assessment", assessment.pk)
        form = ReturnForm()
    access_log_record(actor=actor, request=request, action="view", obj=assessment)
    return render(
        request,
        "referrals/assessments/return.html",
        {"assessment": assessment, "child": assessment.child, "form": form},
    )


# ----------------------------------------------------------------------------------------------
# The resource panel's decision on a proposed package


def _panel_key(package_id: int) -> str:
    return f"referrals.panel.{package_id}"


def _package_context(package) -> dict:
    return {
        "package": package,
        "child": package.child,
        "package_url": reverse("referrals:package", args=[package.pk]),
        "lines": list(package_selectors.package_lines(package=package)),
    }


@require_http_methods(["GET", "POST"])
@permission_required(PANEL)
def panel_decision_create(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    key = _panel_key(package.pk)
    if request.method == "POST":
        form = PanelDecisionForm(request.POST)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("referrals:panel-decision-check", package.pk)
    else:
        answers = request.session.get(key)
        initial = PanelDecisionForm.initial_from(answers) or {"decided_on": _today()}
        form = PanelDecisionForm(initial=initial)
    return _panel_form(request, package, form)


def _panel_form(request, package, form):
    access_log_record(actor=request.user, request=request, action="view", obj=package)
    return render(
        request,
        "referrals/assessments/panel_form.html",
        {**_package_context(package), "form": form},
    )


def _bound_panel_form(answers: dict[str, str], error) -> PanelDecisionForm:
    """The form as it was answered, carrying the service's errors beside its fields."""
    data = {name: answers.get(name, "") for name in ("decision", "reasons", "members")}
    year, month, day = (answers.get("decided_on") or "--").split("-")
    data.update(
        {"decided_on_0": day.lstrip("0"), "decided_on_1": month.lstrip("0"), "decided_on_2": year}
    )
    form = PanelDecisionForm(data=data)
    form.is_valid()
    add_service_error(form, error)
    return form


@require_http_methods(["GET", "POST"])
@permission_required(PANEL)
def panel_decision_check(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    key = _panel_key(package.pk)
    answers = request.session.get(key)
    if not answers:
        return redirect("referrals:panel-decision-create", package.pk)
    values = PanelDecisionForm.values(answers)
    members = PanelDecisionForm.member_names(values["members"])
    errors: list = []
    if request.method == "POST":
        try:
            decision = package_services.panel_decision_record(
                actor=actor,
                package=package,
                decision=values["decision"],
                reasons=values["reasons"],
                decided_on=values["decided_on"],
                members=members,
            )
        except ValidationError as error:
            return _panel_form(request, package, _bound_panel_form(answers, error))
        except TransitionNotAllowed as error:
            errors = _errors(error, {"": "#confirm"})
        else:
            del request.session[key]
            request.session[f"{key}.recorded"] = decision.pk
            return redirect("referrals:panel-decision", decision.pk)
    change = reverse("referrals:panel-decision-create", args=[package.pk])
    rows = [
        ("Decision", PanelOutcome(values["decision"]).label, "decision_1", "decision"),
        ("Reasons", values["reasons"], "reasons", "reasons"),
        ("Date of the panel", _date(values["decided_on"]), "decided_on_0", "date of the panel"),
        ("Members", "\n".join(members), "members", "members"),
    ]
    access_log_record(actor=actor, request=request, action="view", obj=package)
    return render(
        request,
        "referrals/assessments/panel_check.html",
        {
            **_package_context(package),
            "rows": [
                {"label": label, "value": value, "change_url": f"{change}#id_{anchor}", "hidden": h}
                for label, value, anchor, h in rows
            ],
            "errors": errors,
        },
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def panel_decision_detail(request, decision_id: int):
    """The decision as recorded; just after recording it, with the confirmation panel."""
    actor = request.user
    decision = package_selectors.access_panel_decision_by_id(actor=actor, decision_id=decision_id)
    access_log_record(actor=actor, request=request, action="view", obj=decision)
    package = decision.package
    just_recorded = request.session.pop(f"{_panel_key(package.pk)}.recorded", None) == decision.pk
    return render(
        request,
        "referrals/assessments/panel_decision.html",
        {
            "decision": decision,
            "package": package,
            "child": package.child,
            "package_url": reverse("referrals:package", args=[package.pk]),
            "recorded_by": _name(decision.recorded_by),
            "just_recorded": just_recorded,
        },
    )


urlpatterns = [
    path("children/<int:child_id>/assessments/new/", assessment_create, name="assessment-create"),
    path("assessments/<int:assessment_id>/", assessment_detail, name="assessment"),
    path(
        "assessments/<int:assessment_id>/sections/<slug:section>/",
        assessment_section,
        name="assessment-section",
    ),
    path("assessments/<int:assessment_id>/check/", assessment_check, name="assessment-check"),
    path(
        "assessments/<int:assessment_id>/authorise/",
        assessment_authorise,
        name="assessment-authorise",
    ),
    path("assessments/<int:assessment_id>/return/", assessment_return, name="assessment-return"),
    path(
        "packages/<int:package_id>/panel/new/",
        panel_decision_create,
        name="panel-decision-create",
    ),
    path(
        "packages/<int:package_id>/panel/new/check/",
        panel_decision_check,
        name="panel-decision-check",
    ),
    path("panel-decisions/<int:decision_id>/", panel_decision_detail, name="panel-decision"),
]
