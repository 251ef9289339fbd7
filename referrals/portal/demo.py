"""Demo logins of people outside the council who read children: provider staff, parent carers.

Provider staff (`seed_providers`): one login per council, `provider@<council>.example`, acting
for a provider the council has awarded a lot (a block or DPS provider), with a KPI return to
submit. It runs after the packages of support are made, so it can pick the provider that
supports the most children: its staff then see some children on their "children we support" page.

Parent carers (`seed_parents`): one login per demo council that runs a targeted grant scheme.
Each is linked, as a carer, to one of the council's made-up demo children who has a grant
application (and a package of support, where the council's demo has one), so signing in on the
council's short breaks pages shows an application and a plain summary of the child's support.
Idempotent: running it again refreshes the password and leaves the link as it is. Each login is
confirmed (as if its emailed link had been followed), so it signs in straight away.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from contracts.models import (
    RUNNING_STATUSES,
    Award,
    Contract,
    ContractKind,
    MonitoringRecord,
)
from contracts.services.kpi import kpi_return_request
from providers.demo import demo_actor
from providers.models import Provider
from providers.services import provider_account_open
from referrals.models import Carer, Child, GrantApplication, Package, PackageStatus, ParentAccount
from referrals.selectors import parents as parent_selectors
from referrals.services import carers as carer_services
from referrals.services import parents as parent_services
from shortbreaks.councils.demo import DEMO_COUNCILS
from shortbreaks.councils.models import Council, Role, User

# ----------------------------------------------------------------------------------------------
# Provider staff

# Awards of these kinds make the council's block and DPS providers, whose staff the demo shows
# (Medway commissions its one provider through a service level agreement).
PROVIDER_KINDS = (
    ContractKind.BLOCK,
    ContractKind.DPS_CALL_OFF,
    ContractKind.LEAD_PROVIDER,
    ContractKind.SLA,
)


def provider_login_for(slug: str) -> str:
    return f"provider@{slug}.example"


def _person(username: str, provider: Provider, password: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"email": username})
    user.email, user.first_name, user.last_name = username, "Provider", provider.name[:150]
    user.set_password(password)
    user.save()
    return user


def _provider(council: Council) -> Provider | None:
    """The council's block, DPS or SLA provider supporting the most children."""
    live = Q(
        package_lines__package__status__in=(PackageStatus.APPROVED, PackageStatus.ACTIVE),
        package_lines__end_on__isnull=True,
    )
    return (
        Provider.objects.filter(council=council, awards__lot__contract__kind__in=PROVIDER_KINDS)
        .annotate(children=Count("package_lines__package__child", filter=live, distinct=True))
        .order_by("-children", "name")
        .first()
    )


def _quarter_before(today: date) -> str:
    """The financial-year quarter before the one `today` is in, as councils name it."""
    quarter = (today.month - 4) % 12 // 3 + 1  # April-June is quarter 1
    year = today.year if today.month >= 4 else today.year - 1
    quarter -= 1
    if quarter == 0:
        quarter, year = 4, year - 1
    return f"Quarter {quarter} {year}/{str(year + 1)[2:]}"


def _kpi_return(council: Council, provider: Provider, today: date) -> None:
    contract = (
        Contract.objects.filter(
            council=council,
            kind__in=PROVIDER_KINDS,
            pk__in=Award.objects.filter(provider=provider).values("lot__contract"),
        )
        .annotate(
            running=Case(
                When(Q(status__in=RUNNING_STATUSES, end_date__gte=today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        # a contract running today first, then the one that ended last
        .order_by("running", "-end_date")
        .first()
    )
    if contract is None:
        return
    if MonitoringRecord.objects.filter(provider=provider).exists():
        return  # asked once: seeding again, on any day, leaves the same rows
    # The last quarter the contract ran in: for one that has ended, the quarter before its end.
    period = _quarter_before(min(today, contract.end_date + timedelta(days=1)))
    manager = demo_actor(council.slug, Role.CONTRACT_MANAGER)
    kpi_return_request(
        actor=manager,
        contract=contract,
        provider=provider,
        period=period,
        due_on=today + timedelta(days=14),
    )


def seed_providers(*, password: str) -> list[tuple[str, str]]:
    logins = []
    today = timezone.localdate()
    for demo in DEMO_COUNCILS:
        council = Council.objects.get(slug=demo.slug)
        provider = _provider(council)
        if provider is None:
            continue
        username = provider_login_for(council.slug)
        user = _person(username, provider, password)
        provider_account_open(user=user, provider=provider)
        _kpi_return(council, provider, today)
        logins.append((username, f"Provider staff, {provider.name} ({council.name})"))
    return logins


# ----------------------------------------------------------------------------------------------
# Parent carers


def parent_login_for(slug: str) -> str:
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
    email = parent_login_for(council.slug)
    user = User.objects.filter(username=email).first()
    if user is None:
        user = parent_services.parent_account_create(
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
        parent_services.parent_account_confirm(account=account)
        user.refresh_from_db()
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_parents(*, password: str) -> list[tuple[str, str]]:
    logins: list[tuple[str, str]] = []
    for council in Council.objects.order_by("name"):
        if parent_selectors.current_grant_scheme(council=council) is None:
            continue
        child = _demo_child(council)
        if child is None:
            continue
        parent = _parent(council, child, password)
        if not Carer.objects.filter(council=council, account=parent).exists():
            worker = demo_actor(council.slug, Role.SOCIAL_WORKER)
            carer = carer_services.carer_add(
                actor=worker,
                child=child,
                name=parent.get_full_name(),
                relationship="parent",
                contact=parent.email,
            )
            carer_services.carer_account_link(actor=worker, carer=carer, email=parent.email)
        logins.append(
            (
                parent.username,
                f"Parent carer, {council.name} (sign in at /statements/{council.slug}/account/)",
            )
        )
    return logins
