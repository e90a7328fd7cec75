"""ActivityWatch ingest: who is sending, then one bulk write for the whole batch.

Two kinds of sender. A person's own credential (API token or access token): rows are
theirs and are written `as_user`, so the RLS WITH CHECK guards them. A developer token:
the HMAC is verified here with no lookup, and the rows (owned by the token's team) go
through `internal.store_developer_events`, the one narrow door for team rows (see
sql/0005_activitywatch.sql for why and what it can do).

Either way the whole batch is one statement in one transaction: arrays unnested into
INSERT ... ON CONFLICT (owner, host, bucket, timestamp) DO UPDATE when the duration grew or
the data changed, i.e. ActivityWatch's heartbeat merging.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from timetracker.activitywatch.developer_ids import is_developer_id
from timetracker.activitywatch.developer_tokens import TokenKeys, looks_like_developer_token
from timetracker.auth.identify import Authenticator
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, Unauthorized
from timetracker.ingest.items import StoredStatus
from timetracker.ingest.table import json_text

EventKey = tuple[str, str, datetime]


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


def store(db: Database, sender: Sender, rows: list[EventRow]) -> list[StoredStatus]:
    """Write the batch in one transaction; per row, in input order: created, updated or duplicate."""
    if not rows:
        return []
    chosen = _one_per_key(rows)
    unique = [rows[i] for i in sorted(chosen.values())]
    columns = _columns(unique)
    try:
        if sender.principal is not None:
            with db.as_user(sender.principal.db_claims) as conn:
                written = conn.execute(STORE_OWN, (sender.principal.user_id, *columns)).fetchall()
        else:
            with db.as_service() as conn:
                written = conn.execute(STORE_DEVELOPER, (sender.team_id, sender.developer_id, *columns)).fetchall()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden("these events may not be written (team deleted?)") from exc
    outcome = {(r["host"], r["bucket_id"], r["started_at"]): r["outcome"] for r in written}
    statuses: list[StoredStatus] = []
    for index, row in enumerate(rows):
        if chosen[row.key] != index:
            statuses.append("duplicate")
        else:
            statuses.append(outcome.get(row.key, "duplicate"))
    return statuses
