"""The providers register in the browser: reading, changing, refusals and query counts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from providers.models import Provider, ProviderEvent, Registration, Service
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import STAFF_ROLES, Role
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.conftest import MARKER_A, MARKER_B
from tests.dates import date_boxes
from tests.roles import CONTRACT_MANAGERS


def _person(world, role, council="alpha"):
    return world[council]["people"][role]


def _body(response) -> str:
    return response.content.decode()


def _error_summary(response) -> str:
    body = _body(response)
    assert "There is a problem" in body, body
    return body


# ---------------------------------------------------------------------------------------------
# Who may do what.

READ_PAGES = [
    ("list", lambda w: reverse("providers:list")),
    ("detail", lambda w: reverse("providers:detail", args=[w["alpha"]["provider"].pk])),
    ("services", lambda w: reverse("providers:services")),
    ("service", lambda w: reverse("providers:service", args=[w["alpha"]["service"].pk])),
]
WRITE_PAGES = [
    ("create", lambda w: reverse("providers:create")),
    ("edit", lambda w: reverse("providers:edit", args=[w["alpha"]["provider"].pk])),
    ("status", lambda w: reverse("providers:status", args=[w["alpha"]["provider"].pk])),
    (
        "registration",
        lambda w: reverse("providers:registration-create", args=[w["alpha"]["provider"].pk]),
    ),
    (
        "service create",
        lambda w: reverse("providers:service-create", args=[w["alpha"]["provider"].pk]),
    ),
    ("service edit", lambda w: reverse("providers:service-edit", args=[w["alpha"]["service"].pk])),
]


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
@pytest.mark.parametrize(("label", "url_for"), READ_PAGES, ids=[p[0] for p in READ_PAGES])
def test_every_council_member_reads_providers_and_services(world, client_for, role, label, url_for):
    response = client_for(_person(world, role)).get(url_for(world))
    assert response.status_code == 200, (label, role)
    assert MARKER_A in _body(response)
    assert MARKER_B not in _body(response)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("label", "url_for"), WRITE_PAGES, ids=[p[0] for p in WRITE_PAGES])
def test_only_commissioners_and_contract_managers_open_the_forms(
    world, client_for, role, label, url_for
):
    response = client_for(_person(world, role)).get(url_for(world))
    assert response.status_code == (200 if role in CONTRACT_MANAGERS else 403), (label, role)


@pytest.mark.parametrize("role", sorted(set(Role.values) - CONTRACT_MANAGERS))
def test_a_refused_role_changes_nothing(world, client_for, role):
    client = client_for(_person(world, role))
    provider, service = world["alpha"]["provider"], world["alpha"]["service"]
    posts = [
        (reverse("providers:create"), {"name": "Sneaky Ltd"}),
        (reverse("providers:edit", args=[provider.pk]), {"name": "Renamed"}),
        (
            reverse("providers:status", args=[provider.pk]),
            {"status": "exited", **date_boxes("on", "1/4/2025"), "reason": "Gone"},
        ),
        (
            reverse("providers:registration-create", args=[provider.pk]),
            {"regulator": "cqc", "number": "1-000"},
        ),
        (reverse("providers:service-create", args=[provider.pk]), _service_post(title="New")),
        (reverse("providers:service-edit", args=[service.pk]), _service_post(title="Renamed")),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    provider.refresh_from_db()
    service.refresh_from_db()
    assert provider.name == f"Provider {MARKER_A}"
    assert provider.status == "active"
    assert service.title == f"Service {MARKER_A}"
    assert not Provider.objects.filter(name="Sneaky Ltd").exists()
    assert not Registration.objects.exists()
    assert Service.objects.count() == 2


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for _, url_for in READ_PAGES + WRITE_PAGES:
        response = client.get(url_for(world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("role", Role.values)
def test_buttons_show_only_to_those_who_may_use_them(world, client_for, role):
    client = client_for(_person(world, role))
    provider, service = world["alpha"]["provider"], world["alpha"]["service"]
    listing = _body(client.get(reverse("providers:list")))
    detail = _body(client.get(reverse("providers:detail", args=[provider.pk])))
    service_page = _body(client.get(reverse("providers:service", args=[service.pk])))
    shown = {
        "Add a provider" in listing,
        reverse("providers:edit", args=[provider.pk]) in detail,
        reverse("providers:status", args=[provider.pk]) in detail,
        reverse("providers:registration-create", args=[provider.pk]) in detail,
        reverse("providers:service-create", args=[provider.pk]) in detail,
        reverse("providers:service-edit", args=[service.pk]) in service_page,
    }
    assert shown == {role in CONTRACT_MANAGERS}


# ---------------------------------------------------------------------------------------------
# Another council's record: 404, exactly as a missing one.

ID_PAGES = [
    ("providers:detail", "provider", Role.SOCIAL_WORKER),
    ("providers:service", "service", Role.AUDITOR),
    ("providers:edit", "provider", Role.COMMISSIONER),
    ("providers:status", "provider", Role.CONTRACT_MANAGER),
    ("providers:registration-create", "provider", Role.COMMISSIONER),
    ("providers:service-create", "provider", Role.COMMISSIONER),
    ("providers:service-edit", "service", Role.COMMISSIONER),
]


def _comparable(response, pk) -> str:
    body = _body(response).replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize(("url_name", "thing", "role"), ID_PAGES)
def test_another_councils_id_is_not_found_as_a_missing_one(
    world, client_for, url_name, thing, role
):
    client = client_for(_person(world, role))
    theirs = world["bravo"][thing].pk
    missing = theirs + 10_000
    other = client.get(reverse(url_name, args=[theirs]))
    gone = client.get(reverse(url_name, args=[missing]))
    assert other.status_code == gone.status_code == 404
    assert _comparable(other, theirs) == _comparable(gone, missing)
    assert MARKER_B not in _body(other)


def test_posting_to_another_councils_provider_changes_nothing(world, client_for):
    client = client_for(_person(world, Role.COMMISSIONER))
    theirs = world["bravo"]["provider"]
    response = client.post(
        reverse("providers:status", args=[theirs.pk]),
        {"status": "suspended", **date_boxes("on", "1/4/2025"), "reason": "Not ours to say"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_a_council_in_a_joint_contract_does_not_see_the_lead_councils_providers(world, client_for):
    """Providers are per council: a joint contract shares itself, not the lead's provider rows."""
    lead = _person(world, Role.COMMISSIONER)
    contract = make_contract(lead, participating_councils=[world["bravo"]["council"]])
    make_awarded_lot(lead, contract, world["alpha"]["provider"])
    participant = client_for(_person(world, Role.COMMISSIONER, "bravo"))
    provider = world["alpha"]["provider"]
    assert participant.get(reverse("providers:detail", args=[provider.pk])).status_code == 404
    listing = _body(participant.get(reverse("providers:list")))
    assert MARKER_A not in listing
    assert MARKER_B in listing
    services = _body(participant.get(reverse("providers:services")))
    assert MARKER_A not in services


