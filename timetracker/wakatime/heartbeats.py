"""Heartbeats from editor plugins: the domain record, its dedup hash, and the bulk insert.

A plugin retries anything it did not see accepted, and its offline queue replays whole
batches, so every heartbeat has a hash of what it says; `(owner_id, hash)` is unique and
inserts are `ON CONFLICT DO NOTHING`. Inserts run as the owner, so RLS guards them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal
from uuid import UUID

from timetracker.db import Database

ItemStatus = Literal["created", "duplicate"]


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
        return hashlib.sha256(json.dumps(identity, separators=(",", ":")).encode()).hexdigest()


def age_problem(heartbeat: Heartbeat, now: datetime, max_age: timedelta) -> str | None:
    """Why a heartbeat's time is refused (too old to trust, or in the future), or None."""
    if heartbeat.time < now - max_age:
        return f"time is more than {max_age.days} days in the past"
    # A few minutes of clock skew between the editor's machine and the server is normal.
    if heartbeat.time > now + timedelta(minutes=10):
        return "time is in the future"
    return None


INSERT_HEARTBEATS = """
insert into heartbeats (owner_id, time, entity, type, category, project, branch, language, is_write, lines,
  lineno, cursorpos, dependencies, editor, operating_system, machine, user_agent, hash)
select %s, h.time, h.entity, h.type, h.category, h.project, h.branch, h.language, h.is_write, h.lines,
  h.lineno, h.cursorpos, coalesce(array(select jsonb_array_elements_text(h.dependencies)), '{}'), h.editor,
  h.operating_system, h.machine, h.user_agent, h.hash
from unnest(%s::timestamptz[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::bool[],
  %s::int[], %s::int[], %s::int[], %s::jsonb[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
  as h(time, entity, type, category, project, branch, language, is_write, lines, lineno, cursorpos, dependencies,
       editor, operating_system, machine, user_agent, hash)
on conflict on constraint heartbeats_owner_hash_key do nothing
returning hash
"""


def store(db: Database, owner_id: UUID, heartbeats: list[Heartbeat]) -> list[ItemStatus]:
    """Store heartbeats as their owner in one statement; per item, in order: new or duplicate."""
    if not heartbeats:
        return []
    hashes = [h.hash for h in heartbeats]
    columns = (
        [h.time for h in heartbeats],
        [h.entity for h in heartbeats],
        [h.type for h in heartbeats],
        [h.category for h in heartbeats],
        [h.project for h in heartbeats],
        [h.branch for h in heartbeats],
        [h.language for h in heartbeats],
        [h.is_write for h in heartbeats],
        [h.lines for h in heartbeats],
        [h.lineno for h in heartbeats],
        [h.cursorpos for h in heartbeats],
        [json.dumps(list(h.dependencies)) for h in heartbeats],
        [h.editor for h in heartbeats],
        [h.operating_system for h in heartbeats],
        [h.machine for h in heartbeats],
        [h.user_agent for h in heartbeats],
        hashes,
    )
    with db.as_person(owner_id) as conn:
        # Binary parameters: text-format arrays are escaped element by element (see bench/wakatime_bench.py).
        cursor = conn.execute(INSERT_HEARTBEATS, (owner_id, *columns), binary=True)
        inserted = {row["hash"] for row in cursor.fetchall()}
    statuses: list[ItemStatus] = []
    for digest in hashes:
        # The same heartbeat twice in one batch: the first is new, the second a duplicate.
        statuses.append("created" if digest in inserted else "duplicate")
        inserted.discard(digest)
    return statuses
