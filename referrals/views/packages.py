"""Packages of support in the browser: propose one for a child, the package page with its lines,
costs, panel decisions, delivery and reviews, the forms that change it, and a child's overnight
stays with the looked-after thresholds.

Reads go through `referrals.selectors`; every change through `referrals.services`, whose refusals
show in the form's error summary. Every page showing a child's record writes the access log.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods

from contracts.models import Award, ContractStatus, Lot
from providers.selectors import provider_list, service_list
from referrals.forms.packages import (
    DeliveryForm,
    LineEndForm,
    OvernightStayForm,
    PackageActivateForm,
    PackageForm,
    PackageLineForm,
    PackageWithdrawForm,
    add_service_error,
)
from referrals.models import (
    Assessment,
    AssessmentStatus,
    DeliveryRecord,
    OvernightStay,
    Package,
    PackageLine,
    PackageStatus,
    ReviewOutcome,
)
from referrals.overnights import MAX_CONSECUTIVE_NIGHTS, MAX_NIGHTS_IN_12_MONTHS
from referrals.selectors import children as child_selectors
from referrals.selectors import overnights as overnight_selectors
from referrals.selectors import packages as package_selectors
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.selectors import scoped
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
REFUSALS = (TransitionNotAllowed, ValidationError)


def _url(name: str, *args, fallback: str) -> str:
    """A link to another area's page, by name once that page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _child_url(child_id: int) -> str:
    return _url("referrals:child", child_id, fallback=f"/children/{child_id}/")


def _package_url(package: Package) -> str:
    return reverse("referrals:package", args=[package.pk])


def _totals(lines) -> dict:
    return {
        "cost_per_week": sum((line.cost_per_week for line in lines), Decimal(0)),
        "cost_per_year": sum((line.cost_per_year for line in lines), Decimal(0)),
    }


def _form_page(request, form, *, title: str, caption: str, back: str, intro: str = ""):
    return render(
        request,
        "referrals/packages/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "intro": intro},
    )


