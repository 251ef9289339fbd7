"""A DPS membership's changes are typed events: each is the declared step it was, keeps its
statuses and reason in their columns, and is worded from its kind."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contracts.models import MEMBERSHIP_STEPS, DPSMembershipEvent, DPSMembershipEventKind
from contracts.services import dps as services
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.builders import make_provider

BEFORE = [("contracts", "0011_contract_typed_events")]
AFTER = [("contracts", "0012_dps_membership_typed_events")]


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


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_gain_the_step_they_were_and_back(two_councils):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    dps = services.dps_create(actor=commissioner, title="Tier 3 DPS", start_date=date(2017, 4, 1))
    membership = services.dps_membership_apply(
        actor=commissioner, dps=dps, provider=make_provider(commissioner), on=date(2017, 5, 1)
    )
    rows = [
        ("", "applied", "Applied to join."),
        ("applied", "under_assessment", ""),
        ("under_assessment", "approved", "Checks complete."),
        ("approved", "suspended", "Quality concerns."),
        ("suspended", "approved", "Concerns resolved."),
        ("approved", "exited", "Closed the service."),
    ]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        with rls.all_councils():
            old = _migrate(BEFORE)
            Event = old.get_model("contracts", "DPSMembershipEvent")
            Event.objects.all().delete()
            for n, (from_status, to_status, reason) in enumerate(rows):
                Event.objects.create(
                    council_id=membership.council_id,
                    membership_id=membership.pk,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    on=date(2017, 5, 1 + n),
                )

            _migrate(AFTER)
            events = list(DPSMembershipEvent.objects.order_by("id"))
            assert [e.kind for e in events] == [
                "applied",
                "start_assessment",
                "approve",
                "suspend",
                "reinstate",
                "exit",
            ]
            assert [(e.from_status, e.to_status, e.reason) for e in events] == rows
            assert events[4].summary == "Reinstated. Concerns resolved."

            old = _migrate(BEFORE)
            assert (
                list(
                    old.get_model("contracts", "DPSMembershipEvent")
                    .objects.order_by("id")
                    .values_list("from_status", "to_status", "reason")
                )
                == rows
            )
    finally:
        _migrate(leaves)
        rls.apply()
