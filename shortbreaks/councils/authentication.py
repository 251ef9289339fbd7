"""API tokens that behave like sessions.

django-rest-knox keeps only a SHA-512 digest of each token (and its first 15 characters, to find
the row), so the database never holds a usable token. This subclass gives a token the session's
two limits (settings.API_TOKEN_IDLE_TIMEOUT and API_TOKEN_ABSOLUTE_TIMEOUT): each use moves its
expiry on by the idle timeout, never past its absolute end, and a token past either limit answers
401. Tokens are issued and revoked by services (councils.services), never here; the refused
request rolls back (ATOMIC_REQUESTS), so an ended token's row goes at its person's next sign-in.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions

from shortbreaks import rls


def absolute_expiry(token) -> datetime:
    """When a token ends however busy it is: its issue time plus the absolute timeout."""
    return token.created + settings.API_TOKEN_ABSOLUTE_TIMEOUT


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`: knox's hashed tokens with an idle and an absolute limit.

    Knox refuses a token whose expiry has passed; `renew_token` keeps that expiry at the idle
    limit, never past the absolute one, which `validate_user` checks again whatever it says.
    """

    def authenticate(self, request):
        """Who is asking, and from then on the database shows their council (shortbreaks.rls);
        the middleware puts back the scope it found once the response is made."""
        result = super().authenticate(request)
        if result is not None:
            rls.set_scope(rls.for_person(result[0]))
        return result

    def renew_token(self, auth_token) -> None:
        new_expiry = min(
            timezone.now() + settings.API_TOKEN_IDLE_TIMEOUT, absolute_expiry(auth_token)
        )
        moved = (new_expiry - auth_token.expiry).total_seconds()
        auth_token.expiry = new_expiry
        # A write per request would be a write per API call; a minute's slack is enough.
        if moved > knox_settings.MIN_REFRESH_INTERVAL:
            type(auth_token).objects.filter(pk=auth_token.pk).update(expiry=new_expiry)

    def _cleanup_token(self, auth_token) -> bool:
        """Whether this token has ended. Knox would also read all of the person's other tokens
        on every request to delete those that have ended, a query per API call; like this one
        (whose refusal rolls back), they go at the person's next sign-in (`api_token_issue`)."""
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def validate_user(self, auth_token):
        if timezone.now() > absolute_expiry(auth_token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().validate_user(auth_token)


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description: the same `tokenAuth` scheme the API has always had."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
