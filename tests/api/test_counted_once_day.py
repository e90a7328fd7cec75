"""GET /api/v1/time counts every second once: a worked day through the real HTTP API.

One person's day from all four sources, each recorded the way its client sends it (NFC
reader events, ActivityWatch buckets with a personal API token, WakaTime heartbeats with
a plugin key, timer button presses), then the answer checked to the second against the
figures worked out by hand below. The day lies three days back: the heartbeat API takes
nothing older than a month, and nothing of it is still running.

All times UTC on DAY:

    NFC            Office 09:00-17:00, Apollo 12:00-13:30 (a second tag while Office is in)
    ActivityWatch  not-afk 08:00-08:30, 10:00-11:00, 17:30-18:30; afk 11:00-11:30
                   windows Code 08:00-08:10 and 08:10-08:20, Firefox 10:00-10:40,
                   Code 10:40-11:30, Slack 11:05-11:10 (while away: not work)
    WakaTime       apollo beats 10:30 10:35 10:40 10:45; zeus 13:15 13:25
    Timer          NEXT 12:30, PAUSE 12:40, resume 12:50, NEXT 13:10, EXIT 13:20
                   (question 1: 30 active minutes from 12:30; question 2: 13:10-13:20)

Each source's own time: NFC 8 h (Apollo lies inside Office), ActivityWatch 2.5 h,
WakaTime 25 min, timer 40 min; tracked (the union) 08:00-08:30, 09:00-17:00, 17:30-18:30.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.utils import recorded_time as rec
from tests.utils.users import TestUser
from timetracker.nfc import ingest
from timetracker.nfc.identity import DeviceIdentity
from timetracker.nfc.payload import DeviceEvent
from timetracker.reports.sources import DEFAULT_PRECEDENCE
from timetracker.runtime import Runtime

OFFICE, APOLLO = "04 a2 19 7f", "dd 54 2a 83"
DAY = datetime.now(UTC).date() - timedelta(days=3)
# Time added by hand is a source too: 0 on a day without any.
SOURCES = tuple(DEFAULT_PRECEDENCE)
TIMER = "timer work"
HOUR = 3600


def at(hhmm: str, day: date = DAY) -> datetime:
    """HH:MM UTC on `day` (24:00 is the next midnight)."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours, minutes=minutes)


def record_the_day(http: httpx.Client, person: TestUser) -> None:
    rec.label_tags(http, person, {OFFICE: "Office", APOLLO: "Apollo"})
    rec.tag_events(
        http,
        rec.reader(http, person, "Desk"),
        (at("09:00"), "tag_insert", OFFICE),
        (at("17:00"), "tag_removed", OFFICE),
    )
    rec.tag_events(
        http,
        rec.reader(http, person, "Lab"),
        (at("12:00"), "tag_insert", APOLLO),
        (at("13:30"), "tag_removed", APOLLO),
    )
    rec.ActivityWatch(http, person).send(
        afk=[
            rec.not_afk(at("08:00"), at("08:30")),
            rec.not_afk(at("10:00"), at("11:00")),
            rec.not_afk(at("11:00"), at("11:30"), status="afk"),
            rec.not_afk(at("17:30"), at("18:30")),
        ],
        windows=[
            rec.window(at("08:00"), at("08:10"), "Code", "a.py"),
            rec.window(at("08:10"), at("08:20"), "Code", "b.py"),
            rec.window(at("10:00"), at("10:40"), "Firefox"),
            rec.window(at("10:40"), at("11:30"), "Code", "c.py"),
            rec.window(at("11:05"), at("11:10"), "Slack"),
        ],
    )
    rec.heartbeats(
        http,
        person,
        *[(at(hhmm), "apollo") for hhmm in ("10:30", "10:35", "10:40", "10:45")],
        *[(at(hhmm), "zeus") for hhmm in ("13:15", "13:25")],
    )
    rec.press(
        http,
        person,
        (at("12:30"), "NEXT"),
        (at("12:40"), "PAUSE"),
        (at("12:50"), "PAUSE"),
        (at("13:10"), "NEXT"),
        (at("13:20"), "EXIT"),
    )


