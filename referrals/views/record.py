"""A child's record in the browser, one page for each section: the summary (details, carers,
tier, what is due next and a line for each section), then referrals and grant applications,
assessments, packages, reviews and documents.

Every section shows the identity bar (with the alerts) and the sub navigation, reads only what
it shows, in a fixed number of queries however long the record, and writes the access log as a
read of the child's record. A record merged into another only points there, whichever section
is asked for.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from referrals.models import Disability, PackageStatus
from referrals.nhs import normalise_nhs_number
from referrals.selectors import children as child_selectors
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"

# The sections of a child's record: (the `current` of the sub navigation, its title).
SECTIONS = {
    "summary": "Summary",
    "referrals": "Referrals",
    "assessments": "Assessments",
    "packages": "Packages of support",
    "reviews": "Reviews",
    "documents": "Documents",
}


def _age(born, today) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _nhs(value: str) -> str:
    number = normalise_nhs_number(value)
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else value


def _read(request, child_id: int):
    """The child, if the actor's council holds it (another council's is not found), with the
    read written to the access log."""
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    access_log_record(actor=request.user, request=request, action="view", obj=child)
    return child


def _merged(request, child):
    """A duplicate merged into another record: it only points there now."""
    return render(
        request, "referrals/children/merged.html", {"child": child, "kept": child.merged_into}
    )


def _section(request, child, current: str, *, packages: list, **context):
    """One section's page: the identity bar's alerts from the packages already read."""
    return render(
        request,
        f"referrals/children/record/{current}.html",
        {
            "child": child,
            "current": current,
            "section_title": SECTIONS[current],
            "alerts": child_selectors.child_alerts(child=child, packages=packages),
            "can_manage": request.user.has_perm(MANAGE),
            "packages": packages,
            **context,
        },
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_detail(request, child_id: int):
    """The summary: who the child is, their carers and tier, what is due next, and a line for
    each section of the record."""
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    packages = child_selectors.child_package_list(child=child)
    active = [package for package in packages if package.status == PackageStatus.ACTIVE]
    return _section(
        request,
        child,
        "summary",
        packages=packages,
        age=_age(child.date_of_birth, timezone.localdate()),
        nhs_number=_nhs(child.nhs_number),
        disabilities=[
            (code, dict(Disability.choices).get(code, code)) for code in child.disabilities
        ],
        due=child_selectors.child_due_list(actor=request.user, child=child),
        counts=child_selectors.child_record_counts(child=child),
        active_packages=active,
        next_review=min(
            (package.next_review_due for package in active if package.next_review_due),
            default=None,
        ),
        **child_selectors.child_summary_parts(child=child),
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_referrals(request, child_id: int):
    """The child's referrals with their forms and letters, and their grant applications."""
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    return _section(
        request,
        child,
        "referrals",
        packages=child_selectors.child_package_list(child=child),
        referrals=child_selectors.child_referral_list(child=child),
        grant_applications=child_selectors.child_grant_application_list(child=child),
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_assessments(request, child_id: int):
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    return _section(
        request,
        child,
        "assessments",
        packages=child_selectors.child_package_list(child=child),
        assessments=child_selectors.child_assessment_list(child=child),
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_packages(request, child_id: int):
    """The child's packages with their services and weekly cost; a package may be proposed once
    an assessment is authorised."""
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    can_manage = request.user.has_perm(MANAGE)
    return _section(
        request,
        child,
        "packages",
        packages=child_selectors.child_package_list(child=child, with_lines=True),
        can_propose=can_manage and child_selectors.child_has_authorised_assessment(child=child),
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_reviews(request, child_id: int):
    """The reviews of the child's packages, and a review to record for each active package."""
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    packages = child_selectors.child_package_list(child=child)
    return _section(
        request,
        child,
        "reviews",
        packages=packages,
        reviews=child_selectors.child_review_list(child=child),
        active_packages=[p for p in packages if p.status == PackageStatus.ACTIVE],
    )


@permission_required(VIEW)
@require_http_methods(["GET"])
def child_documents(request, child_id: int):
    """The forms and letters held on the child's referrals; each download is logged as well."""
    child = _read(request, child_id)
    if child.merged_into_id:
        return _merged(request, child)
    return _section(
        request,
        child,
        "documents",
        packages=child_selectors.child_package_list(child=child),
        documents=child_selectors.child_document_list(child=child),
    )


urlpatterns = [
    path("children/<int:child_id>/", child_detail, name="child"),
    path("children/<int:child_id>/referrals/", child_referrals, name="child-referrals"),
    path("children/<int:child_id>/assessments/", child_assessments, name="child-assessments"),
    path("children/<int:child_id>/packages/", child_packages, name="child-packages"),
    path("children/<int:child_id>/reviews/", child_reviews, name="child-reviews"),
    path("children/<int:child_id>/documents/", child_documents, name="child-documents"),
]
