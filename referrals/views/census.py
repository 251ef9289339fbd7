"""The children in need census in the browser: the page that checks a year's return with the
DfE's rules (each failing rule per child, linking the page that fixes the record) and its XML
download; and the two record pages the census added: closing a children in need episode, and an
assessment's factors. The census page and download are for team managers and council
administrators; the record pages for those who keep children's records."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from referrals.census import (
    CensusYear,
    census_check,
    census_filename,
    census_for,
    census_log,
)
from referrals.forms.census import AssessmentFactorsForm, CensusYearForm, ReferralCloseForm
from referrals.models import Assessment, Child, Referral
from referrals.selectors import assessments as assessment_selectors
from referrals.selectors import census as census_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.services import assessments as assessment_services
from referrals.services import referrals as referral_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

CENSUS = census_selectors.CENSUS
MANAGE = "referrals.manage_child"
REFUSALS = (TransitionNotAllowed, ValidationError)
CLOSURE_FIELDS = {"CINclosureDate", "ReasonForClosure"}
FACTOR_RULES = {"8614", "8869", "8873Q", "8897Q", "8898", "8945Q", "8950Q"}


def _fix(failure) -> tuple[str, str]:
    """The page that fixes the record a failing rule points at, and what the link says."""
    record = failure.record
    if isinstance(record, Referral):
        if record.closed_on is None and CLOSURE_FIELDS & set(failure.fields):
            return reverse("referrals:referral-close", args=[record.pk]), "Close the episode"
        return reverse("referrals:referral", args=[record.pk]), "Open the referral"
    if isinstance(record, Assessment):
        if failure.code in FACTOR_RULES or "AssessmentFactors" in failure.fields:
            return (
                reverse("referrals:assessment-factors", args=[record.pk]),
                "Record the factors",
            )
        return reverse("referrals:assessment", args=[record.pk]), "Open the assessment"
    if isinstance(record, Child):
        return reverse("referrals:child-edit", args=[record.pk]), "Change the child's details"
    return "", ""


def _year(request) -> tuple[CensusYearForm, CensusYear | None]:
    form = CensusYearForm(request.GET if "year" in request.GET else None)
    if not form.is_bound:
        latest = CensusYear.latest()
        form = CensusYearForm({"year": latest.label})
    if not form.is_valid():
        return form, None
    return form, CensusYear.parse(form.cleaned_data["year"])


@permission_required(CENSUS)
@require_http_methods(["GET"])
def census_page(request):
    """The year's return checked with the DfE's rules before it is made."""
    form, year = _year(request)
    if year is None:
        return render(request, "referrals/census/cin.html", {"form": form}, status=400)
    census = census_for(actor=request.user, year=year)
    check = census_check(census)
    census_log(actor=request.user, request=request, census=census, action="check")
    children = [
        {
            "child": entry.child,
            "failures": [
                {"failure": failure, "url": url, "link": link}
                for failure in entry.failures
                for url, link in [_fix(failure)]
            ],
        }
        for entry in check.children
    ]
    return render(
        request,
        "referrals/census/cin.html",
        {
            "form": form,
            "year": year,
            "census": census,
            "check": check,
            "children": children,
            "in_return": len(census.rows.children),
            "la_number": request.user.active_council.dfe_la_number,
        },
    )


@permission_required(CENSUS)
@require_http_methods(["GET"])
def census_download(request):
    form, year = _year(request)
    if year is None:
        return render(request, "referrals/census/cin.html", {"form": form}, status=400)
    census = census_for(actor=request.user, year=year)
    census_log(actor=request.user, request=request, census=census)
    response = HttpResponse(census.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{census_filename(request.user.active_council, year)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def referral_close(request, referral_id: int):
    """Close the children in need episode a referral began, with its DfE reason."""
    actor = request.user
    referral = referral_selectors.access_referral_by_id(actor=actor, referral_id=referral_id)
    form = ReferralCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_services.referral_close(
                actor=actor,
                referral=referral,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=actor, request=request, action="change", obj=referral)
            messages.success(request, "Children in need episode closed.")
            return redirect("referrals:referral", referral_id=referral.pk)
    if request.method == "GET":
        access_log_record(actor=actor, request=request, action="view", obj=referral)
    return render(
        request,
        "referrals/census/referral_close.html",
        {"form": form, "referral": referral, "child": referral.child},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def assessment_factors(request, assessment_id: int):
    """The factors identified at an assessment, as the census codes them."""
    actor = request.user
    assessment = assessment_selectors.access_assessment_by_id(
        actor=actor, assessment_id=assessment_id
    )
    if request.method == "POST":
        form = AssessmentFactorsForm(request.POST)
        if form.is_valid():
            try:
                assessment_services.assessment_factors_set(
                    actor=actor, assessment=assessment, factors=form.cleaned_data["factors"]
                )
            except REFUSALS as error:
                add_service_error(form, error)
            else:
                access_log_record(actor=actor, request=request, action="change", obj=assessment)
                messages.success(request, "Factors identified at the assessment saved.")
                return redirect("referrals:assessment", assessment_id=assessment.pk)
    else:
        access_log_record(actor=actor, request=request, action="view", obj=assessment)
        form = AssessmentFactorsForm(initial={"factors": assessment.factors})
    return render(
        request,
        "referrals/census/assessment_factors.html",
        {"form": form, "assessment": assessment, "child": assessment.child},
    )


urlpatterns = [
    path("census/cin/", census_page, name="census-cin"),
    path("census/cin/download/", census_download, name="census-cin-download"),
    path("referrals/<int:referral_id>/close/", referral_close, name="referral-close"),
    path(
        "assessments/<int:assessment_id>/factors/",
        assessment_factors,
        name="assessment-factors",
    ),
]
