"""One person's time for a range of local days, counted once: the one place totals come from.

Every page and endpoint that shows a total (My time, Team, Teams, the API, the CSVs) reads
it here. Sources give entries (timetracker.reports.sources); this module turns them into
spans and hands them to `counted_once`, in the viewer's timezone:

- `days`: per local day, tracked seconds (every second once) and each source's own seconds;
- `segments`: the attributed timeline (one source and label per second), cut at midnight;
- `pieces()`: each source's raw entries split by day, computed only when asked for (they
  are many: a heavy month of ActivityWatch is tens of thousands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
from psycopg import Connection

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden
from timetracker.reports import counted_once
from timetracker.reports.counted_once import Span
from timetracker.reports.sources import DEFAULT_PRECEDENCE, SOURCES
from timetracker.reports.timeline import (
    ENTRY_COLUMNS,
    PIECE_COLUMNS,
    Source,
    local_day_window,
    may_see_time_of,
    split_by_day,
)

# Spans are counted in whole microseconds (the database's resolution), as integers: sums of
# float epoch seconds drift by microseconds over a day of many short stretches, and then the
# segments no longer add up to the tracked seconds. Plain datetime arithmetic, not pandas':
# its nanosecond range ends in 2262, and a report may ask for days up to 9998.
PER_SECOND = 1_000_000
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class DayTime:
    day: date
    tracked_seconds: float
    by_source: dict[str, float]


@dataclass(frozen=True)
class Segment:
    """A stretch of the attributed timeline, in the viewer's timezone."""

    day: date
    start: datetime
    end: datetime
    source: str
    label: str

    @property
    def seconds(self) -> float:
        # In UTC: two datetimes sharing a tzinfo subtract by wall clock, which is an hour
        # off across a daylight-saving change.
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds()


@dataclass(frozen=True)
class PersonTime:
    owner_id: UUID
    timezone: ZoneInfo
    first_day: date
    last_day: date
    precedence: list[str]
    days: list[DayTime]
    segments: list[Segment]
    entries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ENTRY_COLUMNS))

    def pieces(self) -> pd.DataFrame:
        """Each source's entries split at the local midnights (PIECE_COLUMNS), flags included."""
        if self.entries.empty:
            return pd.DataFrame(columns=PIECE_COLUMNS)
        start, end = local_day_window(self.first_day, self.last_day, self.timezone)
        return split_by_day(self.entries.sort_values("started_at", kind="stable"), self.timezone, start, end)

    @property
    def tracked_seconds(self) -> float:
        return sum(day.tracked_seconds for day in self.days)

    def source_seconds(self) -> dict[str, float]:
        """Each source's own total over the range (overlap inside a source counted once)."""
        return {source: sum(day.by_source[source] for day in self.days) for source in self.sources}

    @property
    def sources(self) -> list[str]:
        return list(self.days[0].by_source) if self.days else []

    def tracked_between(self, first_day: date, last_day: date) -> float:
        return sum(day.tracked_seconds for day in self.days if first_day <= day.day <= last_day)

    def label_totals(self) -> list[tuple[str, str, float]]:
        """Attributed seconds per (source, label), largest first."""
        totals: dict[tuple[str, str], float] = {}
        for segment in self.segments:
            key = (segment.source, segment.label)
            totals[key] = totals.get(key, 0.0) + segment.seconds
        return sorted(((s, label, sec) for (s, label), sec in totals.items()), key=lambda row: -row[2])


def local_midnights(first_day: date, last_day: date, tz: ZoneInfo) -> list[datetime]:
    """Every local midnight from first_day to the one after last_day, as UTC instants."""
    local_day_window(first_day, last_day, tz)  # refuses days outside what a report may ask for
    count = (last_day - first_day).days + 2
    return [datetime.combine(first_day + timedelta(days=n), time.min, tzinfo=tz).astimezone(UTC) for n in range(count)]


def precedence_of(conn: Connection[Any], owner_id: UUID) -> list[str]:
    row = conn.execute("select source_precedence from profiles where id = %s", (owner_id,)).fetchone()
    return counted_once.ordered_precedence(row["source_precedence"] if row else [], DEFAULT_PRECEDENCE)


def spans_of(entries: pd.DataFrame) -> list[Span]:
    """Entries as spans in UTC epoch microseconds (zero-length flags hold no time and are left out)."""
    if entries.empty:
        return []
    starts, ends = _microseconds_of(entries["started_at"]), _microseconds_of(entries["ended_at"])
    return [
        Span(start, end, source, label)
        for start, end, source, label in zip(starts, ends, entries["source"], entries["label"], strict=True)
        if end > start
    ]


def _microseconds_of(column: pd.Series) -> list[int]:
    # Not through pd.to_datetime: it converts to nanoseconds, whose range ends in 2262, and an
    # entry from a reader whose clock jumped to the year 3000 must not fail every report.
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.dt.as_unit("us").astype("int64").tolist()
    return [_microseconds(moment) for moment in column]


def _microseconds(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // ONE_MICROSECOND


def read_in(
    conn: Connection[Any],
    owner_id: UUID,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    *,
    sources: Mapping[str, Source] = SOURCES,
) -> PersonTime:
    """`owner_id`'s time read on `conn` (as the viewer: RLS decides what is visible)."""
    midnights = local_midnights(first_day, last_day, tz)
    start, end = midnights[0], midnights[-1]
    frames = [source(conn, owner_id, start, end) for source in sources.values()]
    entries = pd.concat(
        [frame for frame in frames if not frame.empty] or [pd.DataFrame(columns=ENTRY_COLUMNS)], ignore_index=True
    )
    precedence = precedence_of(conn, owner_id)
    counted = counted_once.count_once(
        spans_of(entries), precedence, [_microseconds(moment) for moment in midnights], list(sources)
    )
    days = [first_day + timedelta(days=n) for n in range(len(midnights) - 1)]
    return PersonTime(
        owner_id=owner_id,
        timezone=tz,
        first_day=first_day,
        last_day=last_day,
        precedence=precedence,
        days=[
            DayTime(
                day,
                counted.tracked[n] / PER_SECOND,
                {source: counted.by_source[source][n] / PER_SECOND for source in sources},
            )
            for n, day in enumerate(days)
        ],
        segments=[_local(days[day], segment, tz) for day, segment in counted.segments],
        entries=entries,
    )


def _local(day: date, span: Span, tz: ZoneInfo) -> Segment:
    return Segment(
        day=day,
        start=(UNIX_EPOCH + span.start * ONE_MICROSECOND).astimezone(tz),
        end=(UNIX_EPOCH + span.end * ONE_MICROSECOND).astimezone(tz),
        source=span.source,
        label=span.label,
    )


def read(
    db: Database,
    principal: Principal,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    *,
    owner_id: UUID | None = None,
    sources: Mapping[str, Source] = SOURCES,
) -> PersonTime:
    """The caller's time, or a member's of a team they own or administer (else Forbidden)."""
    owner = owner_id or principal.user_id
    with db.as_user(principal.db_claims) as conn:
        if owner != principal.user_id and not may_see_time_of(conn, owner):
            # RLS would answer with no rows at all; say so instead of showing an empty week.
            raise Forbidden("you can see the time of members of teams you own or administer only")
        return read_in(conn, owner, first_day, last_day, tz, sources=sources)


def read_many(
    conn: Connection[Any], owner_ids: Sequence[UUID], first_day: date, last_day: date, tz: ZoneInfo
) -> list[PersonTime]:
    """Several people's time in one transaction (a team's), each counted once on its own."""
    return [read_in(conn, owner, first_day, last_day, tz) for owner in owner_ids]
