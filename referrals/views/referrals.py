"""Referrals in the browser: log one for a child, move it on, attach and download its documents.

Logging a referral is a form and a "check your answers" page (the answers wait in the session),
then the service. Moving a referral on and uploading a document are posted from the referral's
page; a refusal from a service (the state forbids it, an answer or a file is wrong) comes back in
that page's error summary, never as an error page. A document is only ever served by
`document_download`, which checks permission and writes the access log.
"""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from referrals.exports import REFERRALS
from referrals.filters import ReferralFilter
from referrals.forms.referrals import DocumentForm, ReferralForm, TransitionForm
from referrals.models import (
    Child,
    PrimaryNeed,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
)
from referrals.selectors import children as child_selectors
from referrals.selectors import documents as document_selectors
from referrals.selectors import referrals as referral_selectors
from referrals.services import documents as document_services
from referrals.services import referrals as referral_services
from shortbreaks import states
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.documents.responses import attachment_response
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import numbered_page, page_number
from shortbreaks.permissions import permission_required

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"


def _key(child_id: int) -> str:
    return f"referrals.referral.create.{child_id}"


def child_url(child_id: int) -> str:
    return reverse("referrals:child", args=[child_id])


def _bound_from(form_class, answers: dict[str, str], error: ValidationError):
    """The form as it was answered (from the session), carrying the service's errors."""
    data = {}
    for name, field in form_class.base_fields.items():
        raw = answers.get(name, "")
        if isinstance(field, DateInputField):
            year, month, day = raw.split("-") if raw else ("", "", "")
            data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = (
                day.lstrip("0"),
                month.lstrip("0"),
                year,
            )
        else:
            data[name] = raw
    form = form_class(data=data)
    form.is_valid()
    add_service_error(form, error)
    return form


def _date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not given"


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


# ----------------------------------------------------------------------------------------------
# The council's referrals


@require_http_methods(["GET"])
@permission_required(VIEW)
def referral_list(request):
    """Every referral of the council, newest first, optionally of one status, a page at a time
    (read from the council's (received_on, id) index, so page 1 costs the same in any council)."""
    filterset = ReferralFilter.for_page(
        request, referral_selectors.referral_list(actor=request.user)
    )
    filters = filterset.applied
    status = filters.get("status", "")
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=REFERRALS,
            queryset=filterset.qs,
            fmt=fmt,
            filters=filters,
        )
    number = page_number(request.GET.get("page"))
    referrals = numbered_page(filterset.qs, number=number)
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="referrals.referral",
        ids=[referral.pk for referral in referrals],
        filters={**filters, "page": number if number > 1 else None},
    )
    return render(
        request,
        "referrals/referrals/list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "referrals": referrals,
            "filter_query": filterset.query,
            "status": status,
            "status_label": ReferralStatus(status).label if status else "",
            "statuses": ReferralStatus.choices,
        },
    )


# ----------------------------------------------------------------------------------------------
# Logging a referral


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def referral_create(request, child_id: int):
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    key = _key(child.pk)
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("referrals:referral-create-check", child.pk)
    else:
        form = ReferralForm(initial=ReferralForm.initial_from(request.session.get(key)))
    return _create_form(request, child, form)


