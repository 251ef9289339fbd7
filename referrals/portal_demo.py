"""Demo provider staff: one login per council, `provider@<council>.example`, acting for a
provider the council has awarded a lot (a block or DPS provider), with a KPI return to submit.

It runs after the packages of support are made, so it can pick the provider that supports the
most children: its staff then see some children on their "children we support" page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from contracts.kpi_services import kpi_return_request
from contracts.models import (
    RUNNING_STATUSES,
    Award,
    Contract,
    ContractKind,
    MonitoringRecord,
)
from providers.demo import demo_actor
from providers.models import Provider
from providers.services import provider_account_open
from referrals.models import PackageStatus
from shortbreaks.councils.demo import DEMO_COUNCILS
from shortbreaks.councils.models import Council, Role, User

# Awards of these kinds make the council's block and DPS providers, whose staff the demo shows
# (Medway commissions its one provider through a service level agreement).
PROVIDER_KINDS = (
    ContractKind.BLOCK,
    ContractKind.DPS_CALL_OFF,
    ContractKind.LEAD_PROVIDER,
    ContractKind.SLA,
)


def login_for(slug: str) -> str:
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


def seed(*, password: str) -> list[tuple[str, str]]:
    logins = []
    today = timezone.localdate()
    for demo in DEMO_COUNCILS:
        council = Council.objects.get(slug=demo.slug)
        provider = _provider(council)
        if provider is None:
            continue
        username = login_for(council.slug)
        user = _person(username, provider, password)
        provider_account_open(user=user, provider=provider)
        _kpi_return(council, provider, today)
        logins.append((username, f"Provider staff, {provider.name} ({council.name})"))
    return logins
