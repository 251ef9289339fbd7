"""Lists and searches of children's records write the access log, and no search is ever in an
address.

Every page and API list of children's records writes one row per response (action `list` or
`search`, the filters given, the ids shown); another council's person, who sees nothing of this
council, leaves no row in it. The children's search is posted: the page redirects to `?q=<id>`,
which pages without the terms, and the API takes `POST /api/v1/children/search/`. A search put in
an address is refused (API) or dropped (page), and nothing is searched for it. Refusals first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import (
    Assessment,
    Child,
    GrantApplication,
    Package,
    PanelDecision,
    Referral,
    Review,
    ReviewOutcome,
)
from referrals.services import grants as grant_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import (
    LIST_ACTIONS,
    PATH_LENGTH,
    access_log_record_list,
    listing,
    listing_path,
)
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import (
    completed_assessment,
    make_child,
    make_package,
    make_referral,
    nhs_number,
)
from tests.referrals.once import built_for_module
from tests.roles import NOT_CHILD_READERS

NHS = nhs_number("943476591")  # 9434765919
POSTCODE = "TF1 2AB"
# Everything the searched-for child could be found by, as typed and as an address would carry it.
TERMS = ("Rivers", "Ellis Rivers", "943 476 5919", NHS, POSTCODE, "tf1 2ab", "RV-2041")


def build_list_world(world: dict) -> dict:
    """In each council: a child with a referral, an assessment waiting for authorisation, an
    active package with its panel decision and a review, and a grant application waiting; in
    alpha also Ellis Rivers, the child searched for."""
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        place = world[slug]
        sw, tm, child = place["sw"], place["tm"], place["child"]
        make_referral(sw, child)
        package = make_package(sw, tm, child, place["offer"])
        review_services.review_record(
            actor=sw, package=package, held_on=date(2025, 5, 1), outcome=ReviewOutcome.CONTINUE
        )
        completed_assessment(sw, child)
        scheme = grant_services.grant_scheme_create(
            actor=sw,
            name=f"Short break grant {marker}",
            year=2025,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("500.00"),
        )
        grant_services.grant_application_create(
            actor=sw, child=child, scheme=scheme, received_on=date(2025, 1, 6)
        )
    world["rivers"] = make_child(
        world["alpha"]["sw"],
        first_name="Ellis",
        last_name="Rivers",
        nhs_number=NHS,
        postcode=POSTCODE,
        council_child_id="RV-2041",
    )
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_list_world)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _rows(**filters):
    return AccessLogEntry.objects.filter(action__in=list(LIST_ACTIONS), **filters)


def _ids(model, council) -> set[int]:
    return set(model.objects.filter(council=council).values_list("pk", flat=True))


# Each list of children's records: (name, how it is asked for, who asks, what its ids are, the
# model whose rows of the council it shows).
PAGES = [
    ("referrals:children", "sw", "referrals.child", Child),
    ("referrals:caseload", "sw", "referrals.child", Child),
    ("referrals:authorisations", "tm", "referrals.assessment", Assessment),
    ("referrals:referral-list", "sw", "referrals.referral", Referral),
    ("referrals:grants", "sw", "referrals.grantapplication", GrantApplication),
]
APIS = [
    ("api-children", "sw", "referrals.child", Child),
    ("api-caseload", "sw", "referrals.child", Child),
    ("api-referrals", "sw", "referrals.referral", Referral),
    ("api-grant-applications", "sw", "referrals.grantapplication", GrantApplication),
    ("api-assessments", "sw", "referrals.assessment", Assessment),
    ("api-panel-decisions", "sw", "referrals.paneldecision", PanelDecision),
    ("api-packages", "sw", "referrals.package", Package),
    ("api-reviews", "sw", "referrals.review", Review),
]
EVERY_LIST = [("page", *case) for case in PAGES] + [("api", *case) for case in APIS]


def _get(world, kind: str, url_name: str, who: str, slug: str = "alpha", client_for=None):
    person = world[slug][who]
    client = _api(person) if kind == "api" else client_for(person)
    return client.get(reverse(url_name))


def _caseload_children(world, slug: str) -> set[int]:
    """The caseload shows only the children the social worker is keyworker for, with something
    due: the council's child with its referral, assessment and package."""
    return {world[slug]["child"].pk}


