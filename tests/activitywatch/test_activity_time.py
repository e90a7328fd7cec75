"""ActivityWatch on My time: active time as timeline entries, and the panel's breakdowns."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from tests.activitywatch.aw_data import bucket, event, standard_bucket
from tests.activitywatch.conftest import AwTeam
from tests.utils.users import TestUser
from timetracker.activitywatch import activity, batch, ingest, team
from timetracker.reports import activitywatch_time, person_time
from timetracker.reports.sources import SOURCES
from timetracker.runtime import Runtime

UTC = ZoneInfo("UTC")
SUNDAY, MONDAY = date(2026, 3, 1), date(2026, 3, 2)
ACTIVITY = [
    bucket(
        "afkstatus",
        [
            event(-10 * 3600, 7200, status="not-afk"),  # Sun 23:00 - Mon 01:00, no windows
            event(0, 3600, status="not-afk"),
            event(3600, 1800, status="afk"),
        ],
    ),
    bucket(
        "currentwindow",
        [
            event(0, 1200, app="Code", title="a.py"),
            event(1200, 600, app="Firefox", title="docs"),
            event(1800, 1800, app="Code", title="b.py"),
            event(3600, 60, app="Slack", title="while away"),
        ],
    ),
    bucket("afkstatus", [event(0, 600, status="not-afk")], host="desktop"),  # no windows on this host
    standard_bucket("web.tab.current", 0, 300),
    standard_bucket("app.editor.activity", 0, 900),
]


def send(runtime: Runtime, sender: ingest.Sender) -> None:
    received = batch.read(ACTIVITY)
    received.record(ingest.store(runtime.db, sender, received.rows))


def test_the_source_is_registered() -> None:
    assert SOURCES[activitywatch_time.SOURCE] is activitywatch_time.entries


def test_active_time_is_labelled_with_the_app_and_split_at_midnight(runtime: Runtime, alice: TestUser) -> None:
    send(runtime, ingest.Sender(principal=alice.principal))
    only_aw = {activitywatch_time.SOURCE: activitywatch_time.entries}
    pieces = person_time.read(
        runtime.db, alice.principal, SUNDAY, MONDAY, UTC, sources=only_aw, with_pieces=True
    ).pieces()
    totals = pieces.groupby("label")["seconds"].sum().to_dict()
    assert totals == {"Code": 3000, "Firefox": 600, "active": 7200 + 600}
    active = pieces[(pieces["label"] == "active") & (pieces["detail"] == "not AFK on laptop")]
    assert sorted(zip(active["day"], active["seconds"], strict=True)) == [(SUNDAY, 3600), (MONDAY, 3600)]
    assert "Slack" not in totals  # it was in front while the person was away


def test_panel_breakdowns(runtime: Runtime, alice: TestUser) -> None:
    send(runtime, ingest.Sender(principal=alice.principal))
    frames = activity.breakdown(runtime.db, alice.principal, SUNDAY, MONDAY, UTC)
    per_day = {(row.day, row.status): row.seconds for row in frames["afk_per_day"].itertuples()}
    # The desktop's ten minutes fall inside the laptop's active hour: counted once, as on My time.
    assert per_day == {(SUNDAY, "not-afk"): 3600, (MONDAY, "not-afk"): 3600 + 3600, (MONDAY, "afk"): 1800}
    assert list(frames["apps"]["app"]) == ["Code", "Firefox"]  # Slack was in front while away
    assert frames["titles"].iloc[0].to_dict() == {"app": "Code", "title": "b.py", "seconds": 1800}
    assert frames["domains"].iloc[0].to_dict() == {"domain": "github.com", "seconds": 300}
    assert frames["projects"].iloc[0].to_dict() == {"project": "/src", "seconds": 900}
    # Another timezone moves the midnight: in Berlin all of the first stretch is Monday.
    berlin = activity.breakdown(runtime.db, alice.principal, MONDAY, MONDAY, ZoneInfo("Europe/Berlin"))
    assert berlin["afk_per_day"].set_index("status")["seconds"]["not-afk"] == 7200 + 3600


def test_a_linked_developer_id_counts_as_the_members_time(runtime: Runtime, aw_team: AwTeam) -> None:
    send(runtime, ingest.Sender(team_id=aw_team.team_id, developer_id=aw_team.developer_id))
    only_aw = {activitywatch_time.SOURCE: activitywatch_time.entries}
    before = person_time.read(
        runtime.db, aw_team.member.principal, SUNDAY, MONDAY, UTC, sources=only_aw, with_pieces=True
    ).pieces()
    assert before.empty
    team.link(runtime.db, aw_team.owner.principal, aw_team.team_id, aw_team.developer_id, aw_team.member.id)
    after = person_time.read(
        runtime.db, aw_team.member.principal, SUNDAY, MONDAY, UTC, sources=only_aw, with_pieces=True
    ).pieces()
    assert after["seconds"].sum() == 3000 + 600 + 7800
    # The admin sees it as the member's time too.
    admin_view = person_time.read(
        runtime.db,
        aw_team.owner.principal,
        SUNDAY,
        MONDAY,
        UTC,
        sources=only_aw,
        owner_id=aw_team.member.id,
        with_pieces=True,
    ).pieces()
    assert admin_view["seconds"].sum() == after["seconds"].sum()
