"""From raw reader events to time per local day: the pairing in `nfc_intervals` (SQL), and
the cutting at the viewer's local midnights (`reports.timeline`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.utils.devices import unique_device_id
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.errors import Forbidden
from timetracker.nfc import devices, ingest
from timetracker.nfc.identity import DeviceIdentity
from timetracker.nfc.payload import DeviceEvent
from timetracker.reports import person_time, timeline
from timetracker.runtime import Runtime

DAY = date(2025, 4, 11)
APOLLO, OFFICE, UNLABELLED = "dd 54 2a 83", "04 a2 19 7f", "01 02 03 04"


def utc(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC)


def entry(start: datetime, end: datetime, label: str = "Apollo", status: str = "closed") -> dict[str, Any]:
    return {"source": "nfc", "label": label, "detail": "", "started_at": start, "ended_at": end, "status": status}


def split(entries: list[dict[str, Any]], tz: str, first: date, last: date) -> list[tuple[date, float]]:
    zone = ZoneInfo(tz)
    start, end = timeline.local_day_window(first, last, zone)
    pieces = timeline.split_rows(entries, zone, start, end)
    return list(zip(pieces["day"], pieces["seconds"], strict=True))


# -- cutting at local midnights (no database) ----------------------------------------------


@pytest.mark.parametrize(
    ("tz", "start", "end", "expected"),
    [
        # 23:30-00:30 PDT (UTC-7)
        ("America/Los_Angeles", "06:30", "07:30", [(date(2025, 4, 10), 1800.0), (date(2025, 4, 11), 1800.0)]),
        # 23:45-00:15 in Nepal (UTC+5:45)
        ("Asia/Kathmandu", "18:00", "18:30", [(date(2025, 4, 11), 900.0), (date(2025, 4, 12), 900.0)]),
        # the same instants, in UTC, fall on one day
        ("UTC", "18:00", "18:30", [(date(2025, 4, 11), 1800.0)]),
    ],
)
def test_an_interval_across_local_midnight_is_split_into_two_days(
    tz: str, start: str, end: str, expected: list[tuple[date, float]]
) -> None:
    assert split([entry(utc(start), utc(end))], tz, date(2025, 4, 10), date(2025, 4, 12)) == expected


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2025, 3, 9), "08:30", "10:30"),  # 00:30 PST -> 03:30 PDT: clocks jumped forward
        (date(2025, 11, 2), "07:30", "09:30"),  # 00:30 PDT -> 01:30 PST: clocks fell back
    ],
)
def test_a_daylight_saving_night_counts_real_seconds(day: date, start: str, end: str) -> None:
    pieces = split([entry(utc(start, day), utc(end, day))], "America/Los_Angeles", day, day)
    assert pieces == [(day, 7200.0)]


def test_a_day_with_a_daylight_saving_change_holds_its_real_length() -> None:
    whole_day = entry(utc("00:00", date(2025, 3, 9)), utc("00:00", date(2025, 3, 11)))
    days = split([whole_day], "America/Los_Angeles", date(2025, 3, 9), date(2025, 3, 9))
    assert days == [(date(2025, 3, 9), 23 * 3600.0)]


def test_entries_are_clipped_to_the_window_and_flags_kept() -> None:
    long_one = entry(utc("20:00", date(2025, 4, 10)), utc("02:00"))
    flag = entry(utc("12:00"), utc("12:00"), status="orphan_removal")
    assert split([long_one, flag], "UTC", DAY, DAY) == [(DAY, 7200.0), (DAY, 0.0)]


# -- pairing events into intervals (the nfc_intervals view, through the report) -------------

Event = tuple[str, str, str]  # (HH:MM UTC on DAY, tag_insert|tag_removed, tag id)


@pytest.fixture
def reader(runtime: Runtime, alice: TestUser) -> Callable[..., str]:
    """A new reader of alice's; calling it with events stores them (in the order given)."""
    devices.put_tags(runtime.db, alice.principal, {APOLLO: "Apollo", OFFICE: "Office"})

    def new_reader(*events: Event) -> str:
        device_id = unique_device_id()
        devices.register(runtime.db, alice.principal, device_id, "Desk")
        send(runtime, alice, device_id, *events)
        return device_id

    return new_reader


def send(runtime: Runtime, owner: TestUser, device_id: str, *events: Event, day: date = DAY) -> None:
    validated = [
        DeviceEvent(
            timestamp=utc(at, day).isoformat(),
            event_type=kind,
            tag_present=kind == "tag_insert",
            tag_id=tag,
            device_id=device_id,
        )
        for at, kind, tag in events
    ]
    identity = DeviceIdentity(device_id=device_id, owner_id=owner.id)
    ingest.store_events(runtime.db, identity, [(event, event.model_dump(mode="json")) for event in validated])


