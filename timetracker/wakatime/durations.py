"""Coding durations derived from heartbeats, never stored (they change with the timeout).

As WakaTime does: each heartbeat counts the time until the next one when the gap is under
the person's keystroke timeout, and nothing when it is not (a lone heartbeat is 0 s).
Consecutive heartbeats of the same project and file (and language, editor) that are
linked that way form one duration. Day boundaries are cut at the person's local
midnights, as the counted-once timeline cuts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from timetracker.reports.counted_once import day_parts
from timetracker.reports.timeline import Entry, local_midnights, microseconds
from timetracker.wakatime.keys import DEFAULT_TIMEOUT_MINUTES

if TYPE_CHECKING:
    import pandas as pd

DIMENSIONS = ("project", "language", "editor")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class CodingDuration:
    project: str
    entity: str
    language: str
    editor: str
    started_at: datetime
    ended_at: datetime
    branch: str = ""

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


def join(heartbeats: Sequence[dict[str, Any]], timeout: timedelta) -> list[CodingDuration]:
    """Heartbeat rows (time, project, entity, language, editor), sorted by time, as durations."""
    # Runs of [key, start, end], extended in place: a heavy month is thousands of heartbeats,
    # and a dataclass made (and replaced) per heartbeat was most of a month's read. Linked
    # heartbeats with the same key (project, entity, language, editor, branch) are one duration.
    runs: list[list[Any]] = []
    linked = False  # whether the previous heartbeat reached this one (gap under the timeout)
    last = len(heartbeats) - 1
    for index, beat in enumerate(heartbeats):
        at = beat["time"]
        reaches_next = index < last and heartbeats[index + 1]["time"] - at < timeout
        end = heartbeats[index + 1]["time"] if reaches_next else at
        key = (
            beat.get("project") or UNKNOWN,
            beat["entity"],
            beat.get("language") or UNKNOWN,
            beat.get("editor") or UNKNOWN,
            beat.get("branch") or "",
        )
        if linked and runs and runs[-1][0] == key:
            runs[-1][2] = end
        else:
            runs.append([key, at, end])
        linked = reaches_next
    return [
        CodingDuration(project, entity, language, editor, started_at, ended_at, branch)
        for (project, entity, language, editor, branch), started_at, ended_at in runs
    ]


def timeout_of(conn: Connection[Any], owner_id: UUID) -> timedelta:
    row = conn.execute("select timeout_minutes from heartbeat_settings where owner_id = %s", (owner_id,)).fetchone()
    return timedelta(minutes=row["timeout_minutes"] if row else DEFAULT_TIMEOUT_MINUTES)


def read(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[CodingDuration]:
    """Durations overlapping [start, end), read as the viewer (RLS decides what is visible).

    Heartbeats up to one timeout either side are read too: the one before `start` may
    reach into the window, and the one after `end` decides where the last one stops.
    """
    timeout = timeout_of(conn, owner_id)
    beats = conn.execute(
        "select time, project, entity, language, editor, branch from heartbeats"
        " where owner_id = %s and time >= %s and time < %s order by time, id",
        (owner_id, start - timeout, end + timeout),
    ).fetchall()
    return [d for d in join(beats, timeout) if d.ended_at > start and d.started_at < end and d.seconds > 0]


def as_entries(durations: Iterable[CodingDuration], label: str = "project", source: str = "wakatime") -> list[Entry]:
    """Timeline entries (timeline.ENTRY_COLUMNS), labelled by one dimension."""
    return [
        {
            "source": source,
            "label": getattr(d, label),
            "detail": f"{d.language} in {d.editor}: {d.entity}",
            "started_at": d.started_at,
            "ended_at": d.ended_at,
            "status": "heartbeats",
            # What project rules match on (an unknown name matches nothing).
            "fields": {
                "project": _known(d.project),
                "branch": d.branch or None,
                "language": _known(d.language),
            },
        }
        for d in durations
    ]


def _known(name: str) -> str | None:
    return None if name == UNKNOWN else name


def daily_totals(durations: Sequence[CodingDuration], tz: ZoneInfo, start: datetime, end: datetime) -> pd.DataFrame:
    """Seconds per (day, dimension, name) for project, language and editor, days cut in `tz`."""
    import pandas as pd

    first_day, last_day = start.astimezone(tz).date(), (end.astimezone(tz) - timedelta(microseconds=1)).date()
    edges = [microseconds(moment) for moment in local_midnights(first_day, last_day, tz)]
    totals: dict[tuple[date, str, str], float] = defaultdict(float)
    for duration in durations:
        for day, begin, finish in day_parts(microseconds(duration.started_at), microseconds(duration.ended_at), edges):
            for dimension in DIMENSIONS:
                totals[(first_day + timedelta(days=day), dimension, getattr(duration, dimension))] += finish - begin
    return pd.DataFrame(
        [(day, dimension, name, spent / 1_000_000) for (day, dimension, name), spent in totals.items()],
        columns=["day", "dimension", "name", "seconds"],
    )
