"""A worked day corrected by hand, through the real HTTP API: GET /api/v1/time checked to
the second before and after each correction, and after each is deleted again.

Recorded the way each client sends it (tests.utils.recorded_time), all times UTC; DAY lies
three days back, so nothing of it is in the future or still running:

    DAY - 1  20:00  tag Office into the Home reader, never taken out: counted up to the
                    default cap of 12 hours (DAY 08:00), as "capped"
    DAY      ActivityWatch not-afk 09:00-12:00 (Code in front), 13:00-16:00 (Firefox)
             NFC Apollo on the Lab reader 13:00-17:00
             timer question 16:30-17:00

    tracked  DAY - 1: 20:00-24:00 = 4 h
             DAY:     00:00-08:00, 09:00-12:00, 13:00-17:00 = 15 h

The corrections, made one after the other:

    1. lunch with a client, added by hand 12:00-13:15: an hour where nothing was recorded,
       and 13:00-13:15 taken from ActivityWatch (time added by hand comes first)
    2. a personal call excluded 14:00-14:30: gone from ActivityWatch, NFC and tracked alike
    3. the tag forgotten overnight, ended by hand at DAY - 1 22:00: an exclusion from there to
       where the cap stopped it (DAY 08:00), reason "ended by hand"
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.utils import recorded_time as rec
from tests.utils.users import TestUser
from timetracker.reports.sources import DEFAULT_PRECEDENCE

DAY = datetime.now(UTC).date() - timedelta(days=3)
BEFORE = DAY - timedelta(days=1)
OFFICE, APOLLO = "04 a2 19 7f", "dd 54 2a 83"
SOURCES = tuple(DEFAULT_PRECEDENCE)
TIMER = "timer work"
LUNCH = "Lunch with a client"
HOUR = 3600


def at(hhmm: str, day: date = DAY) -> datetime:
    """HH:MM UTC on `day` (24:00 is the next midnight)."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours, minutes=minutes)


def record_the_day(http: httpx.Client, person: TestUser) -> None:
    rec.label_tags(http, person, {OFFICE: "Office", APOLLO: "Apollo"})
    rec.tag_events(http, rec.reader(http, person, "Home"), (at("20:00", BEFORE), "tag_insert", OFFICE))
    rec.tag_events(
        http,
        rec.reader(http, person, "Lab"),
        (at("13:00"), "tag_insert", APOLLO),
        (at("17:00"), "tag_removed", APOLLO),
    )
    rec.ActivityWatch(http, person).send(
        afk=[rec.not_afk(at("09:00"), at("12:00")), rec.not_afk(at("13:00"), at("16:00"))],
        windows=[rec.window(at("09:00"), at("12:00"), "Code"), rec.window(at("13:00"), at("16:00"), "Firefox")],
    )
    rec.press(http, person, (at("16:30"), "NEXT"), (at("17:00"), "EXIT"))


@pytest.fixture
def worker(http: httpx.Client, alice: TestUser) -> TestUser:
    record_the_day(http, alice)
    return alice


def report(http: httpx.Client, person: TestUser, **params: str) -> dict[str, Any]:
    query = {"start": BEFORE.isoformat(), "end": DAY.isoformat(), **params}
    response = http.get("/api/v1/time", params=query, headers=person.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The one-number rule inside one answer: the segments, the days and the totals agree.
    assert sum(s["seconds"] for s in body["segments"]) == body["tracked_seconds"]
    assert sum(d["tracked_seconds"] for d in body["days"]) == body["tracked_seconds"]
    assert sum(t["seconds"] for t in body["totals"]) == body["tracked_seconds"]
    return body


def day_row(day: date, tracked: float, edited: bool, corrected: float, **by_source: float) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "tracked_seconds": float(tracked),
        "by_source": {source: float(by_source.get(source, 0)) for source in SOURCES},
        "edited": edited,
        "corrected_seconds": float(corrected),
    }


def segments(body: dict[str, Any]) -> list[tuple[datetime, datetime, str, str, float]]:
    return [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]), s["source"], s["label"], s["seconds"])
        for s in body["segments"]
    ]


def expected(*rows: tuple[str, str, str, str], day: date = DAY) -> list[tuple[datetime, datetime, str, str, float]]:
    return [
        (at(start, day), at(end, day), source, label, (at(end, day) - at(start, day)).total_seconds())
        for start, end, source, label in rows
    ]


