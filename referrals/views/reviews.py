"""Reviews of a package in the browser, the decision letter (page and PDF), and the aggregates.

A review is a form, then "check your answers" (the answers wait in the session), then the
service; whatever the service refuses comes back in the error summary. The letter's words come
from `referrals.letters`, the same for the page and the PDF. Commissioners see only the
aggregates: counts, hours and costs, never a child.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods

from referrals import summary as support_summary
from referrals import trends
from referrals.forms.reviews import ReviewForm, assessment_label, line_label, values_from
from referrals.letters import letter_context
from referrals.models import Assessment, AssessmentStatus, Package, ReviewOutcome
from referrals.selectors import packages as package_selectors
from referrals.selectors import reviews as review_selectors
from referrals.services import reviews as review_services
from shortbreaks import states
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.rendering import render_pdf
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import PAGE_SIZE, page_number
from shortbreaks.permissions import permission_required
from shortbreaks.small_numbers import NOT_SHOWN

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AGGREGATES = "referrals.view_aggregates"


def _link(name: str, fallback: str, *args) -> str:
    """A link to another area's page, by name once that page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _package_url(package: Package) -> str:
    return _link("referrals:package", f"/packages/{package.pk}/", package.pk)


def _child_url(child_id: int) -> str:
    return _link("referrals:child", f"/children/{child_id}/", child_id)


def _date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not given"


def _key(package: Package) -> str:
    return f"referrals.reviews.new.{package.pk}"


def _choices(package: Package) -> tuple[list[Assessment], list]:
    """The child's authorised reassessments (newest first) and the services still running."""
    reassessments = list(
        Assessment.objects.filter(child_id=package.child_id, status=AssessmentStatus.AUTHORISED)
        .exclude(pk=package.assessment_id)
        .order_by("-authorised_on", "-id")
    )
    lines = list(package_selectors.package_lines(package=package).filter(end_on__isnull=True))
    return reassessments, lines


def _form_page(request, package: Package, form, *, status: int = 200):
    return render(
        request,
        "referrals/reviews/form.html",
        {
            "package": package,
            "form": form,
            "package_url": _package_url(package),
            "action": reverse("referrals:review-create", args=[package.pk]),
        },
        status=status,
    )


# ----------------------------------------------------------------------------------------------
# Recording a review


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def review_create(request, package_id: int):
    package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
    # Only an active package can be reviewed: the rule declared on the package (its "review").
    refusal = states.refusal(package, "review")
    if refusal:
        return render(
            request,
            "referrals/reviews/refused.html",
            {
                "package": package,
                "package_url": _package_url(package),
                "refusal": refusal,
                "errors": [refusal],
            },
            status=409,
        )
    reassessments, lines = _choices(package)
    key = _key(package)
    if request.method == "POST":
        form = ReviewForm(request.POST, reassessments=reassessments, lines=lines)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("referrals:review-create-check", package.pk)
    else:
        access_log_record(actor=request.user, request=request, action="view", obj=package)
        form = ReviewForm(
            initial=request.session.get(key) or {}, reassessments=reassessments, lines=lines
        )
    return _form_page(request, package, form)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def review_create_check(request, package_id: int):
    package = package_selectors.access_package_by_id(actor=request.user, package_id=package_id)
    key = _key(package)
    answers = request.session.get(key)
    if not answers or states.refusal(package, "review"):
        return redirect("referrals:review-create", package.pk)
    reassessments, lines = _choices(package)
    values = values_from(answers)
    reassessment = next((a for a in reassessments if a.pk == values["reassessment_id"]), None)
    end_lines = [x for x in lines if x.pk in values["end_line_ids"]]
    errors: list[str] = []
    if request.method == "POST":
        try:
            review = review_services.review_record_with_line_ends(
                actor=request.user,
                package=package,
                held_on=values["held_on"],
                outcome=values["outcome"],
                reasons=values["reasons"],
                family_views=values["family_views"],
                family_told_on=values["family_told_on"],
                reassessment=reassessment,
                end_lines=end_lines,
                lines_end_on=values["lines_end_on"],
            )
        except ValidationError as error:
            form = ReviewForm(
                data=ReviewForm.data_from(answers), reassessments=reassessments, lines=lines
            )
            form.is_valid()
            add_service_error(form, error)
            return _form_page(request, package, form)
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            del request.session[key]
            messages.success(request, "Review recorded.")
            return redirect("referrals:review", review.pk)
    change = reverse("referrals:review-create", args=[package.pk])
    outcome = values["outcome"]
    rows = [
        ("Date of the review", _date(values["held_on"]), "id_held_on", "date of the review"),
        (
            "Decision",
            ReviewOutcome(outcome).label if outcome in ReviewOutcome.values else outcome,
            "id_outcome",
            "decision",
        ),
        ("Reasons", values["reasons"] or "None given", "id_reasons", "reasons"),
        (
            "The family's views",
            values["family_views"] or "None recorded",
            "id_family_views",
            "family's views",
        ),
        (
            "Date the family was told",
            _date(values["family_told_on"]),
            "id_family_told_on",
            "date the family was told",
        ),
        (
            "Reassessment",
            assessment_label(reassessment) if reassessment else "None",
            "id_reassessment",
            "reassessment",
        ),
    ]
    if lines:
        rows.append(
            (
                "Services that stop",
                "\n".join(line_label(x) for x in end_lines) or "None",
                "id_end_lines",
                "services that stop",
            )
        )
        if end_lines:
            rows.append(
                (
                    "Date those services stop",
                    _date(values["lines_end_on"]),
                    "id_lines_end_on",
                    "date those services stop",
                )
            )
    return render(
        request,
        "referrals/reviews/check.html",
        {
            "package": package,
            "back_url": change,
            "rows": [(label, value, f"{change}#{a}", hidden) for label, value, a, hidden in rows],
            "errors": errors,
            "due_on": package.next_review_due,
            "changes_support": outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE),
        },
    )


