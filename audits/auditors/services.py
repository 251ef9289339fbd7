"""Every write about external auditors: an auditor invites one by email, and the person accepts by
setting their own password. Also the rule every share of an evidence pack asks: who may receive
one (`pack_recipient`).

An external auditor is an account of its own kind (`ExternalAuditor`): made only here, never by
signing up, never a parent carer's account, never holding a role in a council, and for one
council only. Inviting an address makes the account at once, switched off and with no usable
password, so no one can take the address on the parent sign-up page before the person accepts;
the emailed link carries a one-time token of which only the SHA-256 is kept, works once and
for `INVITATION_LIFETIME`, and a newer invitation to the same person withdraws it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audits.models import ExternalAuditor, ExternalAuditorInvitation, InvitationState
from referrals.models import ParentAccount
from shortbreaks import rls
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import User
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

logger = logging.getLogger(__name__)

INVITE = "audits.invite_external_auditor"
VIEW_AUDITORS = "audits.view_external_auditor"
INVITATION_LIFETIME = timedelta(days=7)
EMAIL_LENGTH = 150  # the username is the email address

# Why a person may not receive an evidence pack, or be invited: shown beside the email address.
NOT_INVITED = "Invite this person as an external auditor first"
PARENT = (
    "This is a parent carer account. Evidence packs go only to external auditors this council "
    "has invited"
)
STAFF = (
    "This person works for a council. Evidence packs go only to external auditors this council "
    "has invited"
)
OTHER_COUNCIL = (
    "This person is an external auditor for another council. Evidence packs go only to external "
    "auditors this council has invited"
)
NOT_ACCEPTED = (
    "This person has not accepted their invitation yet. Share the pack once they have set "
    "their password"
)
CLOSED = "This external auditor's account has been closed"
OTHER_ACCOUNT = (
    "This email address has an account here that is not an external auditor's. Ask the person "
    "for another email address and invite them as an external auditor"
)
# Inviting, the same reasons in the words of an invitation.
INVITE_PARENT = (
    "This is a parent carer account. Ask the person for a work email address to invite as an "
    "external auditor"
)
INVITE_STAFF = (
    "This person works for a council. Council staff cannot be external auditors: ask for the "
    "email address of the auditor outside the council"
)
INVITE_OTHER_COUNCIL = (
    "This person is an external auditor for another council. Ask them for another email "
    "address to use with this council"
)
ALREADY = "This person is already an external auditor for this council: share packs with them"
NOT_SENT = "The invitation email could not be sent, so no one was invited. Try again later"
RACED = "This person has just been invited. Check the list of external auditors"

# What a link says when it can no longer be used; it offers nothing else.
LINK_STATES = {
    InvitationState.ACCEPTED: "This link has already been used. If you set your password with "
    "it, sign in with your email address and that password.",
    InvitationState.EXPIRED: "This link has expired. Ask the council that invited you to send a "
    "new invitation.",
    InvitationState.WITHDRAWN: "This link has been replaced by a newer invitation. Use the link "
    "in the latest email from the council, or ask it to invite you again.",
}


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _clean_email(email: str) -> str:
    return (email or "").strip().lower()


def _accounts(email: str) -> list[User]:
    """Every account the address could name: its email or its username, in any case."""
    return list(
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .select_related("external_auditor")
        .order_by("pk")
    )


def _kind(user: User) -> str:
    """What kind of account this is: "parent", "staff", "external" or "other"."""
    if ParentAccount.objects.filter(user=user).exists():
        return "parent"
    if user.is_staff or user.is_superuser or user.memberships.exists():
        return "staff"
    if getattr(user, "external_auditor", None) is not None:
        return "external"
    return "other"


def _recipient_refusal(user: User, council) -> str | None:
    kind = _kind(user)
    if kind == "parent":
        return PARENT
    if kind == "staff":
        return STAFF
    if kind == "other":
        return OTHER_ACCOUNT
    auditor = user.external_auditor
    if auditor.council_id != council.pk:
        return OTHER_COUNCIL
    if auditor.activated_at is None:
        return NOT_ACCEPTED
    if not user.is_active:
        return CLOSED
    return None


def pack_recipient(*, council, email: str) -> User:
    """The invited external auditor of `council`, who has set their password, that `email`
    names; otherwise a ValidationError on `email` that says why this person may not have it."""
    email = _clean_email(email)
    if not email:
        raise ValidationError(
            {"email": "Enter the email address of the person to share the pack with"}
        )
    # Who an address is, is a question about every council: a parent carer of any council, staff
    # of any council or another council's auditor must all be refused. Only the accounts the
    # address names are read.
    with rls.all_councils():
        accounts = _accounts(email)
        if not accounts:
            raise ValidationError({"email": NOT_INVITED})
        # An address may name two accounts (one's email, another's username): this council's
        # external auditor first, if one of them is.
        accounts.sort(
            key=lambda u: (
                getattr(getattr(u, "external_auditor", None), "council_id", None) != council.pk
            )
        )
        refusal = _recipient_refusal(accounts[0], council)
    if refusal:
        raise ValidationError({"email": refusal})
    return accounts[0]


def is_external_auditor(user, council=None) -> bool:
    """An activated external auditor (of `council`, when given) and nothing else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    auditor = getattr(user, "external_auditor", None)
    if auditor is None or auditor.activated_at is None:
        return False
    if council is not None and auditor.council_id != council.pk:
        return False
    return _kind(user) == "external"


def _invite_errors(*, email, first_name, last_name, organisation) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not first_name:
        errors["first_name"] = "Enter their first name"
    elif len(first_name) > 150:
        errors["first_name"] = "First name must be 150 characters or fewer"
    if not last_name:
        errors["last_name"] = "Enter their last name"
    elif len(last_name) > 150:
        errors["last_name"] = "Last name must be 150 characters or fewer"
    if len(organisation) > 200:
        errors["organisation"] = "Organisation must be 200 characters or fewer"
    if not email:
        errors["email"] = "Enter their email address"
    elif len(email) > EMAIL_LENGTH:
        errors["email"] = f"The email address must be {EMAIL_LENGTH} characters or fewer"
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    return errors


def _invitee(*, actor, email, first_name, last_name, organisation) -> ExternalAuditor:
    """The council's external auditor for this address, made now if the address is free; a
    ValidationError on `email` if it belongs to anyone else."""
    council = actor.active_council
    # As in pack_recipient: who the address is, across every council.
    with rls.all_councils():
        accounts = _accounts(email)
        kind = _kind(accounts[0]) if len(accounts) == 1 else None
    if len(accounts) > 1:
        raise ValidationError({"email": OTHER_ACCOUNT})
    if accounts:
        user = accounts[0]
        if kind == "parent":
            raise ValidationError({"email": INVITE_PARENT})
        if kind == "staff":
            raise ValidationError({"email": INVITE_STAFF})
        if kind == "other":
            raise ValidationError({"email": OTHER_ACCOUNT})
        auditor = user.external_auditor
        if auditor.council_id != council.pk:
            raise ValidationError({"email": INVITE_OTHER_COUNCIL})
        if auditor.activated_at is not None:
            raise ValidationError({"email": ALREADY})
        # Invited before and not yet accepted: this invitation replaces the last.
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        auditor.organisation = organisation
        auditor.save(update_fields=["organisation"])
        return auditor
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_active=False,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address invited twice at once
        raise ValidationError({"email": RACED}) from None
    return ExternalAuditor.objects.create(
        council=council, user=user, organisation=organisation, invited_by=actor
    )


def _link(token: str, request) -> str:
    path = reverse("packs:invitation", args=[token])
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(*, invitation: ExternalAuditorInvitation, actor, token: str, request) -> None:
    council = invitation.council
    inviter = actor.get_full_name() or actor.get_username()
    expires = timezone.localtime(invitation.expires_at)
    send_mail(
        subject=f"{council.name}: you are invited to see evidence packs as an external auditor",
        message=(
            f"{inviter} of {council.name} has invited you to see the evidence packs the council "
            "shares with you as its external auditor.\n\n"
            f"To accept, follow this link and set your own password:\n{_link(token, request)}\n\n"
            f"The link works once, until {expires:%-d %B %Y at %H:%M}. Then sign in with this "
            "email address and your password.\n\n"
            "If you did not expect this email, ignore it: no account can be used until the "
            "link is followed."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def external_auditor_invite(
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    organisation: str = "",
    request=None,
) -> ExternalAuditorInvitation:
    """Invite a person outside the council to be its external auditor: make (or find) their
    switched-off account, withdraw any earlier invitation to them, and email a one-time link."""
    require_perm(actor, INVITE)
    email = _clean_email(email)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    organisation = (organisation or "").strip()
    errors = _invite_errors(
        email=email, first_name=first_name, last_name=last_name, organisation=organisation
    )
    if errors:
        raise ValidationError(errors)
    auditor = _invitee(
        actor=actor,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
    )
    now = timezone.now()
    ExternalAuditorInvitation.objects.filter(
        auditor=auditor, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = ExternalAuditorInvitation.objects.create(
                council=auditor.council,
                auditor=auditor,
                email=email,
                token_hash=token_hash(token),
                expires_at=now + INVITATION_LIFETIME,
                invited_by=actor,
            )
    except IntegrityError:  # a second invitation to the same person at the same moment
        raise ValidationError({"email": RACED}) from None
    access_log_record(actor=actor, action="create", obj=invitation, request=request)
    try:
        _send(invitation=invitation, actor=actor, token=token, request=request)
    except (OSError, smtplib.SMTPException):
        logger.exception("Invitation %s not sent; nothing was saved", invitation.pk)
        raise ValidationError(NOT_SENT) from None
    return invitation


@transaction.atomic
def external_auditor_invitation_accept(
    *, invitation: ExternalAuditorInvitation, password: str, request=None
) -> User:
    """The invited person sets their own password (Django's password validators), and their
    account is switched on as an external auditor of the council. The link is then used up."""
    invitation = (
        ExternalAuditorInvitation.objects.select_for_update()
        .select_related("auditor__user", "council")
        .get(pk=invitation.pk)
    )
    now = timezone.now()
    state = invitation.state(now)
    if state != InvitationState.OPEN:
        raise TransitionNotAllowed(LINK_STATES[state])
    auditor, user = invitation.auditor, invitation.auditor.user
    if _kind(user) != "external" or auditor.activated_at is not None:
        raise TransitionNotAllowed(LINK_STATES[InvitationState.WITHDRAWN])
    try:
        validate_password(password or "", user=user)
    except ValidationError as error:
        raise ValidationError({"password": list(error.messages)}) from None
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    auditor.activated_at = now
    auditor.save(update_fields=["activated_at"])
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    access_log_record(
        actor=user, action="change", obj=invitation, request=request, council=invitation.council
    )
    return user
