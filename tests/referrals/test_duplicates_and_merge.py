"""Duplicate children's records: possible matches shown before a child is added (same NHS number;
same date of birth or postcode with a similar name), and to staff reviewing an online
application, never to the parent; a team manager merges a duplicate into the record kept, every
record pointing at the child moving with it, the duplicate left as a pointer out of lists and
searches, both timelines and the access log recording it. Refusals: another council's record
404, another role 403, a record into itself or an already merged one 400."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import (
    Assessment,
    CaseNote,
    Child,
    ChildEvent,
    GrantApplication,
    OvernightStay,
    Package,
    Referral,
    Review,
)
from referrals.selectors import children as child_selectors
from referrals.selectors import timeline as timeline_selectors
from referrals.services import carers as carer_services
from referrals.services import grants as grant_services
from referrals.services import merges as merge_services
from referrals.services import notes as note_services
from referrals.services import overnights as overnight_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import (
    make_child,
    make_package,
    make_referral,
    nhs_number,
)
from tests.statements.test_parents import NEW_CHILD, make_parent, signed_in

pytestmark = pytest.mark.usefixtures("frozen_today")

NHS = nhs_number("943476591")


@pytest.fixture
def alpha(world):
    return world["alpha"]


def matches_for(alpha, **fields):
    found = child_selectors.child_possible_matches(actor=alpha["sw"], **fields)
    return {match.child.pk: match.reasons for match in found}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def merge_url(child) -> str:
    return reverse("api-child-merge", args=[child.pk])


# ----------------------------------------------------------------------------------------------
# Possible matches


def test_possible_matches_by_nhs_number_date_of_birth_or_postcode_with_a_similar_name(alpha):
    sw = alpha["sw"]
    by_nhs = make_child(sw, first_name="Kit", last_name="Other", nhs_number=NHS)
    by_birth = make_child(
        sw, first_name="Jonathon", last_name="Smyth", date_of_birth=date(2015, 3, 9)
    )
    by_postcode = make_child(sw, first_name="Jon", last_name="Smith", postcode="SY1 1AA")
    make_child(sw, first_name="Priya", last_name="Shah", date_of_birth=date(2015, 3, 9))

    found = matches_for(
        alpha,
        first_name="Jonathan",
        last_name="Smith",
        date_of_birth=date(2015, 3, 9),
        nhs_number=NHS[:3] + " " + NHS[3:],
        postcode="sy1  1aa",
    )

    assert found == {
        by_nhs.pk: ("the same NHS number",),
        by_birth.pk: ("the same date of birth and a similar name",),
        by_postcode.pk: ("the same postcode and a similar name",),
    }


def test_possible_matches_stay_within_the_council(world, alpha):
    bravo_child = make_child(
        world["bravo"]["sw"], first_name="Jon", last_name="Smith", nhs_number=NHS
    )
    assert bravo_child.pk not in matches_for(
        alpha, first_name="Jon", last_name="Smith", nhs_number=NHS
    )


def test_adding_a_child_shows_the_matches_and_needs_a_confirmation(alpha, client_for):
    existing = make_child(
        alpha["sw"], first_name="Priya", last_name="Shah", date_of_birth=date(2014, 3, 27)
    )
    client = client_for(alpha["sw"])
    form = {
        "first_name": "Pria",
        "last_name": "Shah",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2014",
        "postcode": "",
        "keyworker": "",
    }
    assert client.post(reverse("referrals:child-create"), form).status_code == 302
    check_url = reverse("referrals:child-create-check")
    page = client.get(check_url).content.decode()
    assert "Possible matches" in page
    assert "Open Priya Shah's record" in page
    assert reverse("referrals:child", args=[existing.pk]) in page
    assert AccessLogEntry.objects.filter(action="search", object_id=str(existing.pk)).exists()

    refused = client.post(check_url)
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert not Child.objects.filter(first_name="Pria").exists()

    added = client.post(check_url, {"confirm_new": "yes"})
    assert added.status_code == 302
    assert Child.objects.filter(first_name="Pria").exists()


def test_staff_see_matches_for_an_online_application_and_the_parent_never_does(alpha, client_for):
    existing = make_child(
        alpha["sw"], first_name="Kit", last_name="Applicant", date_of_birth=date(2016, 6, 14)
    )
    grant_services.grant_scheme_create(
        actor=alpha["sw"],
        name="Short break grant",
        year=2026,
        eligibility_criteria="A disabled child.",
        max_amount=Decimal("500.00"),
    )
    parent = make_parent(alpha["council"], "new.family@example.org")
    client = signed_in(parent)
    client.post(reverse("statements:account-apply", args=["alpha"]), NEW_CHILD)
    response = client.post(reverse("statements:account-apply-check", args=["alpha"]))
    assert response.status_code == 302
    application = GrantApplication.objects.get(
        child__last_name="Applicant", child__pk__gt=existing.pk
    )
    parent_page = client.get(response["Location"]).content.decode()
    assert "Possible matches" not in parent_page
    assert existing.council_child_id not in parent_page

    staff = client_for(alpha["sw"]).get(
        reverse("referrals:grant-application", args=[application.pk])
    )
    page = staff.content.decode()
    assert "Possible matches" in page
    assert reverse("referrals:child", args=[existing.pk]) in page


# ----------------------------------------------------------------------------------------------
# Merging


@pytest.fixture
def duplicate(alpha):
    """A second record of the world's child with a bit of everything recorded on it."""
    sw, tm = alpha["sw"], alpha["tm"]
    child = make_child(sw, first_name="Samuel", last_name=alpha["child"].last_name)
    make_referral(sw, child)
    package = make_package(sw, tm, child, alpha["offer"])
    review_services.review_record(
        actor=sw, package=package, held_on=date(2025, 9, 1), outcome="continue"
    )
    carer_services.carer_add(actor=sw, child=child, name="Grace Jones", relationship="mother")
    note_services.case_note_add(
        actor=sw, child=child, on=date(2026, 6, 1), kind="visit", text="Home visit."
    )
    overnight_services.overnight_stay_record(
        actor=sw, child=child, first_night=date(2025, 7, 4), nights=2
    )
    scheme = grant_services.grant_scheme_create(
        actor=sw, name="Short break grant", year=2025, eligibility_criteria="Disabled child."
    )
    grant_services.grant_application_create(
        actor=sw, child=child, scheme=scheme, received_on=date(2025, 5, 1)
    )
    return child


