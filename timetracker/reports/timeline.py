"""Every source's time on one timeline, cut at the viewer's local midnights.

Each source (NFC, timer, ActivityWatch, WakaTime) contributes *entries*: rows with
ENTRY_COLUMNS, read as the viewer inside one `as_user` transaction, so RLS decides whose
rows are visible. This module clips entries to the requested window and splits them at
day boundaries in the viewer's timezone, so a 23:00-01:00 session counts one hour on each
day. Sources register themselves in `timetracker.reports.sources`; `person_time` combines
them, counted once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from timetracker.errors import InvalidInput
from timetracker.projects.rules import Naming
from timetracker.reports.counted_once import Span

# What a source returns. `status` is the source's own word ("closed", "open", ...);
# an entry with started_at == ended_at is a flag (e.g. a removal with no insert), kept so
# the page can show it rather than drop it.
# pandas is imported where a frame is built: the API's start need not load it (half a second).
if TYPE_CHECKING:
    import pandas as pd

ENTRY_COLUMNS = ["source", "label", "detail", "started_at", "ended_at", "status"]
# `project`: the project the rules give the piece's own fields (an id, "" for none); which
# project a second counts for is the attributed segment's.
PIECE_COLUMNS = ["day", "source", "label", "detail", "start", "end", "seconds", "status", "project"]

# One entry: a dict with ENTRY_COLUMNS. Plain rows, not a DataFrame: counting needs only
# their times and labels, and a heavy month is tens of thousands of them.
Entry = dict[str, Any]
# (connection as the viewer, whose time, window start, window end) -> entries overlapping it.
Source = Callable[[Connection[Any], UUID, datetime, datetime], list[Entry]]

# Instants as counting sees them: whole microseconds since the Unix epoch, as integers, so
# sums are exact (float seconds drift) and no datetime range gets in the way.
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
Interval = tuple[int, int]


def microseconds(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // ONE_MICROSECOND


def instant(microseconds: int) -> datetime:
    return UNIX_EPOCH + microseconds * ONE_MICROSECOND


# SQL for a timestamptz as counting's microseconds (extract gives an exact numeric).
def sql_microseconds(expression: str) -> str:
    return f"(extract(epoch from {expression}) * 1000000)::int8"


@dataclass(frozen=True)
class SourceTime:
    """A source's time as counting needs it: all of it (`union`, sorted and disjoint) and its
    labelled spans, which may leave out what better sources already cover."""

    union: list[Interval]
    spans: list[Span]


# For a source whose interval work pays off in the database: (connection as the viewer, whose
# time, window start, window end, what better sources cover, the projects and rules naming
# its pieces) -> its SourceTime.
CountedSource = Callable[[Connection[Any], UUID, datetime, datetime, Sequence[Interval], Naming], SourceTime]


@dataclass(frozen=True)
class SourceKind:
    """Everything the product needs to know about one source of time, declared next to how
    its time is read; `timetracker.reports.sources` lists them (one line per source)."""

    name: str  # as stored in pieces, precedences and the API
    display_name: str  # what people read on pages and in CSVs
    entries: Source
    # When the source's counting is done in the database (see CountedSource); its entries
    # are then read only when a report shows each piece.
    counted: CountedSource | None = None
    # The statuses of its pieces a person should look at, and what each means (shown, never
    # hidden in totals).
    needs_a_look: Mapping[str, str] = field(default_factory=dict)


# Days a report may ask for. At the ends of Python's date range the window's next midnight
# (or its UTC form) does not exist: an OverflowError, a 500, for ?day=9999-12-31 or 0001-01-01.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def local_day_window(first_day: date, last_day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[first_day 00:00, last_day+1 00:00) in `tz`, as aware datetimes."""
    if not all(FIRST_DAY <= day <= LAST_DAY for day in (first_day, last_day)):
        raise InvalidInput(f"days must be between {FIRST_DAY} and {LAST_DAY}")
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def local_midnights(first_day: date, last_day: date, tz: ZoneInfo) -> list[datetime]:
    """Every local midnight from first_day to the one after last_day, as UTC instants."""
    local_day_window(first_day, last_day, tz)  # refuses days outside what a report may ask for
    count = (last_day - first_day).days + 2
    return [datetime.combine(first_day + timedelta(days=n), time.min, tzinfo=tz).astimezone(UTC) for n in range(count)]


def entries_frame(rows: list[Entry]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=ENTRY_COLUMNS)


def split_rows(entries: Iterable[Entry], tz: ZoneInfo, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (entry, local day) inside [start, end), with local start/end and seconds
    (PIECE_COLUMNS), in the entries' order.

    The arithmetic is done in UTC: Python compares and subtracts two datetimes that share a
    tzinfo by their wall-clock readings, so a 23- or 25-hour daylight-saving day would come
    out as 24 hours. Local time is only used to find midnights and to present the pieces.
    """
    import pandas as pd

    window_start, window_end = start.astimezone(UTC), end.astimezone(UTC)
    first_day = start.astimezone(tz).date()
    midnights = [window_start]
    while midnights[-1] < window_end:
        next_day = first_day + timedelta(days=len(midnights))
        midnights.append(datetime.combine(next_day, time.min, tzinfo=tz).astimezone(UTC))
    pieces: list[dict[str, object]] = []
    for row in entries:
        begin = max(row["started_at"].astimezone(UTC), window_start)
        finish = min(row["ended_at"].astimezone(UTC), window_end)
        if row["started_at"] == row["ended_at"]:
            pieces.append(_piece(row, begin, begin, tz))
            continue
        day = bisect_right(midnights, begin) - 1
        while begin < finish:
            cut = min(finish, midnights[day + 1])
            pieces.append(_piece(row, begin, cut, tz))
            begin, day = cut, day + 1
    return pd.DataFrame(pieces, columns=PIECE_COLUMNS)


def _piece(row: Entry, begin: datetime, end: datetime, tz: ZoneInfo) -> dict[str, object]:
    local_begin = begin.astimezone(tz)
    return {
        "day": local_begin.date(),
        "source": row["source"],
        "label": row["label"],
        "detail": row["detail"],
        "start": local_begin,
        "end": end.astimezone(tz),
        "seconds": (end - begin).total_seconds(),
        "status": row["status"],
        "project": row.get("project", ""),
    }


def may_see_time_of(conn: Connection[Any], owner_id: UUID) -> bool:
    """Whether the caller (the transaction's auth.uid()) may read `owner_id`'s time: the same
    SQL rule the policies use."""
    row = conn.execute("select %s in (select internal.managed_user_ids()) as allowed", (owner_id,)).fetchone()
    return bool(row["allowed"])
