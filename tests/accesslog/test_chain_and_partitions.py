"""The access log is tamper-evident (a hash chain per council), append-only in the database
(TRUNCATE too), and partitioned by month so a time range reads only its months."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from shortbreaks import rls
from shortbreaks.accesslog import chain, database, tasks
from shortbreaks.accesslog.filters import AccessLogFilter
from shortbreaks.accesslog.models import APPEND_ONLY_TRIGGER, AccessLogChainHead, AccessLogEntry
from shortbreaks.accesslog.selectors import access_log_list
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Role
from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")
TABLE = "accesslog_accesslogentry"


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def _log(world, slug="alpha", count=1, **kwargs):
    person = world[slug]["people"][Role.SOCIAL_WORKER]
    team = world[slug]["team"]
    return [
        access_log_record(actor=person, action="view", obj=team, **kwargs) for _ in range(count)
    ]


def _log_at(world, moment: datetime, slug="alpha") -> AccessLogEntry:
    with time_machine.travel(moment, tick=False):
        return _log(world, slug)[0]


def _verify(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("accesslog_verify", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def _tamper(sql: str, params) -> None:
    """As the table's owner: switch the append-only trigger off, change the log, switch it on."""
    alter = f"ALTER TABLE accesslog_accesslogentry {{}} TRIGGER {APPEND_ONLY_TRIGGER}"
    with connection.cursor() as cursor:
        cursor.execute(alter.format("DISABLE"))
        cursor.execute(sql, params)
        cursor.execute(alter.format("ENABLE"))


def _partition_of(entry: AccessLogEntry) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM accesslog_accesslogentry "
            "WHERE id = %s AND at = %s",
            [entry.pk, entry.at],
        )
        return cursor.fetchone()[0]


# ----------------------------------------------------------------------------------------------
# The chain


def test_each_councils_rows_form_a_chain_the_database_writes(two_councils, client):
    alpha = _log(two_councils, "alpha", count=3)
    bravo = _log(two_councils, "bravo", count=2)
    assert client.get(reverse("api-teams")).status_code == 401  # a refusal with no council
    nobody = AccessLogEntry.objects.get(council=None)

    # The insert returned what the trigger set: place in the chain, link and hash.
    assert [row.seq for row in alpha] == [1, 2, 3]
    assert [row.seq for row in bravo] == [1, 2]
    assert nobody.seq == 1
    assert alpha[0].prev_hash == bravo[0].prev_hash == nobody.prev_hash == chain.GENESIS
    assert alpha[1].prev_hash == alpha[0].hash and alpha[2].prev_hash == alpha[1].hash
    assert bravo[1].prev_hash == bravo[0].hash
    # Python computes the same hash over the same canonical bytes as the database did.
    for row in [*alpha, *bravo]:
        row.refresh_from_db()
        values = {name: getattr(row, name) for name in chain.FIELDS}
        assert chain.row_hash(values) == row.hash
    assert chain.canonical({**values, "council_id": None}).count(b"\ncouncil_id=~\n") == 1

    # Each chain's head is its newest row.
    heads = {head.chain: head for head in AccessLogChainHead.objects.all()}
    newest = {two_councils["alpha"]["council"].pk: alpha[-1], 0: nobody}
    for chain_key, row in newest.items():
        assert (heads[chain_key].seq, heads[chain_key].row_id) == (row.seq, row.pk)
        assert heads[chain_key].hash == row.hash

    out, error = _verify()
    assert error is None
    assert "alpha: 3 rows, unbroken" in out
    assert "bravo: 2 rows, unbroken" in out
    assert "(no council): 1 rows, unbroken" in out


def test_whatever_an_insert_says_the_database_sets_the_chain(two_councils):
    """A client that writes the chain's columns itself, in a plain INSERT, is overruled."""
    first = _log(two_councils)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accesslog_accesslogentry (at, council_id, username, roles, action, "
            "object_type, object_id, path, outcome, seq, prev_hash, hash) "
            "VALUES (now(), %s, '', '', 'view', '', '', '', 'allowed', 1, %s, %s) "
            "RETURNING id",
            [two_councils["alpha"]["council"].pk, "f" * 64, "e" * 64],
        )
        (forged_id,) = cursor.fetchone()
    forged = AccessLogEntry.objects.get(pk=forged_id)
    assert (forged.seq, forged.prev_hash) == (2, first.hash)
    assert forged.hash != "e" * 64
    assert _verify()[1] is None


