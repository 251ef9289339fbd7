"""The access log's hash chains, checked from Python.

The database's insert trigger (migration 0004) chains every row: rows of one council (and,
separately, rows with no council) are numbered by `seq`, and each row's `hash` is SHA-256 over
`canonical(row)`, which includes `prev_hash`, the hash of the row before it. This module computes
the same bytes independently and walks each chain, so a changed field, a removed row, a row
inserted out of turn or a forked chain shows up at the first row where the links disagree.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC

from django.core.mail import mail_admins
from django.db import connection

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
VERSION = "accesslog-v1"
FIELDS = (
    "id",
    "seq",
    "at",
    "council_id",
    "user_id",
    "username",
    "roles",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "path",
    "outcome",
    "prev_hash",
)
# The stored columns, as the check reads them. Addresses as PostgreSQL prints them (abbrev()
# is the inet type's own output), the same text the trigger hashes.
_SELECT = (
    "SELECT id, seq, at, council_id, user_id, username, roles, action, object_type, object_id, "
    "abbrev(ip_address), path, outcome, prev_hash, hash FROM accesslog_accesslogentry"
)
_BATCH = 5000


def _text(name: str, value) -> str | None:
    if value is None:
        return None
    if name == "at":
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def canonical(row: Mapping) -> bytes:
    """The bytes a row's hash is taken over: a version line, then `name=<length>:<value>` (the
    length in characters) or `name=~` for NULL, one line per field, in FIELDS order."""
    lines = [VERSION]
    for name in FIELDS:
        value = _text(name, row[name])
        lines.append(f"{name}=~" if value is None else f"{name}={len(value)}:{value}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def row_hash(row: Mapping) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


@dataclass(frozen=True)
class Chain:
    """One chain: a council's rows, or (council_id None) the rows logged with no council."""

    council_id: int | None
    label: str


@dataclass(frozen=True)
class Break:
    """The first row at which a chain's links disagree."""

    chain: Chain
    row_id: int
    seq: int
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.chain.label}: chain broken at row id {self.row_id} (seq {self.seq}): "
            + "; ".join(self.problems)
        )


@dataclass(frozen=True)
class Result:
    chain: Chain
    rows: int
    head_seq: int
    head_hash: str
    broken: Break | None


def chains(*, council=None) -> list[Chain]:
    """Every council's chain and the no-council chain; or one council's."""
    from shortbreaks.councils.models import Council

    if council is not None:
        return [Chain(council.pk, council.slug)]
    found = [
        Chain(pk, slug) for pk, slug in Council.objects.order_by("pk").values_list("pk", "slug")
    ]
    return [*found, Chain(None, "(no council)")]


def _rows(chain: Chain) -> Iterator[dict]:
    where = "council_id IS NULL" if chain.council_id is None else "council_id = %s"
    params = [] if chain.council_id is None else [chain.council_id]
    names = [*FIELDS, "hash"]
    # A server-side cursor: the log is millions of rows; they are read in batches, in order.
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"{_SELECT} WHERE {where} ORDER BY seq, id", params)  # noqa: S608
        while batch := cursor.fetchmany(_BATCH):
            for values in batch:
                yield dict(zip(names, values, strict=True))


def _head(chain: Chain) -> tuple[int, int, str] | None:
    """The chain's head as the insert trigger last left it: (seq, row id, hash)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, row_id, hash FROM accesslog_accesslogchainhead WHERE chain = %s",
            [chain.council_id or 0],
        )
        return cursor.fetchone()


def chain_verify(chain: Chain) -> Result:
    """Walk one chain in order; stop at the first row whose links disagree.

    The head is read first: rows appended while the walk runs come after it, so the walk must
    pass through the head's row, hash unchanged, and a chain that ends before it has lost its
    newest rows."""
    head = _head(chain)
    expected_seq, prev_hash, prev_id, count = 1, GENESIS, None, 0
    for row in _rows(chain):
        problems = []
        if row["seq"] > expected_seq:
            missing = row["seq"] - expected_seq
            problems.append(
                f"{missing} row(s) missing before it: seq jumps from {expected_seq - 1} "
                f"to {row['seq']}"
            )
        elif row["seq"] < expected_seq:
            problems.append(
                f"seq {row['seq']} again (expected {expected_seq}): a second row claims "
                "the same place in the chain"
            )
        if row["prev_hash"] != prev_hash:
            before = f"row id {prev_id}" if prev_id is not None else "the start of the chain"
            problems.append(
                f"prev_hash {row['prev_hash'][:16]}... does not match the hash of {before} "
                f"({prev_hash[:16]}...)"
            )
        recomputed = row_hash(row)
        if recomputed != row["hash"]:
            problems.append(
                f"its fields no longer match its hash (stored {row['hash'][:16]}..., "
                f"recomputed {recomputed[:16]}...): the row was changed after it was written"
            )
        if head is not None and row["seq"] == head[0] and row["hash"] != head[2]:
            problems.append(
                f"its hash {row['hash'][:16]}... is not the one the chain's head recorded for "
                f"seq {head[0]} ({head[2][:16]}...)"
            )
        if problems:
            return Result(
                chain,
                count,
                expected_seq - 1,
                prev_hash,
                Break(chain, row["id"], row["seq"], tuple(problems)),
            )
        count += 1
        expected_seq, prev_hash, prev_id = row["seq"] + 1, row["hash"], row["id"]
    last_seq = expected_seq - 1
    if head is not None and head[0] > last_seq:
        problem = (
            f"the newest {head[0] - last_seq} row(s) are missing: the chain ends at seq "
            f"{last_seq}"
            + (f" (row id {prev_id})" if prev_id is not None else "")
            + f", its head records seq {head[0]} (row id {head[1]})"
        )
        return Result(chain, count, last_seq, prev_hash, Break(chain, head[1], head[0], (problem,)))
    if head is None and count:
        problem = "the chain has rows but no head: its head was removed"
        return Result(
            chain, count, last_seq, prev_hash, Break(chain, prev_id, last_seq, (problem,))
        )
    return Result(chain, count, last_seq, prev_hash, None)


def chains_verify(*, council=None) -> list[Result]:
    return [chain_verify(chain) for chain in chains(council=council)]


def chains_check(*, council=None) -> list[Break]:
    """The daily check: verify every chain; when one is broken, log an error and email the
    platform's administrators (settings.ADMINS) where it broke. Returns the breaks found."""
    results = chains_verify(council=council)
    breaks = [result.broken for result in results if result.broken is not None]
    for result in results:
        logger.info(
            "access log chain %s: %d rows checked, head seq %d hash %s",
            result.chain.label,
            result.rows,
            result.head_seq,
            result.head_hash,
        )
    if breaks:
        report = "\n".join(str(found) for found in breaks)
        logger.error("The access log's hash chain is broken:\n%s", report)
        mail_admins(
            subject=f"Access log chain broken ({len(breaks)} chain(s))",
            message=(
                "The daily check of the access log found rows that do not match their chain. "
                "A row was changed or removed outside the application, or a chain forked.\n\n"
                f"{report}\n\n"
                "Check it again with: python manage.py accesslog_verify\n"
            ),
        )
    return breaks
