"""The children API: list and search, add, read and change a child (never the tier), the
timeline and the caseload; refusals by role and across councils; the access log; query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Child, ChildTier
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child, make_package, nhs_number
from tests.referrals.factories import ChildFactory
from tests.referrals.test_caseload_views import busy_children
from tests.roles import NOT_CHILD_READERS

VALID_NHS = nhs_number("943476591")


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _views_of(child) -> int:
    return AccessLogEntry.objects.filter(
        action="view", object_type="referrals.child", object_id=str(child.pk)
    ).count()


def _new_child(**overrides) -> dict:
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "date_of_birth": "2014-03-27",
        "nhs_number": "943 476 5919",
        "postcode": "sy1 1aa",
        "disabilities": ["AUT", "COMM"],
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------------------------
# Reading


def test_list_holds_only_the_councils_children(world):
    response = _api(world["alpha"]["sw"]).get(reverse("api-children"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["last_name"] for row in results] == [f"Jones {MARKER_A}"]
    assert results[0]["tier"] == "none"
    assert results[0]["keyworker"] == world["alpha"]["sw"].pk
    assert MARKER_B not in response.content.decode()


def test_list_search_and_tier(world):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    found = make_child(sw, first_name="Ellis", last_name="Rivers", nhs_number=VALID_NHS)
    child_services.child_tier_change(
        actor=tm, child=found, to_tier=ChildTier.TARGETED, on=date(2025, 1, 2), reason="Grant."
    )
    client = _api(sw)
    for search in ("rivers", VALID_NHS, found.council_child_id):
        answer = client.post(reverse("api-children-search"), {"search": search}, format="json")
        assert [row["id"] for row in answer.json()["results"]] == [found.pk], search
    results = client.get(reverse("api-children"), {"tier": "targeted"}).json()["results"]
    assert [row["id"] for row in results] == [found.pk]
    assert client.get(reverse("api-children"), {"tier": "gold"}).status_code == 400


@pytest.mark.parametrize("rows", [3, 12])
def test_list_queries_do_not_grow_with_rows(world, django_assert_num_queries, rows):
    sw = world["alpha"]["sw"]
    for index in range(rows):
        ChildFactory(
            council=world["alpha"]["council"],
            keyworker=sw,
            first_name="Extra",
            last_name=f"Row{index:02d}",
        )
    client = _api(sw)
    with django_assert_num_queries(4):  # 3, and the access log's row for the list
        response = client.get(reverse("api-children"))
    assert len(response.json()["results"]) == rows + 1


def test_detail_has_carers_and_tier_history_and_writes_the_access_log(world):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    child = world["alpha"]["child"]
    carer_services.carer_add(actor=sw, child=child, name="Maria Jones", relationship="mother")
    make_package(sw, tm, child, world["alpha"]["offer"])
    auditor = world["alpha"]["people"][Role.AUDITOR]
    response = _api(auditor).get(reverse("api-child", args=[child.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["tier"] == "specialist"
    assert data["carers"][0]["name"] == "Maria Jones"
    assert data["tier_changes"][0]["to_tier"] == "specialist"
    assert data["tier_changes"][0]["decided_by"] == str(tm)
    assert _views_of(child) == 1
    assert AccessLogEntry.objects.filter(object_id=str(child.pk)).latest("id").user == auditor


def test_timeline_lists_events_in_order_and_writes_the_access_log(world):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    child = world["alpha"]["child"]
    make_package(sw, tm, child, world["alpha"]["offer"])
    response = _api(sw).get(reverse("api-child-timeline", args=[child.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["child"] == child.pk
    days = [entry["on"] for entry in data["results"]]
    assert days == sorted(days)
    kinds = {entry["kind"] for entry in data["results"]}
    assert {"assessment", "tier", "panel", "package"} <= kinds
    assert _views_of(child) == 1


# ----------------------------------------------------------------------------------------------
# Adding and changing


def test_add_a_child(world):
    sw = world["alpha"]["sw"]
    response = _api(sw).post(reverse("api-children"), _new_child(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    child = Child.objects.get(pk=data["id"])
    assert child.council == world["alpha"]["council"]
    assert data["nhs_number"] == VALID_NHS
    assert data["postcode"] == "SY1 1AA"
    assert data["disabilities"] == ["AUT", "COMM"]
    assert data["tier"] == "none"
    assert data["council_child_id"]
    assert data["keyworker"] == sw.pk
    assert data["carers"] == [] and data["tier_changes"] == []
    assert AccessLogEntry.objects.filter(
        action="create", object_type="referrals.child", object_id=str(child.pk)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number"),
        ({"nhs_number": "abcdefghij"}, "nhs_number"),
        ({"first_name": ""}, "first_name"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "27/13/2014"}, "date_of_birth"),
        ({"postcode": "NOT A CODE"}, "postcode"),
        ({"disabilities": ["XYZ"]}, "disabilities"),
        ({"disabilities": "AUT"}, "disabilities"),
        ({"upn": "123"}, "upn"),
        ({"tier": "specialist"}, "tier"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(world, overrides, field):
    response = _api(world["alpha"]["sw"]).post(
        reverse("api-children"), _new_child(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Child.objects.filter(last_name="Shah").exists()


def test_a_duplicate_nhs_number_is_a_400(world):
    make_child(world["alpha"]["sw"], nhs_number=VALID_NHS)
    response = _api(world["alpha"]["sw"]).post(reverse("api-children"), _new_child(), format="json")
    assert response.status_code == 400
    assert response.json()["nhs_number"] == ["A child with this NHS number is already recorded."]


def test_keyworker_must_be_a_worker_of_the_council(world):
    client = _api(world["alpha"]["sw"])
    for person in (world["bravo"]["sw"], world["alpha"]["people"][Role.COMMISSIONER]):
        response = client.post(
            reverse("api-children"), _new_child(keyworker=person.pk), format="json"
        )
        assert response.status_code == 400
        assert "keyworker" in response.json()
    tm = world["alpha"]["tm"]
    response = client.post(reverse("api-children"), _new_child(keyworker=tm.pk), format="json")
    assert response.status_code == 201
    assert response.json()["keyworker"] == tm.pk


def test_patch_changes_details_but_never_the_tier(world):
    child = world["alpha"]["child"]
    client = _api(world["alpha"]["tm"])
    response = client.patch(
        reverse("api-child", args=[child.pk]), {"school": "Woodlands School"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["school"] == "Woodlands School"
    assert response.json()["first_name"] == "Sam"
    refused = client.patch(
        reverse("api-child", args=[child.pk]),
        {"tier": "specialist", "school": "Elsewhere"},
        format="json",
    )
    assert refused.status_code == 400
    assert "tier" in refused.json()
    child.refresh_from_db()
    assert child.tier == ChildTier.NONE
    assert child.school == "Woodlands School"
    bad = client.patch(
        reverse("api-child", args=[child.pk]), {"nhs_number": "1234567890"}, format="json"
    )
    assert bad.status_code == 400
    assert "nhs_number" in bad.json()


# ----------------------------------------------------------------------------------------------
# Refusals


def _urls(child_id) -> list[str]:
    return [reverse("api-child", args=[child_id]), reverse("api-child-timeline", args=[child_id])]


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_view_child_get_403_everywhere(world, role):
    client = _api(world["alpha"]["people"][role])
    child = world["alpha"]["child"]
    for url in [reverse("api-children"), reverse("api-caseload"), *_urls(child.pk)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Jones" not in response.content.decode()
    assert client.post(reverse("api-children"), _new_child(), format="json").status_code == 403
    patch = client.patch(reverse("api-child", args=[child.pk]), {"school": "X"}, format="json")
    assert patch.status_code == 403
    assert _views_of(child) == 0
    assert not Child.objects.filter(last_name="Shah").exists()


def test_auditor_reads_but_cannot_change(world):
    client = _api(world["alpha"]["people"][Role.AUDITOR])
    child = world["alpha"]["child"]
    assert client.get(reverse("api-children")).status_code == 200
    assert client.post(reverse("api-children"), _new_child(), format="json").status_code == 403
    patch = client.patch(reverse("api-child", args=[child.pk]), {"school": "X"}, format="json")
    assert patch.status_code == 403


def test_another_councils_child_is_exactly_as_missing(world):
    client = _api(world["alpha"]["sw"])
    other = world["bravo"]["child"]
    missing = Child.objects.order_by("-pk").first().pk + 1000
    for other_url, missing_url in zip(_urls(other.pk), _urls(missing), strict=True):
        refused, absent = client.get(other_url), client.get(missing_url)
        assert refused.status_code == absent.status_code == 404
        assert refused.json() == absent.json()
    patch = client.patch(reverse("api-child", args=[other.pk]), {"school": "X"}, format="json")
    assert patch.status_code == 404
    other.refresh_from_db()
    assert other.school == ""
    assert _views_of(other) == 0


# ----------------------------------------------------------------------------------------------
# The caseload


def test_caseload_lists_what_is_due_overdue_first(world):
    sw = world["alpha"]["sw"]
    child = busy_children(world, "alpha", 1)[0]
    response = _api(sw).get(reverse("api-caseload"))
    assert response.status_code == 200
    data = response.json()
    assert data["worker"] == sw.pk
    kinds = {item["kind"] for item in data["results"]}
    assert kinds == {"referral", "authorisation", "review"}
    assert all(item["child"] == child.pk for item in data["results"])
    overdue = [item["overdue"] for item in data["results"]]
    assert overdue == sorted(overdue, reverse=True)
    assert MARKER_B not in response.content.decode()


def test_caseload_worker_only_for_team_managers(world, make_person):
    council = world["alpha"]["council"]
    other = make_person(council, Role.SOCIAL_WORKER)
    busy_children(world, "alpha", 1, worker=other)
    sw_response = _api(world["alpha"]["sw"]).get(reverse("api-caseload"), {"worker": other.pk})
    assert sw_response.status_code == 403
    tm = _api(world["alpha"]["tm"])
    theirs = tm.get(reverse("api-caseload"), {"worker": other.pk})
    assert theirs.status_code == 200
    assert len(theirs.json()["results"]) == 3
    outside = tm.get(reverse("api-caseload"), {"worker": world["bravo"]["sw"].pk})
    assert outside.status_code == 400
    assert "worker" in outside.json()


@pytest.mark.parametrize("rows", [2, 6])
def test_caseload_queries_do_not_grow_with_rows(world, django_assert_num_queries, rows):
    busy_children(world, "alpha", rows)
    client = _api(world["alpha"]["sw"])
    # The page of items, its children and the overdue count, and the access log's row.
    with django_assert_num_queries(6):
        response = client.get(reverse("api-caseload"))
    assert len(response.json()["results"]) == rows * 3
