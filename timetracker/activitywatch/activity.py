"""A person's ActivityWatch activity: their own rows plus the team rows of developer ids
linked to them (RLS still decides what the viewer may read). Breakdowns for My time:
active vs AFK per local day, top apps and window titles, web domains, editor projects.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
from psycopg import Connection

from timetracker.activitywatch.owned_events import ENDED_AT, owned_events
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.reports import activitywatch_time, person_time
from timetracker.reports.counted_once import seconds_per_day
from timetracker.reports.person_time import PER_SECOND
from timetracker.reports.timeline import local_day_window, microseconds, split_rows

TOP = 10

EVENTS = owned_events(
    f"e.bucket_type, e.afk_status, e.app, e.title, e.domain, e.project, e.host, e.started_at, {ENDED_AT} as ended_at",
    "e.duration > 0 and e.bucket_type = any(%(types)s)",
)


def events(conn: Connection[Any], owner: UUID, start: datetime, end: datetime, types: list[str]) -> pd.DataFrame:
    """Events of `types` overlapping [start, end), clipped to it, with `seconds`."""
    rows = conn.execute(EVENTS, {"owners": [owner], "start": start, "end": end, "types": types}).fetchall()
    frame = pd.DataFrame(
        rows,
        columns=["bucket_type", "afk_status", "app", "title", "domain", "project", "host", "started_at", "ended_at"],
    )
    if frame.empty:
        return frame.assign(seconds=pd.Series(dtype=float))
    clipped_start = frame["started_at"].clip(lower=start)
    clipped_end = frame["ended_at"].clip(upper=end)
    return frame.assign(seconds=(clipped_end - clipped_start).dt.total_seconds().clip(lower=0))


# Window time while not AFK (ActivityWatch's counted entries), per app and per app and title,
# summed in the database: only the top rows leave it.
TOP_WINDOWS = f"""
with pieces as ({activitywatch_time.ENTRIES.replace("order by started_at", "")})
select label as app, case when grouping(detail) = 0 then detail end as title,
       sum(extract(epoch from least(ended_at, %(end)s) - greatest(started_at, %(start)s)))::float8 as seconds
from pieces where label <> %(no_window)s
group by grouping sets ((label), (label, detail))
"""


def top_windows(conn: Connection[Any], owner: UUID, start: datetime, end: datetime) -> dict[str, pd.DataFrame]:
    """The apps and the window titles longest in front while not AFK, in [start, end)."""
    params = {
        "owners": [owner],
        "start": start,
        "end": end,
        "source": activitywatch_time.SOURCE,
        "no_window": activitywatch_time.NO_WINDOW,
    }
    rows = pd.DataFrame(conn.execute(TOP_WINDOWS, params).fetchall(), columns=["app", "title", "seconds"])
    return {
        "apps": _top(rows[rows["title"].isna()], ["app"]),
        "titles": _top(rows[rows["title"].notna()], ["app", "title"]),
    }


def _top(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "seconds"])
    totals = frame.dropna(subset=columns).groupby(columns, as_index=False)["seconds"].sum()
    return totals.sort_values("seconds", ascending=False, kind="stable").head(TOP).reset_index(drop=True)


def breakdown(
    db: Database, principal: Principal, first_day: date, last_day: date, tz: ZoneInfo, owner: UUID | None = None
) -> dict[str, pd.DataFrame]:
    """Frames for the My time panel, all in `tz`'s days.

    Active time and the top apps and titles come from ActivityWatch's counted-once entries
    (window time while not AFK, hosts counted once), so they agree with My time's
    ActivityWatch figure; AFK time, web domains and editor projects are the events as sent.
    """
    start, end = local_day_window(first_day, last_day, tz)
    owner = owner or principal.user_id
    with db.as_user(principal.db_claims) as conn:
        frame = events(conn, owner, start, end, ["afkstatus", "web.tab.current", "app.editor.activity"])
        not_afk = activitywatch_time.active(conn, owner, start, end)
        windows = top_windows(conn, owner, start, end)
    midnights = [microseconds(moment) for moment in person_time.local_midnights(first_day, last_day, tz)]
    per_day = seconds_per_day(not_afk, midnights)
    active = pd.DataFrame(
        [
            (first_day + timedelta(days=n), "not-afk", seconds / PER_SECOND)
            for n, seconds in enumerate(per_day)
            if seconds
        ],
        columns=["day", "status", "seconds"],
    )
    return {
        "afk_per_day": pd.concat([active, _afk_per_day(frame, tz, start, end)], ignore_index=True),
        **windows,
        "domains": _top(frame[frame["bucket_type"] == "web.tab.current"], ["domain"]),
        "projects": _top(frame[frame["bucket_type"] == "app.editor.activity"], ["project"]),
    }


def _afk_per_day(frame: pd.DataFrame, tz: ZoneInfo, start: datetime, end: datetime) -> pd.DataFrame:
    afk = frame[(frame["bucket_type"] == "afkstatus") & (frame["afk_status"] == "afk")]
    as_entries = [
        {
            "source": activitywatch_time.SOURCE,
            "label": "afk",
            "detail": row.host,
            "started_at": row.started_at,
            "ended_at": row.ended_at,
            "status": "afk",
        }
        for row in afk.itertuples(index=False)
    ]
    pieces = split_rows(as_entries, tz, start, end)
    if pieces.empty:
        return pd.DataFrame(columns=["day", "status", "seconds"])
    return pieces.groupby(["day", "label"], as_index=False)["seconds"].sum().rename(columns={"label": "status"})
