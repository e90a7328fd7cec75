"""A per-key request limit: at most N requests in any sliding window of W seconds.

The login throttle already keeps a sliding window of moments per key and says how long to
wait once N fall inside it; a request limit is the same window fed with every request
rather than every failure, so this reuses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from timetracker.auth.throttle import LoginThrottle


class RateLimit:
    def __init__(self, limit: int, window_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = LoginThrottle(max_failures=limit, lockout_seconds=window_seconds, clock=clock)

    def acquire(self, key: str) -> int:
        """Count one request for `key`; 0 when it may go ahead, else the seconds to wait (not counted)."""
        wait = self._window.retry_after(key)
        if wait == 0:
            self._window.record_failure(key)
        return wait

    def __len__(self) -> int:
        return len(self._window)