def add(http: httpx.Client, person: TestUser, kind: str, start: datetime, end: datetime, **fields: str) -> str:
    path = "/api/v1/entries" if kind == "entry" else "/api/v1/exclusions"
    response = http.post(
        path, json={"start": start.isoformat(), "end": end.isoformat(), **fields}, headers=person.headers
    )
    assert response.status_code == 201, response.text
    return f"{path}/{response.json()['id']}"


def delete(http: httpx.Client, person: TestUser, item: str) -> None:
    response = http.delete(item, headers=person.headers)
    assert response.status_code == 204, response.text


# Each state of the two days: (day rows, segments of DAY - 1, segments of DAY).
OVERNIGHT = expected(("20:00", "24:00", "nfc", "Office"), day=BEFORE)
RECORDED = expected(
    ("00:00", "08:00", "nfc", "Office"),
    ("09:00", "12:00", "activitywatch", "Code"),
    ("13:00", "16:00", "activitywatch", "Firefox"),
    ("16:00", "16:30", "nfc", "Apollo"),
    ("16:30", "17:00", "timer", TIMER),
)
AS_RECORDED = [
    day_row(BEFORE, 4 * HOUR, False, 0, nfc=4 * HOUR),
    day_row(DAY, 15 * HOUR, False, 0, nfc=12 * HOUR, activitywatch=6 * HOUR, timer=1800),
]
WITH_LUNCH = expected(
    ("00:00", "08:00", "nfc", "Office"),
    ("09:00", "12:00", "activitywatch", "Code"),
    ("12:00", "13:15", "manual", LUNCH),
    ("13:15", "16:00", "activitywatch", "Firefox"),
    ("16:00", "16:30", "nfc", "Apollo"),
    ("16:30", "17:00", "timer", TIMER),
)
LUNCH_DAY = day_row(DAY, 16 * HOUR, True, HOUR, manual=4500, nfc=12 * HOUR, activitywatch=6 * HOUR, timer=1800)
WITH_THE_CALL_OUT = expected(
    ("00:00", "08:00", "nfc", "Office"),
    ("09:00", "12:00", "activitywatch", "Code"),
    ("12:00", "13:15", "manual", LUNCH),
    ("13:15", "14:00", "activitywatch", "Firefox"),
    ("14:30", "16:00", "activitywatch", "Firefox"),
    ("16:00", "16:30", "nfc", "Apollo"),
    ("16:30", "17:00", "timer", TIMER),
)
CALL_DAY = day_row(
    DAY, 15.5 * HOUR, True, 0.5 * HOUR, manual=4500, nfc=11.5 * HOUR, activitywatch=5.5 * HOUR, timer=1800
)


