"""National-scale data for the bench, made by PostgreSQL itself (INSERT ... SELECT over
generate_series; the access log by COPY, bench.accesslog_load).

The shape at SCALE=1: 150 councils; 1,000,000 children, each with a carer, a referral and an
assessment; one council of 30,000 children of whom 12,000 have an active package, one of 1,250
with 500; 550,000 packages with 3 million lines, 9.8 million delivery records, 2.4 million
overnight stays, 250,000 grant applications, 20 million access-log rows; bookings of block
places, about one child waiting for a full day for each 50 bookings, and one brokerage request for
each 500 children. SCALE multiplies every council's size; there are always 150 councils.

Every record follows the rules the services enforce, by construction. Each child's journey is
decided by its place in its council (`k`, 1..n): `k mod 20` is its class (the `kid` plan below),
so each council has the same mix:

    0-7   specialist: authorised specialist assessment, package active (40%: the active children)
    8, 9  specialist: package approved, not started / proposed, panel pending
    10    specialist: package withdrawn before it started (ceased)
    11    assessment in progress;   12  assessment completed, waiting for authorisation
    13-15 targeted: a grant approved; 16 grant waiting for a decision; 17 grant declined
    18    universal: signposted at screening;   19 no support, or a referral just received

So a child's tier is what its tier changes say, and agrees with its packages and grants; a package
rests on its child's authorised specialist assessment; a commissioned line is on a lot of a
running contract awarded to its provider, a spot or direct-payment line on no lot; delivery and
overnight stays belong to started packages; a booking or a wait is on the child's own active line
of the places' lot and provider, and a day never has more places taken (bookings, and children
offered a place a cancellation freed) than there are; a brokerage request carries no identifier,
goes to the approved DPS members awarded its lot, and an award goes to the answer ranked first,
bought under its own call-off contract; statuses are the models' own values. The test
(tests/bench/test_generate.py) checks these at a small SCALE, with every foreign key.

Loading: indexes that back no constraint are dropped and made again after the load; the session
runs as a replica (`session_replication_role`), which skips foreign-key and other triggers for its
own inserts only, so it needs a superuser (the embedded server's `postgres`, or CI's). The access
log's chain trigger is one of those triggers: the chains are computed instead (bench.accesslog_load)
and their heads written, so the trigger carries every chain on afterwards.
"""

from __future__ import annotations

import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

GENERATOR_VERSION = 4
COUNCILS = 150
CHILDREN = 1_000_000
BIG_CHILDREN, SMALL_CHILDREN = 30_000, 1_250
BIG, SMALL = "bench-big", "bench-small"
ACCESS_ROWS_PER_CHILD = 20
# As bookings.models: a cancellation fewer days than this before the day is late.
LATE_CANCELLATION_DAYS = 2
# The full days children wait on: in each council, one for each BOOKINGS_PER_WAITING_DAY
# bookings (one or two children each); on one in WAITING_CYCLE of them a booking was cancelled
# and its place offered to the first child waiting.
BOOKINGS_PER_WAITING_DAY, WAITING_CYCLE = 75, 4
# The spot-purchased night lines of approved packages that brokerage looks for a provider for:
# one child in BROKERAGE_EVERY of each council, from the one at BROKERAGE_FIRST.
BROKERAGE_EVERY, BROKERAGE_FIRST = 500, 8

# The session every loading connection runs in. The replica role skips triggers (foreign keys,
# the access log's chain) for this session's own writes only; the scope settings are those of
# system work across every council (shortbreaks.rls), for when row-level security is on.
SESSION_SQL = """
SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SET work_mem = '256MB';
SET jit = off;
SELECT set_config('shortbreaks.all_councils', 'on', false),
       set_config('shortbreaks.council', '', false),
       set_config('shortbreaks.public', '', false);
"""

# The tables the generator fills; their indexes that back no constraint are dropped while it does.
BIG_TABLES = (
    "referrals_child",
    "referrals_carer",
    "referrals_referral",
    "referrals_referralevent",
    "referrals_assessment",
    "referrals_tierchange",
    "referrals_package",
    "referrals_paneldecision",
    "referrals_review",
    "referrals_packageline",
    "referrals_deliveryrecord",
    "referrals_overnightstay",
    "referrals_grantapplication",
    "accesslog_accesslogentry",
)
ACCESS_LOG = "accesslog_accesslogentry"


@dataclass
class CouncilPlan:
    """One council's size and where its rows' ids start (ids are base + 1 .. base + n)."""

    id: int
    slug: str
    name: str
    children: int
    child_base: int
    workers: int
    user_base: int
    teams: int
    team_base: int
    providers: int
    provider_base: int
    contracts: int
    contract_base: int
    access_rows: int
    access_base: int


def plan(scale: float) -> list[CouncilPlan]:
    """150 councils: the big one, the small one, and 148 others of varied size between them."""
    big = max(100, round(BIG_CHILDREN * scale))
    small = max(10, round(SMALL_CHILDREN * scale))
    others = COUNCILS - 2
    rest = max(others * 10, round(CHILDREN * scale) - big - small)
    weights = [0.5 + ((i * 37) % 100) / 100 for i in range(others)]
    total_weight = sum(weights)
    sizes = [(BIG, "Bench Big County Council", big), (SMALL, "Bench Small Borough Council", small)]
    sizes += [
        (
            f"bench-{i + 1:03d}",
            f"Bench Council {i + 1:03d}",
            max(10, round(rest * w / total_weight)),
        )
        for i, w in enumerate(weights)
    ]
    councils = []
    bases = {"child": 0, "user": 0, "team": 0, "provider": 0, "contract": 0, "access": 0}
    for number, (slug, name, children) in enumerate(sizes, 1):
        workers = max(2, math.ceil(children / 150))
        providers = max(4, round(children / 100))
        council = CouncilPlan(
            id=number,
            slug=slug,
            name=name,
            children=children,
            child_base=bases["child"],
            workers=workers,
            user_base=bases["user"],
            teams=math.ceil(workers / 20),
            team_base=bases["team"],
            providers=providers,
            provider_base=bases["provider"],
            contracts=max(3, round(providers / 5)),
            contract_base=bases["contract"],
            access_rows=children * ACCESS_ROWS_PER_CHILD,
            access_base=bases["access"],
        )
        bases["child"] += children
        bases["user"] += workers + 2  # the workers, a team manager and a commissioner
        bases["team"] += council.teams
        bases["provider"] += providers
        bases["contract"] += council.contracts
        bases["access"] += council.access_rows
        councils.append(council)
    return councils


# --- The plan of every child's journey, and the helpers the inserts share ---------------------

FIRST_NAMES = (
    "Oliver Amelia George Isla Harry Ava Noah Mia Jack Ivy Leo Lily Arthur Freya Muhammad Florence "
    "Oscar Willow Charlie Rosie Jacob Sophia Thomas Evie Alfie Grace Theo Poppy Henry Ella Archie "
    "Daisy Joshua Sienna Freddie Harper Isaac Maya Lucas Emily Ethan Isabella Finley Aria Max "
    "Olivia Adam Zara Samuel Ruby Reuben Hannah Logan Layla Mason Ayesha Dylan Chloe Harrison Amira"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood "
    "Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James "
    "Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter "
    "Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson "
    "Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt "
    "Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker "
    "Fisher Stevens Jenkins Murray Dixon Harvey Okafor Nowak Kowalski"
).split()


def _array(words) -> str:
    return "ARRAY[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


FIRST = f"({_array(FIRST_NAMES)})[1 + mod(d.id * 7, {len(FIRST_NAMES)})]"
LAST = f"({_array(LAST_NAMES)})[1 + mod(d.id * 13 + d.id / 97, {len(LAST_NAMES)})]"
CARER_FIRST = f"({_array(FIRST_NAMES)})[1 + mod(d.id * 11 + 5, {len(FIRST_NAMES)})]"

SETUP = """
DROP SCHEMA IF EXISTS bench_gen CASCADE;
CREATE SCHEMA bench_gen;
CREATE UNLOGGED TABLE bench_gen.council (
    id bigint PRIMARY KEY, slug text, name text, children int, child_base bigint, workers int,
    user_base bigint, teams int, team_base bigint, providers int, provider_base bigint,
    contracts int, contract_base bigint, access_rows bigint, access_base bigint,
    awards_active int NOT NULL DEFAULT 0
);
-- A service's unit price: its id says its kind (see the services insert).
CREATE FUNCTION bench_gen.price(s bigint) RETURNS numeric LANGUAGE sql IMMUTABLE
    RETURN (CASE mod(s - 1, 3) WHEN 0 THEN 18 + mod(s, 25)
                              WHEN 1 THEN 180 + mod(s * 7, 150)
                              ELSE 22 + mod(s, 15) END)::numeric(8, 2);
-- The places an award of a block contract holds: 4, or one for each 500 children of a smaller
-- council (so the smallest fill some days, and children wait).
CREATE FUNCTION bench_gen.places(children int) RETURNS int LANGUAGE sql IMMUTABLE
    RETURN greatest(1, least(4, children / 500));
-- How many days ahead bookings are made: four weeks, fewer in a council of under 2,800 children
-- (its few children book the days just ahead, so some days fill).
CREATE FUNCTION bench_gen.booking_days(children int) RETURNS int LANGUAGE sql IMMUTABLE
    RETURN greatest(1, least(28, children / 100));
"""

