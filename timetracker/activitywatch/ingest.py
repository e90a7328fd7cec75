"""ActivityWatch ingest: who is sending, then the whole batch written in one transaction.

Two kinds of sender. A person's own credential (API token or access token): rows are
theirs and are written `as_user`, so the RLS WITH CHECK guards them. A developer token:
the HMAC is verified here with no lookup, and the rows (owned by the token's team) go
through `internal.store_developer_events`, the one narrow door for team rows (see
sql/0005_activitywatch.sql for why and what it can do).

Either way the whole batch is written in one transaction: arrays unnested into INSERT ...
ON CONFLICT (owner, host, bucket, timestamp) DO UPDATE when the duration grew or the data
changed, i.e. ActivityWatch's heartbeat merging. The rows go as one such statement per
`CHUNK_ROWS`, each sent without waiting for the one before (pipeline mode) while the next
rows are still being validated, as a batch of reader events does (timetracker.ingest.table).
The chunks do exactly what one statement for the whole batch would as long as no event key
comes back in a later chunk: a batch's repeats of a key collapse to the longest before they
are written. A batch that repeats one across chunks is rolled back (nothing of it was
committed) and written again as one statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any
from uuid import UUID

import psycopg
from psycopg import Connection, Cursor

from timetracker.activitywatch.developer_ids import is_developer_id
from timetracker.activitywatch.developer_tokens import TokenKeys, looks_like_developer_token
from timetracker.auth.identify import Authenticator
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, Unauthorized
from timetracker.ingest.items import StoredStatus
from timetracker.ingest.table import in_chunks, json_text

EventKey = tuple[str, str, datetime]
# Events per statement. Over HTTP, batches of 1,000 took 0.77 of the time that validating all
# then sending one statement took, in chunks of 100 or of 250, and 0.88 in chunks of 500.
CHUNK_ROWS = 250


@dataclass(frozen=True)
class Sender:
    """Exactly one of `principal` (a person's own rows) or `team_id` + `developer_id`."""

    principal: Principal | None = None
    team_id: UUID | None = None
    developer_id: str | None = None


@dataclass(frozen=True)
class EventRow:
    host: str
    bucket_id: str
    bucket_type: str
    client: str | None
    started_at: datetime
    duration: float
    data: dict[str, Any]

    @property
    def key(self) -> EventKey:
        return (self.host, self.bucket_id, self.started_at)


def authenticate(authenticator: Authenticator, keys: TokenKeys, developer_id: str | None, token: str) -> Sender:
    if looks_like_developer_token(token):
        if not developer_id or not is_developer_id(developer_id):
            raise Unauthorized("a developer token needs the Developer-ID header it was issued for")
        identity = keys.verify(developer_id, token)
        if identity is None:
            raise Unauthorized("invalid developer token for this Developer-ID")
        return Sender(team_id=identity.team_id, developer_id=identity.developer_id)
    return Sender(principal=authenticator.from_bearer(token))


# Binary array parameters (%b): psycopg's text-array quoting costs more than the insert.
_ARRAYS = "%b::text[], %b::text[], %b::text[], %b::text[], %b::timestamptz[], %b::float8[], %b::jsonb[]"
STORE_OWN = f"select * from internal.store_aw_events(%s, null, null, {_ARRAYS})"
STORE_DEVELOPER = f"select * from internal.store_developer_events(%s, %s, {_ARRAYS})"


def _columns(rows: list[EventRow]) -> list[list[Any]]:
    """One array per column of the store functions, in their order."""
    values = ((r.host, r.bucket_id, r.bucket_type, r.client, r.started_at, r.duration, json_text(r.data)) for r in rows)
    return [list(column) for column in zip(*values, strict=True)]


def _one_per_key(rows: list[EventRow]) -> dict[EventKey, int]:
    """Index of the row to write for each key. One statement cannot touch a row twice, so
    repeats inside a batch collapse to the longest (the latest on a tie), like a merge."""
    chosen: dict[EventKey, int] = {}
    for index, row in enumerate(rows):
        best = chosen.get(row.key)
        if best is None or row.duration >= rows[best].duration:
            chosen[row.key] = index
    return chosen


class _KeyInTwoChunks(Exception):
    """An event key met again in a later chunk than its first."""


def store(db: Database, sender: Sender, rows: Iterable[EventRow]) -> list[StoredStatus]:
    """Write the batch in one transaction; per row, in input order: created, updated or duplicate.
    `rows` may be lazy (validated as they are taken): each chunk is sent before the next is taken."""
    chunks = in_chunks(rows, CHUNK_ROWS)
    first = next(chunks, None)
    if first is None:
        return []
    taken: list[EventRow] = []
    try:
        return _write(db, sender, _noted(chain([first], chunks), taken))
    except _KeyInTwoChunks:
        # Rare (an event that grew while its batch waited to be sent), and nothing of the chunks
        # was committed: the batch as one statement instead, so its repeats collapse together.
        return _write(db, sender, [taken + list(chain.from_iterable(chunks))])


def _noted(chunks: Iterable[list[EventRow]], taken: list[EventRow]) -> Iterator[list[EventRow]]:
    for chunk in chunks:
        taken.extend(chunk)
        yield chunk


def _write(db: Database, sender: Sender, chunks: Iterable[list[EventRow]]) -> list[StoredStatus]:
    """One statement per chunk, in one transaction, pipelined; _KeyInTwoChunks (and nothing
    written) when a chunk holds a key an earlier one had."""
    written_keys: set[EventKey] = set()
    sent: list[tuple[Cursor[Any], list[EventRow], dict[EventKey, int]]] = []
    try:
        with _writer(db, sender) as (conn, statement, leading), conn.pipeline():
            for chunk in chunks:
                chosen = _one_per_key(chunk)
                if not written_keys.isdisjoint(chosen):
                    raise _KeyInTwoChunks
                written_keys.update(chosen)
                unique = [chunk[i] for i in sorted(chosen.values())]
                sent.append((conn.execute(statement, (*leading, *_columns(unique))), chunk, chosen))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden("these events may not be written (team deleted?)") from exc
    return [status for cursor, chunk, chosen in sent for status in _statuses(cursor, chunk, chosen)]


@contextmanager
def _writer(db: Database, sender: Sender) -> Iterator[tuple[Connection[Any], str, tuple[Any, ...]]]:
    """A transaction for the sender's rows, the statement that writes them, and its leading values."""
    if sender.principal is not None:
        with db.as_user(sender.principal.db_claims) as conn:
            yield conn, STORE_OWN, (sender.principal.user_id,)
    else:
        with db.as_service() as conn:
            yield conn, STORE_DEVELOPER, (sender.team_id, sender.developer_id)


def _statuses(cursor: Cursor[Any], rows: list[EventRow], chosen: dict[EventKey, int]) -> list[StoredStatus]:
    """Per row of one chunk, in order: what its statement did to it."""
    outcome = {(r["host"], r["bucket_id"], r["started_at"]): r["outcome"] for r in cursor.fetchall()}
    return [
        outcome.get(row.key, "duplicate") if chosen[row.key] == index else "duplicate" for index, row in enumerate(rows)
    ]
