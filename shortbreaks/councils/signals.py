"""Receivers that end a person's API tokens when their sign-in ends. Each calls one service.

- Signing out (the pages or the admin) ends all of the person's tokens: a token belongs to no
  session, and signing out is how a person ends their access, on a shared office computer too.
  A session that ended on its own (idle or too old, shortbreaks.middleware) leaves them: each
  token keeps its own clock.
- An account locked out after too many failed sign-ins (django-axes) loses its tokens, so a
  stolen token does not outlive the lockout.
- A new password ends every token made with the old one, as Django does for sessions.

And one that is not about tokens: once a person has signed in, the database shows them their own
rows (their memberships, a parent carer's account: shortbreaks.rls) for the rest of that request.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save

from shortbreaks import rls
from shortbreaks.councils import services
from shortbreaks.middleware import SESSION_TIMED_OUT


def revoke_tokens_at_sign_out(sender, request=None, user=None, **kwargs) -> None:
    if user is None or getattr(request, SESSION_TIMED_OUT, False):
        return
    services.api_tokens_revoke_all(user=user)


def revoke_tokens_at_lockout(sender, request=None, username=None, **kwargs) -> None:
    services.api_tokens_revoke_for_username(username=username)


def revoke_tokens_at_password_change(sender, instance, created, update_fields=None, **kwargs):
    # set_password() leaves the new password in `_password` until the save that stores it is
    # done; Django's rehash of an unchanged password at sign-in clears it first.
    if created or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    services.api_tokens_revoke_all(user=instance)


def show_own_rows_at_sign_in(sender, request=None, user=None, **kwargs) -> None:
    rls.set_user(user)


def connect() -> None:
    user_logged_in.connect(show_own_rows_at_sign_in, dispatch_uid="councils-rls-sign-in")
    user_logged_out.connect(revoke_tokens_at_sign_out, dispatch_uid="councils-tokens-sign-out")
    user_locked_out.connect(revoke_tokens_at_lockout, dispatch_uid="councils-tokens-lockout")
    post_save.connect(
        revoke_tokens_at_password_change,
        sender=get_user_model(),
        dispatch_uid="councils-tokens-password",
    )