# Every child's journey, decided once and read by every insert below.
KID_SQL = """
CREATE UNLOGGED TABLE bench_gen.kid0 AS
SELECT c.child_base + k AS id, c.id AS council_id, k, mod(k, 20) AS cls,
       c.user_base + 1 + mod(k, c.workers) AS worker,
       c.user_base + 1 + c.workers AS manager,
       -- Referrals arrive all the time, each class as long ago as its journey needs: an active
       -- package has run 6 months or more (its delivery records go back 5), an approved or
       -- proposed one is recent, and every decision is dated before today.
       %(today)s::date - CASE
            WHEN mod(k, 20) <= 7 THEN 240 + mod(k * 37, 860)
            WHEN mod(k, 20) IN (8, 9) THEN 60 + mod(k * 37, 60)
            WHEN mod(k, 20) IN (11, 12) THEN 20 + mod(k * 7, 40)
            WHEN mod(k, 40) = 19 THEN mod(k, 10)
            ELSE 100 + mod(k * 37, 1000) END AS received_on
  FROM bench_gen.council c, generate_series(1, c.children) AS k;

CREATE UNLOGGED TABLE bench_gen.kid1 AS
SELECT d.*,
       CASE WHEN d.cls <= 12 THEN 'accepted_for_assessment'
            WHEN d.cls <= 17 THEN 'referred_targeted'
            WHEN d.cls = 18 THEN 'signposted_universal'
            WHEN mod(d.k, 40) = 19 THEN 'received'
            ELSE 'no_further_action' END AS ref_status,
       CASE WHEN mod(d.k, 40) = 19 THEN %(today)s::date - 500 - mod(d.k, 200)
            ELSE d.received_on + 3 END AS a_started,
       CASE WHEN d.cls = 11 THEN 'in_progress' WHEN d.cls = 12 THEN 'completed'
            ELSE 'authorised' END AS a_status,
       CASE WHEN d.cls <= 10 OR d.cls = 12 THEN 'specialist'
            WHEN d.cls BETWEEN 13 AND 17 THEN 'targeted'
            WHEN d.cls = 18 THEN 'universal'
            WHEN d.cls = 19 THEN 'no_support'
            ELSE '' END AS outcome,
       CASE WHEN d.cls <= 10 THEN 'specialist'
            WHEN d.cls BETWEEN 13 AND 15 THEN 'targeted'
            WHEN d.cls = 18 THEN 'universal'
            ELSE 'none' END AS tier,
       CASE d.cls WHEN 8 THEN 'approved' WHEN 9 THEN 'proposed' WHEN 10 THEN 'ceased'
            ELSE CASE WHEN d.cls <= 7 THEN 'active' END END AS pk_status
  FROM bench_gen.kid0 d;

CREATE UNLOGGED TABLE bench_gen.kid2 AS
SELECT d.*,
       CASE d.cls WHEN 11 THEN NULL WHEN 12 THEN d.a_started + 10
            ELSE d.a_started + 30 END AS a_completed,
       CASE WHEN d.cls IN (11, 12) THEN NULL ELSE d.a_started + 35 END AS a_authorised
  FROM bench_gen.kid1 d;

CREATE UNLOGGED TABLE bench_gen.kid3 AS
SELECT d.*,
       CASE WHEN d.cls <= 7 OR d.cls = 10 THEN d.a_authorised + 20
            WHEN d.cls = 8 THEN %(today)s::date + 14
            WHEN d.cls = 9 THEN %(today)s::date + 30 END AS pk_start,
       CASE WHEN d.cls IN (13, 14, 15, 17) THEN d.a_authorised + 10
            WHEN d.cls = 16 THEN %(today)s::date - mod(d.k * 7, 120) END AS g_received
  FROM bench_gen.kid2 d;

CREATE UNLOGGED TABLE bench_gen.kid AS
SELECT d.*,
       CASE WHEN d.cls IN (13, 14, 15, 17) THEN d.g_received + 14 END AS g_decided,
       CASE WHEN d.cls <= 7 THEN (d.pk_start + make_interval(months =>
                6 * (m.months / 6 + 1) - CASE WHEN mod(d.k, 13) = 0 THEN 6 ELSE 0 END))::date
            END AS pk_review_due
  FROM bench_gen.kid3 d,
       LATERAL (SELECT (extract(year FROM age(%(today)s::date, d.pk_start)) * 12
                        + extract(month FROM age(%(today)s::date, d.pk_start)))::int AS months) m;
CREATE INDEX ON bench_gen.kid (id);
DROP TABLE bench_gen.kid0, bench_gen.kid1, bench_gen.kid2, bench_gen.kid3;
ANALYZE bench_gen.kid;
"""
# One statement at a time: statements with parameters cannot be sent together.
KID = tuple(statement.strip() for statement in KID_SQL.split(";\n") if statement.strip())

NOW = "%(now)s::timestamptz"

# The ids of the call-off contracts brokerage awards (and of their lots and awards): this plus
# the request's, above every contract the councils hold.
CALL_OFF = 1_000_000_000
# The labels of the disability codes the children have (referrals.models.Disability).
DISABILITY_LABELS = ", ".join(
    f"('{code}', '{label}')"
    for code, label in (
        ("MOB", "Mobility"),
        ("PC", "Personal care"),
        ("COMM", "Communication"),
        ("LD", "Learning"),
        ("HEAR", "Hearing"),
        ("BEH", "Behaviour"),
        ("AUT", "Autism or Asperger syndrome"),
    )
)


@dataclass(frozen=True)
class Insert:
    table: str
    columns: str
    select: str

    @property
    def sql(self) -> str:
        return f"INSERT INTO {self.table} ({self.columns})\n{self.select}"


# The lines that want a booking: one night or session in the next four weeks (the next few days
# in a council of under 2,800 children, bench_gen.booking_days) on each active package's
# commissioned line on a block lot of a running contract, as the booking service would
# take it: the child's own line on the places' lot and provider, the contract running past the
# day. Numbered on each day of each award's places (`n`, first come first served), with how many
# want the day (`wanted`), whether children wait on it (`waiting_day`: full, and among the
# council's first full days, one for each BOOKINGS_PER_WAITING_DAY bookings) and whether one of
# its bookings was cancelled and the place offered (`offer_day`, one waiting day in WAITING_CYCLE).
BOOKINGS_WANTED = f"""SELECT w.*,
       w.wanted > w.places
       AND w.day_rank <= ceil(w.council_booked / {BOOKINGS_PER_WAITING_DAY}.0) AS waiting_day,
       mod(w.day_rank + w.council_id, {WAITING_CYCLE}) = 0 AS offer_day
  FROM (SELECT v.*,
               count(*) FILTER (WHERE v.n <= v.places) OVER (PARTITION BY v.council_id)
                   AS council_booked,
               dense_rank() OVER (PARTITION BY v.council_id
                                  ORDER BY v.wanted <= v.places,
                                           mod(v.places_id * 13 + v.ahead * 7, 97),
                                           v.places_id, v.day) AS day_rank
          FROM (SELECT l.id AS line_id, p.child_id, l.council_id, bp.id AS places_id,
                       bp.places, d.worker, x.day,
                       row_number() OVER (PARTITION BY bp.id, x.day ORDER BY l.id) AS n,
                       count(*) OVER (PARTITION BY bp.id, x.day) AS wanted,
                       x.day - %(today)s::date AS ahead
                  FROM referrals_packageline l
                  JOIN referrals_package p ON p.id = l.package_id
                  JOIN bookings_blockplaces bp
                       ON bp.lot_id = l.lot_id AND bp.provider_id = l.provider_id
                  JOIN contracts_contract k ON k.id = bp.contract_id
                  JOIN bench_gen.kid d ON d.id = l.package_id
                  JOIN bench_gen.council c ON c.id = l.council_id,
                       LATERAL (SELECT %(today)s::date + 1
                                       + mod(l.id, bench_gen.booking_days(c.children))::int
                                       AS day) x
                 WHERE p.status = 'active' AND k.status IN ('active', 'extended')
                   AND k.end_date >= x.day AND l.start_on <= x.day
                   AND (l.end_on IS NULL OR l.end_on >= x.day)
                   AND (p.end_on IS NULL OR p.end_on >= x.day)) v) w"""

