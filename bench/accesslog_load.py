"""The access log's rows for the bench, with valid hash chains, loaded by COPY.

Each council's chain is computed here, in Python, row after row (each row's hash covers the one
before it, so no set-based SQL can make a chain), with exactly the bytes the insert trigger
hashes (migration 0004 of the access log; shortbreaks.accesslog.chain checks the same). The rows
go in by COPY with the trigger off (the session is a replica: the generator's connection), and
each chain's head is written at the end, so the trigger carries every chain on from the last
generated row and `manage.py accesslog_verify` passes on the bench database.

Run in its own process beside the SQL generator (bench.generate), which hands it the plan.
"""

from __future__ import annotations

import hashlib
import time

GENESIS = "0" * 64
VERSION = "accesslog-v1"
DAYS = 730  # two years of history, ending an hour before the generation started
ALL_ROLES = (
    "auditor,commissioner,contract_manager,council_admin,finance_officer,social_worker,team_manager"
)
COLUMNS = (
    "id, at, username, roles, action, object_type, object_id, ip_address, path, outcome, "
    "council_id, user_id, seq, prev_hash, hash"
)
_BATCH = 20_000


def _field(name: str, value: str) -> str:
    return f"{name}={len(value)}:{value}\n"


def council_rows(council: dict, *, end_epoch: int):
    """(COPY line, row id, hash) for each row of one council's chain, oldest first.

    Written for speed (20 million rows at SCALE=1): what depends only on the worker or the kind
    of row is serialised once, and each row's time is put together from a cached day."""
    sha256 = hashlib.sha256
    n = council["access_rows"]
    base = council["access_base"]
    children, child_base = council["children"], council["child_base"]
    workers, user_base = council["workers"], council["user_base"]
    council_id = str(council["id"])
    slug = council["slug"]
    start_us = (end_epoch - DAYS * 86400) * 1_000_000
    step_us = max(1, DAYS * 86400 * 1_000_000 // max(n, 1))
    people = []
    for worker in range(workers):
        user_id = str(user_base + 1 + worker)
        if worker == 0:
            username, roles = f"bench@{slug}.example", ALL_ROLES
        else:
            username, roles = f"worker-{worker}@{slug}.example", "social_worker"
        ip = f"10.{council['id'] % 250}.{worker % 250}.1"
        people.append(
            (
                f"{username}\t{roles}",
                f"{ip}",
                f"{user_id}",
                _field("council_id", council_id)
                + _field("user_id", user_id)
                + _field("username", username)
                + _field("roles", roles),
                _field("ip_address", ip),
            )
        )
    days: dict[int, str] = {}
    prev = GENESIS
    for i in range(n):
        row_id = str(base + 1 + i)
        seq = str(i + 1)
        at_us = start_us + i * step_us + (i * 7919) % step_us
        seconds, micro = divmod(at_us, 1_000_000)
        day, rest = divmod(seconds, 86400)
        if day not in days:
            days[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
        hours, rest = divmod(rest, 3600)
        clock = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.{micro:06d}"
        who, ip, user_id, who_fields, ip_field = people[(i * 7) % workers]
        child = str(child_base + 1 + (i * 31) % children)
        if i % 500 == 499:
            action, outcome, object_id, path = "denied", "refused", child, f"/children/{child}/"
        elif i % 10 == 9:
            action, outcome, object_id, path = "list", "allowed", "", "/children/"
        elif i % 10 == 8:
            action, outcome, object_id = "change", "allowed", child
            path = f"/children/{child}/edit/"
        else:
            action, outcome, object_id, path = "view", "allowed", child, f"/children/{child}/"
        canonical = (
            f"{VERSION}\nid={len(row_id)}:{row_id}\nseq={len(seq)}:{seq}\n"
            f"at=27:{days[day]}T{clock}Z\n{who_fields}action={len(action)}:{action}\n"
            f"object_type=15:referrals.child\nobject_id={len(object_id)}:{object_id}\n"
            f"{ip_field}path={len(path)}:{path}\noutcome={len(outcome)}:{outcome}\n"
            f"prev_hash=64:{prev}\n"
        )
        digest = sha256(canonical.encode()).hexdigest()
        line = (
            f"{row_id}\t{days[day]} {clock}+00\t{who}\t{action}\treferrals.child\t"
            f"{object_id}\t{ip}\t{path}\t{outcome}\t{council_id}\t{user_id}\t{seq}\t{prev}\t"
            f"{digest}\n"
        )
        yield line, row_id, digest
        prev = digest


def load(conninfo: dict, councils: list[dict], *, end_epoch: int, session_sql: str) -> int:
    """COPY every council's chain into the log, then write each chain's head. Returns rows."""
    import psycopg

    total = 0
    heads = []
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute(session_sql)
        with connection.cursor() as cursor:
            for council in councils:
                if not council["access_rows"]:
                    continue
                with cursor.copy(f"COPY accesslog_accesslogentry ({COLUMNS}) FROM STDIN") as copy:
                    batch: list[str] = []
                    last = ("", GENESIS)
                    for line, row_id, digest in council_rows(council, end_epoch=end_epoch):
                        batch.append(line)
                        last = (row_id, digest)
                        if len(batch) >= _BATCH:
                            copy.write("".join(batch))
                            batch.clear()
                    if batch:
                        copy.write("".join(batch))
                heads.append((council["id"], council["access_rows"], int(last[0]), last[1]))
                total += council["access_rows"]
            cursor.executemany(
                "INSERT INTO accesslog_accesslogchainhead (chain, seq, row_id, hash) "
                "VALUES (%s, %s, %s, %s)",
                heads,
            )
    return total
