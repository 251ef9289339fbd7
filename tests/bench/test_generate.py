"""The bench's data generator, at a tiny SCALE into the test database: the rows follow the rules
the services enforce, every foreign key holds, the access log's chains verify and go on growing
through the trigger, and the schema is left as it was (indexes, defaults)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models

from bench import generate
from shortbreaks import rls
from shortbreaks.accesslog import chain
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.accesslog.services import LIST_ACTIONS
from shortbreaks.councils.models import Council
from tests.clock import FROZEN_TODAY, frozen_today_module  # noqa: F401

PARTITION_INDEX = re.compile(r" INDEX \S+ ON ")

# 150 councils: the big one of 100 children, the small one of 10, the others of 10 each.
SCALE = 0.0005

# Each test reads what the module's fixture generated, in a transaction rolled back after it, as
# the application's role with every council in scope (tests/conftest.py): what the bench's
# served app would read.
pytestmark = pytest.mark.django_db


def _conninfo() -> dict:
    settings = connection.settings_dict
    found = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    return {key: value for key, value in found.items() if value}


def _schema() -> set[tuple]:
    """Every index (its definition, and whether it is valid) and column default of the tables
    the generator fills, the access log's monthly partitions included."""
    tables = [insert.table for insert in generate.INSERTS] + [generate.ACCESS_LOG]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                WHERE c.relname = ANY(%s) OR c.relname LIKE %s""",
            [tables, generate.ACCESS_LOG + "%"],
        )
        # PostgreSQL names a partition's copy of an index itself, numbering clashes in the order
        # they are made: a partition's index is compared by what it indexes, not by its name.
        indexes = {
            ("index", table, PARTITION_INDEX.sub(" INDEX ON ", definition), valid)
            if table.startswith(generate.ACCESS_LOG + "_")
            else ("index", table, definition, valid)
            for table, definition, valid in cursor.fetchall()
        }
        cursor.execute(
            """SELECT table_name, column_name, coalesce(column_default, '')
                 FROM information_schema.columns WHERE table_name = ANY(%s)""",
            [tables],
        )
        defaults = {("default", *row) for row in cursor.fetchall()}
    return indexes | defaults


@pytest.fixture(scope="module")
def generated(frozen_today_module, django_db_setup, django_db_blocker):  # noqa: F811
    """Generated once for the module (the generator commits, as the bench does), and every table
    emptied after it, as a transactional test's database is."""
    with django_db_blocker.unblock():
        before = _schema()
        try:
            counts, _seconds = generate.generate(
                _conninfo(), SCALE, today=FROZEN_TODAY, log=lambda *args: None
            )
            with rls.all_councils():
                yield counts, before
        finally:
            # As a transactional test ends: emptied, then the content types and permissions
            # that `migrate` made are made again, or the tests after this module in the same
            # process would find none (guardian's grants look their permission up).
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()


def _violations(queries: dict[str, str]) -> dict[str, int]:
    found = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS wrong")  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                found[name] = count
    return found


def test_every_foreign_key_holds(generated):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text,
                      f.attname
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
                WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
                  AND c.connamespace = current_schema()::regnamespace
                  AND c.conparentid = 0  -- on a partitioned table, not each partition's copy"""
        )
        keys = cursor.fetchall()
    assert len(keys) > 50
    queries = {
        f"{table}.{column} -> {target}": (
            f'SELECT 1 FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
            f'(SELECT 1 FROM {target} r WHERE r."{key}" = t."{column}")'
        )
        for table, column, target, key in keys
    }
    assert _violations(queries) == {}


