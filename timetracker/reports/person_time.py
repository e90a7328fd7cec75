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

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from timetracker import corrections
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden
from timetracker.projects.rules import UNASSIGNED, Naming
from timetracker.projects.store import naming_for
from timetracker.reports import counted_once
from timetracker.reports.counted_once import Span
from timetracker.reports.manual_time import SOURCE as MANUAL
from timetracker.reports.sources import COUNTED_SOURCES, DEFAULT_PRECEDENCE, SOURCES
from timetracker.reports.timeline import (
    PIECE_COLUMNS,
    Entry,
    Interval,
    Source,
    instant,
    local_day_window,
    local_midnights,
    may_see_time_of,
    microseconds,
    split_rows,
)

# Spans are counted in whole microseconds (the database's resolution), as integers: sums of
# float epoch seconds drift by microseconds over a day of many short stretches, and then the
# segments no longer add up to the tracked seconds. Plain datetime arithmetic, not pandas':
# its nanosecond range ends in 2262, and a report may ask for days up to 9998.
if TYPE_CHECKING:
    import pandas as pd

PER_SECOND = 1_000_000


@dataclass(frozen=True)
class DayTime:
    day: date
    tracked_seconds: float
    by_source: dict[str, float]
    # Whether a correction (an entry added by hand, an exclusion) touched the day, and by how
    # much the corrections changed its tracked time.
    edited: bool = False
    corrected_seconds: float = 0.0


@dataclass(frozen=True)
class Segment:
    """A stretch of the attributed timeline, in the viewer's timezone."""

    day: date
    start: datetime
    end: datetime
    source: str
    label: str
    # The project the rules give it (an id), or "" (UNASSIGNED).
    project: str = UNASSIGNED

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
    # Each source's own time (its union), cut at midnight; `label` is the source's name.
    source_time: list[Segment] = field(default_factory=list)
    # Stretches the person marked as not work, cut at midnight (label "excluded").
    excluded: list[Segment] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    # The projects and rules that named the segments.
    naming: Naming = field(default_factory=Naming)

    def pieces(self, sources: Collection[str] | None = None) -> pd.DataFrame:
        """Each source's entries (or only those of `sources`) split at the local midnights
        (PIECE_COLUMNS), flags included: a frame built only when a page or answer shows them.
        Sources counted in the database have entries only when read `with_pieces`."""
        import pandas as pd

        chosen = [e for e in self.entries if sources is None or e["source"] in sources]
        if not chosen:
            return pd.DataFrame(columns=PIECE_COLUMNS)
        start, end = local_day_window(self.first_day, self.last_day, self.timezone)
        return split_rows(sorted(chosen, key=lambda entry: entry["started_at"]), self.timezone, start, end)

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

    def project_totals(self) -> list[tuple[str, float]]:
        """Attributed seconds per project id ("" for unassigned), largest first: they add up
        to the tracked seconds, since every segment has exactly one project or none."""
        totals: dict[str, float] = {}
        for segment in self.segments:
            totals[segment.project] = totals.get(segment.project, 0.0) + segment.seconds
        return sorted(totals.items(), key=lambda row: -row[1])


def precedence_of(conn: Connection[Any], owner_id: UUID) -> list[str]:
    row = conn.execute("select source_precedence from tracker_profiles where id = %s", (owner_id,)).fetchone()
    return counted_once.ordered_precedence(row["source_precedence"] if row else [], DEFAULT_PRECEDENCE)


def spans_of(entries: Iterable[Entry], naming: Naming | None = None) -> list[Span]:
    """Entries as spans in UTC epoch microseconds (zero-length flags hold no time and are left
    out), each named for the project `naming` gives its fields.

    Plain datetime arithmetic, not pandas': its nanosecond range ends in 2262, and an entry
    from a reader whose clock jumped to the year 3000 must not fail every report."""
    naming = naming or Naming()
    spans = []
    for entry in entries:
        start, end = microseconds(entry["started_at"]), microseconds(entry["ended_at"])
        if end > start:
            project = naming.project_of(entry["source"], entry.get("fields") or {})
            spans.append(Span(start, end, entry["source"], entry["label"], project))
    return spans


