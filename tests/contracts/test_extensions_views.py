"""Extensions by variation in the browser: the forms, "check your answers", refusals, roles."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import ContractStatus, Extension, ExtensionStatus
from tests.builders import make_contract
from tests.conftest import MARKER_B
from tests.contracts.test_extensions_services import (
    approve,
    decide,
    draft_extension,
    submitted_extension,
)
from tests.per_module import world_per_module

REQUEST = {
    "new_end_date_0": "31",
    "new_end_date_1": "3",
    "new_end_date_2": "2028",
    "added_value": "£420,000",
    "rationale": "Time to recommission with families.",
    "alternatives_considered": "Spot purchase each placement.",
    "risks": "Providers may leave the market.",
    "legal_basis": "pcr_modification",
}

APPROVAL = {
    "role": "finance",
    "name": "Jo Finance",
    "decision": "approve",
    "decided_on_0": "1",
    "decided_on_1": "3",
    "decided_on_2": "2025",
    "comment": "Within budget.",
}

DECISION = {
    "decision_maker": "Cabinet member children and families",
    "decided_on_0": "16",
    "decided_on_1": "3",
    "decided_on_2": "2025",
    "key_decision": "no",
    "decision": "approve",
    "decided_despite_refusal": "no",
    "note": "",
}


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


def _build_contract(two_councils) -> dict:
    return {
        "contract": make_contract(
            two_councils["alpha"]["people"]["commissioner"],
            reference="C-ALPHA",
            title="Overnight breaks",
        )
    }


_world_built, world = world_per_module(_build_contract)


@pytest.fixture
def contract(world):
    """Alpha's contract, built once for the module; each test rolls back its own writes."""
    return world["contract"]


@pytest.fixture
def commissioner(alpha, client_for):
    return client_for(alpha["commissioner"])


def text(response) -> str:
    return response.content.decode()


def comparable(response, pk) -> str:
    body = text(response).replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


# ---------------------------------------------------------------------------------------------
# Requesting an extension, with "check your answers"


def test_request_check_change_and_save_as_draft(commissioner, contract):
    form_url = reverse("contracts:extension-create", args=[contract.pk])
    check_url = reverse("contracts:extension-create-check", args=[contract.pk])
    page = commissioner.get(form_url)
    assert page.status_code == 200
    assert "Request an extension" in text(page)
    assert "Modification under the Public Contracts Regulations 2015" in text(page)

    response = commissioner.post(form_url, REQUEST)
    assert response.status_code == 302
    assert response["Location"] == check_url
    assert not Extension.objects.exists()

    check = text(commissioner.get(check_url))
    assert "Check your answers before saving the extension" in check
    for shown in (
        "31 March 2028",
        "£420,000.00",
        "Time to recommission with families.",
        "Spot purchase each placement.",
        "Providers may leave the market.",
        "Modification under the Public Contracts Regulations 2015",
    ):
        assert shown in check
    change_links = re.findall(
        r'href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)<', check
    )
    assert (f"{form_url}#id_rationale", "rationale") in change_links
    assert (f"{form_url}#id_new_end_date_0", "new end date") in change_links
    assert len(change_links) == 6

    # "Change" brings the form back with the answers in it; a changed answer shows on the check.
    again = text(commissioner.get(form_url))
    assert 'value="31"' in again and 'value="2028"' in again
    assert "Time to recommission with families." in again
    assert re.search(r'value="pcr_modification"[^>]*checked', again)
    commissioner.post(form_url, {**REQUEST, "added_value": "500000"})
    assert "£500,000.00" in text(commissioner.get(check_url))

    saved = commissioner.post(check_url, follow=True)
    extension = Extension.objects.get()
    assert saved.redirect_chain[-1][0] == reverse("contracts:extension", args=[extension.pk])
    assert extension.status == ExtensionStatus.DRAFT
    assert extension.added_value == Decimal("500000.00")
    assert extension.new_end_date == date(2028, 3, 31)
    body = text(saved)
    assert "Extension saved as a draft." in body
    assert "Submit for decision" in body
    assert "Record the decision" not in body
    # The answers are gone from the session: the check page sends you back to the form.
    assert commissioner.get(check_url)["Location"] == form_url


def test_the_form_shows_its_own_errors(commissioner, contract):
    form_url = reverse("contracts:extension-create", args=[contract.pk])
    response = commissioner.post(
        form_url, {"new_end_date_0": "31", "new_end_date_1": "2", "new_end_date_2": "2028"}
    )
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: Request an extension" in body
    assert "There is a problem" in body
    assert "The new end date must be a real date" in body
    assert "Enter the value the extension adds, in pounds" in body
    assert "Enter why the contract should be extended" in body
    assert "Choose the legal basis for the extension" in body


