"""The admin's team summary: not-AFK time today and this week in the admin's zone, top apps."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.activitywatch.aw_data import BASE, bucket, event
from tests.activitywatch.conftest import AwTeam
from timetracker import profiles
from timetracker.activitywatch import batch, ingest, team
from timetracker.errors import Forbidden
from timetracker.runtime import Runtime

# BASE is Monday 09:00 UTC. Sunday 23:00-Monday 01:00 UTC of not-AFK time straddles midnight.
ACTIVITY = [
    bucket(
        "afkstatus",
        [
            event(-10 * 3600, 7200, status="not-afk"),  # Sun 23:00 - Mon 01:00 UTC
            event(0, 3600, status="not-afk"),  # Mon 09:00 - 10:00
            event(3600, 1800, status="afk"),
        ],
    ),
    bucket(
        "currentwindow",
        [
            event(0, 1200, app="Code", title="a"),
            event(1200, 600, app="Firefox", title="b"),
            event(1800, 1800, app="Code", title="c"),
            event(3600, 60, app="Slack", title="d"),
            event(3660, 30, app="Terminal", title="e"),
        ],
    ),
]


def send_as_developer(runtime: Runtime, aw_team: AwTeam) -> None:
    received = batch.read(ACTIVITY)
    received.record(
        ingest.store(
            runtime.db, ingest.Sender(team_id=aw_team.team_id, developer_id=aw_team.developer_id), received.rows
        )
    )


def test_summary_counts_not_afk_time_in_the_admins_timezone(runtime: Runtime, aw_team: AwTeam) -> None:
    send_as_developer(runtime, aw_team)
    team.register(runtime.db, aw_team.owner.principal, aw_team.team_id, "Member Person", aw_team.member.email)
    until = BASE + timedelta(hours=2)
    [utc_row] = team.summary(runtime.db, aw_team.owner.principal, aw_team.team_id, ZoneInfo("UTC"), at=until)
    assert utc_row["display_name"] == "Member Person"
    assert utc_row["developer_ids"] == [aw_team.developer_id]
    assert utc_row["active_seconds_today"] == 3600 + 3600  # Mon 00:00-01:00 and 09:00-10:00
    assert utc_row["active_seconds_week"] == 3600 + 3600  # the week starts Monday 00:00
    # Window time counts while not AFK, as on My time: Slack and Terminal came after 10:00, when AFK.
    assert [(a["app"], a["seconds"]) for a in utc_row["top_apps"]] == [("Code", 3000), ("Firefox", 600)]
    assert utc_row["last_seen_at"] == BASE + timedelta(seconds=5400)

    # In Berlin (UTC+1) Monday began at Sun 23:00 UTC, so all of the first stretch is today.
    [berlin] = team.summary(runtime.db, aw_team.owner.principal, aw_team.team_id, ZoneInfo("Europe/Berlin"), at=until)
    assert berlin["active_seconds_today"] == 7200 + 3600


def test_only_admins_get_a_summary(runtime: Runtime, aw_team: AwTeam) -> None:
    with pytest.raises(Forbidden):
        team.summary(runtime.db, aw_team.member.principal, aw_team.team_id, ZoneInfo("UTC"))


def test_linked_developer_is_shown_under_the_members_name(runtime: Runtime, aw_team: AwTeam) -> None:
    send_as_developer(runtime, aw_team)
    profiles.update(runtime.db, aw_team.member.principal, display_name="Mem Ber")
    team.link(runtime.db, aw_team.owner.principal, aw_team.team_id, aw_team.developer_id, aw_team.member.id)
    [row] = team.summary(runtime.db, aw_team.owner.principal, aw_team.team_id, ZoneInfo("UTC"), at=BASE)
    assert row["display_name"] == "Mem Ber" and row["person_id"] == aw_team.member.id


def test_team_summary_over_http(http: httpx.Client, runtime: Runtime, aw_team: AwTeam) -> None:
    response = http.post("/api/v1/activitywatch/webhook", json=ACTIVITY, headers=aw_team.developer_headers)
    assert response.json()["created"] == 8
    # The events are from a Monday in the past: the summary covers the day asked for and its week.
    assert http.get("/api/v1/activitywatch/team-summary", headers=aw_team.owner.headers).json()["teams"] == [
        {"team_id": str(aw_team.team_id), "developers": []}
    ]
    answer = http.get(
        "/api/v1/activitywatch/team-summary", params={"day": BASE.date().isoformat()}, headers=aw_team.owner.headers
    )
    assert answer.status_code == 200
    [team_block] = answer.json()["teams"]
    assert team_block["team_id"] == str(aw_team.team_id)
    [dev] = team_block["developers"]
    assert dev["developer_ids"] == [aw_team.developer_id]
    assert dev["last_seen_at"].startswith("2026-03-02T10:30")
    assert {"active_seconds_today", "active_seconds_week", "top_apps", "display_name"} <= set(dev)
    assert dev["active_seconds_week"] == 7200  # Monday 00:00-01:00 and 09:00-10:00 (Sunday is last week)
    # The week's last day ends at the next Monday's midnight: it is still this week.
    sunday = (BASE + timedelta(days=6)).date().isoformat()
    later = http.get("/api/v1/activitywatch/team-summary", params={"day": sunday}, headers=aw_team.owner.headers)
    [week_dev] = later.json()["teams"][0]["developers"]
    assert (week_dev["active_seconds_week"], week_dev["active_seconds_today"]) == (7200, 0)

    member = http.get(
        "/api/v1/activitywatch/team-summary", params={"team_id": str(aw_team.team_id)}, headers=aw_team.member.headers
    )
    assert member.status_code == 403
    assert http.get("/api/v1/activitywatch/team-summary").status_code == 401


def test_without_afk_data_active_time_is_unknown_not_zero(runtime: Runtime, aw_team: AwTeam) -> None:
    # Only aw-watcher-window runs: how long the developer was at the keyboard is not known.
    windows_only = [b for b in ACTIVITY if b["bucket"]["type"] == "currentwindow"]
    received = batch.read(windows_only)
    received.record(
        ingest.store(
            runtime.db, ingest.Sender(team_id=aw_team.team_id, developer_id=aw_team.developer_id), received.rows
        )
    )
    later = BASE + timedelta(hours=2)
    [row] = team.summary(runtime.db, aw_team.owner.principal, aw_team.team_id, ZoneInfo("UTC"), at=later)
    assert (row["active_seconds_today"], row["active_seconds_week"]) == (None, None)
    assert [a["app"] for a in row["top_apps"]][:2] == ["Code", "Firefox"]  # the windows still count
