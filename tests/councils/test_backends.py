"""Django's model permissions, read in one query (shortbreaks.councils.backends): a person's own
grants and their groups' count, nobody else's, and nothing for an inactive person."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from shortbreaks.councils.models import Role

NAMES = "audits.view_child_names"


def _fresh(person):
    return type(person).objects.get(pk=person.pk)


def test_own_and_group_grants_are_read_at_once_and_nobody_elses(
    two_councils, django_assert_num_queries
):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    names = Permission.objects.get(codename="view_child_names")
    alpha[Role.AUDITOR].user_permissions.add(names)
    group = Group.objects.create(name="Auditors with names")
    group.permissions.add(names)
    alpha[Role.COMMISSIONER].groups.add(group)

    for granted in (alpha[Role.AUDITOR], alpha[Role.COMMISSIONER]):
        person = _fresh(granted)
        with django_assert_num_queries(1):
            assert person.has_perm(NAMES)
            assert person.get_all_permissions() == {NAMES}
    for refused in (alpha[Role.SOCIAL_WORKER], bravo[Role.AUDITOR]):
        assert not _fresh(refused).has_perm(NAMES)

    inactive = _fresh(alpha[Role.AUDITOR])
    inactive.is_active = False
    assert not inactive.has_perm(NAMES)
    assert inactive.get_all_permissions() == set()