# ---------------------------------------------------------------------------------------------
# The list pages.


def test_list_searches_by_name_and_filters_by_status(world, client_for):
    commissioner = _person(world, Role.COMMISSIONER)
    holly = make_provider(commissioner, name="Holly Lodge Care")
    make_provider(commissioner, name="Oak Tree Trust")
    from providers.services import provider_set_status

    provider_set_status(
        actor=commissioner, provider=holly, status="suspended", on=date(2025, 1, 6), reason="CQC"
    )
    client = client_for(_person(world, Role.SOCIAL_WORKER))
    found = _body(client.get(reverse("providers:list"), {"search": "holly"}))
    assert "Holly Lodge Care" in found
    assert "Oak Tree Trust" not in found
    suspended = _body(client.get(reverse("providers:list"), {"status": "suspended"}))
    assert "Holly Lodge Care" in suspended
    assert "Suspended" in suspended
    assert "Oak Tree Trust" not in suspended
    # An unknown status is ignored rather than refused: the list shows everything.
    everything = client.get(reverse("providers:list"), {"status": "nonsense"})
    assert everything.status_code == 200
    assert "Oak Tree Trust" in _body(everything)


def test_list_shows_each_providers_number_of_services(world, client_for):
    commissioner = _person(world, Role.COMMISSIONER)
    provider = world["alpha"]["provider"]
    make_service(commissioner, provider)
    make_service(commissioner, provider)
    body = _body(client_for(commissioner).get(reverse("providers:list")))
    row = re.search(rf"Provider {MARKER_A}</a></td>(.*?)</tr>", body, re.S).group(1)
    assert re.search(r"numeric\">\s*3\s*</td>", row)


def _add_providers(world, count: int) -> None:
    commissioner = _person(world, Role.COMMISSIONER)
    for index in range(count):
        provider = make_provider(commissioner, name=f"Extra provider {index}")
        make_service(commissioner, provider, tier="universal")
        make_service(commissioner, provider, tier="targeted")


