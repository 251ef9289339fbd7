"""A child's record in the browser: the list and its search, adding a child with "check your
answers", changing details (never the tier), carers, the record's sections and the timeline."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import Carer, Child, ChildTier
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from referrals.services import documents as document_services
from referrals.services import grants as grant_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import (
    completed_assessment,
    make_child,
    make_package,
    make_referral,
    nhs_number,
)
from tests.referrals.factories import ChildFactory
from tests.roles import NOT_CHILD_READERS
from tests.upload_files import pdf_bytes

PDF_BYTES = pdf_bytes()  # a real PDF: uploads are opened, not only sniffed
VALID_NHS = nhs_number("943476591")


def _body(response) -> str:
    return response.content.decode()


def _without_tokens(response) -> str:
    """The page without its CSRF token, which differs on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", _body(response))


def _views_of(child) -> int:
    return AccessLogEntry.objects.filter(
        action="view", object_type="referrals.child", object_id=str(child.pk)
    ).count()


def _child_post(**overrides) -> dict:
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2014",
        "council_child_id": "",
        "nhs_number": VALID_NHS[:3] + " " + VALID_NHS[3:6] + " " + VALID_NHS[6:],
        "upn": "",
        "address": "1 High Street\nShrewsbury",
        "postcode": "sy1 1aa",
        "disabilities": ["AUT", "COMM"],
        "communication_needs": "Uses Makaton",
        "school": "Severndale Specialist Academy",
        "keyworker": "",
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------------------------
# The children list


def test_list_shows_only_the_councils_children(world, client_for):
    response = client_for(world["alpha"]["sw"]).get(reverse("referrals:children"))
    assert response.status_code == 200
    body = _body(response)
    assert f"Jones {MARKER_A}" in body
    assert MARKER_B not in body
    assert "Add a child" in body


def test_auditor_reads_the_list_without_an_add_button(world, client_for):
    auditor = world["alpha"]["people"][Role.AUDITOR]
    body = _body(client_for(auditor).get(reverse("referrals:children")))
    assert f"Jones {MARKER_A}" in body
    assert "Add a child" not in body


@pytest.mark.parametrize(
    "search",
    ["Rivers", "river", "CH-77", VALID_NHS, "943 476 5919", "TF1 2AB", "tf1 2ab"],
)
def test_search_by_name_child_id_nhs_number_or_postcode(world, client_for, search):
    sw = world["alpha"]["sw"]
    make_child(
        sw,
        first_name="Ellis",
        last_name="Rivers",
        council_child_id="CH-77",
        nhs_number=VALID_NHS,
        postcode="TF1 2AB",
    )
    make_child(world["bravo"]["sw"], first_name="Ellis", last_name="Rivers", postcode="TF1 2AB")
    # Posted, then read at an address without the terms (tests/referrals/test_list_access.py).
    response = client_for(sw).post(reverse("referrals:children"), {"search": search}, follow=True)
    body = _body(response)
    assert body.count("Ellis Rivers") == 1
    assert f"Jones {MARKER_A}" not in body


def test_tier_filter_and_a_bad_tier_is_an_error(world, client_for):
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    placed = make_child(sw, first_name="Noor", last_name="Targeted")
    child_services.child_tier_change(
        actor=tm, child=placed, to_tier=ChildTier.TARGETED, on=date(2025, 1, 2), reason="Grant."
    )
    client = client_for(sw)
    body = _body(client.get(reverse("referrals:children"), {"tier": "targeted"}))
    assert "Noor Targeted" in body
    assert f"Jones {MARKER_A}" not in body
    response = client.get(reverse("referrals:children"), {"tier": "gold"})
    assert response.status_code == 200
    assert "Choose a tier from the list" in _body(response)


