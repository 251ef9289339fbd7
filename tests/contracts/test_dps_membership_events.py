"""A DPS membership's changes are typed events: each is the declared step it was, keeps its
statuses and reason in their columns, and is worded from its kind."""

import pytest

from contracts.models import MEMBERSHIP_STEPS, DPSMembershipEvent, DPSMembershipEventKind


def test_every_declared_step_and_the_application_is_a_kind_with_a_summary():
    assert set(DPSMembershipEventKind.values) == {"applied", *MEMBERSHIP_STEPS}
    assert set(DPSMembershipEvent.SUMMARIES) == set(DPSMembershipEventKind.values)


@pytest.mark.parametrize(
    ("kind", "reason", "sentence"),
    [
        ("applied", "Applied to join.", "Applied to join."),
        ("applied", "Tender response.", "Applied to join. Tender response."),
        ("start_assessment", "", "Moved to under assessment."),
        ("approve", "Checks complete.", "Approved. Checks complete."),
        ("suspend", "Quality concerns.", "Suspended. Quality concerns."),
        ("reinstate", "Concerns resolved.", "Reinstated. Concerns resolved."),
        ("exit", "Closed the service.", "Exited. Closed the service."),
    ],
)
def test_each_kind_is_worded_with_its_reason(kind, reason, sentence):
    assert DPSMembershipEvent(kind=kind, reason=reason).summary == sentence