@pytest.mark.parametrize("rows", [3, 12])
def test_provider_list_queries_do_not_grow_with_rows(
    world, client_for, django_assert_num_queries, rows
):
    _add_providers(world, rows)
    client = client_for(_person(world, Role.SOCIAL_WORKER))
    with django_assert_num_queries(11):
        response = client.get(reverse("providers:list"))
    assert _body(response).count("Extra provider") == rows


@pytest.mark.parametrize("rows", [3, 12])
def test_services_list_queries_do_not_grow_with_rows(
    world, client_for, django_assert_num_queries, rows
):
    _add_providers(world, rows)
    client = client_for(_person(world, Role.SOCIAL_WORKER))
    with django_assert_num_queries(11):
        response = client.get(reverse("providers:services"))
    assert _body(response).count("Extra provider") == rows * 2


def test_services_list_filters_by_tier_and_names_each_provider(world, client_for):
    commissioner = _person(world, Role.COMMISSIONER)
    club = make_provider(commissioner, name="Riverside Youth Club")
    make_service(commissioner, club, title="Saturday club", tier="universal")
    client = client_for(_person(world, Role.SOCIAL_WORKER))
    universal = _body(client.get(reverse("providers:services"), {"tier": "universal"}))
    assert "Saturday club" in universal
    assert "Riverside Youth Club" in universal
    assert f"Service {MARKER_A}" not in universal
    specialist = _body(client.get(reverse("providers:services"), {"tier": "specialist"}))
    assert f"Service {MARKER_A}" in specialist
    assert "Saturday club" not in specialist


def test_a_long_list_is_paged(world, client_for):
    commissioner = _person(world, Role.COMMISSIONER)
    for index in range(51):
        make_provider(commissioner, name=f"Paged provider {index:02d}")
    client = client_for(commissioner)
    first = _body(client.get(reverse("providers:list"), {"search": "Paged"}))
    assert first.count("Paged provider") == 50
    assert "search=Paged&amp;page=2" in first
    second = _body(client.get(reverse("providers:list"), {"search": "Paged", "page": 2}))
    assert second.count("Paged provider") == 1


# ---------------------------------------------------------------------------------------------
# The provider page and its changes.


def test_detail_shows_details_registrations_services_and_history_and_logs_the_view(
    world, client_for
):
    commissioner = _person(world, Role.COMMISSIONER)
    provider = world["alpha"]["provider"]
    from providers.services import registration_record

    registration_record(
        actor=commissioner,
        provider=provider,
        regulator="ofsted",
        number="SC123456",
        service_type="Children's home",
        latest_rating="Good",
        rating_date=date(2024, 11, 5),
    )
    reader = _person(world, Role.SOCIAL_WORKER)
    response = client_for(reader).get(reverse("providers:detail", args=[provider.pk]))
    body = _body(response)
    assert "SC123456" in body
    assert "Children&#x27;s home" in body
    assert "5 November 2024" in body
    assert f"Service {MARKER_A}" in body
    assert "Provider record created." in body
    assert AccessLogEntry.objects.filter(
        user=reader, action="view", object_type="providers.provider", object_id=str(provider.pk)
    ).exists()


def test_commissioner_adds_a_provider(world, client_for):
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:create"),
        {
            "name": "Newcross Healthcare Solutions",
            "companies_house_number": "01234567",
            "address": "1 High Street\nHereford",
            "postcode": "HR1 2AB",
            "contact_name": "Sam Patel",
            "contact_email": "sam@example.org",
            "contact_phone": "01432 000000",
            "website": "https://www.example.org",
        },
        follow=True,
    )
    provider = Provider.objects.get(name="Newcross Healthcare Solutions")
    assert provider.council == world["alpha"]["council"]
    assert response.redirect_chain[-1][0] == reverse("providers:detail", args=[provider.pk])
    body = _body(response)
    assert "Newcross Healthcare Solutions added." in body
    assert "01234567" in body
    assert "HR1 2AB" in body
    assert "mailto:sam@example.org" in body


def test_contract_manager_changes_provider_details(world, client_for):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.CONTRACT_MANAGER))
    form = _body(client.get(reverse("providers:edit", args=[provider.pk])))
    assert f'value="Provider {MARKER_A}"' in form
    response = client.post(
        reverse("providers:edit", args=[provider.pk]),
        {"name": "Our Place", "charity_number": "1100000"},
        follow=True,
    )
    provider.refresh_from_db()
    assert provider.name == "Our Place"
    assert provider.charity_number == "1100000"
    assert "Provider details saved." in _body(response)