@pytest.mark.parametrize("rows", [3, 12])
def test_list_queries_do_not_grow_with_rows(world, client_for, django_assert_num_queries, rows):
    sw = world["alpha"]["sw"]
    for index in range(rows):
        ChildFactory(
            council=world["alpha"]["council"],
            keyworker=sw,
            first_name="Extra",
            last_name=f"Row{index:02d}",
        )
    client = client_for(sw)
    with django_assert_num_queries(11):  # 10, and the access log's row for the list
        response = client.get(reverse("referrals:children"))
    assert _body(response).count("Extra Row") == rows


# ----------------------------------------------------------------------------------------------
# Adding a child


def test_add_a_child_through_check_your_answers(world, client_for):
    sw = world["alpha"]["sw"]
    client = client_for(sw)
    form = client.get(reverse("referrals:child-create"))
    assert form.status_code == 200
    assert "Autism or Asperger syndrome" in _body(form)
    assert "DfE code AUT" in _body(form)
    response = client.post(reverse("referrals:child-create"), _child_post(keyworker=str(sw.pk)))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:child-create-check")
    assert not Child.objects.filter(last_name="Shah").exists()

    check = client.get(reverse("referrals:child-create-check"))
    body = _body(check)
    assert "Check your answers before adding the child" in body
    assert "Priya Shah" in body
    assert "27 March 2014" in body
    assert "943 476 5919" in body
    assert "SY1 1AA" in body
    assert "Autism or Asperger syndrome (AUT)" in body
    assert "Made when you save" in body

    # "Change" goes back to the form, filled in as answered.
    again = _body(client.get(reverse("referrals:child-create")))
    assert 'value="Priya"' in again

    done = client.post(reverse("referrals:child-create-check"), follow=True)
    child = Child.objects.get(last_name="Shah")
    assert done.redirect_chain[-1][0] == reverse("referrals:child", args=[child.pk])
    assert child.council == world["alpha"]["council"]
    assert child.nhs_number == VALID_NHS
    assert child.postcode == "SY1 1AA"
    assert child.disabilities == ["AUT", "COMM"]
    assert child.keyworker == sw
    assert child.tier == ChildTier.NONE
    assert child.council_child_id
    assert f"Priya Shah added, with child id {child.council_child_id}" in _body(done)
    assert AccessLogEntry.objects.filter(
        action="create", object_type="referrals.child", object_id=str(child.pk)
    ).exists()
    # The answers are gone: the check page now sends you back to the form.
    assert client.get(reverse("referrals:child-create-check"))["Location"] == reverse(
        "referrals:child-create"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "Enter a valid NHS number"),
        ({"nhs_number": "12345"}, "Enter a valid NHS number"),
        ({"first_name": ""}, "Enter the first name"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "2999"}, "Date of birth must be in the past"),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            "Enter the date of birth",
        ),
        ({"postcode": "NOT A CODE"}, "Enter a real postcode"),
        ({"upn": "123"}, "Enter a unique pupil number"),
        ({"disabilities": ["XYZ"]}, "Choose from the DfE disability codes"),
        ({"keyworker": "999999"}, "Choose one of the council&#x27;s social workers"),
    ],
)
def test_bad_answers_show_in_the_error_summary(world, client_for, overrides, message):
    client = client_for(world["alpha"]["sw"])
    response = client.post(reverse("referrals:child-create"), _child_post(**overrides))
    assert response.status_code == 200
    body = _body(response)
    assert "There is a problem" in body
    assert "<title>Error: " in body
    assert message in body
    assert not Child.objects.filter(last_name="Shah").exists()


def test_a_keyworker_of_another_council_cannot_be_chosen(world, client_for):
    other = world["bravo"]["sw"]
    client = client_for(world["alpha"]["sw"])
    assert f'value="{other.pk}"' not in _body(client.get(reverse("referrals:child-create")))
    response = client.post(reverse("referrals:child-create"), _child_post(keyworker=str(other.pk)))
    assert "Choose one of the council&#x27;s social workers" in _body(response)


