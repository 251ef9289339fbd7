"""Every change to outcome surveys: keyword-only, with an `actor` (None for a family answering
through an emailed link, where the link is the authority).

A link's token is signed (Django's signing, salted for this use) and names the invitation and a
random secret, of which only the SHA-256 is kept; it works until the survey closes and only
once: answering clears the hash.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from outcomes.models import (
    BUILT_IN,
    Answer,
    Channel,
    Invitation,
    Question,
    QuestionKind,
    Respondent,
    Response,
    Survey,
    SurveyStatus,
    TimeUse,
)
from referrals.models import Carer, Child, PackageLine, PackageStatus
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.notifications.models import NotificationKind
from shortbreaks.notifications.services import notification_send
from shortbreaks.permissions import require_perm
from shortbreaks.states import step

logger = logging.getLogger(__name__)

MANAGE = "outcomes.manage_survey"
RECORD = "outcomes.record_response"
TOKEN_SALT = "outcomes.invitation"  # noqa: S105 - a signing salt, not a secret
TEXT_LIMIT = 5000

BUILT_IN_QUESTIONS = {
    QuestionKind.REGULATION_3: (
        "Did your child's short breaks give you time to do any of these?",
        "",
    ),
    QuestionKind.SATISFACTION: (
        "How satisfied are you with each service your child used?",
        "How did you feel at each of these?",
    ),
    QuestionKind.IMPROVEMENT: (
        "What would make your short breaks better?",
        "What would make it better?",
    ),
}


class LinkRefused(Exception):
    """A survey link that is not (or no longer) good: the page says why, and nothing changes."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ----------------------------------------------------------------------------------------------
# Surveys and their questions


@transaction.atomic
def survey_create(
    *, actor, title: str, period_start: date, period_end: date, closes_on: date
) -> Survey:
    """A draft survey for a period, with the built-in questions."""
    require_perm(actor, MANAGE)
    errors = {}
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after it starts"
    if closes_on < period_end:
        errors["closes_on"] = "The survey must close after the period it asks about"
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        council=actor.active_council,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        closes_on=closes_on,
        created_by=actor,
    )
    Question.objects.bulk_create(
        Question(
            council=survey.council,
            survey=survey,
            kind=kind,
            text=BUILT_IN_QUESTIONS[kind][0],
            easy_read_text=BUILT_IN_QUESTIONS[kind][1],
            position=index,
        )
        for index, kind in enumerate(BUILT_IN)
    )
    return survey


def question_add(*, actor, survey: Survey, kind: str, text: str) -> Question:
    """One of the council's own questions, asked after the built-in ones, while in draft."""
    require_perm(actor, MANAGE)
    step(survey, "add_question", actor)
    if kind not in (QuestionKind.SCALE, QuestionKind.TEXT):
        raise ValidationError({"kind": "Choose a 5-point scale or free text"})
    if not text.strip():
        raise ValidationError({"text": "Enter the question"})
    position = Question.objects.filter(survey=survey).count()
    return Question.objects.create(
        council=survey.council, survey=survey, kind=kind, text=text.strip(), position=position
    )


# ----------------------------------------------------------------------------------------------
# Sending: invitations, with a link for those without a parent account


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_token_make(invitation: Invitation) -> str:
    """A new link token for the invitation (replacing any earlier one once saved)."""
    secret = secrets.token_urlsafe(24)
    invitation.token_hash = _hash(secret)
    return signing.dumps({"i": invitation.pk, "s": secret}, salt=TOKEN_SALT, compress=True)


def _closing_moment(survey: Survey) -> datetime:
    return timezone.make_aware(datetime.combine(survey.closes_on, time.max))


def families_with_support(*, survey: Survey):
    """Children of the survey's council with a package active in the period."""
    return (
        Child.objects.filter(
            council=survey.council,
            packages__status=PackageStatus.ACTIVE,
            packages__start_on__lte=survey.period_end,
        )
        .filter(Q(packages__end_on__isnull=True) | Q(packages__end_on__gte=survey.period_start))
        .distinct()
        .order_by("id")
    )


@dataclass(frozen=True)
class Sent:
    invitations: int
    links_emailed: int


