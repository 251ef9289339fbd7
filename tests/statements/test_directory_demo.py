"""The demo's public directory and Open Referral records are complete: every published service
says where, when, what it costs and how to get in touch, and no page shows "Not given"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from providers.models import Location, Provider, Service, ServiceLocation, ServiceSchedule
from shortbreaks.councils.models import Council
from statements.selectors import public_service_list
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")

DEMO_COUNCILS = ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham")


@pytest.mark.django_db
def test_no_public_directory_page_says_not_given(demo_seeded, client):
    for slug in DEMO_COUNCILS:
        council = Council.objects.get(slug=slug)
        listing = client.get(reverse("statements:directory", args=[slug]))
        assert listing.status_code == 200
        assert "Not given" not in listing.content.decode(), slug
        for service in public_service_list(council=council):
            page = client.get(reverse("statements:directory-service", args=[slug, service.pk]))
            body = page.content.decode()
            assert "Not given" not in body, (slug, service.title)
            assert "Where it runs" in body


@pytest.mark.django_db
def test_every_demo_service_is_a_rich_open_referral_record(demo_seeded, client):
    services = 0
    for slug in DEMO_COUNCILS:
        council = Council.objects.get(slug=slug)
        for service in public_service_list(council=council):
            services += 1
            url = reverse(
                "openreferral:service", kwargs={"council_slug": slug, "id": str(service.pk)}
            )
            record = client.get(url).json()
            where = (slug, service.title)
            assert record["description"], where
            assert record["url"].startswith("https://"), where
            assert record["phones"][0]["number"], where
            assert record["contacts"], where
            assert record["fees_description"] or "cost_options" not in record, where
            at = record["service_at_locations"]
            assert at, where
            for row in at:
                location = row["location"]
                assert location["addresses"][0]["postal_code"], where
                assert -90 <= location["latitude"] <= 90, where
                assert -180 <= location["longitude"] <= 180, where
            assert all("freq" in schedule for schedule in record["schedules"]), where
            taxonomies = {a["taxonomy_term"]["taxonomy_id"] for a in record["attributes"]}
            assert len(taxonomies) == 4, where
    assert services >= 35


@pytest.mark.django_db
def test_every_demo_council_has_an_accessibility_contact(demo_seeded, client):
    for slug in DEMO_COUNCILS:
        council = Council.objects.get(slug=slug)
        assert council.accessibility_email.endswith(".example")
        page = client.get(reverse("accessibility-council", args=[slug])).content.decode()
        assert council.accessibility_email in page
        assert f"get back to you in {council.accessibility_response_days} working days" in page


@pytest.mark.django_db
def test_seeding_again_changes_nothing(demo_seeded):
    tables = (Provider, Location, Service, ServiceLocation, ServiceSchedule)
    before = {model: model.objects.count() for model in tables}
    stamps = dict(Service.objects.values_list("pk", "updated_at"))
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in tables} == before
    assert dict(Service.objects.values_list("pk", "updated_at")) == stamps