def test_the_service_refusing_an_answer_brings_back_the_form_with_the_reason(
    commissioner, contract
):
    form_url = reverse("contracts:extension-create", args=[contract.pk])
    check_url = reverse("contracts:extension-create-check", args=[contract.pk])
    commissioner.post(form_url, {**REQUEST, "new_end_date_2": "2026"})  # before the current end
    response = commissioner.post(check_url)
    body = text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_new_end_date_0"' in body or 'href="#id_new_end_date"' in body
    assert "The new end date must be after the current end date." in body
    assert not Extension.objects.exists()


def test_a_state_refusal_shows_on_the_check_page(alpha, commissioner, contract):
    draft_extension(alpha["commissioner"], contract)
    commissioner.post(reverse("contracts:extension-create", args=[contract.pk]), REQUEST)
    response = commissioner.post(reverse("contracts:extension-create-check", args=[contract.pk]))
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert "An extension of this contract is already under way." in body
    assert Extension.objects.count() == 1


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "finance_officer", "auditor", "council_admin"]
)
def test_other_roles_cannot_request_one(alpha, client_for, contract, role):
    client = client_for(alpha[role])
    for name in ("contracts:extension-create", "contracts:extension-create-check"):
        assert client.get(reverse(name, args=[contract.pk])).status_code == 403
        assert client.post(reverse(name, args=[contract.pk]), REQUEST).status_code == 403
    assert not Extension.objects.exists()


def test_a_contract_manager_may_request_one(alpha, client_for, contract):
    client = client_for(alpha["contract_manager"])
    client.post(reverse("contracts:extension-create", args=[contract.pk]), REQUEST)
    client.post(reverse("contracts:extension-create-check", args=[contract.pk]))
    assert Extension.objects.get().requested_by == alpha["contract_manager"]


# ---------------------------------------------------------------------------------------------
# The extension page


def test_the_extension_page_shows_the_summary_approvals_and_blockers(alpha, client_for, contract):
    extension = submitted_extension(alpha["commissioner"], contract, risks="Few providers")
    approve(alpha["commissioner"], extension, "legal", decision="refuse")
    approve(alpha["commissioner"], extension, "finance")
    response = client_for(alpha["commissioner"]).get(
        reverse("contracts:extension", args=[extension.pk])
    )
    body = text(response)
    assert response.status_code == 200
    assert "Extension to 31 March 2028" in body
    assert "Submitted" in body
    assert "£420,000.00" in body
    assert "Few providers" in body
    assert "Legal officer" in body and "Refused" in body
    assert "Finance officer" in body and "Approved" in body
    assert "Legal has not approved (refused)" in body
    assert "Procurement has not approved" in body
    assert "Record an approval" in body
    assert "Record the decision" in body
    assert "Submit for decision" not in body


def test_a_contract_manager_records_approvals_but_is_not_offered_the_decision(
    alpha, client_for, contract
):
    extension = submitted_extension(alpha["commissioner"], contract)
    url = reverse("contracts:extension", args=[extension.pk])
    body = text(client_for(alpha["contract_manager"]).get(url))
    assert "Record an approval" in body
    assert "Record the decision" not in body
    decide_url = reverse("contracts:extension-decide", args=[extension.pk])
    assert client_for(alpha["contract_manager"]).get(decide_url).status_code == 403


@pytest.mark.parametrize("role", ["auditor", "finance_officer", "team_manager", "council_admin"])
def test_readers_see_the_extension_and_no_buttons(alpha, client_for, contract, role):
    extension = submitted_extension(alpha["commissioner"], contract)
    response = client_for(alpha[role]).get(reverse("contracts:extension", args=[extension.pk]))
    body = text(response)
    assert response.status_code == 200
    for button in ("Record an approval", "Record the decision", "Submit for decision"):
        assert button not in body
    for name in ("contracts:extension-approval", "contracts:extension-submit"):
        assert client_for(alpha[role]).post(reverse(name, args=[extension.pk])).status_code == 403


