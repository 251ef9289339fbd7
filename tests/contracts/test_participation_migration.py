"""The migration to joint contracts by consent carries each council already named on a contract
over as accepted (they predate consent), and going back keeps the accepted ones."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shortbreaks import rls
from tests.factories import CouncilFactory

BEFORE = [("contracts", "0004_trigram_search")]
AFTER = [("contracts", "0005_contract_participation")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_named_councils_are_carried_over_as_accepted_and_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        with rls.all_councils():
            old = _migrate(BEFORE)
            # Councils as they are now (only the contracts app goes back).
            lead = CouncilFactory(slug="lead", name="Lead Council")
            partner = CouncilFactory(slug="partner", name="Partner Council")
            contract = old.get_model("contracts", "Contract").objects.create(
                council_id=lead.pk,
                reference="J-1",
                title="Sub-regional breaks",
                kind="framework",
                start_date=date(2026, 4, 1),
                end_date=date(2029, 3, 31),
            )
            contract.participating_councils.add(partner.pk)

            new = _migrate(AFTER)
            rows = list(
                new.get_model("contracts", "ContractParticipation").objects.values(
                    "contract_id",
                    "council_id",
                    "lead_council_id",
                    "status",
                    "contract_reference",
                    "invited_by",
                    "responded_at",
                )
            )
            assert len(rows) == 1
            row = rows[0]
            assert (row["contract_id"], row["council_id"], row["lead_council_id"]) == (
                contract.pk,
                partner.pk,
                lead.pk,
            )
            assert (row["status"], row["contract_reference"], row["invited_by"]) == (
                "accepted",
                "J-1",
                None,
            )
            assert row["responded_at"] is not None

            old = _migrate(BEFORE)
            back = old.get_model("contracts", "Contract").objects.get(pk=contract.pk)
            assert list(back.participating_councils.values_list("slug", flat=True)) == ["partner"]
    finally:
        _migrate(leaves)
        rls.apply()  # the new table's policies and grants, as `migrate` gives them
