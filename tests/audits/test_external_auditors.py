"""Evidence packs go only to external auditors the council invited.

Refusals first: a pack shared with a self-registered parent carer account, another council's
parent carer, another council's social worker, the council's own staff, an address invited but
not yet accepted, or another council's external auditor is refused with the reason (400 in the
API, a form error on the page), and nothing is granted; a council administrator sees who has
access and removes it, but cannot share; a link that expired, was used or was replaced says so
and offers nothing. Then the journey: invite, accept with your own password, sign in, the
auditor shares, the external auditor downloads until the grant's last day and not after. Every
invitation, acceptance, grant and removal writes the access log; the token is kept only hashed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms
from rest_framework.test import APIClient

from audits.auditors import services as auditor_services
from audits.models import (
    EvidencePack,
    EvidencePackGrant,
    ExternalAuditor,
    ExternalAuditorInvitation,
)
from audits.packs import services as pack_services
from referrals.models import ParentAccount
from referrals.services import parents as parent_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils import services as council_services
from shortbreaks.councils.models import Role, User
from shortbreaks.documents import jobs
from shortbreaks.documents.models import JobStatus
from shortbreaks.documents.tasks import build_document
from tests.audits.auditor_builders import external_auditor, invite, token_in
from tests.clock import frozen_today  # noqa: F401
from tests.factories import PASSWORD

# Reads today's date: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

EXTERNAL = "external.auditor@audit.example"
PARENT_PASSWORD = "kettle-harbour-violet-29"


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


@pytest.fixture
def alpha(two_councils):
    people = two_councils["alpha"]["people"]
    return people[Role.AUDITOR], people[Role.COUNCIL_ADMIN]


def _pack(auditor, kind="contract_compliance") -> EvidencePack:
    from datetime import date

    with mock.patch.object(jobs, "job_queue"):
        return pack_services.evidence_pack_request(
            actor=auditor,
            kind=kind,
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            as_at=date(2025, 6, 30),
        )


def _built(auditor) -> EvidencePack:
    pack = _pack(auditor)
    assert build_document.delay(pack.job_id).get() == JobStatus.DONE
    pack.refresh_from_db()
    return pack


def _grant_form(email: str, days: int = 5) -> dict:
    last = timezone.localdate() + timedelta(days=days)
    return {
        "email": email,
        "expires_on_0": str(last.day),
        "expires_on_1": str(last.month),
        "expires_on_2": str(last.year),
    }


def _grant_json(email: str, days: int = 5) -> dict:
    return {"email": email, "expires_on": str(timezone.localdate() + timedelta(days=days))}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _parent(council, email: str) -> User:
    """A parent carer account made on the council's public pages, confirmed by its link."""
    account = parent_services.parent_account_create(
        council=council,
        email=email,
        password=PARENT_PASSWORD,
        first_name="Robin",
        last_name="Parent",
    )
    return parent_services.parent_account_confirm(account=account).user


def assert_refused_everywhere(client_for, auditor, pack, email: str, reason: str) -> None:
    """The page shows the reason on the form, the API answers 400 with it, nothing is granted."""
    page = client_for(auditor).post(reverse("packs:grant", args=[pack.pk]), _grant_form(email))
    body = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in body and reason in body
    api = _api(auditor).post(
        reverse("api-evidence-pack-grants", args=[pack.pk]), _grant_json(email), format="json"
    )
    assert api.status_code == 400
    assert any(reason in message for message in api.json()["email"])
    assert not EvidencePackGrant.objects.exists()


