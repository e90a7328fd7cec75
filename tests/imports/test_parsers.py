"""The Toggl Track and Clockify detailed-report parsers, on sample exports: local times read
in the zone given (daylight-saving days included), and every unreadable line named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.imports.samples import sample
from timetracker.imports import clockify_csv, detailed_report, toggl_csv
from timetracker.imports.entries import ImportedEntry, InvalidFile, Parsed

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOGGL_HEADER = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,"
    "Amount (USD)\n"
)


def toggl(data: bytes, tz: ZoneInfo) -> Parsed:
    return detailed_report.read(data, tz, toggl_csv.COLUMNS)


def clockify(data: bytes, tz: ZoneInfo) -> Parsed:
    return detailed_report.read(data, tz, clockify_csv.COLUMNS)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def spans(entries: list[ImportedEntry]) -> list[tuple[datetime, datetime]]:
    return [(e.started_at, e.ended_at) for e in entries]


def refused(data: bytes, tz: ZoneInfo = BERLIN) -> InvalidFile:
    with pytest.raises(InvalidFile) as caught:
        toggl(data, tz)
    return caught.value


def test_a_toggl_export_keeps_names_quotes_and_the_night_across_midnight() -> None:
    parsed = toggl(sample("toggl_detailed.csv"), BERLIN)
    assert spans(parsed.entries) == [
        (utc(2026, 3, 16, 8, 5), utc(2026, 3, 16, 10, 35)),
        (utc(2026, 3, 16, 10, 45), utc(2026, 3, 16, 11)),
        (utc(2026, 3, 16, 12), utc(2026, 3, 16, 13, 10, 30)),
        (utc(2026, 3, 16, 22, 30), utc(2026, 3, 16, 23, 45)),
    ]
    first = parsed.entries[0]
    assert (first.origin, first.project, first.client) == ("toggl", "Website relaunch", "Acme Corp")
    assert first.task == "Design"
    assert (first.description, first.tags) == ("Homepage copy, second pass", "design, writing")
    assert parsed.entries[2].description == 'Reviewing the "Q2" plan'
    assert parsed.invalid == 1  # the zero-length entry holds no time


def test_clockify_us_dates_and_twelve_hour_times() -> None:
    parsed = clockify(sample("clockify_detailed_us.csv"), NEW_YORK)
    assert spans(parsed.entries) == [
        (utc(2026, 9, 15, 18), utc(2026, 9, 15, 19, 30)),
        (utc(2026, 9, 16, 13), utc(2026, 9, 16, 14)),
        (utc(2026, 9, 17, 3, 30), utc(2026, 9, 17, 4, 15)),  # 11:30 PM to 12:15 AM
    ]
    first = parsed.entries[0]
    assert (first.origin, first.project, first.task) == ("clockify", "Brand refresh", "Design")
    assert first.tags == "print, logo"


def test_clockify_day_first_dates_are_told_apart_by_a_day_over_twelve() -> None:
    parsed = clockify(sample("clockify_detailed_day_first.csv"), ZoneInfo("UTC"))
    assert [e.started_at.date().isoformat() for e in parsed.entries] == ["2026-03-02", "2026-03-16"]


def test_iso_dates_and_24_hour_times_in_clockify() -> None:
    data = sample("clockify_detailed_us.csv").decode().splitlines()
    row = "Admin,,Call,,Hugo Bernard,,hugo@example.com,,No,2026-09-18,14:05:00,2026-09-18,14:35,00:30:00,0.5,0,0"
    parsed = clockify(f"{data[0]}\n{row}\n".encode(), NEW_YORK)
    assert spans(parsed.entries) == [(utc(2026, 9, 18, 18, 5), utc(2026, 9, 18, 18, 35))]


def test_daylight_saving_days_count_real_hours() -> None:
    parsed = toggl(sample("toggl_dst_berlin.csv"), BERLIN)
    lengths = [e.ended_at - e.started_at for e in parsed.entries]
    # 01:30-03:30 on the spring day is one hour; 01:30-02:30 on the autumn day two (the
    # second 02:30, as its duration says); 02:10-02:40 there is the first one.
    assert lengths == [timedelta(hours=1), timedelta(hours=2), timedelta(minutes=30)]
    assert spans(parsed.entries)[1] == (utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 1, 30))
    assert spans(parsed.entries)[2] == (utc(2026, 10, 25, 0, 10), utc(2026, 10, 25, 0, 40))


def test_the_same_export_read_in_another_zone_is_other_instants() -> None:
    in_berlin = toggl(sample("toggl_detailed.csv"), BERLIN).entries[0]
    in_utc = toggl(sample("toggl_detailed.csv"), ZoneInfo("UTC")).entries[0]
    assert in_utc.started_at - in_berlin.started_at == timedelta(hours=1)
    assert in_utc.key != in_berlin.key


def test_a_malformed_line_is_named_and_nothing_is_read() -> None:
    error = refused(sample("toggl_malformed.csv"))
    assert error.message == "line 7: End time is not a time ('noon'). Nothing was imported."
    assert error.details == [{"line": 7, "message": "End time is not a time ('noon')"}]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (",,,,,x,No,2026-03-16,10:00:00,2026-03-16,09:00:00,,,", "line 2: the entry ends before it starts"),
        (",,,,,x,No,2026-03-16,10:00:00,2026-03-17,10:00:01,,,", "line 2: the entry is longer than 24 hours"),
        (",,,,,x,No,2026-02-30,10:00:00,2026-03-01,10:00:00,,,", "line 2: Start date is not a date ('2026-02-30')"),
        (",,,,,x,No,2026-03-16,25:00:00,2026-03-16,10:00:00,,,", "line 2: Start time is not a time ('25:00:00')"),
        (",,,,,x,No,2026-03-16,09:00:00,2026-03-16,10:00:00,1 hour,,", "line 2: Duration is not a duration"),
        (",,,,,x,No,2026-03-16,09:00:00", "line 2: has 9 fields where the header has 14"),
        (",,,,,x,No,0001-01-01,00:00:00,0001-01-01,01:00:00,,,", "line 2: Start date is not between 1970-01-01"),
    ],
    ids=["end before start", "over a day", "no such day", "no such hour", "duration", "short row", "year 1"],
)
def test_rows_that_cannot_be_stored_are_named(row: str, problem: str) -> None:
    assert refused(f"{TOGGL_HEADER}{row}\n".encode()).message.startswith(problem)


def test_every_problem_is_listed_with_its_line() -> None:
    rows = [",,,,,x,No,2026-03-16,10:00:00,2026-03-16,09:00:00,,,"] * 3
    error = refused((TOGGL_HEADER + "\n".join(rows) + "\n").encode())
    assert [detail["line"] for detail in error.details] == [2, 3, 4]
    assert "(and 2 more problems)" in error.message


def test_a_multi_line_description_counts_its_lines() -> None:
    rows = (
        ',,,,,"two\nlines",No,2026-03-16,09:00:00,2026-03-16,10:00:00,,,\n'
        ",,,,,x,No,2026-03-16,bad,2026-03-16,10:00:00,,,"
    )
    assert refused(f"{TOGGL_HEADER}{rows}\n".encode()).message.startswith("line 4: Start time is not a time")


def test_another_persons_rows_are_refused() -> None:
    rows = [
        "Ann,ann@example.com,,P,,x,No,2026-03-16,09:00:00,2026-03-16,10:00:00,,,",
        "Bob,bob@example.com,,P,,x,No,2026-03-16,09:00:00,2026-03-16,10:00:00,,,",
    ]
    error = refused((TOGGL_HEADER + "\n".join(rows) + "\n").encode())
    assert error.message.startswith("line 3: holds bob@example.com's time, line 2 ann@example.com's")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "line 1: the file is empty"),
        (b"Date,Hours\n2026-03-16,2\n", "line 1: the header has no 'Start date' column"),
        (TOGGL_HEADER.encode() + b",,,,,caf\xe9,No\n", "line 2: this is not UTF-8 text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "line 1: this is not a text (CSV) file"),
    ],
    ids=["empty", "another report", "latin-1", "a spreadsheet"],
)
def test_files_that_are_no_such_export_are_refused(data: bytes, problem: str) -> None:
    assert refused(data).message.startswith(problem)


def test_a_byte_order_mark_and_windows_line_ends_are_read() -> None:
    data = b"\xef\xbb\xbf" + sample("toggl_detailed.csv").replace(b"\n", b"\r\n")
    assert len(toggl(data, BERLIN).entries) == 4


def test_long_names_are_cut_to_what_is_kept() -> None:
    row = f",,,{'p' * 300},,{'d' * 2000},No,2026-03-16,09:00:00,2026-03-16,10:00:00,,,"
    [entry] = toggl(f"{TOGGL_HEADER}{row}\n".encode(), BERLIN).entries
    assert (len(entry.project), len(entry.description)) == (200, 1000)