# ----------------------------------------------------------------------------------------------
# One review and its letter


@require_http_methods(["GET"])
@permission_required(VIEW)
def review_detail(request, review_id: int):
    review = review_selectors.access_review_by_id(actor=request.user, review_id=review_id)
    access_log_record(actor=request.user, request=request, action="view", obj=review)
    package = review.package
    return render(
        request,
        "referrals/reviews/detail.html",
        {
            "review": review,
            "package": package,
            "package_url": _package_url(package),
            "child_url": _child_url(package.child_id),
            "reassessment_label": (
                assessment_label(review.reassessment) if review.reassessment else ""
            ),
            "reassessment_url": (
                _link(
                    "referrals:assessment",
                    f"/assessments/{review.reassessment_id}/",
                    review.reassessment_id,
                )
                if review.reassessment_id
                else ""
            ),
        },
    )


@require_http_methods(["GET"])
@permission_required(VIEW)
def review_letter(request, review_id: int):
    review = review_selectors.access_review_by_id(actor=request.user, review_id=review_id)
    access_log_record(actor=request.user, request=request, action="view", obj=review)
    return render(request, "referrals/reviews/letter.html", letter_context(review))


@require_http_methods(["GET"])
@permission_required(VIEW)
def review_letter_pdf(request, review_id: int):
    """The same letter, laid out by WeasyPrint with the print stylesheet, as a download."""
    review = review_selectors.access_review_by_id(actor=request.user, review_id=review_id)
    pdf = render_pdf("referrals/reviews/letter_pdf.html", letter_context(review))
    access_log_record(actor=request.user, request=request, action="download", obj=review)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-letter-{review.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------------------------------------
# Aggregates for commissioners


@require_http_methods(["GET"])
@permission_required(AGGREGATES)
def aggregates(request):
    """Counts, hours and costs across the council; no child's name or identifier, and no count
    of 1 to 4 children ("fewer than 5")."""
    number = page_number(request.GET.get("page"))
    lots = page_number(request.GET.get("lots"))
    summary = support_summary.summary_for(
        actor=request.user, services=(number, PAGE_SIZE), lots=lots
    )
    data = support_summary.support_running(
        actor=request.user, summary=summary, service_page=number, size=PAGE_SIZE, lot_page=lots
    )
    return render(
        request,
        "referrals/aggregates/index.html",
        {
            "data": data,
            "not_shown": NOT_SHOWN,
            "service_page": data["by_service_page"],
            "lot_page": data["by_lot_page"],
            # Each table's pages keep the other's page.
            "service_query": urlencode({"lots": lots}) if lots > 1 else "",
            "lot_query": urlencode({"page": number}) if number > 1 else "",
            "trends": trends.support_charts(support_summary.support_trends(summary=summary)),
            "as_at": data["as_at"],
        },
    )


@require_http_methods(["GET"])
@permission_required(AGGREGATES)
def aggregates_export(request):
    """The same numbers as the page, as CSV, with the same small numbers suppressed: as the
    council's summary keeps it, written out when the summary was worked out."""
    on, text = support_summary.support_csv(actor=request.user)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="support-in-numbers-{on:%Y-%m-%d}.csv"'
    response["Cache-Control"] = "no-store"
    access_log_record(
        actor=request.user, request=request, action="download", object_type="referrals.aggregates"
    )
    return response


urlpatterns = [
    path("packages/<int:package_id>/reviews/new/", review_create, name="review-create"),
    path(
        "packages/<int:package_id>/reviews/new/check/",
        review_create_check,
        name="review-create-check",
    ),
    path("reviews/<int:review_id>/", review_detail, name="review"),
    path("reviews/<int:review_id>/letter/", review_letter, name="review-letter"),
    path("reviews/<int:review_id>/letter.pdf", review_letter_pdf, name="review-letter-pdf"),
    path("aggregates/", aggregates, name="aggregates"),
    path("aggregates/export.csv", aggregates_export, name="aggregates-export"),
]
