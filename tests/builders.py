"""Build providers, services and contracts for tests, through the real services.

Each builder takes the actor who records the thing (a commissioner of the council it belongs to)
and sensible defaults that a test overrides only where it matters.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from contracts.models import Contract, ContractKind, ContractParticipation, ParticipationStatus
from contracts.services.lots import award_create, lot_create
from contracts.services.participation import contract_participation_accept
from contracts.services.register import contract_activate, contract_create
from providers import services as provider_services
from providers.models import Location, Provider, Service
from shortbreaks.councils.models import STAFF_ROLES, Council, Membership, Role, User
from shortbreaks.councils.services import membership_grant
from tests.factories import UserFactory

_numbers = itertools.count(1)


def make_provider(actor, **fields) -> Provider:
    fields.setdefault("name", f"Provider {next(_numbers)}")
    return provider_services.provider_create(actor=actor, **fields)


def make_service(actor, provider: Provider, **fields) -> Service:
    fields.setdefault("title", f"Service {next(_numbers)}")
    fields.setdefault("tier", "specialist")
    fields.setdefault("categories", ["overnight_care"])
    fields.setdefault("setting", "residential")
    fields.setdefault("ratios", ["1:1"])
    fields.setdefault("when", ["overnight"])
    return provider_services.service_create(actor=actor, provider=provider, **fields)


def make_location(actor, provider: Provider, **fields) -> Location:
    fields.setdefault("name", f"Hall {next(_numbers)}")
    fields.setdefault("address_1", "1 High Street")
    fields.setdefault("town", "Hereford")
    fields.setdefault("county", "Herefordshire")
    fields.setdefault("postcode", "HR1 2AB")
    return provider_services.location_create(actor=actor, provider=provider, **fields)


def make_contract(actor, *, active: bool = True, accepted: bool = True, **fields) -> Contract:
    """A contract the actor's council leads. Any `participating_councils` are invited and, unless
    `accepted=False`, accept through a commissioner of their own (see `accept_invitations`)."""
    fields.setdefault("reference", f"C-{next(_numbers):04d}")
    fields.setdefault("title", "Overnight short breaks")
    fields.setdefault("kind", ContractKind.BLOCK)
    fields.setdefault("start_date", date(2024, 4, 1))
    fields.setdefault("end_date", date(2027, 3, 31))
    fields.setdefault("max_extent_date", date(2029, 3, 31))
    fields.setdefault("annual_value", Decimal("250000.00"))
    fields.setdefault("total_value", Decimal("750000.00"))
    contract = contract_create(actor=actor, **fields)
    if active:
        contract = contract_activate(actor=actor, contract=contract)
    if accepted:
        accept_invitations(contract)
    return contract


def commissioner_of(council: Council) -> User:
    """A commissioner working in `council`: one of its people, or a new one."""
    membership = (
        Membership.objects.filter(
            council=council, role=Role.COMMISSIONER, user__active_council=council
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    user = UserFactory()
    membership_grant(user=user, council=council, role=Role.COMMISSIONER)
    user.refresh_from_db()
    return user


def hold_every_staff_role(person: User, council: Council) -> User:
    """`person` also holds, in `council`, each staff role they do not hold yet."""
    held = set(
        Membership.objects.filter(user=person, council=council).values_list("role", flat=True)
    )
    for role in sorted(STAFF_ROLES - held):
        membership_grant(user=person, council=council, role=role)
    return person


def accept_invitations(contract: Contract) -> list[ContractParticipation]:
    """Each council invited to the contract accepts, as the invited council's commissioner."""
    return [
        contract_participation_accept(
            actor=commissioner_of(invitation.council), participation=invitation
        )
        for invitation in ContractParticipation.objects.filter(
            contract=contract, status=ParticipationStatus.INVITED
        ).select_related("council")
    ]


def make_awarded_lot(actor, contract: Contract, provider: Provider, *, number: int = 1, **award):
    lot = lot_create(actor=actor, contract=contract, number=number, name=f"Lot {number}")
    award.setdefault("capacity", "4 overnight beds")
    award_create(actor=actor, lot=lot, provider=provider, **award)
    return lot
