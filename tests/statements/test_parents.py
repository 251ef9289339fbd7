"""Parent carer accounts: signing up and in, applying online for the targeted grant with "check your
answers", and seeing only their own applications and children; refused every staff page and API."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from referrals.models import (
    Carer,
    CarerAccountEvent,
    Child,
    ChildTier,
    GrantApplication,
    GrantStatus,
    ParentAccount,
)
from referrals.selectors import grants as grant_selectors
from referrals.selectors import timeline as timeline_selectors
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from referrals.services import grants as grant_services
from referrals.services import parents as parent_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.urls import PUBLIC_URL_NAMES
from tests.clock import frozen_today_module  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module
from tests.referrals.builders import build_world, make_package

# Reads today's date beside fixed dates: the module runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today_module")

PARENT_PASSWORD = "kettle-harbour-violet-29"
UNIT_RATE_MARKER = "28.50"


def _build_world_with_schemes(two_councils) -> dict:
    world = build_world(two_councils)
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        world[slug]["scheme"] = grant_services.grant_scheme_create(
            actor=world[slug]["sw"],
            name=f"Short break grant {marker}",
            year=2025,
            eligibility_criteria=f"A disabled child living in the area {marker}.",
            max_amount=Decimal("500.00"),
        )
    return world


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world_with_schemes)


def make_parent(council, email: str, first_name: str = "Robin", last_name: str = "Parentone"):
    """A confirmed parent account (as if its emailed link had been followed: see test_sign_up)."""
    account = parent_services.parent_account_create(
        council=council,
        email=email,
        password=PARENT_PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    return parent_services.parent_account_confirm(account=account).user


def link(world, slug: str, parent, child=None) -> Carer:
    child = child or world[slug]["child"]
    carer = carer_services.carer_add(
        actor=world[slug]["sw"], child=child, name=parent.get_full_name(), relationship="mother"
    )
    return carer_services.carer_account_link(
        actor=world[slug]["sw"], carer=carer, email=parent.email
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="shortbreaks.councils.backends.ModelBackend")
    return client


def url(name: str, slug: str = "alpha", *args) -> str:
    return reverse(f"statements:{name}", args=[slug, *args])


NEW_CHILD = {
    "first_name": "Kit",
    "last_name": "Applicant",
    "date_of_birth_0": "14",
    "date_of_birth_1": "6",
    "date_of_birth_2": "2016",
    "postcode": "sy1 1aa",
    "disabilities": ["AUT", "COMM"],
    "relationship": "Father",
    "breaks_would_let_you": "Work two more days and rest.",
    "others_cared_for": "My mother and a younger son.",
    "use_of_grant": "Saturday club and a summer holiday scheme.",
}


# ----------------------------------------------------------------------------------------------
# Signing up and signing in


def test_a_parent_signs_up_and_lands_on_their_account(world, django_capture_on_commit_callbacks):
    client = Client()
    page = client.get(url("account-sign-up"))
    assert page.status_code == 200
    assert "Create an account" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("account-sign-up"),
            {
                "first_name": "Robin",
                "last_name": "Newparent",
                "email": "Robin.Newparent@Example.org",
                "password": PARENT_PASSWORD,
                "password_again": PARENT_PASSWORD,
            },
        )
    # "Check your email": the emailed link, with the password, finishes the account
    # (tests/statements/test_sign_up.py tries every way round it).
    assert response.status_code == 302
    assert response["Location"] == url("account-sign-up-sent")
    [message] = mail.outbox
    link = re.search(r"http://testserver(\S+/account/confirm/\S+/)", message.body).group(1)
    assert client.post(link, {"password": PARENT_PASSWORD})["Location"] == url("account")
    account = ParentAccount.objects.get(user__email="robin.newparent@example.org")
    assert account.council == world["alpha"]["council"]
    assert account.user.memberships.count() == 0
    assert account.user.active_council is None
    assert not account.user.is_staff
    home = client.get(url("account"))
    assert home.status_code == 200
    body = home.content.decode()
    assert "Your account" in body
    assert "robin.newparent@example.org" in body
    assert "Apply for the short break grant" in body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password": "short", "password_again": "short"}, "password", "too short"),
        ({"password": "password123456", "password_again": "password123456"}, "password", "common"),
        ({"password_again": "something-else-entirely"}, "password_again", "do not match"),
        ({"email": "not-an-email"}, "email", "correct format"),
        ({"first_name": ""}, "first_name", "Enter your first name"),
    ],
    ids=["short-password", "common-password", "mismatch", "bad-email", "no-name"],
)
def test_a_bad_sign_up_is_explained_and_saves_nothing(world, change, field, message):
    data = {
        "first_name": "Robin",
        "last_name": "Newparent",
        "email": "robin.bad@example.org",
        "password": PARENT_PASSWORD,
        "password_again": PARENT_PASSWORD,
        **change,
    }
    users = get_user_model().objects.count()
    response = Client().post(url("account-sign-up"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert field in response.context["form"].errors
    assert get_user_model().objects.count() == users
    assert not ParentAccount.objects.exists()


def test_sign_up_with_an_email_in_use_says_nothing_of_it(world):
    """The answer is "check your email", as for a new address (test_sign_up compares them)."""
    staff = world["bravo"]["sw"]
    staff.email = "taken.address@example.org"
    staff.save()
    make_parent(world["alpha"]["council"], "parent.taken@example.org")
    for email in ("Taken.Address@example.org", "parent.taken@example.org", staff.username):
        response = Client().post(
            url("account-sign-up"),
            {
                "first_name": "Robin",
                "last_name": "Other",
                "email": email,
                "password": PARENT_PASSWORD,
                "password_again": PARENT_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == url("account-sign-up-sent")
        body = Client().get(response["Location"]).content.decode()
        assert "An account cannot be made" not in body
        assert MARKER_B not in body
        assert staff.get_full_name() not in body
    assert ParentAccount.objects.count() == 1


def test_a_parent_signs_in_on_their_councils_page_only(world):
    parent = make_parent(world["alpha"]["council"], "robin.signin@example.org")
    wrong = Client().post(
        url("account-sign-in", "bravo"),
        {"username": "robin.signin@example.org", "password": PARENT_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Enter a correct email address and password" in wrong.content.decode()
    client = Client()
    response = client.post(
        url("account-sign-in"),
        {"username": "Robin.Signin@example.org", "password": PARENT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == url("account")
    assert client.get(url("account")).context["user"] == parent


def test_staff_cannot_sign_in_on_the_parent_page_and_staff_sign_in_is_unchanged(world):
    from tests.factories import PASSWORD

    staff = world["alpha"]["sw"]
    refused = Client().post(
        url("account-sign-in"), {"username": staff.username, "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in refused.content.decode()
    client = Client()
    response = client.post(reverse("sign-in"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_anonymous_are_sent_to_the_councils_parent_sign_in(world):
    response = Client().get(url("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account-sign-in") + "?next=")
    assert Client().get(url("account", "nowhere")).status_code == 404


# ----------------------------------------------------------------------------------------------
# Applying online


def test_apply_with_errors_then_successfully_creates_the_child_and_the_application(world):
    parent = make_parent(world["alpha"]["council"], "robin.apply@example.org")
    client = signed_in(parent)
    form_page = client.get(url("account-apply"))
    body = form_page.content.decode()
    assert f"A disabled child living in the area {MARKER_A}." in body
    assert "Who can get it" in body

    children, applications = Child.objects.count(), GrantApplication.objects.count()
    bad = client.post(
        url("account-apply"),
        {
            **NEW_CHILD,
            "postcode": "nowhere",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "use_of_grant": "",
            "disabilities": ["XYZ"],
        },
    )
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert set(errors) >= {"postcode", "date_of_birth", "use_of_grant", "disabilities"}
    text = bad.content.decode()
    assert "govuk-error-summary" in text
    assert "Enter a real postcode" in text
    assert (Child.objects.count(), GrantApplication.objects.count()) == (children, applications)

    ok = client.post(url("account-apply"), NEW_CHILD)
    assert ok.status_code == 302
    assert ok["Location"] == url("account-apply-check")
    check = client.get(url("account-apply-check"))
    text = check.content.decode()
    assert "Check your answers before sending your application" in text
    assert "Kit Applicant" in text
    assert "SY1 1AA" in text
    assert "Autism or Asperger syndrome" in text
    assert "Saturday club and a summer holiday scheme." in text
    assert f"{url('account-apply')}#id_postcode" in text
    assert (Child.objects.count(), GrantApplication.objects.count()) == (children, applications)

    sent = client.post(url("account-apply-check"))
    assert sent.status_code == 302
    application = GrantApplication.objects.get(child__last_name="Applicant")
    assert sent["Location"] == url("account-application", "alpha", application.pk)
    assert application.council == world["alpha"]["council"]
    assert application.scheme == world["alpha"]["scheme"]
    assert application.status == GrantStatus.RECEIVED
    assert application.received_on == timezone.localdate()
    assert application.answers["What would you use the grant for?"] == NEW_CHILD["use_of_grant"]
    assert application.answers["Who else do you care for?"] == NEW_CHILD["others_cared_for"]
    child = application.child
    assert child.tier == ChildTier.NONE
    assert child.council_child_id.startswith("CH")
    assert child.date_of_birth == date(2016, 6, 14)
    assert child.postcode == "SY1 1AA"
    assert child.disabilities == ["AUT", "COMM"]
    carer = Carer.objects.get(child=child)
    assert carer.account == parent
    assert carer.relationship == "Father"
    assert CarerAccountEvent.objects.filter(child=child, kind="linked").exists()

    detail = client.get(sent["Location"])
    assert "Waiting for a decision" in detail.content.decode()
    home = client.get(url("account")).content.decode()
    assert "Kit Applicant" in home
    assert "Waiting for a decision" in home


def test_the_online_application_is_on_the_staff_waiting_list(world, client_for):
    parent = make_parent(world["alpha"]["council"], "robin.waiting@example.org")
    client = signed_in(parent)
    client.post(url("account-apply"), NEW_CHILD)
    client.post(url("account-apply-check"))
    application = GrantApplication.objects.get(child__last_name="Applicant")
    waiting = grant_selectors.grant_waiting_page(actor=world["alpha"]["sw"])
    assert application in waiting.rows
    assert application not in grant_selectors.grant_waiting_page(actor=world["bravo"]["sw"]).rows
    page = client_for(world["alpha"]["sw"]).get(reverse("referrals:grants"))
    assert "Kit Applicant" in page.content.decode()
    timeline = timeline_selectors.child_timeline(
        actor=world["alpha"]["sw"], child=application.child
    )
    assert [entry.kind for entry in timeline] == ["carer", "grant"]


def test_a_linked_parent_applies_for_their_child_without_retyping_them(world):
    parent = make_parent(world["alpha"]["council"], "robin.linked@example.org")
    link(world, "alpha", parent)
    client = signed_in(parent)
    form = client.get(url("account-apply")).context["form"]
    assert "first_name" not in form.fields
    child = world["alpha"]["child"]
    answers = {
        key: NEW_CHILD[key] for key in ("relationship", "breaks_would_let_you", "use_of_grant")
    }
    children = Child.objects.count()
    client.post(url("account-apply"), {**answers, "child": str(child.pk)})
    client.post(url("account-apply-check"))
    assert Child.objects.count() == children
    application = GrantApplication.objects.get(child=child)
    assert application.answers["Child's name"] == child.full_name
    # A second application on the same scheme while the first waits is refused, nothing saved.
    client.post(url("account-apply"), {**answers, "child": str(child.pk)})
    again = client.post(url("account-apply-check"))
    assert again.status_code == 200
    assert "already applied for this child" in again.content.decode()
    assert GrantApplication.objects.filter(child=child).count() == 1


def test_a_parent_cannot_apply_for_a_child_not_linked_to_them(world):
    parent = make_parent(world["alpha"]["council"], "robin.notmine@example.org")
    link(world, "alpha", parent)
    other = child_services.child_create(
        actor=world["alpha"]["sw"],
        first_name="Other",
        last_name=f"Family {MARKER_A}",
        date_of_birth=date(2015, 1, 1),
    )
    client = signed_in(parent)
    response = client.post(
        url("account-apply"),
        {
            "child": str(other.pk),
            "relationship": "Mother",
            "breaks_would_let_you": "Rest",
            "use_of_grant": "Clubs",
        },
    )
    assert response.status_code == 200
    assert "child" in response.context["form"].errors
    assert not GrantApplication.objects.filter(child=other).exists()


def test_the_service_refuses_staff_and_other_councils(world):
    from django.core.exceptions import PermissionDenied

    from shortbreaks.councils.errors import RecordNotFound

    parent = make_parent(world["alpha"]["council"], "robin.service@example.org")
    caring = {"relationship": "Mother", "breaks_would_let_you": "Rest", "use_of_grant": "Clubs"}
    child_fields = {
        "first_name": "Kit",
        "last_name": "Service",
        "date_of_birth": date(2016, 1, 1),
        "postcode": "SY1 1AA",
        "disabilities": ["AUT"],
    }
    with pytest.raises(PermissionDenied):
        parent_services.grant_application_submit_online(
            actor=world["alpha"]["sw"],
            scheme=world["alpha"]["scheme"],
            caring=caring,
            child_fields=child_fields,
        )
    with pytest.raises(RecordNotFound):
        parent_services.grant_application_submit_online(
            actor=parent, scheme=world["bravo"]["scheme"], caring=caring, child_fields=child_fields
        )
    with pytest.raises(RecordNotFound):
        parent_services.grant_application_submit_online(
            actor=parent,
            scheme=world["alpha"]["scheme"],
            caring=caring,
            child=world["alpha"]["child"],
        )
    assert not GrantApplication.objects.exists()


# ----------------------------------------------------------------------------------------------
# What a parent sees: their own, and nothing else


@pytest.fixture
def families(world):
    """Parent one linked to alpha's child (with a package and an approved grant); parent two,
    of the same council, linked to another child; parent three of bravo linked to bravo's child."""
    alpha = world["alpha"]
    one = make_parent(alpha["council"], "robin.one@example.org")
    two = make_parent(alpha["council"], "robin.two@example.org", last_name="Parenttwo")
    three = make_parent(world["bravo"]["council"], "robin.three@example.org")
    link(world, "alpha", one)
    make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    application = grant_services.grant_application_create(
        actor=alpha["sw"],
        child=alpha["child"],
        scheme=alpha["scheme"],
        received_on=date(2025, 4, 1),
        answers={"What would you use the grant for?": "Clubs"},
    )
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=application,
        decision=GrantStatus.APPROVED,
        decided_on=date(2025, 5, 1),
        amount=Decimal("350.00"),
    )
    second_child = child_services.child_create(
        actor=alpha["sw"],
        first_name="Second",
        last_name=f"Family {MARKER_A}",
        date_of_birth=date(2013, 3, 3),
    )
    link(world, "alpha", two, child=second_child)
    declined = grant_services.grant_application_create(
        actor=alpha["sw"],
        child=second_child,
        scheme=alpha["scheme"],
        received_on=date(2025, 4, 2),
    )
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=declined,
        decision=GrantStatus.DECLINED,
        decided_on=date(2025, 5, 2),
        reason="Needs met by universal services.",
    )
    link(world, "bravo", three)
    bravo_application = grant_services.grant_application_create(
        actor=world["bravo"]["sw"],
        child=world["bravo"]["child"],
        scheme=world["bravo"]["scheme"],
        received_on=date(2025, 4, 3),
    )
    return {
        "one": one,
        "two": two,
        "three": three,
        "application": application,
        "declined": declined,
        "second_child": second_child,
        "bravo_application": bravo_application,
    }