@pytest.mark.database_owner
def test_a_changed_row_is_caught_at_exactly_that_row(two_councils):
    rows = _log(two_councils, "alpha", count=5)
    _log(two_councils, "bravo", count=2)
    changed = rows[2]
    _tamper("UPDATE accesslog_accesslogentry SET outcome = 'refused' WHERE id = %s", [changed.pk])

    out, error = _verify()
    assert error is not None and error.returncode == 1
    assert f"alpha: chain broken at row id {changed.pk} (seq 3)" in out
    assert "its fields no longer match its hash" in out
    assert "alpha: 2 rows checked before the break" in out
    assert "bravo: 2 rows, unbroken" in out  # another council's chain is its own
    # One council at a time.
    assert _verify("--council", "alpha")[1] is not None
    assert _verify("--council", "bravo")[1] is None


@pytest.mark.database_owner
def test_a_changed_row_with_its_hash_recomputed_is_caught_at_the_next_row(two_councils):
    rows = _log(two_councils, "alpha", count=4)
    changed = rows[1]
    changed.refresh_from_db()
    values = {name: getattr(changed, name) for name in chain.FIELDS}
    values["username"] = "someone-else"
    _tamper(
        "UPDATE accesslog_accesslogentry SET username = %s, hash = %s WHERE id = %s",
        ["someone-else", chain.row_hash(values), changed.pk],
    )
    out, error = _verify("--council", "alpha")
    assert error is not None
    assert f"chain broken at row id {rows[2].pk} (seq 3)" in out
    assert f"does not match the hash of row id {changed.pk}" in out


@pytest.mark.database_owner
def test_a_row_removed_from_the_middle_is_caught(two_councils):
    rows = _log(two_councils, "alpha", count=5)
    _tamper("DELETE FROM accesslog_accesslogentry WHERE id = %s", [rows[2].pk])

    out, error = _verify()
    assert error is not None
    assert f"alpha: chain broken at row id {rows[3].pk} (seq 4)" in out
    assert "1 row(s) missing before it: seq jumps from 2 to 4" in out
    assert f"does not match the hash of row id {rows[1].pk}" in out


@pytest.mark.database_owner
def test_the_newest_row_changed_with_its_hash_recomputed_is_caught_by_the_head(two_councils):
    rows = _log(two_councils, "alpha", count=3)
    newest = rows[-1]
    newest.refresh_from_db()
    values = {name: getattr(newest, name) for name in chain.FIELDS}
    values["object_id"] = "999"
    _tamper(
        "UPDATE accesslog_accesslogentry SET object_id = '999', hash = %s WHERE id = %s",
        [chain.row_hash(values), newest.pk],
    )
    out, error = _verify("--council", "alpha")
    assert error is not None
    assert f"chain broken at row id {newest.pk} (seq 3)" in out
    assert "is not the one the chain's head recorded for seq 3" in out


@pytest.mark.database_owner
def test_the_newest_rows_removed_are_caught(two_councils):
    rows = _log(two_councils, "alpha", count=4)
    _tamper("DELETE FROM accesslog_accesslogentry WHERE id IN (%s, %s)", [rows[2].pk, rows[3].pk])
    out, error = _verify("--council", "alpha")
    assert error is not None
    assert f"chain broken at row id {rows[3].pk} (seq 4)" in out
    assert f"the newest 2 row(s) are missing: the chain ends at seq 2 (row id {rows[1].pk})" in out


def test_the_verify_command_refuses_an_unknown_council(db):
    with pytest.raises(CommandError, match="No council"):
        call_command("accesslog_verify", "--council", "nowhere", stdout=StringIO())


def test_appends_are_refused_outside_read_committed(db):
    """Under REPEATABLE READ the trigger's read of the chain's head would use the transaction's
    first snapshot and could miss a row committed since: such an append is refused."""

    def append_in_repeatable_read():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(
                "INSERT INTO accesslog_accesslogentry (at, username, roles, action, object_type, "
                "object_id, path, outcome) VALUES (now(), '', '', 'view', '', '', '', 'allowed')"
            )

    thread, failures = _thread(append_in_repeatable_read)  # a connection of its own
    thread.join(timeout=20)
    assert len(failures) == 1
    assert isinstance(failures[0], DatabaseError)
    assert "READ COMMITTED only" in str(failures[0])