def test_a_name_the_council_already_holds_is_refused_with_a_message(world, client_for):
    commissioner = _person(world, Role.COMMISSIONER)
    make_provider(commissioner, name="Aspire Living")
    response = client_for(commissioner).post(reverse("providers:create"), {"name": "Aspire Living"})
    assert response.status_code == 200
    assert "already has a provider with this name" in _error_summary(response)
    assert Provider.objects.filter(name="Aspire Living").count() == 1


def test_another_council_may_hold_a_provider_of_the_same_name(world, client_for):
    client = client_for(_person(world, Role.COMMISSIONER, "bravo"))
    response = client.post(reverse("providers:create"), {"name": f"Provider {MARKER_A}"})
    assert response.status_code == 302
    assert Provider.objects.filter(name=f"Provider {MARKER_A}").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the provider&#x27;s name."),
        ({"name": "X", "contact_email": "not-an-email"}, "Enter an email address like"),
        ({"name": "X", "website": "not a web address"}, "Enter a web address like"),
        ({"name": "X", "postcode": "TOO LONG POSTCODE"}, "at most 8 characters"),
    ],
)
def test_bad_provider_input_shows_errors_and_saves_nothing(world, client_for, data, message):
    response = client_for(_person(world, Role.COMMISSIONER)).post(reverse("providers:create"), data)
    body = _error_summary(response)
    assert message in body
    assert "<title>Error: " in body
    assert not Provider.objects.filter(name="X").exists()


def test_status_change_records_date_reason_and_history(world, client_for):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:status", args=[provider.pk]),
        {"status": "exited", **date_boxes("on", "31/3/2020"), "reason": "Left the DPS"},
        follow=True,
    )
    provider.refresh_from_db()
    assert (provider.status, provider.status_date) == ("exited", date(2020, 3, 31))
    body = _body(response)
    assert "Exited" in body
    assert "31 March 2020" in body
    assert "Left the DPS" in body
    assert ProviderEvent.objects.filter(provider=provider, kind="status").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "active", **date_boxes("on", "1/4/2025"), "reason": "x"}, "already active"),
        (
            {"status": "suspended", **date_boxes("on", "31/2/2025"), "reason": "x"},
            "must be a real date",
        ),
        ({"status": "suspended", "on": "", "reason": "x"}, "Enter the date of the change"),
        ({"status": "suspended", **date_boxes("on", "1/4/2025"), "reason": ""}, "Enter the reason"),
        (
            {"status": "closed", **date_boxes("on", "1/4/2025"), "reason": "x"},
            "Choose active, suspended",
        ),
    ],
)
def test_bad_status_change_shows_errors_and_changes_nothing(world, client_for, data, message):
    provider = world["alpha"]["provider"]
    response = client_for(_person(world, Role.COMMISSIONER)).post(
        reverse("providers:status", args=[provider.pk]), data
    )
    assert message in _error_summary(response)
    provider.refresh_from_db()
    assert provider.status == "active"
    assert provider.status_reason == ""


def test_recording_a_registration_twice_updates_its_rating(world, client_for):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.COMMISSIONER))
    url = reverse("providers:registration-create", args=[provider.pk])
    first = {
        "regulator": "cqc",
        "number": "1-101010101",
        "service_type": "Domiciliary care",
        "latest_rating": "Requires improvement",
        **date_boxes("rating_date", "1/6/2023"),
    }
    response = client.post(url, first, follow=True)
    assert "Requires improvement" in _body(response)
    client.post(url, {**first, "latest_rating": "Good", **date_boxes("rating_date", "12/2/2025")})
    registration = Registration.objects.get(provider=provider)
    assert (registration.latest_rating, registration.rating_date) == ("Good", date(2025, 2, 12))


def test_bad_registration_input_shows_errors(world, client_for):
    provider = world["alpha"]["provider"]
    response = client_for(_person(world, Role.COMMISSIONER)).post(
        reverse("providers:registration-create", args=[provider.pk]),
        {"regulator": "", "number": "", "rating_date_0": "yesterday"},
    )
    body = _error_summary(response)
    assert "Choose CQC or Ofsted." in body
    assert "Enter the registration number." in body
    assert "The date of the rating must include a month and year" in body
    assert not Registration.objects.exists()


# ---------------------------------------------------------------------------------------------
# Services.