def test_the_account_page_shows_applications_and_a_plain_package_summary(
    world, families, django_assert_max_num_queries
):
    client = signed_in(families["one"])
    with django_assert_max_num_queries(20):
        response = client.get(url("account"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Short break grant {MARKER_A}" in body
    assert "Approved" in body
    assert "£350.00" in body
    assert "The council will pay it soon" in body
    child = world["alpha"]["child"]
    assert child.full_name in body
    assert f"Community buddying {MARKER_A}" in body
    assert f"Buddying {MARKER_A}" in body
    assert "5 hours a week" in body
    assert "3 March 2025" in body
    # No costs, no contract, no other family.
    assert "£" + UNIT_RATE_MARKER not in body
    assert UNIT_RATE_MARKER not in body
    assert f"SB-{MARKER_A}" not in body
    assert "Second" not in body
    assert "Needs met by universal services" not in body
    assert MARKER_B not in body
    assert AccessLogEntry.objects.filter(
        user=families["one"], object_type="referrals.child", object_id=str(child.pk)
    ).exists()


def test_a_declined_application_shows_its_reason(world, families):
    client = signed_in(families["two"])
    body = client.get(url("account")).content.decode()
    assert "Not approved" in body
    assert "Needs met by universal services." in body
    detail = client.get(url("account-application", "alpha", families["declined"].pk))
    assert detail.status_code == 200
    assert "Why it was not approved" in detail.content.decode()


@pytest.mark.parametrize(
    ("parent", "slug", "what"),
    [
        ("two", "alpha", "application"),
        ("two", "alpha", "child"),
        ("one", "alpha", "bravo_application"),
        ("one", "alpha", "bravo_child"),
        ("three", "bravo", "application"),
        ("three", "bravo", "child"),
    ],
)
def test_another_familys_or_councils_ids_are_not_found(world, families, parent, slug, what):
    client = signed_in(families[parent])
    ids = {
        "application": ("account-application", families["application"].pk),
        "child": ("account-child", world["alpha"]["child"].pk),
        "bravo_application": ("account-application", families["bravo_application"].pk),
        "bravo_child": ("account-child", world["bravo"]["child"].pk),
    }
    name, pk = ids[what]
    other = client.get(url(name, slug, pk))
    missing = client.get(url(name, slug, pk + 10_000))
    assert other.status_code == missing.status_code == 404


def test_a_parent_sees_their_own_application_and_child_by_id(world, families):
    client = signed_in(families["one"])
    assert (
        client.get(url("account-application", "alpha", families["application"].pk)).status_code
        == 200
    )
    child = client.get(url("account-child", "alpha", world["alpha"]["child"].pk))
    assert child.status_code == 200
    assert f"Community buddying {MARKER_A}" in child.content.decode()


def test_a_parent_is_not_found_on_another_councils_account_pages(world, families):
    client = signed_in(families["one"])
    for name in ("account", "account-apply", "account-apply-check"):
        assert client.get(url(name, "bravo")).status_code == 404


def test_an_unlinked_parent_no_longer_sees_the_child(world, families):
    carer = Carer.objects.get(account=families["one"])
    carer_services.carer_account_unlink(actor=world["alpha"]["sw"], carer=carer)
    client = signed_in(families["one"])
    assert client.get(url("account-child", "alpha", world["alpha"]["child"].pk)).status_code == 404
    assert (
        families["application"].child.full_name not in client.get(url("account")).content.decode()
    )


def test_staff_are_refused_the_parent_account_pages(world):
    client = signed_in(world["alpha"]["sw"])
    assert client.get(url("account")).status_code == 403
    assert client.get(url("account-apply")).status_code == 403


# ----------------------------------------------------------------------------------------------
# A parent is refused every staff page and API


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


def _staff_urls():
    seen = set()
    for route, name in _walk(get_resolver().url_patterns):
        # A parent's own pages: their account, and the outcome surveys they answer there.
        if name in PUBLIC_URL_NAMES or (name or "").startswith(
            ("statements:account", "outcomes:parent-")
        ):
            continue
        if route.startswith(settings.ADMIN_URL):
            continue
        concrete = re.sub(r"<int:\w+>", "1", route)
        concrete = re.sub(r"<slug:\w+>", "alpha", concrete)
        concrete = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", concrete)
        concrete = re.sub(r"<(?:str:)?\w+>", "x", concrete)
        concrete = "/" + concrete.replace("^", "").replace("$", "").replace("\\", "")
        if concrete not in seen:
            seen.add(concrete)
            yield concrete


# The staff home page sends a parent on to their own account page instead of refusing them.
SENT_HOME = {("get", "/home/", 302), ("post", "/home/", 302)}


def test_a_parent_is_refused_every_staff_page_and_api(world, families):
    client = signed_in(families["one"])
    let_in = set()
    for address in _staff_urls():
        for method in ("get", "post"):
            response = getattr(client, method)(address)
            if response.status_code not in (403, 404, 405):
                let_in.add((method, address, response.status_code))
    assert let_in <= SENT_HOME
    account = families["one"].parent_account.council.slug
    assert client.get("/home/")["Location"] == reverse("statements:account", args=[account])
    # Even who-am-I is a staff API: a parent's account is refused it, as every other.
    me = client.get(reverse("api-me"))
    assert me.status_code == 403
    assert families["one"].email not in me.content.decode()
    switch = client.post(
        reverse("api-switch-council"), {"council": "alpha"}, content_type="application/json"
    )
    assert switch.status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302
    assert Client().get(reverse("api-children")).status_code == 401


@pytest.mark.django_db
def test_a_signed_in_parent_is_sent_to_their_account_not_refused_at_staff_home(client_for):
    from django.urls import reverse as _reverse

    from referrals.models import ParentAccount
    from tests.factories import CouncilFactory, UserFactory

    council = CouncilFactory(slug="parents-home")
    parent = UserFactory()
    ParentAccount.objects.create(user=parent, council=council)
    client = client_for(parent)
    account = _reverse("statements:account", args=[council.slug])
    for url in ("/", _reverse("home")):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == account
        assert response.status_code == 200
    page = client.get(account).content.decode()
    assert _reverse("api-docs") not in page


# ----------------------------------------------------------------------------------------------
# Refusals on every parent page, and the account page's queries


# (page, its ids, the methods it answers)
PARENT_PAGES = [
    ("account", (), ("get",)),
    ("account-apply", (), ("get", "post")),
    ("account-apply-check", (), ("get", "post")),
    ("account-application", (1,), ("get",)),
    ("account-child", (1,), ("get",)),
]


@pytest.mark.parametrize(
    ("name", "args", "methods"), PARENT_PAGES, ids=[p[0] for p in PARENT_PAGES]
)
def test_the_anonymous_are_sent_to_sign_in_from_every_parent_page(world, name, args, methods):
    applications = GrantApplication.objects.count()
    for method in methods:
        response = getattr(Client(), method)(url(name, "alpha", *args), NEW_CHILD)
        assert response.status_code == 302
        assert response["Location"].startswith(url("account-sign-in") + "?next=")
    assert GrantApplication.objects.count() == applications


@pytest.mark.parametrize(
    ("name", "args", "methods"), PARENT_PAGES, ids=[p[0] for p in PARENT_PAGES]
)
def test_staff_are_refused_every_parent_page_and_nothing_is_made(world, name, args, methods):
    client = signed_in(world["alpha"]["sw"])
    children, applications = Child.objects.count(), GrantApplication.objects.count()
    for method in methods:
        response = getattr(client, method)(url(name, "alpha", *args), NEW_CHILD)
        assert response.status_code == 403
    assert (Child.objects.count(), GrantApplication.objects.count()) == (children, applications)


def test_a_parent_cannot_apply_through_another_councils_pages(world):
    parent = make_parent(world["alpha"]["council"], "robin.elsewhere@example.org")
    client = signed_in(parent)
    children, applications = Child.objects.count(), GrantApplication.objects.count()
    assert client.post(url("account-apply", "bravo"), NEW_CHILD).status_code == 404
    assert client.post(url("account-apply-check", "bravo")).status_code == 404
    assert (Child.objects.count(), GrantApplication.objects.count()) == (children, applications)


def test_the_account_page_adds_only_an_access_log_row_per_child(world, families):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alpha = world["alpha"]
    parent = families["one"]
    client = signed_in(parent)
    client.get(url("account"))  # the first request after signing in touches the session
    with CaptureQueriesContext(connection) as one_child:
        assert client.get(url("account")).status_code == 200
    for n in range(3):
        child = child_services.child_create(
            actor=alpha["sw"],
            first_name=f"Extra{n}",
            last_name=f"Family {MARKER_A}",
            date_of_birth=date(2014, 1, 1),
        )
        link(world, "alpha", parent, child=child)
        make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
        grant_services.grant_application_create(
            actor=alpha["sw"], child=child, scheme=alpha["scheme"], received_on=date(2025, 4, 5)
        )
    with CaptureQueriesContext(connection) as four_children:
        response = client.get(url("account"))
    assert response.status_code == 200
    assert response.content.decode().count("Extra") >= 3
    # Three more children: three more access-log rows, nothing else.
    assert len(four_children) - len(one_child) == 3