# ----------------------------------------------------------------------------------------------
# Two writers at once


def _thread(target):
    failures: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as failure:  # noqa: BLE001 - raised again on the test's thread
            failures.append(failure)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_keep_one_unbroken_chain(two_councils):
    """Each round, both writers append inside transactions that overlap: without the lock both
    would read the same head and fork the chain. With it the later one waits for the first to
    commit and chains after it. Autocommit appends (as refusals are logged) join in."""
    rounds = 5
    barrier = threading.Barrier(2)

    def in_transactions():
        for _ in range(rounds):
            with transaction.atomic():
                barrier.wait(timeout=20)
                _log(two_councils, "alpha")
                time.sleep(0.05)  # hold the transaction open while the other tries
            _log(two_councils, "alpha", count=3)  # autocommit, each its own transaction

    threads = [_thread(in_transactions), _thread(in_transactions)]
    for thread, _ in threads:
        thread.join(timeout=60)
    for thread, failures in threads:
        assert not thread.is_alive()
        assert not failures, failures

    rows = AccessLogEntry.objects.filter(council=two_councils["alpha"]["council"])
    assert sorted(rows.values_list("seq", flat=True)) == list(range(1, 2 * rounds * 4 + 1))
    out, error = _verify("--council", "alpha")
    assert error is None, out
    assert f"alpha: {2 * rounds * 4} rows, unbroken" in out


@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_only_for_its_own_councils_chain(two_councils):
    held, released = threading.Event(), threading.Event()

    def hold_alpha():
        with transaction.atomic():
            _log(two_councils, "alpha")
            held.set()
            released.wait(timeout=20)
            time.sleep(0.4)

    holder, holder_failures = _thread(hold_alpha)
    assert held.wait(timeout=20)
    # Another council's chain is free while alpha's is held.
    started = time.monotonic()
    _log(two_councils, "bravo")
    assert time.monotonic() - started < 5
    released.set()
    # The same council's waits until the holder commits, then chains after its row.
    started = time.monotonic()
    row = _log(two_councils, "alpha")[0]
    waited = time.monotonic() - started
    holder.join(timeout=20)
    assert not holder_failures, holder_failures
    assert waited >= 0.3
    assert row.seq == 2
    assert _verify()[1] is None


# ----------------------------------------------------------------------------------------------
# Append-only, TRUNCATE included


