"""The public short breaks services statement: no sign-in and no cookie, one council's statement on
its own slug, earlier versions marked as replaced, the draft out for consultation, and the PDF."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shortbreaks.accesslog.models import AccessLogEntry, Action
from shortbreaks.documents.models import JobStatus
from statements import services
from tests.builders import make_provider, make_service
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.statements.statement_builders import (
    TODAY,
    complete_draft,
    offer_every_category,
    published,
)

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


@pytest.fixture
def offers(alpha, bravo):
    """Each council offers every kind of short break; bravo's carry its marker."""
    return {
        "alpha": offer_every_category(alpha, "Alpha"),
        "bravo": offer_every_category(bravo, MARKER_B),
    }


@pytest.fixture
def bravo_published(bravo, offers):
    return published(
        bravo,
        introduction=f"Bravo introduction {MARKER_B}",
        lead_officer_name=f"Officer {MARKER_B}",
    )


def _url(name, slug="alpha", *args):
    return reverse(f"statements:{name}", args=[slug, *args])


def _assert_public_read(response):
    """A public read page: answered, no cookie of any kind, exactly one h1."""
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html


def _assert_anchors_resolve(html):
    targets = re.findall(r'href="#([^"]+)"', html)
    assert targets
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    missing = [target for target in targets if target not in ids]
    assert not missing, missing


def publish_and_build(commissioner, capture, *, today=TODAY, **text):
    version = complete_draft(commissioner, **text)
    with capture(execute=True):
        version = services.statement_publish(actor=commissioner, version=version, today=today)
    version.refresh_from_db()
    return version


# ---------------------------------------------------------------------------------------------
# The current statement


def test_the_published_statement_is_public_with_no_cookie_and_a_working_contents_list(
    alpha, offers, bravo_published
):
    published(alpha, introduction=f"About short breaks {MARKER_A}")
    html = _assert_public_read(Client().get(_url("statement")))
    for text in (
        f"Alpha {MARKER_A} Council",
        "Short breaks services statement",
        f"About short breaks {MARKER_A}",
        "Version",
        "2 June 2025",  # published
        "2 June 2026",  # to be reviewed by
        # (a) the range, by tier and kind of short break, with what each costs
        "Youth club Alpha",
        "Community buddying Alpha",
        "Overnight home Alpha",
        "Breaks Provider Alpha",
        "Overnight care in the home or elsewhere",
        "£12.50 per hour",
        "Free",
        "5 to 17",
        # (b) eligibility, (c) how the range meets needs, with the figures
        "For disabled children who need some extra help to join in.",
        "After a social care assessment of the child and their carers.",
        "The range gives breaks in the day, overnight, evenings and holidays.",
        "Children and young people getting short breaks now, by tier",
        "Apply online or call the short breaks team on 01234 567890.",
        "Parent carers asked for more holiday provision; we added two schemes.",
        "Lead Officer Statementson",
        "shortbreaks@example.org",
        "This is the council's first short breaks services statement.",
        "The PDF version is being prepared.",
        "Give your views on this statement",
    ):
        assert text in html, text
    assert "<caption" in html
    _assert_anchors_resolve(html)
    assert MARKER_B not in html
    # The staff header and its sign-out form are not there.
    assert "Sign out" not in html
    assert "csrfmiddlewaretoken" not in html


def test_the_range_is_a_captioned_table_per_tier_and_kind_of_short_break(alpha, offers):
    """A row a service, in a table for each kind of short break within each tier: compact for a
    council offering hundreds, and read by a screen reader with its caption and headers."""
    provider = make_provider(alpha, name="Many Clubs Provider")
    for n in range(6):
        make_service(
            alpha,
            provider,
            title=f"Saturday club {n}",
            tier="targeted",
            categories=["educational_leisure"],
            description=f"Games and crafts <b>{n}</b>",
            accessibility="Step-free access.",
        )
    published(alpha)
    html = _assert_public_read(Client().get(_url("statement")))
    range_ = html[html.index('id="statement-range"') : html.index('id="statement-eligibility"')]
    assert "govuk-summary-card" not in range_
    tables = re.findall(
        r'<table class="govuk-table sb-statement__services">(.*?)</table>', range_, re.S
    )
    # Alpha's three services: two kinds in the universal tier, one each in the others; and the
    # clubs, a kind of their own in the targeted tier.
    assert len(tables) == 5
    for table in tables:
        assert '<caption class="govuk-table__caption' in table
        assert table.count('<th scope="col"') == 6
    [clubs] = [table for table in tables if "Saturday club 0" in table]
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", clubs, re.S).group(1)
    assert caption.startswith("Educational or leisure activities")
    assert "Targeted short breaks" in caption and "(6 services)" in caption
    assert clubs.count('<th scope="row"') == 6
    assert "Games and crafts &lt;b&gt;3&lt;/b&gt;" in clubs
    headers = re.findall(r'<th scope="col" class="govuk-table__header">(.*?)</th>', clubs)
    assert headers == [
        "Service",
        "Provider",
        "Who it is for",
        "Where and when",
        "Cost",
        "How to get it",
    ]
    assert '<th scope="row" class="govuk-table__header">Saturday club 3</th>' in clubs
    assert '<td class="govuk-table__cell">Many Clubs Provider</td>' in clubs
    # One line of text a cell: nothing nested that the PDF would lay out row by row.
    assert "<br>" not in clubs and "<span" not in clubs.split("</caption>")[1]