def read_in(
    conn: Connection[Any],
    owner_id: UUID,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    *,
    sources: Mapping[str, Source] = SOURCES,
    with_pieces: bool = False,
) -> PersonTime:
    """`owner_id`'s time read on `conn` (as the viewer: RLS decides what is visible).

    Sources are read best first, so a source counted in the database is told what the ones
    before it cover and sends only what is left. Its raw entries (many: one per window event)
    are read only `with_pieces`; every other source's always are (they are few).
    """
    midnights = local_midnights(first_day, last_day, tz)
    start, end = midnights[0], midnights[-1]
    precedence = precedence_of(conn, owner_id)
    naming = naming_for(conn, owner_id)
    entries: list[Entry] = []
    spans: list[Span] = []
    unions: dict[str, list[Interval]] = {}
    covered: list[Interval] = []
    for name in sorted(sources, key=lambda source: _place(source, precedence)):
        in_database = COUNTED_SOURCES.get(name)
        own_entries = sources[name](conn, owner_id, start, end) if in_database is None or with_pieces else []
        entries += own_entries
        if in_database is None:
            own = spans_of(own_entries, naming)
            spans += own
            unions[name] = counted_once.merged((span.start, span.end) for span in own)
            covered = counted_once.merged([*covered, *unions[name]])
        else:
            counted = in_database(conn, owner_id, start, end, covered, naming)
            spans += counted.spans
            unions[name] = counted.union
            covered = counted_once.merged([*covered, *counted.union])
    for entry in entries:
        entry["project"] = naming.project_of(entry["source"], entry.get("fields") or {})
    day_edges = [microseconds(moment) for moment in midnights]
    excluded = _intervals(conn.execute(EXCLUDED, {"owner": owner_id, "start": start, "end": end}).fetchall())
    counted_days = counted_once.count_once(spans, precedence, day_edges, list(sources), unions, excluded)
    edited = _edited_days(conn, owner_id, start, end, day_edges)
    # What the sources alone would have tracked: no time added by hand, nothing excluded.
    uncorrected = counted_once.seconds_per_day(
        counted_once.merged(interval for name, union in unions.items() if name != MANUAL for interval in union),
        day_edges,
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
                counted_days.tracked[n] / PER_SECOND,
                {source: counted_days.by_source[source][n] / PER_SECOND for source in sources},
                edited=edited[n],
                corrected_seconds=(counted_days.tracked[n] - uncorrected[n]) / PER_SECOND,
            )
            for n, day in enumerate(days)
        ],
        segments=[_local(days[day], segment, tz) for day, segment in counted_days.segments],
        source_time=[
            _local(days[day], Span(first, last, name, name), tz)
            for name, union in unions.items()
            for start_us, end_us in union
            for day, first, last in counted_once.day_parts(start_us, end_us, day_edges)
        ],
        entries=entries,
        naming=naming,
        excluded=[
            _local(days[day], Span(first, last, EXCLUDED_LABEL, EXCLUDED_LABEL), tz)
            for start_us, end_us in counted_once.merged(excluded)
            for day, first, last in counted_once.day_parts(start_us, end_us, day_edges)
        ],
    )


# Stretches marked as not work that reach into [start, end) (none is longer than 31 days).
EXCLUDED = """
select started_at, ended_at from time_exclusions
where owner_id = %(owner)s and started_at < %(end)s and ended_at > %(start)s
  and started_at >= %(start)s - interval '31 days'
"""
EXCLUDED_LABEL = "excluded"


def _intervals(rows: list[dict[str, Any]]) -> list[Interval]:
    return [(microseconds(row["started_at"]), microseconds(row["ended_at"])) for row in rows]


def _edited_days(
    conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime, day_edges: Sequence[int]
) -> list[bool]:
    """Per day, whether a correction's stretch (after or before a change) touches it."""
    edited = [False] * (len(day_edges) - 1)
    for row in conn.execute(corrections.EDITS, {"owner": owner_id, "start": start, "end": end}).fetchall():
        stretches = [(row["started_at"], row["ended_at"])]
        if row["previous"]:
            previous = row["previous"]
            stretches.append(
                (datetime.fromisoformat(previous["started_at"]), datetime.fromisoformat(previous["ended_at"]))
            )
        for first, last in stretches:
            for day, _, _ in counted_once.day_parts(microseconds(first), microseconds(last), day_edges):
                edited[day] = True
    return edited


def _place(source: str, precedence: Sequence[str]) -> int:
    return precedence.index(source) if source in precedence else len(precedence)


def _local(day: date, span: Span, tz: ZoneInfo) -> Segment:
    return Segment(
        day=day,
        start=instant(span.start).astimezone(tz),
        end=instant(span.end).astimezone(tz),
        source=span.source,
        label=span.label,
        project=span.project,
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
    with_pieces: bool = False,
) -> PersonTime:
    """The caller's time, or a member's of a team they own or administer (else Forbidden).
    `with_pieces`: also every source's raw entries, for `PersonTime.pieces()`."""
    owner = owner_id or principal.user_id
    with db.as_user(principal.db_claims) as conn:
        if owner != principal.user_id and not may_see_time_of(conn, owner):
            # RLS would answer with no rows at all; say so instead of showing an empty week.
            raise Forbidden("you can see the time of members of teams you own or administer only")
        return read_in(conn, owner, first_day, last_day, tz, sources=sources, with_pieces=with_pieces)


def read_many(
    conn: Connection[Any], owner_ids: Sequence[UUID], first_day: date, last_day: date, tz: ZoneInfo
) -> list[PersonTime]:
    """Several people's time in one transaction (a team's), each counted once on its own."""
    return [read_in(conn, owner, first_day, last_day, tz) for owner in owner_ids]