# Here, beside the other tests run as the table's owner, so that every test of test_accesslog.py
# runs as the application and that module builds its councils once (tests/per_module.py).
@pytest.mark.database_owner
def test_the_database_itself_refuses_to_change_or_delete_rows(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    row = access_log_record(actor=person, action="view", obj=two_councils["alpha"]["team"])
    for sql in (
        "UPDATE accesslog_accesslogentry SET outcome = 'refused' WHERE id = %s",
        "DELETE FROM accesslog_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    assert AccessLogEntry.objects.filter(pk=row.pk, outcome="allowed").exists()


@pytest.mark.database_owner
def test_truncate_is_refused_on_the_table_and_every_partition(two_councils):
    _log(two_councils, count=2)
    with connection.cursor() as cursor:
        # The test settings allow it (the test runner empties tables with TRUNCATE)...
        cursor.execute("SHOW shortbreaks.allow_truncate")
        assert cursor.fetchone() == ("on",)
        # ...everyone else is refused: as any session without the setting.
        cursor.execute("SET LOCAL shortbreaks.allow_truncate = off")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows' foreign keys checked now
    parts = [name for name, _ in database.partitions()]
    assert f"{TABLE}_default" in parts
    for table in [TABLE, parts[0], f"{TABLE}_default"]:
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {table}")
    assert AccessLogEntry.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM pg_inherits i
                WHERE i.inhparent = %s::regclass AND NOT EXISTS (
                    SELECT 1 FROM pg_trigger t WHERE t.tgrelid = i.inhrelid
                       AND t.tgname = 'accesslog_no_truncate' AND t.tgenabled = 'O')""",
            [TABLE],
        )
        assert cursor.fetchone() == (0,)  # every partition refuses it


@pytest.mark.database_owner
def test_the_application_role_may_only_read_and_append(two_councils):
    council = two_councils["alpha"]["council"]
    first = _log(two_councils)[0]
    role = f"accesslog_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}"')  # rolled back with the test
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    database.grant_append_only(role)

    def refused(sql, match="permission denied|must be owner"):
        with pytest.raises(DatabaseError, match=match), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)

    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    try:
        # the role reads as the application does, in its council (row-level security)
        rls.set_scope(rls.scope_values(council_id=council.pk))
        row = AccessLogEntry.objects.create(council=council, action="view", outcome="allowed")
        assert (row.seq, row.prev_hash) == (2, first.hash)
        assert AccessLogEntry.objects.filter(pk=row.pk).exists()
        refused("UPDATE accesslog_accesslogentry SET outcome = 'refused'")
        refused("DELETE FROM accesslog_accesslogentry")
        refused("TRUNCATE accesslog_accesslogentry")
        refused(f"ALTER TABLE accesslog_accesslogentry DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
        refused("UPDATE accesslog_accesslogchainhead SET seq = 1")
        refused("DELETE FROM accesslog_accesslogchainhead")
        with connection.cursor() as cursor:  # the daily check reads the heads
            cursor.execute("SELECT count(*) FROM accesslog_accesslogchainhead")
        refused(f"SELECT * FROM {database.partitions()[0][0]}")  # noqa: S608
        # The beat task's partitions are made with the owner's rights.
        with transaction.atomic():
            assert database.partitions_create(now=london(2040, 1, 10), months_ahead=0) == [
                f"{TABLE}_p2040_01"
            ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert _verify("--council", "alpha")[1] is None


# ----------------------------------------------------------------------------------------------
# Partitions by month


def test_partitions_are_kept_ready_months_ahead(db):
    today = london(2033, 5, 20, 9)
    created = database.partitions_create(now=today)
    assert created == [f"{TABLE}_p2033_{month:02}" for month in (5, 6, 7, 8)]
    assert database.partitions_create(now=today) == []  # nothing more on a second run
    bounds = dict(database.partitions())
    # Calendar months in London: in summer they start at 23:00 UTC the day before.
    assert bounds[f"{TABLE}_p2033_06"] == (
        "FOR VALUES FROM ('2033-05-31 23:00:00+00') TO ('2033-06-30 23:00:00+00')"
    )
    assert bounds[f"{TABLE}_default"] == "DEFAULT"


def test_rows_land_in_their_london_months_partition(two_councils):
    database.partitions_create(now=london(2031, 1, 1), months_ahead=4)
    cases = {
        london(2031, 1, 31, 23, 59, 59, 999999): "p2031_01",
        london(2031, 2, 1, 0, 0): "p2031_02",
        # 23:30 on 31 March in London is 22:30 UTC; half an hour into April is still 31 March
        # in UTC: London's calendar decides.
        london(2031, 3, 31, 23, 30): "p2031_03",
        london(2031, 4, 1, 0, 30): "p2031_04",
    }
    for moment, part in cases.items():
        row = _log_at(two_councils, moment)
        assert _partition_of(row) == f"{TABLE}_{part}", moment
    # A month with no partition yet falls into the default one: the insert never fails.
    stray = _log_at(two_councils, london(2035, 6, 10, 12))
    assert _partition_of(stray) == f"{TABLE}_default"
    # Making that month's partition later moves its rows in, chain untouched.
    assert database.partitions_create(now=london(2035, 6, 1), months_ahead=0) == [
        f"{TABLE}_p2035_06"
    ]
    assert _partition_of(stray) == f"{TABLE}_p2035_06"
    assert AccessLogEntry.objects.get(pk=stray.pk).hash == stray.hash
    assert _verify()[1] is None


def _partitions_without_the_append_only_trigger() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM pg_inherits i
                WHERE i.inhparent = %s::regclass AND NOT EXISTS (
                    SELECT 1 FROM pg_trigger t WHERE t.tgrelid = i.inhrelid
                       AND t.tgname = %s AND t.tgenabled = 'O')""",
            [TABLE, APPEND_ONLY_TRIGGER],
        )
        return cursor.fetchone()[0]


@pytest.mark.database_owner
def test_every_partition_refuses_changes_those_made_later_and_the_default_moved_included(
    two_councils,
):
    """The protection is declared once on the parent (django-pgtrigger); PostgreSQL clones it
    onto every partition, a month made later and the default partition detached and attached
    again when its rows move out included."""
    assert _partitions_without_the_append_only_trigger() == 0
    stray = _log_at(two_councils, london(2037, 6, 10, 12))
    assert _partition_of(stray) == f"{TABLE}_default"
    database.partitions_create(now=london(2037, 6, 1), months_ahead=0)
    assert _partition_of(stray) == f"{TABLE}_p2037_06"
    assert _partitions_without_the_append_only_trigger() == 0
    # A row in the new month's partition, and one in the default partition attached again.
    later = _log_at(two_councils, london(2039, 1, 5, 12))
    assert _partition_of(later) == f"{TABLE}_default"
    for table, row in (
        (TABLE, stray),
        (f"{TABLE}_p2037_06", stray),
        (TABLE, later),
        (f"{TABLE}_default", later),
    ):
        for sql in (
            f"UPDATE {table} SET outcome = 'refused' WHERE id = %s",  # noqa: S608
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [row.pk])
    assert (
        AccessLogEntry.objects.filter(pk__in=[stray.pk, later.pk], outcome="allowed").count() == 2
    )


def test_the_daily_task_makes_the_coming_months(db):
    with time_machine.travel(london(2036, 2, 3, 0, 30), tick=False):
        created = tasks.create_partitions()
    assert created[0] == f"{TABLE}_p2036_02"
    assert created[-1] == f"{TABLE}_p2036_05"


# ----------------------------------------------------------------------------------------------
# From and to: a range of instants, at the month boundaries, in London


@pytest.fixture
def boundary_rows(two_councils):
    database.partitions_create(now=london(2031, 3, 1), months_ahead=2)
    moments = {
        "march_last": london(2031, 3, 31, 23, 59, 59, 999999),  # 22:59:59 UTC
        "april_first": london(2031, 4, 1, 0, 0),  # 23:00 UTC on 31 March
        "april_last": london(2031, 4, 30, 23, 59, 59),
        "may_first": london(2031, 5, 1, 0, 0, 0, 1),
        # The day the clocks go forward (a 23-hour day): its first and last moments.
        "clocks_forward_start": london(2031, 3, 30, 0, 10),
        "clocks_forward_end": london(2031, 3, 30, 23, 50),
        "day_after": london(2031, 3, 31, 0, 0),
    }
    return {name: _log_at(two_councils, moment) for name, moment in moments.items()}


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("1/4/2031", "30/4/2031", {"april_first", "april_last"}),
        ("31/3/2031", "31/3/2031", {"march_last", "day_after"}),
        ("30/3/2031", "30/3/2031", {"clocks_forward_start", "clocks_forward_end"}),
        ("1/5/2031", "", {"may_first"}),
        ("", "29/3/2031", set()),
    ],
)
def test_from_and_to_are_london_days(
    two_councils, client_for, boundary_rows, since, until, expected
):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    names = {row.pk: name for name, row in boundary_rows.items()}
    params = {"since": since, "until": until, "username": boundary_rows["may_first"].username}
    data = client.get(reverse("api-access-log"), params).json()
    assert {names[r["id"]] for r in data["results"]} == expected
    # The page filters the same way.
    page = client.get(reverse("accesslog:list"), params).content.decode()
    shown = {
        name
        for name, row in boundary_rows.items()
        if f"{row.at.astimezone(LONDON):%d/%m/%Y %H:%M:%S}" in page
    }
    assert shown == expected


