"""Tenancy: councils, the bodies acting for them, teams, people and their roles.

Every record a council owns inherits `CouncilOwned`, so it carries a non-null council and its
manager offers `for_council()`. Reads go through selectors that call it; nothing else filters by
council by hand.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from guardian.models import UserObjectPermissionBase


class Tier(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    AUDITOR = "auditor", "Auditor"
    COUNCIL_ADMIN = "council_admin", "Council administrator"
    # Staff of a provider the council works with, not of the council: they see only their own
    # provider's records (providers.ProviderAccount names which provider), never a staff page.
    PROVIDER = "provider", "Provider staff"


# The council's own people: every role but provider staff. Staff pages and the staff API ask for
# one of these (shortbreaks.permissions.is_council_member).
STAFF_ROLES = frozenset(Role.values) - {Role.PROVIDER}


class Council(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    # Its code in the register of local authorities in England: with the org-id scheme GB-LAE it
    # identifies the council to people outside the service (the OCDS export's parties).
    local_authority_code = models.CharField(
        max_length=4,
        blank=True,
        help_text="Its code in the register of local authorities in England, e.g. SHR.",
    )
    # Its number in the DfE's list of local authorities: the children in need census's source
    # (LEA) and characters 2-4 of the unique pupil numbers it gives out.
    dfe_la_number = models.CharField(
        "DfE LA number",
        max_length=3,
        blank=True,
        help_text="The DfE's 3-digit number for the council, e.g. 893 for Shropshire.",
    )
    # The council's settings, kept by its council administrator. Whom people contact about the
    # accessibility of its pages and documents, and how soon they get an answer: the
    # accessibility statement shows them (the 2018 accessibility regulations, GOV.UK's model).
    accessibility_email = models.EmailField(blank=True)
    accessibility_phone = models.CharField(max_length=30, blank=True)
    accessibility_response_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days to answer a request or report."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CouncilOwnedQuerySet(models.QuerySet):
    def for_council(self, council: Council | int | None):
        """Only the given council's rows (a Council or its id); none at all when there is none.

        The id is compared as the bigint the column is (`council_id = 5::bigint`): an index that
        holds the council beside other keys through btree_gin (the children search's) serves
        only an `=` of the same type, and a bare 5 is an integer.
        """
        if council is None:
            return self.none()
        council_id = getattr(council, "pk", council)
        return self.filter(council_id=Cast(Value(council_id), models.BigIntegerField()))


class CouncilOwned(models.Model):
    """A record one council owns. The council is set once, at creation, and never changes."""

    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
        related_query_name="%(class)s",
    )

    objects = CouncilOwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class Organisation(CouncilOwned):
    """A body acting for a council, responsible for some tiers.

    Birmingham City Council commissions the universal and targeted tiers; Birmingham Children's
    Trust delivers the specialist tier.
    """

    name = models.CharField(max_length=200)
    tiers = models.JSONField(default=list, help_text="The tiers this body is responsible for.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_tiers_display(self) -> str:
        labels = dict(Tier.choices)
        return ", ".join(labels.get(t, t) for t in self.tiers)


class Team(CouncilOwned):
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Their rights come from memberships in councils.

    `active_council` is the council they are working in now; the API and the pages share it, and
    it is only ever one where they hold a membership (see `services.user_switch_council`).
    """

    active_council = models.ForeignKey(
        Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def memberships_held(self) -> tuple[Membership, ...]:
        """Every role this person holds, in every council, each with its council: one query a
        request, from which come the roles in the active council, the active council itself and
        whether there is another to switch to. `forget_roles()` reads them again."""
        if not self.is_active:
            return ()
        return tuple(self.memberships.select_related("council").order_by())

    @cached_property
    def active_roles(self) -> frozenset[str]:
        """The roles this person holds in their active council (read once per request)."""
        if not self.is_active or self.active_council_id is None:
            return frozenset()
        here = [m for m in self.memberships_held if m.council_id == self.active_council_id]
        field = type(self)._meta.get_field("active_council")
        if here and not field.is_cached(self):
            field.set_cached_value(self, here[0].council)  # the council read with the roles
        return frozenset(m.role for m in here)

    @property
    def council_ids(self) -> frozenset[int]:
        """The councils where this person holds a role."""
        return frozenset(m.council_id for m in self.memberships_held)

    def forget_roles(self) -> None:
        """Read the roles again next time they are asked (after a grant, a removal or a switch).
        Called through the request's lazy user object, it reaches the person inside it."""
        for name in ("memberships_held", "active_roles"):
            self.__dict__.pop(name, None)

    @property
    def staff_roles(self) -> frozenset[str]:
        """The council roles held in the active council: `active_roles` without provider staff."""
        return self.active_roles & STAFF_ROLES


class Membership(CouncilOwned):
    """One role one person holds in one council."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        ordering = ["council__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.council}"


class TeamUserObjectPermission(UserObjectPermissionBase):
    """django-guardian object grants on teams, through a direct foreign key.

    Direct keys (not guardian's generic object_pk string) let the database join and cascade, and
    tie a grant to one real row. Each model that takes object grants gets one of these.
    """

    content_object = models.ForeignKey(Team, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass
