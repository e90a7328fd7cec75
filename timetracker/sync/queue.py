"""The local outbox: a SQLite database (WAL) that survives crashes and reboots.

* `outbox`: events waiting to go out, one row per (bucket, timestamp). A newer version of
  the same event (ActivityWatch's newest event keeps growing) replaces the waiting one.
* `seen`: the fingerprint of the last version of each recent event that was queued, so a
  restart that re-reads aw-server queues nothing already handled. Trimmed below the
  watermark (only the events at the watermark can still change).
* `watermarks`: per bucket, the timestamp of the newest event queued so far.
* `set_aside`: events the server refused as invalid (4xx), with its error; never retried.
* `state`: last sync, last error, dropped count.

Rows leave `outbox` only after the server acknowledged them; a crash between sending and
the acknowledgement resends them, and the server's natural key makes that harmless.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA = """
create table if not exists outbox (
  seq integer primary key autoincrement,
  bucket_id text not null, bucket text not null, timestamp text not null,
  event text not null, fingerprint text not null,
  unique (bucket_id, timestamp)
);
create table if not exists seen (
  bucket_id text not null, timestamp text not null, fingerprint text not null,
  primary key (bucket_id, timestamp)
);
create table if not exists watermarks (bucket_id text primary key, timestamp text not null);
create table if not exists set_aside (
  bucket_id text not null, timestamp text not null, event text not null, error text not null,
  set_aside_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
create table if not exists state (key text primary key, value text not null);
"""


def fingerprint(event: dict[str, Any]) -> str:
    body = json.dumps([event.get("duration"), event.get("data")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class Waiting:
    seq: int
    bucket_id: str
    bucket: dict[str, Any]
    timestamp: str
    event: dict[str, Any]
    fingerprint: str


class Outbox:
    def __init__(self, path: Path, capacity: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.capacity = capacity
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("pragma journal_mode = wal")
        self.db.execute("pragma synchronous = full")  # an acknowledged delete must survive power loss
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- what was read from aw-server ---------------------------------------------------------

    def watermark(self, bucket_id: str) -> str | None:
        row = self.db.execute("select timestamp from watermarks where bucket_id = ?", (bucket_id,)).fetchone()
        return row[0] if row else None

    def add(self, bucket: dict[str, Any], events: list[dict[str, Any]], watermark: str | None) -> int:
        """Queue the events not seen in this exact version; move the bucket's watermark to
        `watermark`. One transaction. Returns how many were queued."""
        bucket_id = bucket["id"]
        queued = 0
        with self._transaction():
            for event in events:
                timestamp, mark = event["timestamp"], fingerprint(event)
                known = self.db.execute(
                    "select fingerprint from seen where bucket_id = ? and timestamp = ?", (bucket_id, timestamp)
                ).fetchone()
                if known and known[0] == mark:
                    continue
                wire = {"timestamp": timestamp, "duration": event.get("duration", 0), "data": event.get("data", {})}
                self.db.execute(
                    "insert into outbox (bucket_id, bucket, timestamp, event, fingerprint) values (?, ?, ?, ?, ?)"
                    " on conflict (bucket_id, timestamp) do update set event = excluded.event,"
                    " fingerprint = excluded.fingerprint, bucket = excluded.bucket",
                    (bucket_id, json.dumps(bucket), timestamp, json.dumps(wire), mark),
                )
                self.db.execute(
                    "insert or replace into seen (bucket_id, timestamp, fingerprint) values (?, ?, ?)",
                    (bucket_id, timestamp, mark),
                )
                queued += 1
            if watermark is not None:
                self.db.execute("insert or replace into watermarks values (?, ?)", (bucket_id, watermark))
                self.db.execute("delete from seen where bucket_id = ? and timestamp < ?", (bucket_id, watermark))
            self._enforce_capacity()
        return queued

    def _enforce_capacity(self) -> None:
        excess = self.length() - self.capacity
        if excess > 0:
            self.db.execute("delete from outbox where seq in (select seq from outbox order by seq limit ?)", (excess,))
            dropped = int(self.get("dropped") or 0) + excess
            self.set("dropped", str(dropped))
            log.warning("offline queue full (%d events): dropped the %d oldest", self.capacity, excess)

    # -- what goes out ------------------------------------------------------------------------

    def next_batch(self, size: int, skip: Collection[int] = ()) -> list[Waiting]:
        """The oldest `size` waiting events, passing over the queue positions in `skip`."""
        passed_over = list(skip)
        placeholders = ", ".join("?" for _ in passed_over)  # SQLite accepts an empty `not in ()`
        rows = self.db.execute(
            "select seq, bucket_id, bucket, timestamp, event, fingerprint from outbox"
            f" where seq not in ({placeholders}) order by seq limit ?",
            (*passed_over, size),
        ).fetchall()
        return [
            Waiting(seq, bid, json.loads(bucket), ts, json.loads(event), mark)
            for seq, bid, bucket, ts, event, mark in rows
        ]

    def acknowledge(self, items: list[Waiting]) -> None:
        """Delete what the server stored, unless a newer version was queued meanwhile."""
        with self._transaction():
            for item in items:
                self.db.execute("delete from outbox where seq = ? and fingerprint = ?", (item.seq, item.fingerprint))

    def set_item_aside(self, item: Waiting, error: str) -> None:
        with self._transaction():
            self.db.execute("delete from outbox where seq = ?", (item.seq,))
            self.db.execute(
                "insert into set_aside (bucket_id, timestamp, event, error) values (?, ?, ?, ?)",
                (item.bucket_id, item.timestamp, json.dumps(item.event), error),
            )

    def length(self) -> int:
        return self.db.execute("select count(*) from outbox").fetchone()[0]

    def set_aside(self) -> list[dict[str, Any]]:
        rows = self.db.execute("select bucket_id, timestamp, event, error, set_aside_at from set_aside").fetchall()
        return [
            {"bucket_id": b, "timestamp": t, "event": json.loads(e), "error": err, "at": at}
            for b, t, e, err, at in rows
        ]

    # -- small state ---------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("select value from state where key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        self.db.execute("insert or replace into state values (?, ?)", (key, value))

    def _transaction(self) -> Any:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("begin immediate")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("commit" if kind is None else "rollback")