# ----------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(("kind", "url_name", "who", "object_type", "model"), EVERY_LIST)
def test_another_councils_person_sees_nothing_of_this_council_and_leaves_no_row_in_it(
    world, client_for, kind, url_name, who, object_type, model
):
    alpha, bravo = world["alpha"]["council"], world["bravo"]["council"]
    response = _get(world, kind, url_name, who, slug="bravo", client_for=client_for)
    assert response.status_code == 200
    assert MARKER_A not in response.content.decode()
    assert not _rows(council=alpha).exists()
    [row] = _rows(council=bravo)
    assert row.user == world["bravo"][who]
    shown = set(listing(row).ids)
    assert shown  # their own council's records
    assert not shown & _ids(model, alpha)


@pytest.mark.parametrize(("kind", "url_name", "who", "object_type", "model"), EVERY_LIST)
def test_someone_who_may_not_read_children_is_refused_and_nothing_is_listed(
    world, client_for, kind, url_name, who, object_type, model
):
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    client = _api(commissioner) if kind == "api" else client_for(commissioner)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert not _rows().exists()
    assert AccessLogEntry.objects.filter(user=commissioner, outcome="refused").count() == 1


def test_a_search_in_the_api_address_is_refused_and_searches_nothing(world):
    client = _api(world["alpha"]["sw"])
    for search in TERMS:
        response = client.get(reverse("api-children"), {"search": search})
        assert response.status_code == 400
        body = response.json()
        assert "POST them to /api/v1/children/search/" in body["search"][0]
        assert "results" not in body
        assert "Ellis" not in response.content.decode()
    assert not _rows().exists()


def test_a_search_in_the_page_address_is_dropped_and_searches_nothing(world, client_for):
    client = client_for(world["alpha"]["sw"])
    for search in TERMS:
        response = client.get(reverse("referrals:children"), {"search": search, "tier": ""})
        assert response.status_code == 302
        assert response["Location"] == reverse("referrals:children") + "?tier="
        assert not _rows().exists()  # a redirect shows nothing, so it logs nothing
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Names, NHS numbers and postcodes are not kept in the page address" in body
    # What followed is the plain list, not a search: nothing was searched for.
    [row] = _rows()
    assert row.action == "list"
    assert "search" not in dict(listing(row).filters)


def test_the_search_form_is_posted_with_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alpha"]["sw"])
    page = client.get(reverse("referrals:children")).content.decode()
    assert '<form method="post" action="/children/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    refused = client.post(reverse("referrals:children"), {"search": "Rivers"})
    assert refused.status_code == 403
    assert not _rows(action="search").exists()


def test_a_saved_search_is_the_searchers_own(world, client_for):
    """The opaque id names a search in the searcher's session only: anyone else (another worker
    of the same council), or the searcher after signing out, gets the list again, not the
    search."""
    mine = client_for(world["alpha"]["sw"])
    location = mine.post(reverse("referrals:children"), {"search": "Rivers"})["Location"]
    colleague = client_for(world["alpha"]["tm"])
    response = colleague.get(location)
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:children")
    assert "That search has ended" in colleague.get(response["Location"]).content.decode()
    assert not _rows(action="search").exists()


def test_another_councils_search_finds_nothing_of_this_council_and_leaves_no_row_in_it(world):
    alpha, bravo = world["alpha"]["council"], world["bravo"]["council"]
    client = _api(world["bravo"]["sw"])
    for search in TERMS:
        response = client.post(reverse("api-children-search"), {"search": search}, format="json")
        assert response.status_code == 200
        assert response.json()["results"] == []
    assert not _rows(council=alpha).exists()
    rows = _rows(council=bravo)
    assert rows.count() == len(TERMS)
    assert all(listing(row).ids == [] for row in rows)


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_the_search_api_refuses_whoever_may_not_read_children(world, role):
    response = _api(world["alpha"]["people"][role]).post(
        reverse("api-children-search"), {"search": "Rivers"}, format="json"
    )
    assert response.status_code == 403
    assert "Rivers" not in response.content.decode()
    assert not _rows().exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"search": ""},
        {"search": "x" * 101},
        {"search": "a", "page": 0},
        {"search": "a", "tier": "gold"},
    ],
)
def test_a_search_that_is_not_valid_is_400_and_lists_nothing(world, body):
    response = _api(world["alpha"]["sw"]).post(reverse("api-children-search"), body, format="json")
    assert response.status_code == 400
    assert not _rows().exists()


# ----------------------------------------------------------------------------------------------
# One row per response, with the ids shown


