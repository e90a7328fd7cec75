"""Login throttling: after N failures for an account or an address, refuse for a while.

Kept in memory: the auth server is one process, and a restart forgiving a lockout is an
acceptable trade for not writing a row per failed guess.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, max_failures: int, lockout_seconds: int) -> None:
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        window = self._failures[key]
        while window and window[0] <= now - self.lockout_seconds:
            window.popleft()
        return window

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again (0: go ahead)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                window[0] + self.lockout_seconds - now
                for window in (self._recent(key, now) for key in keys)
                if len(window) >= self.max_failures
            ]
        return max(1, int(max(waits)) + 1) if waits else 0

    def record_failure(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def reset(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