def test_each_correction_changes_the_day_to_the_second_and_deleting_it_changes_it_back(
    http: httpx.Client, worker: TestUser
) -> None:
    original = report(http, worker)
    assert original["days"] == AS_RECORDED
    assert segments(original) == OVERNIGHT + RECORDED

    # 1. Lunch with a client, added by hand.
    lunch = add(http, worker, "entry", at("12:00"), at("13:15"), label=LUNCH, note="the Zeus contract")
    body = report(http, worker)
    assert body["days"] == [AS_RECORDED[0], LUNCH_DAY]
    assert segments(body) == OVERNIGHT + WITH_LUNCH
    assert {"source": "manual", "label": LUNCH, "seconds": 4500.0} in body["totals"]

    # 2. A personal call in the middle of an ActivityWatch stretch (Apollo's tag was in too).
    call = add(http, worker, "exclusion", at("14:00"), at("14:30"), reason="personal call")
    body = report(http, worker)
    assert body["days"] == [AS_RECORDED[0], CALL_DAY]
    assert segments(body) == OVERNIGHT + WITH_THE_CALL_OUT

    # 3. The tag forgotten overnight: it stopped counting at the cap; the person ends it by hand.
    pieces = report(http, worker, include="intervals")["intervals"]
    office = [p for p in pieces if p["label"] == "Office"]
    assert [(p["day"], p["status"]) for p in office] == [(BEFORE.isoformat(), "capped"), (DAY.isoformat(), "capped")]
    cap = datetime.fromisoformat(office[-1]["end"])
    assert cap == at("20:00", BEFORE) + timedelta(hours=12) == at("08:00")
    ended = add(http, worker, "exclusion", at("22:00", BEFORE), cap, reason="ended by hand")
    body = report(http, worker, include="intervals")
    assert body["days"] == [
        day_row(BEFORE, 2 * HOUR, True, -2 * HOUR, nfc=2 * HOUR),
        day_row(
            DAY,
            7.5 * HOUR,
            True,
            0.5 * HOUR - 8 * HOUR,
            manual=4500,
            nfc=3.5 * HOUR,
            activitywatch=5.5 * HOUR,
            timer=1800,
        ),
    ]
    assert segments(body) == expected(("20:00", "22:00", "nfc", "Office"), day=BEFORE) + WITH_THE_CALL_OUT[1:]
    assert body["tracked_seconds"] == 2 * HOUR + 7.5 * HOUR
    # The reader's own record is kept as it came: only what counts has changed.
    assert [p for p in body["intervals"] if p["label"] == "Office"] == office

    # Deleted one by one, last first: each step back gives the figures before it, exactly. The
    # days stay marked as edited (the trail of their corrections is kept).
    delete(http, worker, ended)
    body = report(http, worker)
    assert body["days"] == [day_row(BEFORE, 4 * HOUR, True, 0, nfc=4 * HOUR), CALL_DAY]
    assert segments(body) == OVERNIGHT + WITH_THE_CALL_OUT
    delete(http, worker, call)
    body = report(http, worker)
    assert body["days"] == [day_row(BEFORE, 4 * HOUR, True, 0, nfc=4 * HOUR), LUNCH_DAY]
    assert segments(body) == OVERNIGHT + WITH_LUNCH
    delete(http, worker, lunch)
    restored = report(http, worker)
    assert [{**day, "edited": False} for day in restored["days"]] == AS_RECORDED
    assert [day["edited"] for day in restored["days"]] == [True, True]
    assert (restored["tracked_seconds"], restored["segments"], restored["totals"]) == (
        original["tracked_seconds"],
        original["segments"],
        original["totals"],
    )


def test_corrections_deleted_in_another_order_leave_exactly_what_the_others_make(
    http: httpx.Client, worker: TestUser
) -> None:
    """The three corrections made, then deleted first to last: after each deletion the day is
    what the corrections still there make of it, and in the end what was recorded."""
    original = report(http, worker)
    lunch = add(http, worker, "entry", at("12:00"), at("13:15"), label=LUNCH)
    call = add(http, worker, "exclusion", at("14:00"), at("14:30"), reason="personal call")
    ended = add(http, worker, "exclusion", at("22:00", BEFORE), at("08:00"), reason="ended by hand")
    delete(http, worker, lunch)
    body = report(http, worker)
    assert body["days"] == [
        day_row(BEFORE, 2 * HOUR, True, -2 * HOUR, nfc=2 * HOUR),
        day_row(DAY, 6.5 * HOUR, True, -8.5 * HOUR, nfc=3.5 * HOUR, activitywatch=5.5 * HOUR, timer=1800),
    ]
    delete(http, worker, ended)
    body = report(http, worker)
    assert body["days"] == [
        day_row(BEFORE, 4 * HOUR, True, 0, nfc=4 * HOUR),
        day_row(DAY, 14.5 * HOUR, True, -0.5 * HOUR, nfc=11.5 * HOUR, activitywatch=5.5 * HOUR, timer=1800),
    ]
    delete(http, worker, call)
    restored = report(http, worker)
    assert [day["tracked_seconds"] for day in restored["days"]] == [4 * HOUR, 15 * HOUR]
    assert [day["corrected_seconds"] for day in restored["days"]] == [0.0, 0.0]
    assert restored["segments"] == original["segments"] and restored["totals"] == original["totals"]


def test_the_days_alone_give_the_same_figures_as_the_two_together(http: httpx.Client, worker: TestUser) -> None:
    """The overnight exclusion reaches across midnight: asked for one day at a time, each day
    has the very same figures and segments as in the two-day answer."""
    add(http, worker, "entry", at("12:00"), at("13:15"), label=LUNCH)
    add(http, worker, "exclusion", at("14:00"), at("14:30"), reason="personal call")
    add(http, worker, "exclusion", at("22:00", BEFORE), at("08:00"), reason="ended by hand")
    both = report(http, worker)
    for index, day in enumerate((BEFORE, DAY)):
        alone = report(http, worker, start=day.isoformat(), end=day.isoformat())
        assert alone["days"] == [both["days"][index]]
        assert segments(alone) == [s for s in segments(both) if s[0].date() == day]