# The council's people, teams and suppliers, then the children and their journeys.
INSERTS = (
    Insert(
        "councils_council",
        "id, slug, name",
        "SELECT id, slug, name FROM bench_gen.council",
    ),
    Insert(
        "councils_user",
        "id, password, last_login, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined, active_council_id",
        f"""SELECT c.user_base + 1 + w, '!bench-unusable', NULL, false, u.name,
                  'Bench', CASE WHEN w = 0 THEN 'User' ELSE 'Worker ' || w END, u.name,
                  false, true, {NOW}, c.id
             FROM bench_gen.council c, generate_series(0, c.workers + 1) AS w,
                  LATERAL (SELECT CASE WHEN w = 0 THEN 'bench@' || c.slug || '.example'
                                       WHEN w = c.workers THEN 'team-manager@' || c.slug
                                            || '.example'
                                       WHEN w = c.workers + 1 THEN 'commissioner@' || c.slug
                                            || '.example'
                                       ELSE 'worker-' || w || '@' || c.slug || '.example'
                                  END AS name) u""",
    ),
    Insert(
        "councils_organisation",
        "id, name, tiers, council_id",
        """SELECT c.id, c.name || ' children''s services',
                  '["universal", "targeted", "specialist"]'::jsonb, c.id
             FROM bench_gen.council c""",
    ),
    Insert(
        "councils_team",
        "id, name, council_id, organisation_id",
        """SELECT c.team_base + 1 + t, 'Disabled children''s team ' || (t + 1), c.id, c.id
             FROM bench_gen.council c, generate_series(0, c.teams - 1) AS t""",
    ),
    # Workers are social workers; the first of each council (bench@) holds every role, as the
    # bench's people do; then a team manager and a commissioner who manages the contracts.
    Insert(
        "councils_membership",
        "role, council_id, user_id, organisation_id, team_id",
        """SELECT r.role, c.id, c.user_base + 1 + w, c.id,
                  c.team_base + 1 + least(w / 20, c.teams - 1)
             FROM bench_gen.council c, generate_series(0, c.workers + 1) AS w,
                  LATERAL unnest(CASE
                      WHEN w = 0 THEN ARRAY['auditor', 'commissioner', 'contract_manager',
                                            'council_admin', 'finance_officer', 'social_worker',
                                            'team_manager']
                      WHEN w = c.workers THEN ARRAY['team_manager']
                      WHEN w = c.workers + 1 THEN ARRAY['commissioner', 'contract_manager']
                      ELSE ARRAY['social_worker'] END) AS r(role)""",
    ),
    Insert(
        "providers_provider",
        "id, name, companies_house_number, charity_number, address, postcode, contact_name, "
        "contact_email, contact_phone, website, status, status_date, status_reason, updated_at, "
        "council_id",
        f"""SELECT c.provider_base + 1 + p,
                  'Provider ' || lpad((p + 1)::text, 3, '0') || ' '
                      || (ARRAY['Care', 'Breaks', 'Play', 'Respite', 'Family Support'])
                         [1 + mod(p, 5)],
                  lpad((c.provider_base + 1 + p)::text, 8, '0'), '',
                  (p + 1) || ' High Street', 'B' || (1 + mod(p, 40)) || ' 1AA',
                  'Manager ' || (p + 1),
                  'contact@provider-' || (c.provider_base + 1 + p) || '.example.org',
                  '0121 496 ' || lpad(mod(p, 10000)::text, 4, '0'),
                  'https://provider-' || (c.provider_base + 1 + p) || '.example.org',
                  CASE WHEN mod(p, 25) = 24 THEN 'suspended' ELSE 'active' END,
                  CASE WHEN mod(p, 25) = 24 THEN %(today)s::date - 60 END,
                  CASE WHEN mod(p, 25) = 24 THEN 'Safeguarding concerns under review.' ELSE '' END,
                  {NOW}, c.id
             FROM bench_gen.council c, generate_series(0, c.providers - 1) AS p""",
    ),
    Insert(
        "providers_registration",
        "regulator, number, service_type, latest_rating, rating_date, council_id, provider_id",
        """SELECT CASE WHEN mod(p.id, 2) = 0 THEN 'ofsted' ELSE 'cqc' END,
                  'SC' || lpad(p.id::text, 6, '0'), 'Children''s home', 'Good',
                  %(today)s::date - mod(p.id::int, 700), p.council_id, p.id
             FROM providers_provider p""",
    ),
    # Three services per provider; the id says which: (provider id - 1) * 3 + 1 + j, with j 0 a
    # specialist day service by the hour, 1 a specialist overnight service by the night, 2 a
    # targeted or universal club by the session (bench_gen.price follows the same rule).
    Insert(
        "providers_service",
        "id, title, description, tier, categories, setting, ratios, age_from, age_to, areas, "
        '"when", price_unit, price, capacity_available, capacity_maximum, capacity_unit, '
        "capacity_updated_at, accessibility, how_to_access, updated_at, council_id, provider_id",
        f"""SELECT s.id,
                  (ARRAY['Specialist day care', 'Overnight short breaks', 'Saturday club'])[1 + j]
                      || ' with ' || p.name,
                  (ARRAY['One-to-one and small group care in the day, at home or outside.',
                         'Overnight stays in a registered short breaks home.',
                         'Play and leisure sessions at weekends and in the holidays.'])[1 + j],
                  CASE j WHEN 2 THEN (CASE WHEN mod(p.id, 2) = 0 THEN 'targeted'
                                           ELSE 'universal' END)
                         ELSE 'specialist' END,
                  (ARRAY['["daytime_care"]', '["overnight_care"]',
                         '["educational_leisure", "evenings_weekends_holidays"]'])[1 + j]::jsonb,
                  (ARRAY['community', 'residential', 'community'])[1 + j],
                  (ARRAY['["1:1", "2:1"]', '["1:1"]', '["1:3"]'])[1 + j]::jsonb,
                  (ARRAY[0, 5, 8])[1 + j], 18, 'North, South, East and West',
                  (ARRAY['["after_school", "weekends"]', '["overnight"]',
                         '["weekends", "school_holidays"]'])[1 + j]::jsonb,
                  (ARRAY['hour', 'night', 'session'])[1 + j], bench_gen.price(s.id),
                  mod(s.id, 6)::int, 6, (ARRAY['places', 'beds', 'places'])[1 + j], {NOW},
                  'Step-free access and a changing places toilet.',
                  CASE j WHEN 2 THEN 'Book with the provider.'
                         ELSE 'Ask your social worker for an assessment.' END,
                  {NOW}, p.council_id, p.id
             FROM providers_provider p, generate_series(0, 2) AS j,
                  LATERAL (SELECT (p.id - 1) * 3 + 1 + j AS id) s""",
    ),
    Insert(
        "contracts_dps",
        "id, title, categories, start_date, end_date, status, open_to_applications, council_id",
        """SELECT c.id, 'Short breaks dynamic purchasing system',
                  'Day care' || chr(10) || 'Overnight care' || chr(10) || 'Leisure',
                  %(today)s::date - 1100, NULL, 'active', true, c.id
             FROM bench_gen.council c""",
    ),
    Insert(
        "contracts_dpsmembership",
        "status, status_date, check_registration, check_insurance, check_safeguarding_policy, "
        "check_dbs, check_financial_standing, council_id, dps_id, provider_id",
        """SELECT m.status, %(today)s::date - 200 - mod(p.id::int, 400),
                  m.status <> 'applied', true, m.status <> 'applied', true, true,
                  p.council_id, p.council_id, p.id
             FROM providers_provider p,
                  LATERAL (SELECT CASE mod(p.id, 10) WHEN 8 THEN 'suspended' WHEN 6 THEN 'applied'
                                       ELSE 'approved' END AS status) m
            WHERE mod(p.id, 2) = 0""",
    ),
    Insert(
        "contracts_dpsmembershipevent",
        'kind, from_status, to_status, "on", reason, params, at, actor_id, council_id, '
        "membership_id",
        """SELECT e.kind, e.from_status, e.to_status, m.status_date - e.days_before, e.reason,
                  '{}'::jsonb, (m.status_date - e.days_before)::timestamptz + interval '10 hours',
                  c.user_base + c.workers + 2, m.council_id, m.id
             FROM contracts_dpsmembership m JOIN bench_gen.council c ON c.id = m.council_id,
                  LATERAL (VALUES ('applied', '', 'applied', 60, 'Applied to join.', 1),
                                  ('start_assessment', 'applied', 'under_assessment', 40, '', 2),
                                  ('approve', 'under_assessment', 'approved', 20,
                                   'Checks complete.', 3),
                                  ('suspend', 'approved', 'suspended', 0, 'Quality concerns.', 4))
                          AS e(kind, from_status, to_status, days_before, reason, step)
            WHERE e.step <= CASE m.status WHEN 'applied' THEN 1 WHEN 'approved' THEN 3
                                          ELSE 4 END""",
    ),
    # Contracts: ids contract_base + 1 + ck; most running, each tenth expired, each tenth extended.
    Insert(
        "contracts_contract",
        "id, reference, title, kind, status, procurement_route, start_date, end_date, "
        "max_extent_date, annual_value, total_value, recommissioning_started_on, updated_at, "
        "contract_manager_id, council_id, dps_id",
        f"""SELECT c.contract_base + 1 + ck,
                  'BENCH-' || c.id || '-' || lpad((ck + 1)::text, 3, '0'),
                  (ARRAY['Specialist day care', 'Overnight short breaks', 'Holiday play schemes'])
                      [1 + mod(ck, 3)] || ' contract ' || (ck + 1),
                  (ARRAY['block', 'framework', 'dps_call_off'])[1 + mod(ck, 3)],
                  st.status, 'Open procedure', %(today)s::date - 365 - mod(ck * 53, 700),
                  st.end_date, st.end_date + 730, 100000 + 5000 * mod(ck, 40),
                  (100000 + 5000 * mod(ck, 40)) * 4, NULL, {NOW},
                  c.user_base + c.workers + 2, c.id,
                  CASE WHEN mod(ck, 3) = 2 THEN c.id END
             FROM bench_gen.council c, generate_series(0, c.contracts - 1) AS ck,
                  LATERAL (SELECT CASE mod(ck, 10) WHEN 9 THEN 'expired' WHEN 8 THEN 'extended'
                                       ELSE 'active' END AS status,
                                  CASE mod(ck, 10) WHEN 9 THEN %(today)s::date - 30 - mod(ck, 300)
                                       ELSE %(today)s::date + 90 + mod(ck * 31, 700)
                                  END AS end_date) st""",
    ),
    Insert(
        "contracts_contractevent",
        "at, kind, params, actor_id, contract_id, council_id",
        """SELECT (k.start_date - 30)::timestamptz + interval '9 hours', 'created',
                  '{}'::jsonb, k.contract_manager_id, k.id, k.council_id
             FROM contracts_contract k""",
    ),
    Insert(
        "contracts_lot",
        "id, number, name, description, contract_id, council_id",
        """SELECT (k.id - 1) * 2 + 1 + l, l + 1,
                  (ARRAY['Day care', 'Overnight care'])[1 + l], '', k.id, k.council_id
             FROM contracts_contract k, generate_series(0, 1) AS l""",
    ),
    # Three providers awarded each lot: distinct within the lot (a council has 4 or more).
    Insert(
        "contracts_award",
        "id, rates, capacity, value, council_id, provider_id, lot_id",
        """SELECT (lt.id - 1) * 3 + 1 + a, '£' || (20 + a) || '.50 an hour',
                  bench_gen.places(c.children)
                      || CASE bench_gen.places(c.children) WHEN 1 THEN ' place' ELSE ' places' END,
                  50000 + 1000 * a, lt.council_id,
                  c.provider_base + 1
                      + mod((k.id - c.contract_base - 1) * 6 + (lt.number - 1) * 3 + a,
                            c.providers),
                  lt.id
             FROM contracts_lot lt JOIN contracts_contract k ON k.id = lt.contract_id
                  JOIN bench_gen.council c ON c.id = lt.council_id, generate_series(0, 2) AS a""",
    ),
    # Each lot offers its awarded providers' service of its kind (day for lot 1, nights for 2).
    Insert(
        "contracts_lot_services",
        "lot_id, service_id",
        """SELECT aw.lot_id, (aw.provider_id - 1) * 3 + lt.number
             FROM contracts_award aw JOIN contracts_lot lt ON lt.id = aw.lot_id""",
    ),
    # The places each award of a block contract pays for: 4 a session of 3 hours (day care, lot
    # 1) or 4 beds a night (overnight care, lot 2), fewer in a council of under 2,000 children
    # (bench_gen.places), as the awards' capacity says.
    Insert(
        "bookings_blockplaces",
        "id, unit, places, hours_per_session, updated_at, award_id, contract_id, council_id, "
        "lot_id, provider_id, set_by_id",
        f"""SELECT aw.id, CASE lt.number WHEN 2 THEN 'night' ELSE 'session' END,
                  split_part(aw.capacity, ' ', 1)::int,
                  CASE lt.number WHEN 2 THEN NULL ELSE 3.00 END, {NOW}, aw.id, k.id,
                  aw.council_id, lt.id, aw.provider_id, NULL
             FROM contracts_award aw JOIN contracts_lot lt ON lt.id = aw.lot_id
                  JOIN contracts_contract k ON k.id = lt.contract_id
            WHERE k.kind = 'block'""",
    ),
    Insert(
        "contracts_extension",
        "status, new_end_date, added_value, rationale, alternatives_considered, risks, "
        "legal_basis, created_at, submitted_at, decision, decision_maker, decided_on, "
        "key_decision, decided_despite_refusal, decision_note, previous_end_date, "
        "previous_total_value, contract_id, council_id, requested_by_id",
        """SELECT 'approved', k.end_date, 100000, 'Time to recommission the service.',
                  'A new tender now.', 'A gap in provision.', 'pcr_modification',
                  (%(today)s::date - 200)::timestamptz, (%(today)s::date - 190)::timestamptz,
                  'approve', 'Director of Children''s Services', %(today)s::date - 180, false,
                  false, '', k.end_date - 365, k.total_value - 100000, k.id, k.council_id,
                  k.contract_manager_id
             FROM contracts_contract k WHERE k.status = 'extended'""",
    ),
    Insert(
        "contracts_extensionapproval",
        "role, name, decision, decided_on, comment, recorded_at, council_id, extension_id, "
        "recorded_by_id",
        """SELECT r.role, initcap(r.role) || ' lead', 'approve', e.decided_on - 5, '',
                  e.decided_on::timestamptz, e.council_id, e.id, e.requested_by_id
             FROM contracts_extension e,
                  unnest(ARRAY['finance', 'legal', 'procurement']) AS r(role)""",
    ),
    Insert(
        "contracts_monitoringrecord",
        "kind, held_on, period, summary, sessions_delivered, sessions_target, "
        "hours_not_delivered, reason_not_delivered, provider_response, sanction_considered, "
        "sanction_outcome, contract_id, council_id, recorded_by_id",
        """SELECT (ARRAY['kpi_return', 'qa_visit', 'performance_meeting', 'kpi_return'])[1 + q],
                  %(today)s::date - 45 - 91 * q, 'Quarter ' || (4 - q), 'Delivery on track.',
                  90 + mod(k.id::int + q, 10), 100, 6.5, 'Staff sickness.', 'Recruiting.', '', '',
                  k.id, k.council_id, k.contract_manager_id
             FROM contracts_contract k, generate_series(0, 3) AS q""",
    ),
    Insert(
        "contracts_contractspend",
        "financial_year, amount, contract_id, council_id",
        """SELECT %(fy)s - 1 - y, k.annual_value * (0.9 + 0.05 * y), k.id, k.council_id
             FROM contracts_contract k, generate_series(0, 1) AS y""",
    ),
    Insert(
        "contracts_spendline",
        "financial_year, package_type, budget, outturn, council_id",
        """SELECT %(fy)s - 1 + y, t.kind, 100 * c.children * t.share,
                  CASE WHEN y = 0 THEN 104 * c.children * t.share END, c.id
             FROM bench_gen.council c, generate_series(0, 1) AS y,
                  (VALUES ('commissioned', 5), ('spot_purchased', 2), ('home_care', 2),
                          ('direct_payments', 3)) AS t(kind, share)""",
    ),
    Insert(
        "audits_auditreport",
        "id, title, period_start, period_end, auditor, report_date, rating, summary, "
        "created_at, council_id, created_by_id, follow_up_of_id",
        """SELECT c.id * 2 - 1 + r,
                  CASE r WHEN 0 THEN 'Short breaks commissioning'
                         ELSE 'Short breaks commissioning: follow-up' END,
                  make_date(%(fy)s - 2 + r, 4, 1), make_date(%(fy)s - 1 + r, 3, 31),
                  'Internal Audit', make_date(%(fy)s - 1 + r, 6, 30),
                  CASE r WHEN 0 THEN 'limited' ELSE 'reasonable' END, 'Findings and actions.',
                  make_date(%(fy)s - 1 + r, 6, 30)::timestamptz, c.id, c.user_base + 1,
                  CASE r WHEN 1 THEN c.id * 2 - 1 END
             FROM bench_gen.council c, generate_series(0, 1) AS r""",
    ),
    Insert(
        "audits_recommendation",
        "reference, text, priority, management_action, owner_name, review_date, review_note, "
        "status, status_date, created_at, updated_at, council_id, owner_id, report_id",
        f"""SELECT 'R' || (n + 1), 'Keep the contracts register complete and current.',
                  (ARRAY['fundamental', 'significant', 'merits_attention'])[1 + mod(n, 3)],
                  'Monthly check of the register.', 'Head of commissioning',
                  a.report_date + 180 + 30 * n, '',
                  (ARRAY['open', 'in_progress', 'complete'])[1 + mod(n + a.id::int, 3)],
                  a.report_date + 10, a.report_date::timestamptz, {NOW}, a.council_id,
                  c.user_base + c.workers + 2, a.id
             FROM audits_auditreport a JOIN bench_gen.council c ON c.id = a.council_id,
                  generate_series(0, 5) AS n""",
    ),
    Insert(
        "audits_recommendationevent",
        'kind, from_status, to_status, "on", note, params, at, actor_id, council_id, '
        "recommendation_id",
        """SELECT 'recorded', '', 'open', a.report_date, 'Recorded from ' || a.title || '.',
                  jsonb_build_object('report', a.title, 'report_id', a.id), r.created_at,
                  r.owner_id, r.council_id, r.id
             FROM audits_recommendation r JOIN audits_auditreport a ON a.id = r.report_id""",
    ),
    Insert(
        "referrals_grantscheme",
        "id, name, year, eligibility_criteria, max_amount, council_id",
        """SELECT c.id * 2 - 1 + y, 'Short breaks grant', %(fy)s - 1 + y,
                  'Disabled children and young people aged 0 to 18 who live in the area and need '
                  'some extra help to take part in activities.', 600, c.id
             FROM bench_gen.council c, generate_series(0, 1) AS y""",
    ),
    # --- The children and their journeys (bench_gen.kid) ---
    Insert(
        "referrals_child",
        "id, first_name, last_name, date_of_birth, council_child_id, nhs_number, upn, address, "
        "postcode, disabilities, communication_needs, school, tier, created_at, updated_at, "
        "council_id, keyworker_id",
        f"""SELECT d.id, {FIRST}, {LAST},
                  %(today)s::date - (365 * (2 + mod(d.id, 16)) + mod(d.id * 3, 365))::int,
                  'BC' || lpad(d.k::text, 7, '0'),
                  CASE WHEN chk.c = 10 THEN '' WHEN chk.c = 11 THEN n.s || '0'
                       ELSE n.s || chk.c END,
                  '', d.k || ' ' || (ARRAY['Station', 'Church', 'Park', 'Mill', 'Victoria'])
                      [1 + mod(d.id, 5)] || ' Road',
                  'B' || (1 + mod(d.id, 40)) || ' ' || (1 + mod(d.id / 40, 9))
                      || chr(65 + mod(d.id, 26)::int) || chr(65 + mod(d.id / 26, 26)::int),
                  (ARRAY['["LD", "AUT"]', '["COMM"]', '["MOB", "PC"]', '["BEH"]', '["HEAR"]'])
                      [1 + mod(d.id, 5)]::jsonb,
                  CASE WHEN mod(d.id, 3) = 0 THEN 'Uses Makaton and a picture timetable.'
                       ELSE '' END,
                  'Bench ' || (ARRAY['Primary', 'Academy', 'Special School'])[1 + mod(d.id, 3)],
                  d.tier, d.received_on::timestamptz, d.received_on::timestamptz, d.council_id,
                  d.worker
             FROM bench_gen.kid d,
                  LATERAL (SELECT (400000000 + d.id)::text AS s) n,
                  LATERAL (SELECT 11 - mod(substr(n.s, 1, 1)::int * 10 + substr(n.s, 2, 1)::int * 9
                      + substr(n.s, 3, 1)::int * 8 + substr(n.s, 4, 1)::int * 7
                      + substr(n.s, 5, 1)::int * 6 + substr(n.s, 6, 1)::int * 5
                      + substr(n.s, 7, 1)::int * 4 + substr(n.s, 8, 1)::int * 3
                      + substr(n.s, 9, 1)::int * 2, 11) AS c) chk""",
    ),
    Insert(
        "referrals_carer",
        "id, name, relationship, contact, own_needs, council_id, child_id, account_id",
        f"""SELECT d.id, {CARER_FIRST} || ' ' || {LAST},
                  (ARRAY['mother', 'father', 'grandmother', 'foster carer'])[1 + mod(d.id, 4)],
                  '07700 9' || lpad(mod(d.id, 100000)::text, 5, '0'),
                  CASE WHEN mod(d.id, 4) = 0 THEN 'Works nights; needs weekend breaks.' ELSE '' END,
                  d.council_id, d.id, NULL
             FROM bench_gen.kid d""",
    ),
    Insert(
        "referrals_referral",
        "id, received_on, source, referrer, request, primary_need, status, status_date, "
        "created_at, child_id, council_id, created_by_id",
        """SELECT d.id, d.received_on,
                  (ARRAY['1A', '2A', '3A', '3F', '5A', '5D'])[1 + mod(d.id, 6)],
                  'School SENCo', 'Short breaks to give the family time to rest.',
                  CASE WHEN mod(d.id, 10) = 0 THEN 'N3' ELSE 'N2' END, d.ref_status,
                  CASE WHEN d.ref_status = 'received' THEN d.received_on ELSE d.received_on + 1 END,
                  d.received_on::timestamptz + interval '10 hours', d.id, d.council_id, d.worker
             FROM bench_gen.kid d""",
    ),
    # received; then screening and its outcome, on the status date, as referral_transition does
    Insert(
        "referrals_referralevent",
        'kind, from_status, to_status, "on", reason, params, at, actor_id, council_id, referral_id',
        """SELECT e.kind, e.from_status, e.to_status, d.received_on + e.days, e.reason,
                  '{}'::jsonb,
                  d.received_on::timestamptz + interval '10 hours' + e.days * interval '1 day'
                      + e.step * interval '1 minute',
                  d.worker, d.council_id, d.id
             FROM bench_gen.kid d,
                  LATERAL (VALUES (1, 'received', '', 'received', 0, ''),
                                  (2, 'screen', 'received', 'screening', 0, ''),
                                  (3, CASE d.ref_status
                                          WHEN 'accepted_for_assessment'
                                              THEN 'accept_for_assessment'
                                          WHEN 'signposted_universal' THEN 'signpost_universal'
                                          WHEN 'referred_targeted' THEN 'refer_targeted'
                                          ELSE d.ref_status END,
                                   'screening', d.ref_status, 1, 'Decided at screening.'))
                          AS e(step, kind, from_status, to_status, days, reason)
            WHERE e.step = 1 OR d.ref_status <> 'received'""",
    ),
    Insert(
        "referrals_assessment",
        "id, status, child_needs, carer_needs, carer_could_continue_without_breaks, "
        "breaks_enable_work, breaks_enable_study, breaks_enable_other_children, "
        "breaks_enable_household, outcome, recommended_support, started_on, completed_on, "
        "authorised_on, created_at, authorised_by_id, completed_by_id, council_id, "
        "started_by_id, child_id, referral_id",
        """SELECT d.id, d.a_status, 'Needs one-to-one support to be safe away from home.',
                  CASE WHEN d.cls = 11 THEN ''
                       ELSE 'The carer is exhausted and needs regular breaks.' END,
                  CASE WHEN d.cls = 11 THEN NULL ELSE false END,
                  CASE WHEN d.cls = 11 THEN NULL ELSE mod(d.id, 2) = 0 END,
                  CASE WHEN d.cls = 11 THEN NULL ELSE false END,
                  CASE WHEN d.cls = 11 THEN NULL ELSE mod(d.id, 3) = 0 END,
                  CASE WHEN d.cls = 11 THEN NULL ELSE true END,
                  d.outcome,
                  CASE WHEN d.cls = 11 THEN '' ELSE 'Short breaks as the outcome says.' END,
                  d.a_started, d.a_completed, d.a_authorised,
                  d.a_started::timestamptz + interval '9 hours',
                  CASE WHEN d.a_authorised IS NOT NULL THEN d.manager END,
                  CASE WHEN d.a_completed IS NOT NULL THEN d.worker END,
                  d.council_id, d.worker, d.id, CASE WHEN d.cls <= 12 THEN d.id END
             FROM bench_gen.kid d""",
    ),
    Insert(
        "referrals_tierchange",
        'from_tier, to_tier, "on", reason, at, child_id, council_id, decided_by_id',
        """SELECT 'none', d.tier, t.on_date, t.reason, t.on_date::timestamptz + interval '12 hours',
                  d.id, d.council_id, d.manager
             FROM bench_gen.kid d,
                  LATERAL (SELECT CASE d.tier
                                      WHEN 'specialist' THEN d.a_authorised
                                      WHEN 'targeted' THEN d.g_received + 14
                                      ELSE d.received_on + 1 END AS on_date,
                                  CASE d.tier
                                      WHEN 'specialist' THEN 'Assessment authorised: needs '
                                           'specialist short breaks.'
                                      WHEN 'targeted' THEN 'Targeted short breaks grant approved.'
                                      ELSE 'Signposted to universal services.' END AS reason) t
            WHERE d.tier <> 'none'""",
    ),
    Insert(
        "referrals_grantapplication",
        "id, answers, received_on, status, amount, decline_reason, decided_on, payment_status, "
        "review_on, created_at, child_id, council_id, decided_by_id, scheme_id",
        """SELECT d.id, '{}'::jsonb, d.g_received, g.status,
                  CASE WHEN g.status = 'approved' THEN 400 + 50 * mod(d.id, 5) END,
                  CASE WHEN g.status = 'declined' THEN 'Needs are met by universal services.'
                       ELSE '' END,
                  d.g_decided,
                  CASE WHEN g.status <> 'approved' THEN 'not_due'
                       WHEN mod(d.id, 2) = 0 THEN 'paid' ELSE 'awaiting_payment' END,
                  CASE WHEN g.status = 'approved' THEN d.g_decided + 365 END,
                  d.g_received::timestamptz + interval '11 hours', d.id, d.council_id,
                  CASE WHEN g.status <> 'received' THEN d.manager END,
                  d.council_id * 2 - CASE WHEN d.g_received >= make_date(%(fy)s, 4, 1) THEN 0
                                          ELSE 1 END
             FROM bench_gen.kid d,
                  LATERAL (SELECT CASE d.cls WHEN 16 THEN 'received' WHEN 17 THEN 'declined'
                                       ELSE 'approved' END AS status) g
            WHERE d.cls BETWEEN 13 AND 17""",
    ),
    Insert(
        "referrals_package",
        "id, status, start_on, end_on, review_interval_months, next_review_due, created_at, "
        "assessment_id, child_id, council_id, created_by_id",
        """SELECT d.id, d.pk_status, d.pk_start,
                  CASE WHEN d.cls = 10 THEN d.a_authorised + 30 END, 6, d.pk_review_due,
                  (d.a_authorised + 5)::timestamptz, d.id, d.id, d.council_id, d.worker
             FROM bench_gen.kid d WHERE d.cls <= 10""",
    ),
    Insert(
        "referrals_paneldecision",
        "id, decision, reasons, decided_on, members, at, council_id, package_id, recorded_by_id",
        """SELECT d.id, CASE WHEN d.cls = 9 THEN 'deferred' ELSE 'approved' END,
                  'Needs meet the criteria for specialist short breaks.', d.a_authorised + 15,
                  '["Head of service", "Finance business partner", "Health lead"]'::jsonb,
                  (d.a_authorised + 15)::timestamptz + interval '15 hours', d.council_id, d.id,
                  d.manager
             FROM bench_gen.kid d
            WHERE d.cls <= 8 OR d.cls = 10 OR (d.cls = 9 AND mod(d.k, 40) < 20)""",
    ),
    Insert(
        "referrals_review",
        "due_on, held_on, outcome, reasons, family_views, family_told_on, at, council_id, "
        "package_id, reassessment_id, recorded_by_id",
        """SELECT r.held, r.held, 'continue', 'Support is working well.',
                  'The family want the support to continue.', r.held + 3,
                  r.held::timestamptz + interval '14 hours', d.council_id, d.id, NULL, d.worker
             FROM bench_gen.kid d,
                  LATERAL (SELECT (d.pk_review_due - interval '6 months')::date AS held) r
            WHERE d.cls <= 7 AND mod(d.k, 3) = 0 AND r.held > d.pk_start""",
    ),
    # Lines, ids package * 8 + j: j mod 3 = 0 commissioned on an awarded lot of a running
    # contract (a day or night service as the lot says), 1 spot-purchased nights, 2 a direct
    # payment for sessions. Hours a week, or nights a year for a service priced by the night.
    Insert(
        "referrals_packageline",
        "id, funding_route, ratio, hours_per_week, nights_per_year, unit_rate, start_on, end_on, "
        "council_id, lot_id, package_id, provider_id, service_id",
        """SELECT d.id * 8 + j, x.route, (ARRAY['1:1', '2:1', '1:2', '1:3'])[1 + mod(d.id + j, 4)],
                  CASE WHEN mod(x.service - 1, 3) = 1 THEN NULL
                       ELSE (2 + mod(d.id + j, 10) + 0.5 * mod(j, 2))::numeric(6, 2) END,
                  CASE WHEN mod(x.service - 1, 3) = 1 THEN 12 + mod(d.id + j, 40) END,
                  bench_gen.price(x.service), d.pk_start, NULL, d.council_id, x.lot, d.id,
                  x.provider, x.service
             FROM bench_gen.kid d JOIN bench_gen.council c ON c.id = d.council_id
                  CROSS JOIN LATERAL generate_series(0, 2 + mod(d.k, 6)) AS j
                  CROSS JOIN LATERAL (SELECT CASE WHEN mod(j, 3) = 0
                                             THEN mod(d.id * 7 + j, c.awards_active) END AS a) pick
                  LEFT JOIN bench_gen.award_pick aw
                         ON aw.council_id = d.council_id AND aw.a = pick.a
                  CROSS JOIN LATERAL (SELECT c.provider_base + 1
                                             + mod(d.id * (11 + mod(j, 3)) + j, c.providers)
                                             AS provider) pp
                  CROSS JOIN LATERAL (SELECT
                      CASE mod(j, 3) WHEN 0 THEN 'commissioned' WHEN 1 THEN 'spot_purchase'
                           ELSE 'direct_payment' END AS route,
                      CASE WHEN mod(j, 3) = 0 THEN aw.lot_id END AS lot,
                      CASE WHEN mod(j, 3) = 0 THEN aw.provider_id ELSE pp.provider END AS provider,
                      CASE mod(j, 3) WHEN 0 THEN (aw.provider_id - 1) * 3 + aw.lot_number
                                     WHEN 1 THEN (pp.provider - 1) * 3 + 2
                                     ELSE (pp.provider - 1) * 3 + 3 END AS service) x
            WHERE d.cls <= 10""",
    ),
    # A booking of one night or session in the next four weeks on each active package's
    # commissioned line on a block lot of a running contract, as the booking service would take
    # it (BOOKINGS_WANTED), never more bookings on a day than the places. On a day children wait
    # on that is picked for an offer (`offer_day`), the first booking was cancelled and its place
    # offered to the first child waiting (the waiting-list insert below).
    Insert(
        "bookings_booking",
        "first_day, last_day, status, booked_at, cancelled_on, cancelled_late, cancel_reason, "
        "delivered_on, booked_by_id, cancelled_by_id, child_id, council_id, delivered_by_id, "
        "delivery_id, line_id, places_id",
        f"""SELECT b.day, b.day, CASE WHEN b.cancelled THEN 'cancelled' ELSE 'booked' END, {NOW},
                  CASE WHEN b.cancelled THEN %(today)s::date END,
                  b.cancelled AND b.day - %(today)s::date < {LATE_CANCELLATION_DAYS},
                  CASE WHEN b.cancelled THEN 'The family are away on this day after all.'
                       ELSE '' END,
                  NULL, b.worker, CASE WHEN b.cancelled THEN b.worker END,
                  b.child_id, b.council_id, NULL, NULL, b.line_id, b.places_id
             FROM (SELECT w.*, w.n = 1 AND w.offer_day AND w.waiting_day AS cancelled
                     FROM ({BOOKINGS_WANTED}) w) b
            WHERE b.n <= b.places""",
    ),
    # The children the full days left out wait for a place (two a day at most), on one full day
    # of a council for each BOOKINGS_PER_WAITING_DAY bookings; on a day with a cancellation the
    # first of them was offered the freed place, and holds it, as the cancellation offers it.
    Insert(
        "bookings_waitinglistentry",
        "first_day, last_day, status, added_at, offered_at, withdrawn_reason, added_by_id, "
        "booking_id, child_id, council_id, line_id, offered_after_id, places_id",
        f"""SELECT w.day, w.day, CASE WHEN w.offered THEN 'offered' ELSE 'waiting' END, {NOW},
                  CASE WHEN w.offered THEN {NOW} END, '', w.worker, NULL, w.child_id,
                  w.council_id, w.line_id, cb.id, w.places_id
             FROM (SELECT w.*, w.n = w.places + 1 AND w.offer_day AS offered
                     FROM ({BOOKINGS_WANTED}) w) w
                  LEFT JOIN bookings_booking cb
                         ON w.offered AND cb.places_id = w.places_id AND cb.first_day = w.day
                            AND cb.status = 'cancelled'
            WHERE w.waiting_day AND w.n > w.places AND w.n <= w.places + 2""",
    ),
    # Monthly delivery for the last 4 or 5 months, on every line of every active package.
    Insert(
        "referrals_deliveryrecord",
        "period_start, period_end, hours_delivered, hours_not_delivered, reason, notes, at, "
        "council_id, recorded_by_id, line_id",
        """SELECT p.ps, (p.ps + interval '1 month' - interval '1 day')::date,
                  round(coalesce(l.hours_per_week * 4, l.nights_per_year * 2), 2),
                  CASE WHEN mod(l.id + m, 10) = 0 THEN 2 ELSE 0 END,
                  CASE WHEN mod(l.id + m, 10) = 0 THEN 'staff_shortage' ELSE '' END, '',
                  (p.ps + interval '1 month 3 days')::timestamptz, l.council_id, d.worker, l.id
             FROM referrals_packageline l JOIN bench_gen.kid d ON d.id = l.package_id,
                  generate_series(1, 4 + mod(l.id, 2)::int) AS m,
                  LATERAL (SELECT (date_trunc('month', %(today)s::date)
                                   - make_interval(months => m))::date AS ps) p
            WHERE d.cls <= 7""",
    ),
    # Six nights in the last six months, four weeks apart, on the spot-purchased night line.
    Insert(
        "referrals_overnightstay",
        "night, at, child_id, council_id, recorded_by_id, line_id",
        """SELECT %(today)s::date - (10 + 28 * i + mod(d.id, 7))::int,
                  (%(today)s::date - (8 + 28 * i + mod(d.id, 7))::int)::timestamptz,
                  d.id, d.council_id, d.worker, d.id * 8 + 1
             FROM bench_gen.kid d, generate_series(0, 5) AS i
            WHERE d.cls <= 7""",
    ),
    # Each child's nights a calendar year, as the overnight stay services keep them.
    Insert(
        "referrals_overnightcount",
        "council_id, child_id, year, nights",
        """SELECT council_id, child_id, extract(year FROM night)::int, count(*)
             FROM referrals_overnightstay
            GROUP BY council_id, child_id, extract(year FROM night)""",
    ),
    # --- Brokerage: a spot-purchased night line of an approved package, described without
    # identifiers as brokerage_request_raise does, sent to the approved members awarded the
    # council's first running DPS lot for overnight care; a third each left open (sent, with a
    # deadline), awarded, withdrawn. Ids: the child's.
    Insert(
        "brokerage_brokeragerequest",
        "id, status, age_band, needs_summary, ratio, hours_per_week, nights_per_year, area, "
        "start_date, outcomes, removed, deadline, sent_at, closed_on, close_reason, "
        "spot_unit_rate, created_at, contract_id, council_id, created_by_id, dps_id, line_id, "
        "lot_id, spot_provider_id",
        f"""SELECT d.id, st.status,
                  CASE WHEN age.years < 5 THEN '0-4' WHEN age.years < 8 THEN '5-7'
                       WHEN age.years < 12 THEN '8-11' WHEN age.years < 15 THEN '12-14'
                       ELSE '15-17' END,
                  btrim(a.child_needs || chr(10) || chr(10) || 'Areas of need: ' || needs.labels
                        || '.'),
                  l.ratio, l.hours_per_week, l.nights_per_year, split_part(ch.postcode, ' ', 1),
                  greatest(l.start_on, t.raised), btrim(a.recommended_support), '[]'::jsonb,
                  t.sent + 14, t.sent::timestamptz + interval '11 hours',
                  CASE WHEN st.status <> 'sent' THEN t.sent + 4 END,
                  CASE WHEN st.status = 'withdrawn'
                       THEN 'The family found a place with a relative for these nights.'
                       ELSE '' END,
                  NULL, t.raised::timestamptz + interval '10 hours',
                  CASE WHEN st.status = 'awarded' THEN {CALL_OFF} + d.id END, d.council_id,
                  d.worker, f.dps_id, l.id, f.lot_id, NULL
             FROM bench_gen.kid d
                  JOIN referrals_packageline l ON l.id = d.id * 8 + 1
                  JOIN referrals_child ch ON ch.id = d.id
                  JOIN referrals_assessment a ON a.id = d.id
                  CROSS JOIN LATERAL (
                      SELECT lt.id AS lot_id, k.dps_id
                        FROM contracts_contract k JOIN contracts_lot lt ON lt.contract_id = k.id
                       WHERE k.council_id = d.council_id AND k.dps_id IS NOT NULL
                         AND k.call_off_lot_id IS NULL AND k.status IN ('active', 'extended')
                         AND lt.number = 2
                         AND EXISTS (SELECT 1 FROM contracts_award aw
                                       JOIN contracts_dpsmembership m
                                            ON m.provider_id = aw.provider_id
                                           AND m.dps_id = k.dps_id AND m.status = 'approved'
                                      WHERE aw.lot_id = lt.id)
                       ORDER BY k.reference, lt.number LIMIT 1) f
                  CROSS JOIN LATERAL (
                      SELECT string_agg(lb.label, ', ' ORDER BY e.n) AS labels
                        FROM jsonb_array_elements_text(ch.disabilities) WITH ORDINALITY
                                 AS e(code, n)
                        JOIN (VALUES {DISABILITY_LABELS}) AS lb(code, label)
                             ON lb.code = e.code) needs,
                  LATERAL (SELECT d.a_authorised + 16 AS raised,
                                  d.a_authorised + 17 AS sent) t,
                  LATERAL (SELECT extract(year FROM age(l.start_on, ch.date_of_birth))::int
                                  AS years) age,
                  LATERAL (SELECT (ARRAY['sent', 'awarded', 'withdrawn'])
                                  [1 + mod(d.k / {BROKERAGE_EVERY} + d.council_id, 3)::int]
                                  AS status) st
            WHERE d.cls = 8 AND l.funding_route = 'spot_purchase'
              AND mod(d.k, {BROKERAGE_EVERY}) = {BROKERAGE_FIRST}""",
    ),
    # Sent, as lot_members picks them: the approved members of the DPS awarded the lot (at
    # least one, by the request's choice of lot). Ids request * 3 + 0..2.
    Insert(
        "brokerage_brokerageinvitation",
        'id, sent_on, "round", council_id, provider_id, request_id',
        """SELECT r.id * 3 + i.pos - 1, r.sent_at::date, 1, r.council_id, i.provider_id, r.id
             FROM brokerage_brokeragerequest r,
                  LATERAL (SELECT aw.provider_id,
                                  row_number() OVER (ORDER BY aw.provider_id) AS pos
                             FROM contracts_award aw
                             JOIN contracts_dpsmembership m
                                  ON m.provider_id = aw.provider_id AND m.dps_id = r.dps_id
                                 AND m.status = 'approved'
                            WHERE aw.lot_id = r.lot_id) i""",
    ),
    # Answers, recorded by the commissioner on each provider's behalf a day apart: the first
    # invited can meet the need, the second cannot on every other request, the third has not
    # answered an open request yet. An awarded request's winner is the answer ranked first
    # (brokerage.selectors.ranked_responses: every provider is rated good, so the lowest
    # price, then the earlier answer); the others are not chosen, and a withdrawn request's
    # answers closed. Ids: the invitation's.
    Insert(
        "brokerage_brokerageresponse",
        "id, can_meet, price_per_unit, start_date, comments, on_behalf, received_at, outcome, "
        "outcome_on, outcome_notified_at, council_id, invitation_id, provider_id, recorded_by_id, "
        "request_id",
        """SELECT x.id, x.can_meet, x.price, x.start, x.comments, true, x.received_at,
                  CASE x.status WHEN 'sent' THEN 'pending' WHEN 'withdrawn' THEN 'closed'
                       ELSE CASE WHEN x.rank = 1 THEN 'awarded' ELSE 'not_chosen' END END,
                  x.closed_on, x.closed_on::timestamptz + interval '12 hours', x.council_id,
                  x.id, x.provider_id, x.recorder, x.request_id
             FROM (SELECT y.*, row_number() OVER (PARTITION BY y.request_id
                                                  ORDER BY y.can_meet DESC, y.price,
                                                           y.received_at, y.id) AS rank
                     FROM (SELECT i.id, i.council_id, i.provider_id, i.request_id, r.status,
                                  r.closed_on, c.user_base + c.workers + 2 AS recorder,
                                  q.can_meet,
                                  CASE WHEN q.can_meet THEN (180 + mod(i.provider_id * 7 + r.id,
                                                                       60))::numeric(8, 2)
                                       END AS price,
                                  CASE WHEN q.can_meet THEN r.start_date + 7 * (q.pos - 1)::int END
                                      AS start,
                                  CASE WHEN q.can_meet THEN 'Beds free on the nights asked for.'
                                       ELSE 'No beds free on the nights asked for.' END
                                      AS comments,
                                  r.sent_at + q.pos * interval '1 day' AS received_at
                             FROM brokerage_brokerageinvitation i
                             JOIN brokerage_brokeragerequest r ON r.id = i.request_id
                             JOIN bench_gen.council c ON c.id = i.council_id,
                                  LATERAL (SELECT i.id - r.id * 3 + 1 AS pos) p,
                                  LATERAL (SELECT p.pos,
                                                  p.pos <> 2 OR mod(r.id, 2) <> 0 AS can_meet) q
                            WHERE q.pos <= 2 OR r.status <> 'sent') y) x""",
    ),
    # The call-off contract each award made under the DPS and its lot, as
    # brokerage_request_award makes it: its own lot, the lot's service, the provider's award at
    # the answer's price, for a year from the start the provider gave. Ids CALL_OFF + request.
    Insert(
        "contracts_contract",
        "id, reference, title, kind, status, procurement_route, procurement_method, date_signed, "
        "start_date, end_date, max_extent_date, annual_value, total_value, "
        "recommissioning_started_on, updated_at, contract_manager_id, council_id, dps_id, "
        "call_off_lot_id",
        f"""SELECT r.contract_id, k.reference || '-BR' || r.id,
                  'Call-off under Lot ' || lt.number || ': ' || lt.name
                      || ': brokerage request ' || r.id,
                  'dps_call_off', 'active',
                  'Call-off from ' || dps.title || ' after brokerage request ' || r.id,
                  'selective', r.closed_on, v.start, v.finish, v.finish, v.yearly,
                  round(v.yearly * (v.finish - v.start + 1) / 365, 2), NULL, {NOW}, NULL,
                  r.council_id, r.dps_id, r.lot_id
             FROM brokerage_brokeragerequest r
             JOIN brokerage_brokerageresponse w ON w.request_id = r.id AND w.outcome = 'awarded'
             JOIN contracts_lot lt ON lt.id = r.lot_id
             JOIN contracts_contract k ON k.id = lt.contract_id
             JOIN contracts_dps dps ON dps.id = r.dps_id,
                  LATERAL (SELECT greatest(w.start_date, r.closed_on) AS start,
                                  (greatest(w.start_date, r.closed_on) + interval '1 year'
                                   - interval '1 day')::date AS finish,
                                  round(r.nights_per_year * w.price_per_unit, 2) AS yearly) v
            WHERE r.status = 'awarded'""",
    ),
    Insert(
        "contracts_lot",
        "id, number, name, description, contract_id, council_id",
        """SELECT r.contract_id, 1, lt.name, r.nights_per_year || ' nights a year at ' || r.ratio
                      || '.', r.contract_id, r.council_id
             FROM brokerage_brokeragerequest r JOIN contracts_lot lt ON lt.id = r.lot_id
            WHERE r.status = 'awarded'""",
    ),
    Insert(
        "contracts_lot_services",
        "lot_id, service_id",
        """SELECT r.contract_id, (w.provider_id - 1) * 3 + 2
             FROM brokerage_brokeragerequest r
             JOIN brokerage_brokerageresponse w ON w.request_id = r.id AND w.outcome = 'awarded'
            WHERE r.status = 'awarded'""",
    ),
    Insert(
        "contracts_award",
        "id, rates, capacity, value, awarded_on, council_id, provider_id, lot_id",
        """SELECT r.contract_id, '£' || to_char(w.price_per_unit, 'FM999,990.00') || ' a night',
                  '', k.total_value, r.closed_on, r.council_id, w.provider_id, r.contract_id
             FROM brokerage_brokeragerequest r
             JOIN brokerage_brokerageresponse w ON w.request_id = r.id AND w.outcome = 'awarded'
             JOIN contracts_contract k ON k.id = r.contract_id
            WHERE r.status = 'awarded'""",
    ),
    Insert(
        "contracts_contractevent",
        "at, kind, params, actor_id, contract_id, council_id",
        """SELECT r.closed_on::timestamptz + interval '10 hours' + e.step * interval '1 minute',
                  e.kind, e.params::jsonb, c.user_base + c.workers + 2, r.contract_id, r.council_id
             FROM brokerage_brokeragerequest r JOIN bench_gen.council c ON c.id = r.council_id,
                  (VALUES (0, 'created', '{}'),
                          (1, 'status', '{"step": "active", "status": "active"}'))
                      AS e(step, kind, params)
            WHERE r.status = 'awarded'""",
    ),
    # Each request's timeline: raised, sent, then awarded or withdrawn, each kind with the
    # parameters its writer in brokerage/events.py gives it (decimals and dates as text, as
    # the JSON encoder writes them).
    Insert(
        "brokerage_brokerageevent",
        'request_id, "on", kind, params, actor_id, at, council_id',
        """SELECT r.id, e.at::date, e.kind, e.params, r.created_by_id, e.at, r.council_id
             FROM brokerage_brokeragerequest r
                  LEFT JOIN brokerage_brokerageresponse w
                         ON w.request_id = r.id AND w.outcome = 'awarded'
                  LEFT JOIN providers_provider p ON p.id = w.provider_id
                  LEFT JOIN contracts_contract k ON k.id = r.contract_id,
                  LATERAL (SELECT jsonb_agg(ip.name ORDER BY ip.name) AS names,
                                  jsonb_agg(ip.id ORDER BY ip.id) AS ids
                             FROM brokerage_brokerageinvitation i
                             JOIN providers_provider ip ON ip.id = i.provider_id
                            WHERE i.request_id = r.id) sent_to,
                  LATERAL (VALUES
                      (1, 'raised', '{}'::jsonb, r.created_at),
                      (2, 'sent', jsonb_build_object(
                          'deadline', to_char(r.deadline, 'YYYY-MM-DD'),
                          'providers', coalesce(sent_to.names, '[]'::jsonb),
                          'provider_ids', coalesce(sent_to.ids, '[]'::jsonb)), r.sent_at),
                      (3, r.status, CASE r.status
                          WHEN 'awarded' THEN jsonb_build_object(
                              'provider', p.name, 'provider_id', p.id,
                              'price', to_char(w.price_per_unit, 'FM999990.00'),
                              'unit', 'a night', 'contract', k.reference, 'contract_id', k.id)
                          ELSE jsonb_build_object('reason', r.close_reason) END,
                       r.closed_on::timestamptz + interval '10 hours'))
                      AS e(step, kind, params, at)
            WHERE e.step < 3 OR r.status <> 'sent'""",
    ),
)