@pytest.mark.parametrize(("kind", "url_name", "who", "object_type", "model"), EVERY_LIST)
def test_each_list_writes_one_row_with_the_ids_it_shows(
    world, client_for, kind, url_name, who, object_type, model
):
    alpha = world["alpha"]["council"]
    person = world["alpha"][who]
    response = _get(world, kind, url_name, who, client_for=client_for)
    assert response.status_code == 200
    [row] = _rows()
    assert (row.action, row.object_type, row.user, row.council) == (
        "list",
        object_type,
        person,
        alpha,
    )
    recorded = listing(row)
    assert recorded.unrecorded == 0
    expected = (
        _caseload_children(world, "alpha") if url_name.endswith("caseload") else _ids(model, alpha)
    )
    if url_name == "referrals:authorisations":
        expected = set(
            Assessment.objects.filter(council=alpha, status="completed").values_list(
                "pk", flat=True
            )
        )
    if url_name == "referrals:grants":
        expected = set(
            GrantApplication.objects.filter(council=alpha, status="received").values_list(
                "pk", flat=True
            )
        )
    assert set(recorded.ids) == expected
    assert len(recorded.ids) == len(expected)  # each once
    if kind == "api" and url_name != "api-caseload":
        # In the order the answer holds them.
        assert recorded.ids == [item["id"] for item in response.json()["results"]]


def test_the_api_list_records_its_filters(world):
    child = world["alpha"]["child"]
    _api(world["alpha"]["sw"]).get(reverse("api-referrals"), {"child": child.pk})
    [row] = _rows()
    assert dict(listing(row).filters) == {"child": str(child.pk)}
    assert listing(row).ids == list(
        Referral.objects.filter(child=child).values_list("pk", flat=True)
    )


def test_the_children_api_pages_by_number_so_no_name_is_in_the_next_address(world):
    """A cursor over a list by name would hold the last child's name (base64 is no disguise)."""
    client = _api(world["alpha"]["sw"])
    first = client.get(reverse("api-children"), {"page_size": 1}).json()
    following = first["next"]
    assert urlsplit(following).query == "page=2&page_size=1"
    second = client.get(following).json()
    assert second["previous"].endswith("/api/v1/children/?page_size=1")
    shown = [first["results"][0]["id"], second["results"][0]["id"]]
    assert len(set(shown)) == 2
    rows = list(_rows().order_by("id"))
    assert [listing(row).ids for row in rows] == [[shown[0]], [shown[1]]]
    assert dict(listing(rows[1]).filters)["page"] == "2"


# ----------------------------------------------------------------------------------------------
# Searching: posted, never in an address


def _addresses_in(body: str) -> list[str]:
    import re

    return re.findall(r'(?:href|action)="([^"]*)"', body)


def _carries_a_term(address: str) -> bool:
    for term in TERMS:
        for form in {term, term.lower(), term.replace(" ", ""), quote(term), quote_plus(term)}:
            if form.lower() in address.lower():
                return True
    return False


@pytest.mark.parametrize("search", TERMS)
def test_the_search_page_redirects_to_an_address_without_the_terms(world, client_for, search):
    client = client_for(world["alpha"]["sw"])
    response = client.post(reverse("referrals:children"), {"search": search})
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(location).path == reverse("referrals:children")
    assert urlsplit(location).query.startswith("q=")
    assert not _carries_a_term(location)
    assert not _rows().exists()  # the post shows nothing; the page it leads to is logged
    page = client.get(location)
    body = page.content.decode()
    assert "Ellis Rivers" in body
    assert f"Jones {MARKER_A}" not in body
    assert not any(_carries_a_term(address) for address in _addresses_in(body))
    [row] = _rows()
    assert row.action == "search"
    assert listing(row).ids == [world["rivers"].pk]
    assert dict(listing(row).filters)["search"] == search
    # One child found: the row is also found under that child's id.
    assert row.object_id == str(world["rivers"].pk)


def test_the_search_results_page_without_the_terms(world, client_for, monkeypatch):
    monkeypatch.setattr("referrals.views.children.PAGE_SIZE", 1)
    sw = world["alpha"]["sw"]
    other = make_child(sw, first_name="Eliza", last_name="Rivers")
    client = client_for(sw)
    location = client.post(reverse("referrals:children"), {"search": "rivers"})["Location"]
    first = client.get(location).content.decode()
    [following] = [a for a in _addresses_in(first) if "page=2" in a]
    assert not _carries_a_term(following)
    second = client.get(reverse("referrals:children") + following.replace("&amp;", "&"))
    assert second.status_code == 200
    first_rows, second_rows = _rows().order_by("id")
    shown = listing(first_rows).ids + listing(second_rows).ids
    assert sorted(shown) == sorted([world["rivers"].pk, other.pk])
    assert dict(listing(second_rows).filters) == {"page": "2", "search": "rivers"}


