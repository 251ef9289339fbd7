"""Parent carer sign-up tells nothing: the same answer whether or not the address has an account;
the address is confirmed by an emailed link (once, expiring, with the password) before the
account can sign in; sign-up is limited per IP address and per email address (429).

Refusals first: what sign-up must not tell or allow, then the journey that works.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.models import ParentAccount
from referrals.services import carers as carer_services
from referrals.services import parents as parent_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.factories import PASSWORD as STAFF_PASSWORD

PASSWORD = "kettle-harbour-violet-29"
OTHER_PASSWORD = "lantern-meadow-copper-51"
LINK = re.compile(r"http://testserver(/statements/(\w+)/account/confirm/[^/\s]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def url(name: str, slug: str = "alpha", *args) -> str:
    return reverse(f"statements:{name}", args=[slug, *args])


def answers(email: str, password: str = PASSWORD, **more) -> dict[str, str]:
    return {
        "first_name": "Robin",
        "last_name": "Newparent",
        "email": email,
        "password": password,
        "password_again": password,
        **more,
    }


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    """sign_up(email, ...) -> the response; the emails it causes are sent (after commit)."""

    def post(email: str, password: str = PASSWORD, *, slug="alpha", client=None, **more):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(
                url("account-sign-up", slug), answers(email, password, **more)
            )

    return post


def confirm_link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def last_link() -> str:
    return confirm_link(mail.outbox[-1])


def page_text(response) -> str:
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def confirmed_parent(two_councils):
    account = parent_services.parent_account_create(
        council=two_councils["alpha"]["council"],
        email="robin.existing@example.org",
        password=PASSWORD,
        first_name="Robin",
        last_name="Existing",
    )
    return parent_services.parent_account_confirm(account=account).user


# ----------------------------------------------------------------------------------------------
# The same answer, whoever has the address


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(
    two_councils, confirmed_parent, sign_up
):
    staff = two_councils["bravo"]["people"][Role.SOCIAL_WORKER]
    staff.email = "staff.member@example.org"
    staff.save()
    before = confirmed_parent.password
    new = sign_up("Brand.New@example.org")
    sent_page = Client().get(new["Location"])
    for email in (
        "robin.existing@example.org",
        "Robin.Existing@Example.org",
        "staff.member@example.org",
        staff.username,
    ):
        taken = sign_up(email)
        assert (taken.status_code, taken["Location"], taken.content) == (
            new.status_code,
            new["Location"],
            new.content,
        )
        assert taken.status_code == 302
        followed = Client().get(taken["Location"])
        assert followed.status_code == sent_page.status_code == 200
        assert page_text(followed) == page_text(sent_page)
    assert "Check your email" in page_text(sent_page)
    # Nothing changed for the address in use: no second account, the same password.
    assert (
        ParentAccount.objects.filter(user__email__iexact="robin.existing@example.org").count() == 1
    )
    confirmed_parent.refresh_from_db()
    assert confirmed_parent.password == before
    assert (
        not get_user_model()
        .objects.filter(first_name="Robin", last_name="Newparent")
        .exclude(email="brand.new@example.org")
        .exists()
    )
    # Only the owner of each address learns which it was, by email.
    subjects = [(message.to, message.subject) for message in mail.outbox]
    assert subjects[0][0] == ["brand.new@example.org"]
    assert subjects[0][1].startswith("Confirm your email address")
    tried = [to for to, subject in subjects if subject.startswith("Someone tried")]
    assert tried == [["robin.existing@example.org"]] * 2 + [["staff.member@example.org"]] * 2


def test_a_bad_answer_is_refused_the_same_for_a_taken_address(confirmed_parent, sign_up):
    """Checks that do not depend on the address (a weak password) say the same for either."""
    new = sign_up("someone.new@example.org", "password123456")
    taken = sign_up("robin.existing@example.org", "password123456")
    assert new.status_code == taken.status_code == 200
    assert "common" in new.content.decode()
    assert page_text(new).replace("someone.new@example.org", "EMAIL") == page_text(taken).replace(
        "robin.existing@example.org", "EMAIL"
    )
    assert mail.outbox == []
    assert not ParentAccount.objects.filter(user__email="someone.new@example.org").exists()


# ----------------------------------------------------------------------------------------------
# Unconfirmed: no sign-in of any kind


def test_an_unconfirmed_account_cannot_sign_in_anywhere(two_councils, sign_up):
    sign_up("robin.waiting@example.org")
    account = ParentAccount.objects.get(user__email="robin.waiting@example.org")
    assert account.confirmed_at is None
    assert not account.user.is_active
    credentials = {"username": "robin.waiting@example.org", "password": PASSWORD}
    parent_page = Client().post(url("account-sign-in"), credentials)
    assert parent_page.status_code == 200
    assert "Enter a correct email address and password" in parent_page.content.decode()
    staff_page = Client().post(reverse("sign-in"), credentials)
    assert staff_page.status_code == 200
    token = Client().post(reverse("api-token"), credentials, content_type="application/json")
    assert token.status_code == 400
    client = Client()
    client.post(url("account-sign-in"), credentials)
    assert client.get(url("account")).status_code == 302  # still sent to sign in
    # Nor can staff link a carer to it: it is answered as no account at all.
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    from tests.referrals.builders import make_child

    carer = carer_services.carer_add(
        actor=social_worker,
        child=make_child(social_worker),
        name="Robin Waiting",
        relationship="mother",
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        carer_services.carer_account_link(
            actor=social_worker, carer=carer, email="robin.waiting@example.org"
        )
    assert "No parent account" in str(refused.value)


# ----------------------------------------------------------------------------------------------
# The link: needs the password, works once, expires, is replaced by a newer one


def test_opening_the_link_confirms_nothing_and_a_wrong_password_is_refused(two_councils, sign_up):
    sign_up("robin.link@example.org")
    link = last_link()
    client = Client()
    page = client.get(link)  # what a mail scanner does
    assert page.status_code == 200
    assert "robin.link@example.org" in page.content.decode()
    wrong = client.post(link, {"password": OTHER_PASSWORD})
    assert wrong.status_code == 200
    assert "Enter the password you chose" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    empty = client.post(link, {"password": ""})
    assert "Enter your password" in empty.content.decode()
    account = ParentAccount.objects.get(user__email="robin.link@example.org")
    assert account.confirmed_at is None
    assert not account.user.is_active
    assert client.get(url("account")).status_code == 302


def test_wrong_passwords_on_the_link_are_limited(two_councils, sign_up):
    sign_up("robin.guess@example.org")
    link = last_link()
    client = Client()
    for _ in range(settings.SIGN_UP_LIMIT_PER_EMAIL):
        assert client.post(link, {"password": OTHER_PASSWORD}).status_code == 200
    refused = client.post(link, {"password": OTHER_PASSWORD})
    assert refused.status_code == 429
    assert "too many attempts" in refused.content.decode()
    # Past the limit even the right password is refused: guessing gets nowhere.
    right = client.post(link, {"password": PASSWORD})
    assert right.status_code == 429
    assert not ParentAccount.objects.get(user__email="robin.guess@example.org").confirmed_at


def test_the_link_works_once(two_councils, sign_up):
    sign_up("robin.once@example.org")
    link = last_link()
    first = Client()
    done = first.post(link, {"password": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == url("account")
    again = Client()
    assert again.get(link).status_code == 410
    used = again.post(link, {"password": PASSWORD})
    assert used.status_code == 410
    assert "This link no longer works" in used.content.decode()
    assert again.get(url("account")).status_code == 302  # the second use signed no one in


def test_the_link_expires(two_councils, sign_up):
    lifetime = settings.SIGN_UP_LINK_LIFETIME
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up("robin.late@example.org")
    link = last_link()
    with time_machine.travel(start + lifetime - timedelta(minutes=1), tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(start + lifetime + timedelta(minutes=1), tick=False):
        late = Client()
        assert late.get(link).status_code == 410
        assert late.post(link, {"password": PASSWORD}).status_code == 410
    account = ParentAccount.objects.get(user__email="robin.late@example.org")
    assert account.confirmed_at is None
    assert not account.user.is_active


@pytest.mark.parametrize(
    "mangle",
    [
        lambda link: link.replace("/confirm/", "/confirm/x"),
        lambda link: link[:-6] + "AAAAA/",
        lambda link: link.replace("/alpha/", "/bravo/"),
    ],
    ids=["altered", "bad-signature", "other-council"],
)
def test_an_altered_link_or_another_councils_is_refused(two_councils, sign_up, mangle):
    sign_up("robin.mangled@example.org")
    link = mangle(last_link())
    assert Client().get(link).status_code == 410
    assert Client().post(link, {"password": PASSWORD}).status_code == 410
    assert not ParentAccount.objects.get(user__email="robin.mangled@example.org").confirmed_at


def test_a_stranger_who_signed_up_first_holds_nothing(two_councils, sign_up):
    """Someone signs up with another person's address first: the owner signing up after them
    renews the unconfirmed account with their own password, and only the newest link works."""
    sign_up("owner@example.org", OTHER_PASSWORD, slug="bravo")  # the stranger
    strangers_link = last_link()
    sign_up("owner@example.org", PASSWORD)  # the owner, on alpha's pages
    owners_link = last_link()
    assert mail.outbox[-1].subject.startswith("Confirm your email address")
    assert Client().get(strangers_link).status_code == 410
    assert Client().post(owners_link, {"password": OTHER_PASSWORD}).status_code == 200
    assert Client().post(owners_link, {"password": PASSWORD}).status_code == 302
    account = ParentAccount.objects.get(user__email="owner@example.org")
    assert account.council == two_councils["alpha"]["council"]
    assert account.user.check_password(PASSWORD)
    assert ParentAccount.objects.filter(user__email="owner@example.org").count() == 1


# ----------------------------------------------------------------------------------------------
# Limits


def test_the_sixth_sign_up_for_one_address_is_refused_with_429(two_councils, sign_up):
    limit = settings.SIGN_UP_LIMIT_PER_EMAIL
    assert limit == 5
    for number in range(limit):
        client = Client(REMOTE_ADDR=f"10.0.1.{number}")
        assert sign_up("robin.many@example.org", client=client).status_code == 302
    sent = len(mail.outbox)
    refused = sign_up("Robin.Many@example.org", client=Client(REMOTE_ADDR="10.0.1.99"))
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "too many attempts to create an account" in body
    assert "Wait 1 hour" in body
    assert len(mail.outbox) == sent  # nothing sent, nothing renewed
    # Another address from the same place is still welcome.
    other = sign_up("robin.other@example.org", client=Client(REMOTE_ADDR="10.0.1.99"))
    assert other.status_code == 302


def test_the_limit_is_the_same_for_an_address_in_use(confirmed_parent, sign_up):
    for number in range(settings.SIGN_UP_LIMIT_PER_EMAIL):
        client = Client(REMOTE_ADDR=f"10.0.2.{number}")
        assert sign_up("robin.existing@example.org", client=client).status_code == 302
    refused = sign_up("robin.existing@example.org", client=Client(REMOTE_ADDR="10.0.2.99"))
    assert refused.status_code == 429


def test_one_ip_address_is_limited_whatever_the_addresses_it_tries(two_councils, sign_up):
    limit = settings.SIGN_UP_LIMIT_PER_IP_ADDRESS
    client = Client(REMOTE_ADDR="192.0.2.7")
    for number in range(limit):
        # Bad answers count too: every attempt from the address does.
        data = {"password_again": "different-entirely"} if number % 2 else {}
        response = sign_up(f"robin.{number}@example.org", client=client, **data)
        assert response.status_code in (200, 302)
    refused = sign_up("robin.last@example.org", client=client)
    assert refused.status_code == 429
    assert not ParentAccount.objects.filter(user__email="robin.last@example.org").exists()
    elsewhere = sign_up("robin.last@example.org", client=Client(REMOTE_ADDR="192.0.2.8"))
    assert elsewhere.status_code == 302


def test_the_window_ends(two_councils, sign_up):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(settings.SIGN_UP_LIMIT_PER_EMAIL):
            sign_up("robin.window@example.org", client=Client(REMOTE_ADDR=f"10.0.3.{number}"))
        assert sign_up("robin.window@example.org").status_code == 429
    # LocMem's expiry reads time.time(), which the travel moves.
    with time_machine.travel(start + settings.SIGN_UP_LIMIT_WINDOW + timedelta(seconds=5)):
        assert sign_up("robin.window@example.org").status_code == 302


# ----------------------------------------------------------------------------------------------
# The journey that works


def test_a_parent_signs_up_confirms_and_lands_on_their_account(two_councils, sign_up):
    client = Client()
    page = client.get(url("account-sign-up"))
    assert page.status_code == 200
    assert "We will email you a link" in page.content.decode()
    response = sign_up("Robin.Newparent@Example.org", client=client)
    assert response.status_code == 302
    assert response["Location"] == url("account-sign-up-sent")
    assert client.get(url("account")).status_code == 302  # not signed in yet
    [message] = mail.outbox
    assert message.to == ["robin.newparent@example.org"]
    assert "24 hours" in message.body
    link = confirm_link(message)
    assert link.startswith(url("account-confirm", "alpha", "x")[: -len("x/")])
    done = client.post(link, {"password": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == url("account")
    account = ParentAccount.objects.get(user__email="robin.newparent@example.org")
    assert account.council == two_councils["alpha"]["council"]
    assert account.confirmed_at is not None
    assert account.user.is_active
    assert account.user.memberships.count() == 0
    assert account.user.active_council is None
    home = client.get(url("account"))
    assert home.status_code == 200
    assert "Your email address is confirmed" in home.content.decode()
    assert AccessLogEntry.objects.filter(
        action="create", user=account.user, object_id=str(account.pk)
    ).exists()
    # From now on the password signs in, on the council's page.
    again = Client().post(
        url("account-sign-in"), {"username": "robin.newparent@example.org", "password": PASSWORD}
    )
    assert again.status_code == 302


def test_staff_sign_in_is_unchanged(two_councils):
    staff = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    response = Client().post(
        reverse("sign-in"), {"username": staff.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