# The awards a commissioned line may use: on running (active or extended) contracts, numbered
# per council from 0.
AWARD_PICK = """
CREATE UNLOGGED TABLE bench_gen.award_pick AS
SELECT aw.council_id, lt.id AS lot_id, lt.number AS lot_number, aw.provider_id,
       (row_number() OVER (PARTITION BY aw.council_id ORDER BY aw.id) - 1)::int AS a
  FROM contracts_award aw JOIN contracts_lot lt ON lt.id = aw.lot_id
       JOIN contracts_contract k ON k.id = lt.contract_id
 WHERE k.status IN ('active', 'extended');
UPDATE bench_gen.council c SET awards_active = n.count
  FROM (SELECT council_id, count(*) FROM bench_gen.award_pick GROUP BY council_id) n
 WHERE n.council_id = c.id;
ANALYZE bench_gen.award_pick;
"""


# Each awarded request's line, as package_line_commission leaves it: commissioned on the
# call-off's lot from the winning provider's overnight service at its price.
BROKERED_LINES = """
UPDATE referrals_packageline l
   SET funding_route = 'commissioned', lot_id = r.contract_id, provider_id = w.provider_id,
       service_id = (w.provider_id - 1) * 3 + 2, unit_rate = w.price_per_unit
  FROM brokerage_brokeragerequest r
  JOIN brokerage_brokerageresponse w ON w.request_id = r.id AND w.outcome = 'awarded'
 WHERE r.status = 'awarded' AND l.id = r.line_id
"""