def test_a_time_range_reads_the_council_time_index_in_its_months_only(two_councils, boundary_rows):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    filterset = AccessLogFilter(
        {"since": "1/4/2031", "until": "30/4/2031"}, queryset=access_log_list(actor=manager)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        # The tables are tiny here: make the planner show what it would do with a real log.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = filterset.qs.order_by("-at", "-id")[:51].explain()
    print(plan)  # shown with -s, for the record
    # Only April's partition is read: March and May are pruned from the plan...
    assert f"{TABLE}_p2031_04" in plan
    assert f"{TABLE}_p2031_03" not in plan and f"{TABLE}_p2031_05" not in plan
    assert f"{TABLE}_default" not in plan
    # ...through the (council, at, id) index, with the range in the index condition, in order.
    assert "council_id_at_id_idx" in plan
    index_cond = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "council_id =" in index_cond and "at >=" in index_cond and "at <" in index_cond
    assert "Sort" not in plan


# ----------------------------------------------------------------------------------------------
# Pages by time


def test_the_page_is_newest_first_by_time_and_pages_through_every_row(two_councils, client_for):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    rows = _log(two_councils, count=60)
    # A row written later whose time is earlier: it belongs on the last page, not the first.
    late = _log_at(two_councils, london(2020, 1, 1, 12))
    seen = []
    url = reverse("accesslog:list")
    params = {"username": late.username}
    for _ in range(3):
        response = client.get(url, params)
        context = response.context
        seen.extend(entry.pk for entry in context["entries"])
        if not context["older_before"]:
            break
        params["before"] = context["older_before"]
    assert seen == [row.pk for row in reversed(rows)] + [late.pk]


# ----------------------------------------------------------------------------------------------
# The daily check, and where it is scheduled


@pytest.mark.database_owner
def test_the_daily_check_alerts_the_administrators_on_a_broken_chain(
    two_councils, settings, caplog
):
    settings.ADMINS = [("Platform team", "platform@example.org")]
    rows = _log(two_councils, count=3)
    assert tasks.verify_chains() == 0
    assert mail.outbox == []

    _tamper(
        "UPDATE accesslog_accesslogentry SET ip_address = '10.9.9.9' WHERE id = %s", [rows[1].pk]
    )
    with caplog.at_level("ERROR", logger="shortbreaks.accesslog.chain"):
        assert tasks.verify_chains() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["platform@example.org"]
    assert "Access log chain broken" in message.subject
    assert f"alpha: chain broken at row id {rows[1].pk} (seq 2)" in message.body
    assert any(
        record.levelname == "ERROR" and str(rows[1].pk) in record.getMessage()
        for record in caplog.records
    )


def test_both_jobs_are_on_the_beat_schedule_and_registered():
    from shortbreaks.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"accesslog.verify_chains", "accesslog.create_partitions"} <= scheduled
    app.loader.import_default_modules()
    assert {"accesslog.verify_chains", "accesslog.create_partitions"} <= set(app.tasks)


