"""Joint contracts by consent, in the browser: the invited council's commissioners answer the
invitations waiting for them; until they accept, the contract is nowhere in their pages; the
lead council sees each council's status and withdraws from the contract page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.models import ContractParticipation, ParticipationStatus
from contracts.services import participation as services
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.factories import CouncilFactory

pytestmark = pytest.mark.usefixtures("frozen_today")

TITLE = f"Sub-regional overnight breaks {MARKER_B}"


@pytest.fixture
def lead(two_councils):
    return two_councils["bravo"]["people"]


@pytest.fixture
def invited(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def joint(two_councils, lead):
    commissioner = lead[Role.COMMISSIONER]
    contract = make_contract(
        commissioner,
        reference="JOINT-1",
        title=TITLE,
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )
    make_awarded_lot(commissioner, contract, make_provider(commissioner), rates="£210 a night")
    return contract


@pytest.fixture
def invitation(joint):
    return ContractParticipation.objects.get(contract=joint)


def _accept_url(invitation) -> str:
    return reverse("contracts:invitation-accept", args=[invitation.pk])


def _decline_url(invitation) -> str:
    return reverse("contracts:invitation-decline", args=[invitation.pk])


# ----------------------------------------------------------------------------------------------
# Refusals


def test_another_councils_commissioner_gets_not_found(invitation, lead, client_for):
    client = client_for(lead[Role.COMMISSIONER])
    for url in (_accept_url(invitation), _decline_url(invitation)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.COMMISSIONER}))
def test_the_wrong_role_is_refused(invitation, invited, client_for, role):
    client = client_for(invited[role])
    assert client.get(reverse("contracts:invitations")).status_code == 403
    for url in (_accept_url(invitation), _decline_url(invitation)):
        assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


def test_a_wrong_id_is_not_found(invitation, invited, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    missing = invitation.pk + 10_000
    assert client.post(reverse("contracts:invitation-accept", args=[missing])).status_code == 404
    assert client.get(reverse("contracts:invitation-decline", args=[missing])).status_code == 404


def test_accepting_twice_shows_why_and_changes_nothing(invitation, invited, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    client.post(_accept_url(invitation))
    again = client.post(_accept_url(invitation))
    body = again.content.decode()
    assert "There is a problem" in body
    assert "<title>Error: Accept the invitation" in body
    assert escape(f"{invitation.council.name} already accepted this invitation on 15/06/2026.") in (
        body
    )
    assert "Accept the invitation</button>" not in body
    # The same reason shows before anyone presses a button, on either page.
    assert (
        "already accepted this invitation" in client.get(_decline_url(invitation)).content.decode()
    )


def test_a_withdrawn_invitation_cannot_be_accepted(invitation, invited, lead, client_for):
    services.contract_participation_withdraw(
        actor=lead[Role.COMMISSIONER], participation=invitation
    )
    response = client_for(invited[Role.COMMISSIONER]).post(_accept_url(invitation))
    assert "withdrew this invitation on 15/06/2026, so it can no longer be answered" in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.WITHDRAWN


def test_only_the_lead_withdraws(joint, invitation, invited, lead, client_for):
    url = reverse("contracts:participation-withdraw", args=[joint.pk, invitation.pk])
    assert client_for(invited[Role.COMMISSIONER]).post(url).status_code == 404
    assert client_for(lead[Role.FINANCE_OFFICER]).post(url).status_code == 403
    other = make_contract(lead[Role.COMMISSIONER], reference="OTHER")
    wrong_contract = reverse("contracts:participation-withdraw", args=[other.pk, invitation.pk])
    assert client_for(lead[Role.COMMISSIONER]).post(wrong_contract).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


# ----------------------------------------------------------------------------------------------
# The invitations page and the answers


def test_the_register_links_the_invitations_with_their_count(invitation, invited, client_for):
    body = client_for(invited[Role.COMMISSIONER]).get(reverse("contracts:list")).content.decode()
    assert "1 invitation to a joint contract is waiting for your answer." in body
    assert reverse("contracts:invitations") in body
    # Other readers of the register have nothing to answer, and no link.
    auditor = client_for(invited[Role.AUDITOR]).get(reverse("contracts:list")).content.decode()
    assert reverse("contracts:invitations") not in auditor
    home = client_for(invited[Role.COMMISSIONER]).get(reverse("home")).content.decode()
    assert "1 invitation to a joint contract</a> waiting for your answer" in home


def test_the_invitations_page_lists_what_waits(invitation, invited, lead, client_for):
    body = client_for(invited[Role.COMMISSIONER]).get(reverse("contracts:invitations"))
    text = body.content.decode()
    assert body.status_code == 200
    assert f"JOINT-1 {TITLE}" in text
    assert escape(invitation.lead_council.name) in text
    assert escape(lead[Role.COMMISSIONER].get_full_name()) in text
    assert "15 June 2026" in text
    assert _accept_url(invitation) in text and _decline_url(invitation) in text
    # What the invitation says, and nothing else of the contract.
    assert "£210 a night" not in text


def test_the_invitations_list_query_count_is_constant(
    two_councils, lead, invited, client_for, django_assert_num_queries
):
    client = client_for(invited[Role.COMMISSIONER])
    url = reverse("contracts:invitations")

    def invite(count):
        for _ in range(count):
            make_contract(
                lead[Role.COMMISSIONER],
                participating_councils=[two_councils["alpha"]["council"]],
                accepted=False,
            )

    invite(2)
    client.get(url)  # the first page of a session also writes the session
    # The session, the person, their roles with their council, the request's savepoint, the
    # page's navigation; and the invitations with their lead council and inviter, in one query.
    with django_assert_num_queries(7) as few:
        client.get(url)
    invite(5)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Accept<span") == 7


def test_accepting_brings_the_contract_into_the_councils_pages(
    joint, invitation, invited, client_for
):
    reader = client_for(invited[Role.AUDITOR])
    detail = reverse("contracts:detail", args=[joint.pk])
    assert reader.get(detail).status_code == 404
    assert "JOINT-1" not in reader.get(reverse("contracts:list")).content.decode()
    assert (
        "JOINT-1" not in reader.get(reverse("contracts:list"), {"search": "joint"}).content.decode()
    )

    client = client_for(invited[Role.COMMISSIONER])
    confirm = client.get(_accept_url(invitation)).content.decode()
    assert "Accept the invitation</button>" in confirm
    response = client.post(_accept_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == detail
    body = response.content.decode()
    assert f"You accepted the invitation: JOINT-1 {TITLE} is now in the council" in body
    assert "£210 a night" in body

    assert reader.get(detail).status_code == 200
    assert "JOINT-1" in reader.get(reverse("contracts:list")).content.decode()
    assert (
        "No invitations are waiting"
        in client.get(reverse("contracts:invitations")).content.decode()
    )


def test_declining_keeps_it_out_and_the_lead_sees_it(joint, invitation, invited, lead, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    response = client.post(_decline_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("contracts:invitations")
    assert "You declined the invitation to take part in JOINT-1" in response.content.decode()
    assert client.get(reverse("contracts:detail", args=[joint.pk])).status_code == 404

    page = client_for(lead[Role.AUDITOR]).get(reverse("contracts:detail", args=[joint.pk]))
    body = page.content.decode()
    assert "Declined</strong>" in body
    assert f"{escape(invitation.council.name)} declined the invitation to take part." in body


def test_the_lead_sees_each_councils_status_and_withdraws(
    joint, invitation, invited, lead, client_for
):
    charlie = CouncilFactory(slug="charlie", name="Charlie Council")
    services.contract_participation_invite(
        actor=lead[Role.COMMISSIONER], contract=joint, council=charlie
    )
    services.contract_participation_accept(
        actor=invited[Role.COMMISSIONER], participation=invitation
    )
    client = client_for(lead[Role.CONTRACT_MANAGER])
    detail = reverse("contracts:detail", args=[joint.pk])
    body = client.get(detail).content.decode()
    assert MARKER_A in body
    assert "Accepted</strong>" in body and "Invited</strong>" in body
    withdraw = reverse("contracts:participation-withdraw", args=[joint.pk, invitation.pk])
    assert withdraw in body

    confirm = client.get(withdraw).content.decode()
    assert "Withdraw the council</button>" in confirm
    response = client.post(withdraw, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "no longer takes part in this contract and no longer sees it" in (
        response.content.decode()
    )
    assert client_for(invited[Role.AUDITOR]).get(detail).status_code == 404
    again = client.post(withdraw)
    assert "was already withdrawn on 15/06/2026" in again.content.decode()


def test_a_participant_sees_who_takes_part_but_no_statuses(joint, invitation, invited, client_for):
    services.contract_participation_accept(
        actor=invited[Role.COMMISSIONER], participation=invitation
    )
    body = client_for(invited[Role.COMMISSIONER]).get(reverse("contracts:detail", args=[joint.pk]))
    text = body.content.decode()
    assert "This is a joint contract led by" in text
    assert MARKER_A in text
    assert "Accepted</strong>" not in text
    assert "Withdraw" not in text
