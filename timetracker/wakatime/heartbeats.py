"""Heartbeats from editor plugins: the domain record, its dedup hash, and the bulk insert.

A plugin retries anything it did not see accepted, and its offline queue replays whole
batches, so every heartbeat has a hash of what it says; `(owner_id, hash)` is unique and
inserts are `ON CONFLICT DO NOTHING`. Inserts run as the owner, so RLS guards them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from uuid import UUID

from timetracker.db import Database
from timetracker.ingest.items import StoredStatus
from timetracker.ingest.table import Column, OwnedTable

# Made once: `json.dumps` with any option builds an encoder per call, a third of a hash's cost.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


@dataclass(frozen=True)
class Heartbeat:
    time: datetime
    entity: str
    type: str
    category: str
    project: str | None = None
    branch: str | None = None
    language: str | None = None
    is_write: bool = False
    lines: int | None = None
    lineno: int | None = None
    cursorpos: int | None = None
    dependencies: tuple[str, ...] = ()
    editor: str | None = None
    operating_system: str | None = None
    machine: str | None = None
    user_agent: str | None = field(default=None, compare=False)

    @cached_property
    def hash(self) -> str:
        """What makes two heartbeats the same one (as Wakapi: not the cursor or line count)."""
        identity = [
            self.time.isoformat(),
            self.entity,
            self.type,
            self.category,
            self.project,
            self.branch,
            self.language,
            self.is_write,
            self.editor,
            self.operating_system,
            self.machine,
        ]
        return hashlib.sha256(_COMPACT_JSON.encode(identity).encode()).hexdigest()


def age_problem(heartbeat: Heartbeat, now: datetime, max_age: timedelta) -> str | None:
    """Why a heartbeat's `time` is refused (too old to trust, or in the future), or None."""
    if heartbeat.time < now - max_age:
        return f"more than {max_age.days} days in the past"
    # A few minutes of clock skew between the editor's machine and the server is normal.
    if heartbeat.time > now + timedelta(minutes=10):
        return "in the future"
    return None


HEARTBEATS = OwnedTable(
    name="heartbeats",
    batch_columns=("owner_id",),
    columns=(
        Column("time", "timestamptz"),
        Column("entity", "text"),
        Column("type", "text"),
        Column("category", "text"),
        Column("project", "text"),
        Column("branch", "text"),
        Column("language", "text"),
        Column("is_write", "bool"),
        Column("lines", "int"),
        Column("lineno", "int"),
        Column("cursorpos", "int"),
        Column("dependencies", "text[]"),
        Column("editor", "text"),
        Column("operating_system", "text"),
        Column("machine", "text"),
        Column("user_agent", "text"),
        Column("hash", "text"),
    ),
    natural_key="heartbeats_owner_hash_key",
    key_columns=("hash",),
)


def store(db: Database, owner_id: UUID, heartbeats: Iterable[Heartbeat]) -> list[StoredStatus]:
    """Store heartbeats as their owner in one transaction; per item, in order: new or duplicate.
    `heartbeats` may be lazy: the first are stored while the rest are validated."""
    rows = (
        (
            h.time,
            h.entity,
            h.type,
            h.category,
            h.project,
            h.branch,
            h.language,
            h.is_write,
            h.lines,
            h.lineno,
            h.cursorpos,
            h.dependencies,
            h.editor,
            h.operating_system,
            h.machine,
            h.user_agent,
            h.hash,
        )
        for h in heartbeats
    )
    return HEARTBEATS.store(db, owner_id, (), rows)
