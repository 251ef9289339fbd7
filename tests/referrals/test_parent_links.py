"""Staff link a child's carer to a parent account of the same council, and unlink it: pages, API,
the child's timeline and the access log; refused for the wrong role and across councils."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from referrals.models import Carer, CarerAccountEvent
from referrals.selectors import timeline as timeline_selectors
from referrals.services import carers as carer_services
from referrals.services import parents as parent_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.conftest import MARKER_A
from tests.referrals.builders import make_child
from tests.referrals.once import built_for_module
from tests.roles import NOT_CASEWORKERS

PARENT_PASSWORD = "kettle-harbour-violet-29"


def build_parent_links_world(world: dict) -> dict:
    for slug in ("alpha", "bravo"):
        place = world[slug]
        place["carer"] = carer_services.carer_add(
            actor=place["sw"], child=place["child"], name=f"Robin {slug}", relationship="mother"
        )
        account = parent_services.parent_account_create(
            council=place["council"],
            email=f"parent.{slug}@example.org",
            password=PARENT_PASSWORD,
            first_name="Robin",
            last_name=slug,
        )
        # Confirmed, as if the emailed link had been followed: until then it cannot be linked.
        place["parent"] = parent_services.parent_account_confirm(account=account).user
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_parent_links_world)


def link_url(place, name="referrals:carer-account-link"):
    return reverse(name, args=[place["child"].pk, place["carer"].pk])


def api_url(place):
    return reverse("api-carer-account", args=[place["child"].pk, place["carer"].pk])


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
def test_a_worker_links_and_unlinks_a_carer_in_the_browser(world, client_for, role):
    alpha = world["alpha"]
    person = alpha["people"][role]
    client = client_for(person)
    page = client.get(link_url(alpha))
    assert page.status_code == 200
    assert "Link Robin alpha to a parent account" in page.content.decode()
    response = client.post(link_url(alpha), {"email": "Parent.Alpha@example.org"})
    assert response.status_code == 302
    carer = Carer.objects.get(pk=alpha["carer"].pk)
    assert carer.account == alpha["parent"]
    detail = client.get(reverse("referrals:child", args=[alpha["child"].pk])).content.decode()
    assert "parent.alpha@example.org" in detail
    assert "Unlink account" in detail
    timeline = timeline_selectors.child_timeline(actor=person, child=alpha["child"])
    assert [e.summary for e in timeline if e.kind == "carer"] == [
        "Robin alpha linked to the parent account parent.alpha@example.org."
    ]
    assert AccessLogEntry.objects.filter(
        user=person, action="change", object_type="referrals.carer", object_id=str(carer.pk)
    ).exists()

    confirm = client.get(link_url(alpha, "referrals:carer-account-unlink"))
    assert confirm.status_code == 200
    assert client.post(link_url(alpha, "referrals:carer-account-unlink")).status_code == 302
    assert Carer.objects.get(pk=carer.pk).account is None
    kinds = list(CarerAccountEvent.objects.values_list("kind", flat=True))
    assert kinds == ["linked", "unlinked"]


def test_an_account_of_another_council_is_refused_like_a_missing_one(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    answers = []
    for email in ("parent.bravo@example.org", "nobody@example.org"):
        response = client.post(link_url(alpha), {"email": email})
        assert response.status_code == 200
        answers.append(response.context["form"].errors["email"])
    assert answers[0] == answers[1]
    assert "No parent account of the council has this email address." in answers[0][0]
    assert Carer.objects.get(pk=alpha["carer"].pk).account is None
    assert not CarerAccountEvent.objects.exists()


def test_a_staff_email_is_not_a_parent_account(world):
    alpha = world["alpha"]
    staff = alpha["tm"]
    staff.email = "staff.person@example.org"
    staff.save()
    with pytest.raises(ValidationError):
        carer_services.carer_account_link(
            actor=alpha["sw"], carer=alpha["carer"], email=staff.email
        )


@pytest.mark.parametrize("role", NOT_CASEWORKERS)
def test_other_roles_are_refused(world, client_for, role):
    alpha = world["alpha"]
    client = client_for(alpha["people"][role])
    assert client.get(link_url(alpha)).status_code == 403
    assert client.post(link_url(alpha), {"email": "parent.alpha@example.org"}).status_code == 403
    assert client.post(api_url(alpha), {"email": "parent.alpha@example.org"}).status_code == 403
    assert Carer.objects.get(pk=alpha["carer"].pk).account is None


@pytest.mark.parametrize(
    "name", ["referrals:carer-account-link", "referrals:carer-account-unlink", "api"]
)
def test_another_councils_carer_is_not_found(world, client_for, name):
    client = client_for(world["alpha"]["sw"])
    bravo = world["bravo"]
    other = api_url(bravo) if name == "api" else link_url(bravo, name)
    response = client.post(other, {"email": "parent.bravo@example.org"})
    assert response.status_code == 404
    assert Carer.objects.get(pk=bravo["carer"].pk).account is None


def test_the_api_links_unlinks_and_refuses_bad_input(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    bad = client.post(api_url(alpha), {"email": "not-an-email"}, content_type="application/json")
    assert bad.status_code == 400
    assert "email" in bad.json()
    elsewhere = client.post(
        api_url(alpha), {"email": "parent.bravo@example.org"}, content_type="application/json"
    )
    assert elsewhere.status_code == 400
    assert "email" in elsewhere.json()
    ok = client.post(
        api_url(alpha), {"email": "parent.alpha@example.org"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["account_email"] == "parent.alpha@example.org"
    again = client.post(
        api_url(alpha), {"email": "parent.alpha@example.org"}, content_type="application/json"
    )
    assert again.status_code == 409
    gone = client.delete(api_url(alpha))
    assert gone.status_code == 200
    assert gone.json()["account_email"] is None
    assert client.delete(api_url(alpha)).status_code == 409
    timeline = client.get(reverse("api-child-timeline", args=[alpha["child"].pk])).json()
    assert [e["kind"] for e in timeline["results"] if e["kind"] == "carer"] == ["carer", "carer"]


def test_the_api_refuses_the_anonymous(world):
    from django.test import Client

    assert Client().post(api_url(world["alpha"]), {"email": "x@example.org"}).status_code == 401


def test_the_services_refuse_a_double_link_and_an_unlink_of_nothing(world):
    alpha = world["alpha"]
    with pytest.raises(TransitionNotAllowed):
        carer_services.carer_account_unlink(actor=alpha["sw"], carer=alpha["carer"])
    carer_services.carer_account_link(
        actor=alpha["sw"], carer=alpha["carer"], email="parent.alpha@example.org"
    )
    with pytest.raises(TransitionNotAllowed):
        carer_services.carer_account_link(
            actor=alpha["sw"], carer=alpha["carer"], email="parent.alpha@example.org"
        )
    second = carer_services.carer_add(
        actor=alpha["sw"], child=alpha["child"], name=f"Other {MARKER_A}", relationship="father"
    )
    with pytest.raises(ValidationError):
        carer_services.carer_account_link(
            actor=alpha["sw"], carer=second, email="parent.alpha@example.org"
        )


def test_another_councils_linked_carer_cannot_be_unlinked_through_the_api(world, client_for):
    bravo = world["bravo"]
    carer_services.carer_account_link(
        actor=bravo["sw"], carer=bravo["carer"], email="parent.bravo@example.org"
    )
    client = client_for(world["alpha"]["sw"])
    response = client.delete(api_url(bravo))
    assert response.status_code == 404
    assert "parent.bravo@example.org" not in response.content.decode()
    assert Carer.objects.get(pk=bravo["carer"].pk).account == bravo["parent"]


def test_another_childs_carer_is_not_found_under_this_child(world, client_for):
    alpha = world["alpha"]
    other = make_child(alpha["sw"], last_name=f"Other {MARKER_A}")
    client = client_for(alpha["sw"])
    wrong = reverse("referrals:carer-account-link", args=[other.pk, alpha["carer"].pk])
    assert client.post(wrong, {"email": "parent.alpha@example.org"}).status_code == 404
    wrong_api = reverse("api-carer-account", args=[other.pk, alpha["carer"].pk])
    assert client.post(wrong_api, {"email": "parent.alpha@example.org"}).status_code == 404
    assert Carer.objects.get(pk=alpha["carer"].pk).account is None


@pytest.mark.parametrize("name", ["referrals:carer-account-link", "referrals:carer-account-unlink"])
def test_the_anonymous_are_sent_to_sign_in_and_nothing_changes(world, name):
    from django.test import Client

    alpha = world["alpha"]
    response = Client().post(link_url(alpha, name), {"email": "parent.alpha@example.org"})
    assert response.status_code == 302
    assert reverse("sign-in") in response["Location"]
    assert Carer.objects.get(pk=alpha["carer"].pk).account is None
    assert not CarerAccountEvent.objects.exists()


def test_the_api_refuses_a_bad_email_and_the_wrong_role_changing_nothing(world, client_for):
    alpha = world["alpha"]
    carer_services.carer_account_link(
        actor=alpha["sw"], carer=alpha["carer"], email="parent.alpha@example.org"
    )
    events = CarerAccountEvent.objects.count()
    for role in NOT_CASEWORKERS:
        assert client_for(alpha["people"][role]).delete(api_url(alpha)).status_code == 403
    carer = Carer.objects.create(
        council=alpha["council"], child=alpha["child"], name="Jo", relationship="aunt"
    )
    url = reverse("api-carer-account", args=[alpha["child"].pk, carer.pk])
    bad = client_for(alpha["sw"]).post(url, {"email": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert "email" in bad.json()
    assert Carer.objects.get(pk=carer.pk).account is None
    assert Carer.objects.get(pk=alpha["carer"].pk).account == alpha["parent"]
    assert CarerAccountEvent.objects.count() == events