def test_a_record_and_what_it_points_at_belong_to_one_council(generated):
    """Every foreign key between two council-owned tables joins rows of the same council."""
    queries = {}
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "council" not in fields or model._meta.db_table.startswith("bench"):
            continue
        for field in model._meta.concrete_fields:
            target = field.related_model
            if (
                not isinstance(field, models.ForeignKey)
                or field.name == "council"
                or target is Council
                or not any(f.name == "council" for f in target._meta.concrete_fields)
            ):
                continue
            queries[f"{model._meta.label}.{field.name}"] = (
                f"SELECT 1 FROM {model._meta.db_table} t JOIN {target._meta.db_table} r "  # noqa: S608
                f'ON r.id = t."{field.column}" WHERE r.council_id <> t.council_id'
            )
    assert len(queries) > 20
    assert _violations(queries) == {}


# Values the app writes beyond a field's choices: the access log's list and search rows.
MORE_VALUES = {"accesslog.AccessLogEntry.action": list(LIST_ACTIONS)}


def test_every_status_and_choice_is_one_the_model_allows(generated):
    queries = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices or isinstance(field, models.ForeignKey):
                continue
            allowed = [str(value) for value, _label in field.flatchoices]
            if field.blank:
                allowed.append("")
            allowed += MORE_VALUES.get(f"{model._meta.label}.{field.name}", [])
            values = ", ".join("'" + value.replace("'", "''") + "'" for value in allowed)
            queries[f"{model._meta.label}.{field.name}"] = (
                f'SELECT 1 FROM {model._meta.db_table} WHERE "{field.column}"::text '  # noqa: S608
                f"NOT IN ({values})"
            )
    assert _violations(queries) == {}


def test_tiers_agree_with_packages_grants_and_the_tier_journey(generated):
    assert (
        _violations(
            {
                "tier is not the last tier change": """
                SELECT 1 FROM referrals_child c
                  LEFT JOIN LATERAL (SELECT to_tier FROM referrals_tierchange t
                                      WHERE t.child_id = c.id ORDER BY t."on" DESC, t.id DESC
                                      LIMIT 1) last ON true
                 WHERE c.tier <> coalesce(last.to_tier, 'none')""",
                "active package, child not specialist": """
                SELECT 1 FROM referrals_package p JOIN referrals_child c ON c.id = p.child_id
                 WHERE p.status = 'active' AND c.tier <> 'specialist'""",
                "package not on its child's authorised specialist assessment": """
                SELECT 1 FROM referrals_package p
                  JOIN referrals_assessment a ON a.id = p.assessment_id
                 WHERE a.child_id <> p.child_id OR a.status <> 'authorised'
                    OR a.outcome <> 'specialist'""",
                "specialist child with no authorised specialist assessment": """
                SELECT 1 FROM referrals_child c WHERE c.tier = 'specialist' AND NOT EXISTS (
                    SELECT 1 FROM referrals_assessment a WHERE a.child_id = c.id
                       AND a.status = 'authorised' AND a.outcome = 'specialist')""",
                "targeted child with no approved grant": """
                SELECT 1 FROM referrals_child c WHERE c.tier = 'targeted' AND NOT EXISTS (
                    SELECT 1 FROM referrals_grantapplication g WHERE g.child_id = c.id
                       AND g.status = 'approved')""",
                "assessment dates out of order": """
                SELECT 1 FROM referrals_assessment
                 WHERE completed_on < started_on OR authorised_on < completed_on
                    OR (status = 'authorised' AND authorised_on IS NULL)
                    OR (status = 'in_progress' AND completed_on IS NOT NULL)""",
                "referral status is not its last event's": """
                SELECT 1 FROM referrals_referral r
                  JOIN LATERAL (SELECT to_status FROM referrals_referralevent e
                                 WHERE e.referral_id = r.id ORDER BY e."on" DESC, e.id DESC
                                 LIMIT 1) last ON true
                 WHERE last.to_status <> r.status""",
                "an active package with no next review": """
                SELECT 1 FROM referrals_package
                 WHERE status = 'active' AND next_review_due IS NULL""",
            }
        )
        == {}
    )