def intervals(runtime: Runtime, viewer: TestUser, tz: str = "UTC") -> list[tuple[str, str, str, float, str]]:
    """(label, local start HH:MM, local end HH:MM, seconds, status) on DAY, in start order."""
    pieces = person_time.read(runtime.db, viewer.principal, DAY, DAY, ZoneInfo(tz)).pieces()
    return [
        (p.label, p.start.strftime("%H:%M"), p.end.strftime("%H:%M"), p.seconds, p.status)
        for p in pieces.sort_values(["start", "label"]).itertuples()
    ]


def test_an_insert_and_its_removal_make_one_interval_labelled_by_the_tag(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    reader(("09:00", "tag_insert", APOLLO), ("10:30", "tag_removed", APOLLO))
    assert intervals(runtime, alice) == [("Apollo", "09:00", "10:30", 5400.0, "closed")]


def test_nested_and_overlapping_tags_each_keep_their_own_interval(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    reader(
        ("09:00", "tag_insert", APOLLO),
        ("09:10", "tag_insert", OFFICE),  # nested inside Apollo
        ("09:20", "tag_removed", OFFICE),
        ("09:50", "tag_insert", UNLABELLED),  # overlaps Apollo's end
        ("10:00", "tag_removed", APOLLO),
        ("10:15", "tag_removed", UNLABELLED),
    )
    assert intervals(runtime, alice) == [
        ("Apollo", "09:00", "10:00", 3600.0, "closed"),
        ("Office", "09:10", "09:20", 600.0, "closed"),
        (UNLABELLED, "09:50", "10:15", 1500.0, "closed"),  # no label: the tag id stands in
    ]


def test_events_arriving_out_of_order_pair_by_when_they_happened(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    device_id = reader(("11:00", "tag_removed", APOLLO))  # the removal arrives first (offline replay)
    send(runtime, alice, device_id, ("12:00", "tag_removed", OFFICE), ("10:00", "tag_insert", APOLLO))
    send(runtime, alice, device_id, ("11:30", "tag_insert", OFFICE))
    assert intervals(runtime, alice) == [
        ("Apollo", "10:00", "11:00", 3600.0, "closed"),
        ("Office", "11:30", "12:00", 1800.0, "closed"),
    ]


def test_the_same_tag_on_two_readers_makes_two_intervals(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    reader(("09:00", "tag_insert", APOLLO))
    reader(("09:30", "tag_removed", APOLLO))
    # Reader one's insert never saw its removal (and stopped counting at the cap long since);
    # reader two's removal pairs with nothing.
    assert [(label, start, status) for label, start, _, _, status in intervals(runtime, alice)] == [
        ("Apollo", "09:00", "capped"),
        ("Apollo", "09:30", "orphan_removal"),
    ]


def test_an_unmatched_insert_long_ago_counts_up_to_the_cap(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    """A tag forgotten in the reader at 22:00 stops counting 12 hours later (the default cap),
    not now: a forgotten tag is not a day-long stay."""
    reader(("22:00", "tag_insert", APOLLO))
    assert intervals(runtime, alice) == [("Apollo", "22:00", "00:00", 7200.0, "capped")]
    after, two_after = date(2025, 4, 12), date(2025, 4, 13)
    time = person_time.read(runtime.db, alice.principal, DAY, two_after, ZoneInfo("UTC"), with_pieces=True)
    assert [(d.day, d.tracked_seconds, d.by_source["nfc"]) for d in time.days] == [
        (DAY, 7200.0, 7200.0),
        (after, 10 * 3600.0, 10 * 3600.0),
        (two_after, 0.0, 0.0),
    ]
    assert [(p.start, p.end, p.status) for p in time.pieces().itertuples()] == [
        (utc("22:00"), utc("00:00", after), "capped"),
        (utc("00:00", after), utc("10:00", after), "capped"),
    ]
    # The raw pairing is unchanged: the interval itself is still open.
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        [row] = conn.execute("select ended_at, status from nfc_intervals where owner_id = %s", (alice.id,)).fetchall()
    assert row == {"ended_at": None, "status": "open"}


def send_at(runtime: Runtime, owner: TestUser, device_id: str, at: datetime, kind: str, tag: str = APOLLO) -> None:
    event = DeviceEvent(
        timestamp=at.isoformat(), event_type=kind, tag_present=kind == "tag_insert", tag_id=tag, device_id=device_id
    )
    identity = DeviceIdentity(device_id=device_id, owner_id=owner.id)
    ingest.store_events(runtime.db, identity, [(event, event.model_dump(mode="json"))])


def counted_since(runtime: Runtime, viewer: TestUser, owner: TestUser, since: datetime) -> tuple[float, set[str]]:
    """The owner's NFC seconds from `since` on (as `viewer` sees them), and the pieces' statuses."""
    today = datetime.now(UTC).date()
    time = person_time.read(
        runtime.db, viewer.principal, since.date(), today, ZoneInfo("UTC"), owner_id=owner.id, with_pieces=True
    )
    return sum(day.by_source["nfc"] for day in time.days), set(time.pieces()["status"])


def test_an_unmatched_insert_under_the_cap_is_open_and_counts_up_to_now(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    device_id = reader()
    inserted = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    send_at(runtime, alice, device_id, inserted, "tag_insert")
    before = datetime.now(UTC)
    seconds, statuses = counted_since(runtime, alice, alice, inserted)
    after = datetime.now(UTC)
    assert statuses == {"open"}
    assert (before - inserted).total_seconds() - 1 <= seconds <= (after - inserted).total_seconds() + 1


def test_the_cap_is_the_tag_owners_own_setting(
    runtime: Runtime, alice: TestUser, bob: TestUser, reader: Callable[..., str]
) -> None:
    """Alice caps at 2 hours, her team admin bob at 24: a tag of hers in for 3 hours counts 2,
    whoever looks; raised to 4 hours, it is open again and counts until now."""
    team_of(runtime.db, bob, "Crew", (alice, "member"))
    profiles.update(runtime.db, bob.principal, open_interval_cap_hours=24)
    profiles.update(runtime.db, alice.principal, open_interval_cap_hours=2)
    device_id = reader()
    inserted = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    send_at(runtime, alice, device_id, inserted, "tag_insert")
    for viewer in (alice, bob):
        assert counted_since(runtime, viewer, alice, inserted) == (2 * 3600.0, {"capped"})
    profiles.update(runtime.db, alice.principal, open_interval_cap_hours=4)
    for viewer in (alice, bob):
        seconds, statuses = counted_since(runtime, viewer, alice, inserted)
        assert statuses == {"open"} and 3 * 3600 - 1 <= seconds <= 3 * 3600 + 120


def test_an_open_interval_that_starts_after_now_is_a_flag(runtime: Runtime, alice: TestUser) -> None:
    """A reader whose clock runs ahead: the insert is kept as a zero-length flag, not lost."""
    ahead = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)  # within the day allowed
    future = ahead.date()
    devices.put_tags(runtime.db, alice.principal, {APOLLO: "Apollo"})
    device_id = unique_device_id()
    devices.register(runtime.db, alice.principal, device_id, "Desk")
    send(runtime, alice, device_id, (f"{ahead:%H:%M}", "tag_insert", APOLLO), day=future)
    pieces = person_time.read(runtime.db, alice.principal, future, future, ZoneInfo("UTC")).pieces()
    assert [(p.label, p.start, p.seconds, p.status) for p in pieces.itertuples()] == [("Apollo", ahead, 0.0, "open")]


def test_a_removal_with_no_insert_is_flagged_not_dropped(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    reader(
        ("08:00", "tag_removed", APOLLO),
        ("09:00", "tag_insert", APOLLO),
        ("10:00", "tag_removed", APOLLO),
        ("10:05", "tag_removed", APOLLO),  # a second removal: nothing left to end
    )
    assert intervals(runtime, alice) == [
        ("Apollo", "08:00", "08:00", 0.0, "orphan_removal"),
        ("Apollo", "09:00", "10:00", 3600.0, "closed"),
        ("Apollo", "10:05", "10:05", 0.0, "orphan_removal"),
    ]


def test_an_insert_followed_by_another_insert_is_missing_its_removal(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str]
) -> None:
    reader(("09:00", "tag_insert", APOLLO), ("09:40", "tag_insert", APOLLO), ("10:00", "tag_removed", APOLLO))
    assert intervals(runtime, alice) == [
        ("Apollo", "09:00", "09:40", 2400.0, "missing_removal"),
        ("Apollo", "09:40", "10:00", 1200.0, "closed"),
    ]


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        # 06:30-07:30 UTC is 23:30-00:30 across the night before; 18:00-18:30 UTC is 11:00-11:30.
        (
            "America/Los_Angeles",
            [("Apollo", "00:00", "00:30", 1800.0, "closed"), ("Apollo", "11:00", "11:30", 1800.0, "closed")],
        ),
        # 06:30-07:30 UTC is 12:15-13:15; 18:00-18:30 UTC is 23:45-00:15 across the next midnight.
        (
            "Asia/Kathmandu",
            [("Apollo", "12:15", "13:15", 3600.0, "closed"), ("Apollo", "23:45", "00:00", 900.0, "closed")],
        ),
    ],
)
def test_days_are_the_viewers_local_days(
    runtime: Runtime, alice: TestUser, reader: Callable[..., str], tz: str, expected: list[tuple]
) -> None:
    reader(
        ("06:30", "tag_insert", APOLLO),
        ("07:30", "tag_removed", APOLLO),
        ("18:00", "tag_insert", APOLLO),
        ("18:30", "tag_removed", APOLLO),
    )
    assert intervals(runtime, alice, tz) == expected


def test_a_stranger_gets_no_time_of_someone_elses(
    runtime: Runtime, alice: TestUser, bob: TestUser, reader: Callable[..., str]
) -> None:
    reader(("09:00", "tag_insert", APOLLO), ("10:00", "tag_removed", APOLLO))
    assert intervals(runtime, bob) == []
    with pytest.raises(Forbidden):
        person_time.read(runtime.db, bob.principal, DAY, DAY, ZoneInfo("UTC"), owner_id=alice.id)
