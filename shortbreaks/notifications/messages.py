"""What each kind of notification says: a subject and a body, from the notification's params.

A message says what happened, gives the record's reference and a link, and nothing more: no
child's or carer's name, no NHS number, no address. The person signs in to read the rest. The
same text goes by GOV.UK Notify (as the generic template's `subject` and `body`, with every
param beside them for a template of its own) or by Django's email backend.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from shortbreaks.notifications.models import NotificationKind

SIGN_OFF = "\n\nSign in to read more. Please do not reply to this email."

MESSAGES = {
    NotificationKind.ASSESSMENT_TO_AUTHORISE: (
        "{council}: assessment {reference} is waiting to be authorised",
        "Assessment {reference} has been completed and is waiting for a team manager to "
        "authorise it.\n\n{link}",
    ),
    NotificationKind.PANEL_DECISION: (
        "{council}: the panel has decided on package {reference}",
        "The resource panel has recorded its decision on package {reference}: {decision}.\n\n"
        "{link}",
    ),
    NotificationKind.CONTRACT_ENDING: (
        "{reference} ends on {end_date}",
        "{title} ({reference}), {council}, ends on {end_date}: about {months} months from now."
        "\n\nIf it is to continue, start an extension or recommissioning now.\n\n{link}",
    ),
    NotificationKind.BROKERAGE_ANSWER: (
        "{council}: a provider has answered brokerage request {reference}",
        "A provider has answered brokerage request {reference}.\n\n{link}",
    ),
    NotificationKind.BROKERAGE_OUTCOME: (
        "{council}: the outcome of your answer to brokerage request {reference}",
        "{council} has decided on brokerage request {reference}. Your answer: {decision}."
        "\n\n{link}",
    ),
    NotificationKind.GRANT_DECISION: (
        "{council}: a decision on your short break grant application",
        "{council} has decided on your short break grant application {reference}.\n\n"
        "Sign in to your account to see the decision:\n{link}",
    ),
    NotificationKind.CONSULTATION_OPENING: (
        "{council}: tell us what you think of our short breaks",
        "{council} is consulting on its short breaks services statement until {closes_on}. "
        "Read the draft and give your views:\n{link}",
    ),
    NotificationKind.STATEMENT_PUBLISHED: (
        "{council}: our short breaks services statement has been published",
        "{council} has published version {reference} of its short breaks services statement:"
        "\n{link}",
    ),
    NotificationKind.BOOKING_CONFIRMED: (
        "{council}: your short break booking {reference} is confirmed",
        "Your short break booking {reference} is confirmed.\n\n"
        "Sign in to your account to see the details:\n{link}",
    ),
    NotificationKind.SURVEY_INVITATION: (
        "How were your short breaks? {council}",
        "{council} would like to know how your short breaks went.\n\n"
        "Your answers, as a parent carer:\n{link}\n\n"
        "An easy-read form to fill in with your child:\n{easy_read_link}\n\n"
        "Each link works once, until {closes_on}. You do not need to sign in.",
    ),
}


class _Blank(dict):
    """A param the caller did not give reads as empty, never as a KeyError in the worker."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    personalisation: dict[str, str]


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def message_for(*, kind: str, council_name: str, params: dict) -> Message:
    subject, body = MESSAGES[NotificationKind(kind)]
    values = _Blank({key: str(value) for key, value in params.items()})
    values["council"] = council_name
    values["link"] = absolute(params.get("path", "")) if params.get("path") else ""
    rendered_body = body.format_map(values) + SIGN_OFF
    rendered_subject = subject.format_map(values)
    return Message(
        subject=rendered_subject,
        body=rendered_body,
        personalisation={**values, "subject": rendered_subject, "body": rendered_body},
    )
