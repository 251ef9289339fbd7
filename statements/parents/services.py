"""Signing up as a parent carer, without telling anyone whether an address has an account.

Every sign-up whose answers pass their own checks gets the same answer, "check your email"; what
happens next is told only to the owner of the address:
- a new address (or one whose account is still unconfirmed) is sent a link to confirm it;
- an address already in use is sent a note that someone tried to sign up with it.
The link is signed, works for SIGN_UP_LINK_LIFETIME and only once (it is made from the account's
state, which confirming changes), and finishing needs the password given at sign-up: a mail
scanner that opens the link confirms nothing, nor does the owner of an address a stranger signed
up with. Until then the account's user is inactive, so no sign-in of any kind lets it in.

Sign-up is limited per IP address (every attempt) and per email address (every sign-up that
passes its checks, each of which sends an email), SIGN_UP_LIMIT_* in settings; more is a 429.
The account rows are written by `referrals.services`; this module adds the limits, the link and
the emails.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from referrals.models import ParentAccount
from referrals.selectors import parents as parent_selectors
from referrals.services import parents as parent_services
from shortbreaks.throttle import TooManyAttempts, attempt_allowed, limit_reached, wait_words

logger = logging.getLogger(__name__)

SALT = "statements.parent-sign-up.confirm"


def _too_many() -> TooManyAttempts:
    return TooManyAttempts(
        "There have been too many attempts to create an account. Wait "
        f"{wait_words(settings.SIGN_UP_LIMIT_WINDOW)} and try again."
    )


def count_attempt(request) -> None:
    """One sign-up attempt from the request's IP address; TooManyAttempts past the limit."""
    address = get_client_ip_address(request) or "unknown"
    if not attempt_allowed(
        "sign-up:ip",
        address,
        limit=settings.SIGN_UP_LIMIT_PER_IP_ADDRESS,
        window=settings.SIGN_UP_LIMIT_WINDOW,
    ):
        raise _too_many()


# ----------------------------------------------------------------------------------------------
# The link


def _state(account: ParentAccount) -> str:
    """A digest of what confirming (or signing up again) changes: a link made before either stops
    working."""
    user = account.user
    value = "|".join(
        str(part)
        for part in (
            account.pk,
            account.council_id,
            account.confirmed_at,
            user.pk,
            user.is_active,
            user.password,
            user.email,
        )
    )
    return salted_hmac(SALT, value).hexdigest()


def confirm_token(account: ParentAccount) -> str:
    return signing.dumps({"a": account.pk, "s": _state(account)}, salt=SALT)


def account_for_token(token: str, *, council) -> ParentAccount | None:
    """The unconfirmed account of `council` the link was made for, or None if the link is
    altered, out of date (SIGN_UP_LINK_LIFETIME), already used, or superseded by a newer one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGN_UP_LINK_LIFETIME)
    except signing.BadSignature:  # SignatureExpired too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    account = parent_selectors.unconfirmed_parent_account(account_id=data["a"], council=council)
    if account is None or not constant_time_compare(_state(account), str(data.get("s", ""))):
        return None
    return account


def check_confirm_limit(account: ParentAccount) -> None:
    """Before a password is tried on the link's page: TooManyAttempts once the account has had
    the per-email limit of wrong ones in the window, so the next guess is refused even if right
    (whoever holds a leaked link cannot keep guessing)."""
    if limit_reached("sign-up:confirm", str(account.pk), limit=settings.SIGN_UP_LIMIT_PER_EMAIL):
        raise _too_many()


def count_wrong_password(account: ParentAccount) -> None:
    attempt_allowed(
        "sign-up:confirm",
        str(account.pk),
        limit=settings.SIGN_UP_LIMIT_PER_EMAIL,
        window=settings.SIGN_UP_LIMIT_WINDOW,
    )


# ----------------------------------------------------------------------------------------------
# Signing up


def _send_after_commit(*, subject: str, body: str, to: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        except (OSError, smtplib.SMTPException):
            # The person can sign up again for a new link; the answer they saw is unchanged.
            logger.exception("Sign-up email not sent")

    transaction.on_commit(send)


def lifetime_words() -> str:
    return wait_words(settings.SIGN_UP_LINK_LIFETIME)


def _confirm_email(*, council, account: ParentAccount, absolute: Callable[[str], str]) -> None:
    link = absolute(
        reverse("statements:account-confirm", args=[council.slug, confirm_token(account)])
    )
    _send_after_commit(
        subject=f"Confirm your email address – Short breaks in {council.name}",
        body=(
            f"Hello {account.user.first_name},\n\n"
            f"Someone, we hope you, asked for a parent carer account on {council.name}'s short "
            "breaks pages with this email address.\n\n"
            "To finish, open this link and enter the password you chose. It works once, for the "
            f"next {lifetime_words()}:\n\n{link}\n\n"
            "If it was not you, you need do nothing: no account is made without this link.\n"
        ),
        to=account.user.email,
    )


def _tried_email(*, council, existing, absolute: Callable[[str], str]) -> None:
    home = getattr(existing, "parent_account", None)  # None for staff: no such row
    sign_in = (
        reverse("statements:account-sign-in", args=[home.council.slug])
        if isinstance(home, ParentAccount)
        else reverse("sign-in")
    )
    _send_after_commit(
        subject="Someone tried to create an account with your email address",
        body=(
            "Someone tried to create a parent carer account on "
            f"{council.name}'s short breaks pages with this email address. You already have an "
            "account with it, so nothing has changed.\n\n"
            f"If it was you, sign in here instead:\n\n{absolute(sign_in)}\n\n"
            "If it was not you, you need do nothing.\n"
        ),
        to=existing.email,
    )


def sign_up(
    *,
    council,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    absolute: Callable[[str], str],
) -> None:
    """Sign up for `council`'s pages; the emails go after the transaction commits. Raises
    ValidationError for answers that are wrong in themselves (never for an address in use), and
    TooManyAttempts past the per-email limit. Returns nothing: the caller answers the same."""
    with transaction.atomic():
        result = parent_services.parent_account_sign_up(
            council=council,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        # Counted once the answers pass, as each such sign-up sends the address an email; over
        # the limit the savepoint is rolled back, so nothing is written or sent.
        if not attempt_allowed(
            "sign-up:email",
            (email or "").strip().lower(),
            limit=settings.SIGN_UP_LIMIT_PER_EMAIL,
            window=settings.SIGN_UP_LIMIT_WINDOW,
        ):
            raise _too_many()
    if result.account is not None:
        _confirm_email(council=council, account=result.account, absolute=absolute)
    elif result.existing is not None and result.existing.email:
        _tried_email(council=council, existing=result.existing, absolute=absolute)
