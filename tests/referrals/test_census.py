"""The children in need census return: who is in it, its XML checked by the DfE's own rules
(csc-validator-be-cin), the page that lists each child's failing rules with the page that fixes
them, the API, who may have it, and the access log."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parses the app's own XML in tests
from datetime import date

import pytest
from django.urls import reverse

from referrals.census import CensusYear, census_check, census_for
from referrals.census_codes import upn_check_letter, upn_problem
from referrals.models import Child, ReferralStatus
from referrals.services import assessments as assessment_services
from referrals.services import children as child_services
from referrals.services import parents as parent_services
from referrals.services import referrals as referral_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import (
    authorised_assessment,
    make_child,
    screened_referral,
)
from tests.referrals.once import built_for_module

pytestmark = pytest.mark.usefixtures("frozen_today")

YEAR = CensusYear(2025)  # 2025-26, reference date 31 March 2026
API = "/api/v1/census/cin/"
PARENT_PASSWORD = "a-long-parent-password-42"


def upn(la: str, serial: str) -> str:
    """A permanent UPN with its check letter: la is the DfE LA number, serial 8 digits + 1."""
    body = f"{la}{serial}"
    return upn_check_letter(f"A{body}") + body


def referral_on(
    actor, child: Child, received_on: date, outcome=ReferralStatus.ACCEPTED_FOR_ASSESSMENT
):
    """A referral screened to its outcome on the day it came, on any day up to today."""
    referral = referral_services.referral_create(
        actor=actor,
        child=child,
        received_on=received_on,
        source="1A",
        primary_need="N2",
        request="Short breaks.",
    )
    referral_services.referral_transition(
        actor=actor, referral=referral, status="screening", on=received_on
    )
    return referral_services.referral_transition(
        actor=actor, referral=referral, status=outcome, on=received_on, reason="Screened."
    )


def census_child(place, marker: str, **fields) -> Child:
    """A child with every census item filled, a referral received in 2025-26 and an
    assessment authorised in the year with its factors."""
    sw, tm = place["sw"], place["tm"]
    la = place["council"].dfe_la_number
    fields.setdefault("upn", upn(la, "202600001"))
    child = make_child(
        sw,
        first_name="Kit",
        last_name=f"Census {marker}",
        date_of_birth=date(2015, 2, 3),
        disabilities=["AUT", "LD"],
        sex="F",
        ethnicity="WBRI",
        **fields,
    )
    referral = screened_referral(sw, child, received_on=date(2025, 5, 6))
    assessment = authorised_assessment(
        sw,
        tm,
        child,
        referral=referral,
        started_on=date(2025, 5, 12),
        completed_on=date(2025, 6, 9),
        authorised_on=date(2025, 6, 11),
    )
    assessment_services.assessment_factors_set(
        actor=sw, assessment=assessment, factors=["5A", "6A"]
    )
    return child


def build_census_world(world: dict) -> dict:
    for slug, number in (("alpha", "893"), ("bravo", "937")):
        council = world[slug]["council"]
        council.dfe_la_number = number
        council.save(update_fields=["dfe_la_number"])
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        world[slug]["census_child"] = census_child(world[slug], marker)
        world[slug]["admin"] = world[slug]["people"][Role.COUNCIL_ADMIN]
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_census_world)


def _children(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall("Children/Child")  # noqa: S314


# ----------------------------------------------------------------------------------------------
# The year and the UPN


def test_a_census_year_is_read_from_its_label_and_refused_otherwise():
    assert CensusYear.parse("2025-26") == YEAR
    assert YEAR.reference_date == date(2026, 3, 31) and YEAR.start == date(2025, 4, 1)
    assert YEAR.ruleset == "cin2025_26"
    for bad in ("2025", "2025-27", "25-26", "2019-20", "", "2025-26x"):
        with pytest.raises(ValueError):
            CensusYear.parse(bad)
    # The latest year whose reference date has passed (the tests run on 15 June 2026).
    assert CensusYear.latest() == YEAR


def test_a_upn_needs_its_check_letter():
    good = upn("893", "202600001")
    assert upn_problem(good) is None
    wrong = ("B" if good[0] == "A" else "A") + good[1:]
    assert "check letter" in upn_problem(wrong)
    assert upn_problem("A12345") is not None
    # A temporary UPN ends in a letter; its check letter is not the DfE's to compute.
    assert upn_problem("A12345678901B") is None


def test_services_refuse_a_wrong_check_letter_and_a_child_id_the_census_cannot_carry(world):
    sw = world["alpha"]["sw"]
    good = upn("893", "202600002")
    wrong = ("B" if good[0] == "A" else "A") + good[1:]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_child(sw, upn=wrong)
    assert "upn" in error.value.message_dict
    for child_id in ("CH/77", "A" * 21, "CH 77"):
        with pytest.raises(ValidationError) as error:
            make_child(sw, council_child_id=child_id)
        assert "council_child_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_child(sw, sex="X", ethnicity="WHITE", upn_unknown_reason="UN9")
    assert {"sex", "ethnicity", "upn_unknown_reason"} <= set(error.value.message_dict)


# ----------------------------------------------------------------------------------------------
# The return


def test_the_return_passes_the_dfe_rules_and_holds_only_the_council_s_children(world):
    alpha = world["alpha"]
    census = census_for(actor=alpha["tm"], year=YEAR)
    root = ET.fromstring(census.xml)  # noqa: S314
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert root.findtext("Header/Source/LEA") == "893"
    children = _children(census.xml)
    # The world's own child has no referral: not a child in need this year.
    assert len(children) == 1
    child = children[0]
    kit = alpha["census_child"]
    assert child.findtext("ChildIdentifiers/LAchildID") == kit.council_child_id
    assert child.findtext("ChildIdentifiers/UPN") == kit.upn
    assert child.findtext("ChildIdentifiers/PersonBirthDate") == "2015-02-03"
    assert child.findtext("ChildIdentifiers/Sex") == "F"
    assert child.findtext("ChildCharacteristics/Ethnicity") == "WBRI"
    assert [d.text for d in child.findall("ChildCharacteristics/Disabilities/Disability")] == [
        "AUT",
        "LD",
    ]
    details = child.find("CINdetails")
    assert details.findtext("CINreferralDate") == "2025-05-06"
    assert details.findtext("ReferralSource") == "2A"
    assert details.findtext("PrimaryNeedCode") == "N2"
    assert details.findtext("ReferralNFA") == "0"
    assessment = details.find("Assessments")
    assert assessment.findtext("AssessmentActualStartDate") == "2025-05-12"
    assert assessment.findtext("AssessmentAuthorisationDate") == "2025-06-11"
    assert [f.text for f in assessment.findall("FactorsIdentifiedAtAssessment/*")] == ["5A", "6A"]
    assert MARKER_B.encode() not in census.xml

    check = census_check(census)
    assert check.errors == 0, [(c.child, c.failures) for c in check.children]


def test_episodes_closed_before_the_year_and_later_referrals_are_left_out(world):
    alpha = world["alpha"]
    sw = alpha["sw"]
    early = make_child(sw, last_name="Early")
    referral = screened_referral(sw, early, received_on=date(2024, 9, 2))
    referral_services.referral_close(
        actor=sw, referral=referral, closed_on=date(2025, 2, 3), reason="RC7"
    )
    late = make_child(sw, last_name="Late")
    referral_on(sw, late, date(2026, 4, 20))
    nfa = make_child(sw, last_name="Signposted")
    screened_referral(
        sw, nfa, received_on=date(2024, 11, 4), outcome=ReferralStatus.SIGNPOSTED_UNIVERSAL
    )
    ids = {
        c.findtext("ChildIdentifiers/LAchildID")
        for c in _children(census_for(actor=alpha["tm"], year=YEAR).xml)
    }
    assert ids == {alpha["census_child"].council_child_id}
    # The year before holds the early child and the one signposted then.
    before = census_for(actor=alpha["tm"], year=CensusYear(2024))
    ids = {c.findtext("ChildIdentifiers/LAchildID") for c in _children(before.xml)}
    assert early.council_child_id.replace("-", "") in ids
    assert nfa.council_child_id in ids


def test_a_child_breaking_a_rule_is_listed_with_the_rule_and_the_page_that_fixes_it(
    world, client_for
):
    alpha = world["alpha"]
    sw = alpha["sw"]
    broken = make_child(sw, first_name="Rue", last_name="Broken", disabilities=["MOB"])
    referral = referral_on(sw, broken, date(2025, 7, 7))
    # No ethnicity (rule 4220) and no sex (4180); an episode closed with no assessment under
    # reason RC8 (8825Q, a query).
    referral_services.referral_close(
        actor=sw, referral=referral, closed_on=date(2025, 8, 1), reason="RC8"
    )
    response = client_for(alpha["tm"]).get(reverse("referrals:census-cin"), {"year": "2025-26"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rue Broken" in body
    assert "4220" in body and "Ethnicity is missing or invalid" in body
    assert "4180" in body
    assert "8825Q" in body
    assert reverse("referrals:child-edit", args=[broken.pk]) in body
    assert reverse("referrals:referral", args=[referral.pk]) in body
    # The child whose record is complete is not listed; another council's never.
    assert "Kit Census" not in body
    assert MARKER_B not in body
    # Fixing the record clears it.
    child_services.child_update(actor=sw, child=broken, ethnicity="WBRI", sex="M")
    body = client_for(alpha["tm"]).get(reverse("referrals:census-cin")).content.decode()
    assert "4220" not in body and "4180" not in body


def test_the_page_refuses_a_year_it_cannot_make(world, client_for):
    response = client_for(world["alpha"]["tm"]).get(
        reverse("referrals:census-cin"), {"year": "2019-20"}
    )
    assert response.status_code == 400
    assert "Choose a census year from the list" in response.content.decode()


# ----------------------------------------------------------------------------------------------
# Who may have it


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.COUNCIL_ADMIN])
def test_team_managers_and_council_administrators_download_it(world, client_for, role):
    person = world["alpha"]["people"][role]
    response = client_for(person).get(API, {"year": "2025-26"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "attachment" in response["Content-Disposition"]
    assert MARKER_B.encode() not in response.content
    page = client_for(person).get(reverse("referrals:census-cin-download"), {"year": "2025-26"})
    assert page.status_code == 200 and page.content == response.content.replace(
        response.content.split(b"<DateTime>")[1].split(b"</DateTime>")[0],
        page.content.split(b"<DateTime>")[1].split(b"</DateTime>")[0],
    )


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.COMMISSIONER, Role.AUDITOR, Role.FINANCE_OFFICER],
)
def test_other_roles_are_refused(world, client_for, role):
    client = client_for(world["alpha"]["people"][role])
    assert client.get(API).status_code == 403
    assert client.get(reverse("referrals:census-cin")).status_code == 403
    assert client.get(reverse("referrals:census-cin-download")).status_code == 403


def test_a_parent_carer_is_refused(world, client_for):
    account = parent_services.parent_account_create(
        council=world["alpha"]["council"],
        email="parent.census@example.org",
        password=PARENT_PASSWORD,
        first_name="Robin",
        last_name="Parent",
    )
    parent = parent_services.parent_account_confirm(account=account).user
    client = client_for(parent)
    assert client.get(API).status_code == 403
    assert client.get(reverse("referrals:census-cin")).status_code == 403


def test_signed_out_is_refused(world, client):
    assert client.get(API).status_code == 401
    assert client.get(reverse("referrals:census-cin")).status_code == 302


@pytest.mark.parametrize("year", ["2025", "2025-27", "1999-00", "next"])
def test_a_bad_year_answers_400(world, client_for, year):
    response = client_for(world["alpha"]["tm"]).get(API, {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_download_is_in_the_access_log_with_the_children_it_read(world, client_for):
    alpha = world["alpha"]
    client_for(alpha["tm"]).get(API, {"year": "2025-26"})
    rows = AccessLogEntry.objects.filter(council=alpha["council"], user=alpha["tm"])
    listed = rows.get(action="list", object_type="referrals.child")
    assert f"ids={alpha['census_child'].pk}" in listed.path
    assert "census=2025-26" in listed.path
    assert rows.filter(action="download", object_type="referrals.census", object_id="2025-26")


def test_the_query_count_does_not_grow_with_the_children(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    client = client_for(alpha["tm"])
    client.get(API)  # warm the session and the permission caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(API).status_code == 200
        return len(queries)

    few = count()
    for n in range(4):
        census_child(alpha, f"More{n}", council_child_id=f"MORE{n}", upn=upn("893", f"20260010{n}"))
    with django_assert_num_queries(few):
        assert client.get(API).status_code == 200


# ----------------------------------------------------------------------------------------------
# The record pages the census added


def test_closing_an_episode_on_its_page(world, client_for):
    alpha = world["alpha"]
    referral = alpha["census_child"].referrals.get()
    url = reverse("referrals:referral-close", args=[referral.pk])
    client = client_for(alpha["sw"])
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"closed_on_0": "1", "closed_on_1": "1", "closed_on_2": "2025", "reason": "RC7"}
    )
    assert bad.status_code == 200 and "cannot close before" in bad.content.decode()
    response = client.post(
        url,
        {"closed_on_0": "3", "closed_on_1": "2", "closed_on_2": "2026", "reason": "RC7"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.closed_on == date(2026, 2, 3) and referral.closure_reason == "RC7"
    # Another council's referral is missing; the census people who keep no records, refused.
    other = world["bravo"]["census_child"].referrals.get()
    assert client.get(reverse("referrals:referral-close", args=[other.pk])).status_code == 404
    assert client_for(alpha["admin"]).get(url).status_code == 403


def test_recording_an_assessment_s_factors_on_its_page(world, client_for):
    alpha = world["alpha"]
    assessment = alpha["census_child"].assessments.get()
    url = reverse("referrals:assessment-factors", args=[assessment.pk])
    client = client_for(alpha["sw"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"factors": ["21", "6A"]})
    assert "cannot be chosen with other factors" in refused.content.decode()
    assert client.post(url, {"factors": ["6A", "4B"]}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.factors == ["6A", "4B"]
    other = world["bravo"]["census_child"].assessments.get()
    assert client.get(reverse("referrals:assessment-factors", args=[other.pk])).status_code == 404


# ----------------------------------------------------------------------------------------------
# The API for the census items


def test_closing_an_episode_through_the_api(world, client_for):
    alpha = world["alpha"]
    referral = alpha["census_child"].referrals.get()
    url = f"/api/v1/referrals/{referral.pk}/close/"
    client = client_for(alpha["sw"])
    bad = client.post(url, {"closed_on": "2026-02-03", "reason": "RC10"}, "application/json")
    assert bad.status_code == 400 and "reason" in bad.json()
    early = client.post(url, {"closed_on": "2024-01-01", "reason": "RC7"}, "application/json")
    assert early.status_code == 400 and "closed_on" in early.json()
    done = client.post(url, {"closed_on": "2026-02-03", "reason": "RC7"}, "application/json")
    assert done.status_code == 200
    assert done.json()["closed_on"] == "2026-02-03" and done.json()["closure_reason"] == "RC7"
    again = client.post(url, {"closed_on": "2026-02-04", "reason": "RC7"}, "application/json")
    assert again.status_code == 409
    other = world["bravo"]["census_child"].referrals.get()
    assert (
        client.post(
            f"/api/v1/referrals/{other.pk}/close/",
            {"closed_on": "2026-02-03", "reason": "RC7"},
            "application/json",
        ).status_code
        == 404
    )
    refused = client_for(alpha["admin"]).post(
        url, {"closed_on": "2026-02-03", "reason": "RC7"}, "application/json"
    )
    assert refused.status_code == 403


def test_the_child_api_takes_and_checks_the_census_items(world, client_for):
    alpha = world["alpha"]
    child = alpha["census_child"]
    client = client_for(alpha["sw"])
    url = f"/api/v1/children/{child.pk}/"
    response = client.patch(
        url, {"sex": "X", "ethnicity": "WHITE", "upn": "A12345678901"}, "application/json"
    )
    assert response.status_code == 400
    assert {"sex", "ethnicity"} <= set(response.json())
    wrong = ("B" if child.upn[0] == "A" else "A") + child.upn[1:]
    assert client.patch(url, {"upn": wrong}, "application/json").status_code == 400
    ok = client.patch(
        url,
        {"sex": "M", "ethnicity": "AIND", "date_of_death": None, "upn_unknown_reason": ""},
        "application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["sex"] == "M" and ok.json()["ethnicity"] == "AIND"


def test_the_assessment_api_checks_the_factors(world, client_for):
    alpha = world["alpha"]
    sw = alpha["sw"]
    child = make_child(sw, last_name="Factors")
    referral = referral_on(sw, child, date(2025, 9, 1))
    assessment = assessment_services.assessment_start(
        actor=sw, child=child, started_on=date(2025, 9, 8), referral=referral
    )
    client = client_for(sw)
    url = f"/api/v1/assessments/{assessment.pk}/"
    assert client.patch(url, {"factors": ["99Z"]}, "application/json").status_code == 400
    assert client.patch(url, {"factors": ["21", "6A"]}, "application/json").status_code == 400
    response = client.patch(url, {"factors": ["6A", "5A"]}, "application/json")
    assert response.status_code == 200 and response.json()["factors"] == ["6A", "5A"]


def test_the_page_s_query_count_does_not_grow_with_the_children(
    world, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alpha = world["alpha"]
    client = client_for(alpha["tm"])
    url = reverse("referrals:census-cin")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    for n in range(3):
        census_child(alpha, f"Page{n}", council_child_id=f"PAGE{n}", upn=upn("893", f"20260020{n}"))
    with django_assert_num_queries(len(queries)):
        assert client.get(url).status_code == 200


def test_a_child_unborn_on_the_reference_date_goes_with_the_expected_date(world):
    alpha = world["alpha"]
    sw = alpha["sw"]
    child = make_child(
        sw,
        last_name="Unborn",
        date_of_birth=date(2025, 4, 20),
        expected_date_of_birth=date(2025, 4, 25),
        sex="F",
    )
    referral_on(sw, child, date(2025, 2, 3))
    before = census_for(actor=alpha["tm"], year=CensusYear(2024))
    (element,) = [
        c
        for c in _children(before.xml)
        if c.findtext("ChildIdentifiers/LAchildID") == child.council_child_id
    ]
    assert element.findtext("ChildIdentifiers/PersonBirthDate") is None
    assert element.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2025-04-25"
    assert element.findtext("ChildIdentifiers/Sex") == "U"