# --- Loading -----------------------------------------------------------------------------------


def _connect(conninfo: dict):
    import psycopg

    connection = psycopg.connect(**conninfo, autocommit=True)
    connection.execute(SESSION_SQL)
    return connection


def _droppable_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """The table's indexes that back no constraint (name, definition), to drop while loading."""
    cursor.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid)
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
        [table],
    )
    return cursor.fetchall()


# Empty values for NOT NULL columns the generator does not know (added by a later migration):
# set as defaults while it loads, then removed, and named in the log so the generator catches up.
EMPTY = {
    "character varying": "''",
    "text": "''",
    "boolean": "false",
    "smallint": "0",
    "integer": "0",
    "bigint": "0",
    "numeric": "0",
    "jsonb": "'{}'::jsonb",
    "date": "CURRENT_DATE",
    "timestamp with time zone": "now()",
}


def _unknown_required(cursor, insert: Insert) -> list[tuple[str, str]]:
    given = {name.strip().strip('"') for name in insert.columns.split(",")}
    cursor.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s AND is_nullable = 'NO'
              AND column_default IS NULL AND is_identity = 'NO'""",
        [insert.table],
    )
    return [(name, kind) for name, kind in cursor.fetchall() if name not in given]


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")
    return cursor.fetchone()[0]


def generate(conninfo: dict, scale: float, *, today: date | None = None, log: Callable = print):
    """Fill an empty, migrated database at this SCALE. Returns {table: rows} and the seconds."""
    started = time.monotonic()
    today = today or datetime.now(UTC).date()
    now = datetime.now(UTC)
    params = {
        "today": today,
        "now": now,
        "fy": today.year if today.month >= 4 else today.year - 1,
    }
    councils = plan(scale)
    connection = _connect(conninfo)
    cursor = connection.cursor()
    if _count(cursor, "councils_council"):
        raise RuntimeError("The bench database already has councils: it must be empty.")

    log(f"generating SCALE={scale}: {len(councils)} councils, "
        f"{sum(c.children for c in councils):,} children")  # fmt: skip
    cursor.execute(SETUP)
    cursor.executemany(
        "INSERT INTO bench_gen.council (id, slug, name, children, child_base, workers, "
        "user_base, teams, team_base, providers, provider_base, contracts, contract_base, "
        "access_rows, access_base) VALUES (%(id)s, %(slug)s, %(name)s, %(children)s, "
        "%(child_base)s, %(workers)s, %(user_base)s, %(teams)s, %(team_base)s, %(providers)s, "
        "%(provider_base)s, %(contracts)s, %(contract_base)s, %(access_rows)s, %(access_base)s)",
        [asdict(c) for c in councils],
    )
    # Two years of monthly partitions for the access log, before its rows arrive.
    cursor.execute(
        "SELECT count(*) FROM accesslog_create_partitions(%s::timestamptz - interval '25 months', "
        "%s::timestamptz + interval '3 months', 'Europe/London')",
        [now, now],
    )

    dropped: dict[str, list[tuple[str, str]]] = {}
    for table in BIG_TABLES:
        dropped[table] = _droppable_indexes(cursor, table)
        for name, _definition in dropped[table]:
            cursor.execute(f'DROP INDEX "{name}"')
    defaults: list[tuple[str, str]] = []
    for insert in INSERTS:
        for column, kind in _unknown_required(cursor, insert):
            cursor.execute(
                f'ALTER TABLE {insert.table} ALTER COLUMN "{column}" '
                f"SET DEFAULT {EMPTY.get(kind, 'NULL')}"
            )
            defaults.append((insert.table, column))
    if defaults:
        log("  columns the generator does not know, left empty: "
            + ", ".join(f"{t}.{c}" for t, c in defaults))  # fmt: skip

    # The access log in its own process (its chains are computed row by row in Python).
    from bench import accesslog_load

    context = multiprocessing.get_context("spawn")
    loader = context.Process(
        target=accesslog_load.load,
        args=(conninfo, [asdict(c) for c in councils]),
        kwargs={"end_epoch": int(now.timestamp()) - 3600, "session_sql": SESSION_SQL},
        daemon=True,
    )
    loader.start()
    counts: dict[str, int] = {}
    try:
        for insert in INSERTS:
            step = time.monotonic()
            if insert.table == "referrals_child":
                for statement in KID:
                    cursor.execute(statement, params)
                log(f"  {'(plan of each child)':32} {time.monotonic() - step:6.1f} s")
                step = time.monotonic()
            if insert.table == "referrals_packageline":
                cursor.execute(AWARD_PICK)
            cursor.execute(insert.sql, params)
            counts[insert.table] = counts.get(insert.table, 0) + cursor.rowcount
            log(f"  {insert.table:32} {cursor.rowcount:>11,} {time.monotonic() - step:6.1f} s")
        cursor.execute(BROKERED_LINES)
        log(f"  {'(lines bought by brokerage)':32} {cursor.rowcount:>11,}")
        step = time.monotonic()
        loader.join()
        if loader.exitcode != 0:
            raise RuntimeError(f"loading the access log failed (exit {loader.exitcode})")
    finally:
        if loader.is_alive():
            loader.terminate()
    counts[ACCESS_LOG] = sum(c.access_rows for c in councils)
    log(f"  {ACCESS_LOG:32} {counts[ACCESS_LOG]:>11,} (waited {time.monotonic() - step:.1f} s)")

    for table, column in defaults:
        cursor.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" DROP DEFAULT')
    _rebuild_indexes(conninfo, dropped, log)
    for table in {*(i.table for i in INSERTS), ACCESS_LOG}:
        cursor.execute(
            f"""SELECT setval(s, greatest((SELECT max(id) FROM {table}), 1))
                  FROM pg_get_serial_sequence('{table}', 'id') AS s WHERE s IS NOT NULL"""
        )
    cursor.execute("DROP SCHEMA bench_gen CASCADE")
    step = time.monotonic()
    _vacuum(conninfo, [i.table for i in INSERTS] + [ACCESS_LOG])
    log(f"  vacuum and analyse {time.monotonic() - step:6.1f} s")
    connection.close()
    seconds = time.monotonic() - started
    log(f"generated in {seconds:.0f} s")
    return counts, seconds


def _in_two_sessions(conninfo: dict, first: list[str], second: list[str]) -> None:
    """Run two lists of statements side by side, one session each (the machine has two cores)."""
    failures: list[BaseException] = []

    def run(statements):
        try:
            with _connect(conninfo) as connection:
                for statement in statements:
                    connection.execute(statement)
        except BaseException as failure:  # reported below, in the caller's thread
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _rebuild_indexes(conninfo: dict, dropped: dict, log: Callable) -> None:
    step = time.monotonic()
    # A partitioned table's index is defined "ON ONLY" the parent (invalid until each partition
    # has its own): made on the whole table instead, it is built on every partition.
    log_indexes = [
        definition.replace(" ON ONLY ", " ON ", 1)
        for _name, definition in dropped.pop(ACCESS_LOG, [])
    ]
    other = [definition for found in dropped.values() for _name, definition in found]
    _in_two_sessions(conninfo, log_indexes, other)
    log(f"  indexes made again ({len(log_indexes) + len(other)}) {time.monotonic() - step:6.1f} s")


def _vacuum(conninfo: dict, tables: list[str]) -> None:
    """Set the visibility map and the planner's statistics now, as autovacuum would later."""
    ordered = sorted(set(tables), key=lambda t: t != ACCESS_LOG)
    statements = [f"VACUUM (ANALYZE) {t}" for t in ordered]
    _in_two_sessions(conninfo, statements[:1], statements[1:])