def test_a_duplicate_nhs_number_is_refused_at_the_check(world, client_for):
    sw = world["alpha"]["sw"]
    make_child(sw, nhs_number=VALID_NHS)
    client = client_for(sw)
    client.post(reverse("referrals:child-create"), _child_post())
    # The check page shows the record with the same NHS number as a possible match; confirming
    # a new record anyway is refused.
    assert "Possible matches" in _body(client.get(reverse("referrals:child-create-check")))
    response = client.post(reverse("referrals:child-create-check"), {"confirm_new": "yes"})
    assert response.status_code == 200
    body = _body(response)
    assert "There is a problem" in body
    assert "A child with this NHS number is already recorded." in body
    assert not Child.objects.filter(last_name="Shah").exists()


def test_the_same_nhs_number_in_another_council_is_not_a_duplicate(world, client_for):
    make_child(world["bravo"]["sw"], nhs_number=VALID_NHS)
    client = client_for(world["alpha"]["sw"])
    client.post(reverse("referrals:child-create"), _child_post())
    client.post(reverse("referrals:child-create-check"))
    assert Child.objects.filter(last_name="Shah", council=world["alpha"]["council"]).exists()


# ----------------------------------------------------------------------------------------------
# Changing a child's details: never the tier


def test_edit_a_child_but_never_the_tier(world, client_for):
    sw = world["alpha"]["sw"]
    child = world["alpha"]["child"]
    client = client_for(sw)
    form = _body(client.get(reverse("referrals:child-edit", args=[child.pk])))
    assert 'name="tier"' not in form
    assert f'value="{child.council_child_id}"' in form
    post = _child_post(
        first_name="Sam",
        last_name=child.last_name,
        council_child_id=child.council_child_id,
        school="Woodlands School",
        keyworker=str(sw.pk),
        tier="specialist",
    )
    response = client.post(reverse("referrals:child-edit", args=[child.pk]), post, follow=True)
    assert "Child&#x27;s details saved." in _body(response)
    child.refresh_from_db()
    assert child.school == "Woodlands School"
    assert child.tier == ChildTier.NONE
    assert AccessLogEntry.objects.filter(
        action="change", object_type="referrals.child", object_id=str(child.pk)
    ).exists()


def test_edit_needs_the_child_id(world, client_for):
    child = world["alpha"]["child"]
    client = client_for(world["alpha"]["sw"])
    response = client.post(
        reverse("referrals:child-edit", args=[child.pk]), _child_post(council_child_id="")
    )
    assert "Enter the council&#x27;s child id" in _body(response)


# ----------------------------------------------------------------------------------------------
# The child page and the timeline


def _journey(world):
    """A child with a carer, a referral with its form, a grant application, an authorised
    assessment, an active package and a review of it."""
    sw, tm = world["alpha"]["sw"], world["alpha"]["tm"]
    child = world["alpha"]["child"]
    carer_services.carer_add(actor=sw, child=child, name="Maria Jones", relationship="mother")
    referral = make_referral(sw, child)
    document_services.referral_document_add(
        actor=sw,
        referral=referral,
        upload=SimpleUploadedFile("referral-form.pdf", PDF_BYTES, "application/pdf"),
    )
    scheme = grant_services.grant_scheme_create(
        actor=sw, name="Short break grant", year=2024, eligibility_criteria="A disabled child."
    )
    grant_services.grant_application_create(
        actor=sw, child=child, scheme=scheme, received_on=date(2024, 11, 4)
    )
    package = make_package(sw, tm, child, world["alpha"]["offer"])
    review_services.review_record(
        actor=sw, package=package, held_on=date(2025, 8, 20), outcome="continue"
    )
    return child