def _create_form(request, child: Child, form):
    return render(
        request,
        "referrals/referrals/form.html",
        {"child": child, "child_url": child_url(child.pk), "form": form},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def referral_create_check(request, child_id: int):
    child = child_selectors.access_child_by_id(actor=request.user, child_id=child_id)
    key = _key(child.pk)
    answers = request.session.get(key)
    if not answers:
        return redirect("referrals:referral-create", child.pk)
    values = ReferralForm.values(answers)
    if request.method == "POST":
        try:
            referral = referral_services.referral_create(actor=request.user, child=child, **values)
        except ValidationError as error:
            return _create_form(request, child, _bound_from(ReferralForm, answers, error))
        del request.session[key]
        messages.success(request, "Referral logged.")
        return redirect("referrals:referral", referral.pk)
    change = reverse("referrals:referral-create", args=[child.pk])
    rows = [
        (
            "Date received",
            _date(values["received_on"]),
            f"{change}#id_received_on_0",
            "date received",
        ),
        (
            "Where it came from",
            _label(ReferralSource, values["source"]),
            f"{change}#id_source",
            "where the referral came from",
        ),
        (
            "Who referred",
            values["referrer"] or "Not given",
            f"{change}#id_referrer",
            "who referred",
        ),
        ("What it asks for", values["request"], f"{change}#id_request", "what it asks for"),
        (
            "Primary need",
            _label(PrimaryNeed, values["primary_need"]),
            f"{change}#id_primary_need",
            "primary need",
        ),
    ]
    return render(
        request,
        "referrals/referrals/check.html",
        {
            "child": child,
            "back_url": change,
            "rows": rows,
        },
    )


# ----------------------------------------------------------------------------------------------
# One referral


@require_http_methods(["GET"])
@permission_required(VIEW)
def referral_detail(request, referral_id: int):
    referral = referral_selectors.access_referral_by_id(actor=request.user, referral_id=referral_id)
    return _detail(request, referral)


def _detail(
    request,
    referral: Referral,
    *,
    errors: list[str] = (),
    transition_form: TransitionForm | None = None,
    document_form: DocumentForm | None = None,
):
    """The referral's page; a form that failed is shown as it was answered, with its errors.
    Whichever request shows it, the view of the child's record is logged."""
    actor = request.user
    access_log_record(actor=actor, request=request, action="view", obj=referral)
    can_manage = actor.has_perm(MANAGE)
    transition_forms = []
    if can_manage:
        # A form for each declared status change the person may make now (docs/decisions/0026).
        for status, step in states.declared_steps(Referral).items():
            if not states.may(referral, step, actor):
                continue
            if transition_form is not None and transition_form.status == status:
                transition_forms.append(transition_form)
            else:
                transition_forms.append(TransitionForm(status=status))
    failed = transition_form if transition_form is not None and transition_form.errors else None
    if document_form is not None and document_form.errors:
        failed = document_form
    return render(
        request,
        "referrals/referrals/detail.html",
        {
            "referral": referral,
            "child": referral.child,
            "child_url": child_url(referral.child_id),
            "events": _events(referral),
            "documents": list(
                ReferralDocument.objects.filter(referral=referral)
                .select_related("uploaded_by")
                .order_by("uploaded_at", "id")
            ),
            "can_manage": can_manage,
            "assessment_url": (
                f"{reverse('referrals:assessment-create', args=[referral.child_id])}"
                f"?referral={referral.pk}"
                if can_manage and referral.status == ReferralStatus.ACCEPTED_FOR_ASSESSMENT
                else ""
            ),
            "transition_forms": transition_forms,
            "document_form": document_form or (DocumentForm() if can_manage else None),
            "failed_form": failed,
            "errors": list(errors),
        },
    )


def _events(referral: Referral) -> list[ReferralEvent]:
    """The dated history of status changes, each labelled with the status it moved to."""
    events = list(
        ReferralEvent.objects.filter(referral=referral).select_related("actor").order_by("on", "id")
    )
    for event in events:
        event.to_label = _label(ReferralStatus, event.to_status)
    return events


@permission_required(MANAGE)
@require_POST
def referral_transition(request, referral_id: int):
    """Move the referral to the status its form is for; the form's prefix names the status."""
    referral = referral_selectors.access_referral_by_id(actor=request.user, referral_id=referral_id)
    status = request.POST.get("status", "")
    if status not in ReferralStatus.values or status == ReferralStatus.RECEIVED:
        return _detail(request, referral, errors=["Choose a status to move the referral to."])
    form = TransitionForm(request.POST, status=status)
    if not form.is_valid():
        return _detail(request, referral, transition_form=form)
    try:
        referral_services.referral_transition(
            actor=request.user,
            referral=referral,
            status=status,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except TransitionNotAllowed as error:
        return _detail(request, referral, errors=[error.reason])
    except ValidationError as error:
        add_service_error(form, error)
        return _detail(request, referral, transition_form=form)
    messages.success(request, f"Referral moved to {ReferralStatus(status).label.lower()}.")
    return redirect("referrals:referral", referral.pk)


# ----------------------------------------------------------------------------------------------
# Documents


@permission_required(MANAGE)
@require_POST
def referral_document_add(request, referral_id: int):
    referral = referral_selectors.access_referral_by_id(actor=request.user, referral_id=referral_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, referral, document_form=form)
    upload = form.cleaned_data["file"]
    try:
        document = document_services.referral_document_add(
            actor=request.user,
            referral=referral,
            upload=upload,
            name=upload.name,
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _detail(request, referral, document_form=form)
    messages.success(request, f"{document.original_name} uploaded.")
    return redirect(f"{reverse('referrals:referral', args=[referral.pk])}#documents")


def serve_document(request, document: ReferralDocument) -> FileResponse:
    """The stored file as an attachment, typed as its bytes were found to be; logged first."""
    response = attachment_response(document)
    access_log_record(actor=request.user, request=request, action="download", obj=document)
    return response


@require_http_methods(["GET"])
@permission_required(VIEW)
def document_download(request, document_id: int):
    document = document_selectors.access_document_by_id(actor=request.user, document_id=document_id)
    return serve_document(request, document)


urlpatterns = [
    path("referrals/", referral_list, name="referral-list"),
    path("children/<int:child_id>/referrals/new/", referral_create, name="referral-create"),
    path(
        "children/<int:child_id>/referrals/new/check/",
        referral_create_check,
        name="referral-create-check",
    ),
    path("referrals/<int:referral_id>/", referral_detail, name="referral"),
    path(
        "referrals/<int:referral_id>/transition/",
        referral_transition,
        name="referral-transition",
    ),
    path(
        "referrals/<int:referral_id>/documents/",
        referral_document_add,
        name="referral-document-add",
    ),
    path("referrals/documents/<int:document_id>/", document_download, name="document-download"),
]
