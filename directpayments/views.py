"""Direct payments in the browser: the council's list for finance officers, a child's agreements,
an agreement's page (schedule, payments, recoveries, balance, reviews and history), and the forms
that set one up, record a payment, a recovery or a review. Whatever a service refuses comes back
in the error summary and changes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from directpayments import selectors, services
from directpayments.exports import AGREEMENTS
from directpayments.forms import AgreementForm, PaymentForm, RecoveryForm, ReviewForm
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import numbered_page, page_number
from shortbreaks.permissions import permission_required

VIEW = "directpayments.view_agreement"
MANAGE = "directpayments.manage_agreement"
REVIEW = "directpayments.review_agreement"
FINANCE = "directpayments.record_payment"
OBJECT_TYPE = "directpayments.agreement"


@require_GET
@permission_required(VIEW)
def agreement_list(request):
    check_due = request.GET.get("check_due") == "on"
    listed = selectors.agreement_list(actor=request.user, check_due=check_due)
    filters = {"check_due": "on"} if check_due else {}
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=AGREEMENTS,
            queryset=listed,
            fmt=fmt,
            filters=filters,
        )
    page = numbered_page(listed, number=page_number(request.GET.get("page")))
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type=OBJECT_TYPE,
        ids=[agreement.pk for agreement in page],
        filters=filters,
    )
    return render(
        request,
        "directpayments/list.html",
        {"page": page, "check_due": check_due, "filter_query": urlencode(filters)},
    )


@require_GET
@permission_required(VIEW)
def child_agreements(request, child_id: int):
    child = selectors.access_child_by_id(actor=request.user, child_id=child_id)
    agreements = list(selectors.agreement_list(actor=request.user, child_id=child.pk))
    access_log_record(actor=request.user, request=request, action="view", obj=child)
    lines = list(services.direct_payment_lines(child=child, on=timezone.localdate()))
    return render(
        request,
        "directpayments/child.html",
        {"child": child, "agreements": agreements, "lines": lines},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def agreement_create(request, child_id: int):
    child = selectors.access_child_by_id(actor=request.user, child_id=child_id)
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=agreement)
            messages.success(request, f"Direct payment {agreement.reference} set up")
            return redirect("directpayments:detail", agreement.pk)
    lines = list(services.direct_payment_lines(child=child, on=timezone.localdate()))
    return render(
        request,
        "directpayments/form.html",
        {"child": child, "form": form, "lines": lines},
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required(VIEW)
def agreement_detail(request, agreement_id: int):
    agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement_id)
    access_log_record(actor=request.user, request=request, action="view", obj=agreement)
    return render(
        request,
        "directpayments/detail.html",
        {"agreement": agreement, **selectors.agreement_parts(agreement=agreement)},
    )


def _record(request, agreement_id: int, *, form_class, service, title: str, done: str):
    agreement = selectors.access_agreement_by_id(actor=request.user, agreement_id=agreement_id)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = service(actor=request.user, agreement=agreement, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=record)
            messages.success(request, done)
            return redirect("directpayments:detail", agreement.pk)
    return render(
        request,
        "directpayments/record.html",
        {"agreement": agreement, "form": form, "title": title},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(FINANCE)
def payment_create(request, agreement_id: int):
    return _record(
        request,
        agreement_id,
        form_class=PaymentForm,
        service=services.payment_record,
        title="Record a payment",
        done="Payment recorded",
    )


@require_http_methods(["GET", "POST"])
@permission_required(FINANCE)
def recovery_create(request, agreement_id: int):
    return _record(
        request,
        agreement_id,
        form_class=RecoveryForm,
        service=services.recovery_record,
        title="Recover unspent money",
        done="Recovery recorded",
    )


@require_http_methods(["GET", "POST"])
@permission_required(REVIEW)
def review_create(request, agreement_id: int):
    return _record(
        request,
        agreement_id,
        form_class=ReviewForm,
        service=services.agreement_review_record,
        title="Record a review",
        done="Review recorded",
    )


app_name = "directpayments"

urlpatterns = [
    path("direct-payments/", agreement_list, name="list"),
    path("direct-payments/<int:agreement_id>/", agreement_detail, name="detail"),
    path("direct-payments/<int:agreement_id>/payments/new/", payment_create, name="payment-create"),
    path(
        "direct-payments/<int:agreement_id>/recoveries/new/",
        recovery_create,
        name="recovery-create",
    ),
    path("direct-payments/<int:agreement_id>/reviews/new/", review_create, name="review-create"),
    path("children/<int:child_id>/direct-payments/", child_agreements, name="child"),
    path("children/<int:child_id>/direct-payments/new/", agreement_create, name="create"),
]
