"""Parent carers' own pages on a council's public site: sign up, sign in, their account, the
targeted grant self-assessment with "check your answers", and their applications and children.

Signing up says nothing about whether an address has an account: see `statements.parents.services`
(the same answer, a link emailed to confirm the address, limits per IP address and email).

A parent account holds no staff membership and no active council, so no staff page or API lets
it in. These pages let in only a parent account of the council named in the URL, and show only
what is linked to it: anyone else's application or child, or another council's, is a 404. Reads go
through `referrals.selectors`, changes through `referrals.services`; every read of a child's
record writes the access log.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from referrals.models import Disability, GrantStatus, PaymentStatus
from referrals.selectors import parents as parent_selectors
from referrals.services import parents as parent_services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.notifications.models import Audience
from shortbreaks.notifications.views import preferences_form
from shortbreaks.templatetags.status_tags import status_tag_class
from shortbreaks.throttle import TooManyAttempts
from statements.parents import services as sign_up_services
from statements.parents.forms import (
    ConfirmSignUpForm,
    ParentSignInForm,
    SelfAssessmentForm,
    SignUpForm,
)
from statements.selectors import public_council

APPLY_KEY = "statements.parents.apply.{council}"
PAYMENT_WORDS = {
    PaymentStatus.NOT_DUE: "No payment due yet",
    PaymentStatus.AWAITING_PAYMENT: "The council will pay it soon",
    PaymentStatus.PAID: "Paid",
    PaymentStatus.STOPPED: "Payments stopped",
}
STATUS_WORDS = {
    GrantStatus.RECEIVED: "Waiting for a decision",
    GrantStatus.APPROVED: "Approved",
    GrantStatus.DECLINED: "Not approved",
}
# Tag colours come from the one status colour map (shortbreaks/templatetags/status_tags.py).
STATUS_TAGS = {status: status_tag_class(status) for status in GrantStatus.values}


def _account_url(council) -> str:
    return reverse("statements:account", args=[council.slug])


def signed_in_home(user) -> str | None:
    """A parent carer's home is their account page (see settings.SIGNED_IN_HOMES)."""
    account = parent_selectors.parent_account(actor=user)
    return _account_url(account.council) if account is not None else None


def parent_page(view):
    """The council named in the URL (404 if none), then a signed-in parent account of it: the
    anonymous go to the council's parent sign-in, staff get 403, a parent of another council 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, council_slug: str, *args, **kwargs) -> HttpResponse:
        council = public_council(slug=council_slug)
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


def _described(application) -> None:
    application.status_words = STATUS_WORDS[application.status]
    application.status_tag = STATUS_TAGS[application.status]
    application.payment_words = PAYMENT_WORDS[application.payment_status]


# ----------------------------------------------------------------------------------------------
# Signing up and signing in


def _sign_up_page(request, council, form, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "statements/account/sign_up.html",
        {"council": council, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The same answer whether or not the address has an account: "check your email"."""
    council = public_council(slug=council_slug)
    account = parent_selectors.parent_account(actor=request.user)
    if account is not None and account.council_id == council.pk:
        return redirect(_account_url(council))
    if request.method != "POST":
        return _sign_up_page(request, council, SignUpForm())
    form = SignUpForm(request.POST)
    try:
        sign_up_services.count_attempt(request)
        if not form.is_valid():
            return _sign_up_page(request, council, form)
        data = form.cleaned_data
        sign_up_services.sign_up(
            council=council,
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            absolute=request.build_absolute_uri,
        )
    except TooManyAttempts as refusal:
        form.is_valid()  # the answers' own messages too, as on any other answer
        form.add_error(None, refusal.message)
        return _sign_up_page(request, council, form, status=429)
    except ValidationError as error:
        add_service_error(form, error)
        return _sign_up_page(request, council, form)
    return redirect("statements:account-sign-up-sent", council.slug)