def _invite_by_email(*, to: str, survey: Survey, links: dict[str, str]) -> None:
    """The family's links, by email through the notifications (sent once the sending commits).
    The links are all it carries: no child's or carer's name."""
    notification_send(
        council=survey.council,
        kind=NotificationKind.SURVEY_INVITATION,
        emails=[to],
        params={
            "path": links.get(Respondent.PARENT, ""),
            "easy_read_link": links.get(Respondent.CHILD, ""),
            "closes_on": f"{survey.closes_on:%-d %B %Y}",
        },
    )


def invitation_link(*, invitation: Invitation, token: str) -> str:
    path = reverse("outcomes:answer", args=[invitation.council.slug, token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@transaction.atomic
def survey_send(*, actor, survey: Survey, email_links: bool = True) -> Sent:
    """Open the survey and invite each family with support running in the period: the parent
    carer and the child (easy read). A carer with a parent account answers there; otherwise the
    links are emailed to the carer's address, when their contact holds one. Sending again invites
    only families not yet invited. `email_links=False` makes the invitations without emailing
    (the demo, whose families are made up)."""
    require_perm(actor, MANAGE)
    survey = Survey.objects.select_for_update().select_related("council").get(pk=survey.pk)
    step(survey, "send", actor)  # refused once closed, or past its closing date
    invited = set(Invitation.objects.filter(survey=survey).values_list("child_id", "respondent"))
    carers: dict[int, Carer] = {}
    for carer in Carer.objects.filter(council=survey.council).order_by("account_id", "id"):
        # A carer with a parent account first (NULLs sort last), then the first recorded.
        carers.setdefault(carer.child_id, carer)
    count = emailed = 0
    for child in families_with_support(survey=survey):
        carer = carers.get(child.pk)
        links: dict[str, str] = {}
        for respondent in (Respondent.PARENT, Respondent.CHILD):
            if (child.pk, respondent) in invited:
                continue
            invitation = Invitation.objects.create(
                council=survey.council,
                survey=survey,
                child=child,
                carer=carer,
                respondent=respondent,
                expires_at=_closing_moment(survey),
            )
            token = invitation_token_make(invitation)
            invitation.save(update_fields=["token_hash"])
            count += 1
            links[respondent] = invitation_link(invitation=invitation, token=token)
        address = _email_in(carer.contact) if carer and not carer.account_id else ""
        if links and address and email_links:
            _invite_by_email(to=address, survey=survey, links=links)
            emailed += 1
    survey.sent_at = survey.sent_at or timezone.now()
    survey.save(update_fields=["status", "sent_at"])
    return Sent(invitations=count, links_emailed=emailed)


def _email_in(contact: str) -> str:
    for word in (contact or "").replace(",", " ").replace(";", " ").split():
        if "@" in word and "." in word.split("@")[-1]:
            return word.strip("<>()")
    return ""


def survey_close(*, actor, survey: Survey) -> Survey:
    require_perm(actor, MANAGE)
    step(survey, "close", actor)
    survey.save(update_fields=["status"])
    return survey


# ----------------------------------------------------------------------------------------------
# Links


def invitation_for_token(*, council, token: str) -> Invitation:
    """The invitation a link names, if the link is good: signed by us, for this council, its
    secret matching, not answered yet and not expired. LinkRefused otherwise, saying why."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        invitation_id, secret = int(data["i"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("This link is not right. Check you copied all of it.") from None
    invitation = (
        Invitation.objects.filter(council=council, pk=invitation_id)
        .select_related("survey", "child", "council")
        .first()
    )
    if invitation is None:
        raise LinkRefused("This link is not right. Check you copied all of it.")
    if invitation.answered_at is not None or not invitation.token_hash:
        raise LinkRefused("This link has been used. Each link works once.")
    if not secrets.compare_digest(invitation.token_hash, _hash(secret)):
        raise LinkRefused("This link is not right. Check you copied all of it.")
    if invitation.expires_at < timezone.now() or invitation.survey.status != SurveyStatus.OPEN:
        raise LinkRefused("This survey has closed, so the link no longer works.")
    return invitation


# ----------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True)
class ServiceUsed:
    service_id: int
    title: str
    provider_id: int
    provider: str
    lot_id: int | None


def services_used(*, child_id: int, survey: Survey) -> list[ServiceUsed]:
    """The services in the child's packages that ran in the survey's period, one each."""
    lines = (
        PackageLine.objects.filter(
            council=survey.council,
            package__child_id=child_id,
            package__status__in=[PackageStatus.ACTIVE, PackageStatus.CEASED],
            start_on__lte=survey.period_end,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=survey.period_start))
        .select_related("service", "provider")
        .order_by("service__title", "id")
    )
    found: dict[int, ServiceUsed] = {}
    for line in lines:
        found.setdefault(
            line.service_id,
            ServiceUsed(
                line.service_id,
                line.service.title,
                line.provider_id,
                line.provider.name,
                line.lot_id,
            ),
        )
    return list(found.values())


def _clean_answers(
    invitation: Invitation, questions: list[Question], used: list[ServiceUsed], answers: dict
) -> list[Answer]:
    """Answers (`{question_id: value}`; a satisfaction question's value is `{service_id:
    rating}`) as rows, checked: ratings 1 to 5, Regulation 3 choices from the list, text at most
    TEXT_LIMIT characters. Unanswered questions are left out; at least one must be answered."""
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    services = {s.service_id: s for s in used}
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, "", [], {}):
            continue
        base = {"council": invitation.council, "question": question}
        if question.kind == QuestionKind.SATISFACTION:
            for service_id, rating in dict(value).items():
                if rating in (None, ""):
                    continue
                service = services.get(int(service_id))
                if service is None or str(rating) not in {"1", "2", "3", "4", "5"}:
                    errors[f"q{question.pk}"] = "Choose an answer from the list"
                    continue
                rows.append(
                    Answer(
                        **base,
                        service_id=service.service_id,
                        provider_id=service.provider_id,
                        lot_id=service.lot_id,
                        rating=int(rating),
                    )
                )
        elif question.kind == QuestionKind.REGULATION_3:
            chosen = [str(v) for v in value]
            if not set(chosen) <= set(TimeUse.values):
                errors[f"q{question.pk}"] = "Choose from the list"
                continue
            rows.append(Answer(**base, choices=chosen))
        elif question.kind == QuestionKind.SCALE:
            if str(value) not in {"1", "2", "3", "4", "5"}:
                errors[f"q{question.pk}"] = "Choose an answer from the list"
                continue
            rows.append(Answer(**base, rating=int(value)))
        else:
            text = str(value).strip()
            if len(text) > TEXT_LIMIT:
                errors[f"q{question.pk}"] = f"Answer in {TEXT_LIMIT:,} characters or fewer"
                continue
            if text:
                rows.append(Answer(**base, text=text))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("Answer at least one question")
    return rows


def questions_for(*, invitation: Invitation) -> list[Question]:
    """The questions this respondent is asked: the child only those with easy-read words."""
    questions = Question.objects.filter(survey_id=invitation.survey_id).order_by("position", "id")
    if invitation.respondent == Respondent.CHILD:
        questions = questions.exclude(easy_read_text="")
    return list(questions)


@transaction.atomic
def response_submit(*, actor, invitation: Invitation, channel: str, answers: dict) -> Response:
    """Answer an invitation, once. `actor` is the parent account or the social worker; None for
    a link, which the caller has checked with `invitation_for_token`."""
    if channel == Channel.STAFF:
        require_perm(actor, RECORD)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey", "council")
        .get(pk=invitation.pk)
    )
    if invitation.answered_at is not None:
        raise TransitionNotAllowed("This survey has already been answered")
    step(invitation.survey, "take_answers", actor)
    if channel != Channel.STAFF and invitation.expires_at < timezone.now():
        raise TransitionNotAllowed("This survey has closed")
    used = services_used(child_id=invitation.child_id, survey=invitation.survey)
    rows = _clean_answers(invitation, questions_for(invitation=invitation), used, answers)
    response = Response.objects.create(
        council=invitation.council,
        survey=invitation.survey,
        invitation=invitation,
        child_id=invitation.child_id,
        respondent=invitation.respondent,
        channel=channel,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    invitation.answered_at = timezone.now()
    invitation.token_hash = ""
    invitation.save(update_fields=["answered_at", "token_hash"])
    return response