def test_a_social_worker_cannot_read_it(alpha, client_for, contract):
    extension = draft_extension(alpha["commissioner"], contract)
    client = client_for(alpha["social_worker"])
    assert client.get(reverse("contracts:extension", args=[extension.pk])).status_code == 403
    assert client.get(reverse("contracts:extension-list", args=[contract.pk])).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "contracts:extension",
        "contracts:extension-submit",
        "contracts:extension-approval",
        "contracts:extension-approval-check",
        "contracts:extension-decide",
        "contracts:extension-decide-check",
    ],
)
def test_another_council_gets_the_same_404_as_a_missing_extension(two_councils, client_for, name):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    theirs = make_contract(bravo["commissioner"], title=f"Contract {MARKER_B}")
    extension = submitted_extension(bravo["commissioner"], theirs, rationale=MARKER_B)
    client = client_for(alpha["commissioner"])
    other = client.get(reverse(name, args=[extension.pk]))
    missing = client.get(reverse(name, args=[extension.pk + 1000]))
    assert other.status_code == missing.status_code == 404
    assert MARKER_B not in text(other)
    assert comparable(other, extension.pk) == comparable(missing, extension.pk + 1000)
    if name != "contracts:extension":
        assert client.post(reverse(name, args=[extension.pk]), DECISION).status_code == 404
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED


@pytest.mark.parametrize(
    "name",
    ["contracts:extension-create", "contracts:extension-create-check", "contracts:extension-list"],
)
def test_another_councils_contract_is_not_found(two_councils, client_for, name):
    bravo = two_councils["bravo"]["people"]
    theirs = make_contract(bravo["commissioner"])
    client = client_for(two_councils["alpha"]["people"]["commissioner"])
    assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.get(reverse(name, args=[theirs.pk + 1000])).status_code == 404


def test_a_participating_council_reads_but_cannot_change(two_councils, client_for):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    joint = make_contract(
        alpha["commissioner"], participating_councils=[two_councils["bravo"]["council"]]
    )
    extension = draft_extension(alpha["commissioner"], joint)
    client = client_for(bravo["commissioner"])
    page = client.get(reverse("contracts:extension", args=[extension.pk]))
    assert page.status_code == 200
    assert "Submit for decision" not in text(page)
    listing = client.get(reverse("contracts:extension-list", args=[joint.pk]))
    assert listing.status_code == 200
    assert "Request an extension" not in text(listing)
    assert (
        client.post(reverse("contracts:extension-submit", args=[extension.pk])).status_code == 404
    )
    assert client.get(reverse("contracts:extension-create", args=[joint.pk])).status_code == 404
    assert client.get(reverse("contracts:extension-decide", args=[extension.pk])).status_code == 404
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.DRAFT


# ---------------------------------------------------------------------------------------------
# Submitting, approvals and the decision


def test_submitting_and_submitting_again(alpha, commissioner, contract):
    extension = draft_extension(alpha["commissioner"], contract)
    url = reverse("contracts:extension-submit", args=[extension.pk])
    assert commissioner.get(url)["Location"] == reverse("contracts:extension", args=[extension.pk])
    response = commissioner.post(url, follow=True)
    assert "Extension submitted for approval and decision." in text(response)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED
    again = commissioner.post(url)
    assert again.status_code == 200
    assert "There is a problem" in text(again)
    assert "This extension is no longer a draft; only a draft can be submitted." in text(again)


