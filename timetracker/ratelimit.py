"""A per-key request limit: at most N requests per window of W seconds, counted in the database.

In the database so that every API process counts against one limit (a second process is no
second allowance). A window opens at the key's first request after the previous one closed;
the count and the check are one locked step (sql/0013_throttles.sql), so parallel requests
cannot all slip under the limit. Keys are stored as HMACs (see ThrottleKeys).
"""

from __future__ import annotations

from timetracker.auth.throttle import Clock, Sweeper, ThrottleKeys, wait_seconds
from timetracker.db import Database


class RateLimit:
    def __init__(
        self, db: Database, kind: str, limit: int, window_seconds: int, secret: str, clock: Clock | None = None
    ) -> None:
        self.db = db
        self.kind = kind
        self.limit = limit
        self.window_seconds = float(window_seconds)
        self.keys = ThrottleKeys(secret)
        self._clock = clock
        self.sweeper = Sweeper(db, clock)

    def acquire(self, key: str) -> int:
        """Count one request for `key`; 0 when it may go ahead, else the seconds to wait (not counted)."""
        now = self._clock() if self._clock else None
        row = self.db.one_as_service(
            "select internal.throttle_window(%s, %s, %s, %s) as wait",
            (self.keys.key(self.kind, key), self.limit, self.window_seconds, now),
            bookkeeping=True,
        )
        assert row is not None  # the function always answers
        wait = row["wait"]
        self.sweeper.maybe()
        return wait_seconds(wait) if wait > 0 else 0