# --- who may not receive a pack ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_parent_account_made_on_the_public_sign_up_page_is_refused(
    two_councils, client_for, alpha, eager
):
    """The report: an auditor shared a referral records pack with an account they had just made
    on the parent sign-up page, and downloaded it there."""
    auditor, _ = alpha
    council = two_councils["alpha"]["council"]
    pack = _built(auditor)
    signed_up = Client().post(
        reverse("statements:account-sign-up", args=[council.slug]),
        {
            "first_name": "Sam",
            "last_name": "Squatter",
            "email": "made.up@example.org",
            "password": PARENT_PASSWORD,
            "password_again": PARENT_PASSWORD,
        },
    )
    assert signed_up.status_code in (200, 302)
    assert User.objects.filter(username="made.up@example.org").exists()
    assert_refused_everywhere(
        client_for, auditor, pack, "made.up@example.org", "parent carer account"
    )
    # Confirmed, it is still a parent carer account, and sees nothing.
    confirmed = _parent(council, "confirmed.parent@example.org")
    assert_refused_everywhere(
        client_for, auditor, pack, "confirmed.parent@example.org", "parent carer account"
    )
    theirs = client_for(confirmed)
    assert theirs.get(reverse("packs:detail", args=[pack.pk])).status_code == 404
    assert theirs.get(reverse("packs:download", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
def test_another_councils_parent_carer_is_refused(two_councils, client_for, alpha):
    auditor, _ = alpha
    _parent(two_councils["bravo"]["council"], "bravo.parent@example.org")
    pack = _pack(auditor, "referral_records")
    assert_refused_everywhere(client_for, auditor, pack, "bravo.parent@example.org", "parent carer")


@pytest.mark.django_db
def test_another_councils_social_worker_is_refused(two_councils, client_for, alpha):
    auditor, _ = alpha
    social_worker = two_councils["bravo"]["people"][Role.SOCIAL_WORKER]
    pack = _pack(auditor, "referral_records")
    assert_refused_everywhere(
        client_for, auditor, pack, social_worker.email, "This person works for a council"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COUNCIL_ADMIN, Role.AUDITOR])
def test_the_councils_own_staff_are_refused(two_councils, client_for, alpha, role):
    auditor, _ = alpha
    colleague = two_councils["alpha"]["people"][role]
    pack = _pack(auditor)
    assert_refused_everywhere(
        client_for, auditor, pack, colleague.email.upper(), "This person works for a council"
    )


@pytest.mark.django_db
def test_an_address_invited_but_not_yet_accepted_is_refused(two_councils, client_for, alpha):
    auditor, _ = alpha
    invite(auditor, EXTERNAL)
    pack = _pack(auditor)
    assert_refused_everywhere(
        client_for, auditor, pack, EXTERNAL, "has not accepted their invitation"
    )


@pytest.mark.django_db
def test_an_address_no_one_invited_is_refused(two_councils, client_for, alpha):
    auditor, _ = alpha
    pack = _pack(auditor)
    assert_refused_everywhere(
        client_for, auditor, pack, "nobody@nowhere.example", "Invite this person as an external"
    )


@pytest.mark.django_db
def test_an_external_auditor_invited_by_another_council_is_refused(two_councils, client_for, alpha):
    auditor, _ = alpha
    external_auditor(two_councils["bravo"]["people"][Role.AUDITOR], EXTERNAL)
    pack = _pack(auditor)
    assert_refused_everywhere(
        client_for, auditor, pack, EXTERNAL, "external auditor for another council"
    )


@pytest.mark.django_db
def test_an_external_auditor_who_later_gains_a_council_role_loses_the_pack(
    two_councils, client_for, alpha, eager
):
    """The second lock: a grant counts only while its holder is nothing but this council's
    external auditor."""
    auditor, _ = alpha
    external = external_auditor(auditor)
    pack = _built(auditor)
    pack_services.evidence_pack_grant(
        actor=auditor, pack=pack, email=EXTERNAL, expires_on=timezone.localdate()
    )
    theirs = client_for(external)
    assert theirs.get(reverse("packs:detail", args=[pack.pk])).status_code == 200
    council_services.membership_grant(
        user=external, council=two_councils["bravo"]["council"], role=Role.SOCIAL_WORKER
    )
    assert theirs.get(reverse("packs:detail", args=[pack.pk])).status_code == 404
    assert theirs.get(reverse("packs:download", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
def test_a_grant_made_before_to_someone_else_opens_nothing_and_can_be_removed(
    two_councils, client_for, alpha, eager
):
    """Grants made before this rule, to a parent carer or a council person, count for nothing
    now; the pack's page shows them as such, for an administrator to remove."""
    from guardian.shortcuts import assign_perm

    auditor, admin = alpha
    pack = _built(auditor)
    stranger = two_councils["bravo"]["people"][Role.SOCIAL_WORKER]
    old = EvidencePackGrant.objects.create(
        council=pack.council,
        pack=pack,
        user=stranger,
        expires_on=timezone.localdate(),
        granted_by=admin,
    )
    assign_perm(pack_services.OBJECT_PERM, stranger, pack)
    assert client_for(stranger).get(reverse("packs:detail", args=[pack.pk])).status_code == 404
    page = client_for(admin).get(reverse("packs:detail", args=[pack.pk])).content.decode()
    assert stranger.email in page and "Opens nothing" in page
    removed = client_for(admin).post(reverse("packs:grant-remove", args=[pack.pk, old.pk]))
    assert removed.status_code == 302 and not EvidencePackGrant.objects.exists()
    assert get_perms(stranger, pack) == []


# --- council administrators see and remove access, but do not share ---------------------------


@pytest.mark.django_db
def test_a_council_administrator_cannot_share_but_sees_and_removes_access(
    two_councils, client_for, alpha, eager
):
    auditor, admin = alpha
    external = external_auditor(auditor)
    pack = _built(auditor)
    client = client_for(admin)
    assert (
        client.post(reverse("packs:grant", args=[pack.pk]), _grant_form(EXTERNAL)).status_code
        == 403
    )
    api = _api(admin)
    grants_url = reverse("api-evidence-pack-grants", args=[pack.pk])
    assert api.post(grants_url, _grant_json(EXTERNAL), format="json").status_code == 403
    with pytest.raises(PermissionDenied):
        pack_services.evidence_pack_grant(
            actor=admin, pack=pack, email=EXTERNAL, expires_on=timezone.localdate()
        )
    assert not EvidencePackGrant.objects.exists()

    first = pack_services.evidence_pack_grant(
        actor=auditor, pack=pack, email=EXTERNAL, expires_on=timezone.localdate()
    )
    page = client.get(reverse("packs:detail", args=[pack.pk])).content.decode()
    assert "Who has access outside the council" in page and EXTERNAL in page
    assert "Audit Partners LLP" in page
    assert reverse("packs:grant-remove", args=[pack.pk, first.pk]) in page
    listed = api.get(grants_url)
    assert listed.status_code == 200
    assert [(row["id"], row["email"]) for row in listed.json()] == [(first.pk, EXTERNAL)]
    # Removed on the page...
    removed = client.post(reverse("packs:grant-remove", args=[pack.pk, first.pk]))
    assert removed.status_code == 302
    assert not EvidencePackGrant.objects.exists()
    assert get_perms(external, pack) == []
    assert client_for(external).get(reverse("packs:detail", args=[pack.pk])).status_code == 404
    # ...and in the API.
    second = pack_services.evidence_pack_grant(
        actor=auditor, pack=pack, email=EXTERNAL, expires_on=timezone.localdate()
    )
    deleted = api.delete(reverse("api-evidence-pack-grant", args=[pack.pk, second.pk]))
    assert deleted.status_code == 204
    assert not EvidencePackGrant.objects.exists()
    revokes = AccessLogEntry.objects.filter(
        user=admin, object_type="audits.evidencepackgrant", action="change"
    )
    assert sorted(revokes.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    # The list of external auditors is theirs to read, not to add to.
    assert client.get(reverse("packs:external-auditors")).status_code == 200
    assert client.get(reverse("packs:external-auditor-invite")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.AUDITOR}))
def test_only_auditors_invite_external_auditors(two_councils, client_for, role):
    person = two_councils["alpha"]["people"][role]
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": EXTERNAL}
    assert (
        client_for(person).post(reverse("packs:external-auditor-invite"), body).status_code == 403
    )
    api = _api(person).post(reverse("api-external-auditor-invitations"), body, format="json")
    assert api.status_code == 403
    assert not ExternalAuditor.objects.exists() and not User.objects.filter(email=EXTERNAL).exists()
    assert mail.outbox == []


# --- invitations that are refused ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_invitation_to_a_parent_a_council_person_or_another_councils_auditor_is_refused(
    two_councils, client_for, alpha
):
    auditor, _ = alpha
    _parent(two_councils["bravo"]["council"], "bravo.parent@example.org")
    external_auditor(two_councils["bravo"]["people"][Role.AUDITOR], "bravo.external@audit.example")
    mail.outbox.clear()
    cases = {
        "bravo.parent@example.org": "This is a parent carer account",
        two_councils["bravo"]["people"][Role.SOCIAL_WORKER].email: "works for a council",
        two_councils["alpha"]["people"][Role.COMMISSIONER].email: "works for a council",
        "bravo.external@audit.example": "external auditor for another council",
        "not-an-address": "Enter an email address in the correct format",
    }
    client = client_for(auditor)
    for email, reason in cases.items():
        body = {"first_name": "Ada", "last_name": "Lovelace", "email": email}
        page = client.post(reverse("packs:external-auditor-invite"), body)
        assert page.status_code == 200 and reason in page.content.decode(), email
        assert "govuk-error-summary" in page.content.decode()
        api = _api(auditor).post(reverse("api-external-auditor-invitations"), body, format="json")
        assert api.status_code == 400, email
    assert not ExternalAuditorInvitation.objects.filter(council=auditor.active_council).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_address_invited_cannot_be_taken_on_the_parent_sign_up_page(two_councils, alpha):
    """Anyone could register the address the council's external auditor will use, before the
    council shared with it. Now the address is held from the invitation on."""
    auditor, _ = alpha
    council = two_councils["alpha"]["council"]
    invitation, _ = invite(auditor, EXTERNAL)
    Client().post(
        reverse("statements:account-sign-up", args=[council.slug]),
        {
            "first_name": "Sam",
            "last_name": "Squatter",
            "email": EXTERNAL,
            "password": PARENT_PASSWORD,
            "password_again": PARENT_PASSWORD,
        },
    )
    user = User.objects.get(email__iexact=EXTERNAL)
    assert user == invitation.auditor.user
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert not ParentAccount.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_an_address_already_a_parent_account_cannot_be_invited_and_keeps_nothing(
    two_councils, client_for, alpha
):
    """The other way round: registered first, the address is refused an invitation, so the
    account that took it can never be an external auditor."""
    auditor, _ = alpha
    _parent(two_councils["alpha"]["council"], EXTERNAL)
    with pytest.raises(ValidationError) as refused:
        invite(auditor, EXTERNAL)
    assert "parent carer account" in refused.value.message_dict["email"][0]
    assert not ExternalAuditor.objects.exists()


# --- the link ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_link_says_so_and_offers_nothing(
    two_councils,
    alpha,
    frozen_today,  # noqa: F811
):
    auditor, _ = alpha
    invitation, token = invite(auditor, EXTERNAL)
    frozen_today.shift(auditor_services.INVITATION_LIFETIME + timedelta(minutes=1))
    client = Client()
    response = client.get(reverse("packs:invitation", args=[token]))
    body = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired" in body
    assert "<form" not in body.split('id="main-content"')[1] and 'type="password"' not in body
    # The page that sets the password has nothing to offer either.
    after = client.get(reverse("packs:invitation-accept"))
    assert after.status_code == 404 and "Create a password" not in after.content.decode()
    user = User.objects.get(pk=invitation.auditor.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert AccessLogEntry.objects.filter(
        object_type="audits.externalauditorinvitation",
        object_id=str(invitation.pk),
        outcome="refused",
    ).exists()


@pytest.mark.django_db
def test_a_link_that_expires_while_the_page_is_open_sets_nothing(
    two_councils,
    alpha,
    frozen_today,  # noqa: F811
):
    auditor, _ = alpha
    invitation, token = invite(auditor, EXTERNAL)
    frozen_today.shift(auditor_services.INVITATION_LIFETIME - timedelta(minutes=5))
    client = Client()
    assert client.get(reverse("packs:invitation", args=[token])).status_code == 302
    frozen_today.shift(timedelta(minutes=10))
    response = client.post(
        reverse("packs:invitation-accept"), {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert not User.objects.get(pk=invitation.auditor.user_id).is_active


@pytest.mark.django_db
def test_a_used_link_says_so_and_offers_nothing(two_councils, alpha):
    auditor, _ = alpha
    invitation, token = invite(auditor, EXTERNAL)
    first = Client()
    assert first.get(reverse("packs:invitation", args=[token])).status_code == 302
    accepted = first.post(
        reverse("packs:invitation-accept"), {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert accepted.status_code == 302
    again = Client().get(reverse("packs:invitation", args=[token]))
    body = again.content.decode()
    assert again.status_code == 410 and "This link has already been used" in body
    assert "Create a password" not in body and 'type="password"' not in body
    # A second submit from the first browser changes nothing either.
    before = User.objects.get(pk=invitation.auditor.user_id).password
    replay = first.post(
        reverse("packs:invitation-accept"),
        {"password": "another-long-passphrase", "password_again": "another-long-passphrase"},
    )
    assert replay.status_code == 404
    assert User.objects.get(pk=invitation.auditor.user_id).password == before


@pytest.mark.django_db
def test_a_replaced_or_made_up_link_opens_nothing(two_councils, alpha):
    auditor, _ = alpha
    _, old_token = invite(auditor, EXTERNAL)
    _, new_token = invite(auditor, EXTERNAL)
    assert old_token != new_token
    replaced = Client().get(reverse("packs:invitation", args=[old_token]))
    assert replaced.status_code == 410
    assert "replaced by a newer invitation" in replaced.content.decode()
    made_up = Client().get(reverse("packs:invitation", args=["x" * 43]))
    assert made_up.status_code == 404 and "This link is not valid" in made_up.content.decode()
    assert Client().get(reverse("packs:invitation", args=[new_token])).status_code == 302
    assert ExternalAuditor.objects.count() == 1


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_refused_and_activates_nothing(two_councils, alpha):
    auditor, _ = alpha
    invitation, token = invite(auditor, EXTERNAL)
    client = Client()
    client.get(reverse("packs:invitation", args=[token]))
    url = reverse("packs:invitation-accept")
    for data, message in (
        ({"password": "short", "password_again": "short"}, "This password is too short"),
        ({"password": "password1234", "password_again": "password1234"}, "too common"),
        ({"password": "lovelace1234", "password_again": "lovelace1234"}, "too similar"),
        ({"password": PASSWORD, "password_again": PASSWORD + "x"}, "The passwords do not match"),
        ({"password": "", "password_again": ""}, "Enter a password"),
    ):
        response = client.post(url, data)
        body = response.content.decode()
        assert response.status_code == 200, data
        assert "govuk-error-summary" in body and message in body, (data, message)
    user = User.objects.get(pk=invitation.auditor.user_id)
    assert not user.is_active and not user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_the_token_is_kept_only_as_its_hash(two_councils, alpha):
    auditor, _ = alpha
    invitation, token = invite(auditor, EXTERNAL)
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(
        ExternalAuditorInvitation.objects.filter(pk=invitation.pk).values().get()
    )
    client = Client()
    client.get(reverse("packs:invitation", args=[token]))
    client.post(
        reverse("packs:invitation-accept"), {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert not AccessLogEntry.objects.filter(path__contains=token).exists()


# --- the journey ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_accept_share_download_until_the_last_day(two_councils, client_for, alpha, eager):
    auditor, admin = alpha
    council = two_councils["alpha"]["council"]
    pack = _built(auditor)
    other = _built(auditor)
    staff = client_for(auditor)

    # The auditor invites the external auditor on the page; the link goes by email.
    form = staff.get(reverse("packs:external-auditor-invite"))
    assert form.status_code == 200 and "Invite an external auditor" in form.content.decode()
    sent = staff.post(
        reverse("packs:external-auditor-invite"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "Ada.Lovelace@Audit.example",
            "organisation": "Audit Partners LLP",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == reverse("packs:external-auditors")
    [message] = mail.outbox
    assert message.to == ["ada.lovelace@audit.example"] and council.name in message.subject
    token = token_in(message)
    invitation = ExternalAuditorInvitation.objects.get()
    listing = staff.get(reverse("packs:external-auditors")).content.decode()
    assert "ada.lovelace@audit.example" in listing and "Invited" in listing
    # Not yet accepted: sharing is refused with the reason.
    refused = staff.post(
        reverse("packs:grant", args=[pack.pk]), _grant_form("ada.lovelace@audit.example")
    )
    assert "has not accepted their invitation" in refused.content.decode()

    # The invitee follows the link, not signed in, and sets their own password.
    browser = Client()
    opened = browser.get(reverse("packs:invitation", args=[token]))
    assert opened.status_code == 302 and opened["Location"] == reverse("packs:invitation-accept")
    page = browser.get(opened["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Set your password" in body
    assert "ada.lovelace@audit.example" in body and token not in body
    done = browser.post(opened["Location"], {"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("sign-in")
    user = User.objects.get(username="ada.lovelace@audit.example")
    assert user.is_active and user.check_password(PASSWORD)
    assert not user.memberships.exists() and user.active_council is None
    assert user.external_auditor.council == council and user.external_auditor.activated_at
    assert AccessLogEntry.objects.filter(
        user=user,
        action="change",
        object_type="audits.externalauditorinvitation",
        object_id=str(invitation.pk),
        council=council,
    ).exists()

    # They sign in on the sign-in page and land on the packs shared with them: none yet.
    signed_in = browser.post(
        reverse("sign-in"), {"username": "ada.lovelace@audit.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    home = browser.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("packs:shared")
    shared = browser.get(home["Location"]).content.decode()
    assert "No evidence packs are shared with you" in shared

    # The auditor shares one pack until today.
    today = timezone.localdate()
    granted = staff.post(
        reverse("packs:grant", args=[pack.pk]), _grant_form("Ada.Lovelace@audit.example", 0)
    )
    assert granted.status_code == 302
    grant = EvidencePackGrant.objects.get()
    assert (grant.user, grant.pack, grant.expires_on) == (user, pack, today)
    assert "view_evidencepack" in get_perms(user, pack)
    assert AccessLogEntry.objects.filter(
        user=auditor,
        action="create",
        object_type="audits.evidencepackgrant",
        object_id=str(grant.pk),
    ).exists()

    shared = browser.get(reverse("packs:shared")).content.decode()
    assert reverse("packs:detail", args=[pack.pk]) in shared
    assert reverse("packs:detail", args=[other.pk]) not in shared
    assert browser.get(reverse("packs:detail", args=[pack.pk])).status_code == 200
    download = browser.get(reverse("packs:download", args=[pack.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        user=user, action="download", object_id=str(pack.pk), council=council
    ).exists()
    # Nothing else of the council.
    assert browser.get(reverse("packs:detail", args=[other.pk])).status_code == 404
    assert browser.get(reverse("packs:list")).status_code == 403
    assert browser.get(reverse("packs:external-auditors")).status_code == 403
    assert browser.get(reverse("api-evidence-packs")).status_code == 403

    # The day after the last day, nothing.
    with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=1)):
        assert browser.get(reverse("packs:detail", args=[pack.pk])).status_code == 404
        assert browser.get(reverse("packs:download", args=[pack.pk])).status_code == 404
        assert (
            "No evidence packs are shared" in browser.get(reverse("packs:shared")).content.decode()
        )

    # The invitation's row in the log, by the auditor.
    assert AccessLogEntry.objects.filter(
        user=auditor,
        action="create",
        object_type="audits.externalauditorinvitation",
        object_id=str(invitation.pk),
    ).exists()
    # Active now, the address cannot be invited again.
    again = staff.post(
        reverse("packs:external-auditor-invite"),
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada.lovelace@audit.example"},
    )
    assert "already an external auditor for this council" in again.content.decode()


@pytest.mark.django_db
def test_the_api_invites_lists_shares_and_removes(two_councils, alpha, eager):
    auditor, _ = alpha
    api = _api(auditor)
    invited = api.post(
        reverse("api-external-auditor-invitations"),
        {"first_name": "Ada", "last_name": "Lovelace", "email": EXTERNAL},
        format="json",
    )
    assert invited.status_code == 201
    data = invited.json()
    assert data["state"] == "open" and data["email"] == EXTERNAL
    token = token_in(mail.outbox[-1])
    assert token not in invited.content.decode()
    listed = api.get(reverse("api-external-auditor-invitations")).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]

    pack = _built(auditor)
    grants_url = reverse("api-evidence-pack-grants", args=[pack.pk])
    early = api.post(grants_url, _grant_json(EXTERNAL), format="json")
    assert early.status_code == 400 and "not accepted" in early.json()["email"][0]
    auditor_services.external_auditor_invitation_accept(
        invitation=ExternalAuditorInvitation.objects.get(pk=data["id"]), password=PASSWORD
    )
    bad_date = api.post(grants_url, _grant_json(EXTERNAL, days=-1), format="json")
    assert bad_date.status_code == 400 and "expires_on" in bad_date.json()
    made = api.post(grants_url, _grant_json(EXTERNAL), format="json")
    assert made.status_code == 201
    grant = made.json()
    assert (grant["email"], grant["name"], grant["pack"]) == (EXTERNAL, "Ada Lovelace", pack.pk)
    assert api.get(grants_url).json()[0]["id"] == grant["id"]
    gone = api.delete(reverse("api-evidence-pack-grant", args=[pack.pk, grant["id"]]))
    assert gone.status_code == 204
    assert not EvidencePackGrant.objects.exists()
    again = api.delete(reverse("api-evidence-pack-grant", args=[pack.pk, grant["id"]]))
    assert again.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COUNCIL_ADMIN])
def test_another_councils_pack_answers_404_like_a_missing_one(two_councils, alpha, role):
    auditor, _ = alpha
    external_auditor(auditor)
    pack = _pack(auditor)
    grant = pack_services.evidence_pack_grant(
        actor=auditor, pack=pack, email=EXTERNAL, expires_on=timezone.localdate()
    )
    api = _api(two_councils["bravo"]["people"][role])
    missing = pack.pk + 1000
    theirs_list = api.get(reverse("api-evidence-pack-grants", args=[pack.pk]))
    missing_list = api.get(reverse("api-evidence-pack-grants", args=[missing]))
    assert theirs_list.status_code == missing_list.status_code == 404
    assert theirs_list.json() == missing_list.json()
    theirs = api.delete(reverse("api-evidence-pack-grant", args=[pack.pk, grant.pk]))
    gone = api.delete(reverse("api-evidence-pack-grant", args=[missing, grant.pk]))
    assert theirs.status_code == gone.status_code == 404
    if role == Role.AUDITOR:
        shared = api.post(
            reverse("api-evidence-pack-grants", args=[pack.pk]),
            _grant_json(EXTERNAL),
            format="json",
        )
        absent = api.post(
            reverse("api-evidence-pack-grants", args=[missing]),
            _grant_json(EXTERNAL),
            format="json",
        )
        assert shared.status_code == absent.status_code == 404
    assert list(EvidencePackGrant.objects.all()) == [grant]
    # Nor does another council's list of invitations show this one.
    assert api.get(reverse("api-external-auditor-invitations")).json()["results"] == []


@pytest.mark.django_db
def test_an_external_auditor_is_refused_every_staff_page_and_api(two_councils, client_for, alpha):
    """An external auditor holds no role anywhere: every page and API but their own list of
    shared packs (and their home, which sends them there) refuses them."""
    from django.conf import settings
    from django.urls import get_resolver

    from shortbreaks.urls import PUBLIC_URL_NAMES
    from tests.test_security import _concrete, _walk

    client = client_for(external_auditor(alpha[0]))
    admin_url = getattr(settings, "ADMIN_URL", "admin/")
    let_in = set()
    seen = set()
    for route, name in _walk(get_resolver().url_patterns):
        url = _concrete(route)
        if name in PUBLIC_URL_NAMES or route.startswith(admin_url) or url in seen:
            continue
        seen.add(url)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (403, 404, 405):
                let_in.add((method, url, status))
    assert let_in <= {
        ("get", "/home/", 302),
        ("post", "/home/", 302),
        ("get", reverse("packs:shared"), 200),
    }, let_in
    assert ("get", reverse("packs:shared"), 200) in let_in
