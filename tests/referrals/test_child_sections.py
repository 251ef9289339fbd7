"""A child's record, one page per section: the summary, referrals (with grant applications),
assessments, packages, reviews and documents. Each has the identity bar and the sub navigation
with its own item current, its rows and actions, a read in the access log, and a fixed number of
queries however long the record."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.services import carers as carer_services
from referrals.services import documents as document_services
from referrals.services import grants as grant_services
from referrals.services import merges as merge_services
from referrals.services import reviews as review_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import (
    completed_assessment,
    make_child,
    make_package,
    make_referral,
)
from tests.roles import NOT_CHILD_READERS
from tests.upload_files import pdf_bytes

pytestmark = pytest.mark.usefixtures("frozen_today")

PDF_BYTES = pdf_bytes()
SECTIONS = ("referrals", "assessments", "packages", "reviews", "documents")

# Every section page (10 queries): the session, the person, their roles with their council, the
# child, the access log's row, the overnight summary and the packages for the alerts; then its own.
QUERIES = {
    "summary": 14,  # carers, tier changes, what is due, and the counts of each section
    "referrals": 13,  # the referrals, their documents, and the grant applications
    "assessments": 11,
    "packages": 12,  # the packages' lines with services and providers, an authorised assessment
    "reviews": 11,
    "documents": 11,
}


def _url(section: str, child) -> str:
    name = "referrals:child" if section == "summary" else f"referrals:child-{section}"
    return reverse(name, args=[child.pk])


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _record(world, child=None, *, count: int = 1):
    """A child with `count` of everything: referrals with a form, grant applications,
    assessments, active packages with a review each."""
    alpha = world["alpha"]
    sw, tm = alpha["sw"], alpha["tm"]
    child = child or alpha["child"]
    carer_services.carer_add(actor=sw, child=child, name="Maria Jones", relationship="mother")
    for n in range(count):
        scheme = grant_services.grant_scheme_create(
            actor=sw,
            name=f"Short break grant {child.pk}-{n}",
            year=2024,
            eligibility_criteria="A disabled child.",
        )
        referral = make_referral(sw, child, received_on=date(2025, 1, 6 + n))
        document_services.referral_document_add(
            actor=sw,
            referral=referral,
            upload=SimpleUploadedFile(f"referral-form-{n}.pdf", PDF_BYTES, "application/pdf"),
        )
        grant_services.grant_application_create(
            actor=sw, child=child, scheme=scheme, received_on=date(2024, 11, 4 + n)
        )
        package = make_package(sw, tm, child, alpha["offer"], start_on=date(2025, 3, 3 + n))
        review_services.review_record(
            actor=sw, package=package, held_on=date(2025, 8, 20 + n), outcome="continue"
        )
    return child


def _navigation(page: str) -> str:
    start = page.index('class="moj-sub-navigation"')
    return page[start : page.index("</nav>", start)]


@pytest.mark.parametrize("section", ["summary", *SECTIONS])
def test_each_section_is_its_own_page_under_the_identity_bar(world, client_for, section):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url(section, child)))

    assert 'class="moj-identity-bar' in page
    navigation = _navigation(page)
    assert navigation.count('aria-current="page"') == 1
    assert f'aria-current="page" href="{_url(section, child)}"' in navigation
    for other in ("summary", *SECTIONS):
        assert f'href="{_url(other, child)}"' in navigation
    assert "#referrals" not in navigation and "#packages" not in navigation
    assert MARKER_B not in page
    assert (
        AccessLogEntry.objects.filter(
            action="view", object_type="referrals.child", object_id=str(child.pk)
        ).count()
        == 1
    )


def test_the_summary_keeps_what_a_summary_needs(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("summary", child)))

    assert f'<h1 class="govuk-heading-l">Sam Jones {MARKER_A}</h1>' in page
    assert f"<title>Sam Jones {MARKER_A}" in page
    assert "Maria Jones" in page  # the carers
    assert "Changes of tier, oldest first" in page
    assert "Specialist" in page  # the tier, from the authorised assessment
    assert "What is due next" in page
    assert "Review the package" in page  # the active package's review is due
    assert "1 referral; the latest received 6 January 2025, received" in page
    assert "1 application; the latest received 4 November 2024" in page
    assert "1 assessment; the latest started 13 January 2025, authorised" in page
    assert "1 package, 1 active; the next review due" in page
    assert "1 review; the latest held 20 August 2025, continue" in page
    assert "1 document; the latest added" in page
    for path in (
        f"/children/{child.pk}/edit/",
        f"/children/{child.pk}/carers/new/",
        f"/children/{child.pk}/timeline/",
    ):
        assert f'href="{path}"' in page, path
    # The sections' rows are on their own pages now.
    assert "Forms and letters" not in page
    assert "referral-form-0.pdf" not in page


def test_the_referrals_page_lists_referrals_their_forms_and_grant_applications(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("referrals", child)))

    referral = child.referrals.get()
    document = referral.documents.get()
    application = child.grant_applications.get()
    assert f"<title>Referrals – Sam Jones {MARKER_A}" in page
    assert f'href="/referrals/{referral.pk}/"' in page
    assert f'href="/referrals/documents/{document.pk}/">referral-form-0.pdf</a>' in page
    assert f'href="/grants/applications/{application.pk}/"' in page
    assert f'href="/children/{child.pk}/referrals/new/"' in page
    assert f'href="/children/{child.pk}/grants/new/"' in page


def test_the_assessments_page_lists_assessments_and_starts_one(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("assessments", child)))

    assert f'href="/assessments/{child.assessments.get().pk}/"' in page
    assert "Authorised" in page
    assert f'href="/children/{child.pk}/assessments/new/"' in page


def test_the_packages_page_lists_packages_their_services_and_cost(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("packages", child)))

    package = child.packages.get()
    assert f'href="/packages/{package.pk}/"' in page
    assert f"Community buddying {MARKER_A}" in page
    assert "£142.50" in page  # 5 hours a week at £28.50
    assert f'href="/packages/{package.pk}/reviews/new/"' in page
    assert f'href="/children/{child.pk}/packages/new/"' in page


def test_a_package_is_proposed_only_after_an_authorised_assessment(world, client_for):
    sw = world["alpha"]["sw"]
    child = world["alpha"]["child"]
    completed_assessment(sw, child)
    page = _body(client_for(sw).get(_url("packages", child)))
    assert "Propose a package" not in page
    assert "A package can be proposed once an assessment is authorised." in page


def test_the_reviews_page_lists_reviews_and_records_one(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("reviews", child)))

    package = child.packages.get()
    assert f'href="/reviews/{package.reviews.get().pk}/"' in page
    assert "20 August 2025" in page
    assert f'href="/packages/{package.pk}/reviews/new/"' in page


def test_the_documents_page_lists_the_referrals_forms(world, client_for):
    child = _record(world)
    page = _body(client_for(world["alpha"]["sw"]).get(_url("documents", child)))

    referral = child.referrals.get()
    document = referral.documents.get()
    assert f'href="/referrals/documents/{document.pk}/">referral-form-0.pdf</a>' in page
    assert f'href="/referrals/{referral.pk}/">Received 6 January 2025</a>' in page


def test_an_overdue_review_alert_links_to_the_packages(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]
    make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    page = _body(client_for(alpha["sw"]).get(_url("reviews", child)))
    start = page.index('id="alerts"')
    alerts = page[start : page.index("</div>", start)]
    assert "Review overdue since" in alerts
    assert f'href="{_url("packages", child)}"' in alerts


def test_the_auditor_reads_every_section_without_actions(world, client_for):
    child = _record(world)
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    for section in ("summary", *SECTIONS):
        page = _body(client.get(_url(section, child)))
        for words in (
            "Log a referral",
            "Add a grant application",
            "Start an assessment",
            "Propose a package",
            "Record a review",
            "Add a carer",
        ):
            assert words not in page, (section, words)
        assert f"/children/{child.pk}/edit/" not in page


@pytest.mark.parametrize("section", ["summary", *SECTIONS])
def test_another_councils_child_is_not_found(world, client_for, section):
    child = world["bravo"]["child"]
    response = client_for(world["alpha"]["sw"]).get(_url(section, child))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(action="view", object_id=str(child.pk)).exists()


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_that_do_not_read_children_are_refused_every_section(world, client_for, role):
    child = world["alpha"]["child"]
    client = client_for(world["alpha"]["people"][role])
    for section in ("summary", *SECTIONS):
        response = client.get(_url(section, child))
        assert response.status_code == 403, section
        assert MARKER_A not in response.content.decode().replace(world["alpha"]["council"].name, "")
    assert not AccessLogEntry.objects.filter(action="view", object_id=str(child.pk)).exists()


def test_a_merged_record_points_to_the_kept_one_from_every_section(world, client_for):
    alpha = world["alpha"]
    keep = alpha["child"]
    duplicate = make_child(alpha["sw"], first_name="Sam", last_name=f"Jonse {MARKER_A}")
    merge_services.child_merge(actor=alpha["tm"], keep=keep, merge=duplicate)
    client = client_for(alpha["sw"])
    for section in ("summary", *SECTIONS):
        page = _body(client.get(_url(section, duplicate)))
        assert "This record was merged into another" in page
        assert reverse("referrals:child", args=[keep.pk]) in page


@pytest.mark.parametrize("section", ["summary", *SECTIONS])
def test_each_section_costs_the_same_however_long_the_record(
    world, client_for, django_assert_num_queries, section
):
    alpha = world["alpha"]
    short = _record(world)
    long = _record(world, make_child(alpha["sw"], first_name="Long"), count=3)
    client = client_for(alpha["sw"])
    client.get(_url(section, short))  # warm the session and permission caches

    with django_assert_num_queries(QUERIES[section]):
        client.get(_url(section, short))
    with django_assert_num_queries(QUERIES[section]):
        page = _body(client.get(_url(section, long)))
    if section != "summary":
        assert page.count("2025") >= 3


def test_the_summary_shows_what_is_due_whoever_the_keyworker(world, client_for):
    alpha = world["alpha"]
    child = make_child(alpha["sw"], keyworker=None)
    referral = make_referral(alpha["sw"], child)
    page = _body(client_for(alpha["tm"]).get(_url("summary", child)))

    start = page.index('id="due"')
    due = page[start : page.index("</table>", start)]
    assert f'href="/referrals/{referral.pk}/">Decide on the referral</a>' in due
    assert "Overdue" in due  # received in January 2025, screened within a working day
    assert "1 referral; the latest received 6 January 2025, received" in page
    assert "None recorded" in page  # no assessments, packages, reviews or documents yet