def test_council_text_is_escaped_and_keeps_its_paragraphs(alpha, offers):
    published(
        alpha,
        introduction='First paragraph <script>alert("x")</script>\n\nSecond paragraph',
        how_to_apply="Call us <b>now</b>",
    )
    html = Client().get(_url("statement")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Call us &lt;b&gt;now&lt;/b&gt;" in html
    assert "<p>Second paragraph</p>" in html


def test_a_council_with_no_published_statement_gets_a_plain_page(alpha, offers, bravo_published):
    complete_draft(alpha)  # a draft is never public
    html = _assert_public_read(Client().get(_url("statement")))
    assert "has not published its short breaks services statement" in html
    assert MARKER_B not in html
    assert "Lead Officer Statementson" not in html  # the draft's text stays private


def test_the_no_statement_page_gives_the_consultation_and_its_lead_contact(alpha, offers):
    version = complete_draft(alpha, lead_officer_contact=f"consult-{MARKER_A}@example.org")
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=alpha, version=version, closes_on=today + timedelta(days=30), today=today
    )
    html = _assert_public_read(Client().get(_url("statement")))
    assert f"consult-{MARKER_A}@example.org" in html
    assert _url("statement-consultation") in html


@pytest.mark.parametrize(
    "path",
    [
        "/statements/nowhere/",
        "/statements/nowhere/pdf",
        "/statements/nowhere/versions/1/",
        "/statements/nowhere/consultation/",
        "/statements/nowhere/feedback/",
    ],
)
def test_an_unknown_council_is_a_404(db, path):
    assert Client().get(path).status_code == 404


def test_another_councils_statement_is_never_shown_on_this_slug(alpha, offers, bravo_published):
    published(alpha)
    for name, args in (("statement", []), ("statement-version", [1])):
        html = Client().get(_url(name, "alpha", *args)).content.decode()
        assert MARKER_B not in html
        assert "Youth club Alpha" in html
    bravo_html = Client().get(_url("statement", "bravo")).content.decode()
    assert f"Bravo introduction {MARKER_B}" in bravo_html
    assert MARKER_A not in bravo_html


def test_a_published_statement_is_frozen_while_the_consultation_shows_live_services(alpha, offers):
    version = published(alpha)
    provider = make_provider(alpha, name="Later Provider")
    make_service(alpha, provider, title="Service added later", tier="universal")
    html = Client().get(_url("statement")).content.decode()
    assert "Service added later" not in html
    draft = services.statement_draft_create(actor=alpha, copy_from=version)
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=alpha, version=draft, closes_on=today + timedelta(days=14), today=today
    )
    html = _assert_public_read(Client().get(_url("statement-consultation")))
    assert "Service added later" in html
    assert "This is a draft (version 2)" in html
    assert (today + timedelta(days=14)).strftime("%-d %B %Y") in html
    assert _url("statement-consultation-feedback") in html
    _assert_anchors_resolve(html)
    # The current statement says a new version is out for consultation.
    assert _url("statement-consultation") in Client().get(_url("statement")).content.decode()


def test_the_consultation_page_without_a_consultation(alpha, offers):
    published(alpha)
    html = _assert_public_read(Client().get(_url("statement-consultation")))
    assert "is not consulting on its short breaks services statement" in html


def test_a_closed_consultation_offers_no_feedback_link(alpha, offers):
    draft = complete_draft(alpha)
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=alpha, version=draft, closes_on=today + timedelta(days=1), today=today
    )
    type(draft).objects.filter(pk=draft.pk).update(consultation_closes_on=today - timedelta(days=1))
    html = _assert_public_read(Client().get(_url("statement-consultation")))
    assert "The consultation closed on" in html
    assert _url("statement-consultation-feedback") not in html


# ---------------------------------------------------------------------------------------------
# Earlier versions


@pytest.fixture
def two_versions(alpha, offers):
    first = published(alpha, views_summary=f"First summary {MARKER_A}")
    draft = services.statement_draft_create(actor=alpha, copy_from=first)
    services.statement_update(
        actor=alpha,
        version=draft,
        views_summary="Second summary",
        changes_since_last="We added a holiday scheme.",
    )
    second = services.statement_publish(actor=alpha, version=draft, today=date(2026, 6, 1))
    first.refresh_from_db()
    return first, second