def test_merging_moves_every_record_and_leaves_a_pointer(alpha, duplicate):
    keep = alpha["child"]
    merge_services.child_merge(actor=alpha["tm"], keep=keep, merge=duplicate)

    for model in (Referral, Assessment, Package, CaseNote, OvernightStay, GrantApplication):
        assert model.objects.filter(child=duplicate).count() == 0, model
        assert model.objects.filter(child=keep).exists(), model
    assert keep.carers.filter(name="Grace Jones").exists()
    assert Review.objects.filter(package__child=keep).count() == 1
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert duplicate.pk not in {c.pk for c in child_selectors.child_list(actor=alpha["sw"])}
    searched = child_selectors.child_list(actor=alpha["sw"], search="Samuel")
    assert duplicate.pk not in {c.pk for c in searched}
    assert ChildEvent.objects.get(child=keep).kind == ChildEvent.MERGED_IN
    assert ChildEvent.objects.get(child=duplicate).kind == ChildEvent.MERGED_AWAY
    kept_timeline = timeline_selectors.child_timeline(actor=alpha["tm"], child=keep)
    assert any("merged into this one" in entry.summary for entry in kept_timeline)
    away_timeline = timeline_selectors.child_timeline(actor=alpha["tm"], child=duplicate)
    assert [entry.kind for entry in away_timeline] == ["record"]


