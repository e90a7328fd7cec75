"""The Team page as a lead reads it: two members' hours counted once, by day and by source, their top
labels, who is in now, this week against last, the CSV, and a way into a member's My time.

The time is sent through the real API (readers' NFC events, timer presses) and every expected
figure is worked out by hand from it. Only people who accepted an invitation are in a team.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from components.auth_state import EMAIL_KEY, LOGIN_KEY
from components.date_ranges import PRESETS, preset_range
from tests.timer.timer_client import run as press_timer
from tests.ui.conftest import open_app, table
from tests.utils.apps import running_app, variant
from tests.utils.devices import BASE_TIME, device_event, post_event, record_stays, register_device
from tests.utils.downloads import record_downloads
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker import profiles, teams
from timetracker.auth.supabase_session import SupabaseLogin
from timetracker.config import Settings
from timetracker.reports.sources import DEFAULT_PRECEDENCE
from timetracker.runtime import Runtime

TEAM_PAGE = "components/team.py"
APOLLO, OFFICE = "dd 54 2a 83", "04 a2 19 7f"
# Monday to Sunday around the fixed instants the helpers build events from (all in UTC).
MONDAY, SUNDAY = date(2025, 4, 7), date(2025, 4, 13)
DAY_COLUMNS = ["Mon 04-07", "Tue 04-08", "Wed 04-09", "Thu 04-10", "Fri 04-11", "Sat 04-12", "Sun 04-13"]


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def carol(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("carol")


@pytest.fixture
def dave(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("dave")


def name_of(runtime: Runtime, user: TestUser) -> str:
    return profiles.get(runtime.db, user.principal)["display_name"]


def navigation(at: AppTest) -> list[str]:
    """The page titles of the sidebar, in order (AppTest keeps what st.navigation registered)."""
    return [page["page_name"] for page in at._registered_pages.values()]


def open_team(at: AppTest, first_day: date | None = None, last_day: date | None = None) -> AppTest:
    """The Team page, for [first_day, last_day] when given."""
    at.switch_page(TEAM_PAGE).run()
    assert not at.exception, at.exception
    if first_day and last_day:
        at.date_input(key="team_dates").set_value((first_day, last_day)).run()
        assert not at.exception, at.exception
    return at


def chart(at: AppTest, key: str) -> dict[str, Any]:
    [found] = [chart for chart in at.get("plotly_chart") if chart.proto.id and key in chart.proto.id]
    return json.loads(found.proto.spec)


@pytest.fixture
def apollo_week(
    http: httpx.Client, runtime: Runtime, alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser
) -> dict[str, str]:
    """Alice owns "Apollo Crew"; Carol (admin) and Bob (member) accepted; Dave is invited only.

    Bob:   Thu 14:00-14:45 tag (0:45); Fri tag 09:00-11:00 and timer 10:00-10:30, 10:30-11:30:
           tracked 09:00-11:30 = 2:30 (NFC's own 2:00, the timer's own 1:30); the timer comes
           first in the default order, so 1:00 is attributed to the tag and 1:30 to the timer.
    Carol: Fri 13:00-14:15 (1:15); Sat 22:00 to Sun 01:00 (2:00 on Saturday, 1:00 on Sunday).
    Dave:  Fri 09:00-10:00, which nobody in the team may see.
    Gives each person's display name by email.
    """
    team_id = team_of(runtime.db, alice, "Apollo Crew", (carol, "admin"), (bob, "member"))
    assert teams.invite(runtime.db, alice.principal, team_id, dave.email).outcome == "invited"
    record_stays(http, bob, APOLLO, "Apollo", (utc(10, 14), utc(10, 14, 45)), (utc(11, 9), utc(11, 11)))
    press_timer(http, bob.headers, ("NEXT", 3600), ("NEXT", 5400), ("EXIT", 9000))  # from 09:00 UTC on the 11th
    record_stays(http, carol, OFFICE, "Office", (utc(11, 13), utc(11, 14, 15)), (utc(12, 22), utc(13, 1)))
    record_stays(http, dave, APOLLO, "Dave's work", (utc(11, 9), utc(11, 10)))
    return {user.email: name_of(runtime, user) for user in (alice, bob, carol, dave)}


def expected_hours(names: dict[str, str], alice: TestUser, bob: TestUser, carol: TestUser) -> list[dict[str, str]]:
    """The members x days table of the Apollo week: owner, admin, member, then the column totals."""
    zero = dict.fromkeys(DAY_COLUMNS, "0:00")
    return [
        {"member": names[alice.email], **zero, "total": "0:00"},
        {"member": names[carol.email], **zero, "Fri 04-11": "1:15", "Sat 04-12": "2:00", "Sun 04-13": "1:00"}
        | {"total": "4:15"},
        {"member": names[bob.email], **zero, "Thu 04-10": "0:45", "Fri 04-11": "2:30", "total": "3:15"},
        {"member": "Total", **zero, "Thu 04-10": "0:45", "Fri 04-11": "3:45", "Sat 04-12": "2:00", "Sun 04-13": "1:00"}
        | {"total": "7:30"},
    ]


def test_the_owner_sees_the_team_first_and_each_members_hours_counted_once(
    dashboard: Callable[[TestUser], AppTest],
    apollo_week: dict[str, str],
    alice: TestUser,
    bob: TestUser,
    carol: TestUser,
    dave: TestUser,
) -> None:
    at = dashboard(alice)
    assert navigation(at)[:2] == ["Team", "My time"]
    assert at.title[0].value == "My time"  # everyone still lands on their own time
    open_team(at, MONDAY, SUNDAY)
    assert at.title[0].value == "Team"
    assert any("counted once" in caption.value for caption in at.caption)

    hours = table(at, "member")
    assert list(hours.columns) == ["member", *DAY_COLUMNS, "total"]
    assert hours.to_dict("records") == expected_hours(apollo_week, alice, bob, carol)
    names = [apollo_week[alice.email], apollo_week[carol.email], apollo_week[bob.email]]
    heatmap = chart(at, "team_heatmap")["data"][0]
    assert heatmap["y"] == names and heatmap["x"] == DAY_COLUMNS
    assert heatmap["text"][2][4] == "2:30" and heatmap["z"][2][4] == 2.5

    # Each source's own time stacked per member; the tracked mark counts Bob's overlap once.
    traces = {trace.get("name"): trace for trace in chart(at, "team_sources")["data"]}
    assert traces["NFC"]["y"] == [0, 4.25, 2.75] and traces["Timer"]["y"] == [0, 0, 1.5]
    assert traces["tracked (counted once)"]["customdata"] == ["0:00", "4:15", "3:15"]
    assert traces[None]["text"] == ["0:00 tracked", "4:15 tracked", "3:15 tracked"]
    assert table(at, "who").to_dict("records") == [
        {"source": "NFC", "label": "Office", "time": "4:15", "who": apollo_week[carol.email]},
        {"source": "NFC", "label": "Apollo", "time": "1:45", "who": apollo_week[bob.email]},
        {"source": "Timer", "label": "timer work", "time": "1:30", "who": apollo_week[bob.email]},
        {"source": "Total", "label": "", "time": "7:30", "who": ""},
    ]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics == {"Tracked, these dates": "7:30", "Members with time": "2 of 3"}

    # Invited is not joined: Dave and his time are nowhere on the page.
    assert at.selectbox(key="team_open_member").options == names
    page_text = json.dumps([frame.value.to_dict("records") for frame in at.dataframe], default=str)
    page_text += " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert apollo_week[dave.email] not in page_text and "Dave's work" not in page_text


def test_the_csv_holds_every_member_day_and_source(
    dashboard: Callable[[TestUser], AppTest],
    apollo_week: dict[str, str],
    alice: TestUser,
    bob: TestUser,
    carol: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    downloads = record_downloads(monkeypatch)
    at = open_team(dashboard(alice), MONDAY, SUNDAY)
    assert at.get("download_button")[0].proto.label == "Download member × day × source as CSV"
    name, data = downloads[-1]
    assert name == "team-apollo-crew-2025-04-07-to-2025-04-13.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    # 3 members x 7 days x (tracked + each source), zeros included.
    assert len(rows) == 3 * 7 * (1 + len(DEFAULT_PRECEDENCE))
    assert {row["user_id"] for row in rows} == {str(alice.id), str(bob.id), str(carol.id)}
    bob_name, carol_name = apollo_week[bob.email], apollo_week[carol.email]
    held = [
        (row["member"], row["day"], row["source"], row["seconds"], row["duration"])
        for row in rows
        if row["seconds"] != "0"
    ]
    # Each member's day: the counted-once row, then the sources in the product's order.
    assert held == [
        (carol_name, "2025-04-11", "tracked", "4500", "1:15"),
        (carol_name, "2025-04-11", "nfc", "4500", "1:15"),
        (carol_name, "2025-04-12", "tracked", "7200", "2:00"),
        (carol_name, "2025-04-12", "nfc", "7200", "2:00"),
        (carol_name, "2025-04-13", "tracked", "3600", "1:00"),
        (carol_name, "2025-04-13", "nfc", "3600", "1:00"),
        (bob_name, "2025-04-10", "tracked", "2700", "0:45"),
        (bob_name, "2025-04-10", "nfc", "2700", "0:45"),
        (bob_name, "2025-04-11", "tracked", "9000", "2:30"),
        (bob_name, "2025-04-11", "timer", "5400", "1:30"),
        (bob_name, "2025-04-11", "nfc", "7200", "2:00"),
    ]


def test_an_admin_gets_the_page_and_a_member_does_not(
    dashboard: Callable[[TestUser], AppTest],
    apollo_week: dict[str, str],
    alice: TestUser,
    bob: TestUser,
    carol: TestUser,
    dave: TestUser,
) -> None:
    admin = dashboard(carol)
    assert navigation(admin)[0] == "Team"
    open_team(admin, MONDAY, SUNDAY)
    assert table(admin, "member").to_dict("records") == expected_hours(apollo_week, alice, bob, carol)

    member = dashboard(bob)
    assert "Team" not in navigation(member)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        member.switch_page(TEAM_PAGE)
    # Dave has only been invited: he leads nothing and sees nobody's time.
    invitee = dashboard(dave)
    assert "Team" not in navigation(invitee)


def test_a_member_opens_on_my_time_with_that_person_chosen(
    dashboard: Callable[[TestUser], AppTest], apollo_week: dict[str, str], alice: TestUser, bob: TestUser
) -> None:
    at = open_team(dashboard(alice), MONDAY, SUNDAY)
    at.selectbox(key="team_open_member").set_value(str(bob.id))
    at.button(key="open_member_time").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "My time"
    assert at.selectbox(key="whose_time").value == str(bob.id)


def test_looking_for_the_team_page_refreshes_no_login(
    settings: Settings, api_url: str, runtime: Runtime, alice: TestUser
) -> None:
    """The router asks whether a lead's page list has Team on every run, with the token it holds:
    the page's own login check stays the only refresh (each rotates the refresh token)."""
    team_of(runtime.db, alice, "Short-lived")
    # Tokens live 5 s, less than the client's 10 s safety margin: every access_token() call refreshes.
    short = variant(settings, access_token_ttl_seconds=5)
    with running_app(short):
        login = SupabaseLogin(short)
        login.sign_in(alice.email, alice.password)
        issued = refresh_tokens_issued(runtime, alice)
        at = open_app()
        at.session_state[LOGIN_KEY] = login
        at.session_state[EMAIL_KEY] = alice.email
        at.run()
        assert not at.exception, at.exception
        assert refresh_tokens_issued(runtime, alice) == issued + 1


