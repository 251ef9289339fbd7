"""The big lists are MOJ sortable tables: headings the script turns into sort buttons, and the
order the server gave when there is no script."""

import re

import pytest
from django.urls import reverse

from shortbreaks.councils.models import Role
from tests.referrals.builders import build_world, make_child, make_referral

LISTS = [
    ("referrals:children", Role.SOCIAL_WORKER),
    ("referrals:referral-list", Role.SOCIAL_WORKER),
    ("referrals:caseload", Role.SOCIAL_WORKER),
    ("contracts:list", Role.COMMISSIONER),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), LISTS)
def test_the_list_is_a_sortable_table(two_councils, client_for, name, role):
    build_world(two_councils)
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    make_referral(social_worker, make_child(social_worker))
    person = two_councils["alpha"]["people"][role]

    response = client_for(person).get(reverse(name))

    assert response.status_code == 200
    page = response.content.decode()
    table = re.search(r'<table class="govuk-table" data-module="moj-sortable-table"[^>]*>', page)
    assert table
    assert page.count('aria-sort="none"') >= 4
    assert "moj.css" in page


@pytest.mark.django_db
def test_dates_sort_by_their_iso_value(two_councils, client_for):
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    child = make_child(social_worker)
    make_referral(social_worker, child)

    page = client_for(social_worker).get(reverse("referrals:children"))

    body = page.content.decode()
    born = child.date_of_birth
    assert f'data-sort-value="{born:%Y-%m-%d}">{born.day} {born:%B %Y}</td>' in body
