from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from shortbreaks.councils import services
from shortbreaks.councils.models import Role


def test_switch_council_page(council_a, council_b, make_person, client_for):
    person = make_person(council_a, Role.COMMISSIONER)
    services.membership_grant(user=person, council=council_b, role=Role.COMMISSIONER)
    client = client_for(person)
    home = client.get(reverse("home")).content.decode()
    assert "Working in Alpha" in home
    assert "Change council" in home
    page = client.get(reverse("councils:switch")).content.decode()
    assert "Which council are you working in?" in page
    response = client.post(reverse("councils:switch"), {"council": "bravo"})
    assert response.status_code == 302
    assert "Working in Bravo" in client.get(reverse("home")).content.decode()


def test_switch_council_refuses_a_council_you_do_not_work_for(
    council_a, council_b, make_person, client_for
):
    from tests.factories import CouncilFactory

    person = make_person(council_a, Role.COMMISSIONER)
    services.membership_grant(user=person, council=council_b, role=Role.COMMISSIONER)
    CouncilFactory(slug="charlie")
    response = client_for(person).post(reverse("councils:switch"), {"council": "charlie"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    person.refresh_from_db()
    assert person.active_council == council_a


def test_people_with_one_council_see_no_switch(council_a, make_person, client_for):
    person = make_person(council_a, Role.COMMISSIONER)
    client = client_for(person)
    assert "Change council" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("councils:switch")).status_code == 403


@pytest.mark.parametrize(
    ("role", "sees_access_log"),
    [
        (Role.COUNCIL_ADMIN, True),
        (Role.TEAM_MANAGER, True),
        (Role.SOCIAL_WORKER, False),
        (Role.COMMISSIONER, False),
        (Role.AUDITOR, False),
    ],
)
def test_home_page_says_what_the_role_does_and_links_only_what_it_may_use(
    council_a, make_person, client_for, role, sees_access_log
):
    from shortbreaks.views import ROLE_SUMMARIES

    person = make_person(council_a, role)
    body = client_for(person).get(reverse("home")).content.decode()
    assert escape(ROLE_SUMMARIES[role]) in body
    assert (reverse("accesslog:list") in body) is sees_access_log


def test_team_page_lists_members(two_councils, client_for):
    team = two_councils["alpha"]["team"]
    member = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    services.membership_grant(user=member, council=team.council, role=Role.SOCIAL_WORKER, team=team)
    body = client_for(member).get(reverse("councils:team", args=[team.pk])).content.decode()
    assert team.name in body
    assert escape(member.get_full_name()) in body


def test_people_page_query_count_is_constant(
    two_councils, client_for, make_person, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(admin)
    client.get(reverse("councils:people"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("councils:people"))
    for _ in range(15):
        make_person(two_councils["alpha"]["council"], Role.SOCIAL_WORKER)
    with django_assert_num_queries(len(small)):
        client.get(reverse("councils:people"))


def _roles_table(page: str) -> str:
    return page.split('id="roles"', 1)[1]


def test_people_page_shows_the_roles_a_page_at_a_time(two_councils, client_for, make_person):
    """Fifty roles a page, by name: every person once across the pages, and no one from the
    other council."""
    from shortbreaks.councils.models import Membership

    council = two_councils["alpha"]["council"]
    for _ in range(50):
        make_person(council, Role.SOCIAL_WORKER)
    everyone = list(
        Membership.objects.filter(council=council)
        .order_by("user__last_name", "user__first_name", "role", "pk")
        .values_list("user__email", flat=True)
    )
    assert len(everyone) > 50 and len(set(everyone)) == len(everyone)
    client = client_for(two_councils["alpha"]["people"][Role.COUNCIL_ADMIN])
    first = _roles_table(client.get(reverse("councils:people")).content.decode())
    second = _roles_table(client.get(reverse("councils:people") + "?page=2").content.decode())
    assert [email for email in everyone if escape(email) in first] == everyone[:50]
    assert [email for email in everyone if escape(email) in second] == everyone[50:]
    assert 'href="?page=2#roles" rel="next"' in first
    assert 'href="?page=1#roles" rel="prev"' in second and 'rel="next"' not in second
    for person in two_councils["bravo"]["people"].values():
        assert escape(person.email) not in first + second
