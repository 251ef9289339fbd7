"""Writes to the short breaks services statement and carers' feedback on it.

A council keeps one line of versions: draft -> consultation -> published -> superseded. At most one
version is open (a draft or out for consultation) at a time, and at most one is published.
Every change makes a step declared on `StatementVersion` through `shortbreaks.states.step`
(refusing with the declared reason, `TransitionNotAllowed`) and writes a `StatementEvent`.
Publishing is refused with every reason the compliance check gives
(`StatementNotCompliant`, a 409 in the API), freezes the generated parts, supersedes the version
published before and queues the PDF once the transaction commits.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from providers.models import Regulation4Category
from shortbreaks.councils.models import Council
from shortbreaks.documents.jobs import job_create
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step
from statements import events, notify
from statements.body import body_queue
from statements.checks import compliance_problems
from statements.content import LIVE_KEYS, build_content
from statements.models import (
    MANAGE,
    OPEN_STATUSES,
    PUBLISH,
    CarerFeedback,
    StatementStatus,
    StatementVersion,
)

# What `statement_update` may change, with the longest text each takes.
TEXT_FIELDS = {
    "title": 200,
    "lead_officer_name": 200,
    "lead_officer_contact": 300,
    "introduction": 20000,
    "universal_eligibility": 20000,
    "targeted_eligibility": 20000,
    "specialist_eligibility": 20000,
    "meeting_needs": 20000,
    "how_to_apply": 20000,
    "views_and_complaints": 20000,
    "changes_since_last": 20000,
    "views_summary": 20000,
}
UPDATABLE_FIELDS = frozenset({*TEXT_FIELDS, "category_explanations", "review_on"})

# Written sections a new draft copies from the version before it. The summary of views and the
# changes since the last version are about that version, so each new draft writes its own.
COPIED_FIELDS = (
    "title",
    "lead_officer_name",
    "lead_officer_contact",
    "introduction",
    "universal_eligibility",
    "targeted_eligibility",
    "specialist_eligibility",
    "meeting_needs",
    "how_to_apply",
    "views_and_complaints",
    "category_explanations",
)

FEEDBACK_MAX = {"name": 200, "relationship": 100, "views": 10000}


class StatementNotCompliant(TransitionNotAllowed):
    """Publishing refused: the compliance check failed. `reasons` lists every failing check."""

    def __init__(self, reasons: list[str]):
        super().__init__("The statement cannot be published: " + " ".join(reasons))
        self.reasons = reasons


class ConsultationStillOpen(TransitionNotAllowed):
    """Publishing refused, unless confirmed: the version is out for consultation and carers may
    still give their views on it (Regulation 5(4): regard to carers' views)."""

    def __init__(self, version: StatementVersion):
        closes_on = version.consultation_closes_on
        until = f"until {closes_on:%-d %B %Y}" if closes_on else "with no closing date"
        super().__init__(
            f"The consultation on version {version.number} is open {until}: carers can still "
            "give their views. Confirm that you want to publish before it closes."
        )
        self.closes_on = closes_on


def _own(actor, version: StatementVersion) -> None:
    if version.council_id != getattr(actor.active_council, "pk", None):
        raise Http404("No such statement.")


@transaction.atomic
def statement_draft_create(*, actor, copy_from: StatementVersion | None = None) -> StatementVersion:
    """Start the council's next version, copying the written sections of the latest one."""
    require_perm(actor, MANAGE)
    council = actor.active_council
    # One draft start per council at a time: the same click twice at once (or a retry) waits
    # here and then finds the other's draft open. No key update: rows may still refer to it.
    Council.objects.select_for_update(no_key=True).get(pk=council.pk)
    versions = StatementVersion.objects.select_for_update().for_council(council)
    open_version = versions.filter(status__in=OPEN_STATUSES).first()
    if open_version is not None:
        raise TransitionNotAllowed(
            f"Version {open_version.number} is still "
            f"{open_version.get_status_display().lower()}: finish or publish it first."
        )
    if copy_from is not None:
        _own(actor, copy_from)
    else:
        copy_from = versions.order_by("-number").first()
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = StatementVersion(council=council, number=number, author=actor)
    if copy_from is not None:
        for name in COPIED_FIELDS:
            setattr(version, name, getattr(copy_from, name))
        version.category_explanations = dict(copy_from.category_explanations or {})
    version.save()
    events.draft_created(version, actor=actor, source=copy_from)
    return version


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This cannot be changed here."))
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors[name] = "Enter text."
                continue
            value = value.replace("\r\n", "\n").strip()
            if len(value) > TEXT_FIELDS[name]:
                errors[name] = f"Enter {TEXT_FIELDS[name]:,} characters or fewer."
                continue
            if name == "title" and not value:
                errors[name] = "Enter a title."
                continue
            cleaned[name] = value
        elif name == "category_explanations":
            if not isinstance(value, dict):
                errors[name] = "Give an explanation for each kind of short break by its name."
                continue
            bad = [k for k in value if k not in Regulation4Category.values]
            if bad:
                errors[name] = "Unknown kind of short break: " + ", ".join(map(str, sorted(bad)))
                continue
            if any(not isinstance(v, str) or len(v) > 5000 for v in value.values()):
                errors[name] = "Each explanation must be text of 5,000 characters or fewer."
                continue
            cleaned[name] = {k: v.strip() for k, v in value.items() if v.strip()}
        elif name == "review_on":
            if value is not None and not isinstance(value, date):
                errors[name] = "Enter a real date."
                continue
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def statement_update(*, actor, version: StatementVersion, **fields) -> StatementVersion:
    """Change the written sections of a draft or a version out for consultation."""
    require_perm(actor, MANAGE)
    _own(actor, version)
    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    step(version, "edit", actor)
    cleaned = _clean_fields(fields)
    changed = [name for name, value in cleaned.items() if getattr(version, name) != value]
    if not changed:
        return version
    for name in changed:
        setattr(version, name, cleaned[name])
    version.save(update_fields=[*changed, "updated_at"])
    events.changed(version, actor=actor, fields=changed)
    return version


@transaction.atomic
def statement_consultation_start(
    *, actor, version: StatementVersion, closes_on: date, today: date | None = None
) -> StatementVersion:
    """Put a draft out for consultation with carers until `closes_on`."""
    require_perm(actor, MANAGE)
    _own(actor, version)
    today = today or timezone.localdate()
    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    step(version, "start_consultation", actor)
    if not isinstance(closes_on, date):
        raise ValidationError({"closes_on": "Enter the date the consultation closes."})
    if closes_on <= today:
        raise ValidationError({"closes_on": "The closing date must be in the future."})
    version.consultation_closes_on = closes_on
    version.save(update_fields=["status", "consultation_closes_on", "updated_at"])
    events.consultation_started(version, actor=actor)
    notify.notify_consultation_opening(version)
    return version


@transaction.atomic
def statement_publish(
    *,
    actor,
    version: StatementVersion,
    today: date | None = None,
    confirm_open_consultation: bool = False,
) -> StatementVersion:
    """Publish an open version: check it, freeze it, supersede the last, queue the PDF.

    A version whose consultation is still open is published only when the person confirms it
    (`confirm_open_consultation`), and its history says it was published before it closed."""
    require_perm(actor, PUBLISH)
    _own(actor, version)
    today = today or timezone.localdate()
    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    consultation_open = version.consultation_open(today)
    # The content and its check are of the version as it stands, before the step moves it.
    content = build_content(version, today=today)
    step(version, "publish", actor)
    problems = compliance_problems(version, content=content)
    if problems:
        raise StatementNotCompliant(problems)
    if consultation_open and not confirm_open_consultation:
        raise ConsultationStillOpen(version)
    previous = (
        StatementVersion.objects.select_for_update()
        .for_council(version.council)
        .filter(status=StatementStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        step(previous, "supersede", actor)
        previous.superseded_on = today
        previous.save(update_fields=["status", "superseded_on", "updated_at"])
        events.superseded(previous, actor=actor, by=version)
    version.snapshot = {key: content[key] for key in LIVE_KEYS}
    version.published_on = today
    version.published_by = actor
    if version.review_on is None or version.review_on <= today:
        version.review_on = today + relativedelta(months=12)
    version.pdf_job = job_create(
        council=version.council,
        kind="statement",
        title=f"{version.title}, version {version.number} ({version.council.name})",
        download_name=f"short-breaks-statement-{version.council.slug}-v{version.number}.pdf",
        requested_by=actor,
    )
    version.save()
    if consultation_open:
        events.published_early(version, actor=actor)
    events.published(version, actor=actor)
    notify.notify_statement_published(version)
    body_queue(version)
    return version


@transaction.atomic
def statement_review_date_set(
    *, actor, version: StatementVersion, review_on: date, today: date | None = None
) -> StatementVersion:
    """Set when the council will next review the statement (any version not yet superseded)."""
    require_perm(actor, MANAGE)
    _own(actor, version)
    today = today or timezone.localdate()
    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    step(version, "set_review_date", actor)
    if not isinstance(review_on, date):
        raise ValidationError({"review_on": "Enter the review date."})
    if review_on <= today:
        raise ValidationError({"review_on": "The review date must be in the future."})
    if version.review_on == review_on:
        return version
    version.review_on = review_on
    version.save(update_fields=["review_on", "updated_at"])
    events.review_date_set(version, actor=actor)
    return version


@transaction.atomic
def feedback_submit(
    *,
    version: StatementVersion,
    name: str = "",
    email: str = "",
    relationship: str = "",
    views: str,
    wants_reply: bool = False,
    today: date | None = None,
) -> CarerFeedback:
    """A carer's views on a published statement or one out for consultation (no sign-in)."""
    today = today or timezone.localdate()
    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    step(version, "take_views", None)  # no sign-in: the step needs no permission
    if not version.consultation_open(today) and version.status == StatementStatus.CONSULTATION:
        raise TransitionNotAllowed(
            f"The consultation closed on {version.consultation_closes_on:%-d %B %Y}."
        )
    values = {
        "name": (name or "").strip(),
        "email": (email or "").strip(),
        "relationship": (relationship or "").strip(),
        "views": (views or "").replace("\r\n", "\n").strip(),
    }
    errors: dict[str, str] = {}
    if not values["views"]:
        errors["views"] = "Enter your views on the statement."
    for field, limit in FEEDBACK_MAX.items():
        if field not in errors and len(values[field]) > limit:
            errors[field] = f"Enter {limit:,} characters or fewer."
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com."
    elif wants_reply:
        errors["email"] = "Enter your email address so that the council can reply."
    if errors:
        raise ValidationError(errors)
    feedback = CarerFeedback.objects.create(
        council=version.council, version=version, wants_reply=bool(wants_reply), **values
    )
    events.views_received(version)
    return feedback