# (start, end, source, label, seconds): the attributed timeline in the default order
# timer > wakatime > activitywatch > nfc; within a source the entry that started last.
DEFAULT_SEGMENTS = [
    ("08:00", "08:20", "activitywatch", "Code", 1200),  # two window events, one segment
    ("08:20", "08:30", "activitywatch", "active", 600),  # not AFK, no window
    ("09:00", "10:00", "nfc", "Office", 3600),
    ("10:00", "10:30", "activitywatch", "Firefox", 1800),
    ("10:30", "10:45", "wakatime", "apollo", 900),
    ("10:45", "11:00", "activitywatch", "Code", 900),  # Code's window is clipped to not-AFK time
    ("11:00", "12:00", "nfc", "Office", 3600),
    ("12:00", "12:30", "nfc", "Apollo", 1800),  # tapped after Office: it started last
    ("12:30", "13:00", "timer", TIMER, 1800),  # 40 minutes less the 10-minute pause
    ("13:00", "13:10", "nfc", "Apollo", 600),
    ("13:10", "13:20", "timer", TIMER, 600),
    ("13:20", "13:25", "wakatime", "zeus", 300),
    ("13:25", "13:30", "nfc", "Apollo", 300),
    ("13:30", "17:00", "nfc", "Office", 12600),
    ("17:30", "18:30", "activitywatch", "active", 3600),
]
TRACKED = 30 * 60 + 8 * HOUR + HOUR
BY_SOURCE = {"nfc": 8 * HOUR, "activitywatch": 9000, "wakatime": 1500, "timer": 2400}


@pytest.fixture
def worker(http: httpx.Client, alice: TestUser) -> TestUser:
    record_the_day(http, alice)
    return alice


def time_report(http: httpx.Client, person: TestUser, start: date, end: date, **params: Any) -> dict[str, Any]:
    query = {"start": start.isoformat(), "end": end.isoformat(), **params}
    response = http.get("/api/v1/time", params=query, headers=person.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The one-number rule inside one answer: the segments, the days and the total agree.
    assert sum(s["seconds"] for s in body["segments"]) == pytest.approx(body["tracked_seconds"], abs=1e-6)
    assert sum(d["tracked_seconds"] for d in body["days"]) == pytest.approx(body["tracked_seconds"], abs=1e-6)
    assert sum(t["seconds"] for t in body["totals"]) == pytest.approx(body["tracked_seconds"], abs=1e-6)
    return body


def set_profile(http: httpx.Client, person: TestUser, **fields: Any) -> None:
    response = http.put("/api/v1/profile", json=fields, headers=person.headers)
    assert response.status_code == 200, response.text


def local(instant: datetime, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).isoformat()


def segments(body: dict[str, Any]) -> list[tuple[str, str, str, str, float]]:
    """(local start, local end, source, label, seconds), the instants as ISO with their offset."""
    shown = [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]), s["source"], s["label"], s["seconds"])
        for s in body["segments"]
    ]
    for start, end, *_ in shown:
        assert start.utcoffset() == start.astimezone(ZoneInfo(body["timezone"])).utcoffset()
        assert end.utcoffset() == end.astimezone(ZoneInfo(body["timezone"])).utcoffset()
    return [
        (start.isoformat(), end.isoformat(), source, label, seconds) for start, end, source, label, seconds in shown
    ]


def expected(rows: list[tuple[str, str, str, str, int]], tz: str = "UTC") -> list[tuple[str, str, str, str, float]]:
    return [
        (local(at(start), tz), local(at(end), tz), source, label, float(s)) for start, end, source, label, s in rows
    ]


def day_row(
    day: date, tracked: float, *, edited: bool = False, corrected: float = 0.0, **by_source: float
) -> dict[str, Any]:
    """A day of the answer; `edited` and `corrected` say what corrections did to it."""
    return {
        "day": day.isoformat(),
        "tracked_seconds": tracked,
        "by_source": {source: by_source.get(source, 0.0) for source in SOURCES},
        "edited": edited,
        "corrected_seconds": corrected,
    }


# -- the day in UTC ----------------------------------------------------------------------------


def test_every_second_counted_once_and_given_to_one_source(http: httpx.Client, worker: TestUser) -> None:
    body = time_report(http, worker, DAY, DAY)
    assert (body["user_id"], body["timezone"]) == (str(worker.id), "UTC")
    assert body["tracked_seconds"] == TRACKED
    assert body["days"] == [day_row(DAY, TRACKED, **BY_SOURCE)]
    assert segments(body) == expected(DEFAULT_SEGMENTS)
    # Not the sum of the sources (which would count the overlaps twice or more).
    assert sum(BY_SOURCE.values()) > TRACKED
    assert body["totals"] == [
        {"source": "nfc", "label": "Office", "seconds": 19800.0},
        {"source": "activitywatch", "label": "active", "seconds": 4200.0},
        {"source": "nfc", "label": "Apollo", "seconds": 2700.0},
        {"source": "timer", "label": TIMER, "seconds": 2400.0},
        {"source": "activitywatch", "label": "Code", "seconds": 2100.0},
        {"source": "activitywatch", "label": "Firefox", "seconds": 1800.0},
        {"source": "wakatime", "label": "apollo", "seconds": 900.0},
        {"source": "wakatime", "label": "zeus", "seconds": 300.0},
    ]
    assert body["intervals"] is None


