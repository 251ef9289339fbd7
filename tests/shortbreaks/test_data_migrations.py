"""The migrations that rewrite rows, each checked forwards and backwards on rows written in the
shape they had before it: joint contracts by consent, and the typed events of contracts, DPS
memberships, children's records, packages, referrals and statement versions.

Taking the database back and forth is slow (every step renders the project's models, and going
back before joint contracts drops and remakes the apps built on them), so the module does it once
for every check: `round_trip` builds today's records, takes the database back to the earliest
point any check needs, writes each check's rows in the shape of its time, and steps forward, each
step reading what the migrations it ran made of them; then steps back again, each step reading
what going back kept, and forward to the latest migrations. Each test asserts on what was read.
The steps stop where a check needs its migration's own state (the next migration in the same app
would change it), and take several apps at once where they are independent.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from audits.packs.content import _status_as_at
from contracts.models import ContractEvent, ContractStatus, DPSMembershipEvent
from contracts.services import dps as dps_services
from referrals.models import (
    AssessmentEvent,
    CarerAccountEvent,
    ChildEvent,
    PackageEvent,
    ReferralEvent,
)
from shortbreaks import rls
from shortbreaks.councils.models import Role
from statements.models import StatementEvent, StatementEventKind
from tests.builders import make_contract, make_provider
from tests.conftest import build_two_councils, deliver_now
from tests.factories import CouncilFactory, UserFactory
from tests.referrals.builders import (
    build_world,
    completed_assessment,
    make_child,
    make_package,
    screened_referral,
)

# The step before each migration under test, and the migration itself.
PARTICIPATION = ("contracts", "0004_trigram_search"), ("contracts", "0005_contract_participation")
CONTRACT_EVENTS = (
    ("contracts", "0010_contract_history_triggers"),
    ("contracts", "0011_contract_typed_events"),
)
DPS_EVENTS = (
    ("contracts", "0011_contract_typed_events"),
    ("contracts", "0012_dps_membership_typed_events"),
)
CHILD_RECORD_EVENTS = (
    ("referrals", "0010_status_changes_declared"),
    ("referrals", "0011_typed_child_record_events"),
)
PACKAGE_EVENTS = (
    ("referrals", "0011_typed_child_record_events"),
    ("referrals", "0012_typed_package_and_referral_events"),
)
STATEMENT_EVENTS = (
    ("statements", "0002_statement_status_as_fsm_field"),
    ("statements", "0003_statement_typed_events"),
)

CONTRACT_STATUS_ROWS = [
    ("Made active.", ContractStatus.ACTIVE),
    ("Terminated on 01/09/2025: Provider exited.", ContractStatus.TERMINATED),
    ("Expired: the end date 31/03/2026 passed.", ContractStatus.EXPIRED),
]
DPS_ROWS = [
    ("", "applied", "Applied to join."),
    ("applied", "under_assessment", ""),
    ("under_assessment", "approved", "Checks complete."),
    ("approved", "suspended", "Quality concerns."),
    ("suspended", "approved", "Concerns resolved."),
    ("approved", "exited", "Closed the service."),
]
PACKAGE_ROWS = [
    ("started", "Support started; first review due 01/09/2025."),
    ("brokerage", "Brokerage request 3: raised for Buddying (spot purchase)."),
]
REFERRAL_ROWS = [
    ("", "received", "Referral received from schools."),
    ("received", "screening", ""),
    ("screening", "accepted_for_assessment", "Decided."),
    ("accepted_for_assessment", "accepted_for_assessment", "Children in need episode closed."),
]
STATEMENT_SENTENCES = [
    ("Draft created from version 1", StatementEventKind.COPIED),
    ("Draft created", StatementEventKind.CREATED),
    ("Changed: title, introduction", StatementEventKind.CHANGED),
    ("Out for consultation until 1 July 2025", StatementEventKind.CONSULTATION_STARTED),
    ("Published before its consultation closed, as confirmed", StatementEventKind.PUBLISHED_EARLY),
    ("Published; review by 2 June 2026", StatementEventKind.PUBLISHED),
    ("Superseded by version 3", StatementEventKind.SUPERSEDED),
    ("Review date set to 31 March 2026", StatementEventKind.REVIEW_DATE_SET),
    ("Views received from a carer", StatementEventKind.VIEWS_RECEIVED),
]

# The tests only read what `round_trip` recorded; the mark asks for the test database.
pytestmark = pytest.mark.django_db


def _migrate(*targets):
    """Migrate to `targets` (all forwards or all backwards); the models as they then stand."""
    MigrationExecutor(connection).migrate(list(targets))
    # The state of every migration now applied (the executor's own answer holds only the apps of
    # the last target when there are several).
    loader = MigrationExecutor(connection).loader
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied, at_end=True).apps


# --- Today's records, built before the database goes back -------------------------------------


def _build_today() -> dict:
    world = build_two_councils()
    alpha = world["alpha"]["people"]
    manager = alpha[Role.TEAM_MANAGER]
    child = make_child(manager)
    referrals_world = build_world(world)["alpha"]
    commissioner = alpha[Role.COMMISSIONER]
    dps = dps_services.dps_create(
        actor=commissioner, title="Tier 3 DPS", start_date=date(2017, 4, 1)
    )
    return {
        "child": child,
        "assessment": completed_assessment(manager, child),
        "package": make_package(
            referrals_world["sw"],
            referrals_world["tm"],
            referrals_world["child"],
            referrals_world["offer"],
        ),
        "referral": screened_referral(referrals_world["sw"], referrals_world["child"]),
        "contract": make_contract(commissioner),
        "membership": dps_services.dps_membership_apply(
            actor=commissioner,
            dps=dps,
            provider=make_provider(commissioner),
            on=date(2017, 5, 1),
        ),
    }


# --- Rows in the shape before each migration ------------------------------------------------


def _write_participation(old) -> dict:
    # Councils as they are now (the councils app never goes back).
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
    return {"lead": lead.pk, "partner": partner.pk, "contract": contract.pk}


def _write_child_record_events(old, today) -> None:
    for name in ("AssessmentEvent", "ChildEvent", "CarerAccountEvent"):
        old.get_model("referrals", name).objects.all().delete()
    child = today["child"]
    council = {"council_id": child.council_id, "on": date(2025, 3, 1)}
    old.get_model("referrals", "AssessmentEvent").objects.create(
        assessment_id=today["assessment"].pk, kind="returned", summary="Returned: old.", **council
    )
    old.get_model("referrals", "ChildEvent").objects.create(
        child_id=child.pk, kind="merged_in", summary="Old merge.", **council
    )
    old.get_model("referrals", "CarerAccountEvent").objects.create(
        child_id=child.pk, kind="linked", email="old@example.com", summary="Old link.", **council
    )


def _write_statement_events(old) -> int:
    council = CouncilFactory(slug="before", name="Before Council")
    author = UserFactory()
    version = old.get_model("statements", "StatementVersion").objects.create(
        council_id=council.pk, number=1, author_id=author.pk
    )
    event = old.get_model("statements", "StatementEvent")
    for sentence, _kind in STATEMENT_SENTENCES:
        event.objects.create(council_id=council.pk, version=version, summary=sentence)
    return version.pk


def _write_package_and_referral_events(old, today) -> None:
    package, referral = today["package"], today["referral"]
    day = date(2025, 3, 1)
    council = {"council_id": package.council_id, "on": day}
    old.get_model("referrals", "PackageEvent").objects.all().delete()
    old.get_model("referrals", "ReferralEvent").objects.all().delete()
    old.get_model("referrals", "Referral").objects.filter(pk=referral.pk).update(
        closed_on=day, closure_reason="RC8"
    )
    for kind, summary in PACKAGE_ROWS:
        old.get_model("referrals", "PackageEvent").objects.create(
            package_id=package.pk, kind=kind, summary=summary, **council
        )
    for from_status, to_status, reason in REFERRAL_ROWS:
        old.get_model("referrals", "ReferralEvent").objects.create(
            referral_id=referral.pk,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            **council,
        )


def _write_contract_events(old, today) -> None:
    contract = today["contract"]
    event = old.get_model("contracts", "ContractEvent")
    event.objects.filter(contract_id=contract.pk).delete()
    for sentence, _status in CONTRACT_STATUS_ROWS:
        event.objects.create(
            council_id=contract.council_id, contract_id=contract.pk, kind="status", summary=sentence
        )


def _write_dps_events(old, today) -> None:
    membership = today["membership"]
    event = old.get_model("contracts", "DPSMembershipEvent")
    event.objects.all().delete()
    for n, (from_status, to_status, reason) in enumerate(DPS_ROWS):
        event.objects.create(
            council_id=membership.council_id,
            membership_id=membership.pk,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            on=date(2017, 5, 1 + n),
        )


# --- The round trip ---------------------------------------------------------------------------


def _round_trip() -> dict:
    """Back, forward a step at a time, back a step at a time: what each check reads."""
    read: dict = {}
    today = _build_today()
    read["referral"] = today["referral"]

    old = _migrate(PARTICIPATION[0], CHILD_RECORD_EVENTS[0], STATEMENT_EVENTS[0])
    joint = _write_participation(old)
    read["joint"] = joint
    _write_child_record_events(old, today)
    version = _write_statement_events(old)

    new = _migrate(PARTICIPATION[1], CHILD_RECORD_EVENTS[1], STATEMENT_EVENTS[1])
    read["participations"] = list(
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
    read["assessment_events"] = [(e.params, e.summary) for e in AssessmentEvent.objects.all()]
    read["child_events"] = [e.summary for e in ChildEvent.objects.all()]
    read["carer_account_events"] = [e.summary for e in CarerAccountEvent.objects.all()]
    read["statement_events"] = [
        (e.kind, e.params, e.summary)
        for e in StatementEvent.objects.filter(version_id=version).order_by("id")
    ]
    _write_package_and_referral_events(new, today)

    _write_contract_events(_migrate(CONTRACT_EVENTS[0]), today)

    new = _migrate(CONTRACT_EVENTS[1], PACKAGE_EVENTS[1])
    contract = today["contract"]
    rows = list(ContractEvent.objects.filter(contract_id=contract.pk).order_by("id"))
    read["contract_events"] = [(e.params["text"], e.summary) for e in rows]
    read["contract_statuses"] = [
        _status_as_at(contract, rows[:n], approved_by_then=False)
        for n in range(1, len(CONTRACT_STATUS_ROWS) + 1)
    ]
    read["package_events"] = [(e.params, e.summary) for e in PackageEvent.objects.order_by("id")]
    events = list(ReferralEvent.objects.order_by("id"))
    read["referral_events"] = [(e.kind, e.params, e.summary) for e in events]
    _write_dps_events(new, today)

    _migrate(DPS_EVENTS[1])
    events = list(DPSMembershipEvent.objects.order_by("id"))
    read["dps_events"] = [(e.kind, e.from_status, e.to_status, e.reason) for e in events]
    read["dps_reinstated"] = events[4].summary

    # And back.
    old = _migrate(DPS_EVENTS[0], PACKAGE_EVENTS[0], STATEMENT_EVENTS[0])
    read["dps_events_back"] = list(
        old.get_model("contracts", "DPSMembershipEvent")
        .objects.order_by("id")
        .values_list("from_status", "to_status", "reason")
    )
    read["package_events_back"] = list(
        old.get_model("referrals", "PackageEvent")
        .objects.order_by("id")
        .values_list("kind", "summary")
    )
    read["referral_events_back"] = list(
        old.get_model("referrals", "ReferralEvent")
        .objects.order_by("id")
        .values_list("from_status", "to_status", "reason")
    )
    read["statement_events_back"] = list(
        old.get_model("statements", "StatementEvent")
        .objects.order_by("id")
        .values_list("summary", flat=True)
    )

    old = _migrate(CONTRACT_EVENTS[0], CHILD_RECORD_EVENTS[0])
    read["contract_events_back"] = list(
        old.get_model("contracts", "ContractEvent")
        .objects.filter(contract_id=contract.pk)
        .order_by("id")
        .values_list("summary", flat=True)
    )
    read["carer_account_events_back"] = list(
        old.get_model("referrals", "CarerAccountEvent").objects.values_list("summary", flat=True)
    )

    old = _migrate(PARTICIPATION[0])
    back = old.get_model("contracts", "Contract").objects.get(pk=joint["contract"])
    read["participating_back"] = list(back.participating_councils.values_list("slug", flat=True))
    return read


@pytest.fixture(scope="module")
def round_trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """What each check read, from one round trip. The database is left at the latest migrations,
    locked as `migrate` locks it, and emptied as after any transactional test."""
    from shortbreaks.notifications import services as notifications

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(notifications, "notification_queue", deliver_now)
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        try:
            with rls.all_councils():
                read = _round_trip()
        finally:
            _migrate(*leaves)
            rls.apply()  # the remade tables' policies and grants, as `migrate` gives them
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    return read


# --- Joint contracts by consent (contracts 0005) ------------------------------------------------


def test_named_councils_are_carried_over_as_accepted_and_back(round_trip):
    joint = round_trip["joint"]
    rows = round_trip["participations"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["contract_id"], row["council_id"], row["lead_council_id"]) == (
        joint["contract"],
        joint["partner"],
        joint["lead"],
    )
    assert (row["status"], row["contract_reference"], row["invited_by"]) == (
        "accepted",
        "J-1",
        None,
    )
    assert row["responded_at"] is not None
    assert round_trip["participating_back"] == ["partner"]


# --- A contract's typed events (contracts 0011) -------------------------------------------------


def test_contract_rows_written_before_keep_their_sentence_and_the_status_packs_replay(round_trip):
    assert round_trip["contract_events"] == [
        (sentence, sentence) for sentence, _ in CONTRACT_STATUS_ROWS
    ]
    assert round_trip["contract_statuses"] == [status for _, status in CONTRACT_STATUS_ROWS]
    assert round_trip["contract_events_back"] == [sentence for sentence, _ in CONTRACT_STATUS_ROWS]


# --- A DPS membership's typed events (contracts 0012) -------------------------------------------


def test_dps_membership_rows_written_before_gain_the_step_they_were_and_back(round_trip):
    events = round_trip["dps_events"]
    assert [kind for kind, *_ in events] == [
        "applied",
        "start_assessment",
        "approve",
        "suspend",
        "reinstate",
        "exit",
    ]
    assert [tuple(row) for _, *row in events] == DPS_ROWS
    assert round_trip["dps_reinstated"] == "Reinstated. Concerns resolved."
    assert round_trip["dps_events_back"] == DPS_ROWS


# --- A child's record's typed events (referrals 0011) -------------------------------------------


def test_child_record_rows_written_before_keep_their_sentence_and_back(round_trip):
    assert round_trip["assessment_events"] == [({"text": "Returned: old."}, "Returned: old.")]
    assert round_trip["child_events"] == ["Old merge."]
    assert round_trip["carer_account_events"] == ["Old link."]
    assert round_trip["carer_account_events_back"] == ["Old link."]


# --- A package's and a referral's typed events (referrals 0012) ---------------------------------


def test_package_and_referral_rows_keep_their_sentence_gain_their_kind_and_back(round_trip):
    referral = round_trip["referral"]
    assert round_trip["package_events"] == [
        ({"text": summary}, summary) for _, summary in PACKAGE_ROWS
    ]
    events = round_trip["referral_events"]
    assert [kind for kind, _, _ in events] == [
        "received",
        "screen",
        "accept_for_assessment",
        "closed",
    ]
    assert [params for _, params, _ in events] == [
        {"source": referral.source},
        {},
        {},
        {"closure_reason": "RC8"},
    ]
    assert [summary for _, _, summary in events] == [
        "Referral: received. Referral received from schools.",
        "Referral: screening.",
        "Referral: accepted for assessment. Decided.",
        "Referral: Children in need episode closed.",
    ]
    assert round_trip["package_events_back"] == PACKAGE_ROWS
    assert round_trip["referral_events_back"] == REFERRAL_ROWS


# --- A statement version's typed events (statements 0003) ---------------------------------------


def test_statement_rows_written_before_keep_their_sentence_and_get_their_kind_and_back(
    round_trip,
):
    assert round_trip["statement_events"] == [
        (kind, {"text": sentence}, sentence) for sentence, kind in STATEMENT_SENTENCES
    ]
    assert round_trip["statement_events_back"] == [s for s, _ in STATEMENT_SENTENCES]
