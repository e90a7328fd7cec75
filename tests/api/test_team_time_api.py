"""GET /api/v1/teams/{id}/time and /presence: a team's time for its owner and admins, each
member counted once and the same number as on their own My time; who is in now.

A real team made over the API (create, invite, accept), real data from every source sent
as the clients send it (tests.utils.recorded_time), real accounts for each role.

Carol's days (times UTC):
    DAY - 1  tags A 09:00-09:05, B 10:00-10:04, C 11:00-11:03, D 12:00-12:02
    DAY      NFC Office 09:00-12:00; ActivityWatch not-afk with Code in front 11:00-13:00;
             timer 12:30-13:30; WakaTime zeus 13:00-13:20 (beats 13:00 13:10 13:20)
    tracked DAY: 09:00-13:30 = 4 h 30, not the sources' 6 h 20 added up
Bob: NFC Apollo 14:00-15:00 on DAY. Alice (the owner): nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.utils import recorded_time as rec
from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.users import TestUser
from timetracker.reports.sources import DEFAULT_PRECEDENCE

DAY = datetime.now(UTC).date() - timedelta(days=3)
RANGE = {"start": (DAY - timedelta(days=1)).isoformat(), "end": (DAY + timedelta(days=1)).isoformat()}
SOURCES = tuple(DEFAULT_PRECEDENCE)
OFFICE, APOLLO = "04 a2 19 7f", "dd 54 2a 83"
SHORT_TAGS = {"0a 00 00 01": ("A", 5), "0a 00 00 02": ("B", 4), "0a 00 00 03": ("C", 3), "0a 00 00 04": ("D", 2)}
CAROL_DAY = 4 * 3600 + 1800
CAROL_DAY_BEFORE = (5 + 4 + 3 + 2) * 60
CAROL_TOP = [
    ("nfc", "Office", 7200.0),
    ("activitywatch", "Code", 5400.0),
    ("timer", "timer work", 3600.0),
    ("nfc", "A", 300.0),
    ("nfc", "B", 240.0),
]


def at(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC)


@dataclass(frozen=True)
class Crew:
    team: str
    owner: TestUser
    admin: TestUser
    member: TestUser
    outsider: TestUser
    invitee: TestUser  # invited, never accepted


def new_team(http: httpx.Client, owner: TestUser) -> str:
    response = http.post("/api/v1/teams", json={"name": "Crew"}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def invite(http: httpx.Client, inviter: TestUser, team: str, invitee: TestUser, role: str) -> str:
    """The invitation link's token."""
    response = http.post(
        f"/api/v1/teams/{team}/members", json={"email": invitee.email, "role": role}, headers=inviter.headers
    )
    assert (response.status_code, response.json()["outcome"]) == (201, "invited"), response.text
    return response.json()["token"]


def join(http: httpx.Client, inviter: TestUser, team: str, invitee: TestUser, role: str) -> None:
    token = invite(http, inviter, team, invitee, role)
    accepted = http.post(f"/api/v1/invitations/{team}/accept", json={"token": token}, headers=invitee.headers)
    assert accepted.status_code == 200, accepted.text


def an_hour_of(http: httpx.Client, person: TestUser, tag: str, label: str, start: datetime) -> None:
    rec.label_tags(http, person, {tag: label})
    device = rec.reader(http, person)
    rec.tag_events(http, device, (start, "tag_insert", tag), (start + timedelta(hours=1), "tag_removed", tag))


def record_carol(http: httpx.Client, carol: TestUser) -> None:
    rec.label_tags(http, carol, {OFFICE: "Office", **{tag: label for tag, (label, _) in SHORT_TAGS.items()}})
    device = rec.reader(http, carol)
    day_before = DAY - timedelta(days=1)
    short_stays = [
        event
        for hour, (tag, (_, minutes)) in enumerate(SHORT_TAGS.items(), start=9)
        for event in (
            (at(f"{hour}:00", day_before), "tag_insert", tag),
            (at(f"{hour}:{minutes:02d}", day_before), "tag_removed", tag),
        )
    ]
    rec.tag_events(
        http, device, *short_stays, (at("09:00"), "tag_insert", OFFICE), (at("12:00"), "tag_removed", OFFICE)
    )
    rec.ActivityWatch(http, carol).send(
        afk=[rec.not_afk(at("11:00"), at("13:00"))], windows=[rec.window(at("11:00"), at("13:00"), "Code")]
    )
    rec.press(http, carol, (at("12:30"), "NEXT"), (at("13:30"), "EXIT"))
    rec.heartbeats(http, carol, *[(at(hhmm), "zeus") for hhmm in ("13:00", "13:10", "13:20")])


