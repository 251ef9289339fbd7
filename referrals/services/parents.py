"""Parent carer accounts: signing up, confirming, and applying online for a grant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals import events
from referrals.models import (
    Carer,
    Child,
    Disability,
    GrantApplication,
    GrantScheme,
    GrantStatus,
    ParentAccount,
)
from referrals.services.children import _clean_child_fields
from referrals.services.grants import _grant_application_insert
from shortbreaks import rls
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed

# What the parent's online self-assessment asks, under the question's own words in the answers.
SELF_ASSESSMENT_QUESTIONS: dict[str, str] = {
    "relationship": "What is your relationship to the child?",
    "breaks_would_let_you": "What would breaks from caring let you do?",
    "others_cared_for": "Who else do you care for?",
    "use_of_grant": "What would you use the grant for?",
}
SELF_ASSESSMENT_OPTIONAL = ("others_cared_for",)
PARENT_CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode", "disabilities")
EMAIL_IN_USE = (
    "An account cannot be made with this email address. If you already have an account, sign in."
)


def _email(value: str) -> str:
    return (value or "").strip().lower()


def _require_parent(actor) -> ParentAccount:
    from django.core.exceptions import PermissionDenied

    from referrals.selectors.parents import parent_account

    account = parent_account(actor=actor)
    if account is None or not actor.is_active:
        raise PermissionDenied
    return account


def _parent_details(*, email: str, password: str, first_name: str, last_name: str):
    """The sign-up answers checked on their own (never against who else has the address): the
    normalised email, an unsaved user holding them, and the field messages."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.validators import validate_email

    email = _email(email)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = ["Enter your first name."]
    if not last_name:
        errors["last_name"] = ["Enter your last name."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter an email address in the correct format, like name@example.com."]
    user = get_user_model()(
        username=email, email=email, first_name=first_name, last_name=last_name, is_active=False
    )
    try:
        validate_password(password or "", user=user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    return email, user, errors


def _users_with_address(email: str, *, lock: bool = False):
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    return list((users.select_for_update() if lock else users).order_by("pk"))


def _unconfirmed_account(user) -> ParentAccount | None:
    """The user's parent account if it is still waiting for its link (never a closed one)."""
    if user.is_active:
        return None
    return ParentAccount.objects.filter(user=user, confirmed_at__isnull=True).first()


def _save_new_parent(*, council, user) -> ParentAccount | None:
    """Insert the user and their unconfirmed account; None if the address was taken at the same
    moment by another sign-up (the unique username), which then owns it."""
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            user.save()
            return ParentAccount.objects.create(council=council, user=user)
    except IntegrityError:
        return None


@transaction.atomic
def parent_account_create(
    *, council, email: str, password: str, first_name: str, last_name: str
) -> ParentAccount:
    """A parent carer account for one council's pages, unconfirmed: it cannot sign in until
    `parent_account_confirm`. The account holds no staff membership and no active council, so no
    staff page or API lets it in. An email address already in use is refused without saying
    whose account it is. (The sign-up page uses `parent_account_sign_up`, which says nothing.)"""
    email, user, errors = _parent_details(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if "email" not in errors and _users_with_address(email):
        errors["email"] = [EMAIL_IN_USE]
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    account = _save_new_parent(council=council, user=user)
    if account is None:
        raise ValidationError({"email": [EMAIL_IN_USE]})
    return account


@dataclass(frozen=True)
class ParentSignUp:
    """What a sign-up did: made (or renewed) an unconfirmed account, whose address is sent the
    link; or found the address already in use by `existing`, who is told someone tried. Whoever
    signed up is answered the same either way."""

    account: ParentAccount | None = None
    existing: object | None = None


@transaction.atomic
def parent_account_sign_up(
    *, council, email: str, password: str, first_name: str, last_name: str
) -> ParentSignUp:
    """A parent carer signs up. Answers that are wrong in themselves (a name missing, an email
    address in the wrong format, a weak password) are refused as field messages; whether the
    address is in use is never one of them:
    - a new address gets an unconfirmed account;
    - an address whose account is still unconfirmed has it renewed with these answers (name,
      password, council), so a stranger who got there first holds nothing: the link goes to the
      address, and following it needs the password given last;
    - an address in use otherwise (a confirmed or closed parent account, staff) changes nothing.
    The password is hashed in every case, so the answer takes as long whichever it was."""
    from django.contrib.auth.hashers import make_password

    email, user, errors = _parent_details(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if errors:
        raise ValidationError(errors)
    hashed = make_password(password)
    # An address is one person's across every council: an unconfirmed account made on another
    # council's pages is found, and moved here, whichever council's pages these are.
    with rls.all_councils():
        return _parent_account_sign_up(council=council, user=user, email=email, hashed=hashed)


def _parent_account_sign_up(*, council, user, email: str, hashed: str) -> ParentSignUp:
    users = _users_with_address(email, lock=True)
    if not users:
        user.password = hashed
        return ParentSignUp(account=_save_new_parent(council=council, user=user))
    pending = _unconfirmed_account(users[0]) if len(users) == 1 else None
    if pending is None:
        existing = next((found for found in users if found.email), users[0])
        return ParentSignUp(existing=existing)
    renewed = users[0]
    renewed.first_name, renewed.last_name = user.first_name, user.last_name
    renewed.password = hashed
    renewed.save(update_fields=["first_name", "last_name", "password"])
    if pending.council_id != council.pk:
        pending.council = council
        pending.save(update_fields=["council"])
    pending.user = renewed
    return ParentSignUp(account=pending)


@transaction.atomic
def parent_account_confirm(*, account: ParentAccount) -> ParentAccount:
    """The link emailed to the account's address was followed, by someone who knew its password:
    the account may sign in from now on. Once only."""
    account = ParentAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.confirmed_at is not None:
        raise TransitionNotAllowed("This account is already confirmed. Sign in to use it.")
    account.confirmed_at = timezone.now()
    account.save(update_fields=["confirmed_at"])
    account.user.is_active = True
    account.user.save(update_fields=["is_active"])
    return account


def _self_assessment_answers(caring: dict, child: Child, *, new_child: bool) -> dict[str, str]:
    answers: dict[str, str] = {
        "Child's name": child.full_name,
        "Child's date of birth": f"{child.date_of_birth:%d/%m/%Y}",
    }
    if new_child:
        labels = dict(Disability.choices)
        answers["Child's postcode"] = child.postcode
        answers["Child's disabilities"] = ", ".join(
            f"{labels[code]} ({code})" for code in child.disabilities
        )
    for key, question in SELF_ASSESSMENT_QUESTIONS.items():
        answers[question] = (caring.get(key) or "").strip()
    return answers


@transaction.atomic
def grant_application_submit_online(
    *,
    actor,
    scheme: GrantScheme,
    caring: dict,
    child: Child | None = None,
    child_fields: dict | None = None,
    today: date | None = None,
) -> GrantApplication:
    """A parent carer applies online for their council's targeted grant.

    For a child already linked to their account, the application is that child's. With no linked
    child, the child is recorded (at no tier, with a council child id) from the parent's answers,
    with the parent as a carer linked to their account, so the application joins the staff
    waiting list like any other. It is received today, waiting for a decision, with every answer
    kept under its question's own words."""
    account = _require_parent(actor)
    today = today or timezone.localdate()
    if scheme.council_id != account.council_id:
        raise RecordNotFound(object_type=scheme._meta.label_lower, object_id=scheme.pk)
    if child is not None and (
        child.council_id != account.council_id
        or not Carer.objects.filter(child=child, account=actor).exists()
    ):
        raise RecordNotFound(object_type=child._meta.label_lower, object_id=child.pk)
    caring = dict(caring or {})
    errors: dict[str, str] = {}
    unknown = set(caring) - set(SELF_ASSESSMENT_QUESTIONS)
    if unknown:
        raise TypeError(f"Unexpected answers: {', '.join(sorted(unknown))}")
    for key in SELF_ASSESSMENT_QUESTIONS:
        if key not in SELF_ASSESSMENT_OPTIONAL and not (caring.get(key) or "").strip():
            errors[key] = "Answer this question."
    new_child = child is None
    if new_child:
        fields = dict(child_fields or {})
        if set(fields) - set(PARENT_CHILD_FIELDS):
            raise TypeError("Unexpected child fields.")
        try:
            cleaned = _clean_child_fields(fields)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            cleaned = {}
        for name, message in (
            ("first_name", "Enter the child's first name."),
            ("last_name", "Enter the child's last name."),
            ("postcode", "Enter the child's postcode."),
        ):
            if name not in errors and not cleaned.get(name):
                errors[name] = message
        born = fields.get("date_of_birth")
        if born is None:
            errors["date_of_birth"] = "Enter the child's date of birth."
        elif born > today:
            errors["date_of_birth"] = "The date of birth must be in the past."
        elif born < today - relativedelta(years=25):
            errors["date_of_birth"] = "The child must be under 25."
    if errors:
        raise ValidationError(errors)
    if new_child:
        child = Child(council_id=account.council_id, **cleaned)
        child.full_clean(exclude=["council_child_id"])
        child.save()
        child.council_child_id = f"CH{child.pk:07d}"
        child.save(update_fields=["council_child_id"])
        carer = Carer.objects.create(
            council_id=account.council_id,
            child=child,
            name=actor.get_full_name() or actor.email,
            relationship=caring["relationship"].strip()[:100],
            contact=actor.email,
            own_needs=(caring.get("breaks_would_let_you") or "").strip(),
            account=actor,
        )
        events.carer_applied_online(carer, email=actor.email, on=today, actor=actor)
    application = GrantApplication(
        council_id=account.council_id,
        child=child,
        scheme=scheme,
        received_on=today,
        status=GrantStatus.RECEIVED,
        answers=_self_assessment_answers(caring, child, new_child=new_child),
    )
    _grant_application_insert(application, parent=True)
    return application