def _section(client, name: str, child) -> str:
    url = reverse(
        "referrals:child" if name == "summary" else f"referrals:child-{name}", args=[child.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    return _body(response)


def test_child_record_shows_every_part_of_the_journey(world, client_for):
    child = _journey(world)
    client = client_for(world["alpha"]["sw"])
    summary = _section(client, "summary", child)
    assert f'<h1 class="govuk-heading-l">Sam Jones {MARKER_A}</h1>' in summary
    assert "Maria Jones" in summary
    assert "Specialist" in summary  # the current tier, from the authorised assessment
    assert "Changes of tier, oldest first" in summary
    for path in (
        f"/children/{child.pk}/timeline/",
        f"/children/{child.pk}/edit/",
        f"/children/{child.pk}/carers/new/",
    ):
        assert f'href="{path}"' in summary, path

    referrals = _section(client, "referrals", child)
    assert "6 January 2025" in referrals
    assert f'href="/referrals/{child.referrals.get().pk}/"' in referrals
    document = child.referrals.get().documents.get()
    assert f'href="/referrals/documents/{document.pk}/">referral-form.pdf</a>' in referrals
    application = child.grant_applications.get()
    assert f'href="/grants/applications/{application.pk}/"' in referrals
    assert "Short break grant 2024/25" in referrals
    assert f'href="/children/{child.pk}/referrals/new/"' in referrals
    assert f'href="/children/{child.pk}/grants/new/"' in referrals

    assessments = _section(client, "assessments", child)
    assert f'href="/assessments/{child.assessments.get().pk}/"' in assessments
    assert f'href="/children/{child.pk}/assessments/new/"' in assessments

    packages = _section(client, "packages", child)
    package = child.packages.get()
    assert "£142.50" in packages  # 5 hours a week at £28.50
    assert f'href="/packages/{package.pk}/"' in packages
    assert f'href="/packages/{package.pk}/reviews/new/"' in packages
    assert f'href="/children/{child.pk}/packages/new/"' in packages

    reviews = _section(client, "reviews", child)
    assert f'href="/reviews/{package.reviews.get().pk}/"' in reviews
    assert "20 August 2025" in reviews

    documents = _section(client, "documents", child)
    assert f'href="/referrals/documents/{document.pk}/">referral-form.pdf</a>' in documents
    for page in (summary, referrals, assessments, packages, reviews, documents):
        assert MARKER_B not in page


def test_auditor_reads_the_child_record_without_add_or_change_links(world, client_for):
    child = _journey(world)
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    assert "Maria Jones" in _section(client, "summary", child)
    for name in ("summary", "referrals", "assessments", "packages", "reviews", "documents"):
        body = _section(client, name, child)
        for text in ("Log a referral", "Add a carer", "Start an assessment", "Record a review"):
            assert text not in body, (name, text)
        assert f"/children/{child.pk}/edit/" not in body


def test_package_link_shows_only_after_an_authorised_assessment(world, client_for):
    sw = world["alpha"]["sw"]
    child = world["alpha"]["child"]
    completed_assessment(sw, child)
    body = _body(client_for(sw).get(reverse("referrals:child-packages", args=[child.pk])))
    assert "Propose a package" not in body
    assert "A package can be proposed once an assessment is authorised." in body


def test_each_view_of_a_child_writes_the_access_log(world, client_for):
    child = world["alpha"]["child"]
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    client.get(reverse("referrals:child", args=[child.pk]))
    client.get(reverse("referrals:child", args=[child.pk]))
    client.get(reverse("referrals:child-timeline", args=[child.pk]))
    assert _views_of(child) == 3
    entry = AccessLogEntry.objects.filter(object_id=str(child.pk)).latest("id")
    assert entry.user == world["alpha"]["people"][Role.AUDITOR]
    assert entry.path == reverse("referrals:child-timeline", args=[child.pk])


def test_timeline_lists_every_event_in_order(world, client_for):
    child = _journey(world)
    body = _body(
        client_for(world["alpha"]["sw"]).get(reverse("referrals:child-timeline", args=[child.pk]))
    )
    assert "Events, oldest first" in body
    order = [
        body.index("Referral: received."),
        body.index("Assessment started."),
        body.index("Tier: none to specialist."),
    ]
    assert order == sorted(order)
    assert MARKER_B not in body


# ----------------------------------------------------------------------------------------------
# Carers


def test_add_and_change_a_carer(world, client_for):
    child = world["alpha"]["child"]
    client = client_for(world["alpha"]["sw"])
    url = reverse("referrals:carer-create", args=[child.pk])
    bad = client.post(url, {"name": "", "relationship": ""})
    assert "Enter the name" in _body(bad)
    assert "Enter the carer&#x27;s relationship to the child" in _body(bad)
    response = client.post(
        url, {"name": "Maria Jones", "relationship": "mother", "own_needs": "Arthritis"}
    )
    assert response.status_code == 302
    carer = Carer.objects.get(child=child)
    assert carer.own_needs == "Arthritis"
    edit = reverse("referrals:carer-edit", args=[child.pk, carer.pk])
    assert 'value="Maria Jones"' in _body(client.get(edit))
    client.post(edit, {"name": "Maria Jones", "relationship": "grandmother"})
    carer.refresh_from_db()
    assert carer.relationship == "grandmother"


def test_another_childs_carer_is_not_found(world, client_for):
    sw_b = world["bravo"]["sw"]
    carer_b = carer_services.carer_add(
        actor=sw_b, child=world["bravo"]["child"], name="Other", relationship="father"
    )
    other_child = make_child(world["alpha"]["sw"])
    carer_a = carer_services.carer_add(
        actor=world["alpha"]["sw"], child=other_child, name="Aunt", relationship="aunt"
    )
    client = client_for(world["alpha"]["sw"])
    child = world["alpha"]["child"]
    for carer in (carer_b, carer_a):
        response = client.get(reverse("referrals:carer-edit", args=[child.pk, carer.pk]))
        assert response.status_code == 404


# ----------------------------------------------------------------------------------------------
# Refusals


def _child_urls(child) -> list[str]:
    return [
        reverse("referrals:child", args=[child.pk]),
        reverse("referrals:child-timeline", args=[child.pk]),
        reverse("referrals:child-edit", args=[child.pk]),
        reverse("referrals:carer-create", args=[child.pk]),
    ]


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_view_child_are_refused_every_page(world, client_for, role):
    client = client_for(world["alpha"]["people"][role])
    child = world["alpha"]["child"]
    urls = [
        reverse("referrals:children"),
        reverse("referrals:child-create"),
        reverse("referrals:child-create-check"),
        *_child_urls(child),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert MARKER_A not in _body(response).replace(world["alpha"]["council"].name, "")
    assert client.post(reverse("referrals:child-create"), _child_post()).status_code == 403
    assert _views_of(child) == 0


def test_auditor_cannot_add_or_change(world, client_for):
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    child = world["alpha"]["child"]
    for url in (
        reverse("referrals:child-create"),
        reverse("referrals:child-edit", args=[child.pk]),
        reverse("referrals:carer-create", args=[child.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, _child_post()).status_code == 403, url
    assert not Child.objects.filter(last_name="Shah").exists()


def test_another_councils_child_is_exactly_as_missing(world, client_for):
    client = client_for(world["alpha"]["sw"])
    other = world["bravo"]["child"]
    missing = Child.objects.order_by("-pk").first().pk + 1000
    for other_url, missing_url in zip(
        _child_urls(other), _child_urls(Child(pk=missing)), strict=True
    ):
        refused = client.get(other_url)
        absent = client.get(missing_url)
        assert refused.status_code == absent.status_code == 404
        assert _without_tokens(refused) == _without_tokens(absent)
        assert MARKER_B not in _body(refused)
    response = client.post(
        reverse("referrals:child-edit", args=[other.pk]), _child_post(council_child_id="X1")
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.first_name == "Sam"
    assert _views_of(other) == 0