def _service_post(**overrides) -> dict:
    data = {
        "title": "Overnight short breaks",
        "description": "Overnight stays in a small home.",
        "tier": "specialist",
        "categories": ["overnight_care", "evenings_weekends_holidays"],
        "setting": "residential",
        "ratios": ["1:1", "2:1"],
        "age_from": "8",
        "age_to": "18",
        "areas": "County-wide",
        "when": ["overnight", "weekends"],
        "price_unit": "night",
        "price": "412.50",
        "capacity_available": "1",
        "capacity_maximum": "4",
        "capacity_unit": "beds",
        "accessibility": "Step-free throughout.",
        "how_to_access": "After a social care assessment.",
    }
    data.update(overrides)
    return data


def test_commissioner_adds_a_service_from_the_provider_page(world, client_for):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:service-create", args=[provider.pk]), _service_post(), follow=True
    )
    service = Service.objects.get(title="Overnight short breaks")
    assert service.provider == provider
    assert service.categories == ["overnight_care", "evenings_weekends_holidays"]
    assert service.ratios == ["1:1", "2:1"]
    assert service.capacity_updated_at is not None
    assert response.redirect_chain[-1][0] == reverse("providers:service", args=[service.pk])
    body = _body(response)
    assert "Overnight care in the home or elsewhere" in body
    assert "1 of 4 beds available" in body
    assert "£412.50 per night" in body
    assert "1:1, 2:1" in body


def test_service_form_offers_every_choice_as_checkboxes(world, client_for):
    provider = world["alpha"]["provider"]
    client = client_for(_person(world, Role.COMMISSIONER))
    body = _body(client.get(reverse("providers:service-create", args=[provider.pk])))
    for name, count in (("categories", 4), ("ratios", 4), ("when", 5)):
        assert len(re.findall(rf'type="checkbox"\s+name="{name}"', body)) == count


def test_contract_manager_changes_a_service_and_its_capacity_time(world, client_for):
    service = world["alpha"]["service"]
    client = client_for(_person(world, Role.CONTRACT_MANAGER))
    form = _body(client.get(reverse("providers:service-edit", args=[service.pk])))
    assert f'value="Service {MARKER_A}"' in form
    assert re.search(r'value="overnight_care"\s+checked', form)
    assert not re.search(r'value="daytime_care"\s+checked', form)
    response = client.post(
        reverse("providers:service-edit", args=[service.pk]),
        _service_post(title="Renamed service", capacity_available="0"),
        follow=True,
    )
    service.refresh_from_db()
    assert service.title == "Renamed service"
    assert service.capacity_available == 0
    assert service.capacity_updated_at is not None
    assert "Service saved." in _body(response)
    assert "0 of 4 beds available" in _body(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"categories": []}, "Choose at least one Regulation 4 category."),
        ({"age_from": "18", "age_to": "8"}, "The oldest age must be the same as or more"),
        ({"capacity_available": "5", "capacity_maximum": "4"}, "Available places cannot be more"),
        ({"price_unit": "", "price": "10"}, "Say whether the price is per hour"),
        ({"price": "-1"}, "greater than or equal to 0"),
        ({"tier": "premium"}, "Choose universal, targeted or specialist."),
        ({"ratios": ["3:1"]}, "Select a valid choice"),
        ({"age_to": "forty"}, "Enter the oldest age as a whole number"),
        ({"title": ""}, "Enter the service&#x27;s title."),
    ],
)
def test_bad_service_input_shows_errors_and_saves_nothing(world, client_for, overrides, message):
    provider = world["alpha"]["provider"]
    response = client_for(_person(world, Role.COMMISSIONER)).post(
        reverse("providers:service-create", args=[provider.pk]), _service_post(**overrides)
    )
    assert response.status_code == 200
    assert message in _error_summary(response)
    assert Service.objects.filter(council=world["alpha"]["council"]).count() == 1


def test_a_refused_service_change_keeps_the_saved_service(world, client_for):
    service = world["alpha"]["service"]
    client = client_for(_person(world, Role.COMMISSIONER))
    response = client.post(
        reverse("providers:service-edit", args=[service.pk]),
        _service_post(title="Half-saved", age_from="18", age_to="3"),
    )
    assert "The oldest age must be" in _error_summary(response)
    service.refresh_from_db()
    assert service.title == f"Service {MARKER_A}"


def test_service_page_logs_the_view(world, client_for):
    service = world["alpha"]["service"]
    auditor = _person(world, Role.AUDITOR)
    client_for(auditor).get(reverse("providers:service", args=[service.pk]))
    assert AccessLogEntry.objects.filter(
        user=auditor, action="view", object_type="providers.service", object_id=str(service.pk)
    ).exists()
