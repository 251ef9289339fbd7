from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import assign_perm

from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from shortbreaks.permissions import objects_granted
from tests.factories import TeamFactory


def test_switching_to_one_of_your_councils(council_a, council_b, make_person):
    person = make_person(council_a, Role.AUDITOR)
    services.membership_grant(user=person, council=council_b, role=Role.AUDITOR)
    assert person.active_council == council_a
    services.user_switch_council(actor=person, council_slug=council_b.slug)
    person.refresh_from_db()
    assert person.active_council == council_b
    assert person.active_roles == {Role.AUDITOR}
    assert AccessLogEntry.objects.filter(user=person, action="change").exists()


def test_two_roles_in_one_council_are_not_two_councils_to_switch_between(
    council_a, council_b, make_person, client_for, django_assert_num_queries
):
    """The roles, the council and whether there is another come from one read of the person's
    memberships; the header offers "Change council" only for a second council."""
    person = make_person(council_a, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
    assert not person.has_perm("councils.switch_council")
    assert "Change council" not in client_for(person).get("/home/").content.decode()
    services.membership_grant(user=person, council=council_b, role=Role.AUDITOR)
    person = type(person).objects.get(pk=person.pk)
    with django_assert_num_queries(1):
        assert person.active_roles == {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
        assert person.active_council == council_a
        assert person.has_perm("councils.switch_council")
    assert "Change council" in client_for(person).get("/home/").content.decode()


@pytest.mark.parametrize("slug", ["bravo", "no-such-council"])
def test_switching_to_a_council_you_do_not_work_for_is_refused_alike(
    council_a, council_b, make_person, slug
):
    person = make_person(council_a, Role.AUDITOR)
    with pytest.raises(ValidationError) as error:
        services.user_switch_council(actor=person, council_slug=slug)
    assert error.value.message_dict == {"council": ["Choose one of your councils."]}
    person.refresh_from_db()
    assert person.active_council == council_a


def test_roles_are_those_of_the_active_council_only(council_a, council_b, make_person):
    person = make_person(council_a, Role.SOCIAL_WORKER)
    services.membership_grant(user=person, council=council_b, role=Role.COUNCIL_ADMIN)
    assert person.active_roles == {Role.SOCIAL_WORKER}
    assert not person.has_perm("accesslog.view_accesslog")
    services.user_switch_council(actor=person, council_slug="bravo")
    assert person.active_roles == {Role.COUNCIL_ADMIN}
    assert person.has_perm("accesslog.view_accesslog")


def test_active_council_is_repaired_when_a_membership_ends(council_a, council_b, make_person):
    person = make_person(council_a, Role.SOCIAL_WORKER)
    services.membership_grant(user=person, council=council_b, role=Role.SOCIAL_WORKER)
    person.memberships.filter(council=council_a).delete()
    assert services.user_ensure_active_council(user=person) == council_b


def test_a_membership_cannot_borrow_another_councils_team(council_a, council_b, make_person):
    person = make_person(council_a, Role.SOCIAL_WORKER)
    their_team = TeamFactory(council=council_b)
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=person, council=council_a, role=Role.TEAM_MANAGER, team=their_team
        )


def test_organisations_take_only_known_tiers(council_a):
    with pytest.raises(ValidationError):
        services.organisation_create(council=council_a, name="Trust", tiers=["specialist", "x"])
    trust = services.organisation_create(
        council=council_a, name="Children's Trust", tiers=["specialist"]
    )
    assert trust.get_tiers_display() == "Specialist"


def test_object_grants_use_direct_keys_and_stay_inside_the_council(
    council_a, council_b, make_person
):
    from django.contrib.auth.models import Permission

    from shortbreaks.councils.models import Team, TeamUserObjectPermission

    person = make_person(council_a, Role.SOCIAL_WORKER)
    ours, theirs, ungranted = (
        TeamFactory(council=council_a),
        TeamFactory(council=council_b),
        TeamFactory(council=council_a),
    )
    assign_perm("councils.view_team", person, ours)
    assign_perm("councils.view_team", person, theirs)
    # The grant is a row with a real foreign key to the team.
    assert TeamUserObjectPermission.objects.filter(content_object=ours, user=person).exists()
    # A model-wide permission does not widen the grants to every team.
    person.user_permissions.add(Permission.objects.get(codename="view_team"))
    granted = objects_granted(person, "councils.view_team", Team.objects.all())
    assert list(granted) == [ours]
    assert ungranted not in granted
