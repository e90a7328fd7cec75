"""A "Detailed report" CSV export, one row per time entry, as Toggl Track and Clockify write
it: the shared reading; each tracker's module names its columns.

The rows carry local dates and times but no zone: they are read in the zone the person
names (by default their profile's). A local time that a daylight-saving change makes occur
twice is resolved with the row's duration when it has one. Dates may be ISO
(2026-03-29), day.month.year, day-month-year or with slashes: month/day/year unless a date
of the file only reads as day/month/year (13/03/2026).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import product
from zoneinfo import ZoneInfo

from timetracker.imports.entries import FIRST_DAY, LAST_DAY, InvalidFile, Origin, Parsed, entry, span_problem

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?$")
DURATION = re.compile(r"^(\d{1,4}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Columns:
    """Where a tracker writes each thing (header names, compared without case)."""

    origin: Origin
    tracker: str  # for messages: "a Toggl Track detailed report"
    start_date: str
    start_time: str
    end_date: str
    end_time: str
    duration: str
    names: dict[str, str]  # ImportedEntry field -> column
    people: tuple[str, ...] = ("Email", "User")


def read(data: bytes, tz: ZoneInfo, columns: Columns) -> Parsed:
    """The file's entries; InvalidFile naming the lines at fault when any row cannot be read
    (then nothing of it is imported)."""
    rows = list(_rows(_text(data), columns))
    day_first = any(_slash_day_first(row[name]) for _, row in rows for name in (columns.start_date, columns.end_date))
    parsed, problems = Parsed(), []
    person: tuple[int, str] | None = None
    for line, row in rows:
        who = next((row[name] for name in columns.people if row.get(name)), "")
        if who and person is None:
            person = (line, who)
        elif who and person is not None and who != person[1]:
            problem = f"holds {who}'s time, line {person[0]} {person[1]}'s: export a report of your own time only"
            problems.append((line, problem))
            continue
        try:
            started_at, ended_at = _span(row, columns, tz, day_first)
        except ValueError as problem:
            problems.append((line, str(problem)))
            continue
        wrong = span_problem(started_at, ended_at)
        if wrong:
            problems.append((line, f"the entry {wrong}"))
        elif started_at == ended_at:
            parsed.invalid += 1
        else:
            names = {field: row.get(column, "") for field, column in columns.names.items()}
            parsed.entries.append(entry(columns.origin, started_at, ended_at, **names))
    if problems:
        raise InvalidFile(problems)
    return parsed


def _text(data: bytes) -> str:
    # A NUL never appears in a CSV export: this is a spreadsheet or another binary file.
    if b"\x00" in data:
        raise InvalidFile([(data[: data.index(b"\x00")].count(b"\n") + 1, "this is not a text (CSV) file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidFile([(line, "this is not UTF-8 text; export the report again as CSV")]) from None


def _rows(text: str, columns: Columns) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the row, {column as the header spells it in `columns`: value})."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise InvalidFile([(1, f"the file is empty; expected {columns.tracker}")])
        wanted = [columns.start_date, columns.start_time, columns.end_date, columns.end_time]
        known = [*wanted, columns.duration, *columns.names.values(), *columns.people]
        spelled = {name.casefold(): name for name in known}
        found = [(n, name.strip().casefold()) for n, name in enumerate(header)]
        index = {spelled[name]: n for n, name in found if name in spelled}
        missing = [name for name in wanted if name not in index]
        if missing:
            raise InvalidFile([(1, f"the header has no {missing[0]!r} column; expected {columns.tracker}")])
        line = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                # Trailing columns left out (amounts, say) do no harm; the times' do.
                if len(values) <= max(index[name] for name in wanted):
                    raise InvalidFile([(line, f"has {len(values)} fields where the header has {len(header)}")])
                yield line, {name: values[n].strip() if n < len(values) else "" for name, n in index.items()}
            line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidFile([(reader.line_num, f"this is not a readable CSV row ({error})")]) from None


def _span(row: dict[str, str], columns: Columns, tz: ZoneInfo, day_first: bool) -> tuple[datetime, datetime]:
    """The row's start and end as UTC instants."""
    start_day = _date(row[columns.start_date], columns.start_date, day_first)
    end_day = _date(row[columns.end_date], columns.end_date, day_first)
    start = datetime.combine(start_day, _time(row[columns.start_time], columns.start_time), tzinfo=tz)
    end = datetime.combine(end_day, _time(row[columns.end_time], columns.end_time), tzinfo=tz)
    duration = _duration(row.get(columns.duration, ""), columns.duration)
    # In UTC: Python subtracts two datetimes of one zone by their wall clocks, DST ignored.
    candidates = [(start.replace(fold=a), end.replace(fold=b)) for a, b in product((0, 1), repeat=2)]
    in_utc = [(begin.astimezone(UTC), finish.astimezone(UTC)) for begin, finish in candidates]
    return next((span for span in in_utc if span[1] - span[0] == duration), in_utc[0])


def _date(value: str, column: str, day_first: bool) -> date:
    try:
        if match := ISO_DATE.match(value):
            year, month, day = (int(part) for part in match.groups())
        elif match := SLASH_DATE.match(value):
            first, second, year = (int(part) for part in match.groups())
            day, month = (first, second) if day_first else (second, first)
        elif match := DAY_FIRST_DATE.match(value):
            day, month, year = (int(part) for part in match.groups())
        else:
            raise ValueError
        day_read = date(year, month, day)
    except ValueError:
        raise ValueError(f"{column} is not a date ({value!r})") from None
    if not FIRST_DAY <= day_read <= LAST_DAY:
        raise ValueError(f"{column} is not between {FIRST_DAY} and {LAST_DAY} ({value!r})")
    return day_read


def _slash_day_first(value: str) -> bool:
    match = SLASH_DATE.match(value)
    return bool(match) and int(match.group(1)) > 12


def _time(value: str, column: str) -> time:
    match = TIME.match(value)
    try:
        if not match:
            raise ValueError
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        if meridiem := match.group(4):
            if not 1 <= hour <= 12:
                raise ValueError
            hour = hour % 12 + (12 if meridiem in "Pp" else 0)
        return time(hour, minute, second)
    except ValueError:
        raise ValueError(f"{column} is not a time ({value!r})") from None


def _duration(value: str, column: str) -> timedelta | None:
    if not value:
        return None
    match = DURATION.match(value)
    if not match or int(match.group(2)) > 59 or int(match.group(3) or 0) > 59:
        raise ValueError(f"{column} is not a duration (h:mm:ss) ({value!r})")
    return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)), seconds=int(match.group(3) or 0))
