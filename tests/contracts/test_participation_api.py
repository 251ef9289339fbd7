"""Joint contracts by consent, in the API: the invitations to the caller's council, accepting and
declining (commissioners only), the lead withdrawing; the contract's JSON and the OCDS export
show an invited council nothing until it accepts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.models import ContractParticipation, ParticipationStatus
from contracts.ocds import ocid_for, release_package
from contracts.services import participation as services
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B

pytestmark = pytest.mark.usefixtures("frozen_today")

TITLE = f"Sub-regional overnight breaks {MARKER_B}"
LIST = "api-contract-invitations"


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


def _accept(invitation) -> str:
    return reverse("api-contract-invitation-accept", args=[invitation.pk])


def _decline(invitation) -> str:
    return reverse("api-contract-invitation-decline", args=[invitation.pk])


def _withdraw(contract, participation) -> str:
    return reverse("api-contract-participation-withdraw", args=[contract.pk, participation.pk])


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# ----------------------------------------------------------------------------------------------
# Refusals


def test_sign_in_is_needed(invitation, client):
    assert client.get(reverse(LIST)).status_code in (401, 403)
    assert client.post(_accept(invitation)).status_code in (401, 403)


def test_another_councils_commissioner_gets_not_found(invitation, lead, client_for):
    client = client_for(lead[Role.COMMISSIONER])
    missing = reverse("api-contract-invitation-accept", args=[invitation.pk + 10_000])
    for url in (_accept(invitation), _decline(invitation)):
        other, absent = client.post(url), client.post(missing)
        assert other.status_code == absent.status_code == 404
        assert other.json() == absent.json()
    detail = reverse("api-contract-invitation", args=[invitation.pk])
    assert client.get(detail).status_code == 404
    assert _ids(client.get(reverse(LIST))) == []
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.COMMISSIONER}))
def test_the_wrong_role_is_forbidden(invitation, invited, client_for, role):
    client = client_for(invited[role])
    assert client.get(reverse(LIST)).status_code == 403
    assert client.post(_accept(invitation)).status_code == 403
    assert client.post(_decline(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


def test_accepting_twice_is_a_400_saying_why(invitation, invited, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    first = client.post(_accept(invitation))
    assert first.status_code == 200
    assert first.json()["status"] == "accepted"
    again = client.post(_accept(invitation))
    assert again.status_code == 400
    assert again.json() == {
        "detail": f"{invitation.council.name} already accepted this invitation on 15/06/2026."
    }
    declined_after = client.post(_decline(invitation))
    assert declined_after.status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.ACCEPTED


def test_a_declined_invitation_cannot_be_accepted(invitation, invited, client_for):
    client = client_for(invited[Role.COMMISSIONER])
    assert client.post(_decline(invitation)).json()["status"] == "declined"
    refused = client.post(_accept(invitation))
    assert refused.status_code == 400
    assert "already declined this invitation on 15/06/2026" in refused.json()["detail"]


def test_accepting_after_withdrawal_is_a_400_saying_why(
    joint, invitation, invited, lead, client_for
):
    withdrawn = client_for(lead[Role.CONTRACT_MANAGER]).post(_withdraw(joint, invitation))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    refused = client_for(invited[Role.COMMISSIONER]).post(_accept(invitation))
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": f"{invitation.lead_council.name} withdrew this invitation on 15/06/2026, so it "
        "can no longer be answered."
    }
    again = client_for(lead[Role.COMMISSIONER]).post(_withdraw(joint, invitation))
    assert again.status_code == 400
    assert "already withdrawn" in again.json()["detail"]


def test_only_the_lead_council_withdraws(joint, invitation, invited, lead, client_for):
    assert client_for(invited[Role.COMMISSIONER]).post(
        _withdraw(joint, invitation)
    ).status_code == (404)
    assert client_for(lead[Role.AUDITOR]).post(_withdraw(joint, invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


def test_a_bad_status_filter_is_a_400(invited, client_for):
    response = client_for(invited[Role.COMMISSIONER]).get(reverse(LIST), {"status": "maybe"})
    assert response.status_code == 400
    assert "status" in response.json()


# ----------------------------------------------------------------------------------------------
# The invitations


def test_the_list_shows_what_the_invitation_says(joint, invitation, invited, lead, client_for):
    response = client_for(invited[Role.COMMISSIONER]).get(reverse(LIST))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == invitation.pk
    assert row["status"] == "invited"
    assert row["contract"] == {"id": joint.pk, "reference": "JOINT-1", "title": TITLE}
    assert row["lead_council"]["slug"] == "bravo"
    assert row["invited_by"] == lead[Role.COMMISSIONER].get_full_name()
    assert row["responded_at"] is None
    assert "£210 a night" not in response.content.decode()


def test_the_list_filters_by_status(two_councils, invitation, invited, lead, client_for):
    other = make_contract(
        lead[Role.COMMISSIONER],
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )
    waiting = ContractParticipation.objects.get(contract=other)
    client = client_for(invited[Role.COMMISSIONER])
    client.post(_accept(invitation))
    assert _ids(client.get(reverse(LIST))) == [invitation.pk, waiting.pk]
    assert _ids(client.get(reverse(LIST), {"status": "invited"})) == [waiting.pk]
    assert _ids(client.get(reverse(LIST), {"status": "accepted"})) == [invitation.pk]


def test_the_list_query_count_is_constant(
    two_councils, lead, invited, client_for, django_assert_num_queries
):
    client = client_for(invited[Role.COMMISSIONER])
    url = reverse(LIST)

    def invite(count):
        for _ in range(count):
            make_contract(
                lead[Role.COMMISSIONER],
                participating_councils=[two_councils["alpha"]["council"]],
                accepted=False,
            )

    invite(2)
    client.get(url)  # the first request also reads the actor's roles and council
    with django_assert_num_queries(QUERIES) as few:
        client.get(url)
    invite(5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.json()["results"]) == 7


# Session, user, roles, council; the request's savepoint and its release; the invitations with
# their lead council and inviter, in one query.
QUERIES = 6


# ----------------------------------------------------------------------------------------------
# The contract, before and after


def test_the_contract_is_hidden_until_accepted_then_read_only(
    joint, invitation, invited, client_for
):
    reader = client_for(invited[Role.AUDITOR])
    detail = reverse("api-contract", args=[joint.pk])
    before = reader.get(detail)
    missing = reader.get(reverse("api-contract", args=[joint.pk + 10_000]))
    assert before.status_code == missing.status_code == 404
    assert before.json() == missing.json()
    assert "JOINT-1" not in reader.get(reverse("api-contracts")).content.decode()
    assert reader.get(reverse("api-contracts"), {"search": "joint"}).json()["results"] == []

    client_for(invited[Role.COMMISSIONER]).post(_accept(invitation))
    after = reader.get(detail)
    assert after.status_code == 200
    data = after.json()
    assert data["participating_councils"] == ["alpha"]
    assert [(p["council"], p["status"]) for p in data["participants"]] == [("alpha", "accepted")]
    refs = [c["reference"] for c in reader.get(reverse("api-contracts")).json()["results"]]
    assert refs == ["JOINT-1"]
    changed = client_for(invited[Role.COMMISSIONER]).patch(
        detail, {"title": "Ours now"}, content_type="application/json"
    )
    assert changed.status_code == 404


def test_the_lead_sees_every_councils_status(joint, invitation, invited, lead, client_for):
    client_for(invited[Role.COMMISSIONER]).post(_decline(invitation))
    data = client_for(lead[Role.AUDITOR]).get(reverse("api-contract", args=[joint.pk])).json()
    assert data["participating_councils"] == []
    assert [(p["council"], p["status"]) for p in data["participants"]] == [("alpha", "declined")]
    assert data["participants"][0]["responded_at"] is not None


def test_the_ocds_export_names_only_councils_that_accepted(joint, invitation, invited, lead):
    def buyers() -> set[str]:
        package = release_package(actor=lead[Role.COMMISSIONER], uri="https://example.org/ocds/")
        releases = [r for r in package["releases"] if r["ocid"] == ocid_for(joint)]
        assert releases
        return {
            party["name"]
            for release in releases
            for party in release["parties"]
            if party["roles"] == ["buyer"]
        }

    assert buyers() == set()
    services.contract_participation_accept(
        actor=invited[Role.COMMISSIONER], participation=invitation
    )
    assert buyers() == {invitation.council.name}


def test_the_invited_councils_ocds_export_never_holds_the_contract(
    joint, invitation, invited, client_for
):
    client = client_for(invited[Role.COMMISSIONER])
    url = reverse("api-contracts-ocds")
    assert MARKER_B not in client.get(url).content.decode()
    client.post(_accept(invitation))
    # Published by its lead council only, even once accepted.
    assert MARKER_B not in client.get(url).content.decode()
