"""The page where a person chooses which notifications they get by email (staff; parent carers
have the same form on their own account pages, statements.parents.views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shortbreaks.forms import add_service_error
from shortbreaks.notifications import selectors, services
from shortbreaks.notifications.forms import NotificationPreferencesForm
from shortbreaks.notifications.models import Audience
from shortbreaks.permissions import permission_required


def preferences_form(request, *, council, audience: str):
    """The form, bound on POST; returns (form, saved)."""
    current = selectors.notification_preferences(
        actor=request.user, council=council, audience=audience
    )
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        audience=audience,
        initial={"kinds": [kind for kind, on in current.items() if on]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(
                actor=request.user,
                council=council,
                audience=audience,
                chosen=form.cleaned_data["kinds"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your email choices are saved.")
            return form, True
    return form, False


@require_http_methods(["GET", "POST"])
@permission_required("notifications.choose_emails")
def preferences(request):
    council = request.user.active_council
    form, saved = preferences_form(request, council=council, audience=Audience.STAFF)
    if saved:
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "council": council,
            "recent": selectors.notification_list_for_person(actor=request.user, council=council),
        },
    )