def refresh_tokens_issued(runtime: Runtime, user: TestUser) -> int:
    with runtime.db.as_service() as conn:
        row = conn.execute("select count(*) as n from auth.refresh_tokens where user_id = %s", (user.id,)).fetchone()
    return row["n"]


def lead_zone(hours_into_the_week: int) -> str:
    """A zone where at least `hours_into_the_week` hours of this local week have gone by (UTC unless
    it is early on Monday there; then UTC+12, where Monday is half over)."""
    now = datetime.now(UTC)
    return next(
        zone
        for zone in ("UTC", "Etc/GMT-12")
        if not (
            now.astimezone(ZoneInfo(zone)).weekday() == 0 and now.astimezone(ZoneInfo(zone)).hour < hours_into_the_week
        )
    )


def test_this_week_against_last_week(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    # Bob: an hour that ended an hour ago (this week), two hours a week earlier (last week).
    profiles.update(runtime.db, alice.principal, timezone=lead_zone(3))
    team_of(runtime.db, alice, "Vostok", (bob, "member"))
    now = datetime.now(UTC)
    record_stays(
        http,
        bob,
        APOLLO,
        "Apollo",
        (now - timedelta(hours=2), now - timedelta(hours=1)),
        (now - timedelta(days=7, hours=3), now - timedelta(days=7, hours=1)),
    )
    at = open_team(dashboard(alice))
    weeks = table(at, "last week").set_index("member")
    assert weeks.loc[name_of(runtime, bob)].to_dict() == {"last week": "2:00", "this week": "1:00", "change": "-1:00"}
    assert weeks.loc[name_of(runtime, alice)].to_dict() == {"last week": "0:00", "this week": "0:00", "change": "0:00"}


def test_in_now_shows_a_tag_in_a_reader_and_a_running_timer(
    dashboard: Callable[[TestUser], AppTest],
    http: httpx.Client,
    runtime: Runtime,
    alice: TestUser,
    bob: TestUser,
    carol: TestUser,
) -> None:
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    team_of(runtime.db, alice, "Soyuz", (bob, "member"), (carol, "member"))
    now = datetime.now(UTC).replace(microsecond=0)
    tag_in, timer_on = now - timedelta(minutes=10), now - timedelta(minutes=5)
    http.put("/api/v1/tags", json={"labels": {APOLLO: "Apollo"}}, headers=bob.headers).raise_for_status()
    reader = register_device(http, bob)
    post_event(http, reader, device_event(reader.device_id, (tag_in - BASE_TIME).total_seconds())).raise_for_status()
    timer = http.post(
        "/api/v1/timer/events", json={"type": "NEXT", "timestamp": timer_on.isoformat()}, headers=carol.headers
    )
    assert timer.status_code == 200, timer.text

    at = open_team(dashboard(alice))
    present = table(at, "in by").set_index("member")
    assert sorted(present.index) == sorted([name_of(runtime, bob), name_of(runtime, carol)])
    tag_row, timer_row = present.loc[name_of(runtime, bob)], present.loc[name_of(runtime, carol)]
    assert (tag_row["in by"], tag_row["what"], tag_row["where"]) == ("NFC tag in", "Apollo", "Desk")
    assert (timer_row["in by"], timer_row["what"], timer_row["where"]) == ("Timer", "running", "question 1")
    assert tag_row["since"].startswith("since ") and tag_row["since"].endswith(f"{tag_in:%H:%M}")
    assert timer_row["since"].endswith(f"{timer_on:%H:%M}")


def test_empty_states_say_what_to_do(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser, bob: TestUser, dave: TestUser
) -> None:
    team_id = team_of(runtime.db, alice, "Lonely")
    token = teams.invite(runtime.db, alice.principal, team_id, dave.email).token
    at = open_team(dashboard(alice))
    assert at.info[0].value.startswith("Nobody has joined Lonely yet. 1 invitation waiting for an answer.")
    assert [link.proto.page for link in at.get("page_link")] == ["teams"]

    teams.accept(runtime.db, dave.principal, team_id, token)
    at = open_team(dashboard(alice), date(2020, 1, 6), date(2020, 1, 12))
    assert at.info[0].value.startswith("No time recorded in Lonely from 2020-01-06 to 2020-01-12.")
    assert at.get("download_button") == []


def test_a_preset_sets_the_dates(dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser) -> None:
    profiles.update(runtime.db, alice.principal, timezone="Pacific/Kiritimati")  # UTC+14: today may differ from UTC's
    team_of(runtime.db, alice, "Presets")
    at = open_team(dashboard(alice))
    today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert at.date_input(key="team_dates").value == preset_range("This week", today)
    at.pills(key="team_dates:preset").set_value("Last month").run()
    assert at.date_input(key="team_dates").value == preset_range("Last month", today)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            date(2025, 1, 15),  # a Wednesday
            {
                "Today": (date(2025, 1, 15), date(2025, 1, 15)),
                "This week": (date(2025, 1, 13), date(2025, 1, 19)),
                "Last week": (date(2025, 1, 6), date(2025, 1, 12)),
                "This month": (date(2025, 1, 1), date(2025, 1, 31)),
                "Last month": (date(2024, 12, 1), date(2024, 12, 31)),
                "Last 30 days": (date(2024, 12, 17), date(2025, 1, 15)),
            },
        ),
        (
            date(2024, 3, 31),  # a Sunday in a leap year
            {
                "Today": (date(2024, 3, 31), date(2024, 3, 31)),
                "This week": (date(2024, 3, 25), date(2024, 3, 31)),
                "Last week": (date(2024, 3, 18), date(2024, 3, 24)),
                "This month": (date(2024, 3, 1), date(2024, 3, 31)),
                "Last month": (date(2024, 2, 1), date(2024, 2, 29)),
                "Last 30 days": (date(2024, 3, 2), date(2024, 3, 31)),
            },
        ),
    ],
)
def test_presets(today: date, expected: dict[str, tuple[date, date]]) -> None:
    assert {name: preset_range(name, today) for name in PRESETS} == expected
    with pytest.raises(ValueError, match="unknown preset"):
        preset_range("Next week", today)