@require_http_methods(["GET"])
def sign_up_sent(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = public_council(slug=council_slug)
    return render(
        request,
        "statements/account/sign_up_sent.html",
        {"council": council, "lifetime": sign_up_services.lifetime_words()},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, council_slug: str, token: str) -> HttpResponse:
    """The emailed link: its page asks for the password chosen at sign-up, and only a POST with
    it confirms the account (a mail scanner opening the link changes nothing)."""
    council = public_council(slug=council_slug)
    account = sign_up_services.account_for_token(token, council=council)
    if account is None:
        return render(
            request, "statements/account/confirm_invalid.html", {"council": council}, status=410
        )
    form = ConfirmSignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sign_up_services.check_confirm_limit(account)
        except TooManyAttempts as refusal:
            form.add_error(None, refusal.message)
            status = 429
        else:
            if account.user.check_password(form.cleaned_data["password"]):
                account = parent_services.parent_account_confirm(account=account)
                login(request, account.user, backend="shortbreaks.councils.backends.ModelBackend")
                access_log_record(
                    actor=account.user,
                    request=request,
                    action="create",
                    obj=account,
                    council=council,
                )
                messages.success(
                    request, "Your email address is confirmed and your account is ready."
                )
                return redirect(_account_url(council))
            sign_up_services.count_wrong_password(account)
            form.add_error("password", "Enter the password you chose when you created the account")
    return render(
        request,
        "statements/account/confirm.html",
        {"council": council, "form": form, "email": account.user.email},
        status=status,
    )


class ParentSignInView(auth_views.LoginView):
    """Only a parent account of this council signs in here; staff use the staff sign-in."""

    template_name = "statements/account/sign_in.html"
    authentication_form = ParentSignInForm

    def dispatch(self, request, *args, **kwargs):
        self.council = public_council(slug=kwargs["council_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council, **kwargs)

    def get_success_url(self):
        wanted = self.get_redirect_url()
        prefix = reverse("statements:account", args=[self.council.slug])
        if wanted and wanted.startswith(prefix):
            return wanted
        return _account_url(self.council)

    def get_redirect_url(self):
        wanted = self.request.POST.get("next", self.request.GET.get("next", ""))
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return wanted if safe else ""


sign_in = require_http_methods(["GET", "POST"])(ParentSignInView.as_view())


# ----------------------------------------------------------------------------------------------
# The account page, one application, one child


@require_http_methods(["GET"])
@parent_page
def account_home(request: HttpRequest, council) -> HttpResponse:
    actor = request.user
    applications = list(parent_selectors.parent_applications(actor=actor))
    for application in applications:
        _described(application)
    children = list(parent_selectors.parent_children(actor=actor))
    support = parent_selectors.parent_support_summary(children=children)
    for child in children:
        child.support = support[child.pk]
        access_log_record(actor=actor, request=request, action="view", obj=child, council=council)
    return render(
        request,
        "statements/account/home.html",
        {
            "council": council,
            "applications": applications,
            "children": children,
            "scheme": parent_selectors.current_grant_scheme(council=council),
        },
    )


@require_http_methods(["GET", "POST"])
@parent_page
def account_notifications(request: HttpRequest, council) -> HttpResponse:
    """The parent chooses which emails they get (all on until they turn one off)."""
    form, saved = preferences_form(request, council=council, audience=Audience.FAMILY)
    if saved:
        return redirect("statements:account-notifications", council.slug)
    return render(
        request, "statements/account/notifications.html", {"council": council, "form": form}
    )


@require_http_methods(["GET"])
@parent_page
def application_detail(request: HttpRequest, council, application_id: int) -> HttpResponse:
    application = parent_selectors.parent_access_application_by_id(
        actor=request.user, application_id=application_id
    )
    access_log_record(
        actor=request.user, request=request, action="view", obj=application, council=council
    )
    _described(application)
    return render(
        request,
        "statements/account/application.html",
        {"council": council, "application": application},
    )


@require_http_methods(["GET"])
@parent_page
def child_detail(request: HttpRequest, council, child_id: int) -> HttpResponse:
    child = parent_selectors.parent_access_child_by_id(actor=request.user, child_id=child_id)
    access_log_record(
        actor=request.user, request=request, action="view", obj=child, council=council
    )
    child.support = parent_selectors.parent_support_summary(children=[child])[child.pk]
    return render(request, "statements/account/child.html", {"council": council, "child": child})


# ----------------------------------------------------------------------------------------------
# Applying online: the self-assessment, then "check your answers"


def _apply_page(request, council, scheme, form) -> HttpResponse:
    # The parent's own children's awards on this year's scheme: a child has one grant a year.
    awards = [
        application
        for application in parent_selectors.parent_applications(actor=request.user).filter(
            scheme=scheme
        )
        if application.status == GrantStatus.APPROVED
    ]
    return render(
        request,
        "statements/account/apply.html",
        {"council": council, "scheme": scheme, "form": form, "awards": awards},
    )


def _answers(request) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}


@require_http_methods(["GET", "POST"])
@parent_page
def apply(request: HttpRequest, council) -> HttpResponse:
    scheme = parent_selectors.current_grant_scheme(council=council)
    if scheme is None:
        return render(request, "statements/account/no_scheme.html", {"council": council})
    children = list(parent_selectors.parent_children(actor=request.user))
    key = APPLY_KEY.format(council=council.pk)
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, children=children)
        if form.is_valid():
            request.session[key] = _answers(request)
            return redirect("statements:account-apply-check", council.slug)
    elif request.session.get(key):
        form = SelfAssessmentForm(MultiValueDict(request.session[key]), children=children)
    else:
        form = SelfAssessmentForm(children=children)
    return _apply_page(request, council, scheme, form)


@require_http_methods(["GET", "POST"])
@parent_page
def apply_check(request: HttpRequest, council) -> HttpResponse:
    scheme = parent_selectors.current_grant_scheme(council=council)
    key = APPLY_KEY.format(council=council.pk)
    answers = request.session.get(key)
    children = list(parent_selectors.parent_children(actor=request.user))
    form = SelfAssessmentForm(MultiValueDict(answers or {}), children=children)
    if scheme is None or not answers or not form.is_valid():
        return redirect("statements:account-apply", council.slug)
    if request.method == "POST":
        try:
            application = parent_services.grant_application_submit_online(
                actor=request.user,
                scheme=scheme,
                caring=form.caring(),
                child=form.chosen_child(),
                child_fields=form.child_fields(),
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
            return _apply_page(request, council, scheme, form)
        del request.session[key]
        access_log_record(
            actor=request.user, request=request, action="create", obj=application, council=council
        )
        messages.success(
            request,
            f"Application sent. {council.name} will look at it and tell you what it decides.",
        )
        return redirect("statements:account-application", council.slug, application.pk)
    return render(
        request,
        "statements/account/apply_check.html",
        {"council": council, "scheme": scheme, "rows": _check_rows(council, form)},
    )


def _check_rows(council, form: SelfAssessmentForm) -> list[tuple[str, str, str, str]]:
    """(question, answer, change link, hidden text) for each answer."""
    change = reverse("statements:account-apply", args=[council.slug])
    data = form.cleaned_data
    rows: list[tuple[str, str, str]] = []
    if form.children:
        rows.append(("Child", form.chosen_child().full_name, "child"))
    else:
        labels = dict(Disability.choices)
        born = data["date_of_birth"]
        rows += [
            ("Child's name", f"{data['first_name']} {data['last_name']}", "first_name"),
            ("Child's date of birth", f"{born.day} {born:%B %Y}", "date_of_birth"),
            ("Child's home postcode", data["postcode"], "postcode"),
            (
                "Child's disabilities or additional needs",
                "\n".join(labels[code] for code in data["disabilities"]),
                "disabilities",
            ),
        ]
    for name in SelfAssessmentForm.CARING:
        label = form.fields[name].label.removesuffix(" (optional)")
        rows.append((label, data[name] or "Not answered", name))
    return [
        (label, value, f"{change}#{form.first_field_id(name)}", label[:1].lower() + label[1:])
        for label, value, name in rows
    ]


urlpatterns = [
    path("<slug:council_slug>/account/sign-up/", sign_up, name="account-sign-up"),
    path("<slug:council_slug>/account/sign-up/sent/", sign_up_sent, name="account-sign-up-sent"),
    path("<slug:council_slug>/account/confirm/<str:token>/", confirm, name="account-confirm"),
    path("<slug:council_slug>/account/sign-in/", sign_in, name="account-sign-in"),
    path("<slug:council_slug>/account/", account_home, name="account"),
    path("<slug:council_slug>/account/apply/", apply, name="account-apply"),
    path(
        "<slug:council_slug>/account/emails/",
        account_notifications,
        name="account-notifications",
    ),
    path("<slug:council_slug>/account/apply/check/", apply_check, name="account-apply-check"),
    path(
        "<slug:council_slug>/account/applications/<int:application_id>/",
        application_detail,
        name="account-application",
    ),
    path(
        "<slug:council_slug>/account/children/<int:child_id>/",
        child_detail,
        name="account-child",
    ),
]
