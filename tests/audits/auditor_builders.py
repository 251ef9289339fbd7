"""External auditors for the evidence pack tests, made as in life: an auditor invites the address
(the email goes to Django's test outbox), and the person follows the link and sets a password."""

from __future__ import annotations

import re

from django.core import mail

from audits.auditors import services as auditor_services
from audits.models import ExternalAuditorInvitation
from tests.factories import PASSWORD

LINK = re.compile(r"https?://[^\s]+/audits/packs/external-auditors/join/([A-Za-z0-9_-]+)/")


def token_in(message) -> str:
    """The one-time token in an invitation email's link."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


class _Request:
    """Enough of a request for the link's address (the services build it from the request)."""

    META = {"REMOTE_ADDR": "127.0.0.1"}

    def build_absolute_uri(self, path: str) -> str:
        return f"http://testserver{path}"

    def get_full_path(self) -> str:
        return "/audits/packs/external-auditors/invite/"


def invite(
    by, email: str, *, first_name="Ada", last_name="Lovelace", organisation="Audit Partners LLP"
) -> tuple[ExternalAuditorInvitation, str]:
    """Invite `email` as an external auditor of `by`'s council: the invitation and its token."""
    invitation = auditor_services.external_auditor_invite(
        actor=by,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        request=_Request(),
    )
    return invitation, token_in(mail.outbox[-1])


def external_auditor(by, email: str = "external.auditor@audit.example"):
    """An external auditor of `by`'s council who accepted, with the tests' usual password."""
    invitation, _ = invite(by, email)
    return auditor_services.external_auditor_invitation_accept(
        invitation=invitation, password=PASSWORD
    )