# ----------------------------------------------------------------------------------------------
# Packages


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def package_create(request, child_id: int):
    """Propose a package for the panel, on one of the child's assessments."""
    actor = request.user
    child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
    assessments = list(
        Assessment.objects.filter(child=child, council=child.council).order_by("-started_on", "-id")
    )
    authorised = [a for a in assessments if a.status == AssessmentStatus.AUTHORISED]
    form = PackageForm(
        request.POST if request.method == "POST" else None,
        assessments=assessments,
        initial={"assessment": str(authorised[0].pk)} if authorised else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            package = package_services.package_propose(
                actor=actor,
                child=child,
                assessment=form.chosen("assessment"),
                start_on=form.cleaned_data["start_on"],
                end_on=form.cleaned_data.get("end_on"),
                review_interval_months=form.cleaned_data["review_interval_months"],
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Package proposed. Add its services, then take it to panel.")
            return redirect("referrals:package", package_id=package.pk)
    return render(
        request,
        "referrals/packages/create.html",
        {
            "form": form,
            "child": child,
            "has_assessments": bool(assessments),
            "back": reverse("referrals:child-packages", args=[child.pk]),
            "assessment_create_url": _url(
                "referrals:assessment-create",
                child.pk,
                fallback=f"/children/{child.pk}/assessments/new/",
            ),
        },
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def package_detail(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    access_log_record(actor=actor, request=request, action="view", obj=package)
    lines = list(package_selectors.package_lines(package=package).order_by("start_on", "id"))
    reviews = list(package.reviews.order_by("held_on", "id"))
    for review in reviews:
        review.page_url = _url("referrals:review", review.pk, fallback=f"/reviews/{review.pk}/")
    latest_review = reviews[-1] if reviews else None
    can_manage = actor.has_perm(MANAGE)
    status = package.status
    return render(
        request,
        "referrals/packages/detail.html",
        {
            "package": package,
            "child": package.child,
            "child_url": _child_url(package.child_id),
            "lines": lines,
            "totals": _totals(lines),
            "panel_decisions": list(
                package.panel_decisions.select_related("recorded_by").order_by("decided_on", "id")
            ),
            "deliveries": list(
                DeliveryRecord.objects.filter(line__package=package)
                .select_related("line__service", "line__provider")
                .order_by("period_start", "id")
            ),
            "reviews": reviews,
            "can_manage": can_manage,
            "can_add_line": can_manage
            and (
                status == PackageStatus.PROPOSED
                or (
                    status == PackageStatus.ACTIVE
                    and latest_review is not None
                    and latest_review.outcome == ReviewOutcome.INCREASE
                )
            ),
            "can_end_line": can_manage
            and status == PackageStatus.ACTIVE
            and latest_review is not None
            and latest_review.outcome == ReviewOutcome.REDUCE,
            "can_record_delivery": can_manage
            and bool(lines)
            and status in (PackageStatus.ACTIVE, PackageStatus.CEASED),
            "panel_url": _url(
                "referrals:panel-decision-create",
                package.pk,
                fallback=f"/packages/{package.pk}/panel/new/",
            ),
            "review_create_url": _url(
                "referrals:review-create",
                package.pk,
                fallback=f"/packages/{package.pk}/reviews/new/",
            ),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def package_activate(request, package_id: int):
    """Check the package, then start support on a date."""
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    form = PackageActivateForm(
        request.POST if request.method == "POST" else None, initial={"on": package.start_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            package_services.package_activate(
                actor=actor, package=package, on=form.cleaned_data["on"]
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Support has started.")
            return redirect("referrals:package", package_id=package.pk)
    lines = list(package_selectors.package_lines(package=package).order_by("start_on", "id"))
    return render(
        request,
        "referrals/packages/activate.html",
        {
            "form": form,
            "package": package,
            "child": package.child,
            "lines": lines,
            "totals": _totals(lines),
            "approval": package.panel_decisions.filter(decision="approved")
            .order_by("-decided_on", "-id")
            .first(),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def package_withdraw(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    form = PackageWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            package_services.package_withdraw(actor=actor, package=package, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Package withdrawn.")
            return redirect("referrals:package", package_id=package.pk)
    return _form_page(
        request,
        form,
        title="Withdraw the package",
        caption=f"{package.child.full_name}: {package}",
        back=_package_url(package),
        intro="A package that has not started can be withdrawn. Support that has started ends "
        "only at a review.",
    )


# ----------------------------------------------------------------------------------------------
# Lines


def _lot_queryset(actor):
    """The council's own lots, with the providers awarded each."""
    return scoped(
        Lot.objects.select_related("contract").prefetch_related(
            Prefetch("awards", queryset=Award.objects.select_related("provider").order_by("id"))
        ),
        actor=actor,
    ).order_by("contract__reference", "number")


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def package_line_create(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    lots = list(_lot_queryset(actor))
    live = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)
    form = PackageLineForm(
        request.POST if request.method == "POST" else None,
        services=list(service_list(actor=actor)),
        providers=list(provider_list(actor=actor)),
        lots=lots,
        lot_choices=[lot for lot in lots if lot.contract.status in live and lot.awards.all()],
        initial={"start_on": package.start_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = package_services.package_line_add(
                actor=actor, package=package, **form.line_fields()
            )
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{line.service.title} added: £{line.cost_per_week:,.2f} a week, "
                f"£{line.cost_per_year:,.2f} a year.",
            )
            return redirect("referrals:package", package_id=package.pk)
    return _form_page(
        request,
        form,
        title="Add a service to the package",
        caption=f"{package.child.full_name}: {package}",
        back=_package_url(package),
        intro="The cost per week and per year is worked out from the hours or nights and the "
        "unit rate.",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def package_line_end(request, line_id: int):
    actor = request.user
    line = package_selectors.access_package_line_by_id(actor=actor, line_id=line_id)
    form = LineEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            package_services.package_line_end(actor=actor, line=line, **form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{line.service.title} ends.")
            return redirect("referrals:package", package_id=line.package_id)
    return _form_page(
        request,
        form,
        title=f"End {line.service.title}",
        caption=f"{line.provider.name}, {line.ratio}",
        back=reverse("referrals:package", args=[line.package_id]),
        intro="A line of an active package ends after a review with a reassessment decided to "
        "reduce the support.",
    )


# ----------------------------------------------------------------------------------------------
# Delivery against plan


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def delivery_create(request, package_id: int):
    actor = request.user
    package = package_selectors.access_package_by_id(actor=actor, package_id=package_id)
    lines = list(package_selectors.package_lines(package=package).order_by("start_on", "id"))
    form = DeliveryForm(request.POST if request.method == "POST" else None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            package_services.delivery_record_add(actor=actor, **form.delivery_fields())
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Delivery recorded.")
            return redirect(_package_url(package) + "#delivery")
    return _form_page(
        request,
        form,
        title="Record delivery against plan",
        caption=f"{package.child.full_name}: {package}",
        back=_package_url(package),
    )


# ----------------------------------------------------------------------------------------------
# Overnight stays


def _stays(nights: list[date]) -> list[dict]:
    """Sorted nights grouped into stays of consecutive nights, newest first."""
    stays: list[dict] = []
    for night in nights:
        if stays and night == stays[-1]["last"] + timedelta(days=1):
            stays[-1]["last"] = night
            stays[-1]["nights"] += 1
        else:
            stays.append({"first": night, "last": night, "nights": 1})
    return stays[::-1]


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def overnights(request, child_id: int):
    """The child's nights away, the counts against the thresholds, and a form to record more.
    A stay that would pass a threshold is refused until the person ticks that they understand."""
    actor = request.user
    if request.method == "POST" and not actor.has_perm(MANAGE):
        raise PermissionDenied
    child = child_selectors.access_child_by_id(actor=actor, child_id=child_id)
    access_log_record(actor=actor, request=request, action="view", obj=child)
    lines = list(
        scoped(
            PackageLine.objects.filter(package__child=child, nights_per_year__isnull=False),
            actor=actor,
        )
        .select_related("service", "provider")
        .order_by("start_on", "id")
    )
    posted = request.method == "POST"
    warnings: list[str] = []
    acknowledged = posted and request.POST.get("acknowledge_threshold") in ("on", "true", "True")
    form = OvernightStayForm(request.POST if posted else None, lines=lines)
    if posted and form.is_valid():
        try:
            recorded = overnight_services.overnight_stay_record(
                actor=actor,
                child=child,
                first_night=form.cleaned_data["first_night"],
                nights=form.nights(),
                line=form.chosen("line"),
                acknowledge_threshold=form.cleaned_data["acknowledge_threshold"],
            )
        except REFUSALS as error:
            if isinstance(error, ValidationError) and "acknowledge_threshold" in getattr(
                error, "message_dict", {}
            ):
                warnings = error.message_dict["acknowledge_threshold"]
                form = OvernightStayForm(request.POST, lines=lines, show_acknowledge=True)
                form.is_valid()
                form.add_error(
                    "acknowledge_threshold",
                    "Tick to confirm you understand the child would become looked after, or "
                    "change the dates.",
                )
            else:
                add_service_error(form, error)
        else:
            count = len(recorded)
            messages.success(request, f"{count} night{'s' if count != 1 else ''} recorded.")
            return redirect("referrals:overnights", child_id=child.pk)
    elif posted and acknowledged:
        form = OvernightStayForm(request.POST, lines=lines, show_acknowledge=True)
        form.is_valid()
    nights = list(
        OvernightStay.objects.filter(child=child).order_by("night").values_list("night", flat=True)
    )
    return render(
        request,
        "referrals/packages/overnights.html",
        {
            "child": child,
            "child_url": _child_url(child.pk),
            "form": form,
            "warnings": warnings,
            "summary": overnight_selectors.overnight_summary(child=child),
            "stays": _stays(nights),
            "max_consecutive": MAX_CONSECUTIVE_NIGHTS,
            "max_in_12_months": MAX_NIGHTS_IN_12_MONTHS,
            "can_manage": actor.has_perm(MANAGE),
        },
    )


urlpatterns = [
    path("children/<int:child_id>/packages/new/", package_create, name="package-create"),
    path("children/<int:child_id>/overnights/", overnights, name="overnights"),
    path("packages/<int:package_id>/", package_detail, name="package"),
    path("packages/<int:package_id>/activate/", package_activate, name="package-activate"),
    path("packages/<int:package_id>/withdraw/", package_withdraw, name="package-withdraw"),
    path("packages/<int:package_id>/lines/new/", package_line_create, name="package-line-create"),
    path("packages/lines/<int:line_id>/end/", package_line_end, name="package-line-end"),
    path(
        "packages/<int:package_id>/delivery/new/", delivery_create, name="package-delivery-create"
    ),
]