def test_the_api_merges_and_logs_both_children(alpha, duplicate):
    response = api(alpha["tm"]).post(
        merge_url(alpha["child"]), {"merge": duplicate.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == alpha["child"].pk
    for child in (alpha["child"], duplicate):
        assert AccessLogEntry.objects.filter(
            action="change", object_type="referrals.child", object_id=str(child.pk)
        ).exists()


def test_merge_refusals(world, alpha, duplicate):
    tm = api(alpha["tm"])
    keep = alpha["child"]
    bravo_child = world["bravo"]["child"]
    # Another council's record, on either side: 404, as a missing one.
    assert tm.post(merge_url(keep), {"merge": bravo_child.pk}, format="json").status_code == 404
    assert tm.post(merge_url(bravo_child), {"merge": keep.pk}, format="json").status_code == 404
    # A social worker, an auditor: 403.
    for role in (Role.SOCIAL_WORKER, Role.AUDITOR):
        person = api(alpha["people"][role])
        assert (
            person.post(merge_url(keep), {"merge": duplicate.pk}, format="json").status_code == 403
        )
    with pytest.raises(PermissionDenied):
        merge_services.child_merge(actor=alpha["sw"], keep=keep, merge=duplicate)
    # Into itself, bad input: 400.
    itself = tm.post(merge_url(keep), {"merge": keep.pk}, format="json")
    assert itself.status_code == 400
    assert itself.json() == {"merge": ["A record cannot be merged into itself."]}
    assert tm.post(merge_url(keep), {"merge": "x"}, format="json").status_code == 400
    # Already merged, on either side: 400.
    assert tm.post(merge_url(keep), {"merge": duplicate.pk}, format="json").status_code == 200
    again = tm.post(merge_url(keep), {"merge": duplicate.pk}, format="json")
    assert again.status_code == 400
    into_merged = tm.post(merge_url(duplicate), {"merge": keep.pk}, format="json")
    assert into_merged.status_code == 400
    assert "already merged" in into_merged.json()["keep"][0]
    with pytest.raises(ValidationError):
        merge_services.child_merge(actor=alpha["tm"], keep=keep, merge=duplicate)


def test_two_live_applications_on_one_scheme_are_refused_until_one_is_decided(alpha, duplicate):
    scheme = GrantApplication.objects.get(child=duplicate).scheme
    grant_services.grant_application_create(
        actor=alpha["sw"], child=alpha["child"], scheme=scheme, received_on=date(2025, 5, 2)
    )
    with pytest.raises(ValidationError) as refused:
        merge_services.child_merge(actor=alpha["tm"], keep=alpha["child"], merge=duplicate)
    assert "Both records have a live application" in refused.value.message_dict["merge"][0]
    assert Child.objects.get(pk=duplicate.pk).merged_into is None


def test_a_team_manager_merges_through_the_pages(alpha, duplicate, client_for):
    client = client_for(alpha["tm"])
    keep = alpha["child"]
    url = reverse("referrals:child-merge", args=[keep.pk])
    choose = client.get(url).content.decode()
    assert "Merge a duplicate record into this one" in choose
    check = client.post(url, {"council_child_id": duplicate.council_child_id})
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check before merging the records" in page
    assert "What moves to the record kept" in page
    assert Child.objects.get(pk=duplicate.pk).merged_into is None
    done = client.post(url, {"other": duplicate.pk, "confirm": "yes"})
    assert done.status_code == 302
    assert Child.objects.get(pk=duplicate.pk).merged_into == keep
    pointer = client.get(reverse("referrals:child", args=[duplicate.pk])).content.decode()
    assert "This record was merged into another" in pointer
    assert reverse("referrals:child", args=[keep.pk]) in pointer
    # Into itself: the error summary, nothing merged.
    itself = client.post(url, {"other": keep.pk, "confirm": "yes"})
    assert "A record cannot be merged into itself." in itself.content.decode()
    # A social worker cannot open the page.
    assert client_for(alpha["sw"]).get(url).status_code == 403


def test_the_merge_page_of_another_councils_child_is_not_found(world, alpha, client_for):
    url = reverse("referrals:child-merge", args=[world["bravo"]["child"].pk])
    assert client_for(alpha["tm"]).get(url).status_code == 404
    mine = reverse("referrals:child-merge", args=[alpha["child"].pk])
    response = client_for(alpha["tm"]).post(
        mine, {"other": world["bravo"]["child"].pk, "confirm": "yes"}
    )
    assert "Choose one of the possible matches" in response.content.decode()
    assert Child.objects.get(pk=world["bravo"]["child"].pk).merged_into is None


def test_the_api_lists_a_records_possible_matches(
    world, alpha, duplicate, django_assert_num_queries
):
    client = api(alpha["sw"])
    url = reverse("api-child-possible-matches", args=[alpha["child"].pk])
    client.get(url)  # warm the token's session
    # The matches are one query however many there are; the access log writes two rows.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [duplicate.pk]
    assert response.json()["results"][0]["reasons"] == ["the same date of birth and a similar name"]
    other = reverse("api-child-possible-matches", args=[world["bravo"]["child"].pk])
    assert client.get(other).status_code == 404
    assert api(alpha["people"][Role.COMMISSIONER]).get(url).status_code == 403