def test_the_tier_alone_stays_a_plain_list_in_the_address(world, client_for):
    client = client_for(world["alpha"]["sw"])
    response = client.post(reverse("referrals:children"), {"search": "", "tier": "specialist"})
    assert response["Location"] == reverse("referrals:children") + "?tier=specialist"
    client.get(response["Location"])
    [row] = _rows()
    assert row.action == "list"
    assert dict(listing(row).filters) == {"tier": "specialist"}
    assert listing(row).ids == [world["alpha"]["child"].pk]


def test_the_search_api_takes_the_terms_in_the_body_and_pages_by_number(world):
    sw = world["alpha"]["sw"]
    other = make_child(sw, first_name="Eliza", last_name="Rivers")
    client = _api(sw)
    url = reverse("api-children-search")
    first = client.post(url, {"search": "rivers", "page_size": 1}, format="json").json()
    assert first["page"] == 1
    assert first["next_page"] == 2
    second = client.post(url, {"search": "rivers", "page_size": 1, "page": 2}, format="json").json()
    assert second["next_page"] is None
    shown = [first["results"][0]["id"], second["results"][0]["id"]]
    assert sorted(shown) == sorted([world["rivers"].pk, other.pk])
    rows = list(_rows().order_by("id"))
    assert [row.action for row in rows] == ["search", "search"]
    assert [listing(row).ids for row in rows] == [[shown[0]], [shown[1]]]
    assert all(row.path.startswith("/api/v1/children/search/?") for row in rows)
    assert dict(listing(rows[1]).filters) == {"page": "2", "search": "rivers"}


def test_an_auditor_may_search_though_they_may_not_change_a_child(world):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    response = _api(auditor).post(reverse("api-children-search"), {"search": NHS}, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world["rivers"].pk]


# ----------------------------------------------------------------------------------------------
# The access log shows what was listed and searched


def test_the_access_log_page_and_api_show_a_search_with_its_terms_and_ids(world, client_for):
    sw, manager = world["alpha"]["sw"], world["alpha"]["tm"]
    client = client_for(sw)
    client.get(client.post(reverse("referrals:children"), {"search": "Rivers"})["Location"])
    client.get(reverse("referrals:children"))
    rivers = world["rivers"].pk
    page = client_for(manager).get(reverse("accesslog:list"), {"action": "search"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Searched" in body
    assert f"referrals.child: 1 shown ({rivers})" in body
    assert "search: Rivers" in body
    api = _api(manager).get(reverse("api-access-log"), {"action": "search"}).json()
    [entry] = api["results"]
    assert entry["action"] == "search"
    assert entry["listing"] == {
        "label": "Searched",
        "filters": {"search": "Rivers"},
        "ids": [rivers],
        "unrecorded": 0,
    }
    listed = _api(manager).get(reverse("api-access-log"), {"action": "list"}).json()
    assert len(listed["results"][0]["listing"]["ids"]) == 2  # Jones and Rivers
    views = _api(manager).get(reverse("api-access-log"), {"action": "view"}).json()
    assert all(entry["listing"] is None for entry in views["results"])


def test_a_row_says_how_many_ids_it_could_not_hold(world, rf):
    """Until the log has a column for them, the ids share the row's 500-character path: those
    that do not fit are counted, never silently dropped."""
    ids = list(range(1_000_000, 1_000_200))
    path = listing_path("/api/v1/children/", {"tier": "specialist", "page": 3}, ids)
    assert len(path) <= PATH_LENGTH
    request = rf.get("/api/v1/children/")
    request.user = world["alpha"]["sw"]
    row = access_log_record_list(
        actor=world["alpha"]["sw"], request=request, object_type="referrals.child", ids=ids
    )
    row.refresh_from_db()
    recorded = listing(row)
    assert recorded.ids == ids[: len(recorded.ids)]
    assert len(recorded.ids) > 40
    assert len(recorded.ids) + recorded.unrecorded == len(ids)
    assert listing(AccessLogEntry(action="list", path=path)).filters == [
        ("tier", "specialist"),
        ("page", "3"),
    ]