@pytest.fixture
def crew(http: httpx.Client, user_factory: Callable[..., TestUser]) -> Crew:
    alice, bob, carol = user_factory("alice"), user_factory("bob"), user_factory("carol")
    dave, erin = user_factory("dave"), user_factory("erin")
    team = new_team(http, alice)
    join(http, alice, team, bob, "admin")
    join(http, alice, team, carol, "member")
    invite(http, alice, team, erin, "member")
    record_carol(http, carol)
    an_hour_of(http, bob, APOLLO, "Apollo", at("14:00"))
    an_hour_of(http, erin, APOLLO, "Erin's", at("14:00"))
    an_hour_of(http, dave, APOLLO, "Dave's", at("14:00"))
    return Crew(team, alice, bob, carol, dave, erin)


def team_time(http: httpx.Client, headers: dict[str, str], team: str, **params: str) -> httpx.Response:
    return http.get(f"/api/v1/teams/{team}/time", params=params or RANGE, headers=headers)


def own_time(http: httpx.Client, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = http.get("/api/v1/time", params={**RANGE, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def zero_day(day: date) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "tracked_seconds": 0.0,
        "by_source": dict.fromkeys(SOURCES, 0.0),
        "edited": False,
        "corrected_seconds": 0.0,
    }


def range_days() -> list[date]:
    return [DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]


# -- team time ---------------------------------------------------------------------------------


def test_the_owner_and_an_admin_see_every_accepted_member_counted_once(http: httpx.Client, crew: Crew) -> None:
    for viewer in (crew.owner, crew.admin):
        for kind in BEARER_KINDS:
            response = team_time(http, bearer_headers(http, viewer, kind), crew.team)
            assert response.status_code == 200, response.text
            body = response.json()
            assert (body["team_id"], body["timezone"], body["start"], body["end"]) == (
                crew.team,
                "UTC",
                RANGE["start"],
                RANGE["end"],
            )
            # Owner first, then admins, then members; the invitee who never accepted is nobody.
            assert [(m["user_id"], m["role"]) for m in body["members"]] == [
                (str(crew.owner.id), "owner"),
                (str(crew.admin.id), "admin"),
                (str(crew.member.id), "member"),
            ]
            assert str(crew.invitee.id) not in response.text and "Erin's" not in response.text
            assert str(crew.outsider.id) not in response.text and "Dave's" not in response.text
            owner, admin, member = body["members"]
            assert owner["display_name"] == crew.owner.email.split("@")[0]
            assert (owner["tracked_seconds"], owner["days"], owner["top_labels"]) == (
                0.0,
                [zero_day(day) for day in range_days()],
                [],
            )
            assert admin["tracked_seconds"] == 3600.0
            assert admin["top_labels"] == [{"source": "nfc", "label": "Apollo", "seconds": 3600.0}]
            assert member["tracked_seconds"] == CAROL_DAY_BEFORE + CAROL_DAY
            assert member["days"] == [
                {
                    **zero_day(range_days()[0]),
                    "tracked_seconds": float(CAROL_DAY_BEFORE),
                    "by_source": {**dict.fromkeys(SOURCES, 0.0), "nfc": float(CAROL_DAY_BEFORE)},
                },
                {
                    **zero_day(DAY),
                    "tracked_seconds": float(CAROL_DAY),
                    "by_source": {
                        "manual": 0.0,
                        "imported": 0.0,
                        "nfc": 10800.0,
                        "activitywatch": 7200.0,
                        "wakatime": 1200.0,
                        "timer": 3600.0,
                    },
                },
                zero_day(range_days()[2]),
            ]
            assert [(t["source"], t["label"], t["seconds"]) for t in member["top_labels"]] == CAROL_TOP
            assert body["tracked_seconds"] == 3600.0 + CAROL_DAY_BEFORE + CAROL_DAY


def test_a_members_total_is_the_one_on_their_own_my_time(http: httpx.Client, crew: Crew) -> None:
    body = team_time(http, crew.owner.headers, crew.team).json()
    for shown in body["members"]:
        person = next(p for p in (crew.owner, crew.admin, crew.member) if str(p.id) == shown["user_id"])
        theirs = own_time(http, person.headers)
        as_owner = own_time(http, crew.owner.headers, user_id=str(person.id))
        assert shown["tracked_seconds"] == theirs["tracked_seconds"] == as_owner["tracked_seconds"]
        assert shown["days"] == theirs["days"] == as_owner["days"]
        assert [(t["source"], t["label"], t["seconds"]) for t in shown["top_labels"]] == [
            (t["source"], t["label"], t["seconds"]) for t in theirs["totals"][:5]
        ]


def test_in_the_viewers_timezone_the_team_and_the_member_view_still_agree(http: httpx.Client, crew: Crew) -> None:
    """Alice in Kathmandu (UTC+5:45): DAY's local midnight is 18:15 UTC the day before, so
    carol's whole DAY falls on DAY there too, and the day before's tags as well; the team
    page and alice's own look at carol give the same numbers, day by day."""
    response = http.put("/api/v1/profile", json={"timezone": "Asia/Kathmandu"}, headers=crew.owner.headers)
    assert response.status_code == 200, response.text
    body = team_time(http, crew.owner.headers, crew.team).json()
    assert body["timezone"] == "Asia/Kathmandu"
    for shown in body["members"]:
        as_owner = own_time(http, crew.owner.headers, user_id=shown["user_id"])
        assert as_owner["timezone"] == "Asia/Kathmandu"
        assert (shown["tracked_seconds"], shown["days"]) == (as_owner["tracked_seconds"], as_owner["days"])
    member = body["members"][2]
    assert [day["tracked_seconds"] for day in member["days"]] == [CAROL_DAY_BEFORE, CAROL_DAY, 0.0]


def test_a_members_precedence_orders_their_top_labels_for_the_admin_too(http: httpx.Client, crew: Crew) -> None:
    order = ["nfc", "activitywatch", "wakatime", "timer"]
    response = http.put("/api/v1/profile", json={"source_precedence": order}, headers=crew.member.headers)
    assert response.status_code == 200, response.text
    member = team_time(http, crew.admin.headers, crew.team).json()["members"][2]
    # Office now keeps 09:00-12:00, Code 12:00-13:00, zeus 13:00-13:20, the timer 13:20-13:30.
    assert [(t["source"], t["label"], t["seconds"]) for t in member["top_labels"]] == [
        ("nfc", "Office", 10800.0),
        ("activitywatch", "Code", 3600.0),
        ("wakatime", "zeus", 1200.0),
        ("timer", "timer work", 600.0),
        ("nfc", "A", 300.0),
    ]
    assert member["tracked_seconds"] == CAROL_DAY_BEFORE + CAROL_DAY


@pytest.mark.parametrize("path", ["time", "presence"])
def test_a_member_and_an_outsider_are_refused_with_a_json_error(http: httpx.Client, crew: Crew, path: str) -> None:
    for viewer in (crew.member, crew.outsider, crew.invitee):
        for kind in BEARER_KINDS:
            response = http.get(
                f"/api/v1/teams/{crew.team}/{path}", params=RANGE, headers=bearer_headers(http, viewer, kind)
            )
            assert response.status_code == 403, response.text
            assert response.headers["content-type"].startswith("application/json")
            body = response.json()
            assert body["error"] == "forbidden" and "owner and admins" in body["message"]
            assert "Office" not in response.text and str(crew.member.id) not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-04-12", "end": "2025-04-11"},
        {"start": "2024-01-01", "end": "2025-04-11"},
        {"start": "2025-04-11", "end": "2026-04-12"},
        {"start": "2025-13-01", "end": "2025-12-31"},
        {"start": "yesterday"},
        {"start": "2025-04-11", "end": "soon"},
    ],
    ids=["reversed", "over a year", "367 days", "no such month", "not a date", "end not a date"],
)
def test_a_bad_range_is_422(http: httpx.Client, user_factory: Callable[..., TestUser], params: dict[str, str]) -> None:
    owner = user_factory("owner")
    team = new_team(http, owner)
    response = http.get(f"/api/v1/teams/{team}/time", params=params, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"]


def test_a_year_of_days_is_the_longest_range(http: httpx.Client, user_factory: Callable[..., TestUser]) -> None:
    owner = user_factory("owner")
    team = new_team(http, owner)
    response = http.get(
        f"/api/v1/teams/{team}/time", params={"start": "2024-01-01", "end": "2024-12-31"}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    [member] = response.json()["members"]
    assert len(member["days"]) == 366 and member["tracked_seconds"] == 0.0


# -- presence ----------------------------------------------------------------------------------


def presence(http: httpx.Client, viewer: TestUser, team: str) -> set[tuple[str, str, str, str, datetime]]:
    response = http.get(f"/api/v1/teams/{team}/presence", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return {
        (item["display_name"], item["source"], item["label"], item["detail"], datetime.fromisoformat(item["since"]))
        for item in response.json()
    }


def name(person: TestUser) -> str:
    return person.email.split("@")[0]


def test_who_is_in_now(http: httpx.Client, user_factory: Callable[..., TestUser]) -> None:
    alice, bob, carol, erin = (user_factory(who) for who in ("alice", "bob", "carol", "erin"))
    team = new_team(http, alice)
    join(http, alice, team, bob, "admin")
    join(http, alice, team, carol, "member")
    invite(http, alice, team, erin, "member")
    now = datetime.now(UTC).replace(microsecond=0)

    # Carol's tag went into the front-door reader three minutes ago and is still there.
    rec.label_tags(http, carol, {OFFICE: "Office"})
    front_door = rec.reader(http, carol, "Front door")
    rec.tag_events(http, front_door, (now - timedelta(minutes=3), "tag_insert", OFFICE))
    # Bob started a timer session two minutes ago and has not ended it.
    rec.press(http, bob, (now - timedelta(minutes=2), "NEXT"))
    # Alice was at her laptop until a minute ago, with Code in front.
    laptop = rec.ActivityWatch(http, alice, host="laptop")
    laptop.send(
        afk=[rec.not_afk(now - timedelta(minutes=4), now - timedelta(minutes=1))],
        windows=[rec.window(now - timedelta(minutes=4), now - timedelta(minutes=1), "Code")],
    )
    # Her desktop's window watcher kept reporting while its AFK watcher said she was away.
    desktop = rec.ActivityWatch(http, alice, host="desktop")
    desktop.send(
        afk=[rec.not_afk(now - timedelta(minutes=10), now - timedelta(minutes=1), status="afk")],
        windows=[rec.window(now - timedelta(minutes=10), now - timedelta(minutes=1), "Slack")],
    )
    # Erin, invited but not a member, has a tag in too: not the team's business.
    rec.label_tags(http, erin, {OFFICE: "Erin's"})
    rec.tag_events(http, rec.reader(http, erin), (now - timedelta(minutes=3), "tag_insert", OFFICE))

    expected = {
        (name(carol), "nfc", "Office", "Front door", now - timedelta(minutes=3)),
        (name(bob), "timer", "running", "question 1", now - timedelta(minutes=2)),
        (name(alice), "activitywatch", "Code", "laptop", now - timedelta(minutes=1)),
    }
    assert presence(http, alice, team) == expected
    assert presence(http, bob, team) == expected

    # The tag comes out: carol is no longer in by NFC. Bob pauses: still in, paused.
    rec.tag_events(http, front_door, (now - timedelta(seconds=30), "tag_removed", OFFICE))
    rec.press(http, bob, (now - timedelta(seconds=20), "PAUSE"))
    assert presence(http, alice, team) == {
        (name(bob), "timer", "paused", "question 1", now - timedelta(minutes=2)),
        (name(alice), "activitywatch", "Code", "laptop", now - timedelta(minutes=1)),
    }
    # Bob ends the session: nobody in by the timer.
    rec.press(http, bob, (now - timedelta(seconds=10), "EXIT"))
    assert {item[1] for item in presence(http, alice, team)} == {"activitywatch"}


def test_activity_longer_ago_than_five_minutes_is_not_presence(
    http: httpx.Client, user_factory: Callable[..., TestUser]
) -> None:
    alice = user_factory("alice")
    team = new_team(http, alice)
    now = datetime.now(UTC).replace(microsecond=0)
    rec.ActivityWatch(http, alice).send(
        afk=[rec.not_afk(now - timedelta(minutes=30), now - timedelta(minutes=6))],
        windows=[rec.window(now - timedelta(minutes=30), now - timedelta(minutes=6), "Code")],
    )
    assert presence(http, alice, team) == set()
