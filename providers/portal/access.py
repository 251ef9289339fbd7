"""Who may come into provider staff's pages and API: signed in, with the provider role in the
active council and an active `ProviderAccount` (`selectors.provider_for`). Every app's provider
pages (`provider_staff_required`) and provider API (`IsProviderStaff`) ask here.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.permissions import BasePermission

from providers import selectors

ACT_FOR_PROVIDER = "providers.act_for_provider"


def acts_for_a_provider(user) -> bool:
    """Signed in, holding the provider role in the active council, with an active account."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm(ACT_FOR_PROVIDER)
        and selectors.provider_for(user) is not None
    )


def provider_staff_required(view):
    """For provider pages: sign-in required (redirect), then provider staff with an active
    account (403 otherwise: council staff included)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not acts_for_a_provider(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class IsProviderStaff(BasePermission):
    """The provider API's permission: provider staff with an active account, nobody else."""

    def has_permission(self, request, view) -> bool:
        return acts_for_a_provider(request.user)


def signed_in_home(user) -> str | None:
    """Where provider staff land after signing in (settings.SIGNED_IN_HOMES)."""
    if getattr(user, "is_authenticated", False) and user.has_perm(ACT_FOR_PROVIDER):
        return reverse("provider:home")
    return None
