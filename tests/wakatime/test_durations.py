"""Durations from heartbeats: joined under the person's timeout, cut at their local midnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.utils.teams import join
from tests.utils.users import TestUser
from tests.wakatime.plugins import BULK_URL, basic, beat, new_key
from timetracker import profiles, teams
from timetracker.reports.timeline import local_day_window
from timetracker.runtime import Runtime
from timetracker.wakatime import coding_time, durations

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def rows(*specs: tuple[int, str]) -> list[dict]:
    """(minutes after T0, entity) -> heartbeat rows as durations.read gets them."""
    return [
        {"time": T0 + m * MIN, "entity": entity, "project": "p", "language": "Python", "editor": "vim"}
        for m, entity in specs
    ]


def spans(result: list[durations.CodingDuration]) -> list[tuple[str, float, float]]:
    return [(d.entity, (d.started_at - T0) / MIN, (d.ended_at - T0) / MIN) for d in result]


def test_heartbeats_under_the_timeout_join_into_one_duration() -> None:
    result = durations.join(rows((0, "a"), (5, "a"), (10, "a")), timedelta(minutes=15))
    assert spans(result) == [("a", 0, 10)]


def test_a_gap_at_or_over_the_timeout_splits_and_the_earlier_one_ends_at_its_last_heartbeat() -> None:
    result = durations.join(rows((0, "a"), (5, "a"), (20, "a"), (22, "a")), timedelta(minutes=15))
    assert spans(result) == [("a", 0, 5), ("a", 20, 22)]
    assert spans(durations.join(rows((0, "a"), (15, "a")), timedelta(minutes=15))) == [("a", 0, 0), ("a", 15, 15)]


def test_switching_files_starts_a_new_duration_and_the_gap_counts_for_the_previous_file() -> None:
    result = durations.join(rows((0, "a"), (4, "b"), (6, "b"), (8, "a")), timedelta(minutes=15))
    assert spans(result) == [("a", 0, 4), ("b", 4, 8), ("a", 8, 8)]


def test_a_shorter_timeout_drops_the_long_gaps() -> None:
    result = durations.join(rows((0, "a"), (5, "a"), (7, "a")), timedelta(minutes=3))
    assert spans(result) == [("a", 0, 0), ("a", 5, 7)]


@pytest.fixture
def berlin_coder(http: httpx.Client, runtime: Runtime, alice: TestUser) -> tuple[TestUser, str]:
    profiles.update(runtime.db, alice.principal, timezone="Europe/Berlin")
    return alice, new_key(http, alice)


def post_local(http: httpx.Client, key: str, tz: ZoneInfo, day: date, clock: list[str], **fields: str) -> None:
    """Heartbeats at local wall-clock times ("23:50", or "+00:10" for the next day)."""
    items = []
    for text in clock:
        offset = 1 if text.startswith("+") else 0
        hour, minute = (int(part) for part in text.lstrip("+").split(":"))
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz) + timedelta(days=offset)
        items.append(beat(local, **fields))
    # These are older than the age cap only if the suite runs far in the future; keep them recent.
    response = http.post(BULK_URL, json=items, headers=basic(key))
    assert [status for _, status in response.json()["responses"]] == [201] * len(items), response.text


def test_time_across_local_midnight_is_split_between_the_two_days(
    http: httpx.Client, runtime: Runtime, berlin_coder: tuple[TestUser, str]
) -> None:
    user, key = berlin_coder
    tz = ZoneInfo("Europe/Berlin")
    day = datetime.now(tz).date() - timedelta(days=3)
    post_local(http, key, tz, day, ["23:40", "23:50", "+00:00", "+00:05", "+00:20"])

    totals = coding_time.day_totals(runtime.db, user.principal, day, day + timedelta(days=1), tz)
    projects = totals[totals["dimension"] == "project"].set_index("day")["seconds"].to_dict()
    # 23:40 -> 00:05 joined (gaps of 10, 10, 5 min); 00:05 -> 00:20 is a 15-minute gap: cut.
    assert projects == {day: 20 * 60, day + timedelta(days=1): 5 * 60}
    assert set(totals["dimension"]) == {"project", "language", "editor"}

    response = http.get(
        "/api/v1/time",
        params={"start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat(), "include": "intervals"},
        headers=user.headers,
    )
    assert response.status_code == 200
    pieces = [p for p in response.json()["intervals"] if p["source"] == "wakatime"]
    assert [(p["day"], p["label"], p["seconds"]) for p in pieces] == [
        (day.isoformat(), "apollo", 1200.0),
        ((day + timedelta(days=1)).isoformat(), "apollo", 300.0),
    ]


def test_the_persons_timeout_decides_what_joins(
    http: httpx.Client, runtime: Runtime, berlin_coder: tuple[TestUser, str]
) -> None:
    user, key = berlin_coder
    tz = ZoneInfo("Europe/Berlin")
    day = datetime.now(tz).date() - timedelta(days=2)
    post_local(http, key, tz, day, ["10:00", "10:20", "10:40"])

    def seconds() -> float:
        totals = coding_time.day_totals(runtime.db, user.principal, day, day, tz)
        return float(totals[totals["dimension"] == "project"]["seconds"].sum())

    assert seconds() == 0  # 20-minute gaps under the default 15
    response = http.put("/api/v1/wakatime/heartbeat-settings", json={"timeout_minutes": 30}, headers=user.headers)
    assert response.status_code == 200 and response.json()["timeout_minutes"] == 30
    assert seconds() == 40 * 60
    bad = http.put("/api/v1/wakatime/heartbeat-settings", json={"timeout_minutes": 0}, headers=user.headers)
    assert bad.status_code == 422


def test_a_team_admin_sees_a_members_coding_time_and_a_stranger_does_not(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser], alice: TestUser, bob: TestUser
) -> None:
    lead = user_factory("lead")
    team = teams.create(runtime.db, lead.principal, "Coders")
    join(runtime.db, lead, team["id"], alice)
    key = new_key(http, alice)
    day = datetime.now(UTC).date() - timedelta(days=1)
    post_local(http, key, ZoneInfo("UTC"), day, ["09:00", "09:10"])
    query = {"start": day.isoformat(), "end": day.isoformat(), "user_id": str(alice.id), "include": "intervals"}

    def coding_seconds(viewer: TestUser) -> float:
        response = http.get("/api/v1/time", params=query, headers=viewer.headers)
        assert response.status_code == 200, response.text
        return sum(p["seconds"] for p in response.json()["intervals"] if p["source"] == "wakatime")

    assert coding_seconds(alice) == 600
    assert coding_seconds(lead) == 600
    assert http.get("/api/v1/time", params=query, headers=bob.headers).status_code == 403
    # Below the API's check, RLS alone hides the heartbeats from a stranger.
    start, end = local_day_window(day, day, ZoneInfo("UTC"))
    with runtime.db.as_user(bob.principal.db_claims) as conn:
        assert durations.read(conn, alice.id, start, end) == []
    with runtime.db.as_user(lead.principal.db_claims) as conn:
        assert [d.seconds for d in durations.read(conn, alice.id, start, end)] == [600]
