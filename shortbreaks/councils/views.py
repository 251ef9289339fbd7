from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils import selectors, services
from shortbreaks.councils.forms import AccessibilityContactForm, SignInForm, SwitchCouncilForm
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import page_number
from shortbreaks.permissions import RulePermissionRequiredMixin, permission_required


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_ensure_active_council(user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django's rule): the session row is deleted on the server."""

    template_name = "registration/signed_out.html"


@require_http_methods(["GET", "POST"])
@permission_required("councils.switch_council")
def switch_council(request):
    councils = selectors.councils_for_user(user=request.user)
    form = SwitchCouncilForm(
        request.POST if request.method == "POST" else None,
        councils=councils,
        current=request.user.active_council,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_switch_council(
                actor=request.user, council_slug=form.cleaned_data["council"], request=request
            )
        except ValidationError as error:
            form.add_error("council", error.message_dict["council"])
        else:
            return redirect("home")
    return render(request, "councils/switch_council.html", {"form": form})


class PeopleView(RulePermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_team"
    template_name = "councils/people.html"

    def get_context_data(self, **kwargs):
        actor = self.request.user
        # The roles a page at a time: a big council has hundreds of people.
        page = selectors.colleagues_page(
            actor=actor, page=page_number(self.request.GET.get("page"))
        )
        return super().get_context_data(
            organisations=selectors.organisation_list(actor=actor),
            teams=selectors.team_list(actor=actor),
            memberships=page.rows,
            memberships_page=page,
            **kwargs,
        )


class TeamDetailView(RulePermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_team"
    template_name = "councils/team_detail.html"

    def get_context_data(self, **kwargs):
        actor = self.request.user
        team = selectors.access_team_by_id(actor=actor, team_id=self.kwargs["team_id"])
        access_log_record(actor=actor, request=self.request, action="view", obj=team)
        return super().get_context_data(
            team=team, memberships=selectors.team_members(actor=actor, team=team), **kwargs
        )


@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_settings")
def council_settings(request):
    """The council administrator keeps the council's accessibility contact."""
    council = request.user.active_council
    form = AccessibilityContactForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": council.accessibility_email,
            "phone": council.accessibility_phone,
            "response_days": council.accessibility_response_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.council_accessibility_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Accessibility contact saved.")
            return redirect("councils:settings")
    return render(request, "councils/settings.html", {"form": form, "council": council})