def test_earlier_versions_are_listed_and_marked_as_replaced(two_versions):
    first, second = two_versions
    html = _assert_public_read(Client().get(_url("statement")))
    assert "Second summary" in html
    assert "We added a holiday scheme." in html
    assert f"First summary {MARKER_A}" not in html
    assert _url("statement-version", "alpha", 1) in html
    assert "published 2 June 2025, replaced 1 June 2026" in html

    old = _assert_public_read(Client().get(_url("statement-version", "alpha", 1)))
    assert f"First summary {MARKER_A}" in old
    assert "This version has been replaced since 1 June 2026" in old
    assert _url("statement") in old
    _assert_anchors_resolve(old)

    current = _assert_public_read(Client().get(_url("statement-version", "alpha", 2)))
    assert "This version has been replaced" not in current
    assert "Second summary" in current


def test_a_draft_or_another_councils_version_number_is_a_404(two_versions, alpha, bravo_published):
    services.statement_draft_create(actor=alpha)  # version 3, a draft
    assert Client().get(_url("statement-version", "alpha", 3)).status_code == 404
    assert Client().get(_url("statement-version", "alpha", 99)).status_code == 404
    # Bravo has a version 1; alpha's slug never shows it.
    assert Client().get(_url("statement-version", "bravo", 2)).status_code == 404


# ---------------------------------------------------------------------------------------------
# The PDF


def test_the_pdf_is_a_404_while_it_is_being_prepared(alpha, offers):
    assert Client().get(_url("statement-pdf")).status_code == 404  # nothing published
    version = published(alpha)  # the build is queued after commit, which a test never reaches
    assert version.pdf_job.status == JobStatus.QUEUED
    assert Client().get(_url("statement-pdf")).status_code == 404
    assert "The PDF version is being prepared." in Client().get(_url("statement")).content.decode()
    assert not AccessLogEntry.objects.filter(action=Action.DOWNLOAD).exists()


def test_the_built_pdf_downloads_as_an_attachment_and_is_logged(
    eager, alpha, offers, django_capture_on_commit_callbacks
):
    version = publish_and_build(alpha, django_capture_on_commit_callbacks)
    job = version.pdf_job
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    page = Client().get(_url("statement")).content.decode()
    assert _url("statement-pdf") in page
    assert "Download this statement as a PDF (PDF, " in page
    assert "KB)" in page

    response = Client().get(_url("statement-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "short-breaks-statement-alpha-v1.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not response.cookies
    entry = AccessLogEntry.objects.get(action=Action.DOWNLOAD)
    assert entry.council == version.council
    assert entry.user is None
    assert entry.object_id == str(job.pk)


def test_an_earlier_versions_pdf_stays_downloadable(
    eager, alpha, offers, django_capture_on_commit_callbacks
):
    first = publish_and_build(alpha, django_capture_on_commit_callbacks)
    draft = services.statement_draft_create(actor=alpha, copy_from=first)
    services.statement_update(actor=alpha, version=draft, views_summary="Second summary")
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_publish(actor=alpha, version=draft, today=date(2026, 6, 1))

    response = Client().get(_url("statement-version-pdf", "alpha", 1))
    assert response.status_code == 200
    assert "short-breaks-statement-alpha-v1.pdf" in response["Content-Disposition"]
    current = Client().get(_url("statement-pdf"))
    assert "short-breaks-statement-alpha-v2.pdf" in current["Content-Disposition"]
    assert Client().get(_url("statement-version-pdf", "alpha", 3)).status_code == 404
    assert Client().get(_url("statement-version-pdf", "bravo", 1)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Query counts do not grow with the offer


def _more_services(commissioner, count):
    provider = make_provider(commissioner, name="Extra Provider")
    for n in range(count):
        make_service(commissioner, provider, title=f"Extra service {n}", tier="targeted")


def test_the_statement_page_reads_in_a_fixed_number_of_queries(
    alpha, offers, django_assert_max_num_queries
):
    _more_services(alpha, 12)
    first = published(alpha)
    draft = services.statement_draft_create(actor=alpha, copy_from=first)
    services.statement_update(actor=alpha, version=draft, views_summary="Second")
    services.statement_publish(actor=alpha, version=draft, today=date(2026, 6, 1))
    client = Client()
    # The council, the current version, every published version, the consultation; and the
    # savepoint pair of the request's transaction.
    with django_assert_max_num_queries(6):
        response = client.get(_url("statement"))
    assert response.status_code == 200
    assert "Extra service 11" in response.content.decode()
    with django_assert_max_num_queries(5):
        assert client.get(_url("statement-version", "alpha", 1)).status_code == 200


def test_the_directory_reads_in_a_fixed_number_of_queries(
    alpha, offers, django_assert_max_num_queries
):
    _more_services(alpha, 12)
    client = Client()
    # The council, a page of its services (with their providers) and their count, and the
    # request's savepoint pair.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("statements:directory", args=["alpha"]))
    assert response.status_code == 200
    assert "Extra service 11" in response.content.decode()
