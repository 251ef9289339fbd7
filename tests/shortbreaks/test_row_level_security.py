"""The second lock: PostgreSQL itself shows each request only its council's rows.

These tests run as the application's database role (tests/conftest.py), on the demo's five
councils, and ask the database with no filter at all: what a forgotten `.filter(council=...)`
in a new view would get.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.test import RequestFactory

from contracts.models import Contract, ContractParticipation
from referrals.models import Child
from shortbreaks import rls
from shortbreaks.celery import SCOPE_HEADER, _carry_scope, app
from shortbreaks.councils.models import Council, Team, User
from shortbreaks.middleware import CouncilScopeMiddleware
from statements.models import StatementVersion
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")

JOINT_TABLES = set(rls.extra_policies()) | set(rls.WRITE_POLICIES)


def _visible(model) -> list[int]:
    """The council of every row the connection shows, unfiltered."""
    return list(model._base_manager.values_list("council_id", flat=True))


def _in_request(user, work, path="/home/"):
    """Run `work()` inside a request by `user`, through the middleware that sets the scope."""
    request = RequestFactory().get(path)
    request.user = user
    result = {}

    def view(request):
        result["value"] = work()
        return HttpResponse("ok")

    CouncilScopeMiddleware(view)(request)
    return result["value"]


@pytest.fixture
def councils(demo_seeded, db):
    return list(Council.objects.order_by("pk"))


@pytest.fixture
def staff_of(councils):
    def pick(council):
        user = User.objects.filter(memberships__council=council).order_by("pk").first()
        user.active_council = council
        return user

    return pick


# ----------------------------------------------------------------------------------------------
# Every council-owned table is locked


def test_every_council_owned_table_is_locked_and_forced(db):
    models = rls.council_owned_models()
    assert len(models) > 50  # walking the models finds them all, many-to-many tables too
    locked = {m._meta.db_table for m in models}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) "
            "AND relrowsecurity AND relforcerowsecurity",
            [sorted(locked)],
        )
        assert {name for (name,) in cursor.fetchall()} == locked


@pytest.mark.django_db
def test_the_application_role_cannot_bypass_the_policies():
    assert rls.role_can_bypass() == []


@pytest.mark.database_owner
@pytest.mark.django_db
def test_the_deploy_check_fails_for_a_role_that_could_bypass_them():
    """The suite connects as a superuser that owns the tables: exactly what must never serve."""
    from shortbreaks.checks import application_role_is_bound

    errors = application_role_is_bound()
    assert errors and all(error.id == "shortbreaks.E100" for error in errors)
    assert any("superuser" in error.msg for error in errors)


def test_inside_a_councils_request_every_table_shows_only_that_councils_rows(councils, staff_of):
    everywhere = {model: set(_visible(model)) for model in rls.council_owned_models()}
    spread = [model for model, seen in everywhere.items() if len(seen) > 1]
    assert len(spread) >= 25, "the demo should hold most kinds of record for several councils"
    for council in councils:
        person = staff_of(council)
        seen = _in_request(
            person, lambda: {model: set(_visible(model)) for model in rls.council_owned_models()}
        )
        with rls.all_councils():
            consented = set(
                ContractParticipation.objects.filter(
                    Q(council=council, status="accepted") | Q(lead_council=council)
                ).values_list("council_id", "lead_council_id")
            )
        for model, councils_seen in seen.items():
            if council.pk in everywhere[model]:
                assert council.pk in councils_seen, model._meta.label
            others = councils_seen - {council.pk}
            if model._meta.label_lower in JOINT_TABLES:
                # rows of a joint contract this council accepted, or its invitations to others
                assert others <= {pk for pair in consented for pk in pair}, model._meta.label
            else:
                assert not others, model._meta.label


def test_a_joint_contract_shows_to_a_council_that_accepted_it_and_no_other(councils, staff_of):
    with rls.all_councils():
        accepted = list(ContractParticipation.objects.filter(status="accepted"))
        pending = list(ContractParticipation.objects.exclude(status="accepted"))
    assert accepted, "the demo has joint contracts"
    for council in councils:
        contracts = _in_request(
            staff_of(council), lambda: set(Contract.objects.values_list("pk", "council_id"))
        )
        joint = {pk for pk, owner in contracts if owner != council.pk}
        assert joint == {p.contract_id for p in accepted if p.council_id == council.pk}
        assert not joint & {p.contract_id for p in pending if p.council_id == council.pk}


def test_with_no_council_set_every_table_is_empty(councils):
    with rls.no_scope():
        for model in rls.council_owned_models():
            assert _visible(model) == [], model._meta.label


def test_an_anonymous_request_sees_no_councils_rows(councils):
    counts = _in_request(AnonymousUser(), lambda: Child.objects.count())
    assert counts == 0


def test_the_scope_is_put_back_after_the_request(councils, staff_of):
    before = rls.current()
    _in_request(staff_of(councils[0]), lambda: None)
    assert rls.current() == before


def test_a_write_for_another_council_is_refused_by_the_database(councils):
    alpha, bravo = councils[0], councils[1]
    with rls.council_scope(alpha), pytest.raises(DatabaseError, match="row-level security"):
        with transaction.atomic():
            Team.objects.create(council=bravo, name="Planted by another council")
    with rls.council_scope(alpha):
        assert Team.objects.filter(council=bravo).count() == 0
        # nor can it move one of its own rows to another council
        team = Team.objects.filter(council=alpha).first()
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Team.objects.filter(pk=team.pk).update(council=bravo)


def test_public_pages_read_published_statements_and_nothing_personal(councils):
    council = Council.objects.get(
        pk=StatementVersion.objects.filter(status="published")[0].council_id
    )
    with rls.scope(rls.scope_values(council_id=council.pk, public=True)):
        statuses = set(StatementVersion.objects.values_list("status", flat=True))
        assert statuses <= {"published", "superseded", "consultation"}
        assert statuses
        assert Child.objects.count() == 0
        assert Team.objects.count() == 0


def test_a_person_sees_their_own_memberships_in_every_council(councils):
    person = User.objects.filter(username__isnull=False).order_by("pk").first()
    with rls.scope(rls.scope_values(user_id=person.pk)):
        assert set(person.memberships.values_list("council_id", flat=True)) == set(
            person.memberships.model._base_manager.filter(user=person).values_list(
                "council_id", flat=True
            )
        )
        assert Child.objects.count() == 0


# ----------------------------------------------------------------------------------------------
# Tasks carry their council


@app.task(name="tests.rls_councils_seen", bind=True)
def _councils_seen(self):
    return sorted(set(Child.objects.values_list("council_id", flat=True)))


def _run_as_the_worker_would(headers):
    """The task run as a worker runs it: its request holds the message's headers."""
    _councils_seen.push_request(**headers)
    try:
        return _councils_seen()
    finally:
        _councils_seen.pop_request()