def test_every_day_of_the_range_is_there_zeros_included(http: httpx.Client, worker: TestUser) -> None:
    before, after = DAY - timedelta(days=1), DAY + timedelta(days=1)
    body = time_report(http, worker, before, after)
    assert body["days"] == [day_row(before, 0.0), day_row(DAY, TRACKED, **BY_SOURCE), day_row(after, 0.0)]
    assert segments(body) == expected(DEFAULT_SEGMENTS)
    assert time_report(http, worker, after, after)["segments"] == []


def test_include_intervals_gives_each_sources_raw_pieces(http: httpx.Client, worker: TestUser) -> None:
    body = time_report(http, worker, DAY, DAY, include="intervals")
    assert body["tracked_seconds"] == TRACKED and segments(body) == expected(DEFAULT_SEGMENTS)
    pieces = sorted(
        (p["source"], p["label"], datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"]), p["seconds"])
        for p in body["intervals"]
    )
    assert all(p["day"] == DAY.isoformat() for p in body["intervals"])

    def raw(source: str, label: str, start: str, end: str) -> tuple[str, str, datetime, datetime, float]:
        return (source, label, at(start), at(end), (at(end) - at(start)).total_seconds())

    assert pieces == sorted(
        [
            raw("activitywatch", "Code", "08:00", "08:10"),
            raw("activitywatch", "Code", "08:10", "08:20"),
            raw("activitywatch", "active", "08:20", "08:30"),
            raw("activitywatch", "Firefox", "10:00", "10:40"),
            raw("activitywatch", "Code", "10:40", "11:00"),
            raw("activitywatch", "active", "17:30", "18:30"),
            raw("nfc", "Office", "09:00", "17:00"),
            raw("nfc", "Apollo", "12:00", "13:30"),  # overlapping Office: raw pieces overlap
            raw("wakatime", "apollo", "10:30", "10:45"),
            raw("wakatime", "zeus", "13:15", "13:25"),
            raw("timer", TIMER, "12:30", "13:00"),
            raw("timer", TIMER, "13:10", "13:20"),
        ]
    )
    # Each source's own seconds are its raw pieces with overlap counted once (only NFC overlaps).
    for source, seconds in BY_SOURCE.items():
        own = sum(p[4] for p in pieces if p[0] == source)
        assert own - (90 * 60 if source == "nfc" else 0) == seconds
    without = time_report(http, worker, DAY, DAY)
    assert without["intervals"] is None
    assert (without["days"], without["segments"]) == (body["days"], body["segments"])


# -- another timezone --------------------------------------------------------------------------


def test_a_viewer_in_kathmandu_gets_the_same_seconds_cut_at_kathmandu_midnight(
    http: httpx.Client, worker: TestUser
) -> None:
    """UTC+5:45: DAY's local midnight is 18:15 UTC, inside the last not-AFK hour."""
    set_profile(http, worker, timezone="Asia/Kathmandu")
    after = DAY + timedelta(days=1)
    body = time_report(http, worker, DAY, after)
    assert body["timezone"] == "Asia/Kathmandu"
    assert body["tracked_seconds"] == TRACKED
    assert body["days"] == [
        day_row(DAY, TRACKED - 900, **{**BY_SOURCE, "activitywatch": 9000 - 900}),
        day_row(after, 900, activitywatch=900),
    ]
    cut = [
        ("17:30", "18:15", "activitywatch", "active", 2700),
        ("18:15", "18:30", "activitywatch", "active", 900),
    ]
    assert segments(body) == expected([*DEFAULT_SEGMENTS[:-1], *cut], "Asia/Kathmandu")
    assert segments(body)[-2][1].endswith("T00:00:00+05:45")
    # Asked for DAY alone, the day holds just what falls before its local midnight.
    alone = time_report(http, worker, DAY, DAY)
    assert alone["days"] == body["days"][:1]
    assert alone["tracked_seconds"] == TRACKED - 900


# -- precedence --------------------------------------------------------------------------------

PRESENCE_FIRST = [
    ("08:00", "08:20", "activitywatch", "Code", 1200),
    ("08:20", "08:30", "activitywatch", "active", 600),
    ("09:00", "12:00", "nfc", "Office", 3 * HOUR),
    ("12:00", "13:30", "nfc", "Apollo", 5400),
    ("13:30", "17:00", "nfc", "Office", 12600),
    ("17:30", "18:30", "activitywatch", "active", HOUR),
]
CODING_FIRST = [
    *DEFAULT_SEGMENTS[:10],
    ("13:10", "13:15", "timer", TIMER, 300),
    ("13:15", "13:25", "wakatime", "zeus", 600),
    *DEFAULT_SEGMENTS[12:],
]


@pytest.mark.parametrize(
    ("order", "timeline"),
    [
        (["nfc", "activitywatch", "wakatime", "timer"], PRESENCE_FIRST),
        (["wakatime", "timer", "activitywatch", "nfc"], CODING_FIRST),
    ],
    ids=["presence first", "coding first"],
)
def test_reordering_the_sources_moves_the_attribution_but_not_the_tracked_time(
    http: httpx.Client, worker: TestUser, order: list[str], timeline: list[tuple[str, str, str, str, int]]
) -> None:
    set_profile(http, worker, source_precedence=order)
    # Time added by hand and imported, left out of the order, keep their default place: above all of them.
    chosen = ["manual", "imported", *order]
    assert http.get("/api/v1/profile", headers=worker.headers).json()["source_precedence"] == chosen
    body = time_report(http, worker, DAY, DAY)
    assert segments(body) == expected(timeline)
    assert body["tracked_seconds"] == TRACKED
    assert body["days"] == [day_row(DAY, TRACKED, **BY_SOURCE)]
    set_profile(http, worker, source_precedence=["timer", "wakatime", "activitywatch", "nfc"])
    assert segments(time_report(http, worker, DAY, DAY)) == expected(DEFAULT_SEGMENTS)


# -- daylight saving ---------------------------------------------------------------------------

BERLIN = "Europe/Berlin"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def dst_fixture(
    http: httpx.Client, person: TestUser, presence: tuple[str, str], active: tuple[str, str], timer: tuple[str, str]
) -> None:
    """A tag in all day long, an ActivityWatch stretch over the clock change, and a timer
    question across the next local midnight (UTC instants)."""
    rec.label_tags(http, person, {OFFICE: "Office"})
    device = rec.reader(http, person)
    rec.tag_events(http, device, (utc(presence[0]), "tag_insert", OFFICE), (utc(presence[1]), "tag_removed", OFFICE))
    rec.ActivityWatch(http, person).send(afk=[rec.not_afk(utc(active[0]), utc(active[1]))], windows=[])
    rec.press(http, person, (utc(timer[0]), "NEXT"), (utc(timer[1]), "EXIT"))


DST_CASES = {
    # Clocks jump 02:00 CET -> 03:00 CEST: a 23-hour day.
    "spring": {
        "days": [date(2025, 3, 29), date(2025, 3, 30), date(2025, 3, 31)],
        "presence": ("2025-03-29 20:00", "2025-03-31 06:00"),
        "active": ("2025-03-29 23:30", "2025-03-30 01:30"),  # 00:30 CET - 03:30 CEST: two real hours
        "timer": ("2025-03-30 21:30", "2025-03-30 22:30"),  # 23:30 - 00:30 CEST
        "tracked": [3 * HOUR, 23 * HOUR, 8 * HOUR],
        "by_source": [
            {"nfc": 3 * HOUR},
            {"nfc": 23 * HOUR, "activitywatch": 2 * HOUR, "timer": 1800},
            {"nfc": 8 * HOUR, "timer": 1800},
        ],
        "segments": [
            ("2025-03-29 20:00", "2025-03-29 23:00", "nfc", "Office", 3 * HOUR),  # cut at midnight CET
            ("2025-03-29 23:00", "2025-03-29 23:30", "nfc", "Office", 1800),
            ("2025-03-29 23:30", "2025-03-30 01:30", "activitywatch", "active", 2 * HOUR),
            ("2025-03-30 01:30", "2025-03-30 21:30", "nfc", "Office", 20 * HOUR),
            ("2025-03-30 21:30", "2025-03-30 22:00", "timer", TIMER, 1800),  # cut at midnight CEST
            ("2025-03-30 22:00", "2025-03-30 22:30", "timer", TIMER, 1800),
            ("2025-03-30 22:30", "2025-03-31 06:00", "nfc", "Office", 7.5 * HOUR),
        ],
        "midnights": ["2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00"],
    },
    # Clocks fall back 03:00 CEST -> 02:00 CET: a 25-hour day, 02:00-03:00 twice.
    "autumn": {
        "days": [date(2025, 10, 25), date(2025, 10, 26), date(2025, 10, 27)],
        "presence": ("2025-10-25 20:00", "2025-10-27 01:00"),
        "active": ("2025-10-26 00:30", "2025-10-26 01:30"),  # 02:30 CEST - 02:30 CET: one real hour
        "timer": ("2025-10-26 22:30", "2025-10-26 23:30"),  # 23:30 - 00:30 CET
        "tracked": [2 * HOUR, 25 * HOUR, 2 * HOUR],
        "by_source": [
            {"nfc": 2 * HOUR},
            {"nfc": 25 * HOUR, "activitywatch": HOUR, "timer": 1800},
            {"nfc": 2 * HOUR, "timer": 1800},
        ],
        "segments": [
            ("2025-10-25 20:00", "2025-10-25 22:00", "nfc", "Office", 2 * HOUR),
            ("2025-10-25 22:00", "2025-10-26 00:30", "nfc", "Office", 2.5 * HOUR),
            ("2025-10-26 00:30", "2025-10-26 01:30", "activitywatch", "active", HOUR),
            ("2025-10-26 01:30", "2025-10-26 22:30", "nfc", "Office", 21 * HOUR),
            ("2025-10-26 22:30", "2025-10-26 23:00", "timer", TIMER, 1800),
            ("2025-10-26 23:00", "2025-10-26 23:30", "timer", TIMER, 1800),
            ("2025-10-26 23:30", "2025-10-27 01:00", "nfc", "Office", 1.5 * HOUR),
        ],
        "midnights": ["2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00"],
    },
}


@pytest.mark.parametrize("case", list(DST_CASES))
def test_a_daylight_saving_day_is_as_long_as_it_really_is(
    http: httpx.Client, user_factory: Callable[..., TestUser], case: str
) -> None:
    spec = DST_CASES[case]
    person = user_factory("berliner")
    set_profile(http, person, timezone=BERLIN)
    dst_fixture(http, person, spec["presence"], spec["active"], spec["timer"])
    first, middle, last = spec["days"]
    body = time_report(http, person, first, last)
    assert body["days"] == [
        day_row(day, tracked, **by_source)
        for day, tracked, by_source in zip(spec["days"], spec["tracked"], spec["by_source"], strict=True)
    ]
    assert segments(body) == [
        (local(utc(start), BERLIN), local(utc(end), BERLIN), source, label, float(seconds))
        for start, end, source, label, seconds in spec["segments"]
    ]
    # The local midnights the segments are cut at, with the offset each one really has.
    starts = {segment[0] for segment in segments(body)}
    assert set(spec["midnights"]) <= starts
    # The day alone: a presence spanning all of it counts 23 or 25 hours, never 24.
    alone = time_report(http, person, middle, middle)
    assert alone["tracked_seconds"] == spec["tracked"][1] == alone["days"][0]["by_source"]["nfc"]
    assert datetime.fromisoformat(alone["segments"][0]["start"]).isoformat() == spec["midnights"][0]
    assert datetime.fromisoformat(alone["segments"][-1]["end"]).isoformat() == spec["midnights"][1]


# -- fractions of a second ---------------------------------------------------------------------


def test_fractions_of_a_second_still_add_up_to_the_tracked_seconds(
    http: httpx.Client, user_factory: Callable[..., TestUser]
) -> None:
    """ActivityWatch sends microsecond timestamps and fractional durations. A busy day of
    hundreds of separate stretches must still be counted to the microsecond: the segments,
    the day and each source's own time all add up to the stretches' exact length."""
    person = user_factory("precise")
    rng = random.Random(69)  # fixed: the same day every run
    stretches = [
        (at("06:00") + timedelta(seconds=30 * n, microseconds=rng.randrange(10**6)), rng.randrange(1, 20 * 10**6))
        for n in range(400)
    ]
    rec.ActivityWatch(http, person).send(
        afk=[rec.not_afk(start, start + timedelta(microseconds=length)) for start, length in stretches], windows=[]
    )
    exact = sum(length for _, length in stretches) / 10**6
    body = time_report(http, person, DAY, DAY)  # checks segments, days and totals against the total
    assert len(body["segments"]) == len(stretches)
    assert body["tracked_seconds"] == pytest.approx(exact, abs=1e-6)
    assert body["days"][0]["by_source"]["activitywatch"] == pytest.approx(exact, abs=1e-6)
    for segment, (start, length) in zip(body["segments"], stretches, strict=True):
        assert datetime.fromisoformat(segment["start"]) == start
        assert segment["seconds"] == pytest.approx(length / 10**6, abs=1e-9)


@pytest.mark.parametrize(("start", "end"), [("1900-01-01", "1900-01-02"), ("9998-12-30", "9998-12-31")])
def test_the_first_and_last_days_a_report_allows_still_answer(
    http: httpx.Client, worker: TestUser, start: str, end: str
) -> None:
    body = time_report(http, worker, date.fromisoformat(start), date.fromisoformat(end))
    assert body["tracked_seconds"] == 0.0 and body["segments"] == []
    assert [day["day"] for day in body["days"]] == [start, end]


def test_a_reader_whose_clock_jumped_centuries_ahead_breaks_no_report(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    """The tag went in at 09:00 and its removal was stamped 3000-01-01 by a broken clock: the
    report counts the tag as in until the day's end instead of failing."""
    person = user_factory("broken-clock")
    rec.label_tags(http, person, {OFFICE: "Office"})
    device = rec.reader(http, person)
    rec.tag_events(http, device, (at("09:00"), "tag_insert", OFFICE))
    # The webhook now refuses such a timestamp; a removal stored before it did is still read.
    removal = DeviceEvent.model_construct(
        timestamp=datetime(3000, 1, 1, tzinfo=UTC),
        event_type="tag_removed",
        tag_present=False,
        tag_id=OFFICE,
        device_id=device.device_id,
    )
    ingest.store_events(runtime.db, DeviceIdentity(device.device_id, person.id), [(removal, {})])
    body = time_report(http, person, DAY, DAY)
    assert body["days"] == [day_row(DAY, 15 * HOUR, nfc=15 * HOUR)]
    assert segments(body) == expected([("09:00", "24:00", "nfc", "Office", 15 * HOUR)])
    far = date(2999, 12, 31)
    assert time_report(http, person, far, far)["tracked_seconds"] == 24 * HOUR


def test_two_activitywatch_hosts_at_once_count_once_and_the_later_window_wins(
    http: httpx.Client, user_factory: Callable[..., TestUser]
) -> None:
    person = user_factory("two-hosts")
    rec.ActivityWatch(http, person, host="laptop").send(
        afk=[rec.not_afk(at("10:00"), at("11:00"))], windows=[rec.window(at("10:00"), at("11:00"), "Code")]
    )
    rec.ActivityWatch(http, person, host="desktop").send(
        afk=[rec.not_afk(at("10:30"), at("11:30"))], windows=[rec.window(at("10:30"), at("11:30"), "Slack")]
    )
    body = time_report(http, person, DAY, DAY)
    assert body["days"] == [day_row(DAY, 5400, activitywatch=5400)]
    assert segments(body) == expected(
        [("10:00", "10:30", "activitywatch", "Code", 1800), ("10:30", "11:30", "activitywatch", "Slack", 3600)]
    )


def test_a_paused_question_in_progress_counts_its_active_time_so_far(
    http: httpx.Client, user_factory: Callable[..., TestUser]
) -> None:
    """Started ten minutes ago, paused for a minute, paused again two minutes ago: seven
    active minutes, running from the question's start (the pauses come off its end)."""
    person = user_factory("paused")
    now = datetime.now(UTC).replace(microsecond=0)
    minutes = [now - timedelta(minutes=n) for n in (10, 8, 7, 2)]
    rec.press(http, person, *zip(minutes, ["NEXT", "PAUSE", "PAUSE", "PAUSE"], strict=True))
    today = now.date()
    body = time_report(http, person, today - timedelta(days=1), today)
    assert body["tracked_seconds"] == 7 * 60
    assert sum(day["by_source"]["timer"] for day in body["days"]) == 7 * 60
    # One segment, or two when UTC midnight falls inside it.
    assert {s["source"] for s in body["segments"]} == {"timer"}
    start = min(datetime.fromisoformat(s["start"]) for s in body["segments"])
    end = max(datetime.fromisoformat(s["end"]) for s in body["segments"])
    assert (start, end) == (now - timedelta(minutes=10), now - timedelta(minutes=3))