# ----------------------------------------------------------------------------------------------
# Django still works on the partitioned table


def test_the_admin_lists_and_shows_rows_read_only(two_councils, client_for):
    row = _log(two_councils)[0]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin)
    listing = client.get(reverse("admin:accesslog_accesslogentry_changelist"))
    assert listing.status_code == 200
    assert row.username in listing.content.decode()
    filtered = client.get(
        reverse("admin:accesslog_accesslogentry_changelist"),
        {"council__id__exact": two_councils["alpha"]["council"].pk, "q": row.username},
    )
    assert filtered.status_code == 200
    detail = client.get(reverse("admin:accesslog_accesslogentry_change", args=[row.pk]))
    assert detail.status_code == 200
    assert row.hash in detail.content.decode()


def test_a_row_is_appended_in_one_statement_whatever_council_the_connection_shows(
    two_councils, django_assert_num_queries
):
    """No council, another council, public mode: the row is written and returned, its chain set,
    and the connection's scope is left as it was."""
    alpha, bravo = two_councils["alpha"]["council"], two_councils["bravo"]["council"]
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    assert person.active_council == alpha and person.active_roles  # read once, before
    for values in (
        dict(rls.NOTHING),
        rls.scope_values(council_id=bravo.pk),
        rls.scope_values(council_id=alpha.pk, public=True),
    ):
        with rls.scope(values):
            with django_assert_num_queries(1):
                row = access_log_record(
                    actor=person, action="view", obj=two_councils["alpha"]["team"]
                )
            assert rls.current() == values
        assert row.pk is not None and len(row.hash) == 64 and row.seq > 0
    assert AccessLogEntry.objects.filter(council=alpha, user=person).count() == 3