def test_a_task_sent_inside_a_council_carries_it_and_runs_in_it(councils):
    council = councils[0]
    headers = {}
    with rls.council_scope(council):
        _carry_scope(headers=headers)
    assert headers[SCOPE_HEADER][rls.COUNCIL] == str(council.pk)
    before = rls.current()
    assert _run_as_the_worker_would(headers) == [council.pk]
    assert rls.current() == before


def test_a_task_sent_with_no_council_sees_nothing(councils):
    headers = {}
    with rls.no_scope():
        _carry_scope(headers=headers)
    assert _run_as_the_worker_would(headers) == []


def test_a_task_run_in_process_keeps_its_callers_scope(councils):
    council = councils[1]
    with rls.council_scope(council):
        assert _councils_seen.apply().get() == [council.pk]


def test_the_daily_round_visits_each_council_in_its_own_scope(councils):
    seen = rls.each_council(lambda: set(Child.objects.values_list("council_id", flat=True)))
    assert [s for s in seen if s] == [{c.pk} for c in councils if Child.objects.filter(council=c)]


def _estimated_rows(sql_text: str, params: list) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql_text, params)
        return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]


def test_the_policy_leaves_row_estimates_to_the_querys_own_council_filter(councils):
    """A council's referrals joined to their children are estimated as the same query is
    without the policies: the policy does not count the council a second time (0016)."""
    council = max(councils, key=lambda c: Child.objects.filter(council=c).count())
    query = (
        "SELECT r.id FROM referrals_referral r JOIN referrals_child c ON c.id = r.child_id "
        "JOIN referrals_assessment a ON a.referral_id = r.id WHERE r.council_id = %s"
    )
    raw = connection.connection
    role = raw.execute("SELECT current_user").fetchone()[0]
    raw.execute("RESET ROLE")
    try:
        raw.execute("ANALYZE referrals_referral, referrals_child, referrals_assessment")
        unlocked = _estimated_rows(query, [council.pk])  # the owner: a superuser, no policies
    finally:
        raw.execute(f'SET ROLE "{role}"')
    with rls.council_scope(council):
        locked = _estimated_rows(query, [council.pk])
    assert locked >= unlocked * 0.8
