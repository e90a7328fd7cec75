"""The throttles in the database: login backoff per (email, address) and per address, and the
per-key request window behind the sign-up limit and the timer's event limit.

A settable clock is handed to the SQL functions as "now", so nothing here waits. Every test
uses keys of its own (unique emails and addresses): the database is shared by the session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.utils.net import outside_address
from timetracker.auth.errors import AuthError
from timetracker.auth.throttle import LoginThrottle, Sweeper, ThrottleKeys
from timetracker.config import Settings
from timetracker.errors import RateLimited
from timetracker.ratelimit import RateLimit
from timetracker.runtime import Runtime

THROTTLE_FUNCTIONS = [
    "internal.throttle_attempt(text,integer,double precision,double precision,timestamp with time zone)",
    "internal.throttle_refund(text,integer)",
    "internal.throttle_window(text,integer,double precision,timestamp with time zone)",
    "internal.session_started_at(uuid,uuid)",
]


class Clock:
    def __init__(self) -> None:
        # Far from the real now: rows these tests leave behind expire long before other tests run.
        self.now = datetime(2001, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def strict(settings: Settings, **overrides: Any) -> Settings:
    values = {
        "login_max_failures": 3,
        "login_max_failures_per_address": 5,
        "login_lockout_seconds": 60,
        "login_max_lockout_seconds": 600,
        **overrides,
    }
    return settings.model_copy(update=values)


@pytest.fixture
def throttle(runtime: Runtime, settings: Settings, clock: Clock) -> LoginThrottle:
    return LoginThrottle(runtime.db, strict(settings), clock)


def email() -> str:
    return f"ana-{uuid.uuid4().hex[:10]}@example.com"


def address() -> str:
    return outside_address()


def waits(throttle: LoginThrottle, who: str, where: str) -> int:
    """0 when an attempt was counted (and may be evaluated), else the Retry-After it got."""
    try:
        throttle.begin(who, where)
    except AuthError as refused:
        assert isinstance(refused, RateLimited)
        assert refused.code == "over_request_rate_limit"
        assert refused.retry_after is not None
        return refused.retry_after
    return 0


def test_failures_back_off_doubling_up_to_the_cap(throttle: LoginThrottle, clock: Clock) -> None:
    ana, at = email(), address()
    assert [waits(throttle, ana, at) for _ in range(3)] == [0, 0, 0]
    assert waits(throttle, ana, at) == 60  # the third failure blocks the next try for 60 s

    expected = [120, 240, 480, 600, 600]  # each further failure doubles the wait, at most 600
    for wait in [60, *expected[:-1]]:
        clock.advance(wait)
        assert waits(throttle, ana, at) == 0
        assert waits(throttle, ana, at) == expected.pop(0)


def test_a_key_is_forgotten_a_quiet_cap_after_its_block(throttle: LoginThrottle, clock: Clock) -> None:
    ana, at = email(), address()
    for _ in range(3):
        waits(throttle, ana, at)
    clock.advance(60 + 599)
    assert waits(throttle, ana, at) == 0
    assert waits(throttle, ana, at) == 120  # still remembered: the wait doubled
    clock.advance(120 + 600)
    assert [waits(throttle, ana, at) for _ in range(3)] == [0, 0, 0]  # forgotten: three free tries again


def test_a_stranger_elsewhere_does_not_block_the_owner(throttle: LoginThrottle) -> None:
    ana, stranger, owner = email(), address(), address()
    for _ in range(3):
        waits(throttle, ana, stranger)
    assert waits(throttle, ana, stranger) > 0
    assert waits(throttle, ana, owner) == 0
    assert waits(throttle, ana, "127.0.0.1") == 0


def test_one_address_guessing_many_emails_is_blocked(throttle: LoginThrottle) -> None:
    sprayer = address()
    assert [waits(throttle, email(), sprayer) for _ in range(5)] == [0] * 5
    assert waits(throttle, email(), sprayer) == 60
    assert waits(throttle, email(), address()) == 0


def test_loopback_has_no_address_count(throttle: LoginThrottle) -> None:
    """Callers on this host that name no browser would all share it."""
    assert [waits(throttle, email(), "127.0.0.1") for _ in range(8)] == [0] * 8


def test_a_refused_attempt_counts_nowhere(throttle: LoginThrottle, clock: Clock) -> None:
    """Refused by its address, an attempt must not count against its (email, address) either."""
    sprayer, ana = address(), email()
    for _ in range(5):
        waits(throttle, email(), sprayer)
    for _ in range(10):
        assert waits(throttle, ana, sprayer) > 0
    clock.advance(60)
    assert waits(throttle, ana, sprayer) == 0  # ana's own count was untouched by the refusals


def test_a_success_clears_the_pair_and_refunds_the_address(throttle: LoginThrottle) -> None:
    ana, at = email(), address()
    waits(throttle, ana, at)
    waits(throttle, ana, at)
    attempt = throttle.begin(ana, at)
    throttle.succeeded(attempt)
    assert [waits(throttle, ana, at) for _ in range(3)] == [0, 0, 0]

    # Successes from a busy address give back what they took: 5 good logins, then 5 bad ones.
    office = address()
    for _ in range(5):
        throttle.succeeded(throttle.begin(email(), office))
    assert [waits(throttle, email(), office) for _ in range(5)] == [0] * 5
    assert waits(throttle, email(), office) > 0


def test_parallel_attempts_are_counted_one_by_one(runtime: Runtime, settings: Settings) -> None:
    throttle = LoginThrottle(runtime.db, strict(settings, login_max_failures=5, login_max_failures_per_address=50))
    ana, at = email(), address()
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda _: waits(throttle, ana, at), range(40)))
    assert results.count(0) == 5


def test_keys_name_no_email_or_address(runtime: Runtime, throttle: LoginThrottle) -> None:
    ana, at = email(), address()
    waits(throttle, ana, at)
    with psycopg.connect(runtime.db.admin_url) as conn:
        keys = [row[0] for row in conn.execute("select key from internal.auth_throttles").fetchall()]
    assert throttle.keys.key("login", ana, at) in keys
    assert not [key for key in keys if ana in key or at in key]
    assert ThrottleKeys("another secret").key("login", ana, at) not in keys


def test_rate_limit_counts_only_requests_it_lets_through(runtime: Runtime, settings: Settings, clock: Clock) -> None:
    limit = RateLimit(runtime.db, "test", 2, 10, settings.master_secret.get_secret_value(), clock)
    key = uuid.uuid4().hex
    assert [limit.acquire(key), limit.acquire(key)] == [0, 0]
    assert [limit.acquire(key), limit.acquire(key)] == [10, 10]
    clock.advance(9.5)
    assert limit.acquire(key) == 1
    clock.advance(0.5)
    assert limit.acquire(key) == 0
    assert limit.acquire(uuid.uuid4().hex) == 0


def test_two_limiters_on_one_database_share_the_count(runtime: Runtime, settings: Settings, clock: Clock) -> None:
    """Two API processes are two limiters on one database: the second is no second allowance."""
    secret = settings.master_secret.get_secret_value()
    first, second = (RateLimit(runtime.db, "test", 3, 60, secret, clock) for _ in range(2))
    key = uuid.uuid4().hex
    assert [first.acquire(key), second.acquire(key), first.acquire(key)] == [0, 0, 0]
    assert second.acquire(key) == 60


def test_expired_rows_are_swept(runtime: Runtime, settings: Settings, clock: Clock) -> None:
    limit = RateLimit(runtime.db, "test", 1, 60, settings.master_secret.get_secret_value(), clock)
    keys = [uuid.uuid4().hex for _ in range(20)]
    for key in keys:
        limit.acquire(key)
    stored = [limit.keys.key("test", key) for key in keys]

    def remaining() -> int:
        with psycopg.connect(runtime.db.admin_url) as conn:
            query = "select count(*) from internal.auth_throttles where key = any(%s)"
            return conn.execute(query, (stored,)).fetchone()[0]

    assert remaining() == 20
    clock.advance(61)
    assert Sweeper(runtime.db, clock).sweep() >= 20
    assert remaining() == 0


@pytest.fixture(scope="module")
def catalog(runtime: Runtime) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        yield conn


def test_the_throttle_table_is_for_the_service_path_only(catalog: psycopg.Connection[Any]) -> None:
    forced = catalog.execute(
        "select relrowsecurity and relforcerowsecurity from pg_class where oid = 'internal.auth_throttles'::regclass"
    ).fetchone()[0]
    assert forced
    for role in ("anon", "authenticated"):
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            allowed = catalog.execute(
                "select has_table_privilege(%s, 'internal.auth_throttles', %s)", (role, privilege)
            ).fetchone()[0]
            assert not allowed, (role, privilege)
    service = "select has_table_privilege('service_role', 'internal.auth_throttles', 'UPDATE')"
    assert catalog.execute(service).fetchone()[0]


@pytest.mark.parametrize("function", THROTTLE_FUNCTIONS)
def test_the_throttle_and_session_functions_are_for_the_service_path_only(
    catalog: psycopg.Connection[Any], function: str
) -> None:
    def may(role: str) -> bool:
        return catalog.execute("select has_function_privilege(%s, %s, 'EXECUTE')", (role, function)).fetchone()[0]

    assert (may("anon"), may("authenticated"), may("service_role")) == (False, False, True)