def test_recording_an_approval_with_check_and_change(alpha, commissioner, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    form_url = reverse("contracts:extension-approval", args=[extension.pk])
    check_url = reverse("contracts:extension-approval-check", args=[extension.pk])
    assert "Record an approval" in text(commissioner.get(form_url))
    assert commissioner.post(form_url, APPROVAL)["Location"] == check_url
    check = text(commissioner.get(check_url))
    assert "Check the approval before recording it" in check
    for shown in ("Finance", "Jo Finance", "Approve", "1 March 2025", "Within budget."):
        assert shown in check
    assert f'href="{form_url}#id_name">Change<span class="govuk-visually-hidden"> name' in check
    assert 'value="Jo Finance"' in text(commissioner.get(form_url))
    response = commissioner.post(check_url, follow=True)
    assert "Approval recorded." in text(response)
    approval = extension.approvals.get()
    assert (approval.role, approval.name, approval.decision) == ("finance", "Jo Finance", "approve")
    assert approval.decided_on == date(2025, 3, 1)


def test_an_approval_form_with_errors(alpha, commissioner, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    response = commissioner.post(
        reverse("contracts:extension-approval", args=[extension.pk]), {"role": "chair"}
    )
    body = text(response)
    assert "There is a problem" in body
    assert "Enter the name of the officer who decided" in body
    assert "Choose approve or refuse" in body
    assert "Enter the date they decided" in body


def test_an_approval_on_a_draft_is_refused_with_the_reason(alpha, commissioner, contract):
    extension = draft_extension(alpha["commissioner"], contract)
    commissioner.post(reverse("contracts:extension-approval", args=[extension.pk]), APPROVAL)
    response = commissioner.post(reverse("contracts:extension-approval-check", args=[extension.pk]))
    assert response.status_code == 200
    assert "Approvals are recorded once the extension is submitted." in text(response)
    assert not extension.approvals.exists()


def test_deciding_without_the_approvals_is_refused_with_the_reason(alpha, commissioner, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    commissioner.post(reverse("contracts:extension-decide", args=[extension.pk]), DECISION)
    response = commissioner.post(reverse("contracts:extension-decide-check", args=[extension.pk]))
    body = text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The extension cannot be approved yet: Finance has not approved;" in body
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_recording_the_decision_extends_the_contract(alpha, commissioner, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "finance", "legal", "procurement")
    form_url = reverse("contracts:extension-decide", args=[extension.pk])
    check_url = reverse("contracts:extension-decide-check", args=[extension.pk])
    assert commissioner.post(form_url, DECISION)["Location"] == check_url
    check = text(commissioner.get(check_url))
    assert "Check the decision before recording it" in check
    assert "Cabinet member children and families" in check
    assert "16 March 2025" in check
    assert f'href="{form_url}#id_decision_maker">Change' in check
    response = commissioner.post(check_url, follow=True)
    assert "Decision recorded." in text(response)
    assert "Approved" in text(response)
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 3, 31)
    assert contract.status == ContractStatus.EXTENDED
    # Deciding twice: the reason, and nothing moves again.
    commissioner.post(form_url, {**DECISION, "decision": "refuse"})
    again = commissioner.post(check_url)
    assert "only a submitted extension can be decided" in text(again)
    contract.refresh_from_db()
    assert contract.total_value == Decimal("1170000.00")
    # The contract page shows the new end date and the timeline.
    page = text(commissioner.get(reverse("contracts:detail", args=[contract.pk])))
    assert "31 March 2028" in page
    assert "Extended" in page
    assert "31 March 2027 to 31 March 2028" in page
    assert "Approved by Cabinet member children and families on 16 March 2025" in page


def test_shropshire_deciding_despite_the_refused_exemption_in_the_browser(
    alpha, commissioner, contract
):
    extension = submitted_extension(alpha["commissioner"], contract, legal_basis="cpr_exemption")
    approve(alpha["commissioner"], extension, "finance", "procurement")
    approve(alpha["commissioner"], extension, "legal", decision="refuse")
    form_url = reverse("contracts:extension-decide", args=[extension.pk])
    check_url = reverse("contracts:extension-decide-check", args=[extension.pk])
    despite = {
        **DECISION,
        "decision_maker": "Executive Management Team",
        "decided_despite_refusal": "yes",
    }
    commissioner.post(form_url, despite)
    without_note = commissioner.post(check_url)
    body = text(without_note)
    assert "Record why the decision maker decided despite the refused exemption." in body
    assert 'href="#id_note"' in body
    commissioner.post(form_url, {**despite, "note": "No other provider at this notice."})
    response = commissioner.post(check_url, follow=True)
    assert "despite the refused CPR exemption" in text(response)
    extension.refresh_from_db()
    assert extension.decided_despite_refusal is True
    assert extension.status == ExtensionStatus.APPROVED


# ---------------------------------------------------------------------------------------------
# A contract's extensions: the timeline


def _history(actor, contract, count: int):
    """`count` decided extensions, each with approvals, and one still in draft."""
    for i in range(count):
        extension = submitted_extension(
            actor, contract, new_end_date=date(2027, 4, 30 - i), added_value=Decimal(i)
        )
        approve(actor, extension, "finance", "legal")
        decide(actor, extension, decision="refuse")
    draft_extension(actor, contract, new_end_date=date(2028, 1, 31))


@pytest.mark.parametrize("count", [1, 6])
def test_the_timeline_query_count_is_pinned(
    alpha, commissioner, contract, count, django_assert_num_queries
):
    _history(alpha["commissioner"], contract, count)
    url = reverse("contracts:extension-list", args=[contract.pk])
    # Session and person (5), the contract, the access log, the extensions, their approvals,
    # model permissions and councils for the header (3), the session's last-seen time (3).
    with django_assert_num_queries(13):
        response = commissioner.get(url)
    body = text(response)
    assert body.count("View the extension<span") == count + 1
    assert body.count("Finance officer approved") == count
    assert "Request an extension" in body


def test_the_timeline_on_the_contract_page(alpha, commissioner, contract, client_for):
    _history(alpha["commissioner"], contract, 2)
    page = text(commissioner.get(reverse("contracts:detail", args=[contract.pk])))
    assert page.count("View the extension<span") == 3
    assert "Refused by Cabinet member children and families on 16 March 2025" in page
    assert "Request an extension" in page
    auditor_page = text(
        client_for(alpha["auditor"]).get(reverse("contracts:detail", args=[contract.pk]))
    )
    assert auditor_page.count("View the extension<span") == 3
    assert "Request an extension" not in auditor_page
