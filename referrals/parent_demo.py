"""One demo parent carer login per demo council that runs a targeted grant scheme.

Each is linked, as a carer, to one of the council's made-up demo children who has a grant
application (and a package of support, where the council's demo has one), so signing in on the
council's short breaks pages shows an application and a plain summary of the child's support.
Idempotent: running it again refreshes the password and leaves the link as it is. Each login is
confirmed (as if its emailed link had been followed), so it signs in straight away.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef

from providers.demo import demo_actor
from referrals import selectors, services
from referrals.models import Carer, Child, GrantApplication, Package, PackageStatus, ParentAccount
from shortbreaks.councils.models import Council, Role, User


def login_for(slug: str) -> str:
    return f"parent@{slug}.example"


def _demo_child(council: Council) -> Child | None:
    """A child with a grant application, preferring one whose package is running."""
    children = Child.objects.filter(council=council).annotate(
        has_grant=Exists(GrantApplication.objects.filter(child=OuterRef("pk"))),
        has_package=Exists(
            Package.objects.filter(child=OuterRef("pk"), status=PackageStatus.ACTIVE)
        ),
    )
    return children.filter(has_grant=True).order_by("-has_package", "council_child_id").first()


def _parent(council: Council, child: Child, password: str) -> User:
    email = login_for(council.slug)
    user = User.objects.filter(username=email).first()
    if user is None:
        user = services.parent_account_create(
            council=council,
            email=email,
            password=secrets.token_urlsafe(24),  # replaced by the demo password below
            first_name="Jordan",
            last_name=child.last_name,
        ).user
    if not ParentAccount.objects.filter(user=user).exists():
        ParentAccount.objects.create(council=council, user=user)
    # The demo login signs in straight away: its address counts as confirmed.
    account = ParentAccount.objects.get(user=user)
    if account.confirmed_at is None:
        services.parent_account_confirm(account=account)
        user.refresh_from_db()
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed(*, password: str) -> list[tuple[str, str]]:
    logins: list[tuple[str, str]] = []
    for council in Council.objects.order_by("name"):
        if selectors.current_grant_scheme(council=council) is None:
            continue
        child = _demo_child(council)
        if child is None:
            continue
        parent = _parent(council, child, password)
        if not Carer.objects.filter(council=council, account=parent).exists():
            worker = demo_actor(council.slug, Role.SOCIAL_WORKER)
            carer = services.carer_add(
                actor=worker,
                child=child,
                name=parent.get_full_name(),
                relationship="parent",
                contact=parent.email,
            )
            services.carer_account_link(actor=worker, carer=carer, email=parent.email)
        logins.append(
            (
                parent.username,
                f"Parent carer, {council.name} (sign in at /statements/{council.slug}/account/)",
            )
        )
    return logins
