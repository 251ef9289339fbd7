"""Public pages for parent carers: no sign-in, the council named by its slug.

The service directory, and the council's short breaks services statement (Regulation 5): the
current published version, earlier ones, the version out for consultation, the PDF, and the form
for carers' views. The read pages set no cookie (no session, no CSRF cookie); the feedback form
alone sets Django's CSRF cookie, because its POST must be protected from other sites and there is
no session to hold the token.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from shortbreaks.accesslog.models import Action
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.models import JobStatus
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import numbered_page, page_number
from statements import selectors, services
from statements.body import published_body
from statements.content import build_content
from statements.documents import pdf_response
from statements.forms.directory import DirectoryFilterForm
from statements.forms.public import FeedbackForm
from statements.models import StatementStatus, StatementVersion


@require_GET
def directory(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    form = DirectoryFilterForm(request.GET)
    form.is_valid()  # an invalid value is shown in the error summary and not used as a filter
    matching = selectors.public_service_list(council=council, **form.filters())
    # A page at a time: a council may offer hundreds of services. The count is of one council's
    # services, read from its index.
    services = numbered_page(matching, number=page_number(request.GET.get("page")))
    errors = [
        (name, error) for name in DirectoryFilterForm.ORDER for error in form.errors.get(name, [])
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "statements/directory.html",
        {
            "council": council,
            "form": form,
            "errors": errors,
            "services": services,
            "count": matching.count(),
            "filter_query": filters.urlencode(),
            "filtered": form.is_filtered(),
        },
    )


@require_GET
def directory_service(request: HttpRequest, council_slug: str, service_id: int) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    service = selectors.public_service(council=council, service_id=service_id)
    details = selectors.public_service_details(
        council=council, service=service, provider_locations=False
    )
    return render(
        request,
        "statements/directory_service.html",
        {"council": council, "service": service, **details},
    )


# ----------------------------------------------------------------------------------------------
# The short breaks services statement


def _pdf_ready(version: StatementVersion | None) -> bool:
    job = version.pdf_job if version is not None else None
    return job is not None and job.status == JobStatus.DONE and bool(job.file)


def _consultation_open(version: StatementVersion | None) -> bool:
    return version is not None and version.consultation_open()


def _public_version(council, number: int) -> StatementVersion:
    """A published or superseded version by its number; anything else (a draft) is a 404."""
    version = selectors.public_statement_versions(council).filter(number=number).first()
    if version is None:
        raise Http404("No such statement.")
    return version


@require_GET
def statement(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    # The current version is the published one among them (at most one a council).
    versions = list(selectors.public_statement_versions(council))
    current = next((v for v in versions if v.status == StatementStatus.PUBLISHED), None)
    consultation = selectors.public_consultation(council)
    if current is None:
        return render(
            request,
            "statements/public/no_statement.html",
            {
                "council": council,
                "consultation": consultation,
                "consultation_open": _consultation_open(consultation),
            },
        )
    earlier = [v for v in versions if v.pk != current.pk]
    return render(
        request,
        "statements/public/statement.html",
        {
            "council": council,
            "version": current,
            "body": published_body(current),
            "pdf_ready": _pdf_ready(current),
            "earlier": earlier,
            "consultation": consultation,
            "consultation_open": _consultation_open(consultation),
        },
    )


@require_GET
def statement_version(request: HttpRequest, council_slug: str, number: int) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    version = _public_version(council, number)
    return render(
        request,
        "statements/public/version.html",
        {
            "council": council,
            "version": version,
            "body": published_body(version),
            "pdf_ready": _pdf_ready(version),
            "superseded": version.status == StatementStatus.SUPERSEDED,
        },
    )


def _pdf_response(request: HttpRequest, council, version: StatementVersion) -> HttpResponse:
    response = pdf_response(version.pdf_job)
    access_log_record(
        actor=request.user,
        action=Action.DOWNLOAD,
        obj=version.pdf_job,
        council=council,
        request=request,
    )
    return response


@require_GET
def statement_pdf(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    version = selectors.public_statement(council)
    if version is None:
        raise Http404("No published statement.")
    return _pdf_response(request, council, version)


@require_GET
def statement_version_pdf(request: HttpRequest, council_slug: str, number: int) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    return _pdf_response(request, council, _public_version(council, number))


@require_GET
def consultation(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    version = selectors.public_consultation(council)
    return render(
        request,
        "statements/public/consultation.html",
        {
            "council": council,
            "version": version,
            "content": build_content(version) if version is not None else None,
            "consultation_open": _consultation_open(version),
        },
    )


def _feedback(request: HttpRequest, council, version: StatementVersion, *, on_consultation: bool):
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(version=version, **form.submission())
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            return redirect("statements:statement-feedback-sent", council.slug)
    return render(
        request,
        "statements/public/feedback.html",
        {
            "council": council,
            "version": version,
            "form": form,
            "on_consultation": on_consultation,
        },
    )


@require_http_methods(["GET", "POST"])
def statement_feedback(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Carers' views on the current published statement."""
    council = selectors.public_council(slug=council_slug)
    version = selectors.public_statement(council)
    if version is None:
        raise Http404("No published statement.")
    return _feedback(request, council, version, on_consultation=False)


@require_http_methods(["GET", "POST"])
def consultation_feedback(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Carers' views on the version out for consultation, while the consultation is open."""
    council = selectors.public_council(slug=council_slug)
    version = selectors.public_consultation(council)
    if version is None:
        raise Http404("No consultation.")
    if not _consultation_open(version):
        return render(
            request,
            "statements/public/consultation_closed.html",
            {"council": council, "version": version},
        )
    return _feedback(request, council, version, on_consultation=True)


@require_GET
def feedback_sent(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = selectors.public_council(slug=council_slug)
    return render(request, "statements/public/feedback_sent.html", {"council": council})


urlpatterns = [
    path("<slug:council_slug>/services/", directory, name="directory"),
    path(
        "<slug:council_slug>/services/<int:service_id>/",
        directory_service,
        name="directory-service",
    ),
    path("<slug:council_slug>/", statement, name="statement"),
    path("<slug:council_slug>/pdf", statement_pdf, name="statement-pdf"),
    path(
        "<slug:council_slug>/versions/<int:number>/",
        statement_version,
        name="statement-version",
    ),
    path(
        "<slug:council_slug>/versions/<int:number>/pdf",
        statement_version_pdf,
        name="statement-version-pdf",
    ),
    path("<slug:council_slug>/consultation/", consultation, name="statement-consultation"),
    path(
        "<slug:council_slug>/consultation/feedback/",
        consultation_feedback,
        name="statement-consultation-feedback",
    ),
    path("<slug:council_slug>/feedback/", statement_feedback, name="statement-feedback"),
    path("<slug:council_slug>/feedback/sent/", feedback_sent, name="statement-feedback-sent"),
]
