"""Login throttling: after N failures for an account or an address, refuse for a while.

Kept in memory: the auth server is one process, and a restart forgiving a lockout is an
acceptable trade for not writing a row per failed guess. Keys whose moments have all left
the window are forgotten (on lookup, and in a sweep as the table grows), so a flood of
made-up emails or tokens cannot grow it beyond what one window holds.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MIN_SWEEP_SIZE = 1024


class LoginThrottle:
    def __init__(self, max_failures: int, lockout_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._sweep_above = MIN_SWEEP_SIZE
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        """The key's moments still inside the window (a new, unstored deque if none)."""
        window = self._failures.get(key)
        if window is None:
            return deque()
        while window and window[0] <= now - self.lockout_seconds:
            window.popleft()
        if not window:
            del self._failures[key]
        return window

    def _sweep(self, now: float) -> None:
        cutoff = now - self.lockout_seconds
        for key in [key for key, window in self._failures.items() if window[-1] <= cutoff]:
            del self._failures[key]
        # Amortised: the next sweep waits until the table has doubled again.
        self._sweep_above = max(MIN_SWEEP_SIZE, 2 * len(self._failures))

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again (0: go ahead)."""
        now = self._clock()
        with self._lock:
            waits = [
                window[0] + self.lockout_seconds - now
                for window in (self._recent(key, now) for key in keys)
                if len(window) >= self.max_failures
            ]
        return max(1, int(max(waits)) + 1) if waits else 0

    def record_failure(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                window = self._recent(key, now)
                window.append(now)
                self._failures[key] = window
            if len(self._failures) > self._sweep_above:
                self._sweep(now)

    def reset(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def __len__(self) -> int:
        """How many keys are remembered (for tests and metrics)."""
        return len(self._failures)
