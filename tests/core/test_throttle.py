"""The in-memory windows behind the login throttle and the per-token rate limit.

A settable clock stands in for time.monotonic, so nothing here waits or measures time.
"""

from __future__ import annotations

from timetracker.auth.throttle import MIN_SWEEP_SIZE, LoginThrottle
from timetracker.ratelimit import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_locks_out_after_max_failures_until_the_window_passes() -> None:
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, lockout_seconds=60, clock=clock)
    for _ in range(2):
        throttle.record_failure("ana@example.com")
    assert throttle.retry_after("ana@example.com") == 0

    throttle.record_failure("ana@example.com")
    assert throttle.retry_after("ana@example.com") == 61
    assert throttle.retry_after("bob@example.com") == 0

    clock.now += 60
    assert throttle.retry_after("ana@example.com") == 0


def test_a_success_resets_the_count() -> None:
    throttle = LoginThrottle(max_failures=1, lockout_seconds=60, clock=Clock())
    throttle.record_failure("ana@example.com")
    throttle.reset("ana@example.com")
    assert throttle.retry_after("ana@example.com") == 0


def test_lookups_of_unknown_keys_store_nothing() -> None:
    throttle = LoginThrottle(max_failures=3, lockout_seconds=60, clock=Clock())
    for i in range(100):
        throttle.retry_after(f"made-up-{i}")
    assert len(throttle) == 0


def test_keys_that_left_the_window_are_forgotten() -> None:
    # A flood of made-up tokens, each seen once: without forgetting, every one stays forever.
    clock = Clock()
    limit = RateLimit(limit=5, window_seconds=60, clock=clock)
    flood = 30 * MIN_SWEEP_SIZE
    for i in range(flood):
        assert limit.acquire(f"Bearer made-up-{i}") == 0
        clock.now += 0.01  # 30,720 keys over ~307 s: at most 6,000 inside any 60 s window

    # Sweeps run when the table doubles, so it holds at most twice what one window does.
    assert len(limit) <= 2 * 6_000 < flood


def test_rate_limit_counts_only_requests_it_lets_through() -> None:
    clock = Clock()
    limit = RateLimit(limit=2, window_seconds=10, clock=clock)
    assert [limit.acquire("t"), limit.acquire("t")] == [0, 0]
    assert limit.acquire("t") == 11
    clock.now += 10
    assert limit.acquire("t") == 0
