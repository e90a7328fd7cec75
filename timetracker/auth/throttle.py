"""Login throttling in the database: every API process counts against the same limits.

Failed logins are counted per (email, client address) with exponential backoff, so a
stranger guessing from elsewhere slows down only themselves and never locks the owner out;
and per client address across all emails, so one address cannot spray guesses either.
Loopback gets no address key: a caller on this host that names no browser (a local tool, or
the dashboard when it cannot tell the browser's address) would otherwise make everyone's
failures count together.

An attempt is counted *before* its password is checked, under a row lock, in the same
transaction for both keys (sql/0013_throttles.sql): a burst of parallel guesses is counted
one by one, and exactly the allowed number reach bcrypt. A login that turns out right clears
its (email, address) count and gives back what it took from the address.

Keys are HMACs under MASTER_SECRET, so the table never holds an email or an address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from timetracker.auth.errors import AuthRateLimited
from timetracker.config import Settings
from timetracker.db import Database

Clock = Callable[[], datetime]

# Expired rows are deleted by whichever request comes along after this long.
SWEEP_INTERVAL_SECONDS = 300.0

log = structlog.get_logger(__name__)


class ThrottleKeys:
    """Turns what is limited into a row key that does not reveal it."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def key(self, kind: str, *parts: str) -> str:
        mac = hmac.new(self._secret, "\x00".join((kind, *parts)).encode(), hashlib.sha256).hexdigest()
        return f"{kind}:{mac}"


def wait_seconds(wait: float) -> int:
    """A Retry-After: whole seconds, never 0 for a refusal."""
    return max(1, math.ceil(wait))


class Sweeper:
    """Deletes expired throttle rows now and then, from the request path (no background job)."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._next = time.monotonic() + SWEEP_INTERVAL_SECONDS

    def maybe(self) -> None:
        with self._lock:
            if time.monotonic() < self._next:
                return
            self._next = time.monotonic() + SWEEP_INTERVAL_SECONDS
        self.sweep()

    def sweep(self) -> int:
        """Delete every row past its expiry; returns how many."""
        now = self._clock() if self._clock else None
        with self.db.as_service() as conn:
            cur = conn.execute(
                "delete from internal.auth_throttles where expires_at <= coalesce(%s::timestamptz, now())", (now,)
            )
        return cur.rowcount


@dataclass(frozen=True)
class LoginAttempt:
    """An attempt that was counted; hand it back to `succeeded` if the password was right."""

    pair_key: str
    address_key: str | None


class _Refused(Exception):
    """Raised inside the counting transaction so it rolls back: a refused attempt counts nowhere."""

    def __init__(self, wait: float) -> None:
        self.wait = wait


class LoginThrottle:
    def __init__(self, db: Database, settings: Settings, clock: Clock | None = None) -> None:
        self.db = db
        self.max_failures = settings.login_max_failures
        self.max_failures_per_address = settings.login_max_failures_per_address
        self.base_seconds = float(settings.login_lockout_seconds)
        self.cap_seconds = float(settings.login_max_lockout_seconds)
        self.keys = ThrottleKeys(settings.master_secret.get_secret_value())
        self._clock = clock
        self.sweeper = Sweeper(db, clock)

    def begin(self, email: str, client_address: str | None) -> LoginAttempt:
        """Count an attempt for `email` from `client_address`, or raise AuthRateLimited when it must wait."""
        address = client_address or "unknown"
        attempt = LoginAttempt(
            pair_key=self.keys.key("login", email, address),
            address_key=self.keys.key("login-address", address) if address_key_applies(address) else None,
        )
        limits = [(attempt.pair_key, self.max_failures)]
        if attempt.address_key is not None:
            limits.append((attempt.address_key, self.max_failures_per_address))
        now = self._clock() if self._clock else None
        try:
            # One transaction, keys always in the same order (pair, then address): no deadlock,
            # and a refusal by the second key rolls back what the first counted.
            with self.db.as_service() as conn:
                for key, free in limits:
                    wait = conn.execute(
                        "select internal.throttle_attempt(%s, %s, %s, %s, %s) as wait",
                        (key, free, self.base_seconds, self.cap_seconds, now),
                    ).fetchone()["wait"]
                    if wait > 0:
                        raise _Refused(wait)
        except _Refused as refused:
            seconds = wait_seconds(refused.wait)
            log.info("auth.login_throttled", retry_after=seconds)
            message = f"Too many failed logins. Try again in {seconds} seconds."
            raise AuthRateLimited("over_request_rate_limit", message, seconds) from None
        self.sweeper.maybe()
        return attempt

    def succeeded(self, attempt: LoginAttempt) -> None:
        """The password was right: forget this (email, address)'s failures and refund the address."""
        with self.db.as_service() as conn:
            conn.execute("delete from internal.auth_throttles where key = %s", (attempt.pair_key,))
            if attempt.address_key is not None:
                conn.execute(
                    "select internal.throttle_refund(%s, %s)", (attempt.address_key, self.max_failures_per_address)
                )


def address_key_applies(client_address: str | None) -> bool:
    """Whether the address names someone in particular (not loopback, where callers on this
    host that name no browser would all share one count)."""
    if client_address is None:
        return False
    try:
        return not ipaddress.ip_address(client_address).is_loopback
    except ValueError:
        return True  # e.g. "unknown": still one key for all such callers
