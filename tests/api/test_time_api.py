"""GET /api/v1/time: the intervals behind "My time", per local day of the viewer's profile
timezone, with totals per label."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.devices import TestDevice, device_event, post_batch, register_device
from tests.utils.users import TestUser

APOLLO, OFFICE = "dd 54 2a 83", "04 a2 19 7f"


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


@pytest.fixture
def reader(http: httpx.Client, alice: TestUser) -> TestDevice:
    labels = {"labels": {APOLLO: "Apollo", OFFICE: "Office"}}
    assert http.put("/api/v1/tags", json=labels, headers=alice.headers).status_code == 200
    return register_device(http, alice)


def send(http: httpx.Client, reader: TestDevice, *events: tuple[str, str, str]) -> None:
    """(UTC timestamp, event type, tag id) each."""
    payloads = [
        device_event(reader.device_id, timestamp=at, event_type=kind, tag_present=kind == "tag_insert", tag_id=tag)
        for at, kind, tag in events
    ]
    assert post_batch(http, reader, payloads).json()["created"] == len(events)


def report(http: httpx.Client, auth: dict[str, str], start: str, end: str) -> dict:
    response = http.get("/api/v1/time", params={"start": start, "end": end, "include": "intervals"}, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def pieces(body: dict) -> list[tuple[str, str, str, str, float, str]]:
    """(day, label, local start, local end, seconds, status)"""
    return [
        (p["day"], p["label"], p["start"][11:16], p["end"][11:16], p["seconds"], p["status"]) for p in body["intervals"]
    ]


def test_intervals_and_totals_per_label(http: httpx.Client, auth: dict[str, str], reader: TestDevice) -> None:
    send(
        http,
        reader,
        ("2025-04-11T09:00:00Z", "tag_insert", APOLLO),
        ("2025-04-11T10:30:00Z", "tag_removed", APOLLO),
        ("2025-04-11T11:00:00Z", "tag_insert", OFFICE),
        ("2025-04-11T11:30:00Z", "tag_removed", OFFICE),
        ("2025-04-11T13:00:00Z", "tag_insert", APOLLO),
        ("2025-04-11T13:15:00Z", "tag_removed", APOLLO),
    )
    body = report(http, auth, "2025-04-11", "2025-04-11")
    assert (body["timezone"], body["start"], body["end"]) == ("UTC", "2025-04-11", "2025-04-11")
    assert pieces(body) == [
        ("2025-04-11", "Apollo", "09:00", "10:30", 5400.0, "closed"),
        ("2025-04-11", "Office", "11:00", "11:30", 1800.0, "closed"),
        ("2025-04-11", "Apollo", "13:00", "13:15", 900.0, "closed"),
    ]
    assert body["intervals"][0]["source"] == "nfc"
    assert body["totals"] == [
        {"source": "nfc", "label": "Apollo", "seconds": 6300.0},
        {"source": "nfc", "label": "Office", "seconds": 1800.0},
    ]
    assert report(http, auth, "2025-04-12", "2025-04-13")["intervals"] == []


def test_open_orphan_and_missing_removal_are_all_shown(http: httpx.Client, alice: TestUser, reader: TestDevice) -> None:
    send(
        http,
        reader,
        ("2025-04-11T08:00:00Z", "tag_removed", OFFICE),  # a removal with no insert
        ("2025-04-11T09:00:00Z", "tag_insert", APOLLO),
        ("2025-04-11T09:30:00Z", "tag_insert", APOLLO),  # the first insert never saw its removal
        ("2025-04-11T10:00:00Z", "tag_removed", APOLLO),
        ("2025-04-11T22:00:00Z", "tag_insert", OFFICE),  # still on the reader
    )
    assert pieces(report(http, alice.headers, "2025-04-11", "2025-04-12")) == [
        ("2025-04-11", "Office", "08:00", "08:00", 0.0, "orphan_removal"),
        ("2025-04-11", "Apollo", "09:00", "09:30", 1800.0, "missing_removal"),
        ("2025-04-11", "Apollo", "09:30", "10:00", 1800.0, "closed"),
        # Never removed: it counts for the default cap of 12 hours, cut at the day's end.
        ("2025-04-11", "Office", "22:00", "00:00", 7200.0, "capped"),
        ("2025-04-12", "Office", "00:00", "10:00", 36000.0, "capped"),
    ]


def test_a_second_insert_days_later_caps_the_first_but_a_removal_does_not(
    http: httpx.Client, alice: TestUser, reader: TestDevice
) -> None:
    """With no removal seen, two days between inserts is a forgotten tag; a stay ended by a
    removal counts as the reader saw it."""
    send(
        http,
        reader,
        ("2025-04-07T09:00:00Z", "tag_insert", APOLLO),
        ("2025-04-09T09:00:00Z", "tag_insert", APOLLO),  # Monday's removal never arrived
        ("2025-04-09T23:00:00Z", "tag_removed", APOLLO),  # a fourteen-hour stay, removed
    )
    body = report(http, alice.headers, "2025-04-07", "2025-04-09")
    assert [(d["day"], d["tracked_seconds"]) for d in body["days"]] == [
        ("2025-04-07", 12 * 3600.0),
        ("2025-04-08", 0.0),
        ("2025-04-09", 14 * 3600.0),
    ]
    assert [(p["day"], p["status"]) for p in body["intervals"]] == [("2025-04-07", "capped"), ("2025-04-09", "closed")]


def test_a_tag_still_in_under_the_cap_is_open_and_counts_up_to_now(
    http: httpx.Client, alice: TestUser, reader: TestDevice
) -> None:
    inserted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    send(http, reader, (inserted.isoformat(), "tag_insert", APOLLO))
    before = datetime.now(UTC)
    body = report(http, alice.headers, inserted.date().isoformat(), before.date().isoformat())
    after = datetime.now(UTC)
    assert {(p["label"], p["status"]) for p in body["intervals"]} == {("Apollo", "open")}
    assert datetime.fromisoformat(body["intervals"][0]["start"]) == inserted
    assert before <= datetime.fromisoformat(body["intervals"][-1]["end"]) <= after
    assert (before - inserted).total_seconds() <= body["tracked_seconds"] <= (after - inserted).total_seconds()


def test_the_cap_is_the_persons_own_setting(http: httpx.Client, alice: TestUser, reader: TestDevice) -> None:
    """A tag in for two hours counts one under a cap of one hour, then all of it under three."""
    inserted = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    send(http, reader, (inserted.isoformat(), "tag_insert", APOLLO))
    days = {"start": inserted.date().isoformat(), "end": datetime.now(UTC).date().isoformat()}
    assert http.put("/api/v1/profile", json={"open_interval_cap_hours": 1}, headers=alice.headers).status_code == 200
    capped = report(http, alice.headers, **days)
    assert capped["tracked_seconds"] == 3600.0
    assert {p["status"] for p in capped["intervals"]} == {"capped"}
    assert datetime.fromisoformat(capped["intervals"][-1]["end"]) == inserted + timedelta(hours=1)
    assert http.put("/api/v1/profile", json={"open_interval_cap_hours": 3}, headers=alice.headers).status_code == 200
    reopened = report(http, alice.headers, **days)
    assert {p["status"] for p in reopened["intervals"]} == {"open"}
    assert 2 * 3600 <= reopened["tracked_seconds"] <= 2 * 3600 + 120


@pytest.mark.parametrize(
    ("tz", "utc_times", "expected"),
    [
        (
            "America/Los_Angeles",  # 23:30-00:30 PDT
            ("2025-04-11T06:30:00Z", "2025-04-11T07:30:00Z"),
            [("2025-04-10", "23:30", "00:00", 1800.0), ("2025-04-11", "00:00", "00:30", 1800.0)],
        ),
        (
            "Asia/Kathmandu",  # 23:45-00:15 NPT (UTC+5:45)
            ("2025-04-11T18:00:00Z", "2025-04-11T18:30:00Z"),
            [("2025-04-11", "23:45", "00:00", 900.0), ("2025-04-12", "00:00", "00:15", 900.0)],
        ),
    ],
)
def test_an_interval_across_local_midnight_counts_on_both_days(
    http: httpx.Client,
    alice: TestUser,
    reader: TestDevice,
    tz: str,
    utc_times: tuple[str, str],
    expected: list[tuple],
) -> None:
    assert http.put("/api/v1/profile", json={"timezone": tz}, headers=alice.headers).status_code == 200
    send(http, reader, (utc_times[0], "tag_insert", APOLLO), (utc_times[1], "tag_removed", APOLLO))
    body = report(http, alice.headers, "2025-04-10", "2025-04-12")
    assert body["timezone"] == tz
    assert [(day, start, end, seconds) for day, _, start, end, seconds, _ in pieces(body)] == expected
    assert body["totals"] == [{"source": "nfc", "label": "Apollo", "seconds": sum(p[3] for p in expected)}]


def test_the_default_range_is_this_week_up_to_today(http: httpx.Client, alice: TestUser) -> None:
    response = http.get("/api/v1/time", headers=alice.headers)
    assert response.status_code == 200, response.text
    start, end = date.fromisoformat(response.json()["start"]), date.fromisoformat(response.json()["end"])
    assert start.weekday() == 0 and 0 <= (end - start).days < 7


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-04-12", "end": "2025-04-11"},
        {"start": "2024-01-01", "end": "2025-04-11"},
        {"start": "2025-13-01", "end": "2025-12-31"},
        {"start": "yesterday"},
        {"start": "2025-04-11", "end": "2025-04-11", "user_id": "not-a-uuid"},
    ],
    ids=["reversed", "over a year", "no such month", "not a date", "bad user id"],
)
def test_a_bad_range_is_422(http: httpx.Client, alice: TestUser, params: dict[str, str]) -> None:
    response = http.get("/api/v1/time", params=params, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"]