def test_nothing_that_happened_is_dated_after_today(generated):
    today = f"'{FROZEN_TODAY.isoformat()}'::date"
    happened = {
        "referrals_referral": ("received_on", "status_date"),
        "referrals_referralevent": ('"on"',),
        "referrals_assessment": ("started_on", "completed_on", "authorised_on"),
        "referrals_tierchange": ('"on"',),
        "referrals_paneldecision": ("decided_on",),
        "referrals_review": ("held_on",),
        "referrals_grantapplication": ("received_on", "decided_on"),
        "referrals_deliveryrecord": ("period_end",),
        "referrals_overnightstay": ("night",),
    }
    queries = {
        f"{table}.{column}": f"SELECT 1 FROM {table} WHERE {column} > {today}"  # noqa: S608
        for table, columns in happened.items()
        for column in columns
    }
    queries["a ceased package's end"] = (
        f"SELECT 1 FROM referrals_package WHERE status = 'ceased' AND end_on > {today}"  # noqa: S608
    )
    queries["an active package's start"] = (
        f"SELECT 1 FROM referrals_package WHERE status = 'active' AND start_on > {today}"  # noqa: S608
    )
    assert _violations(queries) == {}


def test_package_lines_delivery_and_nights_follow_the_services_rules(generated):
    counts, _before = generated
    assert counts["bookings_blockplaces"] > 0 and counts["bookings_booking"] > 0
    assert (
        _violations(
            {
                "commissioned line not on an awarded lot of a running contract": """
                SELECT 1 FROM referrals_packageline l WHERE l.funding_route = 'commissioned'
                   AND NOT EXISTS (
                       SELECT 1 FROM contracts_award aw
                         JOIN contracts_lot lt ON lt.id = aw.lot_id
                         JOIN contracts_contract k ON k.id = lt.contract_id
                        WHERE aw.lot_id = l.lot_id AND aw.provider_id = l.provider_id
                          AND k.status IN ('active', 'extended'))""",
                "spot or direct-payment line on a lot": """
                SELECT 1 FROM referrals_packageline
                 WHERE funding_route <> 'commissioned' AND lot_id IS NOT NULL""",
                "line's service is not its provider's": """
                SELECT 1 FROM referrals_packageline l
                  JOIN providers_service s ON s.id = l.service_id
                 WHERE s.provider_id <> l.provider_id""",
                "nights for a service not priced by the night, or hours for one that is": """
                SELECT 1 FROM referrals_packageline l
                  JOIN providers_service s ON s.id = l.service_id
                 WHERE (s.price_unit = 'night') <> (l.nights_per_year IS NOT NULL)""",
                "delivery on a package that has not started": """
                SELECT 1 FROM referrals_deliveryrecord d
                  JOIN referrals_packageline l ON l.id = d.line_id
                  JOIN referrals_package p ON p.id = l.package_id
                 WHERE p.status NOT IN ('active', 'ceased') OR d.period_start < l.start_on
                    OR d.period_end < d.period_start""",
                "a night on another child's line": """
                SELECT 1 FROM referrals_overnightstay o
                  JOIN referrals_packageline l ON l.id = o.line_id
                  JOIN referrals_package p ON p.id = l.package_id
                 WHERE p.child_id <> o.child_id""",
                "block places not on an award of a block contract, or not as it says": """
                SELECT 1 FROM bookings_blockplaces bp
                  JOIN contracts_award aw ON aw.id = bp.award_id
                  JOIN contracts_lot lt ON lt.id = aw.lot_id
                  JOIN contracts_contract k ON k.id = lt.contract_id
                 WHERE k.kind <> 'block' OR bp.lot_id <> lt.id OR bp.contract_id <> k.id
                    OR bp.provider_id <> aw.provider_id OR bp.places < 1
                    OR (bp.unit = 'session') <> (bp.hours_per_session IS NOT NULL)""",
                "a booking not on the child's active line of the places' lot and provider": """
                SELECT 1 FROM bookings_booking b
                  JOIN bookings_blockplaces bp ON bp.id = b.places_id
                  JOIN referrals_packageline l ON l.id = b.line_id
                  JOIN referrals_package p ON p.id = l.package_id
                  JOIN contracts_contract k ON k.id = bp.contract_id
                 WHERE p.child_id <> b.child_id OR p.status <> 'active'
                    OR l.lot_id <> bp.lot_id OR l.provider_id <> bp.provider_id
                    OR l.start_on > b.first_day OR b.last_day < b.first_day
                    OR k.status NOT IN ('active', 'extended') OR k.end_date < b.last_day""",
                "more bookings on a day than places": """
                SELECT 1 FROM bookings_booking b
                  JOIN bookings_blockplaces bp ON bp.id = b.places_id,
                       generate_series(b.first_day, b.last_day, interval '1 day') AS day
                 WHERE b.status IN ('booked', 'delivered')
                 GROUP BY bp.id, bp.places, day HAVING count(*) > bp.places""",
            }
        )
        == {}
    )


