"""When a device's clock can be believed: the one rule for timestamps that senders make up.

A reader or a watcher stamps its events with its own clock, and clocks break in known ways:
an ESP32 starts at 1970-01-01 and keeps that date until NTP answers, a dead RTC battery or
a bad parse gives year 1 or 9999, and a misconfigured zone runs hours ahead. An event dated
1970 opened an interval decades long; one dated 2100 stayed the "last seen" of a team for
ever. Nobody's work here predates 2000, and a clock a little ahead (a reader that has not
corrected its drift, a time zone entered as UTC) is tolerated for a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)


def problem(moment: datetime, now: datetime | None = None) -> str | None:
    """Why an aware `moment` cannot be a real event's time, or None when it can."""
    if moment < EARLIEST:
        return (
            f"timestamp is before {EARLIEST:%Y-%m-%d}: the sender's clock is not set"
            " (a device that has not synced with NTP yet counts from 1970)"
        )
    current = now or datetime.now(UTC)
    if moment > current + AHEAD:
        return (
            "timestamp is more than a day ahead of the server's clock"
            f" ({current.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}): check the sender's clock and time zone"
        )
    return None


def believable(moment: datetime, now: datetime | None = None) -> datetime:
    """`moment`, or ValueError saying why not (a pydantic validator's way of refusing)."""
    reason = problem(moment, now)
    if reason:
        raise ValueError(reason)
    return moment
