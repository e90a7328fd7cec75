"""The one rule for timestamps devices make up (timetracker.clock), at its edges, and that the
timer's lower bound is the same rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from timetracker import clock
from timetracker.timer import store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [
        clock.EARLIEST,
        datetime(2025, 4, 11, 15, 23, 42, tzinfo=UTC),
        NOW,
        NOW + clock.AHEAD,  # a day ahead is still believed
    ],
)
def test_a_believable_moment_has_no_problem(moment: datetime) -> None:
    assert clock.problem(moment, now=NOW) is None


@pytest.mark.parametrize(
    ("moment", "why"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), "before 2000-01-01"),
        (datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC), "NTP"),  # an ESP32 that has not synced yet
        (clock.EARLIEST - timedelta(microseconds=1), "before 2000-01-01"),
        (NOW + clock.AHEAD + timedelta(microseconds=1), "more than a day ahead"),
        (datetime(2100, 1, 1, tzinfo=UTC), "more than a day ahead"),
        (datetime(9999, 12, 31, tzinfo=UTC), "more than a day ahead"),
    ],
)
def test_a_clock_not_set_or_far_ahead_is_a_problem_that_says_why(moment: datetime, why: str) -> None:
    problem = clock.problem(moment, now=NOW)
    assert problem is not None and why in problem
    with pytest.raises(ValueError, match="timestamp is"):
        clock.believable(moment, now=NOW)
    assert clock.believable(NOW, now=NOW) == NOW


def test_the_ahead_message_names_the_servers_clock() -> None:
    assert "2026-03-02T09:00:00Z" in (clock.problem(datetime(2100, 1, 1, tzinfo=UTC), now=NOW) or "")


def test_the_timer_shares_the_lower_bound() -> None:
    assert store.EARLIEST_EVENT == clock.EARLIEST == datetime(2000, 1, 1, tzinfo=UTC)