def test_the_councils_have_the_planned_sizes(generated):
    counts, _before = generated
    plan = generate.plan(SCALE)
    assert Council.objects.count() == 150
    assert counts["referrals_child"] == sum(c.children for c in plan) == counts["referrals_carer"]
    assert counts["referrals_referral"] == counts["referrals_assessment"]
    assert (
        counts[generate.ACCESS_LOG]
        == AccessLogEntry.objects.count()
        == 20 * sum(c.children for c in plan)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.slug, count(*) FILTER (WHERE p.status = 'active'),
                      (SELECT count(*) FROM referrals_child k WHERE k.council_id = c.id)
                 FROM councils_council c LEFT JOIN referrals_package p ON p.council_id = c.id
                WHERE c.slug IN (%s, %s) GROUP BY c.id ORDER BY c.slug""",
            [generate.BIG, generate.SMALL],
        )
        sizes = {slug: (active, children) for slug, active, children in cursor.fetchall()}
    # A child's class is its place in its council mod 20: the first 10 take classes 1-10.
    assert sizes == {generate.BIG: (40, 100), generate.SMALL: (7, 10)}


def test_the_schema_is_left_as_it_was(generated):
    _counts, before = generated
    after = _schema()
    assert {row for row in after if row[0] == "index" and not row[3]} == set()
    # Partitions made for the generated months have their indexes as every partition does.
    assert {row for row in before if row[1].startswith(generate.ACCESS_LOG + "_p")} <= after
    assert {row for row in after if not row[1].startswith(generate.ACCESS_LOG + "_p")} == {
        row for row in before if not row[1].startswith(generate.ACCESS_LOG + "_p")
    }


def test_the_access_log_chains_verify_and_the_trigger_carries_them_on(generated):
    assert [r.broken for r in chain.chains_verify() if r.broken] == []
    big = Council.objects.get(slug=generate.BIG)
    AccessLogEntry.objects.create(council=big, action="view", outcome="allowed", path="/")
    results = {r.chain.council_id: r for r in chain.chains_verify()}
    assert results[big.pk].broken is None
    assert results[big.pk].rows == 20 * 100 + 1


def test_the_waiting_list_follows_the_booking_rules(generated):
    counts, _before = generated
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM bookings_waitinglistentry GROUP BY status ORDER BY 1"
        )
        statuses = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM bookings_booking WHERE status = 'cancelled'")
        cancelled = cursor.fetchone()[0]
    assert statuses.keys() == {"offered", "waiting"}
    assert sum(statuses.values()) == counts["bookings_waitinglistentry"]
    assert cancelled == statuses["offered"]
    # Places taken on a day: bookings booked or delivered, and children offered a place.
    taken = """
        SELECT bp.id AS places_id, bp.places, day::date AS day, count(t.*) AS taken
          FROM bookings_blockplaces bp
          JOIN (SELECT places_id, first_day, last_day FROM bookings_booking
                 WHERE status IN ('booked', 'delivered')
                UNION ALL
                SELECT places_id, first_day, last_day FROM bookings_waitinglistentry
                 WHERE status = 'offered') t ON t.places_id = bp.id,
               generate_series(t.first_day, t.last_day, interval '1 day') AS day
         GROUP BY bp.id, bp.places, day"""
    today = f"'{FROZEN_TODAY.isoformat()}'::date"
    assert (
        _violations(
            {
                "more places taken on a day than there are": f"""
                SELECT 1 FROM ({taken}) t WHERE t.taken > t.places""",  # noqa: S608
                "a child waiting on a day with a free place": f"""
                SELECT 1 FROM bookings_waitinglistentry w
                  JOIN bookings_blockplaces bp ON bp.id = w.places_id
                  CROSS JOIN LATERAL generate_series(w.first_day, w.last_day, interval '1 day')
                             AS d(day)
                  LEFT JOIN ({taken}) t ON t.places_id = w.places_id AND t.day = d.day::date
                 WHERE w.status = 'waiting' AND coalesce(t.taken, 0) < bp.places""",  # noqa: S608
                "an entry not on the child's active line of the places' lot and provider": """
                SELECT 1 FROM bookings_waitinglistentry w
                  JOIN bookings_blockplaces bp ON bp.id = w.places_id
                  JOIN referrals_packageline l ON l.id = w.line_id
                  JOIN referrals_package p ON p.id = l.package_id
                  JOIN contracts_contract k ON k.id = bp.contract_id
                 WHERE p.child_id <> w.child_id OR p.status <> 'active'
                    OR l.lot_id <> bp.lot_id OR l.provider_id <> bp.provider_id
                    OR l.start_on > w.first_day OR w.last_day < w.first_day
                    OR k.status NOT IN ('active', 'extended') OR k.end_date < w.last_day""",
                "a child waiting for days it is booked or already waits for": """
                SELECT 1 FROM bookings_waitinglistentry w
                 WHERE EXISTS (SELECT 1 FROM bookings_booking b
                                WHERE b.places_id = w.places_id AND b.child_id = w.child_id
                                  AND b.status IN ('booked', 'delivered')
                                  AND b.first_day <= w.last_day AND b.last_day >= w.first_day)
                    OR EXISTS (SELECT 1 FROM bookings_waitinglistentry o
                                WHERE o.places_id = w.places_id AND o.child_id = w.child_id
                                  AND o.id <> w.id AND o.status IN ('waiting', 'offered')
                                  AND o.first_day <= w.last_day AND o.last_day >= w.first_day)""",
                "an offer with no date or not after a cancellation of those days": """
                SELECT 1 FROM bookings_waitinglistentry w
                  LEFT JOIN bookings_booking b ON b.id = w.offered_after_id
                 WHERE w.status = 'offered'
                   AND (w.offered_at IS NULL OR w.offered_at < w.added_at
                        OR b.status IS DISTINCT FROM 'cancelled' OR b.places_id <> w.places_id
                        OR b.first_day > w.last_day OR b.last_day < w.first_day)""",
                "a child still waiting with an offer, a booking or a reason to withdraw": """
                SELECT 1 FROM bookings_waitinglistentry
                 WHERE status = 'waiting' AND (offered_at IS NOT NULL
                        OR offered_after_id IS NOT NULL OR booking_id IS NOT NULL
                        OR withdrawn_reason <> '')""",
                "an entry for a day gone": f"""
                SELECT 1 FROM bookings_waitinglistentry WHERE first_day <= {today}""",  # noqa: S608
                "a cancellation not as booking_cancel records it": f"""
                SELECT 1 FROM bookings_booking
                 WHERE (status = 'cancelled') <> (cancelled_on IS NOT NULL)
                    OR (status = 'cancelled' AND (cancelled_on <> {today}
                        OR cancelled_by_id IS NULL OR cancel_reason = ''
                        OR cancelled_late <> (first_day - cancelled_on < 2)))""",  # noqa: S608
            }
        )
        == {}
    )


def test_brokerage_follows_the_services_rules(generated):
    counts, _before = generated
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM brokerage_brokeragerequest GROUP BY status ORDER BY 1"
        )
        statuses = dict(cursor.fetchall())
        cursor.execute(
            "SELECT outcome, count(*) FROM brokerage_brokerageresponse GROUP BY 1 ORDER BY 1"
        )
        outcomes = dict(cursor.fetchall())
    assert statuses.keys() == {"awarded", "sent", "withdrawn"}
    assert outcomes.keys() == {"awarded", "closed", "not_chosen", "pending"}
    assert outcomes["awarded"] == statuses["awarded"]
    assert counts["brokerage_brokerageinvitation"] >= counts["brokerage_brokeragerequest"]
    today = f"'{FROZEN_TODAY.isoformat()}'::date"
    assert (
        _violations(
            {
                "a request not from a line of a package the panel approved": """
                SELECT 1 FROM brokerage_brokeragerequest r
                  JOIN referrals_packageline l ON l.id = r.line_id
                  JOIN referrals_package p ON p.id = l.package_id
                 WHERE p.status NOT IN ('approved', 'active')
                    OR (r.status <> 'awarded' AND l.funding_route <> 'spot_purchase')
                    OR r.ratio <> l.ratio OR r.nights_per_year IS DISTINCT FROM l.nights_per_year
                    OR r.hours_per_week IS DISTINCT FROM l.hours_per_week""",
                "a request not on a lot of its council's open DPS": """
                SELECT 1 FROM brokerage_brokeragerequest r
                  JOIN contracts_lot lt ON lt.id = r.lot_id
                  JOIN contracts_contract k ON k.id = lt.contract_id
                  JOIN contracts_dps dps ON dps.id = r.dps_id
                 WHERE k.dps_id IS DISTINCT FROM r.dps_id OR k.call_off_lot_id IS NOT NULL
                    OR dps.status <> 'active'""",
                "a request's dates out of order, or not as its status says": f"""
                SELECT 1 FROM brokerage_brokeragerequest
                 WHERE sent_at IS NULL OR deadline IS NULL OR deadline <= sent_at::date
                    OR sent_at < created_at OR sent_at::date > {today}
                    OR (status = 'sent') <> (closed_on IS NULL)
                    OR closed_on < sent_at::date OR closed_on > {today}
                    OR (status = 'withdrawn') <> (close_reason <> '')
                    OR (status = 'awarded') <> (contract_id IS NOT NULL)
                    OR spot_provider_id IS NOT NULL OR spot_unit_rate IS NOT NULL""",  # noqa: S608
                "an invitation not to an approved member of the DPS awarded the lot": """
                SELECT 1 FROM brokerage_brokerageinvitation i
                  JOIN brokerage_brokeragerequest r ON r.id = i.request_id
                 WHERE i.sent_on <> r.sent_at::date OR NOT EXISTS (
                       SELECT 1 FROM contracts_dpsmembership m
                         JOIN contracts_award aw ON aw.provider_id = m.provider_id
                        WHERE m.dps_id = r.dps_id AND m.status = 'approved'
                          AND m.provider_id = i.provider_id AND aw.lot_id = r.lot_id)""",
                "an answer not from its invitation's provider to its request": """
                SELECT 1 FROM brokerage_brokerageresponse w
                  JOIN brokerage_brokerageinvitation i ON i.id = w.invitation_id
                 WHERE i.provider_id <> w.provider_id OR i.request_id <> w.request_id""",
                "an answer not as brokerage_response_record takes it": """
                SELECT 1 FROM brokerage_brokerageresponse w
                  JOIN brokerage_brokeragerequest r ON r.id = w.request_id
                 WHERE w.can_meet <> (w.price_per_unit IS NOT NULL)
                    OR w.can_meet <> (w.start_date IS NOT NULL) OR w.price_per_unit <= 0
                    OR w.received_at < r.sent_at OR w.received_at::date > r.deadline
                    OR w.received_at::date > coalesce(r.closed_on, w.received_at::date)""",
                "an answer's outcome not its request's": """
                SELECT 1 FROM brokerage_brokerageresponse w
                  JOIN brokerage_brokeragerequest r ON r.id = w.request_id
                 WHERE (r.status = 'sent') <> (w.outcome = 'pending')
                    OR (r.status = 'withdrawn') <> (w.outcome = 'closed')
                    OR w.outcome_on IS DISTINCT FROM r.closed_on
                    OR (w.outcome = 'pending') <> (w.outcome_notified_at IS NULL)
                    OR (w.outcome = 'awarded' AND NOT w.can_meet)""",
                "an awarded request without one winner, ranked first": """
                SELECT 1 FROM brokerage_brokeragerequest r
                 WHERE r.status = 'awarded' AND (
                       (SELECT count(*) FROM brokerage_brokerageresponse w
                         WHERE w.request_id = r.id AND w.outcome = 'awarded') <> 1
                    OR EXISTS (SELECT 1 FROM brokerage_brokerageresponse w
                                 JOIN brokerage_brokerageresponse o
                                      ON o.request_id = w.request_id AND o.id <> w.id
                                WHERE w.request_id = r.id AND w.outcome = 'awarded'
                                  AND o.can_meet
                                  AND (o.price_per_unit, o.received_at)
                                      < (w.price_per_unit, w.received_at)))""",
                "an award not bought under a call-off of its lot from the winner": """
                SELECT 1 FROM brokerage_brokeragerequest r
                  JOIN brokerage_brokerageresponse w
                       ON w.request_id = r.id AND w.outcome = 'awarded'
                  JOIN contracts_contract k ON k.id = r.contract_id
                  JOIN referrals_packageline l ON l.id = r.line_id
                  LEFT JOIN contracts_lot lt ON lt.id = l.lot_id
                  LEFT JOIN contracts_award aw
                         ON aw.lot_id = lt.id AND aw.provider_id = w.provider_id
                 WHERE k.kind <> 'dps_call_off' OR k.status <> 'active'
                    OR k.call_off_lot_id <> r.lot_id OR k.dps_id <> r.dps_id
                    OR k.start_date < w.start_date OR lt.contract_id IS DISTINCT FROM k.id
                    OR aw.id IS NULL OR l.funding_route <> 'commissioned'
                    OR l.provider_id <> w.provider_id OR l.unit_rate <> w.price_per_unit""",
            }
        )
        == {}
    )


def test_a_brokerage_request_says_what_the_child_needs_and_not_who_the_child_is(generated):
    from brokerage.identifiers import Identifiers, postcode_district, strip_identifiers
    from brokerage.models import BrokerageRequest
    from brokerage.services.requests import age_band

    requests = list(
        BrokerageRequest.objects.select_related(
            "line__package__child", "line__package__assessment"
        ).prefetch_related("line__package__child__carers")
    )
    assert requests
    for request in requests:
        child = request.line.package.child
        assessment = request.line.package.assessment
        who = Identifiers.of_child(child)
        for text in (request.needs_summary, request.outcomes):
            assert strip_identifiers(text, who) == (text, [])
        assert request.needs_summary == (
            f"{assessment.child_needs}\n\nAreas of need: {child.get_disabilities_display()}."
        )
        assert request.outcomes == assessment.recommended_support
        assert request.removed == []
        assert request.area == postcode_district(child.postcode)
        assert request.age_band == age_band(child.date_of_birth, request.line.start_on)
        assert request.start_date == max(request.line.start_on, request.created_at.date())
